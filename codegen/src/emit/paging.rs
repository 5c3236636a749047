//! `{id}_pages` and `{id}_items`: paging streams for the endpoints the spec marks as paged.

use super::docs;
use super::types::rust_type;
use crate::model::{EndSignal, Endpoint, Module, Type};
use proc_macro2::TokenStream;
use quote::quote;

/// The paging methods of a paged endpoint; nothing for one that does not page.
pub fn emit_paging(m: &Module, e: &Endpoint) -> TokenStream {
    let Some(p) = &e.paging else {
        return quote!();
    };
    let page_name = &m.strukt(p.page).name;
    let (req_pos, next, items) = (m.field(p.request), m.field(p.next), m.field(p.items));
    // Resolution checks that `items` is a list.
    let item_ty = match &items.ty {
        Type::List(t) => rust_type(m, t, false),
        other => rust_type(m, other, false),
    };
    let has_more = p.has_more.map(|f| m.field(f));
    let total = p.total.map(|f| m.field(f));

    let (id, id_s) = (&e.id, e.id.as_str());
    let pages_fn = e.id.suffixed("_pages");
    let items_fn = e.id.suffixed("_items");
    let req_ty = &m.request(e).name;
    let page_ty = page_name;
    let next_f = &next.rust;
    let req_f = &req_pos.rust;
    let items_f = &items.rust;

    let mut stops = Vec::new();
    if p.end.contains(&EndSignal::HasMoreFalse)
        && let Some(h) = has_more
    {
        let name = &h.rust;
        stops.push(if h.required {
            quote!(if !page.#name { return crate::runtime::Next::Done; })
        } else {
            quote!(if page.#name == Some(false) { return crate::runtime::Next::Done; })
        });
    }
    // Without a next position there is nothing to follow, whatever the documented signal.
    let take_next = if next.required {
        quote!(let next = page.#next_f;)
    } else {
        quote!(let Some(next) = page.#next_f else { return crate::runtime::Next::Done; };)
    };
    let mut after_next = Vec::new();
    if p.end.contains(&EndSignal::NextEqualsTotal)
        && let Some(t) = total
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
    let convert = if next.ty == req_pos.ty {
        quote!(let position = next;)
    } else {
        let target = rust_type(m, &req_pos.ty, false);
        quote!(let Ok(position) = #target::try_from(next) else { return crate::runtime::Next::Done; };)
    };
    let set = if req_pos.required {
        quote!(request.#req_f = position;)
    } else {
        quote!(request.#req_f = Some(position);)
    };
    let extract = if items.required {
        quote!(|page: #page_ty| page.#items_f)
    } else {
        quote!(|page: #page_ty| page.#items_f.unwrap_or_default())
    };
    let pages_doc = docs::attrs(&format!(
        "Every page of [`Self::{}`] from `request` on, following `{}` into `{}`.\n\nThe stream ends after the last page (documented end: {}), after an error, or with [`crate::Error::Paging`] when the vendor repeats a position.",
        e.id,
        next.wire,
        req_pos.wire,
        p.end
            .iter()
            .map(|s| match s {
                EndSignal::HasMoreFalse => format!("`{}` is false", has_more.map_or("has_more", |f| f.wire.as_str())),
                EndSignal::NextAbsent => format!("no `{}`", next.wire),
                EndSignal::NextEqualsTotal => {
                    format!(
                        "`{}` equals `{}`",
                        next.wire,
                        total.map_or("total", |f| f.wire.as_str())
                    )
                }
            })
            .collect::<Vec<_>>()
            .join(" or ")
    ));
    let items_doc = docs::attrs(&format!(
        "Every item (`{}`) of every page of [`Self::{}`], in order; see [`Self::{pages_fn}`].",
        items.wire, e.id
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
                    #take_next
                    #(#after_next)*
                    #convert
                    let mut request = request.clone();
                    #set
                    crate::runtime::Next::Continue(request, next.to_string())
                },
            )
        }

        #items_doc
        pub fn #items_fn(&self, request: #req_ty) -> crate::PageStream<'_, #item_ty> {
            crate::runtime::items(self.#pages_fn(request), #extract)
        }
    }
}
