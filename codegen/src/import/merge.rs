//! Re-importing pages over a module file people have edited: a three-way merge.
//!
//! A reviewed module differs from what the importer wrote: notes added, types renamed, page mistakes
//! corrected, guesses resolved. When the page changes, a fresh import knows the page's new state
//! but not those edits, and the module file knows the edits but not which of its lines came from
//! the page. So `--into` keeps, beside each module it writes, the importer's own output of that
//! time (`<vendor>/.imported/<module>.yaml`, the *base*). A re-import then merges line by line, as
//! `git merge` does: what the page changed since the base is applied, what people changed since
//! the base is kept, and where both changed the same lines the file gets conflict markers for a
//! person to settle (`check` points at each one until it is). The spec is written one key per line
//! for review, which is what makes a line merge precise here.
//!
//! The base folder's name starts with a dot, so the spec loader (which reads `*.yaml` files of a
//! vendor folder only) never mistakes a base for a module.

use super::{ImportError, ImportedFile};
use std::path::{Path, PathBuf};

/// The folder, inside each vendor folder, that holds the bases.
pub const BASE_DIR: &str = ".imported";

/// The first line of every base file: what it is, for the person who finds it in a diff.
const BASE_HEADER: &str = "# The importer's own output for this module when it was last imported (workapi-codegen import\n# --into): the base of the next re-import's three-way merge. Do not edit; its diff in a pull request\n# is what the vendor's pages changed.\n";

/// What `--into` did with one module file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The module did not exist: written as imported.
    New,
    /// The page changed nothing since the last import: the module file was left as it is.
    Unchanged,
    /// The page's changes were merged in and every edit since the last import kept.
    Merged,
    /// As `Merged`, but this many places were changed both by the page and by people; each is
    /// marked in the file for a person to settle.
    Conflicts(usize),
    /// Only the base was written (`--record-base`), for a module imported before bases were kept.
    BaseRecorded,
}

/// One module file `--into` handled.
#[derive(Debug, Clone)]
pub struct Written {
    /// The module file.
    pub path: PathBuf,
    /// What was done with it.
    pub outcome: Outcome,
}

/// Where the base of module file `rel` (`wecom/journal.yaml`) lives under the spec folder `into`.
pub fn base_path(into: &Path, rel: &str) -> PathBuf {
    let rel = Path::new(rel);
    let file = rel.file_name().unwrap_or(rel.as_os_str());
    match rel.parent() {
        Some(vendor) => into.join(vendor).join(BASE_DIR).join(file),
        None => into.join(BASE_DIR).join(file),
    }
}

/// Writes imported files under `into` (the spec folder): a new module as imported, an existing
/// one merged with the page's changes since its base (see the module docs). `record_base` writes
/// only the bases, for modules imported before bases were kept: run it with the pages as they were
/// when the module was last reviewed, and later re-imports merge against that.
pub fn write_into(into: &Path, files: &[ImportedFile], record_base: bool) -> Result<Vec<Written>, ImportError> {
    let mut written = Vec::new();
    for f in files {
        let path = into.join(&f.path);
        let base = base_path(into, &f.path);
        let outcome = if record_base {
            Outcome::BaseRecorded
        } else if !path.exists() {
            write(&path, &f.yaml)?;
            Outcome::New
        } else {
            let old_base = match std::fs::read_to_string(&base) {
                Ok(text) => strip_header(&text).to_owned(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(ImportError::NoBase {
                        path: path.display().to_string(),
                        base: base.display().to_string(),
                    });
                }
                Err(source) => {
                    return Err(ImportError::Read {
                        path: base.display().to_string(),
                        source,
                    });
                }
            };
            let ours = std::fs::read_to_string(&path).map_err(|source| ImportError::Read {
                path: path.display().to_string(),
                source,
            })?;
            if old_base == f.yaml {
                Outcome::Unchanged
            } else {
                let (merged, outcome) = merge(&old_base, &ours, &f.yaml);
                write(&path, &merged)?;
                outcome
            }
        };
        write(&base, &format!("{BASE_HEADER}{}", f.yaml))?;
        written.push(Written { path, outcome });
    }
    Ok(written)
}

/// Merges the page's changes (`base` -> `theirs`) into the module file (`ours`).
pub fn merge(base: &str, ours: &str, theirs: &str) -> (String, Outcome) {
    match diffy::merge(base, ours, theirs) {
        Ok(merged) => (merged, Outcome::Merged),
        Err(conflicted) => {
            // diffy's labels say "ours" and "theirs"; these say whose lines they are.
            let mut count = 0;
            let relabelled: Vec<String> = conflicted
                .split_inclusive('\n')
                .map(|line| {
                    let (text, end) = match line.strip_suffix('\n') {
                        Some(t) => (t, "\n"),
                        None => (line, ""),
                    };
                    let label = match text {
                        "<<<<<<< ours" => {
                            count += 1;
                            "<<<<<<< the spec (edits since the last import)"
                        }
                        "||||||| original" => "||||||| the last import",
                        ">>>>>>> theirs" => ">>>>>>> this import (the page now)",
                        other => other,
                    };
                    format!("{label}{end}")
                })
                .collect();
            (relabelled.concat(), Outcome::Conflicts(count))
        }
    }
}

/// A base file's text without [`BASE_HEADER`] (a base written by hand may lack it).
fn strip_header(text: &str) -> &str {
    text.strip_prefix(BASE_HEADER).unwrap_or(text)
}

fn write(path: &Path, text: &str) -> Result<(), ImportError> {
    path.parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(path, text))
        .map_err(|source| ImportError::Write {
            path: path.display().to_string(),
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_s_change_and_the_person_s_edit_both_land() {
        let base = "a:\n  doc: old\nb:\n  type: string\n";
        let ours = "a:\n  doc: old\nb:\n  type: string\n  note: checked by hand\n";
        let theirs = "a:\n  doc: new\nb:\n  type: string\n";
        let (merged, outcome) = merge(base, ours, theirs);
        assert_eq!(outcome, Outcome::Merged);
        assert_eq!(merged, "a:\n  doc: new\nb:\n  type: string\n  note: checked by hand\n");
    }

    #[test]
    fn a_line_both_changed_is_marked_with_whose_it_is() {
        let (merged, outcome) = merge("t: uint32\n", "t: unix_seconds\n", "t: uint64\n");
        assert_eq!(outcome, Outcome::Conflicts(1));
        assert!(merged.starts_with("<<<<<<< the spec (edits since the last import)\nt: unix_seconds\n"));
        assert!(merged.contains("||||||| the last import\nt: uint32\n"));
        assert!(merged.ends_with("t: uint64\n>>>>>>> this import (the page now)\n"));
    }

    #[test]
    fn a_base_sits_in_the_vendor_s_dot_folder() {
        assert_eq!(
            base_path(Path::new("spec"), "wecom/journal.yaml"),
            Path::new("spec/wecom/.imported/journal.yaml")
        );
    }
}
