//! The vendor's root module (its profile for the runtime, `Host`, `Client`, the by-id JSON entry
//! points) and the sections every module file is made of. The client API itself (builder,
//! settings) is written once by hand in the runtime's `client.rs`; only what differs per vendor is here.

use super::Section;
use super::docs;
use super::types::rust_type_in;
use crate::model::{ErrorKind, ErrorStyle, Method, Module, RustIdent, StructId, Vendor};
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
    format!("{}-{}", v.name, m.name.as_str().replace('_', "-"))
}

/// Where a module's generated file goes under `OUT_DIR` (`dingtalk/report.rs`).
pub fn module_file(v: &Vendor, m: &Module) -> String {
    format!("{}/{}.rs", v.name, m.name)
}

fn opt_str(s: &Option<String>) -> TokenStream {
    match s {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

/// `vendors.rs`: one module per vendor, behind the vendor's feature; `lib.rs` includes it, so a
/// new vendor folder needs no hand edit there.
pub fn emit_vendor_decls(spec: &crate::model::Spec) -> Vec<Section> {
    let items = spec
        .vendors
        .iter()
        .map(|v| {
            let name = &v.name;
            let feature = v.name.as_str();
            let file = format!("/{}.rs", v.name);
            let doc = docs::attrs(&format!(
                "{}.\n\n[Vendor documentation]({}). Compiled with the cargo feature `{feature}` (`{feature}-all` adds every module). Generated from `{}`.",
                docs::escape(&v.title),
                v.doc_url,
                v.core.file.trim_end_matches(crate::spec::load::VENDOR_FILE)
            ));
            included_module(&doc, feature, name, &file)
        })
        .collect();
    vec![Section {
        title: "The vendors, one module and one cargo feature each".to_owned(),
        items,
    }]
}

/// The vendor's root file.
pub fn emit_vendor(v: &Vendor) -> Vec<Section> {
    let mut sections = vec![Section {
        title: format!("{}: hosts, the runtime's profile, the client", v.title),
        items: vendor_items(v),
    }];
    sections.extend(module_sections(v, &v.core, &quote!(Client)));
    sections.push(Section {
        title: "Pushed events, one variant per event of the enabled modules".to_owned(),
        items: super::events::vendor_items(v),
    });
    let modules: Vec<TokenStream> = v.modules.iter().map(|m| module_decl(v, m)).collect();
    sections.push(Section {
        title: "Modules, one cargo feature each".to_owned(),
        items: modules,
    });
    sections
}

/// A module file.
pub fn emit_module(v: &Vendor, m: &Module) -> Vec<Section> {
    let mut sections = Vec::new();
    if let Some(s) = &m.secret_env {
        sections.push(Section {
            title: "The app this module's endpoints need".to_owned(),
            items: vec![quote! {
                /// The environment variable that holds the secret of the app these endpoints need.
                pub const SECRET_ENV: &str = #s;
            }],
        });
    }
    sections.extend(module_sections(v, m, &quote!(super::Client)));
    sections.extend(super::events::module_sections(v, m));
    sections
}

/// A module's shared types, then one section per endpoint holding its types, wire facts and methods.
fn module_sections(v: &Vendor, m: &Module, client: &TokenStream) -> Vec<Section> {
    let struct_items = |id: StructId| {
        let s = m.strukt(id);
        let mut items = vec![super::types::emit_struct(m, s)];
        if let Some(e) = m.endpoints.iter().find(|e| e.request == id) {
            items.push(super::endpoints::emit_request_impl(m, e));
        }
        if s.usage.request {
            items.push(super::limits::emit_limits(m, id));
        }
        items
    };
    let mut shared: Vec<TokenStream> = m.enums.iter().map(super::types::emit_enum).collect();
    for (id, _) in m.structs().filter(|(_, s)| s.owner.is_none() && s.event.is_none()) {
        shared.extend(struct_items(id));
    }
    let mut sections = vec![Section {
        title: format!("Types shared by the endpoints of {}", m.file),
        items: shared,
    }];
    for (i, e) in m.endpoints.iter().enumerate() {
        let mut items = Vec::new();
        for (id, _) in m.structs().filter(|(_, s)| s.owner == Some(i)) {
            items.extend(struct_items(id));
        }
        items.push(super::endpoints::emit_meta(v, e));
        items.push(super::endpoints::emit_methods(v, m, e, client));
        let method = match e.method {
            Method::Get => "GET",
            Method::Post => "POST",
        };
        sections.push(Section {
            title: format!("{}: {method} {}", e.id, e.path),
            items,
        });
    }
    sections
}

/// `pub mod report { include!(...) }`, behind the module's feature.
fn module_decl(v: &Vendor, m: &Module) -> TokenStream {
    let name = &m.name;
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
    paras.push(format!(
        "Compiled with the cargo feature `{feature}`. Generated from `{}`.",
        m.file
    ));
    let doc = docs::attrs(&paras.join("\n\n"));
    included_module(&doc, &feature, name, &file)
}

/// `pub mod name { include!(file) }` behind a cargo feature, labelled with it on docs.rs.
fn included_module(doc: &TokenStream, feature: &str, name: &RustIdent, file: &str) -> TokenStream {
    quote! {
        #doc
        #[cfg(feature = #feature)]
        #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
        pub mod #name {
            include!(concat!(env!("OUT_DIR"), #file));
        }
    }
}

/// `Host`, the profile, `Client` and its trait impls, and the by-id entry points.
fn vendor_items(v: &Vendor) -> Vec<TokenStream> {
    let host_variants: Vec<_> = v.hosts.iter().map(|h| &h.variant).collect();
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
    let token_meta = v.token_endpoint().id.shouty();
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
    let vendor_name = v.name.as_str();

    // By-id entry points: each arm deserialises into the typed request and calls the typed method.
    // Each endpoint with the path to its module's types and the cfg of its module's feature
    // (both empty for the vendor root's own endpoints).
    let all: Vec<(&Module, TokenStream, TokenStream, &crate::model::Endpoint)> = v
        .core
        .endpoints
        .iter()
        .map(|e| (&v.core, quote!(), quote!(), e))
        .chain(v.modules.iter().flat_map(|m| {
            let (name, f) = (&m.name, feature(v, m));
            m.endpoints
                .iter()
                .map(move |e| (m, quote!(#name::), quote!(#[cfg(feature = #f)]), e))
        }))
        .collect();
    let ids: Vec<&str> = all.iter().map(|(_, _, _, e)| e.id.as_str()).collect();
    let call_arms = all.iter().map(|(m, prefix, cfg, e)| {
        let id = e.id.as_str();
        let method = &e.id;
        let req = &m.request(e).name;
        quote! {
            #cfg
            #id => {
                let request: #prefix #req = crate::runtime::request_from_json(#id, request)?;
                crate::runtime::response_to_json(#id, &self.#method(&request).await?)
            }
        }
    });
    let reencode_arms = all.iter().map(|(m, prefix, cfg, e)| {
        let id = e.id.as_str();
        let resp = rust_type_in(m, &e.response, false, prefix);
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
        "The {} client: one async method per endpoint.\n\nBuild one with [`Client::builder`] or [`Client::from_env`]. Cheap to clone: clones share the HTTP connection pool and the token cache. Credentials never appear in its `Debug` output.",
        v.title
    ));
    let builder_doc = docs::attrs(&format!(
        "The builder of the {} [`Client`]; its settings are those of [`crate::ClientBuilder`].",
        v.title
    ));
    let profile = v.name.shouty().suffixed("_PROFILE");

    vec![
        quote! {
            /// The hosts this vendor's endpoints live on.
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            pub enum Host {
                #(#host_docs #host_variants,)*
            }
        },
        quote! {
            /// What the runtime needs to know about this vendor, straight from `vendor.yaml`.
            pub(crate) static #profile: crate::runtime::VendorProfile = crate::runtime::VendorProfile {
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
        },
        quote! {
            #title_doc
            #[derive(Clone, Debug)]
            pub struct Client {
                core: std::sync::Arc<crate::runtime::Core>,
            }
        },
        quote! {
            #builder_doc
            pub type ClientBuilder = crate::ClientBuilder<Client>;
        },
        quote! {
            impl crate::VendorClient for Client {
                type Host = Host;

                fn host_index(host: Host) -> usize {
                    match host { #(Host::#host_variants => #host_index,)* }
                }
            }
        },
        quote! {
            impl crate::client::Vendor for Client {
                fn profile() -> &'static crate::runtime::VendorProfile {
                    &#profile
                }

                fn from_core(core: std::sync::Arc<crate::runtime::Core>) -> Self {
                    Client { core }
                }
            }
        },
        quote! {
            impl Client {
                /// Starts a builder with the production base URLs and no credentials.
                pub fn builder() -> ClientBuilder {
                    ClientBuilder::new()
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
        },
        quote! {
            #endpoint_ids_doc
            pub const ENDPOINT_IDS: &[&str] = &[#(#ids),*];
        },
        quote! {
            /// Decodes `payload` (the `result` object, or the top-level body less its envelope) as the
            /// response of `endpoint_id` and encodes it back: exactly what the client keeps of a
            /// response. Conformance tests use it on the docs' examples.
            pub fn reencode_response(endpoint_id: &str, payload: serde_json::Value) -> Result<serde_json::Value, crate::Error> {
                match endpoint_id {
                    #(#reencode_arms)*
                    other => Err(crate::Error::unknown_endpoint(other)),
                }
            }
        },
    ]
}
