//! Scripted answers: what one endpoint answers instead of the docs' example. A [`Script`] is
//! built from [`MockServer::on`], turned into bodies in the vendor's shape when it is installed
//! (so a mistake shows at the line that scripts it), and consumed one call at a time.

use crate::server::{Found, MockServer};
use crate::vendor_errors::{REQUEST_ID, envelope_error, http_error_body, http_status_of};
use serde_json::{Map, Value, json};
use std::time::Duration;
use workapi_codegen::model::{ErrorStyle, PayloadAt};

/// How the next calls of one endpoint are answered; made by [`MockServer::on`].
///
/// Set how often and how late with [`times`](Self::times) and [`delay`](Self::delay), then
/// install it with one `respond_*` or `fail_*` method:
///
/// - [`respond_json`](Self::respond_json): a payload, in the vendor's success envelope.
/// - [`respond_pages`](Self::respond_pages): one payload per call, in order.
/// - [`fail_with_errcode`](Self::fail_with_errcode): the vendor's error, in its host's shape.
/// - [`respond_example`](Self::respond_example): the default answer (useful with a delay).
/// - [`respond_raw`](Self::respond_raw): any status and body, as given.
///
/// The mock's checks still come first: a request with no valid token or a missing required
/// field gets the vendor's error and does not use up a scripted answer.
///
/// An endpoint may have several scripts: they answer in the order they were installed, each
/// until its [`times`](Self::times) are used up. A script without `times` answers until the
/// next script of its endpoint is installed, which replaces it: so a test can change an
/// answer midway, or line up `times(1)` answers before an open-ended one. When no script is
/// left, the endpoint answers with the docs' example again.
#[must_use = "a script does nothing until a respond_* or fail_* method installs it"]
pub struct Script<'a> {
    server: &'a MockServer,
    found: Found<'a>,
    delay: Option<Duration>,
    times: Option<usize>,
}

/// An error code for [`Script::fail_with_errcode`]: a number for hosts that report errors in an
/// errcode envelope (WeCom, DingTalk's `oapi`), a string for hosts that report them as an HTTP
/// status and `{code, message}` (DingTalk's v1.0 `api` host). Made with `From`: `40014.into()`,
/// `"Forbidden.AccessDenied".into()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorCode {
    /// The envelope's `errcode`.
    Errcode(i64),
    /// The `code` of an HTTP-status error; the status is the one the spec documents for it,
    /// or 400.
    Code(String),
}

impl From<i64> for ErrorCode {
    fn from(code: i64) -> Self {
        ErrorCode::Errcode(code)
    }
}

impl From<i32> for ErrorCode {
    fn from(code: i32) -> Self {
        ErrorCode::Errcode(code.into())
    }
}

impl From<&str> for ErrorCode {
    fn from(code: &str) -> Self {
        ErrorCode::Code(code.to_owned())
    }
}

impl From<String> for ErrorCode {
    fn from(code: String) -> Self {
        ErrorCode::Code(code)
    }
}

/// One scripted answer.
#[derive(Clone)]
pub(crate) enum Reply {
    /// This status and body.
    Fixed { status: u16, body: Value },
    /// What the endpoint answers without a script.
    Example,
}

/// An installed script of one endpoint.
pub(crate) struct Installed {
    replies: Vec<Reply>,
    /// The next reply; it stays on the last one.
    next: usize,
    /// How many calls it still answers; `None`: every call.
    uses_left: Option<usize>,
    delay: Option<Duration>,
}

impl Installed {
    /// The answer for one call and its delay, using it up; `None` when the script has no
    /// uses left.
    pub(crate) fn take(&mut self) -> Option<(Reply, Option<Duration>)> {
        match &mut self.uses_left {
            Some(0) => return None,
            Some(n) => *n -= 1,
            None => {}
        }
        let reply = self.replies.get(self.next).or(self.replies.last())?.clone();
        self.next = (self.next + 1).min(self.replies.len().saturating_sub(1));
        Some((reply, self.delay))
    }

    /// It answers no more calls.
    pub(crate) fn used_up(&self) -> bool {
        self.uses_left == Some(0)
    }
}

impl<'a> Script<'a> {
    pub(crate) fn new(server: &'a MockServer, found: Found<'a>) -> Self {
        Script {
            server,
            found,
            delay: None,
            times: None,
        }
    }

    /// Answers only after `delay` (each call), so a test can see its client's timeout.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Answers only the next `n` calls; after them, the endpoint's other scripts or its
    /// default answer take over.
    ///
    /// # Panics
    ///
    /// When `n` is 0: such a script would never answer.
    pub fn times(mut self, n: usize) -> Self {
        assert!(
            n > 0,
            "workapi-mock: times(0) scripts nothing for `{}`",
            self.found.ep.id
        );
        self.times = Some(n);
        self
    }

