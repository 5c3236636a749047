//! `vendor.yaml`: hosts, tokens, errcodes; then the names a vendor's modules share (endpoint ids
//! become methods of one `Client`) and the token endpoint's fields.

use super::super::keywords::Per;
use super::super::names::{self, RustIdent};
use super::super::*;
use super::Reporter;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::spec::entries::Entries;
use crate::spec::load::RawVendor;
use crate::spec::raw;
use serde_saphyr::{Location, Spanned};
use std::collections::HashMap;

/// Methods every generated `Client` has besides its endpoints.
const CLIENT_METHODS: &[&str] = &["builder", "from_env", "call_json", "credential_id", "clone", "fmt"];

/// What the modules of a vendor need from `vendor.yaml`.
pub(super) struct VendorCtx<'a> {
    /// The vendor's name, unless it was refused.
    pub(super) name: Option<RustIdent>,
    pub(super) hosts: &'a [Host],
    pub(super) envelope: &'a [String],
    /// `events:` of vendor.yaml as written, with its format, when it is usable.
    pub(super) events: Option<(&'a raw::EventFormat, PushFormat)>,
}

pub(super) fn resolve_vendor(rv: &RawVendor, problems: &mut Diagnostics) -> Vendor {
    let v = &rv.vendor;
    let mut r = Reporter {
        file: &rv.file,
        problems,
    };
    let name = r.name(&v.vendor.referenced, names::vendor(&v.vendor.value));
    let hosts = hosts(&mut r, v);
    wire_words(&mut r, v);
    let rate_limit = v.rate_limit.as_ref().and_then(|rl| rate_limit(&mut r, rl));
    let errcodes = errcodes(&mut r, &v.errcodes);
    let http_errors = v
        .http_errors
        .iter()
        .map(|e| HttpError {
            code: e.value.code.clone(),
            status: e.value.status,
            doc: e.value.doc.clone(),
            en: e.value.en.clone(),
            kind: error_kind(&mut r, e.value.kind.as_ref()),
        })
        .collect();

    let envelope: Vec<String> = v.envelope.iter().map(|e| e.value.clone()).collect();
    let events = v.events.as_ref().and_then(|e| super::event::event_format(&mut r, e));
    let ctx = VendorCtx {
        name: name.clone(),
        hosts: &hosts,
        envelope: &envelope,
        events: v
            .events
            .as_ref()
            .zip(events.as_ref())
            .map(|(raw, f)| (&raw.value, f.format)),
    };
    let core_raw = raw::ModuleFile {
        module: Spanned::new("core".to_owned(), v.vendor.referenced, v.vendor.defined),
        title: v.title.clone(),
        doc_url: Some(v.doc_url.clone()),
        secret_env: None,
        types: Entries::default(),
        enums: Entries::default(),
        endpoints: Vec::new(),
        events: Vec::new(),
    };
    let core = super::module::resolve_module(&rv.file, &core_raw, &v.endpoints, &ctx, true, problems);
    let modules = rv
        .modules
        .iter()
        .map(|(file, m)| super::module::resolve_module(file, m, &m.endpoints, &ctx, false, problems))
        .collect();
    method_names(rv, problems);
    super::event::event_keys(rv, problems);

    let mut r = Reporter {
        file: &rv.file,
        problems,
    };
    let token = token(&mut r, &v.token, &core, &v.endpoints);
    Vendor {
        // A vendor whose name was refused is never emitted: resolution returns the problems.
        name: name.unwrap_or_else(placeholder),
        title: v.title.clone(),
        doc_url: v.doc_url.clone(),
        hosts,
        token,
        envelope,
        rate_limit,
        errcodes,
        http_errors,
        core,
        modules,
        events,
    }
}

/// A stand-in name for a part whose real name was refused (and reported); never emitted.
pub(super) fn placeholder() -> RustIdent {
    names::field("unnamed").unwrap_or_else(|_| unreachable!("'unnamed' is a valid identifier"))
}

