//! `{id}_pages` and `{id}_items`: paging streams for the endpoints the spec marks as paged.

use super::docs;
use super::types::{ident, rust_type};
use crate::model::{EndSignal, Endpoint, Module, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The paging methods of a module's paged endpoints.
pub fn emit_paging(m: &Module) -> TokenStream {
    let methods = m.endpoints.iter().filter_map(|e| emit_one(m, e));
    quote!(#(#methods)*)
}

fn emit_one(m: &Module, e: &Endpoint) -> Option<TokenStream> {
    let p = e.paging.as_ref()?;
    let Type::Struct(page_name) = &e.response else {
        return None;
    };
    let page = m.find_struct(page_name)?;
    let req = m.find_struct(&e.request)?;
    let field = |s: &crate::model::Struct, wire: &str| s.fields.iter().find(|f| f.wire == wire).cloned();
    let (req_pos, next, items) = (field(req, &p.request)?, field(page, &p.next)?, field(page, &p.items)?);
    let Type::List(item_ty) = &items.ty else { return None };

    let (id, id_s) = (ident(&e.id), e.id.as_str());
    let pages_fn = format_ident!("{}_pages", e.id);
    let items_fn = format_ident!("{}_items", e.id);
    let req_ty = ident(&e.request);
    let page_ty = ident(page_name);
    let item_ty = rust_type(item_ty, false);
    let next_f = ident(&next.rust);
    let req_f = ident(&req_pos.rust);
    let items_f = ident(&items.rust);

    let mut stops = Vec::new();
    if p.end.contains(&EndSignal::HasMoreFalse)
        && let Some(h) = p.has_more.as_ref().and_then(|h| field(page, h))
    {
        let h = ident(&h.rust);
        stops.push(
            if p.has_more
                .as_deref()
                .and_then(|w| field(page, w))
                .is_some_and(|f| f.required)
            {
                quote!(if !page.#h { return crate::runtime::Next::Done; })
            } else {
                quote!(if page.#h == Some(false) { return crate::runtime::Next::Done; })
            },
        );
    }
    // Without a next position there is nothing to follow, whatever the documented signal.
    let take_next = if next.required {
        quote!(let next = page.#next_f;)
    } else {
        quote!(let Some(next) = page.#next_f else { return crate::runtime::Next::Done; };)
    };
    let mut after_next = Vec::new();
    if p.end.contains(&EndSignal::NextEqualsTotal)
        && let Some(t) = p.total.as_ref().and_then(|t| field(page, t))
    {
        let total = ident(&t.rust);
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
        let target = rust_type(&req_pos.ty, false);
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
        p.next,
        p.request,
        p.end
            .iter()
            .map(|s| match s {
                EndSignal::HasMoreFalse => format!("`{}` is false", p.has_more.as_deref().unwrap_or("has_more")),
                EndSignal::NextAbsent => format!("no `{}`", p.next),
                EndSignal::NextEqualsTotal =>
                    format!("`{}` equals `{}`", p.next, p.total.as_deref().unwrap_or("total")),
            })
            .collect::<Vec<_>>()
            .join(" or ")
    ));
    let items_doc = docs::attrs(&format!(
        "Every item (`{}`) of every page of [`Self::{}`], in order; see [`Self::{pages_fn}`].",
        p.items, e.id
    ));
    Some(quote! {
        #pages_doc
        pub fn #pages_fn(&self, request: #req_ty) -> impl futures::Stream<Item = Result<#page_ty, crate::Error>> + '_ {
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
        pub fn #items_fn(&self, request: #req_ty) -> impl futures::Stream<Item = Result<#item_ty, crate::Error>> + '_ {
            crate::runtime::items(self.#pages_fn(request), #extract)
        }
    })
}
