//! [`ReceiveError`]: why a pushed request was not accepted, and the 4xx or 503 answer it gets.
//! The answer's body is a fixed short reason: never the token, the key, the receive id or any
//! of the request's values.

use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode, header};

use super::delivery::Vendor;
use crate::callback::CallbackError;

/// Why a request to a callback URL was refused.
///
/// Each variant maps to one HTTP status ([`ReceiveError::status`]); the answer's body is
/// [`ReceiveError::reason`]. `Display` may say more (lengths, which parameter) for your logs,
/// and never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReceiveError {
    /// The vendor uses another method for this URL (WeCom: GET and POST; DingTalk: POST).
    #[error("{vendor} callback: method {method} is not used by the vendor")]
    Method {
        /// The endpoint's vendor.
        vendor: Vendor,
        /// The method received.
        method: String,
    },
    /// The body is longer than the receiver accepts.
    #[error("{vendor} callback: body of {len} bytes or more, more than the cap of {max}")]
    BodyTooLarge {
        /// The endpoint's vendor.
        vendor: Vendor,
        /// The length seen (from `Content-Length`, or what was read before giving up).
        len: usize,
        /// The cap ([`ReceiverBuilder::max_body_len`](super::ReceiverBuilder::max_body_len)).
        max: usize,
    },
    /// The body could not be read (the connection failed mid-body).
    #[error("{vendor} callback: the body could not be read")]
    BodyUnreadable {
        /// The endpoint's vendor.
        vendor: Vendor,
    },
    /// A query parameter the vendor always sends is missing or not UTF-8 after URL-decoding.
    #[error("{vendor} callback: query parameter `{name}` is missing or not UTF-8")]
    Query {
        /// The endpoint's vendor.
        vendor: Vendor,
        /// The parameter (`msg_signature`, `timestamp`, `nonce`, `echostr`).
        name: &'static str,
    },
    /// The body is not the vendor's envelope (WeCom: `<xml>` with one `Encrypt`; DingTalk:
    /// `{"encrypt": "..."}`).
    #[error("{vendor} callback: body is not the vendor's envelope: {reason}")]
    Envelope {
        /// The endpoint's vendor.
        vendor: Vendor,
        /// What is wrong with it.
        reason: String,
    },
    /// Verification or decryption failed: bad signature, stale or future timestamp, wrong key,
    /// a message for another receive id, and the like.
    #[error("{vendor} callback: {source}")]
    Callback {
        /// The endpoint's vendor.
        vendor: Vendor,
        /// What the callback crypto found.
        #[source]
        source: CallbackError,
    },
    /// The decrypted message is not what the vendor sends (WeCom: an `<xml>` document;
    /// DingTalk: a JSON object).
    #[error("{vendor} callback: decrypted message is not the vendor's format: {reason}")]
    Payload {
        /// The endpoint's vendor.
        vendor: Vendor,
        /// What is wrong with it.
        reason: String,
    },
    /// The application's queue of deliveries is full: the vendor is answered 503 and resends
    /// later, so nothing is lost while the application catches up.
    #[error("{vendor} callback: the application's delivery queue is full")]
    QueueFull {
        /// The endpoint's vendor.
        vendor: Vendor,
    },
    /// The application dropped its [`Deliveries`](super::Deliveries): nobody would see the event.
    #[error("{vendor} callback: nobody receives deliveries any more")]
    QueueClosed {
        /// The endpoint's vendor.
        vendor: Vendor,
    },
}

impl ReceiveError {
    /// The vendor whose endpoint refused the request.
    pub fn vendor(&self) -> Vendor {
        match self {
            ReceiveError::Method { vendor, .. }
            | ReceiveError::BodyTooLarge { vendor, .. }
            | ReceiveError::BodyUnreadable { vendor }
            | ReceiveError::Query { vendor, .. }
            | ReceiveError::Envelope { vendor, .. }
            | ReceiveError::Callback { vendor, .. }
            | ReceiveError::Payload { vendor, .. }
            | ReceiveError::QueueFull { vendor }
            | ReceiveError::QueueClosed { vendor } => *vendor,
        }
    }

    /// The HTTP status of the answer: 405, 413, 400 for malformed requests, 403 for requests
    /// that fail verification, 503 when the application cannot take the event now (the vendors
    /// resend on anything but 200).
    pub fn status(&self) -> StatusCode {
        match self {
            ReceiveError::Method { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ReceiveError::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ReceiveError::BodyUnreadable { .. }
            | ReceiveError::Query { .. }
            | ReceiveError::Envelope { .. }
            | ReceiveError::Payload { .. } => StatusCode::BAD_REQUEST,
            ReceiveError::Callback { source, .. } => match source {
                CallbackError::CiphertextTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                CallbackError::InvalidTimestamp | CallbackError::CiphertextBase64 | CallbackError::PushBody { .. } => {
                    StatusCode::BAD_REQUEST
                }
                CallbackError::RandomUnavailable => StatusCode::SERVICE_UNAVAILABLE,
                _ => StatusCode::FORBIDDEN,
            },
            ReceiveError::QueueFull { .. } | ReceiveError::QueueClosed { .. } => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The answer's body: a fixed phrase per kind of failure, safe to show to anyone.
    pub fn reason(&self) -> &'static str {
        match self {
            ReceiveError::Method { .. } => "method not allowed",
            ReceiveError::BodyTooLarge { .. } => "body too large",
            ReceiveError::BodyUnreadable { .. } => "body unreadable",
            ReceiveError::Query { .. } => "missing or bad query parameter",
            ReceiveError::Envelope { .. } => "bad envelope",
            ReceiveError::Payload { .. } => "bad decrypted message",
            ReceiveError::Callback { source, .. } => match source {
                CallbackError::SignatureMismatch => "bad signature",
                CallbackError::StaleTimestamp { .. } | CallbackError::FutureTimestamp { .. } => {
                    "timestamp out of range"
                }
                CallbackError::InvalidTimestamp => "bad timestamp",
                CallbackError::CiphertextTooLarge { .. } => "body too large",
                CallbackError::RandomUnavailable => "try again",
                _ => "message does not decrypt",
            },
            ReceiveError::QueueFull { .. } | ReceiveError::QueueClosed { .. } => "try again",
        }
    }

    /// The answer: [`status`](Self::status) with [`reason`](Self::reason) as a plain-text body.
    pub fn to_response(&self) -> Response<Bytes> {
        let mut response = Response::new(Bytes::from_static(self.reason().as_bytes()));
        *response.status_mut() = self.status();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        response
    }
}
