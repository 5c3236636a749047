//! How an endpoint pages: which request field carries the position, which response fields give
//! the next one and the items, and what ends it. Every field is resolved to a [`FieldRef`].

use super::super::types::Type;
use super::super::*;
use super::ModuleCtx;
use crate::spec::raw;
use serde_saphyr::Spanned;

pub(super) fn resolve_paging(
    cx: &mut ModuleCtx,
    p: &Spanned<raw::Paging>,
    request: StructId,
    response: &Type,
) -> Option<Paging> {
    let raw = &p.value;
    let style = cx.r.keyword::<PagingStyle>(&raw.style);
    let Type::Struct(page) = *response else {
        cx.r.at(
            &p.referenced,
            "paging needs a response object holding the items and the next position",
        );
        return None;
    };
    let find = |cx: &mut ModuleCtx, strukt: StructId, n: &Spanned<String>, side: &str| {
        let field = cx.structs[strukt.0].fields.iter().position(|f| f.wire == n.value);
        if field.is_none() {
            let msg = match side {
                "request" => format!("paging field '{}' is not a request field", n.value),
                _ => format!("paging field '{}' is not a field of the response", n.value),
            };
            cx.r.at(&n.referenced, msg);
        }
        field.map(|field| FieldRef { strukt, field })
    };
    let position = find(cx, request, &raw.request, "request");
    let size = raw.size.as_ref().and_then(|s| find(cx, request, s, "request"));
    let next = find(cx, page, &raw.next, "response");
    let items = find(cx, page, &raw.items, "response");
    if let Some(i) = items
        && !matches!(cx.structs[i.strukt.0].fields[i.field].ty, Type::List(_))
    {
        cx.r.at(
            &raw.items.referenced,
            format!("paging items '{}' must be a list", raw.items.value),
        );
    }
    let mut end = Vec::new();
    let (mut has_more, mut total) = (None, None);
    for e in &raw.end {
        let Some(signal) = cx.r.keyword::<EndSignal>(e) else {
            continue;
        };
        match signal {
            EndSignal::HasMoreFalse => match &raw.has_more {
                Some(h) => {
                    has_more = find(cx, page, h, "response");
                    if let Some(f) = has_more
                        && cx.structs[f.strukt.0].fields[f.field].ty != Type::Bool
                    {
                        cx.r.at(&h.referenced, format!("has_more '{}' must be a bool", h.value));
                    }
                }
                None => cx.r.at(
                    &e.referenced,
                    "end has_more_false needs `has_more:` (the response field)",
                ),
            },
            EndSignal::NextEqualsTotal => match &raw.total {
                Some(t) => total = find(cx, page, t, "response"),
                None => cx.r.at(
                    &e.referenced,
                    "end next_equals_total needs `total:` (the response field)",
                ),
            },
            EndSignal::NextAbsent => {}
        }
        end.push(signal);
    }
    if raw.end.is_empty() {
        cx.r.at(&p.referenced, "paging needs at least one `end:` signal");
    }
    Some(Paging {
        style: style?,
        page,
        request: position?,
        size,
        next: next?,
        items: items?,
        end,
        has_more,
        total,
    })
}
