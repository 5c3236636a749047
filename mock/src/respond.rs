//! Answering one request: find its endpoint by path, record it, check what the vendor checks
//! (method, token, required fields and types), then answer with a scripted reply or the docs'
//! example. Tokens are issued here too.

use crate::recorded::RecordedRequest;
use crate::script::Reply;
use crate::server::{Found, MockServer, State, by_path};
use crate::vendor_errors::{envelope_error, param_error, token_error};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use wiremock::{Request, Respond, ResponseTemplate};
use workapi_codegen::model::{Endpoint, ErrorStyle, FieldPlace, Method, Module, TokenPlacement, Types, Vendor};

/// The one wiremock responder of a [`MockServer`].
pub(crate) struct Responder(pub(crate) Arc<State>);

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let state = &self.0;
        let path = request.url.path();
        let Some(found) = by_path(&state.spec, path) else {
            return ResponseTemplate::new(404).set_body_string(format!("no endpoint of the spec has the path {path}"));
        };
        let Found { vendor, module, ep } = found;
        {
            let mut c = state.lock();
            *c.calls.entry(ep.id.to_string()).or_default() += 1;
            let recorded = RecordedRequest::of(found, request, &c.owners);
            c.recorded.entry(ep.path.clone()).or_default().push(recorded);
        }
        let expected = match ep.method {
            Method::Get => "GET",
            Method::Post => "POST",
        };
        if request.method.as_str() != expected {
            return ResponseTemplate::new(405).set_body_string(format!("{} takes {expected}", ep.path));
        }
        let style = vendor.host(ep.host).errors;
        let query: HashMap<String, String> = request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();

        if std::ptr::eq(ep, vendor.token_endpoint()) && ep.token == TokenPlacement::None {
            let id = match check_credentials(state, vendor, ep, &query) {
                Ok(id) => id,
                Err(refusal) => return *refusal,
            };
            return scripted(state, ep).unwrap_or_else(|| issue_token(state, vendor, id));
        }
        if let Some(rejection) = check_token(state, vendor, ep, request, &query, style) {
            return rejection;
        }
        if let Err(missing) = check_request(module, ep, request, &query) {
            return param_error(vendor, style, &missing);
        }
        scripted(state, ep).unwrap_or_else(|| example(ep))
    }
}

/// The answer of the endpoint's first script with uses left, if it has one.
fn scripted(state: &State, ep: &Endpoint) -> Option<ResponseTemplate> {
    let (reply, delay) = {
        let mut c = state.lock();
        let scripts = c.scripts.get_mut(&ep.path)?;
        let answer = scripts.iter_mut().find_map(|s| s.take());
        scripts.retain(|s| !s.used_up());
        answer?
    };
    let template = match reply {
        Reply::Fixed { status, body } => ResponseTemplate::new(status).set_body_json(body),
        Reply::Example => example(ep),
    };
    Some(match delay {
        Some(d) => template.set_delay(d),
        None => template,
    })
}

/// The default answer: the docs' example response.
fn example(ep: &Endpoint) -> ResponseTemplate {
    let body = ep
        .example
        .as_ref()
        .and_then(|x| x.response.clone())
        .unwrap_or_else(|| json!({"errcode": 0, "errmsg": "ok"}));
    ResponseTemplate::new(200).set_body_json(body)
}

