//! Every file in `tests/bad-specs/` is a broken spec file; each must fail with a located error,
//! and the message is locked by a snapshot. `vendor_*.yaml` files stand in for a `vendor.yaml`;
//! the others are module files, checked beside the real DingTalk `vendor.yaml`.

use std::path::Path;
use workapi_codegen::spec::load::{RawVendor, parse_module, parse_module_all, parse_vendor, parse_vendor_all};

fn check(name: &str, text: &str) -> String {
    problems(name, text).to_string()
}

/// Every problem of the bad spec `name`, whose text is `text`.
fn problems(name: &str, text: &str) -> workapi_codegen::Diagnostics {
    let real_vendor_path = workapi_mock::spec_dir().join("dingtalk/vendor.yaml");
    let real_vendor = std::fs::read_to_string(real_vendor_path).unwrap();
    let display = format!("bad-specs/{name}");
    // Read as the build reads: every problem a file's reading finds, then the model's checks over
    // what read.
    let (raw, mut found) = if name.starts_with("vendor_") {
        let parsed = parse_vendor_all(&display, text);
        let raw = parsed.value.map(|vendor| RawVendor {
            file: display.clone(),
            vendor,
            modules: vec![],
        });
        (raw, parsed.problems)
    } else {
        let stem = name.trim_end_matches(".yaml");
        let module_file = format!("bad-specs/{stem}.yaml");
        let parsed = parse_module_all(&module_file, text);
        let raw = parsed.value.map(|m| RawVendor {
            file: "spec/dingtalk/vendor.yaml".into(),
            vendor: parse_vendor("spec/dingtalk/vendor.yaml", &real_vendor).unwrap(),
            modules: vec![(module_file.clone(), m)],
        });
        (raw, parsed.problems)
    };
    if let Some(raw) = raw
        && let Err(more) = workapi_codegen::model::resolve(&[raw])
    {
        found.extend(more.0);
    }
    assert!(!found.is_empty(), "{name} is in bad-specs/ but loads without error");
    workapi_codegen::Diagnostics(found).sorted()
}

#[test]
fn every_bad_spec_fails_with_a_located_message() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("bad-specs");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 100,
        "expected the bad-spec corpus of 100 or more, found {}",
        names.len()
    );
    for name in names {
        let text = std::fs::read_to_string(dir.join(&name)).unwrap();
        let message = check(&name, &text);
        // Every line names a file, line and column.
        for line in message.lines() {
            let mut parts = line.splitn(4, ':');
            let (file, l, c) = (parts.next(), parts.next(), parts.next());
            assert!(file.is_some_and(|f| f.ends_with(".yaml")), "{name}: no file in {line}");
            assert!(
                l.and_then(|l| l.parse::<u64>().ok()).is_some_and(|l| l > 0),
                "{name}: no line in {line}"
            );
            assert!(
                c.and_then(|c| c.parse::<u64>().ok()).is_some_and(|c| c > 0),
                "{name}: no column in {line}"
            );
        }
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/suite/snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_input_file(dir.join(&name));
        settings.bind(|| insta::assert_snapshot!(format!("bad_spec__{}", name.trim_end_matches(".yaml")), message));
    }
}

