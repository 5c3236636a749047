//! Runs the codegen over the spec into `OUT_DIR`: only the vendors and modules whose cargo
//! features are on, and only files whose text changed, so a build with one module pays for one
//! module and an unchanged spec recompiles nothing. A bad spec fails the build with every problem
//! as `spec/<vendor>/<module>.yaml:line:col: message`.
//!
//! The spec is `spec/` beside this file: a link to the workspace's `spec/` in the repository, the
//! files themselves in the published crate. `WORKAPI_SPEC_DIR` points it elsewhere (benchmarks
//! build the crate from a synthetic spec that way).

use std::collections::HashMap;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=WORKAPI_SPEC_DIR");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let spec = std::env::var_os("WORKAPI_SPEC_DIR").map_or_else(|| manifest.join("spec"), PathBuf::from);
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let spec_model = match workapi_codegen::load(&spec) {
        Ok(s) => s,
        Err(problems) => {
            // Cargo prints a failed script's output; keep it to the problems. A failed build script
            // always runs again, so it needs no rerun-if-changed lines.
            eprintln!("the spec has {} problem(s):\n{problems}", problems.0.len());
            std::process::exit(1);
        }
    };
    let enabled = |feature: &str| {
        let var = format!("CARGO_FEATURE_{}", feature.to_uppercase().replace('-', "_"));
        std::env::var_os(var).is_some()
    };
    // With some vendors or modules left out, runtime helpers that only those use are unused by
    // design; `workapi_partial` lets lib.rs silence that, while the full build still reports dead code.
    println!("cargo::rustc-check-cfg=cfg(workapi_partial)");
    let all_on = spec_model
        .vendors
        .iter()
        .all(|v| enabled(&v.name) && v.modules.iter().all(|m| enabled(&workapi_codegen::emit::feature(v, m))));
    if !all_on {
        println!("cargo::rustc-cfg=workapi_partial");
    }
    // A file whose fingerprint (of its part of the model, and of this build script, which holds
    // the codegen) matches the one recorded when it was written is current: not made again.
    let ledger = out.join("fingerprints.txt");
    let recorded: HashMap<String, u64> = std::fs::read_to_string(&ledger)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            l.split_once(' ')
                .and_then(|(h, p)| Some((p.to_owned(), h.parse().ok()?)))
        })
        .collect();
    let codegen = codegen_identity();
    let mut ledger_text = String::new();
    for planned in workapi_codegen::emit::plan(&spec_model, &enabled) {
        let fingerprint = planned.fingerprint ^ codegen;
        let path = out.join(&planned.path);
        ledger_text.push_str(&format!("{fingerprint} {}\n", planned.path));
        if recorded.get(&planned.path) == Some(&fingerprint) && path.exists() {
            continue;
        }
        let file = planned.render();
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("OUT_DIR is writable");
        }
        // Rewrite only on change so an unchanged file does not recompile the crate.
        if std::fs::read_to_string(&path).ok().as_deref() != Some(file.contents.as_str()) {
            std::fs::write(&path, &file.contents).expect("OUT_DIR is writable");
        }
    }
    std::fs::write(&ledger, ledger_text).expect("OUT_DIR is writable");
    for path in workapi_codegen::spec::load::watched_paths(&spec) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}

/// Which build of the codegen this is: size and modification time of this build script's
/// executable, which cargo rebuilds whenever the codegen changes.
fn codegen_identity() -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    if let Ok(meta) = std::env::current_exe().and_then(std::fs::metadata) {
        meta.len().hash(&mut h);
        meta.modified().ok().hash(&mut h);
    }
    h.finish()
}
