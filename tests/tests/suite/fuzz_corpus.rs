//! The checked-in fuzz corpora (`fuzz/corpus/<target>/`) replayed through the same checks the
//! cargo fuzz targets run (`fuzz/checks/`, included by path), on stable and without libFuzzer:
//! an input that once found a bug stays a test, and a check that regresses fails here.

#[path = "../../../fuzz/checks/mod.rs"]
mod checks;

use std::path::Path;

/// Runs `check` on every file of the target's corpus; returns how many files there were and how
/// many reached the accepting side.
fn replay(target: &str, check: fn(&[u8]) -> bool) -> (usize, usize) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let mut accepted = 0;
    for path in &files {
        let data = std::fs::read(path).unwrap();
        // A panic names the input, so it can be rerun with `cargo fuzz run <target> <file>`.
        match std::panic::catch_unwind(|| check(&data)) {
            Ok(yes) => accepted += usize::from(yes),
            Err(_) => panic!("{target}: {} fails its check", path.display()),
        }
    }
    (files.len(), accepted)
}

/// Both sides of a target are in its corpus: inputs it accepts and inputs it refuses.
fn assert_both_sides(target: &str, (files, accepted): (usize, usize)) {
    assert!(accepted > 0, "{target}: none of {files} corpus inputs is accepted");
    assert!(accepted < files, "{target}: all {files} corpus inputs are accepted");
}

#[test]
fn spec_structured_corpus() {
    assert_both_sides(
        "spec_structured",
        replay("spec_structured", checks::spec_structured::check),
    );
}

#[test]
fn spec_text_corpus() {
    assert_both_sides("spec_text", replay("spec_text", checks::spec_text::check));
}

#[test]
fn decode_corpus() {
    assert_both_sides("decode", replay("decode", checks::decode::check));
}

#[test]
fn callback_decrypt_corpus() {
    assert_both_sides("callback_decrypt", replay("callback_decrypt", checks::callback::check));
}

#[test]
fn events_corpus() {
    assert_both_sides("events", replay("events", checks::events::check));
}
