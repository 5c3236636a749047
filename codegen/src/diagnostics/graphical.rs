//! The command line's form of diagnostics: each problem with its source line shown and the
//! offending token underlined (annotate-snippets). `build.rs` and the tests keep the one-line
//! `file:line:col: message` form of [`Diagnostic`]'s `Display`.

use super::{Diagnostic, Diagnostics};
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use std::collections::HashMap;
use std::path::Path;

/// Renders every problem; file names are read relative to `root` (the folder that holds the
/// spec folder, as the diagnostics name files). `color` for a terminal. A file that cannot be
/// read, or a problem of a whole file, falls back to the one-line form.
pub fn render(problems: &Diagnostics, root: &Path, color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let mut files: HashMap<&str, Option<String>> = HashMap::new();
    let mut out = String::new();
    for d in &problems.0 {
        let text = files
            .entry(d.file.as_str())
            .or_insert_with(|| std::fs::read_to_string(root.join(&d.file)).ok());
        let shown = text.as_deref().and_then(|t| one(&renderer, d, t));
        out.push_str(&shown.unwrap_or_else(|| format!("error: {d}")));
        out.push_str("\n\n");
    }
    out
}

/// One problem with its line, or `None` when the line is not in the file.
fn one(renderer: &Renderer, d: &Diagnostic, text: &str) -> Option<String> {
    let line_ix = usize::try_from(d.line.checked_sub(1)?).ok()?;
    let line = text.lines().nth(line_ix)?;
    let start = line
        .char_indices()
        .nth(usize::try_from(d.column.saturating_sub(1)).ok()?)
        .map_or(line.len(), |(i, _)| i);
    let end = start + token_len(&line[start..]);
    let report = [Level::ERROR.primary_title(&d.message).element(
        Snippet::source(line)
            .line_start(usize::try_from(d.line).ok()?)
            .path(&d.file)
            .annotation(AnnotationKind::Primary.span(start..end.max(start + 1).min(line.len().max(start + 1)))),
    )];
    Some(renderer.render(&report).to_string())
}

/// The length in bytes of the token that starts `rest`: a quoted string to its closing quote,
/// else up to the next space or YAML/JSON punctuation (`requried:` underlines `requried`).
fn token_len(rest: &str) -> usize {
    let mut chars = rest.char_indices();
    match chars.next() {
        None => 0,
        Some((_, q @ ('"' | '\''))) => chars
            .find(|&(_, c)| c == q)
            .map_or(rest.len(), |(i, c)| i + c.len_utf8()),
        Some(_) => rest
            .char_indices()
            .find(|&(_, c)| c.is_whitespace() || ",:{}[]".contains(c))
            .map_or(rest.len(), |(i, _)| i.max(1)),
    }
}

#[cfg(test)]
mod tests {
    use super::token_len;

    #[test]
    fn a_token_ends_at_punctuation_or_its_closing_quote() {
        assert_eq!(token_len("requried: true"), "requried".len());
        assert_eq!(token_len("\"a b\": 1"), "\"a b\"".len());
        assert_eq!(token_len("7,"), 1);
        assert_eq!(token_len(""), 0);
        assert_eq!(token_len("{x}"), 1);
    }
}
