//! workapi-codegen: the spec folder in, Rust source out.
//!
//! The pipeline is the folder layout: [`spec`] reads the YAML (located syntax errors),
//! [`model`] resolves and checks it into a small model (located semantic errors), and [`emit`]
//! turns the model into formatted Rust. `generated-client/build.rs` calls [`generate`]; the
//! `workapi-codegen` binary wraps the same functions for people working on the spec. Beside the
//! pipeline, [`import`] turns vendor documentation pages into spec YAML for a person to review.

pub mod coverage;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod features;
pub mod import;
pub mod model;
pub mod openapi;
pub mod spec;
pub mod synthetic;

pub use diagnostics::{Diagnostic, Diagnostics};
use std::path::Path;

/// Loads, checks and resolves the spec folder (the one holding `dingtalk/`, `wecom/`, ...).
pub fn load(spec_dir: &Path) -> Result<model::Spec, Diagnostics> {
    // Every file that read (even after a problem) still gets the model's checks, so one run
    // reports every problem of the spec.
    let loaded = spec::load::load_dir(spec_dir);
    let mut problems = loaded.problems;
    match model::resolve(&loaded.vendors) {
        Ok(spec) => problems.into_result(spec),
        Err(more) => {
            problems.0.extend(more.0);
            Err(problems.sorted())
        }
    }
}

/// Loads the spec folder and emits every generated file, as `(relative path, contents)` pairs in
/// a fixed order.
pub fn generate(spec_dir: &Path) -> Result<Vec<emit::GeneratedFile>, Diagnostics> {
    let spec = load(spec_dir)?;
    Ok(emit::emit(&spec))
}
