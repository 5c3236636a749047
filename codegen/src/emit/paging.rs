//! `{id}_pages` and `{id}_items`: paging streams for the endpoints the spec marks as paged.
//!
//! The generated `advance` step reads the spec's end signals from a page and sets the next
//! position: handed back by a response field, or computed from the request (offset + size,
//! page + 1). The stream itself (`runtime::pages`) is written once by hand.

use super::docs;
use super::types::rust_type;
use crate::model::{EndSignal, Endpoint, Field, Module, PageItems, PageNext, Paging, PagingStyle, Type};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The paging methods of a paged endpoint; nothing for one that does not page.
pub fn emit_paging(m: &Module, e: &Endpoint) -> TokenStream {
    let Some(p) = &e.paging else {
        return quote!();
    };
    let page_ty = rust_type(m, &e.response, false);
    let items_ty = match p.items {
        PageItems::Field(f) | PageItems::Nested(_, f) => &m.field(f).ty,
        PageItems::Payload => &e.response,
    };
    // Resolution checks that the items are a list.
    let item_ty = match items_ty {
        Type::List(t) => rust_type(m, t, false),
        other => rust_type(m, other, false),
    };
    let req_ty = &m.request(e).name;
    let (id, id_s) = (&e.id, e.id.as_str());
    let pages_fn = e.id.suffixed("_pages");
    let items_fn = e.id.suffixed("_items");

    let mut stops = Vec::new();
    if p.end.contains(&EndSignal::HasMoreFalse)
        && let Some(h) = p.has_more.map(|f| m.field(f))
    {
        let name = &h.rust;
        // A bool says "no more" with false; an integer flag (plain or an integer enum) with 0.
        let done = match (&h.ty, h.required) {
            (Type::Bool, true) => quote!(!page.#name),
            (Type::Bool, false) => quote!(page.#name == Some(false)),
            (Type::Enum(_), true) => quote!(page.#name.code() == 0),
            (Type::Enum(_), false) => quote!(page.#name.map(|flag| flag.code()) == Some(0)),
            (_, true) => quote!(page.#name == 0),
            (_, false) => quote!(page.#name == Some(0)),
        };
        stops.push(quote!(if #done { return crate::runtime::Next::Done; }));
    }
    if p.end.contains(&EndSignal::DoneFlag)
        && let Some(d) = p.done.map(|f| m.field(f))
    {
        let name = &d.rust;
        // The opposite sense: true, or anything but 0, says this was the last page.
        let done = match (&d.ty, d.required) {
            (Type::Bool, true) => quote!(page.#name),
            (Type::Bool, false) => quote!(page.#name == Some(true)),
            (Type::Enum(_), true) => quote!(page.#name.code() != 0),
            (Type::Enum(_), false) => quote!(page.#name.is_some_and(|flag| flag.code() != 0)),
            (_, true) => quote!(page.#name != 0),
            (_, false) => quote!(page.#name.is_some_and(|flag| flag != 0)),
        };
        stops.push(quote!(if #done { return crate::runtime::Next::Done; }));
    }
    if p.next == PageNext::Computed || p.end.contains(&EndSignal::ShortPage) {
        stops.push(page_end_check(m, p));
    }
    let advance = match p.next {
        PageNext::Field(next) => follow_field(m, p, m.field(next)),
        PageNext::Computed => compute_position(m, p),
    };
    let extract = match p.items {
        PageItems::Field(f) => {
            let f = m.field(f);
            let n = &f.rust;
            if f.required {
                quote!(|page: #page_ty| page.#n)
            } else {
                quote!(|page: #page_ty| page.#n.unwrap_or_default())
            }
        }
        PageItems::Nested(o, i) => {
            let (o, i) = (m.field(o), m.field(i));
            let (on, inn) = (&o.rust, &i.rust);
            match (o.required, i.required) {
                (true, true) => quote!(|page: #page_ty| page.#on.#inn),
                (true, false) => quote!(|page: #page_ty| page.#on.#inn.unwrap_or_default()),
                (false, true) => quote!(|page: #page_ty| page.#on.map(|outer| outer.#inn).unwrap_or_default()),
                (false, false) => quote!(|page: #page_ty| page.#on.and_then(|outer| outer.#inn).unwrap_or_default()),
            }
        }
        PageItems::Payload => quote!(|page: #page_ty| page),
    };
    let pages_doc = docs::attrs(&pages_doc(m, e, p));
    let items_wire = match p.items {
        PageItems::Field(f) => format!("`{}`", m.field(f).wire),
        PageItems::Nested(o, i) => format!("`{}.{}`", m.field(o).wire, m.field(i).wire),
        PageItems::Payload => "the list it returns".to_owned(),
    };
    let items_doc = docs::attrs(&format!(
        "Every item ({items_wire}) of every page of [`Self::{}`], in order; see [`Self::{pages_fn}`].",
        e.id
    ));
    quote! {
        #pages_doc
        pub fn #pages_fn(&self, request: #req_ty) -> crate::PageStream<'_, #page_ty> {
            crate::runtime::pages(
                #id_s,
                request,
                move |request: #req_ty| async move { self.#id(&request).await },
                |request: &#req_ty, page: &#page_ty| {
                    #(#stops)*
                    #advance
                },
            )
        }

        #items_doc
        pub fn #items_fn(&self, request: #req_ty) -> crate::PageStream<'_, #item_ty> {
            crate::runtime::items(self.#pages_fn(request), #extract)
        }
    }
}

/// `request.{field} = position` for the request's position field, and the step's result.
fn set_position(m: &Module, p: &Paging, key: TokenStream) -> TokenStream {
    let req_pos = m.field(p.request);
    let req_f = &req_pos.rust;
    let set = if req_pos.required {
        quote!(request.#req_f = position;)
    } else {
        quote!(request.#req_f = Some(position);)
    };
    quote! {
        let mut request = request.clone();
        #set
        crate::runtime::Next::Continue(request, #key)
    }
}

/// The position a response field hands back, after the end signals that read it.
fn follow_field(m: &Module, p: &Paging, next: &Field) -> TokenStream {
    let req_pos = m.field(p.request);
    let next_f = &next.rust;
    // Resolution allows an integer or a string; only a string needs a copy out of the page.
    let owned = if next.ty == Type::String {
        quote!(page.#next_f.clone())
    } else {
        quote!(page.#next_f)
    };
    // Without a next position there is nothing to follow, whatever the documented signal.
    let take_next = if next.required {
        quote!(let next = #owned;)
    } else {
        quote!(let Some(next) = #owned else { return crate::runtime::Next::Done; };)
    };
    let mut after_next = Vec::new();
    if p.end.contains(&EndSignal::NextEmpty) {
        after_next.push(quote!(if next.is_empty() {
            return crate::runtime::Next::Done;
        }));
    }
    if p.end.contains(&EndSignal::NextEqualsTotal)
        && let Some(t) = p.total.map(|f| m.field(f))
    {
        let total = &t.rust;
        after_next.push(if t.required {
            quote!(if next == page.#total { return crate::runtime::Next::Done; })
        } else {
            quote!(if Some(next) == page.#total { return crate::runtime::Next::Done; })
        });
    }
    // Same type: the position is the value handed back. Different integer widths: a value that
    // does not fit the request field cannot be sent, so paging ends there.
    let (convert, key) = if next.ty == Type::String {
        (quote!(let position = next.clone();), quote!(next))
    } else if next.ty == req_pos.ty {
        (quote!(let position = next;), quote!(next.to_string()))
    } else {
        let target = rust_type(m, &req_pos.ty, false);
        (
            quote!(let Ok(position) = #target::try_from(next) else { return crate::runtime::Next::Done; };),
            quote!(next.to_string()),
        )
    };
    let set = set_position(m, p, key);
    quote! {
        #take_next
        #(#after_next)*
        #convert
        #set
    }
}

/// The value of an integer request field, or its documented default when unset.
fn request_value(f: &Field, default: Option<i64>) -> TokenStream {
    let n = &f.rust;
    match (f.required, default) {
        (true, _) | (false, None) => quote!(request.#n),
        (false, Some(d)) => {
            let d = Literal::i64_unsuffixed(d);
            quote!(request.#n.unwrap_or(#d))
        }
    }
}

/// The page size the request asked for, as an `i128`.
fn page_size(m: &Module, p: &Paging) -> Option<TokenStream> {
    let size = request_value(m.field(p.size?), p.size_default);
    Some(quote!(i128::from(#size)))
}

/// Ends on an empty page, and with `short_page` on one shorter than the page size.
fn page_end_check(m: &Module, p: &Paging) -> TokenStream {
    let len = match p.items {
        PageItems::Field(f) => {
            let f = m.field(f);
            let n = &f.rust;
            if f.required {
                quote!(page.#n.len())
            } else {
                quote!(page.#n.as_ref().map_or(0, Vec::len))
            }
        }
        PageItems::Nested(o, i) => {
            let (o, i) = (m.field(o), m.field(i));
            let (on, inn) = (&o.rust, &i.rust);
            match (o.required, i.required) {
                (true, true) => quote!(page.#on.#inn.len()),
                (true, false) => quote!(page.#on.#inn.as_ref().map_or(0, Vec::len)),
                (false, true) => quote!(page.#on.as_ref().map_or(0, |outer| outer.#inn.len())),
                (false, false) => quote!(page.#on.as_ref().and_then(|outer| outer.#inn.as_ref()).map_or(0, Vec::len)),
            }
        }
        PageItems::Payload => quote!(page.len()),
    };
    let size = match page_size(m, p) {
        Some(s) if p.end.contains(&EndSignal::ShortPage) => quote!(Some(#s)),
        _ => quote!(None),
    };
    quote!(if crate::runtime::page_ended(#len, #size) { return crate::runtime::Next::Done; })
}

/// The next position computed from the request: offset + page size, or page + 1.
fn compute_position(m: &Module, p: &Paging) -> TokenStream {
    let req_pos = m.field(p.request);
    let current = request_value(req_pos, p.request_default);
    let step = match (p.style, page_size(m, p)) {
        (PagingStyle::Offset, Some(size)) => size,
        _ => quote!(1),
    };
    let target = rust_type(m, &req_pos.ty, false);
    let set = set_position(m, p, quote!(position.to_string()));
    quote! {
        // A position past the field's range cannot be sent, so paging ends there.
        let Ok(position) = #target::try_from(i128::from(#current) + #step) else {
            return crate::runtime::Next::Done;
        };
        #set
    }
}

/// The rustdoc of `{id}_pages`: what it follows and what ends it.
fn pages_doc(m: &Module, e: &Endpoint, p: &Paging) -> String {
    let position = &m.field(p.request).wire;
    let size = p.size.map_or("size", |s| m.field(s).wire.as_str());
    let follows = match p.next {
        PageNext::Field(f) => format!("following `{}` into `{position}`", m.field(f).wire),
        PageNext::Computed if p.style == PagingStyle::Offset => {
            format!("advancing `{position}` by `{size}` each page")
        }
        PageNext::Computed => format!("advancing `{position}` by one each page"),
    };
    let next = match p.next {
        PageNext::Field(f) => m.field(f).wire.as_str(),
        PageNext::Computed => "next",
    };
    let mut ends: Vec<String> = p
        .end
        .iter()
        .map(|s| match s {
            EndSignal::HasMoreFalse => match p.has_more.map(|f| m.field(f)) {
                Some(f) if f.ty == Type::Bool => format!("`{}` is false", f.wire),
                Some(f) => format!("`{}` is 0", f.wire),
                None => "`has_more` is false".to_owned(),
            },
            EndSignal::DoneFlag => match p.done.map(|f| m.field(f)) {
                Some(f) if f.ty == Type::Bool => format!("`{}` is true", f.wire),
                Some(f) => format!("`{}` is not 0", f.wire),
                None => "the done flag is set".to_owned(),
            },
            EndSignal::NextAbsent => format!("no `{next}`"),
            EndSignal::NextEmpty => format!("an empty or absent `{next}`"),
            EndSignal::NextEqualsTotal => format!(
                "`{next}` equals `{}`",
                p.total.map_or("total", |f| m.field(f).wire.as_str())
            ),
            EndSignal::ShortPage => format!("a page with fewer items than `{size}`"),
        })
        .collect();
    if p.next == PageNext::Computed && !p.end.contains(&EndSignal::ShortPage) {
        ends.push("an empty page".to_owned());
    }
    format!(
        "Every page of [`Self::{}`] from `request` on, {follows}.\n\nThe stream ends after the last page (documented end: {}), after an error, or with [`crate::Error::Paging`] when the vendor repeats a position.",
        e.id,
        ends.join(" or ")
    )
}