fn hosts(r: &mut Reporter, v: &raw::VendorFile) -> Vec<Host> {
    let mut hosts: Vec<Host> = Vec::new();
    let mut variants: HashMap<RustIdent, Location> = HashMap::new();
    for (id, h) in v.hosts.iter() {
        let token = r.keyword_as(&h.token, "host token").unwrap_or(TokenPlacement::None);
        if token == TokenPlacement::Header && v.token.header.is_none() {
            r.at(
                &h.token.referenced,
                "host token 'header' needs `token.header` (the header's name)",
            );
        }
        let errors = r.keyword(&h.errors).unwrap_or(ErrorStyle::Envelope);
        let url = &h.base_url.value;
        if let Err(msg) = check_base_url(url) {
            r.at(&h.base_url.referenced, format!("base_url '{url}' {msg}"));
        }
        let Some(ident) = r.name(&id.referenced, names::snake(&id.value, "host id")) else {
            continue;
        };
        let variant = ident.camel();
        let clash = |first: &str| {
            format!(
                "host id '{}' becomes `Host::{variant}`, as the host at {first} does",
                id.value
            )
        };
        if !r.claim(&mut variants, variant.clone(), &id.referenced, clash) {
            continue;
        }
        hosts.push(Host {
            id: id.value.clone(),
            variant,
            base_url: url.clone(),
            env: h.env.value.clone(),
            token,
            errors,
            note: h.note.clone(),
        });
    }
    if v.hosts.is_empty() {
        r.at(&v.vendor.referenced, "a vendor needs at least one entry under `hosts:`");
    }
    hosts
}

/// A production base URL: https, a host name and maybe a port, maybe a path; no trailing slash,
/// no query, fragment or user info.
fn check_base_url(url: &str) -> Result<(), &'static str> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Err("must start with https:// (tokens travel in it)");
    };
    if rest.is_empty() || rest.starts_with('/') {
        return Err("has no host");
    }
    if url.ends_with('/') {
        return Err("must have no trailing '/'");
    }
    if url.contains(['?', '#', ' ', '@']) {
        return Err("must hold no query string, fragment, space or user info");
    }
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (host, port) = match authority.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if !host.split('.').all(label_ok) {
        return Err("has a host that is not a DNS name (ASCII letters, digits and '-', labels joined by '.')");
    }
    if port.is_some_and(|p| !p.parse::<u16>().is_ok_and(|n| n > 0)) {
        return Err("has a port that is not a number from 1 to 65535");
    }
    if !super::endpoint::is_url_path(path) {
        return Err("has a path with characters a URL path cannot hold as written");
    }
    Ok(())
}

/// An HTTP header name: RFC 9110 token characters.
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The token's header and query names and the envelope's fields travel as written: each must be
/// something that can.
fn wire_words(r: &mut Reporter, v: &raw::VendorFile) {
    if let Some(h) = &v.token.header
        && !is_header_name(&h.value)
    {
        r.at(
            &h.referenced,
            format!(
                "token header {:?} is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)",
                h.value
            ),
        );
    }
    if let Err(msg) = names::wire_name(&v.token.query_param.value) {
        r.at(&v.token.query_param.referenced, format!("token query_param: {msg}"));
    }
    for e in &v.envelope {
        if let Err(msg) = names::wire_name(&e.value) {
            r.at(&e.referenced, format!("envelope: {msg}"));
        }
    }
}

