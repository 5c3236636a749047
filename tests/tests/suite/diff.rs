//! `workapi-codegen diff`: copies of `spec/` with one edit each (a required request field, a removed
//! endpoint, an enum value, a tightened limit, a renamed field, a new wire name, pushed events), compared with the
//! spec itself. Each change's class and the exit decision are asserted; the Markdown is a snapshot.

mod keys;

use std::path::{Path, PathBuf};
use workapi_codegen::diff::{self, Bump, Class, Kind, Report};

/// The version the tests pretend the old spec shipped in (0.x rules).
const RELEASED: &str = "0.4.2";

/// A copy of `spec/` under the test target's temp folder, named after the test.
struct SpecCopy {
    dir: PathBuf,
}

impl SpecCopy {
    fn new(name: &str) -> SpecCopy {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff").join(name);
        let _ = std::fs::remove_dir_all(&dir);
        crate::support::copy_dir(&workapi_mock::spec_dir(), &dir);
        SpecCopy { dir }
    }

    /// Replaces the one occurrence of `from` in `file` (relative to the spec folder) with `to`.
    fn edit(&self, file: &str, from: &str, to: &str) -> &SpecCopy {
        crate::support::replace_once(&self.dir.join(file), from, to);
        self
    }

    /// Removes the endpoint `id` of a module file: from its `- id:` line to the next one.
    fn remove_endpoint(&self, file: &str, id: &str) -> &SpecCopy {
        let path = self.dir.join(file);
        let text = std::fs::read_to_string(&path).expect("read the spec file");
        let start = text
            .find(&format!("  - id: {id}\n"))
            .expect("the endpoint is in the file");
        let end = text[start + 1..].find("  - id: ").map_or(text.len(), |i| start + 1 + i);
        std::fs::write(&path, format!("{}{}", &text[..start], &text[end..])).expect("write the edited spec file");
        self
    }

    fn report(&self) -> Report {
        diff::compare_dirs(&workapi_mock::spec_dir(), &self.dir, RELEASED)
            .unwrap_or_else(|e| panic!("the edited spec must load: {e}"))
    }
}

impl Drop for SpecCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The one change of `kind`, with the endpoint it belongs to.
fn only(report: &Report, kind: Kind) -> &diff::Change {
    let found: Vec<_> = report.changes.iter().filter(|c| c.kind == kind).collect();
    assert_eq!(found.len(), 1, "one {kind:?} in {:#?}", report.changes);
    found[0]
}

const REPORT: &str = "dingtalk/report.yaml";

/// How many changes there are besides example edits (an edit that changes a field's wire
/// name also fixes the example that shows it, which the diff reports as documentation).
fn besides_examples(report: &Report) -> usize {
    report.changes.iter().filter(|c| c.kind != Kind::ExampleChanged).count()
}

/// A new required `dept_id` in `report_list`'s request, with the example request that must show it.
fn add_required_field(copy: &SpecCopy) {
    copy.edit(
        REPORT,
        "      spans:\n        - {from: start_time, to: end_time, max_days: 180}\n    response:\n      at: result\n      type: object\n      name: ReportPage",
        "        dept_id:\n          type: int64\n          required: true\n          doc: 部门ID。\n      spans:\n        - {from: start_time, to: end_time, max_days: 180}\n    response:\n      at: result\n      type: object\n      name: ReportPage",
    )
    .edit(
        REPORT,
        "\"userid\": \"user123\",\n          \"cursor\": 0,\n          \"size\": 10,\n          \"modified_start_time\"",
        "\"userid\": \"user123\",\n          \"dept_id\": 1,\n          \"cursor\": 0,\n          \"size\": 10,\n          \"modified_start_time\"",
    );
}

fn add_enum_value(copy: &SpecCopy) {
    copy.edit(
        REPORT,
        "      - {value: 2, name: liked, doc: 点赞人员列表}\n",
        "      - {value: 2, name: liked, doc: 点赞人员列表}\n      - {value: 3, name: shared, doc: 分享人员列表}\n",
    );
}

fn tighten_limit(copy: &SpecCopy) {
    copy.edit(
        REPORT,
        "          min: 1\n          max: 20\n          doc: 每页数据量,最大值为20。",
        "          min: 1\n          max: 10\n          doc: 每页数据量,最大值为20。",
    );
}

/// `remark` of a listed report becomes `memo`, in the table and in the example response.
fn rename_field(copy: &SpecCopy) {
    copy.edit(
        REPORT,
        "            remark:\n              type: string\n              doc: 备注。\n              example: 这是备注\n            template_name:\n              type: string\n              doc: 日志模板名称。\n              example: 日报",
        "            memo:\n              type: string\n              doc: 备注。\n              example: 这是备注\n            template_name:\n              type: string\n              doc: 日志模板名称。\n              example: 日报",
    )
    .edit(REPORT, "\"remark\": \"这是备注\",", "\"memo\": \"这是备注\",");
}

