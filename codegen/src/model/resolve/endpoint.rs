//! One endpoint: its wire facts, its request struct (query and body fields), spans, and response.

use super::super::names;
use super::super::types::Type;
use super::super::*;
use super::ModuleCtx;
use super::vendor::{VendorCtx, errcodes, rate_limit};
use crate::spec::raw;
use serde_saphyr::Spanned;

pub(super) fn resolve_endpoint(cx: &mut ModuleCtx, e: &Spanned<raw::Endpoint>, vendor: &VendorCtx) -> Option<Endpoint> {
    let raw = &e.value;
    let id = cx.r.name(
        &raw.id.referenced,
        names::snake(&raw.id.value, "endpoint id").map_err(|m| format!("{m} (it becomes the method name)")),
    );
    // Each endpoint's wire facts are a const named after its id.
    let id = id.filter(|id| !cx.refuse_reserved(&id.shouty(), &raw.id.referenced));
    let method = cx.r.keyword::<Method>(&raw.method).unwrap_or(Method::Post);
    let host = vendor.hosts.iter().position(|h| h.id == raw.host.value).map(HostIx);
    if host.is_none() {
        let known: Vec<&str> = vendor.hosts.iter().map(|h| h.id.as_str()).collect();
        let known = if known.is_empty() {
            "none of which is usable".to_owned()
        } else {
            known.join(", ")
        };
        cx.r.at(
            &raw.host.referenced,
            format!("host '{}' is not in vendor.yaml `hosts:` ({known})", raw.host.value),
        );
    }
    if !raw.path.value.starts_with('/') || !is_url_path(&raw.path.value) {
        cx.r.at(
            &raw.path.referenced,
            format!(
                "path {:?} must start with '/' and hold only visible ASCII, no query string, fragment or '\\'",
                raw.path.value
            ),
        );
    }
    if let Some(w) = &raw.request.wrap
        && let Err(msg) = names::wire_name(&w.value)
    {
        cx.r.at(&w.referenced, format!("request wrap: {msg}"));
    }
    let token = match &raw.token {
        None => host.map_or(TokenPlacement::Query, |h| vendor.hosts[h.0].token),
        Some(t) => cx.r.keyword(t).unwrap_or(TokenPlacement::None),
    };
    let rate_limit = raw.rate_limit.as_ref().and_then(|rl| rate_limit(&mut cx.r, rl));
    let request = request_struct(cx, raw, method);
    let spans = request.map(|r| spans(cx, raw, r)).unwrap_or_default();

    // The response payload.
    let resp = &raw.response.value;
    // A missing or unknown `at` is reported, and the rest is still checked for its own problems.
    let payload_at = match &resp.at {
        Some(at) => cx.r.keyword::<PayloadAt>(at),
        None => {
            cx.r.at(
                &raw.response.referenced,
                "response needs `at: top` or `at: result` (where the payload sits)",
            );
            None
        }
    };
    let default_resp = format!("{}_response", raw.id.value);
    let response = super::fields::resolve_type(cx, resp, Some(&default_resp))?;
    if let Type::Struct(sid) = response
        && resp.fields.is_some()
        && resp.name.is_none()
        && cx.structs[sid.0].docs.doc.is_none()
    {
        cx.structs[sid.0].docs.doc = Some(format!("响应: {} (the payload of `{}`)", raw.title, raw.id.value));
    }
    match (payload_at, &response) {
        (Some(PayloadAt::Top), Type::Struct(sid)) => {
            for f in &cx.structs[sid.0].fields {
                if vendor.envelope.iter().any(|env| f.wire == *env) {
                    cx.r.at(
                        &resp.ty.referenced,
                        format!("response field '{}' is an envelope field of vendor.yaml", f.wire),
                    );
                }
            }
        }
        (Some(PayloadAt::Top), _) => cx.r.at(
            &resp.ty.referenced,
            "a response `at: top` must be an object (the top-level fields)",
        ),
        _ => {}
    }

    let paging = match (&raw.paging, request) {
        (Some(p), Some(req)) => super::paging::resolve_paging(cx, p, req, &response),
        _ => None,
    };
    let errcodes = errcodes(&mut cx.r, &raw.errcodes);
    let (id, host, request, payload_at) = (id?, host?, request?, payload_at?);

    let mut endpoint = Endpoint {
        id,
        title: raw.title.clone(),
        doc_url: raw.doc_url.clone(),
        docs: Docs::of(&raw.doc, &raw.en, &raw.note),
        method,
        host,
        path: raw.path.value.clone(),
        token,
        idempotent: raw.idempotent,
        rate_limit,
        request,
        wrap: raw.request.wrap.as_ref().map(|w| w.value.clone()),
        spans,
        payload_at,
        response,
        response_docs: Docs::of(&resp.doc, &resp.en, &resp.note),
        paging,
        errcodes,
        example: None,
    };
    if let Some(ex) = &raw.example {
        endpoint.example = super::example::resolve_example(cx, ex, &endpoint, vendor.envelope);
    }
    let needs_example = cx.structs[request.0].fields.iter().any(|f| f.required);
    // Judged on the raw example: one that failed its own checks has already been reported.
    let has_request_example = raw
        .example
        .as_ref()
        .is_some_and(|x| x.value.request.is_some() || x.value.query.is_some());
    if needs_example && !has_request_example {
        cx.r.at(
            &raw.id.referenced,
            format!(
                "endpoint '{}' has required request fields but no `example.request`/`example.query`; the tour and the tests send it",
                raw.id.value
            ),
        );
    }
    Some(endpoint)
}

