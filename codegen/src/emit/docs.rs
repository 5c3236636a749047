//! Rustdoc text from the spec: the vendor's words first, then what a caller needs to know.

use crate::model::{Docs, Field, Limits, Type};
use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = ...]` attributes, one per line, for a block of text.
pub fn attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        let l = if l.is_empty() { String::new() } else { format!(" {l}") };
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

/// The paragraphs of a `Docs`: vendor text, then English.
pub fn paragraphs(d: &Docs) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(doc) = d.doc.as_deref().filter(|s| !s.trim().is_empty()) {
        out.push(escape(doc.trim()));
    }
    if let Some(en) = d.en.as_deref().filter(|s| !s.trim().is_empty()) {
        out.push(format!("*{}*", escape(en.trim())));
    }
    // `note` is the spec reviewer's record of a decision; it stays in the spec, out of users' docs.
    out
}

/// Rustdoc for a field: its docs, then wire name, limits, default and example.
pub fn field(f: &Field) -> String {
    let mut paras = paragraphs(&f.docs);
    if paras.is_empty() {
        paras.push(format!("`{}`", f.wire));
    }
    let mut facts = Vec::new();
    facts.push(format!("Wire: `{}`{}", f.wire, wire_shape(f)));
    let limits = limits(&f.limits);
    if !limits.is_empty() {
        facts.push(format!("Limits: {}", limits.join("; ")));
    }
    if let Some(d) = &f.default {
        facts.push(format!("Default: `{d}`"));
    }
    if let Some(e) = &f.example {
        facts.push(format!("Example: `{}`", e.to_string().replace('`', "'")));
    }
    paras.push(facts.join(". ") + ".");
    paras.join("\n\n")
}

fn wire_shape(f: &Field) -> String {
    let unit = match f.ty.innermost() {
        Type::UnixSeconds => ", unix seconds",
        Type::UnixMillis => ", unix milliseconds",
        Type::DateTime => ", `yyyy-MM-dd HH:mm:ss` string",
        _ => "",
    };
    let shape = match &f.ty {
        Type::Delimited(c, _) => format!(", one string joined by `{c}`"),
        _ if f.wire_string => ", a number sent as a JSON string".to_owned(),
        _ => String::new(),
    };
    format!("{shape}{unit}")
}

/// Limits as short phrases (`at most 20 items`).
pub fn limits(l: &Limits) -> Vec<String> {
    let mut out = Vec::new();
    match (l.min, l.max) {
        (Some(a), Some(b)) => out.push(format!("{a} to {b}")),
        (Some(a), None) => out.push(format!("at least {a}")),
        (None, Some(b)) => out.push(format!("at most {b}")),
        _ => {}
    }
    match l.min_items {
        Some(1) => out.push("at least one item".to_owned()),
        Some(n) => out.push(format!("at least {n} items")),
        None => {}
    }
    if let Some(n) = l.max_items {
        out.push(format!("at most {n} items"));
    }
    for (min, max, unit) in [
        (l.min_bytes, l.max_bytes, "bytes"),
        (l.min_chars, l.max_chars, "characters"),
    ] {
        match (min, max) {
            (Some(a), Some(b)) => out.push(format!("{a} to {b} {unit}")),
            (Some(a), None) => out.push(format!("at least {a} {unit}")),
            (None, Some(b)) => out.push(format!("at most {b} {unit}")),
            _ => {}
        }
    }
    if let Some(each) = &l.each_item {
        out.push(format!("each item {}", limits(each).join(", ")));
    }
    out
}

/// Keeps rustdoc from reading vendor text as markup it is not (`[1]` as a link, `<b>` as HTML).
pub fn escape(s: &str) -> String {
    s.replace('[', "\\[")
        .replace(']', "\\]")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
