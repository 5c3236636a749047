//! Endpoints as OpenAPI operations: query parameters, the request body (inside its wrapper), the
//! response in the vendor's envelope, error responses, the docs' examples, and what OpenAPI has
//! no keyword for (paging, spans, rate limits, idempotency, errcodes) as `x-` extensions.

use super::schema::{component_key, field_schema, schema_ref};
use super::{describe, errcodes_json, rate_limit_json, word};
use crate::model::{
    Endpoint, ErrorStyle, Example, ExampleSource, FieldPlace, FieldRef, Method, Module, PageItems, PageNext, PayloadAt,
    TokenPlacement, Type, Vendor,
};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The name of the security scheme of a token placement (`None`: the endpoint takes no token).
pub fn security_scheme(t: TokenPlacement) -> Option<&'static str> {
    match t {
        TokenPlacement::Query => Some("access_token_query"),
        TokenPlacement::Header => Some("access_token_header"),
        TokenPlacement::None => None,
    }
}

/// The operation object of an endpoint.
pub fn operation(v: &Vendor, m: &Module, e: &Endpoint) -> Value {
    let mut op = Map::new();
    op.insert("operationId".into(), e.id.as_str().into());
    op.insert("summary".into(), e.title.clone().into());
    op.insert("tags".into(), json!([m.name.as_str()]));
    op.insert("externalDocs".into(), json!({"url": e.doc_url}));
    // Every operation says its security, so the token endpoint's `[]` reads as "no token".
    let security = match security_scheme(e.token) {
        Some(name) => json!([{ name: [] }]),
        None => json!([]),
    };
    op.insert("security".into(), security);
    let parameters = parameters(m, e);
    if !parameters.is_empty() {
        op.insert("parameters".into(), Value::Array(parameters));
    }
    if e.method == Method::Post {
        op.insert("requestBody".into(), request_body(m, e));
    }
    op.insert("responses".into(), responses(v, m, e));
    op.insert("x-idempotent".into(), e.idempotent.into());
    if let Some(r) = &e.rate_limit {
        op.insert("x-rate-limit".into(), rate_limit_json(r));
    }
    if !e.errcodes.is_empty() {
        op.insert("x-errcodes".into(), errcodes_json(&e.errcodes));
    }
    if let Some(p) = &e.paging {
        let wire = |r: FieldRef| Value::from(m.field(r).wire.as_str());
        let mut paging = Map::new();
        paging.insert("style".into(), word(p.style).into());
        paging.insert("request".into(), wire(p.request));
        paging.insert(
            "next".into(),
            match p.next {
                PageNext::Field(r) => wire(r),
                PageNext::Computed => "computed".into(),
            },
        );
        match p.items {
            PageItems::Field(r) => {
                paging.insert("items".into(), wire(r));
            }
            PageItems::Nested(o, i) => {
                let path = format!("{}.{}", m.field(o).wire, m.field(i).wire);
                paging.insert("items".into(), path.into());
            }
            PageItems::Payload => {}
        }
        paging.insert("end".into(), p.end.iter().map(|s| word(*s)).collect());
        for (key, r) in [
            ("size", p.size),
            ("has_more", p.has_more),
            ("done", p.done),
            ("total", p.total),
        ] {
            if let Some(r) = r {
                paging.insert(key.into(), wire(r));
            }
        }
        op.insert("x-paging".into(), Value::Object(paging));
    }
    if !e.spans.is_empty() {
        let spans: Vec<Value> = e
            .spans
            .iter()
            .map(|s| json!({"from": m.field(s.from).wire.as_str(), "to": m.field(s.to).wire.as_str(), "max_days": s.max_days}))
            .collect();
        op.insert("x-spans".into(), Value::Array(spans));
    }
    describe(&mut op, &e.docs, None);
    Value::Object(op)
}

/// The query fields as parameters, each with the docs' example value when there is one.
fn parameters(m: &Module, e: &Endpoint) -> Vec<Value> {
    let example = e.example.as_ref().and_then(|x| x.query.as_ref());
    m.request(e)
        .fields
        .iter()
        .filter(|f| f.place == FieldPlace::Query)
        .map(|f| {
            let mut p = Map::new();
            p.insert("name".into(), f.wire.as_str().into());
            p.insert("in".into(), "query".into());
            p.insert("required".into(), f.required.into());
            let mut schema = field_schema(m, f);
            // The parameter carries the field's words; its schema keeps the type.
            for key in ["description", "x-note"] {
                if let Some(d) = schema.as_object_mut().and_then(|s| s.remove(key)) {
                    p.insert(key.into(), d);
                }
            }
            p.insert("schema".into(), schema);
            if matches!(f.ty, Type::Delimited(',', _)) {
                p.insert("style".into(), "form".into());
                p.insert("explode".into(), false.into());
            }
            if let Some(x) = example.and_then(|q| q.get(f.wire.as_str())) {
                p.insert("examples".into(), examples(e, x.clone()));
            }
            Value::Object(p)
        })
        .collect()
}

