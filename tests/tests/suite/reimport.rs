//! `import --into` over a module people have edited: the page's changes since the last import
//! land, the edits stay, a line both changed is a conflict that `check` points at, and a module
//! with no base is refused rather than overwritten.

use crate::support::replace_once as edit;
use std::path::{Path, PathBuf};
use workapi_codegen::import::{self, ImportError, merge::Outcome};

const PAGE: &str = "wecom-004-获取汇报统计数据.md";

fn page_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("import-pages").join(PAGE);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A spec folder with the real WeCom `vendor.yaml` and nothing else.
fn spec_folder(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("reimport")
        .join(name)
        .join("spec");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("wecom")).unwrap();
    std::fs::copy(
        workapi_mock::spec_dir().join("wecom/vendor.yaml"),
        dir.join("wecom/vendor.yaml"),
    )
    .unwrap();
    dir
}

/// Imports the page text into `spec` as module `journal`; the outcome for its one file.
fn import_into(spec: &Path, text: &str, record_base: bool) -> Result<Outcome, ImportError> {
    let files = import::import_texts(&[(format!("import-pages/{PAGE}"), text.to_owned())], Some("journal"))?;
    assert_eq!(files.len(), 1);
    let written = import::merge::write_into(spec, &files, record_base)?;
    Ok(written[0].outcome.clone())
}

#[test]
fn a_reimport_applies_the_page_s_changes_and_keeps_the_edits() {
    let spec = spec_folder("merge");
    let module = spec.join("wecom/journal.yaml");
    let v1 = page_text();
    assert_eq!(import_into(&spec, &v1, false).unwrap(), Outcome::New);
    assert!(spec.join("wecom/.imported/journal.yaml").is_file(), "no base kept");

    // A reviewer renames the endpoint, resolves a guess and adds a note.
    edit(
        &module,
        "  - id: journal_get_stat_list\n",
        "  - id: journal_stat_list\n",
    );
    edit(
        &module,
        "    # TODO(import): idempotent: true guessed from the path's verb\n",
        "    note: Reads only; sending it twice is safe.\n",
    );
    // The page then changes one description and the endpoint's title.
    let v2 = v1.replacen(
        "|endtime|是|uint64|结束时间，时间区间最大长度为一年|",
        "|endtime|是|uint64|结束时间，时间区间最大长度为半年|",
        1,
    );
    assert_ne!(v1, v2, "the page text to change is not in the page");
    assert_eq!(import_into(&spec, &v2, false).unwrap(), Outcome::Merged);
    let merged = std::fs::read_to_string(&module).unwrap();
    assert!(merged.contains("  - id: journal_stat_list\n"), "the rename was lost");
    assert!(
        merged.contains("    note: Reads only; sending it twice is safe.\n"),
        "the note was lost"
    );
    assert!(
        !merged.contains("TODO(import): idempotent"),
        "the resolved guess came back"
    );
    assert!(
        merged.contains("时间区间最大长度为半年"),
        "the page's change did not land"
    );
    assert!(!merged.contains("时间区间最大长度为一年"), "the page's old text stayed");

    // The same pages again: nothing to do, and the file is left as it is.
    assert_eq!(import_into(&spec, &v2, false).unwrap(), Outcome::Unchanged);
    assert_eq!(std::fs::read_to_string(&module).unwrap(), merged);
}

#[test]
fn a_line_changed_by_both_is_a_conflict_that_check_points_at() {
    let spec = spec_folder("conflict");
    let module = spec.join("wecom/journal.yaml");
    let v1 = page_text();
    import_into(&spec, &v1, false).unwrap();
    edit(
        &module,
        "          doc: 结束时间，时间区间最大长度为一年\n",
        "          doc: 结束时间，时间区间最大长度为一年（按自然年）\n",
    );
    let v2 = v1.replacen("时间区间最大长度为一年|", "时间区间最大长度为半年|", 1);
    assert_eq!(import_into(&spec, &v2, false).unwrap(), Outcome::Conflicts(1));
    let text = std::fs::read_to_string(&module).unwrap();
    let marker = text
        .lines()
        .position(|l| l.starts_with("<<<<<<< "))
        .expect("a conflict marker")
        + 1;
    assert!(
        text.contains("按自然年") && text.contains("最大长度为半年"),
        "one side of the conflict is missing"
    );
    let Err(problems) = workapi_codegen::load(&spec) else {
        panic!("a spec with a conflict marker loads")
    };
    let at_marker: Vec<_> = problems.0.iter().filter(|d| d.file.ends_with("journal.yaml")).collect();
    assert_eq!(at_marker.len(), 1, "{problems}");
    assert_eq!(at_marker[0].line, marker as u64);
    assert!(at_marker[0].message.contains("merge conflict"), "{problems}");
}

#[test]
fn a_module_without_a_base_is_refused_until_one_is_recorded() {
    let spec = spec_folder("nobase");
    let module = spec.join("wecom/journal.yaml");
    let v1 = page_text();
    import_into(&spec, &v1, false).unwrap();
    std::fs::remove_dir_all(spec.join("wecom/.imported")).unwrap();
    edit(
        &module,
        "  - id: journal_get_stat_list\n",
        "  - id: journal_stat_list\n",
    );
    let before = std::fs::read_to_string(&module).unwrap();
    let err = import_into(&spec, &v1, false).unwrap_err();
    assert!(matches!(err, ImportError::NoBase { .. }), "{err}");
    assert!(err.to_string().contains("--record-base"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&module).unwrap(),
        before,
        "the module was touched"
    );

    assert_eq!(import_into(&spec, &v1, true).unwrap(), Outcome::BaseRecorded);
    assert_eq!(
        std::fs::read_to_string(&module).unwrap(),
        before,
        "recording a base touched the module"
    );
    assert_eq!(import_into(&spec, &v1, false).unwrap(), Outcome::Unchanged);
}
