//! Finding and parsing the spec files of a folder.

use super::raw::{ModuleFile, VendorFile};
use super::recover;
use crate::diagnostics::{Diagnostic, Diagnostics};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

/// The name of the file in each vendor folder that holds what its endpoints share.
pub const VENDOR_FILE: &str = "vendor.yaml";

/// One vendor folder as parsed: its shared file and its module files, in file-name order.
#[derive(Debug)]
pub struct RawVendor {
    /// Display path of `vendor.yaml`.
    pub file: String,
    /// The parsed `vendor.yaml`.
    pub vendor: VendorFile,
    /// `(display path, parsed file)` for each module, sorted by path.
    pub modules: Vec<(String, ModuleFile)>,
}

/// A file read as far as it goes: every problem found in it, and its value when the rest of the
/// file reads once the keys those problems are about are left out.
#[derive(Debug)]
pub struct Parsed<T> {
    /// The file without the reported keys; `None` when a problem stopped the reading.
    pub value: Option<T>,
    /// Every problem found, in the order found.
    pub problems: Vec<Diagnostic>,
}

impl<T> Parsed<T> {
    /// The value when the file had no problem at all, else its first problem.
    pub fn into_result(self) -> Result<T, Diagnostic> {
        match (self.value, self.problems.into_iter().next()) {
            (Some(v), None) => Ok(v),
            (_, Some(d)) => Err(d),
            (None, None) => unreachable!("a parse that yields nothing records why"),
        }
    }
}

/// Parses text as a `vendor.yaml`; `file` is the path to name in errors. The first problem only:
/// [`parse_vendor_all`] reports every one.
pub fn parse_vendor(file: &str, text: &str) -> Result<VendorFile, Diagnostic> {
    parse_all(file, text).into_result()
}

/// Parses text as a module file; `file` is the path to name in errors. The first problem only:
/// [`parse_module_all`] reports every one.
pub fn parse_module(file: &str, text: &str) -> Result<ModuleFile, Diagnostic> {
    parse_all(file, text).into_result()
}

/// Parses text as a `vendor.yaml`, reporting every problem it can reach (see [`recover`]).
pub fn parse_vendor_all(file: &str, text: &str) -> Parsed<VendorFile> {
    parse_all(file, text)
}

/// Parses text as a module file, reporting every problem it can reach (see [`recover`]).
pub fn parse_module_all(file: &str, text: &str) -> Parsed<ModuleFile> {
    parse_all(file, text)
}

/// How many problems one file may report before the rest are left for the next run: each costs
/// a parse of the file.
const MAX_PROBLEMS_PER_FILE: usize = 50;

/// Parses, and on a problem at a key (unknown, or a value of the wrong kind) reports it, leaves
/// that key out and parses again, so one run names every such problem of the file and the rest of
/// the file still gets its later checks.
fn parse_all<T: DeserializeOwned>(file: &str, text: &str) -> Parsed<T> {
    let conflicts = merge_conflicts(file, text);
    if !conflicts.is_empty() {
        return Parsed {
            value: None,
            problems: conflicts,
        };
    }
    let mut text = std::borrow::Cow::Borrowed(text);
    let mut problems: Vec<Diagnostic> = Vec::new();
    // Keys left out because their value was wrong: a "missing key" for one of them is the same
    // problem again.
    let mut dropped: Vec<String> = Vec::new();
    loop {
        let problem = match parse(file, &text) {
            Ok(value) => {
                return Parsed {
                    value: Some(value),
                    problems,
                };
            }
            Err(problem) => problem,
        };
        if dropped
            .iter()
            .any(|key| problem.message == format!("missing key `{key}`"))
        {
            return Parsed { value: None, problems };
        }
        let left_out = if problems.len() + 1 < MAX_PROBLEMS_PER_FILE {
            recover::leave_out(&text, &problem)
        } else {
            None
        };
        problems.push(problem);
        match left_out {
            Some((shorter, key, kind)) => {
                if kind == recover::Kind::WrongValue {
                    dropped.push(key);
                }
                text = std::borrow::Cow::Owned(shorter);
            }
            None => return Parsed { value: None, problems },
        }
    }
}

