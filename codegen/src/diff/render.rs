//! A [`Report`] as Markdown for a pull-request comment, or as JSON for tools. The JSON field
//! names are those of [`Report`], [`Change`] and [`super::Suggestion`]; they are kept stable.

use super::{Bump, Change, Class, Report};
use std::fmt::Write;

/// The report as a Markdown pull-request comment: a summary, the version bump, and one table
/// per class.
pub fn markdown(report: &Report) -> String {
    let mut s = String::from("## workapi spec diff\n\n");
    if report.changes.is_empty() {
        s.push_str("No semantic change between the two specs.\n");
        return s;
    }
    let counts: Vec<String> = [Class::Breaking, Class::Behaviour, Class::Compatible]
        .into_iter()
        .map(|c| {
            let n = report.count(c);
            if c == Class::Breaking && n > 0 {
                format!("**{n} breaking**")
            } else {
                format!("{n} {}", c.as_str())
            }
        })
        .collect();
    let _ = writeln!(s, "{} change(s): {}.\n", report.changes.len(), counts.join(", "));
    let b = &report.bump;
    let to =
        b.to.as_ref()
            .map(|to| format!(" ({} → {to})", b.from))
            .unwrap_or_default();
    let _ = writeln!(
        s,
        "Suggested version bump: **{}**{to}: {}.\n",
        bump_word(b.bump),
        b.reason
    );
    for (class, title, blurb) in [
        (
            Class::Breaking,
            "Breaking",
            "Code written against the old client may not compile.",
        ),
        (
            Class::Behaviour,
            "Behaviour",
            "Code compiles, but calls are sent, checked or retried differently.",
        ),
        (Class::Compatible, "Compatible", "Additions and documentation."),
    ] {
        let rows: Vec<&Change> = report.changes.iter().filter(|c| c.class == class).collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(s, "### {title} ({})\n\n{blurb}\n", rows.len());
        s.push_str("| where | change | old → new | why |\n|---|---|---|---|\n");
        for c in rows {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                location(c),
                c.kind.words(),
                old_new(c),
                cell(&c.reason)
            );
        }
        s.push('\n');
    }
    s
}

/// The report as pretty JSON: `{changes: [...], bump: {...}}`.
pub fn json(report: &Report) -> String {
    // Serialising plain data (strings, integers, enums with unit variants) cannot fail.
    serde_json::to_string_pretty(report).unwrap_or_default()
}

fn bump_word(b: Bump) -> &'static str {
    match b {
        Bump::None => "none",
        Bump::Patch => "patch",
        Bump::Minor => "minor",
        Bump::Major => "major",
    }
}

/// `dingtalk::report::report_list` then the place inside it.
fn location(c: &Change) -> String {
    let mut path = c.vendor.clone();
    for part in [&c.module, &c.endpoint].into_iter().flatten() {
        path.push_str("::");
        path.push_str(part);
    }
    match &c.at {
        Some(at) => format!("`{}` `{}`", code(&path), code(at)),
        None => format!("`{}`", code(&path)),
    }
}

fn old_new(c: &Change) -> String {
    let v = |x: &Option<String>| x.as_deref().map(|t| format!("`{}`", code(t)));
    match (v(&c.old), v(&c.new)) {
        (Some(o), Some(n)) => format!("{o} → {n}"),
        (Some(o), None) => o,
        (None, Some(n)) => format!("→ {n}"),
        (None, None) => String::new(),
    }
}

/// Text inside backticks: a backtick would end the span early, a pipe the table cell.
fn code(t: &str) -> String {
    cell(&t.replace('`', "'"))
}

/// Text in a table cell: one line, pipes escaped.
fn cell(t: &str) -> String {
    t.replace('|', "\\|").replace(['\n', '\r'], " ")
}
