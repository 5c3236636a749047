//! What a user of the crate sees only in rustdoc: vendor text (`doc`, `en`), titles and page
//! links, and the examples with their `source`. Every such change is compatible; `note` is never
//! compared, since it stays in the spec.

use super::changes::{Change, Class, Kind, Scope};
use crate::model::{Docs, Endpoint, ExampleSource};

/// The first 60 characters of a value shown in a report.
pub(super) fn short(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}

/// A `DocChanged` for `o` → `n` when `doc` or `en` differ, naming which.
pub(super) fn doc_change(scope: &Scope, at: &str, o: &Docs, n: &Docs) -> Option<Change> {
    let keys: Vec<&str> = [("doc", &o.doc, &n.doc), ("en", &o.en, &n.en)]
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(k, _, _)| k)
        .collect();
    let first = match keys.first()? {
        &"doc" => (&o.doc, &n.doc),
        _ => (&o.en, &n.en),
    };
    let text = |t: &Option<String>| Some(t.as_deref().map_or_else(|| "(none)".to_owned(), short));
    Some(scope.change(
        Class::Compatible,
        Kind::DocChanged,
        Some(at.to_owned()),
        text(first.0),
        text(first.1),
        format!("documentation only: the rustdoc changes ({})", keys.join(", ")),
    ))
}

/// What only the method's rustdoc shows: title, page link, vendor text, the response's docs and
/// the example exchange (its usage example is built from the example request).
pub(super) fn endpoint_docs(scope: &Scope, oe: &Endpoint, ne: &Endpoint, out: &mut Vec<Change>) {
    let pairs = [
        ("title", Some(oe.title.clone()), Some(ne.title.clone())),
        ("doc_url", Some(oe.doc_url.clone()), Some(ne.doc_url.clone())),
    ];
    for (key, old, new) in pairs {
        if old != new {
            let old = old.as_deref().map(short);
            let new = new.as_deref().map(short);
            let why = "documentation only: the method's rustdoc changes";
            out.push(scope.change(Class::Compatible, Kind::DocChanged, Some(key.into()), old, new, why));
        }
    }
    out.extend(doc_change(scope, "endpoint", &oe.docs, &ne.docs));
    out.extend(doc_change(scope, "response", &oe.response_docs, &ne.response_docs));
    let source = |e: &Endpoint| -> String {
        match e.example.as_ref().map(|x| x.source) {
            None => "(no example)".into(),
            Some(ExampleSource::Doc) => "doc".into(),
            Some(ExampleSource::Table) => "table".into(),
            Some(ExampleSource::DocCorrected) => "doc-corrected".into(),
        }
    };
    let (so, sn) = (source(oe), source(ne));
    if so != sn {
        out.push(scope.change(
            Class::Compatible,
            Kind::ExampleChanged,
            Some("example.source".into()),
            Some(so),
            Some(sn),
            "documentation only: where the example came from (the page, its tables, or the page corrected)",
        ));
    }
    let (xo, xn) = (oe.example.as_ref(), ne.example.as_ref());
    let parts = [
        (
            "example.query",
            xo.and_then(|x| x.query.as_ref()),
            xn.and_then(|x| x.query.as_ref()),
        ),
        (
            "example.request",
            xo.and_then(|x| x.request.as_ref()),
            xn.and_then(|x| x.request.as_ref()),
        ),
        (
            "example.response",
            xo.and_then(|x| x.response.as_ref()),
            xn.and_then(|x| x.response.as_ref()),
        ),
    ];
    for (key, old, new) in parts {
        if old != new {
            // The first value that differs, not the whole document: examples are long.
            let (at, old, new) = match (old, new) {
                (Some(a), Some(b)) => {
                    let (path, a, b) = first_difference(a, b, key.to_owned());
                    (path, a, b)
                }
                (a, b) => (
                    key.to_owned(),
                    a.map(|_| "(given)".to_owned()),
                    b.map(|_| "(given)".to_owned()),
                ),
            };
            let text = |v: Option<String>| Some(v.map_or_else(|| "(none)".to_owned(), |v| short(&v)));
            out.push(scope.change(
                Class::Compatible,
                Kind::ExampleChanged,
                Some(at),
                text(old),
                text(new),
                "documentation only: the method's usage example and the mock's canned exchange",
            ));
        }
    }
}

/// The path of the first value that differs between two JSON documents, with both values
/// (`None` where one side has no value there).
fn first_difference(
    a: &serde_json::Value,
    b: &serde_json::Value,
    at: String,
) -> (String, Option<String>, Option<String>) {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) if v == w => {}
                    Some(w) => return first_difference(v, w, format!("{at}.{k}")),
                    None => return (format!("{at}.{k}"), Some(v.to_string()), None),
                }
            }
            match y.iter().find(|(k, _)| !x.contains_key(*k)) {
                Some((k, w)) => (format!("{at}.{k}"), None, Some(w.to_string())),
                None => (at, Some(a.to_string()), Some(b.to_string())),
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => match x.iter().zip(y).position(|(v, w)| v != w) {
            Some(i) => first_difference(&x[i], &y[i], format!("{at}[{i}]")),
            None => (at, Some(a.to_string()), Some(b.to_string())),
        },
        _ => (at, Some(a.to_string()), Some(b.to_string())),
    }
}