/// The label of the credential the token request presents (`corp-a #2`), or the token endpoint's refusal of credentials
/// other than [`MockServer::credentials`] and those added with [`MockServer::add_credentials`].
fn check_credentials(
    state: &State,
    vendor: &Vendor,
    ep: &Endpoint,
    query: &HashMap<String, String>,
) -> Result<String, Box<ResponseTemplate>> {
    let t = &vendor.token;
    let (id, secret) = (query.get(&t.id_param), query.get(&t.secret_param));
    let (default_id, default_secret) = MockServer::credentials(vendor.name.as_str());
    // `#0` the default credentials, `#n` the n-th added for the vendor.
    let number = if id == Some(&default_id) && secret == Some(&default_secret) {
        Some(0)
    } else {
        state
            .lock()
            .credentials
            .iter()
            .filter(|(v, _, _)| v == vendor.name.as_str())
            .position(|(_, i, s)| Some(i) == id && Some(s) == secret)
            .map(|n| n + 1)
    };
    match (id, number) {
        (Some(id), Some(n)) => Ok(format!("{id} #{n}")),
        _ => {
            let code = ep.errcodes.first().map(|c| c.code).unwrap_or(40001);
            Err(Box::new(ResponseTemplate::new(200).set_body_json(envelope_error(
                vendor,
                code,
                "invalid credential",
                &[],
            ))))
        }
    }
}

fn issue_token(state: &State, vendor: &Vendor, id: String) -> ResponseTemplate {
    let t = &vendor.token;
    let mut c = state.lock();
    c.tokens_issued += 1;
    let token = format!("mock-token-{}-{}", vendor.name, c.tokens_issued);
    c.live.push(token.clone());
    c.owners.insert(token.clone(), id);
    let mut body = Map::new();
    body.insert("errcode".into(), json!(0));
    body.insert("errmsg".into(), json!("ok"));
    body.insert(t.token_field.clone(), json!(token));
    body.insert(t.expires_field.clone(), json!(7200));
    ResponseTemplate::new(200).set_body_json(Value::Object(body))
}

/// The vendor's rejection of the request's token, if it would reject it: none sent (or sent
/// where the vendor does not look), not live, or a rejection asked for by
/// [`MockServer::reject_next_token`].
fn check_token(
    state: &State,
    vendor: &Vendor,
    ep: &Endpoint,
    request: &Request,
    query: &HashMap<String, String>,
    style: ErrorStyle,
) -> Option<ResponseTemplate> {
    let t = &vendor.token;
    let presented = match ep.token {
        TokenPlacement::None => return None,
        TokenPlacement::Query => query.get(&t.query_param).cloned(),
        TokenPlacement::Header => t
            .header
            .as_ref()
            .and_then(|h| request.headers.get(h.as_str()))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    };
    // A token in the wrong place is as good as none: the vendor does not look there.
    let Some(token) = presented else {
        return Some(token_error(vendor, style, true));
    };
    let mut c = state.lock();
    if !c.live.contains(&token) {
        return Some(token_error(vendor, style, false));
    }
    if c.reject_tokens > 0 {
        c.reject_tokens -= 1;
        c.live.retain(|l| *l != token);
        c.revoked.push(token);
        return Some(token_error(vendor, style, false));
    }
    None
}

/// Checks the query's required parameters, the wrapper, and the body against the request's
/// types with the model's JSON checker (the one the docs' examples are checked with); the error
/// names the first problem's path.
fn check_request(
    module: &Module,
    ep: &Endpoint,
    request: &Request,
    query: &HashMap<String, String>,
) -> Result<(), String> {
    let req = module.request(ep);
    // Query values are all strings on the wire: only their presence is checked.
    for f in req.fields.iter().filter(|f| f.place == FieldPlace::Query && f.required) {
        if !query.contains_key(f.wire.as_str()) {
            return Err(format!("query parameter {}", f.wire));
        }
    }
    if ep.method == Method::Get {
        return Ok(());
    }
    let body: Value = serde_json::from_slice(&request.body).map_err(|e| format!("body is not JSON: {e}"))?;
    let (inner, path) = match &ep.wrap {
        Some(w) => (
            body.get(w)
                .ok_or_else(|| format!("body needs the wrapper object {w}"))?,
            w.as_str(),
        ),
        None => (&body, "body"),
    };
    let types = Types {
        structs: &module.structs,
        enums: &module.enums,
    };
    let mut problems = Vec::new();
    types.check_struct(req, Some(FieldPlace::Body), true, inner, path, &mut problems);
    problems.into_iter().next().map_or(Ok(()), Err)
}
