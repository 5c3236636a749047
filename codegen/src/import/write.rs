//! The YAML writer: an imported [`Module`] as a module file in the spec's own style (one field per
//! block, flow style for enum values and errcodes, examples as `|` blocks), deterministic, with a
//! `# TODO(import): ...` comment above everything the importer guessed.

use super::endpoint::{Endpoint, Example, Module, Paging};
use super::fields::Field;
use serde_json::Value;
use std::fmt::Write as _;

/// Writes a module file.
pub fn module(m: &Module) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} {}: imported by `workapi-codegen import` from the vendor's pages.",
        vendor_title(m),
        m.title
    );
    out.push_str("# Review every `TODO(import)` comment: resolve it (and delete it) or turn it into a `note`.\n");
    let _ = writeln!(out, "module: {}", scalar(&m.name, false));
    let _ = writeln!(out, "title: {}", scalar(&m.title, false));
    if !m.enums.is_empty() {
        out.push_str("\nenums:\n");
        for e in &m.enums {
            let _ = writeln!(out, "  {}:", e.name);
            let _ = writeln!(out, "    type: {}", e.ty);
            if !e.doc.is_empty() {
                let _ = writeln!(out, "    doc: {}", scalar(&e.doc, false));
            }
            out.push_str("    values:\n");
            for (value, name, doc) in &e.values {
                let _ = writeln!(
                    out,
                    "      - {{value: {}, name: {name}, doc: {}}}",
                    json_flow(value),
                    scalar(doc, true)
                );
            }
        }
    }
    if !m.endpoints.is_empty() || m.events.is_empty() {
        out.push_str("\nendpoints:\n");
    }
    for (i, e) in m.endpoints.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        endpoint(&mut out, e);
    }
    if !m.events.is_empty() {
        out.push_str("\nevents:\n");
    }
    for (i, e) in m.events.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        event(&mut out, e);
    }
    out
}

fn event(out: &mut String, e: &super::events::ImportedEvent) {
    let _ = writeln!(out, "  - id: {}", e.id);
    todos(out, 4, &e.todos);
    let _ = writeln!(out, "    on: {{EventType: {}}}", scalar(&e.id, true));
    let _ = writeln!(out, "    title: {}", scalar(&e.title, false));
    let _ = writeln!(out, "    doc_url: {}", scalar(&e.doc_url, false));
    if let Some(d) = &e.doc {
        let _ = writeln!(out, "    doc: {}", scalar(d, false));
    }
    if !e.fields.is_empty() {
        out.push_str("    fields:\n");
        for (name, ty) in &e.fields {
            let _ = writeln!(out, "      {}:", scalar(name, false));
            todos(
                out,
                8,
                &["no field table: type from the page's example; add `doc:`".to_owned()],
            );
            let _ = writeln!(out, "        type: {ty}");
        }
    }
    out.push_str("    example:\n      source: doc\n");
    block(out, 6, "payload", &e.payload);
}

fn vendor_title(m: &Module) -> &'static str {
    match m.vendor {
        super::Vendor::Wecom => "WeCom",
        super::Vendor::Dingtalk => "DingTalk",
    }
}

fn todos(out: &mut String, indent: usize, todos: &[String]) {
    for t in todos {
        let _ = writeln!(out, "{}# TODO(import): {}", " ".repeat(indent), t.replace('\n', " "));
    }
}

fn endpoint(out: &mut String, e: &Endpoint) {
    let _ = writeln!(out, "  - id: {}", e.id);
    todos(out, 4, &e.todos);
    let _ = writeln!(out, "    title: {}", scalar(&e.title, false));
    let _ = writeln!(out, "    doc_url: {}", scalar(&e.doc_url, false));
    if let Some(d) = &e.doc {
        let _ = writeln!(out, "    doc: {}", scalar(d, false));
    }
    let _ = writeln!(out, "    method: {}", e.method);
    let _ = writeln!(out, "    host: {}", e.host);
    let _ = writeln!(out, "    path: {}", scalar(&e.path, false));
    if let Some(t) = &e.token {
        let _ = writeln!(out, "    token: {t}");
    }
    let _ = writeln!(out, "    idempotent: {}", e.idempotent);
    if let Some((calls, per)) = &e.rate_limit {
        let _ = writeln!(out, "    rate_limit: {{calls: {calls}, per: {per}}}");
    }
    if e.wrap.is_some() || !e.query.is_empty() || !e.body.is_empty() {
        out.push_str("    request:\n");
        if let Some(w) = &e.wrap {
            let _ = writeln!(out, "      wrap: {}", scalar(w, false));
        }
        for (key, fields) in [("query", &e.query), ("body", &e.body)] {
            if !fields.is_empty() {
                let _ = writeln!(out, "      {key}:");
                fields.iter().for_each(|f| field(out, 8, f));
            }
        }
    }
    out.push_str("    response:\n");
    todos(out, 6, &e.response.todos);
    let _ = writeln!(out, "      at: {}", e.response_at);
    field_body(out, 6, &e.response);
    if let Some(p) = &e.paging {
        todos(out, 4, &e.paging_todos);
        paging(out, p);
    }
    if !e.errcodes.is_empty() {
        out.push_str("    errcodes:\n");
        for (code, doc) in &e.errcodes {
            let _ = writeln!(out, "      - {{code: {code}, doc: {}}}", scalar(doc, true));
        }
    }
    if let Some(x) = &e.example {
        example(out, x);
    }
}

