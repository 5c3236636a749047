//! How an endpoint pages, compared part by part (style, position, size, `next`, items, `end`
//! signals, the documented defaults computed paging starts from), so a reviewer sees which part
//! moved. Only the `_items` stream's item type is part of the API; everything else is behaviour.

use super::changes::{Change, Class, Kind, Scope};
use super::vendors::Located;
use crate::model::{EndSignal, FieldRef, Module, PageItems, PageNext, Paging, PagingStyle, Type};

/// Paging added, removed, or changed in any part.
pub(super) fn compare(scope: &Scope, (om, oe): Located, (nm, ne): Located, out: &mut Vec<Change>) {
    let id = &ne.id;
    match (&oe.paging, &ne.paging) {
        (None, None) => {}
        (Some(p), None) => out.push(scope.change(
            Class::Breaking,
            Kind::PagingRemoved,
            None,
            Some(summary(om, p)),
            None,
            format!("the methods `{0}_pages` and `{0}_items` are gone", oe.id),
        )),
        (None, Some(p)) => out.push(scope.change(
            Class::Compatible,
            Kind::PagingAdded,
            None,
            None,
            Some(summary(nm, p)),
            format!("new methods `{id}_pages` and `{id}_items`"),
        )),
        (Some(a), Some(b)) => {
            let (io, in_) = (item_type(om, &oe.response, a), item_type(nm, &ne.response, b));
            if io != in_ {
                out.push(scope.change(
                    Class::Breaking,
                    Kind::PagingChanged,
                    Some("paging.items".into()),
                    Some(io),
                    Some(in_),
                    format!("`{id}_items` yields another type"),
                ));
            }
            for ((key, old), (_, new)) in parts(om, a).into_iter().zip(parts(nm, b)) {
                if old != new {
                    out.push(scope.change(
                        Class::Behaviour,
                        Kind::PagingChanged,
                        Some(format!("paging.{key}")),
                        Some(old),
                        Some(new),
                        why(key, id),
                    ));
                }
            }
        }
    }
}

fn why(key: &str, id: &str) -> String {
    let what = match key {
        "style" | "next" => "compute or read the next position differently",
        "request" | "size" => "set the position or page size in another request field",
        "items" => "read the page's items from another place",
        "end" | "has_more" | "done" | "total" => {
            "stop on another signal (too early drops items, too late repeats a call)"
        }
        "request default" => "start computed paging at another position when the request leaves it unset",
        "size default" => "step computed paging by another page size when the request leaves it unset",
        _ => "follow pages differently",
    };
    format!("`{id}_pages` and `{id}_items` {what}")
}

/// Each part of `p` as text by wire names, comparable across models. The defaults are listed
/// only where the runtime reads them (computed paging); elsewhere they are documentation.
fn parts(m: &Module, p: &Paging) -> Vec<(&'static str, String)> {
    let f = |r: FieldRef| m.field(r).wire.to_string();
    let opt = |r: Option<FieldRef>| r.map_or_else(|| "(none)".to_owned(), f);
    let computed = p.next == PageNext::Computed;
    let default = |d: Option<i64>| match d {
        Some(d) if computed => d.to_string(),
        _ => "(none)".to_owned(),
    };
    vec![
        ("style", style(p.style).to_owned()),
        ("request", f(p.request)),
        ("size", opt(p.size)),
        (
            "next",
            match p.next {
                PageNext::Field(n) => f(n),
                PageNext::Computed => "computed".to_owned(),
            },
        ),
        (
            "items",
            match p.items {
                PageItems::Field(i) => f(i),
                PageItems::Nested(o, i) => format!("{}.{}", f(o), f(i)),
                PageItems::Payload => "(the payload)".to_owned(),
            },
        ),
        ("end", p.end.iter().map(|e| end(*e)).collect::<Vec<_>>().join(", ")),
        ("has_more", opt(p.has_more)),
        ("done", opt(p.done)),
        ("total", opt(p.total)),
        ("request default", default(p.request_default)),
        ("size default", default(p.size_default)),
    ]
}

/// The whole paging in one line, for an added or removed paging.
fn summary(m: &Module, p: &Paging) -> String {
    parts(m, p)
        .into_iter()
        .filter(|(_, v)| v != "(none)")
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The Rust type `_items` yields, as `fields::rust_shape` writes types.
fn item_type(m: &Module, response: &Type, p: &Paging) -> String {
    let items = match p.items {
        PageItems::Field(f) | PageItems::Nested(_, f) => &m.field(f).ty,
        PageItems::Payload => response,
    };
    let item = match items {
        Type::List(t) | Type::Delimited(_, t) => t,
        other => other,
    };
    super::fields::rust_shape(m, item, false)
}

fn style(s: PagingStyle) -> &'static str {
    match s {
        PagingStyle::Cursor => "cursor",
        PagingStyle::Offset => "offset",
        PagingStyle::Page => "page",
        PagingStyle::NextToken => "next_token",
    }
}

fn end(e: EndSignal) -> &'static str {
    match e {
        EndSignal::HasMoreFalse => "has_more_false",
        EndSignal::DoneFlag => "done_flag",
        EndSignal::NextAbsent => "next_absent",
        EndSignal::NextEmpty => "next_empty",
        EndSignal::NextEqualsTotal => "next_equals_total",
        EndSignal::ShortPage => "short_page",
    }
}
