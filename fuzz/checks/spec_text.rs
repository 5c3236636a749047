//! `spec_text`: any bytes as a module file beside the real DingTalk `vendor.yaml`. Checked:
//! loading never panics, every problem is located, and a file it accepts emits Rust that passes
//! [`super::emitted::check`].

use std::sync::OnceLock;
use workapi_codegen::spec::load::{RawVendor, parse_module_all, parse_vendor};
use workapi_codegen::spec::raw::VendorFile;

/// The real `spec/dingtalk/vendor.yaml`, read once.
fn vendor_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/dingtalk/vendor.yaml");
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
    })
}

fn vendor() -> VendorFile {
    parse_vendor("spec/dingtalk/vendor.yaml", vendor_text()).unwrap_or_else(|d| panic!("the real vendor.yaml: {d}"))
}

/// Runs the target on one input; true if the file was accepted (and its output checked).
pub fn check(data: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(data) else {
        return false;
    };
    // Read on past problems as the build does, so the recovery's text edits are fuzzed too.
    let parsed = parse_module_all("spec/dingtalk/fuzz.yaml", text);
    for d in &parsed.problems {
        assert!(d.line > 0 || !d.message.is_empty(), "an unlocated, empty parse error");
    }
    let accepted = parsed.problems.is_empty();
    let Some(module) = parsed.value else {
        return false;
    };
    // The file is named after its module, as a spec folder's would be, so a good file can pass;
    // a name that cannot be a file name keeps `fuzz.yaml`, and the mismatch is reported.
    let name = &module.module.value;
    let stem = if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        name.as_str()
    } else {
        "fuzz"
    };
    let raw = RawVendor {
        file: "spec/dingtalk/vendor.yaml".into(),
        vendor: vendor(),
        modules: vec![(format!("spec/dingtalk/{stem}.yaml"), module)],
    };
    match workapi_codegen::model::resolve(&[raw]) {
        Ok(spec) if accepted => {
            super::emitted::check(&spec);
            true
        }
        Ok(_) => false,
        Err(problems) => {
            for d in &problems.0 {
                assert!(d.line > 0 && d.column > 0, "a problem without a place: {d}");
            }
            false
        }
    }
}