    /// Answers with `payload`, wrapped as the vendor wraps a success: under `"result"` or at
    /// the top level of the body, beside `errcode: 0` and `errmsg: "ok"` (and DingTalk's
    /// `request_id`), as the endpoint's spec says; on DingTalk's v1.0 host the payload is
    /// the whole body. The payload is what the client's method returns, sent as given (not
    /// checked against the spec, so a test can send what the vendor should not).
    ///
    /// # Panics
    ///
    /// When the endpoint's payload is the top level of an envelope and `payload` is not a JSON
    /// object.
    pub fn respond_json(self, payload: Value) {
        self.respond_pages([payload]);
    }

    /// Answers each call with the next payload of `pages`, wrapped as
    /// [`respond_json`](Self::respond_json) wraps one. After the last page, the last page
    /// answers again: give the last page the vendor's end signal (`has_more: false`, no next
    /// cursor) so a paging stream ends; a page without one makes the client see its position
    /// handed back twice, as it would from the vendor. With [`times`](Self::times), the script
    /// answers that many calls in all.
    ///
    /// # Panics
    ///
    /// When `pages` is empty, or as [`respond_json`](Self::respond_json) for any page.
    pub fn respond_pages(self, pages: impl IntoIterator<Item = Value>) {
        let replies: Vec<Reply> = pages
            .into_iter()
            .map(|payload| Reply::Fixed {
                status: 200,
                body: self.success_body(payload),
            })
            .collect();
        assert!(
            !replies.is_empty(),
            "workapi-mock: respond_pages for `{}` got no pages",
            self.found.ep.id
        );
        self.install(replies);
    }

    /// Answers with the vendor's error: `{errcode, errmsg}` with HTTP 200 on an errcode
    /// envelope host (DingTalk's envelope adds `request_id`), the HTTP status the spec
    /// documents for `code` (else 400) and `{code, message, requestid}` on an HTTP-status host.
    /// The client reports it as `workapi::Error::Vendor` or `workapi::Error::Api` with this
    /// code and message.
    ///
    /// # Panics
    ///
    /// When the code's kind does not fit the endpoint's host: a number for an HTTP-status host
    /// or a string for an envelope host.
    pub fn fail_with_errcode(self, code: impl Into<ErrorCode>, message: impl Into<String>) {
        let (vendor, ep) = (self.found.vendor, self.found.ep);
        let host = vendor.host(ep.host);
        let message = message.into();
        let reply = match (host.errors, code.into()) {
            (ErrorStyle::Envelope, ErrorCode::Errcode(code)) => Reply::Fixed {
                status: 200,
                body: envelope_error(vendor, code, &message, &[]),
            },
            (ErrorStyle::Http, ErrorCode::Code(code)) => Reply::Fixed {
                status: http_status_of(vendor, &code),
                body: http_error_body(&code, &message),
            },
            (ErrorStyle::Envelope, ErrorCode::Code(code)) => panic!(
                "workapi-mock: `{}` is on the {} host, which reports errors as a numeric errcode, not `{code}`",
                ep.id, host.id
            ),
            (ErrorStyle::Http, ErrorCode::Errcode(code)) => panic!(
                "workapi-mock: `{}` is on the {} host, which reports errors as an HTTP status and a code string \
                 (like \"InvalidAuthentication\"), not errcode {code}",
                ep.id, host.id
            ),
        };
        self.install(vec![reply]);
    }

    /// Answers with the endpoint's default answer, the docs' example; with
    /// [`delay`](Self::delay), a slow but otherwise normal vendor.
    pub fn respond_example(self) {
        self.install(vec![Reply::Example]);
    }

    /// Answers with this HTTP status and JSON body exactly as given, with no envelope: for what
    /// the other methods do not shape (a 503, an HTML error page's status, a malformed body).
    pub fn respond_raw(self, status: u16, body: Value) {
        self.install(vec![Reply::Fixed { status, body }]);
    }

    fn install(self, replies: Vec<Reply>) {
        let script = Installed {
            replies,
            next: 0,
            uses_left: self.times,
            delay: self.delay,
        };
        let mut inner = self.server.state().lock();
        let scripts = inner.scripts.entry(self.found.ep.path.clone()).or_default();
        // An open-ended script ends where the next one begins (see the type's docs).
        scripts.retain(|s| s.uses_left.is_some());
        scripts.push(script);
    }

    /// The whole body of a success that carries `payload`.
    fn success_body(&self, payload: Value) -> Value {
        let (vendor, ep) = (self.found.vendor, self.found.ep);
        let envelope = vendor.host(ep.host).errors == ErrorStyle::Envelope;
        let mut body = match (ep.payload_at, payload) {
            (PayloadAt::Result, payload) => {
                let mut body = Map::new();
                body.insert("result".into(), payload);
                body
            }
            (PayloadAt::Top, payload) if !envelope => return payload,
            (PayloadAt::Top, Value::Object(fields)) => fields,
            (PayloadAt::Top, other) => panic!(
                "workapi-mock: the payload of `{}` is the top level of the body, beside errcode, so it must be a \
                 JSON object, not {other}",
                ep.id
            ),
        };
        if envelope {
            body.insert("errcode".into(), json!(0));
            body.insert("errmsg".into(), json!("ok"));
            if vendor.envelope.iter().any(|f| f == "request_id") {
                body.insert("request_id".into(), json!(REQUEST_ID));
            }
        }
        Value::Object(body)
    }
}
