//! `workapi-codegen`: the command line around the spec.
//!
//! - `check`: validate the spec; every problem as `file:line:col: message`, exit 1 if any.
//! - `generate --out DIR`: write the generated Rust into DIR (what `build.rs` does into OUT_DIR).
//! - `endpoints`: list every endpoint (vendor, id, method, path) for a quick review.
//! - `import PAGE.md... [--into DIR] [--module NAME]`: vendor doc pages to spec YAML (stdout, or
//!   new module files under DIR), every guess marked `# TODO(import):`.

use clap::{Parser, Subcommand};
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
        /// Write new module files under this spec folder instead of printing them.
        #[arg(long)]
        into: Option<PathBuf>,
        /// The module to put every endpoint in (default: the first segment of each request path).
        #[arg(long)]
        module: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The importer does not need the spec folder to load.
    if let Command::Import { pages, into, module } = &cli.command {
        return import(pages, into.as_deref(), module.as_deref());
    }
    let spec = match workapi_codegen::load(&cli.spec) {
        Ok(spec) => spec,
        Err(problems) => {
            eprintln!("{problems}");
            eprintln!("{} problem(s) in {}", problems.0.len(), cli.spec.display());
            return ExitCode::FAILURE;
        }
    };
    match cli.command {
        Command::Check => {
            let endpoints: usize = spec.vendors.iter().map(|v| v.endpoints().count()).sum();
            println!("ok: {} vendors, {endpoints} endpoints", spec.vendors.len());
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
                println!("{} <- {}", path.display(), file.source);
            }
        }
        Command::Import { .. } => {}
        Command::Endpoints => {
            for v in &spec.vendors {
                for (m, e) in v.endpoints() {
                    let method = match e.method {
                        workapi_codegen::model::Method::Get => "GET",
                        workapi_codegen::model::Method::Post => "POST",
                    };
                    println!("{:<9} {:<16} {:<52} {method:<4} {}", v.name, m.name, e.id, e.path);
                }
            }
        }
    }
    ExitCode::SUCCESS
}

fn import(pages: &[PathBuf], into: Option<&std::path::Path>, module: Option<&str>) -> ExitCode {
    use workapi_codegen::import;
    let written = import::import_files(pages, module).and_then(|files| match into {
        Some(dir) => import::write_into(dir, &files)
            .map(|paths| paths.iter().map(|p| format!("wrote {}", p.display())).collect()),
        None => Ok(files
            .iter()
            .map(|f| format!("# file: {}\n{}", f.path, f.yaml))
            .collect::<Vec<_>>()),
    });
    match written {
        Ok(lines) => {
            println!("{}", lines.join("\n---\n"));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
