//! What the client sent, as a test wants to read it: method, path, query and headers as maps,
//! the body parsed as JSON. The access token is left out, and secret query parameters (the
//! token endpoint's app secret) are masked, so a recorded request can be printed.

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use wiremock::Request;
use workapi_codegen::model::{FieldPlace, Vendor};

use crate::server::Found;

/// What a masked value reads as.
pub const MASKED: &str = "<secret>";

/// One request as it reached the mock, from [`MockServer::requests_to`](crate::MockServer::requests_to).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The HTTP method (`GET`, `POST`).
    pub method: String,
    /// The URL path (`/topapi/report/list`).
    pub path: String,
    /// The query parameters, less the access token. Values of the spec's secret parameters
    /// read [`MASKED`]. A parameter sent twice keeps its last value.
    pub query: BTreeMap<String, String>,
    /// The headers, names in lower case, less the vendor's token header. A header sent twice
    /// keeps its last value; values that are not text are left out.
    pub headers: BTreeMap<String, String>,
    /// The body parsed as JSON; `None` when it is empty or not JSON.
    pub body: Option<Value>,
    /// Whether the request carried an access token (in the query or the token header),
    /// wherever the endpoint wants it.
    pub token_sent: bool,
    /// Whose token the request carried, if the mock issued it: the credential id (corp id, app
    /// key) and its number, `#0` for [`MockServer::credentials`](crate::MockServer::credentials)
    /// and `#n` for the n-th added with
    /// [`MockServer::add_credentials`](crate::MockServer::add_credentials) (`"corp-a #2"`), so two
    /// apps of one corp are told apart without the secret.
    pub credential: Option<String>,
}

impl RecordedRequest {
    /// Records `request` to the endpoint `found`.
    pub(crate) fn of(found: Found<'_>, request: &Request, owners: &HashMap<String, String>) -> Self {
        let token = &found.vendor.token;
        let secret_params = secret_query_params(found);
        let mut token_sent = false;
        let mut credential = None;
        let mut query = BTreeMap::new();
        for (k, v) in request.url.query_pairs() {
            if k == token.query_param.as_str() {
                token_sent = true;
                credential = credential.or_else(|| owners.get(v.as_ref()).cloned());
                continue;
            }
            let masked = secret_params.iter().any(|s| *s == k);
            query.insert(k.into_owned(), if masked { MASKED.to_owned() } else { v.into_owned() });
        }
        let mut headers = BTreeMap::new();
        for (name, value) in &request.headers {
            if is_token_header(found.vendor, name.as_str()) {
                token_sent = true;
                credential = credential.or_else(|| value.to_str().ok().and_then(|v| owners.get(v).cloned()));
                continue;
            }
            if let Ok(text) = value.to_str() {
                headers.insert(name.as_str().to_owned(), text.to_owned());
            }
        }
        RecordedRequest {
            method: request.method.as_str().to_owned(),
            path: request.url.path().to_owned(),
            query,
            headers,
            body: serde_json::from_slice(&request.body).ok(),
            token_sent,
            credential,
        }
    }
}

fn is_token_header(vendor: &Vendor, name: &str) -> bool {
    vendor
        .token
        .header
        .as_ref()
        .is_some_and(|h| h.eq_ignore_ascii_case(name))
}

/// The wire names of the endpoint's query fields the spec marks secret.
fn secret_query_params<'s>(found: Found<'s>) -> Vec<&'s str> {
    found
        .module
        .request(found.ep)
        .fields
        .iter()
        .filter(|f| f.place == FieldPlace::Query && f.secret)
        .map(|f| f.wire.as_str())
        .collect()
}