fn paging(out: &mut String, p: &Paging) {
    out.push_str("    paging:\n");
    let _ = writeln!(out, "      style: {}", p.style);
    let _ = writeln!(out, "      request: {}", scalar(&p.request, false));
    if let Some(s) = &p.size {
        let _ = writeln!(out, "      size: {}", scalar(s, false));
    }
    let _ = writeln!(out, "      next: {}", scalar(&p.next, false));
    let _ = writeln!(out, "      items: {}", scalar(&p.items, false));
    let _ = writeln!(out, "      end: [{}]", p.end.join(", "));
    if let Some(h) = &p.has_more {
        let _ = writeln!(out, "      has_more: {}", scalar(h, false));
    }
    if let Some(t) = &p.total {
        let _ = writeln!(out, "      total: {}", scalar(t, false));
    }
}

fn example(out: &mut String, x: &Example) {
    out.push_str("    example:\n");
    let _ = writeln!(out, "      source: {}", x.source);
    if let Some(n) = &x.note {
        let _ = writeln!(out, "      note: {}", scalar(n, false));
    }
    if !x.query.is_empty() {
        let pairs: Vec<String> = x
            .query
            .iter()
            .map(|(k, v)| format!("{}: {}", scalar(k, true), json_flow(v)))
            .collect();
        let _ = writeln!(out, "      query: {{{}}}", pairs.join(", "));
    }
    for (key, text) in [("request", &x.request), ("response", &x.response)] {
        if let Some(t) = text {
            block(out, 6, key, t);
        }
    }
}

/// `key: |` and the text indented under it.
fn block(out: &mut String, indent: usize, key: &str, text: &str) {
    let pad = " ".repeat(indent);
    // An indentation indicator when the first line starts with a space.
    let indicator = if text.starts_with(' ') { "2" } else { "" };
    let _ = writeln!(out, "{pad}{key}: |{indicator}");
    for line in text.lines() {
        if line.trim().is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{pad}  {line}");
        }
    }
}

fn field(out: &mut String, indent: usize, f: &Field) {
    let pad = " ".repeat(indent);
    todos(out, indent, &f.todos);
    let _ = writeln!(out, "{pad}{}:", scalar(&f.name, false));
    field_body(out, indent + 2, f);
}

fn field_body(out: &mut String, indent: usize, f: &Field) {
    let pad = " ".repeat(indent);
    let _ = writeln!(out, "{pad}type: {}", scalar(&f.ty, false));
    if let Some(n) = &f.type_name {
        let _ = writeln!(out, "{pad}name: {n}");
    }
    if f.required {
        let _ = writeln!(out, "{pad}required: true");
    }
    let numbers = [
        ("min", f.min),
        ("max", f.max),
        ("min_items", f.min_items),
        ("max_items", f.max_items),
        ("max_bytes", f.max_bytes),
        ("max_chars", f.max_chars),
    ];
    for (key, value) in numbers {
        if let Some(v) = value {
            let _ = writeln!(out, "{pad}{key}: {v}");
        }
    }
    if let Some(d) = &f.default {
        let _ = writeln!(out, "{pad}default: {}", json_flow(d));
    }
    if let Some(d) = &f.doc {
        let _ = writeln!(out, "{pad}doc: {}", scalar(d, false));
    }
    if let Some(x) = &f.example {
        let _ = writeln!(out, "{pad}example: {}", json_flow(x));
    }
    if !f.fields.is_empty() {
        let _ = writeln!(out, "{pad}fields:");
        f.fields.iter().for_each(|c| field(out, indent + 2, c));
    } else if f.ty == "object" {
        // A response with nothing but the envelope.
        let _ = writeln!(out, "{pad}fields: {{}}");
    }
}

/// A JSON value in YAML flow style.
fn json_flow(v: &Value) -> String {
    match v {
        Value::String(s) => scalar(s, true),
        Value::Array(items) => format!("[{}]", items.iter().map(json_flow).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", scalar(k, true), json_flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

/// A string as a YAML scalar: plain when that reads back as the same string, else double-quoted
/// (JSON escaping is valid YAML). `flow` is for values inside `{...}` / `[...]`.
pub fn scalar(s: &str, flow: bool) -> String {
    if plain_ok(s, flow) {
        s.to_owned()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.escape_default()))
    }
}

fn plain_ok(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else { return false };
    let specials = "-?:,[]{}#&*!|>'\"%@`";
    let reserved = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"];
    !(s.trim() != s
        || specials.contains(first)
        || first.is_ascii_digit()
        || first == '+'
        || first == '.'
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.contains(['\n', '\r', '\t'])
        || s.chars().any(char::is_control)
        || reserved.contains(&s.to_ascii_lowercase().as_str())
        || (flow && s.contains([',', '[', ']', '{', '}', ':'])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_quote_only_what_yaml_would_misread() {
        assert_eq!(scalar("日报", false), "日报");
        assert_eq!(scalar("080517", false), "\"080517\"");
        assert_eq!(scalar("true", false), "\"true\"");
        assert_eq!(scalar("@lAxx", false), "\"@lAxx\"");
        assert_eq!(scalar("a: b", false), "\"a: b\"");
        assert_eq!(scalar("a,b", false), "a,b");
        assert_eq!(scalar("a,b", true), "\"a,b\"");
        assert_eq!(scalar("", false), "\"\"");
    }
}
