//! `workapi-codegen`: the command line around the spec.
//!
//! - `check`: validate the spec; every problem with its source line and the token underlined
//!   (`--plain`: one `file:line:col: message` line each), exit 1 if any.
//! - `generate --out DIR`: write the generated Rust into DIR (what `build.rs` does into OUT_DIR).
//! - `endpoints`: list every endpoint (vendor, id, method, path) for a quick review.
//! - `import PAGE.md... [--into DIR [--record-base]] [--module NAME]`: vendor doc pages to spec YAML
//!   (stdout, or module files under DIR, an existing one merged with the edits made since its last
//!   import), every guess marked `# TODO(import):`. DingTalk event pages become `events:` entries.
//! - `diff OLD NEW` / `diff --base REV`: what changed between two specs, classed breaking or not;
//!   Markdown (or `--json`), exit 1 when something breaks unless `--allow-breaking`.
//! - `coverage [--corpus DIR]`: the spec's endpoints against the vendor-docs corpus, per vendor and
//!   module (Markdown, `--summary` for the totals only, or `--json`).
//! - `openapi [--vendor NAME] [--out PATH]`: the spec as OpenAPI 3.1 JSON, one document per vendor.

use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "workapi-codegen",
    about = "Check the workapi spec and generate the client from it"
)]
struct Cli {
    /// The spec folder (the one holding dingtalk/, wecom/, ...).
    #[arg(long, global = true, default_value = "spec")]
    spec: PathBuf,
    /// Problems as one `file:line:col: message` line each, instead of with their source line.
    #[arg(long, global = true)]
    plain: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate the spec and report every problem with its location.
    Check,
    /// Write the generated Rust files into a folder.
    Generate {
        /// Where to write (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
    /// List every endpoint of the spec.
    Endpoints,
    /// Import vendor documentation pages (Markdown) as spec YAML.
    Import {
        /// The pages (files of ../shared/vendor-docs/).
        #[arg(required = true)]
        pages: Vec<PathBuf>,
        /// Write the module files under this spec folder instead of printing them. A module that
        /// exists is merged: the page's changes since the last import are applied, and the edits
        /// made since are kept (the last import is kept in `<vendor>/.imported/`).
        #[arg(long)]
        into: Option<PathBuf>,
        /// With --into: write only the bases (`<vendor>/.imported/`) of modules imported before
        /// bases were kept, from the pages as they were at the module's last review.
        #[arg(long, requires = "into")]
        record_base: bool,
        /// The module to put every endpoint in (default: the first segment of each request path).
        #[arg(long)]
        module: Option<String>,
    },
    /// Compare two spec folders, or the spec at a git revision with the working tree's, and class
    /// every change as breaking, behaviour or compatible for users of `workapi`. Exits 1 when
    /// something breaks (unless --allow-breaking), 2 when the specs cannot be compared.
    Diff(DiffArgs),
    /// Count the spec's endpoints against the vendor documentation corpus, per vendor and module.
    Coverage(CoverageArgs),
    /// Write the spec as OpenAPI 3.1 JSON, one document per vendor.
    Openapi(OpenapiArgs),
}

/// `println!` that stops quietly when the reader has gone (`| head`): `println!` panics on a
/// closed pipe.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        if let Err(e) = writeln!(out, $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            eprintln!("cannot write to stdout: {e}");
            std::process::exit(1);
        }
    }};
}

