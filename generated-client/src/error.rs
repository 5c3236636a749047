//! The one error type of the client. It keeps what a caller needs to decide (errcode, sub_code,
//! request id, HTTP status, the underlying `source()`) and never a secret: no app secret, no token,
//! no URL with a token in it, and text that came from a server is redacted and bounded.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The underlying error kept as an [`Error`]'s `source()`. Shared (`Arc`) so that one failed token
/// load can be handed to every call that waited on it.
pub type ErrorSource = Arc<dyn std::error::Error + Send + Sync + 'static>;

/// What a caller can do about an error; from the errcode tables in the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The access token is invalid or expired; the client refreshes it and retries once by itself.
    Token,
    /// The vendor is busy (`-1`, HTTP 5xx): worth retrying with backoff.
    Busy,
    /// Too many calls right now: worth retrying with backoff.
    Throttle,
    /// A quota is used up: retrying soon does not help.
    Quota,
    /// The credentials are wrong.
    Auth,
    /// A parameter is wrong.
    Param,
    /// The client is misconfigured (missing credentials, a bad base URL): fix the configuration.
    Config,
    /// Not documented, or not classified.
    Other,
}

/// Which time limit ran out, for [`Error::Timeout`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutScope {
    /// One HTTP request: sending it and reading the whole answer (`attempt_timeout`).
    Attempt,
    /// The whole call: token, retries, backoff and rate-limit waits included (`operation_timeout`).
    Operation,
    /// Loading an access token, retries included (`token_load_timeout`).
    TokenLoad,
}

impl fmt::Display for TimeoutScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutScope::Attempt => "attempt timeout: no complete answer to one request",
            TimeoutScope::Operation => "operation timeout: the whole call, retries included",
            TimeoutScope::TokenLoad => "token load timeout: fetching an access token, retries included",
        })
    }
}