/// The conflict markers a re-import (or a `git merge`) left in the file, one problem per conflict:
/// YAML would read them as text, and the error would not say what happened.
fn merge_conflicts(file: &str, text: &str) -> Vec<Diagnostic> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.starts_with("<<<<<<< ") || *line == "<<<<<<<")
        .map(|(i, _)| Diagnostic {
            file: file.to_owned(),
            line: i as u64 + 1,
            column: 1,
            message: "a merge conflict is not settled: after `<<<<<<<` are the spec's lines, after `|||||||` (if shown) the last import's, and between `=======` and `>>>>>>>` the newer ones (a re-import's: the page now); keep the right lines and delete the markers".to_owned(),
        })
        .collect()
}

fn parse<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, Diagnostic> {
    // YAML 1.2 booleans: `yes`, `on` and `no` are strings (an `example: no` stays the word).
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        // The parser's Display adds a source snippet after the first line; the first line is
        // "error: line L column C: message", of which we keep the message.
        let rendered = e.to_string();
        let first = rendered.lines().next().unwrap_or_default();
        let message = first
            .strip_prefix("error: ")
            .and_then(|rest| rest.split_once(": ").map(|(_, m)| m))
            .unwrap_or(first);
        let message = in_spec_words(message);
        match e.location() {
            Some(loc) if loc.line() > 0 => Diagnostic::at(file, &loc, message),
            _ => Diagnostic::file(file, message),
        }
    })
}

/// The parser's messages, reworded for a person editing a spec rather than a Rust API user.
fn in_spec_words(message: &str) -> String {
    if let Some(key) = message
        .strip_prefix("duplicate mapping key: ")
        .and_then(|rest| rest.split(", set DuplicateKeyPolicy").next())
    {
        return format!("key '{key}' is given twice in the same mapping");
    }
    if message.starts_with("multiple YAML documents detected") {
        return "a spec file is one YAML document: remove the second `---` and what follows, or move it to its own file"
            .to_owned();
    }
    if message.starts_with("tabs disallowed") {
        return "a tab in the indentation: YAML indents with spaces only".to_owned();
    }
    if let Some(bracket) = message.strip_prefix("unclosed bracket ") {
        return format!(
            "{bracket} is never closed: its closing bracket is missing (the rest of the file was read as inside it)"
        );
    }
    // A line indented past its siblings continues the value above it (`true` becomes "true doc").
    if message.starts_with("invalid type: string \"")
        && let Some(found) = message.split('"').nth(1)
        && found.contains(' ')
    {
        return format!(
            "{}; if the next line was meant as a key of its own, it is indented too far and YAML read it as part of this value",
            in_spec_words_plain(message)
        );
    }
    let whole = match message {
        "invalid indentation in multiline quoted scalar" => {
            "a quoted value runs on into the next lines: is its closing quote missing?"
        }
        "alias references unknown anchor" => "`*name` refers to an anchor `&name` that is not defined above it",
        "expected mapping start" => "expected a mapping here (`key: value` lines, or `{key: value}`)",
        "expected sequence start" => "expected a list here (`- item` lines, or `[a, b]`)",
        "expected string scalar" => "expected one value here (a word or quoted text), not a list or mapping",
        "unexpected end of input" => "the file ends before a spec starts (is it empty?)",
        other => return in_spec_words_plain(other),
    };
    whole.to_owned()
}

/// serde's words for keys and empty values, in the spec's.
fn in_spec_words_plain(message: &str) -> String {
    message
        .replace("unknown field", "unknown key")
        .replace("missing field", "missing key")
        .replace("unit value", "an empty value")
}

