//! Codegen speed: load (parse + resolve) and emit, for the real spec and for synthetic specs of
//! growing size, side by side in one run. Prints a Markdown table for `BENCHMARKS.md`.
//!
//! `cargo run -p workapi-codegen --example codegen_bench [--release] [-- N ...]`
//! (the default sizes are 100, 1000 and 5000 endpoints; `--release` is opt-level 3 like the
//! `[profile.dev.build-override]` that `build.rs` runs in).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const RUNS: usize = 3;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn measure(dir: &Path) -> (usize, Duration, Duration, usize) {
    let (mut loads, mut emits) = (Vec::new(), Vec::new());
    let (mut endpoints, mut bytes) = (0, 0);
    for _ in 0..RUNS {
        let t = Instant::now();
        let spec = workapi_codegen::load(dir).unwrap_or_else(|d| panic!("{d}"));
        loads.push(t.elapsed());
        let t = Instant::now();
        let files = workapi_codegen::emit::emit(&spec);
        emits.push(t.elapsed());
        endpoints = spec.vendors.iter().map(|v| v.endpoints().count()).sum();
        bytes = files.iter().map(|f| f.contents.len()).sum();
    }
    (endpoints, median(loads), median(emits), bytes)
}

fn synthetic(n: usize) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("workapi-codegen-bench-{}-{n}", std::process::id()));
    for (path, text) in workapi_codegen::synthetic::spec_files(n) {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().expect("a file in a folder")).expect("temp is writable");
        std::fs::write(p, text).expect("temp is writable");
    }
    dir
}

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![100, 1000, 5000] } else { sizes };
    let profile = if cfg!(debug_assertions) {
        "debug (opt-level 0)"
    } else {
        "optimised (opt-level 3)"
    };
    println!("codegen, {profile}, median of {RUNS} runs\n");
    println!("| spec | endpoints | load | emit | total | per endpoint | output |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let mut rows = vec![("real spec/".to_owned(), real.clone(), false)];
    rows.extend(sizes.iter().map(|n| (format!("synthetic {n}"), synthetic(*n), true)));
    for (name, dir, temp) in rows {
        let (endpoints, load, emit, bytes) = measure(&dir);
        let total = load + emit;
        println!(
            "| {name} | {endpoints} | {:.3} s | {:.3} s | {:.3} s | {:.2} ms | {:.1} MB |",
            load.as_secs_f64(),
            emit.as_secs_f64(),
            total.as_secs_f64(),
            total.as_secs_f64() * 1000.0 / endpoints as f64,
            bytes as f64 / 1e6
        );
        if temp {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
