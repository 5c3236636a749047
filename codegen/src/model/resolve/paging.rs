//! How an endpoint pages: which request field carries the position, where the next one comes from
//! (a response field, or computed: offset + size, page + 1), where the items are, and what ends
//! it. Every field is resolved to a [`FieldRef`]; a computed position needs a known start and size.

use super::super::types::Type;
use super::super::*;
use super::ModuleCtx;
use crate::spec::raw;
use serde_saphyr::Spanned;

/// The word in `next:` that asks the client to compute the next position.
const COMPUTED: &str = "computed";

pub(super) fn resolve_paging(
    cx: &mut ModuleCtx,
    p: &Spanned<raw::Paging>,
    request: StructId,
    response: &Type,
) -> Option<Paging> {
    let raw = &p.value;
    let style = cx.r.keyword::<PagingStyle>(&raw.style);
    // The page is an object, or (with no `items:`) the list of items itself.
    let page = match response {
        Type::Struct(id) => Some(*id),
        Type::List(_) => None,
        _ => {
            cx.r.at(
                &p.referenced,
                "paging needs a response object holding the items, or a response that is the list of items",
            );
            return None;
        }
    };
    let position = find(cx, request, &raw.request, "a request field");
    let size = raw.size.as_ref().and_then(|s| find(cx, request, s, "a request field"));
    let items = items(cx, p, page);
    let computed = raw.next.value == COMPUTED;
    let next = if computed {
        if let Some(s) = style
            && !matches!(s, PagingStyle::Offset | PagingStyle::Page)
        {
            cx.r.at(
                &raw.next.referenced,
                "`next: computed` is for `style: offset` (position + size) or `style: page` (page + 1)",
            );
        }
        Some(PageNext::Computed)
    } else {
        match page {
            Some(page) => {
                let next = find(cx, page, &raw.next, "a field of the response");
                if let (Some(n), Some(pos)) = (next, position) {
                    check_next_type(cx, &raw.next, n, pos);
                }
                next.map(PageNext::Field)
            }
            None => {
                cx.r.at(
                    &raw.next.referenced,
                    "the response is a bare list, so no field can hand back the next position; use `next: computed`",
                );
                None
            }
        }
    };

    // A computed position starts where the request says, or at the field's documented default.
    let mut request_default = None;
    if computed && let Some(pos) = position {
        request_default = known_value(cx, &raw.request, pos, "the position");
    }
    let needs_size =
        (computed && style == Some(PagingStyle::Offset)) || raw.end.iter().any(|e| e.value == "short_page");
    let mut size_default = None;
    if needs_size {
        match (&raw.size, size) {
            (Some(name), Some(s)) => size_default = known_value(cx, name, s, "the page size"),
            (Some(_), None) => {}
            (None, _) => cx.r.at(
                &p.referenced,
                "computed offsets and `end: short_page` need `size:` (the request field with the page size)",
            ),
        }
    }

    let (end, has_more, total) = end_signals(cx, p, page, &next);
    Some(Paging {
        style: style?,
        request: position?,
        request_default,
        size,
        size_default,
        next: next?,
        items: items?,
        end,
        has_more,
        total,
    })
}

/// A field of `strukt` by wire name, or `None` after saying it is not `what`.
fn find(cx: &mut ModuleCtx, strukt: StructId, n: &Spanned<String>, what: &str) -> Option<FieldRef> {
    let field = cx.structs[strukt.0].fields.iter().position(|f| f.wire == n.value);
    if field.is_none() {
        cx.r.at(&n.referenced, format!("paging field '{}' is not {what}", n.value));
    }
    field.map(|field| FieldRef { strukt, field })
}

fn field<'c>(cx: &'c ModuleCtx, r: FieldRef) -> &'c Field {
    &cx.structs[r.strukt.0].fields[r.field]
}

/// Where the items are: a list field of the page object, or the payload itself.
fn items(cx: &mut ModuleCtx, p: &Spanned<raw::Paging>, page: Option<StructId>) -> Option<PageItems> {
    match (&p.value.items, page) {
        (Some(i), Some(page)) => {
            let items = find(cx, page, i, "a field of the response")?;
            if !matches!(field(cx, items).ty, Type::List(_)) {
                cx.r.at(&i.referenced, format!("paging items '{}' must be a list", i.value));
            }
            Some(PageItems::Field(items))
        }
        (Some(i), None) => {
            cx.r.at(
                &i.referenced,
                "the response is itself the list of items; leave `items:` out",
            );
            None
        }
        (None, Some(_)) => {
            cx.r.at(
                &p.referenced,
                "paging needs `items:` (the response field holding the items), unless the response is the list",
            );
            None
        }
        (None, None) => Some(PageItems::Payload),
    }
}

