//! The one error type of the client. It keeps what a caller needs to decide (errcode, sub_code,
//! request id, HTTP status) and never a secret: no app secret, no token, no URL with a token in it.

use std::fmt;

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
    /// Not documented, or not classified.
    Other,
}

/// Everything that can go wrong calling an endpoint.
#[derive(Debug, thiserror::Error)]
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
        /// The start of the body.
        body: String,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// The response did not have the documented shape.
    #[error("{endpoint}: the response does not match the spec: {message}; body starts: {body}")]
    Decode {
        /// The endpoint id.
        endpoint: &'static str,
        /// What did not fit, with the JSON path.
        message: String,
        /// The start of the body (redacted for the token endpoint).
        body: String,
    },
    /// The response was larger than the configured cap.
    #[error("{endpoint}: the response is larger than {limit} bytes")]
    TooLarge {
        /// The endpoint id.
        endpoint: &'static str,
        /// The cap, in bytes.
        limit: usize,
    },
    /// The request never got an answer: connect failure, timeout, connection cut.
    #[error("{endpoint}: {source}")]
    Transport {
        /// The endpoint id.
        endpoint: &'static str,
        /// reqwest's error, with the URL (and so the token) removed.
        source: reqwest::Error,
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
    /// The token store failed (a Redis store that cannot be reached, say).
    #[error("token store: {0}")]
    TokenStore(String),
    /// The client is not configured (missing credentials, a bad base URL).
    #[error("configuration: {0}")]
    Config(String),
}

/// An `errcode != 0` answer.
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

/// An HTTP error answer of the v1.0 API.
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
}

fn sub_suffix(code: &Option<String>, msg: &Option<String>) -> String {
    match (code, msg) {
        (Some(c), Some(m)) => format!(" (sub_code {c}: {m})"),
        (Some(c), None) => format!(" (sub_code {c})"),
        _ => String::new(),
    }
}

impl Error {
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
            Error::Transport { .. } | Error::TokenStore(_) => ErrorKind::Busy,
            Error::InvalidRequest { .. } | Error::Limit { .. } => ErrorKind::Param,
            Error::Config(_) => ErrorKind::Auth,
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
            Error::Http { attempts, .. } | Error::Transport { attempts, .. } => *attempts,
            _ => 1,
        }
    }

    /// Records the number of attempts on the error the caller will see.
    pub(crate) fn with_attempts(mut self, n: u32) -> Self {
        match &mut self {
            Error::Vendor(e) => e.attempts = n,
            Error::Api(e) => e.attempts = n,
            Error::Http { attempts, .. } | Error::Transport { attempts, .. } => *attempts = n,
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

/// The start of a body, for error messages: at most `max` characters, on one line.
pub(crate) fn shorten(body: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text
        .chars()
        .take(max)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > max {
        out.push_str("...");
    }
    out
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
            ErrorKind::Other => "other",
        };
        f.write_str(s)
    }
}
