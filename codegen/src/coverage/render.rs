//! [`Coverage`] as Markdown (a summary table per vendor, then a table per module) or as JSON
//! (the field names of [`Coverage`] and the types beside it, kept stable).

use super::{Coverage, VendorCoverage};
use std::fmt::Write;

/// The vendor totals alone: the table the README shows.
pub fn summary(c: &Coverage) -> String {
    let mut s = String::from("| vendor | documented | in spec | missing | covered |\n|---|---:|---:|---:|---:|\n");
    for v in &c.vendors {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |",
            v.vendor,
            v.documented,
            v.in_spec,
            v.missing,
            percent(v.in_spec, v.documented)
        );
    }
    s
}

/// The whole report: the summary, what was counted, the spec endpoints the corpus lacks, and a
/// table per vendor by module.
pub fn markdown(c: &Coverage) -> String {
    let mut s = String::from("## Coverage of the vendor docs\n\nEndpoints match by host and path.\n\n");
    s.push_str(&summary(c));
    s.push('\n');
    for v in &c.vendors {
        let _ = writeln!(s, "- {}: {}.", v.vendor, v.source);
    }
    s.push('\n');
    let missing: Vec<String> = c
        .vendors
        .iter()
        .flat_map(|v| {
            v.not_in_corpus.iter().map(move |e| {
                let archived = if e.archived_only {
                    " (only on an archived page)"
                } else {
                    ""
                };
                format!(
                    "- {} `{}` ({}): {} {}{archived}",
                    v.vendor, e.id, e.module, e.method, e.url
                )
            })
        })
        .collect();
    if missing.is_empty() {
        s.push_str("Every spec endpoint is in the corpus.\n");
    } else {
        let _ = writeln!(s, "Spec endpoints not found in the corpus ({}):\n", missing.len());
        s.push_str(&missing.join("\n"));
        s.push('\n');
    }
    for v in &c.vendors {
        modules(&mut s, v);
    }
    s
}

fn modules(s: &mut String, v: &VendorCoverage) {
    let _ = writeln!(s, "\n### {} by module\n", v.vendor);
    s.push_str("| module | documented | in spec | missing | spec endpoints |\n|---|---:|---:|---:|---|\n");
    for m in &v.modules {
        let ids: Vec<String> = m.spec_endpoints.iter().map(|id| format!("`{id}`")).collect();
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |",
            m.module.replace('|', "\\|"),
            m.documented,
            m.in_spec,
            m.missing,
            ids.join(", ")
        );
    }
}

/// The report as pretty JSON.
pub fn json(c: &Coverage) -> String {
    // Serialising plain data (strings, integers, lists) cannot fail.
    serde_json::to_string_pretty(c).unwrap_or_default()
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "-".into();
    }
    // Integer arithmetic, so the text is the same on every platform: one decimal, rounded.
    let tenths = (part * 1000 + whole / 2) / whole;
    format!("{}.{}%", tenths / 10, tenths % 10)
}