/// Every problem: with its source line and the token underlined, or one line each (`--plain`).
fn show(problems: &workapi_codegen::Diagnostics, spec: &std::path::Path, plain: bool) {
    if plain {
        eprintln!("{problems}");
        return;
    }
    // Diagnostics name files relative to the folder that holds the spec folder.
    let root = spec.parent().unwrap_or(std::path::Path::new(""));
    let color = std::io::stderr().is_terminal();
    eprint!(
        "{}",
        workapi_codegen::diagnostics::graphical::render(problems, root, color)
    );
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The importer does not need the spec folder to load.
    if let Command::Import {
        pages,
        into,
        module,
        record_base,
    } = &cli.command
    {
        return import(pages, into.as_deref(), module.as_deref(), *record_base);
    }
    if let Command::Diff(args) = &cli.command {
        return diff(&cli.spec, args);
    }
    let spec = match workapi_codegen::load(&cli.spec) {
        Ok(spec) => spec,
        Err(problems) => {
            show(&problems, &cli.spec, cli.plain);
            eprintln!("{} problem(s) in {}", problems.0.len(), cli.spec.display());
            return ExitCode::FAILURE;
        }
    };
    match cli.command {
        Command::Check => {
            // Beside the spec in this repository: the crate whose features must list every module.
            let manifest_path = cli.spec.join("../generated-client/Cargo.toml");
            if let Ok(manifest) = std::fs::read_to_string(&manifest_path) {
                let problems =
                    workapi_codegen::features::missing_features(&spec, &manifest, &manifest_path.display().to_string());
                if !problems.is_empty() {
                    // The manifest's path is as given, not under the spec's parent.
                    let root = std::path::Path::new("");
                    let problems_all = workapi_codegen::Diagnostics(problems.clone());
                    if cli.plain {
                        eprintln!("{problems_all}");
                    } else {
                        let color = std::io::stderr().is_terminal();
                        eprint!(
                            "{}",
                            workapi_codegen::diagnostics::graphical::render(&problems_all, root, color)
                        );
                    }
                    eprintln!("{} problem(s) in {}", problems.len(), cli.spec.display());
                    return ExitCode::FAILURE;
                }
            }
            let endpoints: usize = spec.vendors.iter().map(|v| v.endpoints().count()).sum();
            let events: usize = spec
                .vendors
                .iter()
                .flat_map(|v| &v.modules)
                .map(|m| m.events.len())
                .sum();
            say!(
                "ok: {} vendors, {endpoints} endpoints, {events} events",
                spec.vendors.len()
            );
        }
        Command::Generate { out } => {
            for file in workapi_codegen::emit::emit(&spec) {
                let path = out.join(&file.path);
                let written = path
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::write(&path, &file.contents));
                if let Err(e) = written {
                    eprintln!("{}: cannot write: {e}", path.display());
                    return ExitCode::FAILURE;
                }
                say!("{} <- {}", path.display(), file.source);
            }
        }
        Command::Import { .. } => {}
        Command::Diff(_) => {}
        Command::Coverage(args) => return coverage(&spec, &args),
        Command::Openapi(args) => return openapi(&spec, &args),
        Command::Endpoints => {
            for v in &spec.vendors {
                for (m, e) in v.endpoints() {
                    let method = match e.method {
                        workapi_codegen::model::Method::Get => "GET",
                        workapi_codegen::model::Method::Post => "POST",
                    };
                    say!("{:<9} {:<16} {:<52} {method:<4} {}", v.name, m.name, e.id, e.path);
                }
            }
        }
    }
    ExitCode::SUCCESS
}