/// The next position is sent back as the request's position: the same type, or two integers
/// (converted, ending the paging on a value that does not fit).
fn check_next_type(cx: &mut ModuleCtx, name: &Spanned<String>, next: FieldRef, position: FieldRef) {
    let (n, p) = (&field(cx, next).ty, &field(cx, position).ty);
    let ok = matches!((n, p), (Type::Int(_), Type::Int(_)) | (Type::String, Type::String));
    if !ok {
        let msg = format!(
            "paging next '{}' must be an integer or a string of the request position's type",
            name.value
        );
        cx.r.at(&name.referenced, msg);
    }
}

/// A request integer the client must know to compute a page: the field is required, or has a
/// documented integer `default` that fits it. Returns the default.
fn known_value(cx: &mut ModuleCtx, name: &Spanned<String>, r: FieldRef, what: &str) -> Option<i64> {
    let f = field(cx, r);
    let Type::Int(w) = f.ty else {
        let msg = format!("paging field '{}' is {what}, so it must be an integer", name.value);
        cx.r.at(&name.referenced, msg);
        return None;
    };
    if f.required {
        return None;
    }
    match f.default.as_ref().and_then(serde_json::Value::as_i64) {
        Some(d) if w.fits(d.into()) => Some(d),
        _ => {
            let msg = format!(
                "paging field '{}' is {what}: make it `required: true` or give its documented `default:` (an integer), so the client knows it when the request leaves it unset",
                name.value
            );
            cx.r.at(&name.referenced, msg);
            None
        }
    }
}

type Ends = (Vec<EndSignal>, Option<FieldRef>, Option<FieldRef>);

/// The end signals, with the `has_more` and `total` fields they read.
fn end_signals(cx: &mut ModuleCtx, p: &Spanned<raw::Paging>, page: Option<StructId>, next: &Option<PageNext>) -> Ends {
    let raw = &p.value;
    let mut end = Vec::new();
    let (mut has_more, mut total) = (None, None);
    let next_field = match next {
        Some(PageNext::Field(f)) => Some(*f),
        _ => None,
    };
    for e in &raw.end {
        let Some(signal) = cx.r.keyword::<EndSignal>(e) else {
            continue;
        };
        let reads_next = matches!(
            signal,
            EndSignal::NextAbsent | EndSignal::NextEmpty | EndSignal::NextEqualsTotal
        );
        if reads_next && *next == Some(PageNext::Computed) {
            cx.r.at(
                &e.referenced,
                format!("end {} reads the `next` field, and `next: computed` has none", e.value),
            );
            continue;
        }
        match signal {
            EndSignal::HasMoreFalse => match (&raw.has_more, page) {
                (Some(h), Some(page)) => {
                    has_more = find(cx, page, h, "a field of the response");
                    if let Some(f) = has_more
                        && field(cx, f).ty != Type::Bool
                    {
                        cx.r.at(&h.referenced, format!("has_more '{}' must be a bool", h.value));
                    }
                }
                (Some(h), None) => cx.r.at(
                    &h.referenced,
                    "the response is a bare list, so it has no `has_more` field",
                ),
                (None, _) => cx.r.at(
                    &e.referenced,
                    "end has_more_false needs `has_more:` (the response field)",
                ),
            },
            EndSignal::NextEqualsTotal => match (&raw.total, page) {
                (Some(t), Some(page)) => total = find(cx, page, t, "a field of the response"),
                _ => cx.r.at(
                    &e.referenced,
                    "end next_equals_total needs `total:` (the response field)",
                ),
            },
            EndSignal::NextEmpty => {
                if let Some(n) = next_field
                    && field(cx, n).ty != Type::String
                {
                    cx.r.at(
                        &e.referenced,
                        format!(
                            "end next_empty is for a string `next`, and '{}' is not one",
                            raw.next.value
                        ),
                    );
                }
            }
            EndSignal::NextAbsent | EndSignal::ShortPage => {}
        }
        end.push(signal);
    }
    if raw.end.is_empty() {
        cx.r.at(&p.referenced, "paging needs at least one `end:` signal");
    }
    (end, has_more, total)
}