/// The request struct: query fields, then body fields. Made before its fields so it comes before
/// the inline objects they declare.
fn request_struct(cx: &mut ModuleCtx, raw: &raw::Endpoint, method: Method) -> Option<StructId> {
    let (name, loc) = match &raw.request.name {
        Some(n) => (super::module::written_type_name(&mut cx.r, n, "type"), n.referenced),
        None => (
            cx.r.name(
                &raw.id.referenced,
                names::type_name(&format!("{}_request", raw.id.value)),
            ),
            raw.id.referenced,
        ),
    };
    let id = cx.new_struct(name?, Docs::text(format!("请求参数: {}", raw.title)), &loc);
    if method == Method::Get
        && let Some((k, _)) = raw.request.body.iter().next()
    {
        cx.r.at(
            &k.referenced,
            "a GET endpoint has no body; put these fields under `query:`",
        );
    }
    let mut fields = super::fields::resolve_fields(cx, &raw.request.query, FieldPlace::Query);
    let body = super::fields::resolve_fields(cx, &raw.request.body, FieldPlace::Body);
    for f in &body {
        if fields.iter().any(|q| q.rust == f.rust) {
            cx.r.at(
                &loc,
                format!("request field `{}` is both a query and a body field", f.rust),
            );
        }
    }
    fields.extend(body);
    for f in fields.iter().filter(|f| f.place == FieldPlace::Query) {
        let scalar = matches!(
            f.ty,
            Type::String
                | Type::Int(_)
                | Type::Bool
                | Type::Float64
                | Type::UnixSeconds
                | Type::UnixMillis
                | Type::Enum(_)
                | Type::Delimited(..)
        );
        if !scalar {
            cx.r.at(
                &loc,
                format!("query field '{}' must be a scalar or a comma_list", f.wire),
            );
        }
    }
    let id = id?;
    cx.structs[id.0].fields = fields;
    Some(id)
}

/// Documented maximum spans between two time fields of the request.
fn spans(cx: &mut ModuleCtx, raw: &raw::Endpoint, request: StructId) -> Vec<Span> {
    let mut out = Vec::new();
    for s in &raw.request.spans {
        let find = |cx: &ModuleCtx, n: &Spanned<String>| {
            let fields = &cx.structs[request.0].fields;
            fields
                .iter()
                .position(|f| f.wire == n.value)
                .map(|i| (i, fields[i].ty.clone()))
        };
        match (find(cx, &s.value.from), find(cx, &s.value.to)) {
            (Some((a, ta)), Some((b, tb))) if ta == tb && ta.is_time() => out.push(Span {
                from: FieldRef {
                    strukt: request,
                    field: a,
                },
                to: FieldRef {
                    strukt: request,
                    field: b,
                },
                max_days: s.value.max_days,
            }),
            (Some(_), Some(_)) => cx.r.at(
                &s.referenced,
                "a span needs two request fields of the same time type (unix_seconds, unix_millis or datetime)",
            ),
            (None, _) => cx.r.at(
                &s.value.from.referenced,
                format!("span from '{}' is not a request field", s.value.from.value),
            ),
            (_, None) => cx.r.at(
                &s.value.to.referenced,
                format!("span to '{}' is not a request field", s.value.to.value),
            ),
        }
        if s.value.max_days == 0 {
            cx.r.at(&s.referenced, "a span of max_days 0 would forbid every request");
        }
    }
    out
}

/// Whether `path` can follow a base URL as written: visible ASCII, no query, fragment or backslash
/// (a URL parser would move or rewrite those).
pub(super) fn is_url_path(path: &str) -> bool {
    path.bytes()
        .all(|b| b.is_ascii_graphic() && !matches!(b, b'?' | b'#' | b'\\'))
}