fn import(pages: &[PathBuf], into: Option<&std::path::Path>, module: Option<&str>, record_base: bool) -> ExitCode {
    use workapi_codegen::import::{self, merge::Outcome};
    let files = match import::import_files(pages, module) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let Some(dir) = into else {
        let shown: Vec<String> = files
            .iter()
            .map(|f| format!("# file: {}\n{}", f.path, f.yaml))
            .collect();
        say!("{}", shown.join("\n---\n"));
        return ExitCode::SUCCESS;
    };
    let written = match import::merge::write_into(dir, &files, record_base) {
        Ok(written) => written,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let mut conflicts = 0;
    for w in &written {
        let path = w.path.display();
        match w.outcome {
            Outcome::New => say!("wrote {path} (new)"),
            Outcome::Unchanged => say!("kept {path} (the pages changed nothing since the last import)"),
            Outcome::Merged => say!("merged {path} (the pages' changes applied, the edits since the last import kept)"),
            Outcome::Conflicts(n) => {
                conflicts += n;
                say!(
                    "merged {path} with {n} conflict(s): lines changed both by the pages and by hand, marked <<<<<<< ... >>>>>>>"
                );
            }
            Outcome::BaseRecorded => say!("recorded the base of {path}"),
        }
    }
    if conflicts > 0 {
        eprintln!("{conflicts} conflict(s) to settle: keep the right lines, delete the markers, then run `check`");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

#[derive(clap::Args)]
struct DiffArgs {
    /// The old spec folder.
    #[arg(required_unless_present = "base", conflicts_with = "base")]
    old: Option<PathBuf>,
    /// The new spec folder.
    #[arg(required_unless_present = "base", conflicts_with = "base")]
    new: Option<PathBuf>,
    /// Compare `--spec` at this git revision (e.g. origin/main) with `--spec` in the working tree.
    #[arg(long)]
    base: Option<String>,
    /// Print JSON instead of Markdown.
    #[arg(long)]
    json: bool,
    /// Exit 0 even when something breaks.
    #[arg(long)]
    allow_breaking: bool,
    /// The workapi version the old spec shipped in, for the suggested bump (the workspace's
    /// crates share one version).
    #[arg(long, default_value = env!("CARGO_PKG_VERSION"))]
    released: String,
}

fn diff(spec: &std::path::Path, args: &DiffArgs) -> ExitCode {
    use workapi_codegen::diff::{self, Against};
    let against = match (&args.base, &args.old, &args.new) {
        (Some(rev), _, _) => Against::Base { rev, spec_dir: spec },
        (None, Some(old), Some(new)) => Against::Dirs(old, new),
        // clap requires --base or both folders.
        _ => return ExitCode::from(2),
    };
    match diff::run(against, &args.released) {
        Ok(report) => {
            let render = if args.json {
                diff::render::json
            } else {
                diff::render::markdown
            };
            say!("{}", render(&report));
            ExitCode::from(report.exit_code(args.allow_breaking))
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

#[derive(clap::Args)]
struct CoverageArgs {
    /// The vendor-docs folder (the one holding wecom/ and dingtalk/).
    #[arg(long, default_value = "../shared/vendor-docs")]
    corpus: PathBuf,
    /// Print JSON instead of Markdown.
    #[arg(long)]
    json: bool,
    /// Print only the table of vendor totals.
    #[arg(long, conflicts_with = "json")]
    summary: bool,
}

fn coverage(spec: &workapi_codegen::model::Spec, args: &CoverageArgs) -> ExitCode {
    use workapi_codegen::coverage::{self, render};
    match coverage::measure(spec, &args.corpus) {
        Ok(c) => {
            let render = match (args.json, args.summary) {
                (true, _) => render::json,
                (false, true) => render::summary,
                (false, false) => render::markdown,
            };
            say!("{}", render(&c).trim_end());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

#[derive(clap::Args)]
struct OpenapiArgs {
    /// Only this vendor's document (a folder name under --spec, e.g. dingtalk).
    #[arg(long)]
    vendor: Option<String>,
    /// With --vendor (or a spec of one vendor): the file to write. Otherwise a folder, which gets
    /// `<vendor>.openapi.json` per vendor. Without --out, the one document goes to stdout.
    #[arg(long)]
    out: Option<PathBuf>,
}

fn openapi(spec: &workapi_codegen::model::Spec, args: &OpenapiArgs) -> ExitCode {
    use workapi_codegen::openapi;
    let mut docs = match openapi::documents(spec) {
        Ok(docs) => docs,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let names: Vec<String> = docs.iter().map(|(n, _)| n.clone()).collect();
    if let Some(v) = &args.vendor {
        docs.retain(|(n, _)| n == v);
        if docs.is_empty() {
            eprintln!("no vendor '{v}' in the spec; it has: {}", names.join(", "));
            return ExitCode::FAILURE;
        }
    }
    let written = match (&args.out, docs.as_slice()) {
        (None, [(_, doc)]) => {
            // Written, not `print!`ed: a reader that stops early (`| head`) is no panic.
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            let ok = out
                .write_all(openapi::to_text(doc).as_bytes())
                .and_then(|()| out.flush());
            return if ok.is_ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
        (None, _) => {
            eprintln!(
                "the spec has {} vendors ({}): pick one with --vendor, or write them all with --out DIR",
                docs.len(),
                names.join(", ")
            );
            return ExitCode::FAILURE;
        }
        (Some(file), [(_, doc)]) if args.vendor.is_some() || names.len() == 1 => {
            std::fs::write(file, openapi::to_text(doc)).map(|()| vec![file.clone()])
        }
        (Some(dir), _) => std::fs::create_dir_all(dir).and_then(|()| {
            docs.iter()
                .map(|(name, doc)| {
                    let path = dir.join(format!("{name}.openapi.json"));
                    std::fs::write(&path, openapi::to_text(doc)).map(|()| path)
                })
                .collect()
        }),
    };
    match written {
        Ok(paths) => {
            for p in paths {
                say!("wrote {}", p.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot write the OpenAPI document: {e}");
            ExitCode::FAILURE
        }
    }
}
