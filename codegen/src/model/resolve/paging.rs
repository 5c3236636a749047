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

    let Ends {
        end,
        has_more,
        done,
        total,
    } = end_signals(cx, p, page, &next);
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
        done,
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

/// The flag field (`has_more:` or `done:`, named by `key`) an end signal `e` reads: a bool or an
/// integer flag of the page object.
fn flag_field(
    cx: &mut ModuleCtx,
    name: &Option<Spanned<String>>,
    page: Option<StructId>,
    e: &Spanned<String>,
    key: &str,
    meaning: &str,
) -> Option<FieldRef> {
    match (name, page) {
        (Some(n), Some(page)) => {
            let f = find(cx, page, n, "a field of the response")?;
            if !is_flag(cx, &field(cx, f).ty) {
                cx.r.at(
                    &n.referenced,
                    format!(
                        "{key} '{}' must be a bool, or an integer or integer enum (where {meaning})",
                        n.value
                    ),
                );
            }
            Some(f)
        }
        (Some(n), None) => {
            cx.r.at(
                &n.referenced,
                format!("the response is a bare list, so it has no `{key}` field"),
            );
            None
        }
        (None, _) => {
            cx.r.at(
                &e.referenced,
                format!("end {} needs `{key}:` (the response field)", e.value),
            );
            None
        }
    }
}

/// Whether a `has_more` field of this type can say "no more": a bool, or an integer flag
/// (WeCom's `has_more: 0`, 微信客服 and 汇报), plain or as an integer enum.
fn is_flag(cx: &ModuleCtx, ty: &Type) -> bool {
    match ty {
        Type::Bool | Type::Int(_) => true,
        Type::Enum(id) => cx.enums.get(id.0).is_some_and(|e| matches!(e.wire, EnumWire::Int(_))),
        _ => false,
    }
}

fn field<'c>(cx: &'c ModuleCtx, r: FieldRef) -> &'c Field {
    &cx.structs[r.strukt.0].fields[r.field]
}

/// Where the items are: a list field of the page object, or the payload itself.
fn items(cx: &mut ModuleCtx, p: &Spanned<raw::Paging>, page: Option<StructId>) -> Option<PageItems> {
    match (&p.value.items, page) {
        (Some(i), Some(page)) if i.value.contains('.') => nested_items(cx, i, page),
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

/// `items: outer.list`: a list one level down, in an object field of the response (WeCom 微盘's
/// `file_list.item`).
fn nested_items(cx: &mut ModuleCtx, i: &Spanned<String>, page: StructId) -> Option<PageItems> {
    let parts: Vec<&str> = i.value.split('.').collect();
    let [outer_name, inner_name] = parts[..] else {
        cx.r.at(
            &i.referenced,
            format!("paging items '{}' goes one level down at most (`outer.list`)", i.value),
        );
        return None;
    };
    let outer = cx.structs[page.0]
        .fields
        .iter()
        .position(|f| f.wire.as_str() == outer_name);
    let Some(outer) = outer.map(|field| FieldRef { strukt: page, field }) else {
        cx.r.at(
            &i.referenced,
            format!("paging items: '{outer_name}' is not a field of the response"),
        );
        return None;
    };
    let Type::Struct(inner_struct) = field(cx, outer).ty else {
        cx.r.at(
            &i.referenced,
            format!("paging items: '{outer_name}' must be an object to hold '{inner_name}'"),
        );
        return None;
    };
    let inner = cx.structs[inner_struct.0]
        .fields
        .iter()
        .position(|f| f.wire.as_str() == inner_name);
    let Some(inner) = inner.map(|field| FieldRef {
        strukt: inner_struct,
        field,
    }) else {
        cx.r.at(
            &i.referenced,
            format!("paging items: '{inner_name}' is not a field of '{outer_name}'"),
        );
        return None;
    };
    if !matches!(field(cx, inner).ty, Type::List(_)) {
        cx.r.at(&i.referenced, format!("paging items '{}' must be a list", i.value));
    }
    Some(PageItems::Nested(outer, inner))
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

/// The end signals, with the response fields they read.
struct Ends {
    end: Vec<EndSignal>,
    has_more: Option<FieldRef>,
    done: Option<FieldRef>,
    total: Option<FieldRef>,
}

/// The end signals, with the `has_more`, `done` and `total` fields they read.
fn end_signals(cx: &mut ModuleCtx, p: &Spanned<raw::Paging>, page: Option<StructId>, next: &Option<PageNext>) -> Ends {
    let raw = &p.value;
    let mut end = Vec::new();
    let (mut has_more, mut done, mut total) = (None, None, None);
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
            EndSignal::HasMoreFalse => {
                has_more = flag_field(cx, &raw.has_more, page, e, "has_more", "0 ends the paging");
            }
            EndSignal::DoneFlag => {
                done = flag_field(cx, &raw.done, page, e, "done", "anything but 0 ends the paging");
            }
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
    Ends {
        end,
        has_more,
        done,
        total,
    }
}