/// Everything that can go wrong calling an endpoint.
///
/// `Clone`, so that the failure of one token load is returned to every call that waited on it.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The vendor answered with `errcode != 0` (WeCom; DingTalk's old API).
    #[error("{0}")]
    Vendor(Box<VendorError>),
    /// The vendor answered with an HTTP error and `{code, message}` (DingTalk's v1.0 API).
    #[error("{0}")]
    Api(Box<ApiError>),
    /// An HTTP error status without a body the vendor's error format explains.
    #[error("{endpoint}: HTTP {status}: {body}")]
    Http {
        /// The endpoint id.
        endpoint: &'static str,
        /// HTTP status.
        status: u16,
        /// The start of the body, redacted (anything token-shaped replaced by `***`).
        body: String,
        /// How many times the request was sent.
        attempts: u32,
        /// The server's `Retry-After`, in seconds, when it sent one.
        retry_after: Option<Duration>,
    },
    /// The response did not have the documented shape.
    #[error("{endpoint}: the response does not match the spec: {message}; body starts: {body}")]
    Decode {
        /// The endpoint id.
        endpoint: &'static str,
        /// What did not fit, with the JSON path (redacted).
        message: String,
        /// The start of the body, redacted (withheld entirely for the token endpoint).
        body: String,
        /// The JSON error, when there was one. Its text is the redacted `message`, so that no
        /// response text reaches an error chain unredacted.
        #[source]
        source: Option<ErrorSource>,
    },
    /// The server answered with a redirect. Redirects are never followed: the request carries the
    /// access token, which must reach no other host.
    #[error("{endpoint}: redirected{} (HTTP {status}); refused, as a redirect would carry the token to another host", to_suffix(.to))]
    Redirect {
        /// The endpoint id.
        endpoint: &'static str,
        /// HTTP status (3xx; or the final status when your own `reqwest::Client` followed it).
        status: u16,
        /// The origin (`scheme://host:port`) the server pointed at, when it said.
        to: Option<String>,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// A time limit ran out.
    #[error("{endpoint}: timed out after {after:?} ({scope})")]
    Timeout {
        /// The endpoint id (the token endpoint's, for a token load).
        endpoint: &'static str,
        /// The limit that ran out.
        after: Duration,
        /// Which limit it was.
        scope: TimeoutScope,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// The response was larger than the configured cap.
    #[error("{endpoint}: the response is larger than {limit} bytes")]
    TooLarge {
        /// The endpoint id.
        endpoint: &'static str,
        /// The cap, in bytes.
        limit: usize,
    },
    /// The request never got an answer: connect failure, connection cut, a body cut short.
    #[error("{endpoint}: {}", transport_detail(.source))]
    Transport {
        /// The endpoint id.
        endpoint: &'static str,
        /// reqwest's error, with the URL (and so the token) removed.
        source: Arc<reqwest::Error>,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// The request breaks a limit the vendor documents (list length, string length, range, time
    /// span); it was not sent. Turn the check off with the builder's `check_limits(false)`.
    #[error("{endpoint}: field '{field}' {problem}; not sent")]
    Limit {
        /// The endpoint id.
        endpoint: &'static str,
        /// The field's path (`create_request.blackboard_receiver.userid_list`).
        field: String,
        /// The value and the limit it breaks.
        problem: String,
    },
    /// A paging stream stopped because the vendor repeated a position.
    #[error("{endpoint}: {message}")]
    Paging {
        /// The endpoint id.
        endpoint: &'static str,
        /// What went wrong.
        message: String,
    },
    /// The request could not be built (bad JSON for `call_json`, a body that does not encode).
    #[error("{endpoint}: invalid request: {message}")]
    InvalidRequest {
        /// The endpoint id.
        endpoint: String,
        /// What is wrong.
        message: String,
    },
    /// The token store failed (a Redis store that cannot be reached, say). Make one in your own
    /// [`crate::TokenStore`] with [`Error::token_store`].
    #[error("token store: {message}")]
    TokenStore {
        /// What failed.
        message: String,
        /// The store's own error.
        #[source]
        source: Option<ErrorSource>,
    },
    /// The rate store failed (a Redis store that cannot be reached, say). Make one in your own
    /// [`crate::RateStore`] with [`Error::rate_store`].
    #[error("rate store: {message}")]
    RateStore {
        /// What failed.
        message: String,
        /// The store's own error.
        #[source]
        source: Option<ErrorSource>,
    },
    /// The client is not configured (missing credentials, a bad base URL).
    #[error("configuration: {message}")]
    Config {
        /// What is wrong and what to set.
        message: String,
        /// The underlying error (a URL that does not parse, an HTTP client that does not build).
        #[source]
        source: Option<ErrorSource>,
    },
}

/// An `errcode != 0` answer. Vendor text (`errmsg`, `sub_msg`) is redacted and bounded.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{endpoint}: {vendor} errcode {errcode}: {errmsg}{}", sub_suffix(.sub_code, .sub_msg))]
#[non_exhaustive]
pub struct VendorError {
    /// `wecom` or `dingtalk`.
    pub vendor: &'static str,
    /// The endpoint id.
    pub endpoint: &'static str,
    /// The vendor's errcode.
    pub errcode: i64,
    /// The vendor's errmsg.
    pub errmsg: String,
    /// DingTalk's `sub_code` (a string on the wire).
    pub sub_code: Option<String>,
    /// DingTalk's `sub_msg`.
    pub sub_msg: Option<String>,
    /// The vendor's request id, for support tickets.
    pub request_id: Option<String>,
    /// What a caller can do.
    pub kind: ErrorKind,
    /// The spec's explanation of the errcode, when it documents it.
    pub explanation: Option<&'static str>,
    /// How many times the request was sent.
    pub attempts: u32,
}

/// An HTTP error answer of the v1.0 API. Vendor text (`message`) is redacted and bounded.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{endpoint}: HTTP {status} {code}: {message}")]
#[non_exhaustive]
pub struct ApiError {
    /// The endpoint id.
    pub endpoint: &'static str,
    /// HTTP status.
    pub status: u16,
    /// The vendor's `code` (`InvalidAuthentication`).
    pub code: String,
    /// The vendor's `message`.
    pub message: String,
    /// The vendor's `requestid`.
    pub request_id: Option<String>,
    /// What a caller can do.
    pub kind: ErrorKind,
    /// The spec's explanation of the code, when it documents it.
    pub explanation: Option<&'static str>,
    /// How many times the request was sent.
    pub attempts: u32,
    /// The server's `Retry-After`, in seconds, when it sent one.
    pub retry_after: Option<Duration>,
}

fn to_suffix(to: &Option<String>) -> String {
    to.as_ref().map(|o| format!(" to {o}")).unwrap_or_default()
}

/// reqwest's "error sending request" says nothing; name what happened and the innermost cause
/// (hyper's and the OS's texts carry no URL).
fn transport_detail(e: &reqwest::Error) -> String {
    let what = if e.is_connect() {
        "could not connect"
    } else if e.is_timeout() {
        "timed out (the HTTP client's own timeout)"
    } else if e.is_body() || e.is_decode() {
        "the connection failed while reading the answer"
    } else {
        "the request failed"
    };
    let mut root: &dyn std::error::Error = e;
    while let Some(next) = root.source() {
        root = next;
    }
    let cause = crate::runtime::redact(&root.to_string(), &[], 200);
    format!("{what}: {cause}")
}

fn sub_suffix(code: &Option<String>, msg: &Option<String>) -> String {
    match (code, msg) {
        (Some(c), Some(m)) => format!(" (sub_code {c}: {m})"),
        (Some(c), None) => format!(" (sub_code {c})"),
        _ => String::new(),
    }
}

impl Error {
    /// A [`Error::TokenStore`] error: for implementations of [`crate::TokenStore`].
    pub fn token_store(
        message: impl Into<String>,
        source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        Error::TokenStore {
            message: message.into(),
            source: source.map(ErrorSource::from),
        }
    }

    /// A [`Error::RateStore`] error: for implementations of [`crate::RateStore`].
    pub fn rate_store(
        message: impl Into<String>,
        source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        Error::RateStore {
            message: message.into(),
            source: source.map(ErrorSource::from),
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
            source: None,
        }
    }

    pub(crate) fn config_with(
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error::Config {
            message: message.into(),
            source: Some(Arc::new(source)),
        }
    }

    pub(crate) fn transport(endpoint: &'static str, e: reqwest::Error) -> Self {
        Error::Transport {
            endpoint,
            source: Arc::new(e.without_url()),
            attempts: 1,
        }
    }

    pub(crate) fn unknown_endpoint(id: &str) -> Self {
        Error::InvalidRequest {
            endpoint: id.chars().take(64).collect(),
            message: "no endpoint has this id (or its module's cargo feature is off)".into(),
        }
    }

    /// What a caller can do about it.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Vendor(e) => e.kind,
            Error::Api(e) => e.kind,
            Error::Http { status, .. } if *status >= 500 => ErrorKind::Busy,
            Error::Http { status: 429, .. } => ErrorKind::Throttle,
            Error::Transport { .. } | Error::TokenStore { .. } | Error::RateStore { .. } | Error::Timeout { .. } => {
                ErrorKind::Busy
            }
            Error::InvalidRequest { .. } | Error::Limit { .. } => ErrorKind::Param,
            Error::Config { .. } => ErrorKind::Config,
            _ => ErrorKind::Other,
        }
    }

    /// The vendor's errcode, for `Vendor` errors.
    pub fn errcode(&self) -> Option<i64> {
        match self {
            Error::Vendor(e) => Some(e.errcode),
            _ => None,
        }
    }

    /// The vendor's request id, when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Vendor(e) => e.request_id.as_deref(),
            Error::Api(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status, when there was an HTTP answer that is not 200.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Http { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The spec's explanation of the vendor's code, when it documents it.
    pub fn explanation(&self) -> Option<&'static str> {
        match self {
            Error::Vendor(e) => e.explanation,
            Error::Api(e) => e.explanation,
            _ => None,
        }
    }

    /// How many times the request was sent (retries and the token refresh included).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Vendor(e) => e.attempts,
            Error::Api(e) => e.attempts,
            Error::Http { attempts, .. }
            | Error::Transport { attempts, .. }
            | Error::Redirect { attempts, .. }
            | Error::Timeout { attempts, .. } => *attempts,
            _ => 1,
        }
    }

    /// How long the server asked to wait before trying again (`Retry-After`, in seconds), if it did.
    /// The client honours it between retries, up to [`crate::RetryPolicy::max_retry_after`].
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Http { retry_after, .. } => *retry_after,
            Error::Api(e) => e.retry_after,
            _ => None,
        }
    }

    pub(crate) fn set_retry_after(&mut self, wait: Option<Duration>) {
        match self {
            Error::Http { retry_after, .. } => *retry_after = wait,
            Error::Api(e) => e.retry_after = wait,
            _ => {}
        }
    }

    /// Records the number of attempts on the error the caller will see.
    pub(crate) fn with_attempts(mut self, n: u32) -> Self {
        match &mut self {
            Error::Vendor(e) => e.attempts = n,
            Error::Api(e) => e.attempts = n,
            Error::Http { attempts, .. }
            | Error::Transport { attempts, .. }
            | Error::Redirect { attempts, .. }
            | Error::Timeout { attempts, .. } => *attempts = n,
            _ => {}
        }
        self
    }

    /// Whether the token was rejected (the client has already refreshed it and retried once).
    pub fn is_token_error(&self) -> bool {
        self.kind() == ErrorKind::Token
    }

    /// Whether sending the same request again later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self.kind(), ErrorKind::Busy | ErrorKind::Throttle)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            ErrorKind::Token => "token",
            ErrorKind::Busy => "busy",
            ErrorKind::Throttle => "throttle",
            ErrorKind::Quota => "quota",
            ErrorKind::Auth => "auth",
            ErrorKind::Param => "param",
            ErrorKind::Config => "config",
            ErrorKind::Other => "other",
        };
        f.write_str(s)
    }
}