#[test]
fn the_spec_against_itself_is_empty() {
    let spec = workapi_mock::spec_dir();
    let report = diff::compare_dirs(&spec, &spec, RELEASED).expect("the spec loads");
    assert!(report.changes.is_empty(), "{:#?}", report.changes);
    assert_eq!(report.bump.bump, Bump::None);
    assert_eq!(report.exit_code(false), 0);
    assert!(diff::render::markdown(&report).contains("No semantic change"));
}

#[test]
fn a_new_required_request_field_breaks_the_constructor() {
    let copy = SpecCopy::new("required_field");
    add_required_field(&copy);
    let report = copy.report();
    let c = only(&report, Kind::FieldAdded);
    assert_eq!((c.class, c.endpoint.as_deref()), (Class::Breaking, Some("report_list")));
    assert_eq!(c.at.as_deref(), Some("request.body.dept_id"));
    assert!(c.reason.contains("ReportListRequest::new"), "{}", c.reason);
    assert_eq!(besides_examples(&report), 1, "{:#?}", report.changes);
    let example = only(&report, Kind::ExampleChanged);
    assert_eq!(example.class, Class::Compatible);
    assert_eq!(report.exit_code(false), 1);
    assert_eq!(report.exit_code(true), 0);
    assert_eq!(
        (report.bump.bump, report.bump.to.as_deref()),
        (Bump::Minor, Some("0.5.0"))
    );
    assert!(report.bump.reason.contains("0.x"), "{}", report.bump.reason);
}

#[test]
fn a_new_optional_request_field_is_compatible() {
    let copy = SpecCopy::new("optional_field");
    copy.edit(
        REPORT,
        "      spans:\n        - {from: start_time, to: end_time, max_days: 180}\n    response:\n      at: result\n      type: object\n      name: ReportPage",
        "        dept_id:\n          type: int64\n          doc: 部门ID。\n      spans:\n        - {from: start_time, to: end_time, max_days: 180}\n    response:\n      at: result\n      type: object\n      name: ReportPage",
    );
    let report = copy.report();
    assert_eq!(only(&report, Kind::FieldAdded).class, Class::Compatible);
    assert_eq!(report.exit_code(false), 0);
    assert_eq!(
        (report.bump.bump, report.bump.to.as_deref()),
        (Bump::Patch, Some("0.4.3"))
    );
}

#[test]
fn a_removed_endpoint_breaks() {
    let copy = SpecCopy::new("removed_endpoint");
    copy.remove_endpoint(REPORT, "report_getunreadcount");
    let report = copy.report();
    let c = only(&report, Kind::EndpointRemoved);
    assert_eq!(
        (c.class, c.endpoint.as_deref()),
        (Class::Breaking, Some("report_getunreadcount"))
    );
    assert_eq!(report.changes.len(), 1, "{:#?}", report.changes);
    assert_eq!(report.exit_code(false), 1);
}

#[test]
fn an_added_enum_value_is_compatible() {
    let copy = SpecCopy::new("enum_value");
    add_enum_value(&copy);
    let report = copy.report();
    let c = only(&report, Kind::EnumValueAdded);
    assert_eq!((c.class, c.new.as_deref()), (Class::Compatible, Some("3 (Shared)")));
    assert_eq!(report.changes.len(), 1, "{:#?}", report.changes);
    assert_eq!(report.exit_code(false), 0);
}

#[test]
fn a_tightened_request_limit_is_a_behaviour_change() {
    let copy = SpecCopy::new("limit");
    tighten_limit(&copy);
    let report = copy.report();
    let c = only(&report, Kind::LimitTightened);
    assert_eq!(c.class, Class::Behaviour);
    assert_eq!((c.old.as_deref(), c.new.as_deref()), (Some("max 20"), Some("max 10")));
    assert!(c.reason.contains("source-compatible"), "{}", c.reason);
    assert_eq!(report.changes.len(), 1, "{:#?}", report.changes);
    // Not breaking: the command passes, and the bump is still minor (users opt in).
    assert_eq!(report.exit_code(false), 0);
    assert_eq!(report.bump.bump, Bump::Minor);
}

#[test]
fn one_field_out_and_one_of_its_type_in_is_a_rename() {
    let copy = SpecCopy::new("rename");
    rename_field(&copy);
    let report = copy.report();
    let c = only(&report, Kind::FieldRenamed);
    assert_eq!(c.class, Class::Breaking);
    assert_eq!(c.at.as_deref(), Some("response.data_list[].memo"));
    assert_eq!((c.old.as_deref(), c.new.as_deref()), (Some("remark"), Some("memo")));
    assert_eq!(besides_examples(&report), 1, "{:#?}", report.changes);
    let example = only(&report, Kind::ExampleChanged);
    assert_eq!(example.class, Class::Compatible);
}

