//! The running mock and what a test asks of it: start it, look up an endpoint by its spec id,
//! script answers, reject a token, and read back what the client sent.

use crate::recorded::RecordedRequest;
use crate::respond::Responder;
use crate::script::{Installed, Script};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use wiremock::{Mock, MockServer as Server, Request, matchers::any};
use workapi_codegen::model::{Endpoint, Module, Spec, Vendor};

/// The spec folder of this workspace.
pub fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("spec")
}

/// A running mock of every vendor in a spec, on a free port of 127.0.0.1.
///
/// Every host of every vendor maps to [`uri`](Self::uri). Dropping it stops the server.
pub struct MockServer {
    server: Server,
    state: Arc<State>,
}

/// What the responder and the test share.
pub(crate) struct State {
    pub(crate) spec: Spec,
    inner: Mutex<Inner>,
}

/// The mutable part, behind one lock. Per-endpoint entries are keyed by the endpoint's path,
/// which is unique in a spec (the responder routes by it), unlike an id (`gettoken`).
#[derive(Default)]
pub(crate) struct Inner {
    pub(crate) tokens_issued: usize,
    pub(crate) calls: HashMap<String, usize>,
    pub(crate) revoked: Vec<String>,
    pub(crate) live: Vec<String>,
    /// Credentials accepted besides [`MockServer::credentials`]: (vendor, id, secret).
    pub(crate) credentials: Vec<(String, String, String)>,
    /// Which credential id each issued token belongs to.
    pub(crate) owners: HashMap<String, String>,
    /// How many of the next token-carrying requests to reject.
    pub(crate) reject_tokens: usize,
    pub(crate) scripts: HashMap<String, Vec<Installed>>,
    pub(crate) recorded: HashMap<String, Vec<RecordedRequest>>,
}

impl State {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        // A test that panicked while holding the lock leaves consistent counters: keep going.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// An endpoint of the spec with the vendor and module it belongs to.
#[derive(Clone, Copy)]
pub(crate) struct Found<'s> {
    pub(crate) vendor: &'s Vendor,
    pub(crate) module: &'s Module,
    pub(crate) ep: &'s Endpoint,
}

/// The endpoint with this path.
pub(crate) fn by_path<'s>(spec: &'s Spec, path: &str) -> Option<Found<'s>> {
    spec.vendors.iter().find_map(|vendor| {
        vendor
            .endpoints()
            .find(|(_, e)| e.path == path)
            .map(|(module, ep)| Found { vendor, module, ep })
    })
}

/// The endpoint a test names: `report_list`, or `vendor/id` when several vendors share an id
/// (`dingtalk/gettoken`). The error says what to write instead.
pub(crate) fn by_id<'s>(spec: &'s Spec, id: &str) -> Result<Found<'s>, String> {
    let (vendor_name, ep_id) = match id.split_once('/') {
        Some((v, e)) => (Some(v), e),
        None => (None, id),
    };
    let matches: Vec<Found<'s>> = spec
        .vendors
        .iter()
        .filter(|v| vendor_name.is_none_or(|n| v.name.as_str() == n))
        .flat_map(|vendor| {
            vendor
                .endpoints()
                .filter(|(_, e)| e.id.as_str() == ep_id)
                .map(move |(module, ep)| Found { vendor, module, ep })
        })
        .collect();
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => Err(format!(
            "workapi-mock: no endpoint of the spec has the id `{id}` (write the id as the client's method name, \
             like `report_list`, or `vendor/id`)"
        )),
        several => Err(format!(
            "workapi-mock: several vendors have an endpoint `{id}`; name one: {}",
            several
                .iter()
                .map(|f| format!("`{}/{}`", f.vendor.name, f.ep.id))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
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
            inner: Mutex::default(),
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

    /// Accepts `id` and `secret` as another credential of `vendor` (another corp or app), besides
    /// [`MockServer::credentials`]: for code that serves many tenants. Each request's
    /// [`RecordedRequest::credential`](crate::RecordedRequest::credential) says whose token it carried.
    pub fn add_credentials(&self, vendor: &str, id: impl Into<String>, secret: impl Into<String>) {
        self.state
            .lock()
            .credentials
            .push((vendor.to_owned(), id.into(), secret.into()));
    }

    /// How many tokens the token endpoints have issued.
    pub fn tokens_issued(&self) -> usize {
        self.state.lock().tokens_issued
    }

    /// How many requests reached an endpoint (by spec id), accepted or not. An id no endpoint
    /// has counts 0; endpoints of several vendors with the same id (`gettoken`) count together.
    pub fn calls(&self, endpoint_id: &str) -> usize {
        self.state.lock().calls.get(endpoint_id).copied().unwrap_or(0)
    }

    /// Makes every token issued so far invalid, as if it had expired at the vendor.
    pub fn revoke_tokens(&self) {
        let mut c = self.state.lock();
        let live = std::mem::take(&mut c.live);
        c.revoked.extend(live);
    }

    /// Rejects the next request that carries a valid token with the vendor's invalid-token
    /// error (DingTalk: errcode 88 / sub_code 40014, or HTTP 400 `InvalidAuthentication` on
    /// the v1.0 host; WeCom: errcode 40014), and makes that token invalid, as if it had
    /// expired at the vendor that moment. Each call adds one rejection.
    ///
    /// A client that handles this well fetches one new token and sends the call once more.
    pub fn reject_next_token(&self) {
        self.state.lock().reject_tokens += 1;
    }

    /// Starts a script for the endpoint with this spec id: how the mock answers its next
    /// calls instead of the docs' example. The id is the client's method name (`report_list`);
    /// where several vendors share an id, write `vendor/id` (`wecom/gettoken`).
    ///
    /// The script is installed by its `respond_*` or `fail_*` method; see [`Script`] for the
    /// order in which several scripts of one endpoint answer.
    ///
    /// # Panics
    ///
    /// When no endpoint of the spec has this id, or several do: this is test tooling, and a
    /// mistyped id should stop the test at the line that has it, with a message saying so.
    pub fn on(&self, endpoint_id: &str) -> Script<'_> {
        match by_id(&self.state.spec, endpoint_id) {
            Ok(found) => Script::new(self, found),
            Err(message) => panic!("{message}"),
        }
    }

    /// Every request that reached the endpoint with this spec id, in the order they arrived,
    /// accepted or not. Ids are written as for [`on`](Self::on).
    ///
    /// # Panics
    ///
    /// When no endpoint of the spec has this id, or several do.
    pub fn requests_to(&self, endpoint_id: &str) -> Vec<RecordedRequest> {
        let found = by_id(&self.state.spec, endpoint_id).unwrap_or_else(|m| panic!("{m}"));
        self.state
            .lock()
            .recorded
            .get(&found.ep.path)
            .cloned()
            .unwrap_or_default()
    }

    /// Every request the server has received, in order, as wiremock saw it.
    pub async fn received_requests(&self) -> Vec<Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    pub(crate) fn state(&self) -> &State {
        &self.state
    }
}