/// Endpoint ids become method names on one `Client` per vendor, beside its paging methods and
/// the client's own: all must be unique, across the vendor's modules.
fn method_names(rv: &RawVendor, problems: &mut Diagnostics) {
    let mut seen: HashMap<String, (String, Location)> = HashMap::new();
    let all = std::iter::once((rv.file.as_str(), &rv.vendor.endpoints))
        .chain(rv.modules.iter().map(|(f, m)| (f.as_str(), &m.endpoints)));
    for (file, eps) in all {
        for e in eps {
            let id = &e.value.id;
            let mut methods = vec![id.value.clone()];
            if e.value.paging.is_some() {
                methods.push(format!("{}_pages", id.value));
                methods.push(format!("{}_items", id.value));
            }
            for m in methods {
                let clash = if CLIENT_METHODS.contains(&m.as_str()) {
                    Some(format!(
                        "endpoint id '{}' gives the method `{m}`, which every Client already has",
                        id.value
                    ))
                } else {
                    seen.get(&m).map(|(f0, l0)| {
                        format!(
                            "endpoint id '{}' gives the method `{m}`, already made by the endpoint at {f0}:{}:{}; method names must be unique per vendor",
                            id.value,
                            l0.line(),
                            l0.column()
                        )
                    })
                };
                match clash {
                    Some(msg) => problems.push(Diagnostic::at(file, &id.referenced, msg)),
                    None => {
                        seen.insert(m, (file.to_owned(), id.referenced));
                    }
                }
            }
        }
    }
}

/// The token profile; the token endpoint must exist in vendor.yaml and carry the named fields.
fn token(r: &mut Reporter, t: &raw::Token, core: &Module, written: &[Spanned<raw::Endpoint>]) -> Token {
    let endpoint = core.endpoints.iter().position(|e| e.id == *t.endpoint.value);
    // An endpoint that is written but was refused has had its own problems reported.
    let refused = written.iter().any(|e| e.value.id.value == t.endpoint.value);
    match endpoint {
        None if refused => {}
        None => r.at(
            &t.endpoint.referenced,
            format!(
                "token endpoint '{}' is not an endpoint of this vendor.yaml",
                t.endpoint.value
            ),
        ),
        Some(i) => {
            let e = &core.endpoints[i];
            let resp: &[Field] = match e.response {
                Type::Struct(id) => &core.strukt(id).fields,
                _ => &[],
            };
            for f in [&t.token_field, &t.expires_field] {
                if !resp.iter().any(|x| x.wire == f.value) {
                    r.at(
                        &f.referenced,
                        format!("the token endpoint's response has no field '{}'", f.value),
                    );
                }
            }
            let req = &core.request(e).fields;
            for p in [&t.id.param, &t.secret.param] {
                if !req.iter().any(|x| x.wire == p.value && x.place == FieldPlace::Query) {
                    r.at(
                        &p.referenced,
                        format!("the token endpoint has no query parameter '{}'", p.value),
                    );
                }
            }
        }
    }
    Token {
        endpoint: endpoint.unwrap_or_default(),
        query_param: t.query_param.value.clone(),
        header: t.header.as_ref().map(|h| h.value.clone()),
        id_param: t.id.param.value.clone(),
        id_env: t.id.env.clone(),
        secret_param: t.secret.param.value.clone(),
        secret_env: t.secret.env.clone(),
        token_field: t.token_field.value.clone(),
        expires_field: t.expires_field.value.clone(),
    }
}

pub(super) fn rate_limit(r: &mut Reporter, rl: &Spanned<raw::RateLimit>) -> Option<RateLimit> {
    let Per(per_seconds) = r.keyword(&rl.value.per)?;
    if rl.value.calls == 0 {
        r.at(&rl.referenced, "rate_limit calls must be at least 1");
        return None;
    }
    Some(RateLimit {
        calls: rl.value.calls,
        per_seconds,
        scope: rl.value.scope.clone(),
    })
}

fn error_kind(r: &mut Reporter, kind: Option<&Spanned<String>>) -> ErrorKind {
    kind.and_then(|k| r.keyword(k)).unwrap_or(ErrorKind::Other)
}

pub(super) fn errcodes(r: &mut Reporter, raw: &[Spanned<raw::Errcode>]) -> Vec<Errcode> {
    let mut out: Vec<Errcode> = Vec::new();
    for e in raw {
        if out.iter().any(|o| o.code == e.value.code) {
            r.at(&e.referenced, format!("errcode {} is listed twice", e.value.code));
            continue;
        }
        out.push(Errcode {
            code: e.value.code,
            doc: e.value.doc.clone(),
            en: e.value.en.clone(),
            kind: error_kind(r, e.value.kind.as_ref()),
            sub_codes: e.value.sub_codes.clone(),
        });
    }
    out
}
