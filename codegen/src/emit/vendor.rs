//! The vendor's root module: its profile for the runtime, `Host`, `Client` and its builder, and
//! the by-id JSON entry points.

use super::docs;
use super::endpoints::meta_ident;
use super::types::{emit_types, ident};
use crate::model::{ErrorKind, ErrorStyle, Module, Vendor};
use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::quote;

fn kind(k: ErrorKind) -> TokenStream {
    match k {
        ErrorKind::Token => quote!(crate::ErrorKind::Token),
        ErrorKind::Busy => quote!(crate::ErrorKind::Busy),
        ErrorKind::Throttle => quote!(crate::ErrorKind::Throttle),
        ErrorKind::Quota => quote!(crate::ErrorKind::Quota),
        ErrorKind::Auth => quote!(crate::ErrorKind::Auth),
        ErrorKind::Param => quote!(crate::ErrorKind::Param),
        ErrorKind::Other => quote!(crate::ErrorKind::Other),
    }
}

/// The cargo feature that turns a module on (`dingtalk-report`).
pub fn feature(v: &Vendor, m: &Module) -> String {
    format!("{}-{}", v.name, m.name.replace('_', "-"))
}

/// `(path of the generated file, vendor-relative module path)` for each module.
pub fn module_file(v: &Vendor, m: &Module) -> String {
    format!("{}/{}.rs", v.name, m.name)
}

