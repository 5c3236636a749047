//! Endpoints: their metadata for the runtime, the client methods, and request query writers.

use super::docs;
use super::types::{ident, rust_type};
use crate::model::{Endpoint, FieldPlace, Method, Module, PayloadAt, TokenPlacement, Type, Vendor};
use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

/// Name of the `const` holding an endpoint's metadata.
pub fn meta_ident(e: &Endpoint) -> proc_macro2::Ident {
    ident(&e.id.to_shouty_snake_case())
}

/// The Rust type a method returns.
pub fn response_type(e: &Endpoint) -> TokenStream {
    rust_type(&e.response, false)
}

fn method_doc(v: &Vendor, e: &Endpoint) -> String {
    let mut paras = vec![docs::escape(&e.title)];
    paras.extend(docs::paragraphs(&e.docs));
    let method = match e.method {
        Method::Get => "GET",
        Method::Post => "POST",
    };
    let host = v.host(&e.host);
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
            s.from, s.to, s.max_days
        ));
    }
    if let Some(p) = &e.paging {
        facts.push(format!("Pages by `{}`; the next position is `{}`.", p.request, p.next));
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
    paras.join("\n\n")
}

/// The metadata `const` of each endpoint of a module.
pub fn emit_meta(v: &Vendor, m: &Module) -> TokenStream {
    let items = m.endpoints.iter().map(|e| {
        let name = meta_ident(e);
        let id = &e.id;
        let method = match e.method {
            Method::Get => quote!(crate::runtime::Method::Get),
            Method::Post => quote!(crate::runtime::Method::Post),
        };
        let host = proc_macro2::Literal::usize_unsuffixed(v.hosts.iter().position(|h| h.id == e.host).unwrap_or(0));
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
                let (calls, per) = (
                    proc_macro2::Literal::u32_unsuffixed(r.calls),
                    proc_macro2::Literal::u32_unsuffixed(r.per_seconds),
                );
                quote!(Some((#calls, #per)))
            }
            None => quote!(None),
        };
        let doc = format!("Wire facts of `{}`.", e.id);
        quote! {
            #[doc = #doc]
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
    });
    quote!(#(#items)*)
}

/// `impl Client { async fn ... }` for a module's endpoints. `client` is the path to the vendor's
/// `Client` from the module.
pub fn emit_methods(v: &Vendor, m: &Module, client: TokenStream) -> TokenStream {
    let methods = m.endpoints.iter().map(|e| {
        let name = ident(&e.id);
        let req = ident(&e.request);
        let resp = response_type(e);
        let meta = meta_ident(e);
        let doc = docs::attrs(&method_doc(v, e));
        quote! {
            #doc
            pub async fn #name(&self, request: &#req) -> Result<#resp, crate::Error> {
                self.core.call(&#meta, request).await
            }
        }
    });
    let paging = super::paging::emit_paging(m);
    quote! {
        impl #client {
            #(#methods)*
            #paging
        }
    }
}

/// `impl ApiRequest` for each request struct: what goes in the query string.
pub fn emit_request_impls(m: &Module) -> TokenStream {
    let impls = m.endpoints.iter().filter_map(|e| {
        let s = m.find_struct(&e.request)?;
        let name = ident(&s.name);
        let pushes: Vec<TokenStream> = s
            .fields
            .iter()
            .filter(|f| f.place == FieldPlace::Query)
            .map(|f| {
                let n = ident(&f.rust);
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
        let body = if pushes.is_empty() {
            quote!(let _ = query;)
        } else {
            quote!(#(#pushes)*)
        };
        Some(quote! {
            impl crate::runtime::ApiRequest for #name {
                fn write_query(&self, query: &mut crate::runtime::Query) {
                    #body
                }
            }
        })
    });
    quote!(#(#impls)*)
}