/// Reads every vendor folder under `dir` (the `spec/` folder). Folders are taken in name order and
/// files in each folder too, so the same spec always yields the same output.
pub fn load_dir(dir: &Path) -> Loaded {
    let root_name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "spec".to_owned());
    let display = |p: &Path| -> String {
        let rel = p.strip_prefix(dir).unwrap_or(p);
        format!("{}/{}", root_name, rel.to_string_lossy().replace('\\', "/"))
    };
    let mut problems = Diagnostics::default();
    let mut vendors = Vec::new();
    for vendor_dir in sorted_entries(dir, &root_name, &mut problems)
        .into_iter()
        .filter(|p| p.is_dir())
    {
        let vendor_path = vendor_dir.join(VENDOR_FILE);
        let vendor_display = display(&vendor_path);
        let vendor = match read(&vendor_path, &vendor_display) {
            Ok(text) => keep(parse_vendor_all(&vendor_display, &text), &mut problems),
            Err(d) => {
                problems.push(d);
                None
            }
        };
        // A file that did not read at all leaves its vendor out of the later checks: they would
        // report its types and names as missing, which is not the file's problem.
        let mut complete = vendor.is_some();
        let mut modules = Vec::new();
        for path in sorted_entries(&vendor_dir, &display(&vendor_dir), &mut problems) {
            let file = display(&path);
            // Only `.yaml` is a spec file; a near miss would otherwise be skipped without a word.
            let ext = path.extension().map(|e| e.to_string_lossy().into_owned());
            match ext.as_deref() {
                Some("yaml") => {}
                Some(e) if e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml") => {
                    problems.push(Diagnostic::file(
                        &file,
                        format!(
                            "spec files end in `.yaml` (lowercase), not `.{e}`: rename it, or it would be left out"
                        ),
                    ));
                    continue;
                }
                _ => continue,
            }
            if path.file_name().is_some_and(|n| n == VENDOR_FILE) {
                continue;
            }
            let module = match read(&path, &file) {
                Ok(text) => keep(parse_module_all(&file, &text), &mut problems),
                Err(d) => {
                    problems.push(d);
                    None
                }
            };
            match module {
                Some(m) => modules.push((file, m)),
                None => complete = false,
            }
        }
        if let (Some(vendor), true) = (vendor, complete) {
            vendors.push(RawVendor {
                file: vendor_display,
                vendor,
                modules,
            });
        }
    }
    if vendors.is_empty() && problems.is_empty() {
        problems.push(Diagnostic::file(
            &root_name,
            "no vendor folders (each needs a vendor.yaml)",
        ));
    }
    Loaded { vendors, problems }
}

/// A spec folder read as far as it goes.
#[derive(Debug)]
pub struct Loaded {
    /// The vendors whose every file read (after leaving out the keys a problem was about).
    pub vendors: Vec<RawVendor>,
    /// Every problem found while reading; the spec is good only when this is empty.
    pub problems: Diagnostics,
}

impl Loaded {
    /// The vendors when nothing was wrong, every problem otherwise.
    pub fn into_result(self) -> Result<Vec<RawVendor>, Diagnostics> {
        self.problems.into_result(self.vendors)
    }
}

/// Records a file's problems and hands on what of it was read.
fn keep<T>(parsed: Parsed<T>, problems: &mut Diagnostics) -> Option<T> {
    for d in parsed.problems {
        problems.push(d);
    }
    parsed.value
}

/// Every path a spec depends on, for `cargo:rerun-if-changed`.
pub fn watched_paths(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    let mut ignored = Diagnostics::default();
    for sub in sorted_entries(dir, "", &mut ignored) {
        if sub.is_dir() {
            out.push(sub.clone());
            out.extend(sorted_entries(&sub, "", &mut ignored));
        }
    }
    out
}

fn read(path: &Path, display: &str) -> Result<String, Diagnostic> {
    std::fs::read_to_string(path).map_err(|e| Diagnostic::file(display, format!("cannot read: {e}")))
}

fn sorted_entries(dir: &Path, display: &str, problems: &mut Diagnostics) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(rd) => {
            let mut v: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
            v.sort();
            v
        }
        Err(e) => {
            problems.push(Diagnostic::file(display, format!("cannot read folder: {e}")));
            Vec::new()
        }
    }
}