/// A response example is checked with the leniency the runtime decodes with (`wire::lenient`):
/// `"true"`, numbers and millisecond times as strings, an integer enum as a string, and
/// `"errcode": "0"` all decode, so none is an error. The same values in a request example are
/// (`example_bool_string.yaml`): a request shows what the client sends.
#[test]
fn a_response_example_is_checked_with_the_runtimes_leniency() {
    let module = r#"
module: lenient_examples
title: 宽松
enums:
  Status:
    type: int32
    values:
      - {value: 1, name: on, doc: 开}
endpoints:
  - id: lenient_get
    title: 宽松
    doc_url: https://example.invalid/doc
    method: POST
    host: oapi
    path: /topapi/lenient/get
    idempotent: true
    response:
      at: result
      type: object
      name: LenientReply
      fields:
        active: {type: bool}
        size: {type: int64}
        ratio: {type: float64}
        created: {type: unix_millis}
        status: {type: Status}
        count: {type: int32, wire: string}
    example:
      source: doc
      response: |
        {"errcode": "0", "errmsg": "ok", "result": {
          "active": "true", "size": "100", "ratio": "0.5", "created": "1507564800000",
          "status": "1", "count": 3}}
"#;
    let vendor_text = std::fs::read_to_string(workapi_mock::spec_dir().join("dingtalk/vendor.yaml")).unwrap();
    let raw = RawVendor {
        file: "spec/dingtalk/vendor.yaml".into(),
        vendor: parse_vendor("spec/dingtalk/vendor.yaml", &vendor_text).unwrap(),
        modules: vec![(
            "lenient_examples.yaml".into(),
            parse_module("lenient_examples.yaml", module).expect("the module parses"),
        )],
    };
    if let Err(problems) = workapi_codegen::model::resolve(&[raw]) {
        panic!("the runtime decodes every value of this example:\n{problems}");
    }
}

/// The command line's form: each problem with its source line and the token underlined, read
/// from the file the diagnostic names (`bad-specs/...`, relative to this crate).
#[test]
fn graphical_diagnostics_show_the_line_and_underline_the_token() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut shown = String::new();
    for name in [
        "unknown_key.yaml",
        "yaml_flow_unclosed.yaml",
        "example_in_block.yaml",
        "bad_example.yaml",
    ] {
        let text = std::fs::read_to_string(root.join("bad-specs").join(name)).unwrap();
        let problems = problems(name, &text);
        let graphical = workapi_codegen::diagnostics::graphical::render(&problems, root, false);
        // Every problem is shown with its own line number in the gutter and an underline.
        for d in &problems.0 {
            assert!(
                graphical.contains(&format!("{}:{}:{}", d.file, d.line, d.column)),
                "{graphical}"
            );
            assert!(graphical.contains(&format!("{} |", d.line)), "{graphical}");
        }
        assert!(graphical.matches('^').count() >= problems.0.len(), "{graphical}");
        shown.push_str(&graphical);
    }
    insta::assert_snapshot!("bad_spec_graphical", shown);
}

/// Every problem of a file at once, and nothing that is not one: in every real module file, an
/// unknown key is slipped in after each of its first three `idempotent:` lines, and one load of
/// the folder reports exactly those keys at their lines (the rest of each file still reads and
/// passes the model's checks, so the recovery made up no problem of its own).
#[test]
fn every_unknown_key_of_every_file_is_reported_in_one_run() {
    let spec = workapi_mock::spec_dir();
    let copy = Path::new(env!("CARGO_TARGET_TMPDIR")).join("unknown_keys/spec");
    let _ = std::fs::remove_dir_all(&copy);
    crate::support::copy_dir(&spec, &copy);
    let mut want: Vec<(String, u64, String)> = Vec::new();
    for vendor in ["dingtalk", "wecom"] {
        let mut files: Vec<_> = std::fs::read_dir(copy.join(vendor))
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "yaml") && !p.ends_with("vendor.yaml"))
            .collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
            let file = format!("spec/{vendor}/{}", path.file_name().unwrap().to_string_lossy());
            let mut n = 0;
            let mut i = 0;
            while i < lines.len() && n < 3 {
                if lines[i].trim_start().starts_with("idempotent:") {
                    let indent = lines[i].len() - lines[i].trim_start().len();
                    lines.insert(i + 1, format!("{}bogus_{n}: 1", " ".repeat(indent)));
                    want.push((file.clone(), (i + 2) as u64, format!("unknown key `bogus_{n}`")));
                    n += 1;
                    i += 1;
                }
                i += 1;
            }
            std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        }
    }
    assert!(!want.is_empty(), "no module file has an `idempotent:` line");
    let Err(problems) = workapi_codegen::load(&copy) else {
        panic!("the keys are not reported")
    };
    let found: Vec<(String, u64, String)> = problems
        .0
        .iter()
        .map(|d| {
            (
                d.file.clone(),
                d.line,
                d.message.split(',').next().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    want.sort();
    assert_eq!(found, want, "{problems}");
}