#[test]
fn a_new_wire_name_under_the_same_rust_name_is_a_behaviour_change() {
    let copy = SpecCopy::new("wire_name");
    copy.edit(
        REPORT,
        "                type:\n                  type: int32\n                  wire: string\n                  rust: field_type",
        "                kind:\n                  type: int32\n                  wire: string\n                  rust: field_type",
    )
    .edit(REPORT, "\"type\": \"0\"", "\"kind\": \"0\"");
    let report = copy.report();
    let c = only(&report, Kind::WireNameChanged);
    assert_eq!(c.class, Class::Behaviour);
    assert_eq!((c.old.as_deref(), c.new.as_deref()), (Some("type"), Some("kind")));
    assert_eq!(besides_examples(&report), 1, "{:#?}", report.changes);
    let example = only(&report, Kind::ExampleChanged);
    assert_eq!(example.class, Class::Compatible);
}

#[test]
fn snapshot_of_every_edit_at_once() {
    let copy = SpecCopy::new("all");
    add_required_field(&copy);
    copy.remove_endpoint(REPORT, "report_getunreadcount");
    add_enum_value(&copy);
    tighten_limit(&copy);
    rename_field(&copy);
    let report = copy.report();
    let classes: Vec<Class> = report.changes.iter().map(|c| c.class).collect();
    assert!(classes.is_sorted(), "breaking first, then behaviour, then compatible");
    assert_eq!(report.exit_code(false), 1);
    insta::assert_snapshot!("diff_markdown", diff::render::markdown(&report));
    let json: serde_json::Value = serde_json::from_str(&diff::render::json(&report)).expect("JSON output");
    assert_eq!(json["bump"]["bump"], "minor");
    assert_eq!(json["changes"].as_array().map(Vec::len), Some(report.changes.len()));
    assert_eq!(json["changes"][0]["class"], "breaking");
}

#[test]
fn base_revision_is_extracted_with_git() {
    let spec = workapi_mock::spec_dir();
    let in_git = std::process::Command::new("git")
        .arg("-C")
        .arg(&spec)
        .args(["rev-parse", "--verify", "--quiet", "HEAD"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !in_git {
        eprintln!(
            "SKIPPED base_revision_is_extracted_with_git: {} is not in a git checkout",
            spec.display()
        );
        return;
    }
    let at_head = diff::git::spec_at("HEAD", &spec).expect("spec/ at HEAD");
    let path = at_head.path().to_owned();
    assert!(path.join("dingtalk").join("vendor.yaml").is_file());
    // HEAD against itself: the extracted copy loads and nothing changed.
    let report = diff::compare_dirs(&path, &path, RELEASED).expect("spec/ at HEAD loads");
    assert!(report.changes.is_empty());
    drop(at_head);
    assert!(!path.exists(), "the temporary copy is removed when dropped");
    for bad in ["--output=/tmp/x", "no-such-revision-7f3a"] {
        let err = diff::git::spec_at(bad, &spec).expect_err("not a revision");
        assert!(matches!(err, diff::DiffError::Git(_)), "{err}");
    }
}

#[test]
fn pushed_events_removed_retargeted_and_retyped_are_classed() {
    let copy = SpecCopy::new("events");
    // org_dept_remove is removed; org_dept_modify answers another EventType.
    let file = "dingtalk/contact.yaml";
    let path = copy.dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("  - id: org_dept_remove\n").unwrap();
    let end = text[start + 1..].find("  - id: ").map_or(text.len(), |i| start + 1 + i);
    std::fs::write(&path, format!("{}{}", &text[..start], &text[end..])).unwrap();
    copy.edit(
        file,
        "    on: {EventType: org_dept_modify}\n",
        "    on: {EventType: org_dept_update}\n",
    )
    .edit(
        file,
        "\"EventType\": \"org_dept_modify\"",
        "\"EventType\": \"org_dept_update\"",
    );
    let report = copy.report();
    let removed = only(&report, Kind::EventRemoved);
    assert_eq!(
        (removed.class, removed.endpoint.as_deref()),
        (Class::Breaking, Some("event org_dept_remove"))
    );
    let moved = only(&report, Kind::EventDiscriminatorsChanged);
    assert_eq!(
        (moved.class, moved.old.as_deref(), moved.new.as_deref()),
        (
            Class::Behaviour,
            Some("EventType=org_dept_modify"),
            Some("EventType=org_dept_update")
        )
    );
    assert_eq!(report.changes.len(), 2, "{:#?}", report.changes);
    assert_eq!(report.exit_code(false), 1);

    // An event added back is compatible.
    let back = diff::compare_dirs(&copy.dir, &workapi_mock::spec_dir(), RELEASED).unwrap();
    let added = only(&back, Kind::EventAdded);
    assert_eq!(added.class, Class::Compatible);
}