fn opt_str(s: &Option<String>) -> TokenStream {
    match s {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

/// The vendor's root module body.
pub fn emit_vendor(v: &Vendor) -> TokenStream {
    let host_variants: Vec<_> = v.hosts.iter().map(|h| ident(&h.id.to_upper_camel_case())).collect();
    let host_docs = v.hosts.iter().map(|h| {
        let mut d = format!("`{}` (override with `{}`).", h.base_url, h.env);
        if let Some(n) = &h.note {
            d.push_str("\n\n");
            d.push_str(&docs::escape(n));
        }
        docs::attrs(&d)
    });
    let host_index: Vec<_> = (0..v.hosts.len()).map(proc_macro2::Literal::usize_unsuffixed).collect();
    let host_profiles = v.hosts.iter().map(|h| {
        let id = &h.id;
        let url = &h.base_url;
        let env = &h.env;
        let errors = match h.errors {
            ErrorStyle::Envelope => quote!(crate::runtime::ErrorStyle::Envelope),
            ErrorStyle::Http => quote!(crate::runtime::ErrorStyle::Http),
        };
        quote!(crate::runtime::HostProfile { id: #id, base_url: #url, env: #env, errors: #errors })
    });
    let errcodes = v.errcodes.iter().map(|c| {
        let code = proc_macro2::Literal::i64_unsuffixed(c.code);
        let k = kind(c.kind);
        let subs = &c.sub_codes;
        let doc = &c.doc;
        let en = opt_str(&c.en);
        quote!(crate::runtime::ErrcodeInfo { code: #code, kind: #k, sub_codes: &[#(#subs),*], doc: #doc, en: #en })
    });
    let http_errors = v.http_errors.iter().map(|c| {
        let code = &c.code;
        let status = c.status;
        let k = kind(c.kind);
        let doc = &c.doc;
        let en = opt_str(&c.en);
        quote!(crate::runtime::HttpErrorInfo { code: #code, status: #status, kind: #k, doc: #doc, en: #en })
    });
    let t = &v.token;
    let token_meta = v
        .core
        .endpoints
        .iter()
        .find(|e| e.id == t.endpoint)
        .map(meta_ident)
        .expect("resolve checks the token endpoint exists");
    let (qp, id_param, secret_param, id_env, secret_env, token_field, expires_field) = (
        &t.query_param,
        &t.id_param,
        &t.secret_param,
        &t.id_env,
        &t.secret_env,
        &t.token_field,
        &t.expires_field,
    );
    let header = opt_str(&t.header);
    let vendor_name = &v.name;

    let core_types = emit_types(&v.core);
    let core_meta = super::endpoints::emit_meta(v, &v.core);
    let core_methods = super::endpoints::emit_methods(v, &v.core, quote!(Client));
    let core_requests = super::endpoints::emit_request_impls(&v.core);
    let core_limits = super::limits::emit_limits(&v.core);

    let modules = v.modules.iter().map(|m| {
        let name = ident(&m.name);
        let feature = feature(v, m);
        let file = format!("/{}", module_file(v, m));
        let mut paras = vec![format!("{} ({})", docs::escape(&m.title), m.name)];
        if let Some(u) = &m.doc_url {
            paras.push(format!("[Vendor documentation]({u})."));
        }
        if let Some(s) = &m.secret_env {
            paras.push(format!(
                "Its endpoints need a token of the app whose secret `{s}` holds; build a separate `Client` with that secret."
            ));
        }
        paras.push(format!("Compiled with the cargo feature `{feature}`. Generated from `{}`.", m.file));
        let doc = docs::attrs(&paras.join("\n\n"));
        quote! {
            #doc
            #[cfg(feature = #feature)]
            pub mod #name {
                include!(concat!(env!("OUT_DIR"), #file));
            }
        }
    });

    // By-id entry points: each arm deserialises into the typed request and calls the typed method.
    // Each endpoint with the path to its module's types and the cfg of its module's feature
    // (both empty for the vendor root's own endpoints).
    let all: Vec<(TokenStream, TokenStream, &crate::model::Endpoint)> = v
        .core
        .endpoints
        .iter()
        .map(|e| (quote!(), quote!(), e))
        .chain(v.modules.iter().flat_map(|m| {
            let (name, f) = (ident(&m.name), feature(v, m));
            m.endpoints
                .iter()
                .map(move |e| (quote!(#name::), quote!(#[cfg(feature = #f)]), e))
        }))
        .collect();
    let ids: Vec<&str> = all.iter().map(|(_, _, e)| e.id.as_str()).collect();
    let call_arms = all.iter().map(|(prefix, cfg, e)| {
        let id = &e.id;
        let method = ident(&e.id);
        let req = ident(&e.request);
        quote! {
            #cfg
            #id => {
                let request: #prefix #req = crate::runtime::request_from_json(#id, request)?;
                crate::runtime::response_to_json(#id, &self.#method(&request).await?)
            }
        }
    });
    let reencode_arms = all.iter().map(|(prefix, cfg, e)| {
        let id = &e.id;
        let resp = super::types::rust_type_in(&e.response, false, prefix);
        quote! {
            #cfg
            #id => crate::runtime::reencode::<#resp>(#id, payload),
        }
    });
    let endpoint_ids_doc = docs::attrs(&format!(
        "Every endpoint id of {} in spec order, whether or not its module's feature is on.",
        v.title
    ));
    let title_doc = docs::attrs(&format!(
        "The {} client: one async method per endpoint.\n\nCheap to clone: clones share the HTTP connection pool and the token cache. Credentials never appear in its `Debug` output.",
        v.title
    ));
    let vendor_upper = ident(&format!("{}_PROFILE", v.name.to_uppercase()));

    quote! {
        /// The hosts this vendor's endpoints live on.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Host {
            #(#host_docs #host_variants,)*
        }

        impl Host {
            /// Index into the vendor profile's hosts.
            const fn index(self) -> usize {
                match self { #(Host::#host_variants => #host_index,)* }
            }
        }

        /// What the runtime needs to know about this vendor, straight from `vendor.yaml`.
        pub(crate) static #vendor_upper: crate::runtime::VendorProfile = crate::runtime::VendorProfile {
            name: #vendor_name,
            hosts: &[#(#host_profiles),*],
            token: crate::runtime::TokenProfile {
                endpoint: &#token_meta,
                query_param: #qp,
                header: #header,
                id_param: #id_param,
                secret_param: #secret_param,
                id_env: #id_env,
                secret_env: #secret_env,
                token_field: #token_field,
                expires_field: #expires_field,
            },
            errcodes: &[#(#errcodes),*],
            http_errors: &[#(#http_errors),*],
        };

        #title_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            core: std::sync::Arc<crate::runtime::Core>,
        }

        /// Builds a [`Client`]: credentials, base URLs, and optionally your own `reqwest::Client`.
        #[derive(Debug)]
        #[must_use]
        pub struct ClientBuilder {
            inner: crate::runtime::CoreBuilder,
        }

        impl Client {
            /// Starts a builder with the production base URLs and no credentials.
            pub fn builder() -> ClientBuilder {
                ClientBuilder { inner: crate::runtime::CoreBuilder::new(&#vendor_upper) }
            }

            /// A client configured from the environment (credential and base-URL variables of
            /// `vendor.yaml`); fails with [`crate::Error::Config`] naming a missing variable.
            pub fn from_env() -> Result<Self, crate::Error> {
                Self::builder().load_env()?.build()
            }

            /// Calls an endpoint by its spec id with a JSON request (query and body fields in one
            /// object, without the body's wrapper) and returns the payload as JSON. The request goes
            /// through the endpoint's typed request, so a field the spec does not know is an error.
            pub async fn call_json(&self, endpoint_id: &str, request: serde_json::Value) -> Result<serde_json::Value, crate::Error> {
                match endpoint_id {
                    #(#call_arms)*
                    other => Err(crate::Error::unknown_endpoint(other)),
                }
            }

            /// The credential's public half (app key or corp id): safe to log.
            pub fn credential_id(&self) -> &str {
                self.core.credential_id()
            }
        }

        impl ClientBuilder {
            /// The app's credentials: the public id and the secret.
            pub fn credentials(mut self, id: impl Into<String>, secret: impl Into<crate::Secret>) -> Self {
                self.inner = self.inner.credentials(id.into(), secret.into());
                self
            }

            /// Points a host at another base URL (a proxy, or a local mock server).
            pub fn base_url(mut self, host: Host, url: impl Into<String>) -> Self {
                self.inner = self.inner.base_url(host.index(), url.into());
                self
            }

            /// Uses your own `reqwest::Client` (proxies, TLS roots, timeouts of your own).
            pub fn http_client(mut self, client: reqwest::Client) -> Self {
                self.inner = self.inner.http_client(client);
                self
            }

            /// How transient failures are retried (default: [`crate::RetryPolicy::default`]).
            pub fn retry_policy(mut self, policy: crate::RetryPolicy) -> Self {
                self.inner = self.inner.retry_policy(policy);
                self
            }

            /// Whether documented limits (list lengths, string lengths, ranges, time spans) are
            /// checked before sending; on by default. A request that breaks one fails with
            /// [`crate::Error::Limit`] and is not sent.
            pub fn check_limits(mut self, on: bool) -> Self {
                self.inner = self.inner.check_limits(on);
                self
            }

            /// The largest response body read before the call fails with
            /// [`crate::Error::TooLarge`] (default 16 MiB), so a runaway answer cannot exhaust memory.
            pub fn max_response_bytes(mut self, bytes: usize) -> Self {
                self.inner = self.inner.max_response_bytes(bytes);
                self
            }

            /// Whether calls wait to stay within the vendor's documented rate limits (per endpoint:
            /// its own documented limit, else the vendor's); off by default.
            pub fn rate_limit(mut self, on: bool) -> Self {
                self.inner = self.inner.rate_limit(on);
                self
            }

            /// Keeps the token in `store` as well, so clients and processes that share the store and
            /// the credential share one token ([`crate::MemoryTokenStore`], or `RedisTokenStore`
            /// with the `redis` feature).
            pub fn token_store(mut self, store: std::sync::Arc<dyn crate::TokenStore>) -> Self {
                self.inner = self.inner.token_store(store);
                self
            }

            /// Reads credentials and base URLs from the environment variables `vendor.yaml` names.
            pub fn load_env(mut self) -> Result<Self, crate::Error> {
                self.inner = self.inner.load_env()?;
                Ok(self)
            }

            /// Finishes the client.
            pub fn build(self) -> Result<Client, crate::Error> {
                Ok(Client { core: std::sync::Arc::new(self.inner.build()?) })
            }
        }

        #endpoint_ids_doc
        pub const ENDPOINT_IDS: &[&str] = &[#(#ids),*];

        /// Decodes `payload` (the `result` object, or the top-level body less its envelope) as the
        /// response of `endpoint_id` and encodes it back: exactly what the client keeps of a
        /// response. Conformance tests use it on the docs' examples.
        pub fn reencode_response(endpoint_id: &str, payload: serde_json::Value) -> Result<serde_json::Value, crate::Error> {
            match endpoint_id {
                #(#reencode_arms)*
                other => Err(crate::Error::unknown_endpoint(other)),
            }
        }

        #core_types
        #core_requests
        #core_limits
        #core_meta
        #core_methods

        #(#modules)*
    }
}

/// A module file's body.
pub fn emit_module(v: &Vendor, m: &Module) -> TokenStream {
    let types = emit_types(m);
    let requests = super::endpoints::emit_request_impls(m);
    let limits = super::limits::emit_limits(m);
    let meta = super::endpoints::emit_meta(v, m);
    let methods = super::endpoints::emit_methods(v, m, quote!(super::Client));
    let secret = m.secret_env.as_ref().map(|s| {
        quote! {
            /// The environment variable that holds the secret of the app these endpoints need.
            pub const SECRET_ENV: &str = #s;
        }
    });
    quote! {
        #secret
        #types
        #requests
        #limits
        #meta
        #methods
    }
}
