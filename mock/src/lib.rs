//! workapi-mock: a vendor look-alike on 127.0.0.1, built from the spec.
//!
//! For every endpoint of the spec it checks what the vendor would check: the method, the path,
//! the token and where it travels, the wrapper object and the required fields. It answers with
//! the docs' example response, or with the vendor's own error shape (errcode envelope for the old
//! APIs, HTTP status and `{code, message}` for DingTalk v1.0). Tokens come from the spec's token
//! endpoints and only the credentials of [`MockServer::credentials`] get one.

use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use wiremock::{Mock, MockServer as Server, Request, Respond, ResponseTemplate, matchers::any};
use workapi_codegen::model::{Endpoint, ErrorStyle, FieldPlace, Method, Module, Spec, TokenPlacement, Types, Vendor};

/// The spec folder of this workspace.
pub fn spec_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("spec")
}

/// A running mock of every vendor in a spec.
pub struct MockServer {
    server: Server,
    state: Arc<State>,
}

#[derive(Default)]
struct Counters {
    tokens_issued: usize,
    calls: HashMap<String, usize>,
    revoked: Vec<String>,
    live: Vec<String>,
}

struct State {
    spec: Spec,
    counters: Mutex<Counters>,
}

impl MockServer {
    /// Starts a mock of the spec in [`spec_dir`].
    pub async fn start() -> Result<Self, workapi_codegen::Diagnostics> {
        Ok(Self::start_with(workapi_codegen::load(&spec_dir())?).await)
    }

    /// Starts a mock of `spec` on a free loopback port.
    pub async fn start_with(spec: Spec) -> Self {
        let server = Server::start().await;
        let state = Arc::new(State {
            spec,
            counters: Mutex::default(),
        });
        Mock::given(any())
            .respond_with(Responder(state.clone()))
            .mount(&server)
            .await;
        MockServer { server, state }
    }

    /// The base URL (`http://127.0.0.1:PORT`) every host of every vendor maps to.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The only credentials the mock issues tokens for: `(id, secret)` of a vendor.
    pub fn credentials(vendor: &str) -> (String, String) {
        (format!("mock-{vendor}-id"), format!("mock-{vendor}-secret"))
    }

    /// How many tokens the token endpoints have issued.
    pub fn tokens_issued(&self) -> usize {
        self.lock().tokens_issued
    }

    /// How many requests reached an endpoint (by spec id), accepted or not.
    pub fn calls(&self, endpoint_id: &str) -> usize {
        self.lock().calls.get(endpoint_id).copied().unwrap_or(0)
    }

    /// Makes every token issued so far invalid, as if it had expired at the vendor.
    pub fn revoke_tokens(&self) {
        let mut c = self.lock();
        let live = std::mem::take(&mut c.live);
        c.revoked.extend(live);
    }

    /// Every request the server has received, in order.
    pub async fn received_requests(&self) -> Vec<Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Counters> {
        self.state.counters.lock().unwrap_or_else(|p| p.into_inner())
    }
}

struct Responder(Arc<State>);

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let state = &self.0;
        let path = request.url.path();
        let found = state
            .spec
            .vendors
            .iter()
            .find_map(|v| v.endpoints().find(|(_, e)| e.path == path).map(|(m, e)| (v, m, e)));
        let Some((vendor, module, ep)) = found else {
            return ResponseTemplate::new(404).set_body_string(format!("no endpoint of the spec has the path {path}"));
        };
        *state
            .counters
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .calls
            .entry(ep.id.to_string())
            .or_default() += 1;
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
            return issue_token(state, vendor, ep, &query);
        }
        if let Some(rejection) = check_token(state, vendor, ep, request, &query, style) {
            return rejection;
        }
        if let Err(missing) = check_request(module, ep, request, &query) {
            return param_error(vendor, style, &missing);
        }
        let body = ep
            .example
            .as_ref()
            .and_then(|x| x.response.clone())
            .unwrap_or_else(|| json!({"errcode": 0, "errmsg": "ok"}));
        ResponseTemplate::new(200).set_body_json(body)
    }
}

fn issue_token(state: &State, vendor: &Vendor, ep: &Endpoint, query: &HashMap<String, String>) -> ResponseTemplate {
    let t = &vendor.token;
    let (id, secret) = MockServer::credentials(vendor.name.as_str());
    if query.get(&t.id_param) != Some(&id) || query.get(&t.secret_param) != Some(&secret) {
        let code = ep.errcodes.first().map(|c| c.code).unwrap_or(40001);
        return ResponseTemplate::new(200).set_body_json(json!({"errcode": code, "errmsg": "invalid credential"}));
    }
    let mut c = state.counters.lock().unwrap_or_else(|p| p.into_inner());
    c.tokens_issued += 1;
    let token = format!("mock-token-{}-{}", vendor.name, c.tokens_issued);
    c.live.push(token.clone());
    let mut body = Map::new();
    body.insert("errcode".into(), json!(0));
    body.insert("errmsg".into(), json!("ok"));
    body.insert(t.token_field.clone(), json!(token));
    body.insert(t.expires_field.clone(), json!(7200));
    ResponseTemplate::new(200).set_body_json(Value::Object(body))
}

/// The vendor's reply to a missing or bad token, in its own shape.
fn token_error(vendor: &Vendor, style: ErrorStyle, missing: bool) -> ResponseTemplate {
    match (style, vendor.name.as_str()) {
        (ErrorStyle::Http, _) => ResponseTemplate::new(400).set_body_json(
            json!({"code": "InvalidAuthentication", "message": "不合法的access_token", "requestid": "mock-request"}),
        ),
        (ErrorStyle::Envelope, "dingtalk") => ResponseTemplate::new(200).set_body_json(json!({
            "errcode": 88,
            "sub_code": if missing { "40000" } else { "40014" },
            "sub_msg": if missing { "缺少access_token" } else { "不合法的access_token" },
            "errmsg": "鉴权异常",
            "request_id": "mock-request"
        })),
        (ErrorStyle::Envelope, _) => ResponseTemplate::new(200).set_body_json(if missing {
            json!({"errcode": 41001, "errmsg": "access_token missing"})
        } else {
            json!({"errcode": 40014, "errmsg": "invalid access_token"})
        }),
    }
}

/// The vendor's rejection of the request's token, if it would reject it.
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
    let c = state.counters.lock().unwrap_or_else(|p| p.into_inner());
    (!c.live.contains(&token)).then(|| token_error(vendor, style, false))
}

fn param_error(vendor: &Vendor, style: ErrorStyle, problem: &str) -> ResponseTemplate {
    match (style, vendor.name.as_str()) {
        (ErrorStyle::Http, _) => ResponseTemplate::new(400)
            .set_body_json(json!({"code": "MissingParameter", "message": problem, "requestid": "mock-request"})),
        (ErrorStyle::Envelope, "dingtalk") => ResponseTemplate::new(200).set_body_json(
            json!({"errcode": 40035, "errmsg": format!("缺少参数 {problem}"), "request_id": "mock-request"}),
        ),
        (ErrorStyle::Envelope, _) => ResponseTemplate::new(200)
            .set_body_json(json!({"errcode": 40058, "errmsg": format!("不合法的参数 {problem}")})),
    }
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