/// The JSON body: the request struct's body fields, inside `{wrap: {...}}` when the endpoint wraps.
fn request_body(m: &Module, e: &Endpoint) -> Value {
    let fields = component_key(m, m.request(e).name.as_str());
    let schema = match &e.wrap {
        Some(w) => json!({"type": "object", "required": [w], "properties": { w.as_str(): schema_ref(&fields) }}),
        None => schema_ref(&fields),
    };
    let mut media = Map::new();
    media.insert("schema".into(), schema);
    if let Some(x) = e.example.as_ref().and_then(|x| x.request.clone()) {
        media.insert("examples".into(), examples(e, x));
    }
    json!({"required": true, "content": {"application/json": Value::Object(media)}})
}

/// The success response (the payload in the vendor's envelope) and, for hosts that use HTTP
/// statuses, one response per documented error status.
fn responses(v: &Vendor, m: &Module, e: &Endpoint) -> Value {
    let host = v.host(e.host);
    let payload = match (&e.response, e.payload_at) {
        (Type::Struct(id), PayloadAt::Top) => schema_ref(&component_key(m, m.strukt(*id).name.as_str())),
        // The model allows `at: top` only for objects; anything else is described as it is.
        (ty, PayloadAt::Top) => super::schema::type_schema(m, ty),
        (ty, PayloadAt::Result) => {
            let mut result = super::schema::type_schema(m, ty);
            if let Some(obj) = result.as_object_mut() {
                let type_note = obj.remove("description").and_then(|d| d.as_str().map(str::to_owned));
                describe(obj, &e.response_docs, type_note.as_deref());
            }
            json!({"type": "object", "required": ["result"], "properties": {"result": result}})
        }
    };
    let mut media = Map::new();
    let mut out = Map::new();
    match host.errors {
        ErrorStyle::Envelope => {
            media.insert(
                "schema".into(),
                json!({"allOf": [schema_ref(super::ENVELOPE), payload]}),
            );
            let codes: Vec<String> = e.errcodes.iter().map(|c| format!("{} {}", c.code, c.doc)).collect();
            let mut text = "errcode 0 is success. A failure also comes with HTTP 200: a non-zero errcode \
                            and errmsg (the vendor's codes are in the document's x-errcodes"
                .to_owned();
            if codes.is_empty() {
                text.push_str(").");
            } else {
                text.push_str(&format!("; this endpoint's: {}).", codes.join("; ")));
            }
            out.insert("description".into(), text.into());
        }
        ErrorStyle::Http => {
            media.insert("schema".into(), payload);
            out.insert("description".into(), "Success.".into());
        }
    }
    if let Some(x) = e.example.as_ref().and_then(|x| x.response.clone()) {
        media.insert("examples".into(), examples(e, x));
    }
    out.insert("content".into(), json!({"application/json": Value::Object(media)}));
    let mut all = Map::new();
    all.insert("200".into(), Value::Object(out));
    if host.errors == ErrorStyle::Http {
        // One response per documented status, listing its codes; `default` for the others.
        let mut by_status: BTreeMap<u16, Vec<String>> = BTreeMap::new();
        for err in &v.http_errors {
            let en = err.en.as_deref().map(|en| format!(" ({en})")).unwrap_or_default();
            by_status
                .entry(err.status)
                .or_default()
                .push(format!("{}: {}{en}", err.code, err.doc));
        }
        let error_body = json!({"application/json": {"schema": schema_ref(super::HTTP_ERROR)}});
        for (status, codes) in by_status {
            all.insert(
                status.to_string(),
                json!({"description": codes.join("; "), "content": error_body.clone()}),
            );
        }
        all.insert(
            "default".into(),
            json!({"description": "Any other failure: an HTTP error status with {code, message, requestid}.", "content": error_body}),
        );
    }
    Value::Object(all)
}

/// The docs' example as an OpenAPI Examples map, named by where it came from.
fn examples(e: &Endpoint, value: Value) -> Value {
    let Some(Example { source, note, .. }) = &e.example else {
        return json!({});
    };
    let (key, summary) = match source {
        ExampleSource::Doc => ("doc", "The example on the vendor's page."),
        ExampleSource::Table => ("table", "Assembled from the example values of the page's tables."),
        ExampleSource::DocCorrected => (
            "doc-corrected",
            "The example on the vendor's page, corrected where the page is wrong (the description says how).",
        ),
    };
    let mut x = Map::new();
    x.insert("summary".into(), summary.into());
    if let Some(n) = note {
        x.insert("description".into(), n.clone().into());
    }
    x.insert("value".into(), value);
    json!({ key: Value::Object(x) })
}
