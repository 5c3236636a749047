//! Every file in `tests/bad-specs/` is a broken spec file; each must fail with a located error,
//! and the message is locked by a snapshot. `vendor_*.yaml` files stand in for a `vendor.yaml`;
//! the others are module files, checked beside the real DingTalk `vendor.yaml`.

use std::path::Path;
use workapi_codegen::spec::load::{RawVendor, parse_module, parse_vendor};

fn check(name: &str, text: &str) -> String {
    problems(name, text).to_string()
}

/// Every problem of the bad spec `name`, whose text is `text`.
fn problems(name: &str, text: &str) -> workapi_codegen::Diagnostics {
    let real_vendor_path = workapi_mock::spec_dir().join("dingtalk/vendor.yaml");
    let real_vendor = std::fs::read_to_string(real_vendor_path).unwrap();
    let display = format!("bad-specs/{name}");
    let raw = if name.starts_with("vendor_") {
        parse_vendor(&display, text).map(|vendor| RawVendor {
            file: display.clone(),
            vendor,
            modules: vec![],
        })
    } else {
        let stem = name.trim_end_matches(".yaml");
        let module_file = format!("bad-specs/{stem}.yaml");
        parse_module(&module_file, text).map(|m| RawVendor {
            file: "spec/dingtalk/vendor.yaml".into(),
            vendor: parse_vendor("spec/dingtalk/vendor.yaml", &real_vendor).unwrap(),
            modules: vec![(module_file.clone(), m)],
        })
    };
    match raw {
        Err(d) => d.into(),
        Ok(raw) => match workapi_codegen::model::resolve(&[raw]) {
            Ok(_) => panic!("{name} is in bad-specs/ but loads without error"),
            Err(d) => d,
        },
    }
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
