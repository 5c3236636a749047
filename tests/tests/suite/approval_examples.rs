//! The 审批 pages end in an appendix with one example per control kind (a `value` of apply_data, or a
//! template `config`); the spec keeps one example per endpoint. This checks every appendix example,
//! read from the real `../shared/vendor-docs/` when it is there: each decodes into the spec's typed
//! shape for it and re-encodes to equal JSON, so no control kind is unchecked.

use super::page_examples::request_examples;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use workapi::wecom::approval;

/// The folder of WeCom's 审批 pages in the corpus beside the repository.
fn approval_pages() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/vendor-docs/wecom/001-企业内部开发/002-服务端API/032-审批")
}

/// A check of one appendix example against the spec's type for it.
type Check = fn(&str, &Value) -> Result<(), String>;

/// The `Check` for type `$t`: decode the example as `$t`, encode it back, compare.
macro_rules! round_trip {
    ($t:ty) => {
        |page: &str, example: &Value| -> Result<(), String> {
            let typed: $t = serde_json::from_value(example.clone()).map_err(|e| format!("{page}: {e}\n{example}"))?;
            let back = serde_json::to_value(&typed).map_err(|e| format!("{page}: {e}"))?;
            if &back == example {
                Ok(())
            } else {
                Err(format!("{page}: does not round-trip\nsent: {example}\nback: {back}"))
            }
        }
    };
}

/// The documented correction (a `note` on `ApplyValue.date` in spec/wecom/approval.yaml): the Date
/// example of 获取审批申请详情 leaves out the `date` key that its own table and 提交审批申请 put the
/// fields under.
fn correct(example: &mut Value) {
    if example.get("s_timestamp").is_some() && example.get("date").is_none() {
        *example = json!({ "date": example.take() });
    }
}

#[test]
fn every_control_example_of_the_approval_pages_round_trips() {
    let dir = approval_pages();
    if !dir.exists() {
        crate::support::skipped("the approval page examples", &format!("{} is not there", dir.display()));
        return;
    }
    // Page, the type of its appendix examples, and how many JSON examples without `errcode` the
    // page has; the first is the endpoint's own request (the conformance test checks it), the rest
    // are the appendix. A page whose examples stop parsing fails on the count instead of checking nothing.
    let pages: [(&str, Check, usize); 4] = [
        ("002-获取审批模板详情.md", round_trip!(approval::ControlConfig), 7),
        ("003-提交审批申请.md", round_trip!(approval::ApplyValue), 16),
        ("006-获取审批申请详情.md", round_trip!(approval::ApplyValue), 19),
        ("012-创建审批模板.md", round_trip!(approval::ControlConfigInput), 11),
    ];
    let mut failures = Vec::new();
    for (file, check, expected) in pages {
        let text = std::fs::read_to_string(dir.join(file)).expect("read a corpus page");
        let mut examples = request_examples(&text);
        assert_eq!(examples.len(), expected, "{file}: JSON examples found");
        examples.iter_mut().for_each(correct);
        failures.extend(examples.iter().skip(1).filter_map(|e| check(file, e).err()));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
