//! One endpoint's code: its wire facts for the runtime, its client method, and the query writer
//! of its request.

use super::docs;
use super::types::rust_type;
use crate::model::{
    Endpoint, FieldPlace, Method, Module, PageNext, PagingStyle, PayloadAt, TokenPlacement, Type, Vendor,
};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

fn method_doc(v: &Vendor, m: &Module, e: &Endpoint) -> String {
    let mut paras = vec![docs::escape(&e.title)];
    paras.extend(docs::paragraphs(&e.docs));
    let method = match e.method {
        Method::Get => "GET",
        Method::Post => "POST",
    };
    let host = v.host(e.host);
    paras.push(format!(
        "`{method} {}{}` ([vendor documentation]({})).",
        host.base_url, e.path, e.doc_url
    ));
    let mut facts = Vec::new();
    facts.push(if e.idempotent {
        "Idempotent: safe to send again.".to_owned()
    } else {
        "Not idempotent: it is never resent once it may have reached the server.".to_owned()
    });
    if let Some(rl) = &e.rate_limit {
        let per = match rl.per_seconds {
            1 => "second",
            60 => "minute",
            3600 => "hour",
            _ => "day",
        };
        facts.push(format!("Rate limit: {} calls a {per}.", rl.calls));
    }
    for s in &e.spans {
        facts.push(format!(
            "`{}` and `{}` may be at most {} days apart.",
            m.field(s.from).wire,
            m.field(s.to).wire,
            s.max_days
        ));
    }
    if let Some(p) = &e.paging {
        let position = &m.field(p.request).wire;
        let next = match (p.next, p.size) {
            (PageNext::Field(f), _) => format!("`{}`", m.field(f).wire),
            (PageNext::Computed, Some(size)) if p.style == PagingStyle::Offset => {
                format!("`{position}` + `{}`", m.field(size).wire)
            }
            (PageNext::Computed, _) => format!("`{position}` + 1"),
        };
        facts.push(format!("Pages by `{position}`; the next position is {next}."));
    }
    paras.push(facts.join(" "));
    let resp = docs::paragraphs(&e.response_docs);
    if !resp.is_empty() {
        paras.push(format!("Returns: {}", resp.join(" ")));
    }
    if !e.errcodes.is_empty() {
        let list: Vec<String> = e
            .errcodes
            .iter()
            .map(|c| format!("- `{}`: {}", c.code, docs::escape(&c.doc)))
            .collect();
        paras.push(format!("Documented errcodes:\n\n{}", list.join("\n")));
    }
    paras.extend(super::usage::method_example(v, m, e));
    paras.join("\n\n")
}

/// The `const` with the endpoint's wire facts for the runtime.
pub fn emit_meta(v: &Vendor, e: &Endpoint) -> TokenStream {
    let name = e.id.shouty();
    let id = e.id.as_str();
    let method = match e.method {
        Method::Get => quote!(crate::runtime::Method::Get),
        Method::Post => quote!(crate::runtime::Method::Post),
    };
    let host = Literal::usize_unsuffixed(e.host.0);
    let path = &e.path;
    let token = match e.token {
        TokenPlacement::Query => quote!(crate::runtime::TokenPlacement::Query),
        TokenPlacement::Header => quote!(crate::runtime::TokenPlacement::Header),
        TokenPlacement::None => quote!(crate::runtime::TokenPlacement::None),
    };
    let payload = match e.payload_at {
        PayloadAt::Top => quote!(crate::runtime::PayloadAt::Top),
        PayloadAt::Result => quote!(crate::runtime::PayloadAt::Result),
    };
    let wrap = match &e.wrap {
        Some(w) => quote!(Some(#w)),
        None => quote!(None),
    };
    let idem = e.idempotent;
    let rate = match e.rate_limit.as_ref().or(v.rate_limit.as_ref()) {
        Some(r) => {
            let (calls, per) = (Literal::u32_unsuffixed(r.calls), Literal::u32_unsuffixed(r.per_seconds));
            quote!(Some((#calls, #per)))
        }
        None => quote!(None),
    };
    let doc = docs::attrs(&format!("Wire facts of `{id}`."));
    quote! {
        #doc
        pub(crate) const #name: crate::runtime::Endpoint = crate::runtime::Endpoint {
            id: #id,
            method: #method,
            host: #host,
            path: #path,
            token: #token,
            payload: #payload,
            wrap: #wrap,
            idempotent: #idem,
            rate_limit: #rate,
        };
    }
}

/// `impl Client { async fn ... }` for the endpoint, with its paging streams. `client` is the path
/// to the vendor's `Client` from the module.
pub fn emit_methods(v: &Vendor, m: &Module, e: &Endpoint, client: &TokenStream) -> TokenStream {
    let name = &e.id;
    let req = &m.request(e).name;
    let resp = rust_type(m, &e.response, false);
    let meta = e.id.shouty();
    let doc = docs::attrs(&method_doc(v, m, e));
    let paging = super::paging::emit_paging(m, e);
    quote! {
        impl #client {
            #doc
            pub async fn #name(&self, request: &#req) -> Result<#resp, crate::Error> {
                self.core.call(&#meta, request).await
            }
            #paging
        }
    }
}

/// `impl ApiRequest` for the endpoint's request struct: what goes in the query string. A request
/// with no query fields takes the trait's default, which writes nothing.
pub fn emit_request_impl(m: &Module, e: &Endpoint) -> TokenStream {
    let s = m.request(e);
    let name = &s.name;
    let pushes: Vec<TokenStream> = s
        .fields
        .iter()
        .filter(|f| f.place == FieldPlace::Query)
        .map(|f| {
            let n = &f.rust;
            let w = &f.wire;
            let push = match &f.ty {
                Type::Delimited(c, _) => quote!(query.push_list(#w, #c, v)),
                _ => quote!(query.push(#w, v)),
            };
            if f.required {
                quote! { { let v = &self.#n; #push; } }
            } else {
                quote! { if let Some(v) = &self.#n { #push; } }
            }
        })
        .collect();
    if pushes.is_empty() {
        return quote!(impl crate::runtime::ApiRequest for #name {});
    }
    quote! {
        impl crate::runtime::ApiRequest for #name {
            fn write_query(&self, query: &mut crate::runtime::Query) {
                #(#pushes)*
            }
        }
    }
}
