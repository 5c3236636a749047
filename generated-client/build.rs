//! Runs the codegen over `spec/` into `OUT_DIR`. A bad spec fails the build with every problem
//! as `spec/<vendor>/<module>.yaml:line:col: message`.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let spec = manifest.join("..").join("spec");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for path in workapi_codegen::spec::load::watched_paths(&spec) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    let files = match workapi_codegen::generate(&spec) {
        Ok(files) => files,
        Err(problems) => {
            eprintln!("the spec has {} problem(s):\n{problems}", problems.0.len());
            std::process::exit(1);
        }
    };
    for file in files {
        let path = out.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("OUT_DIR is writable");
        }
        // Rewrite only on change so an unchanged spec does not recompile the crate.
        if std::fs::read_to_string(&path).ok().as_deref() != Some(file.contents.as_str()) {
            std::fs::write(&path, &file.contents).expect("OUT_DIR is writable");
        }
    }
}
