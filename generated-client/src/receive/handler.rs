//! [`Receiver`]: one vendor's callback URL as a function from `http::Request` to
//! `http::Response`. It verifies, decrypts, deduplicates and hands the event to the
//! application's queue without waiting, then answers as the vendor requires.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use percent_encoding::percent_decode_str;

use super::dedup::DedupWindow;
use super::delivery::{Delivery, DeliverySender, Vendor};
use super::error::ReceiveError;
use super::xml;
use crate::callback::{CallbackCrypto, CallbackError, Freshness, TimestampUnit};

/// The default accepted age of a request's timestamp (and clock skew ahead).
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(300);
/// The default time a delivered event's key is remembered. WeCom resends three times, after
/// five seconds each (接收消息与事件 概述); DingTalk's pages give no schedule for HTTP push, so
/// the window is generous rather than tight.
pub const DEFAULT_DEDUP_WINDOW: Duration = Duration::from_secs(600);
/// The default number of keys remembered; past it the oldest is forgotten first.
pub const DEFAULT_DEDUP_CAPACITY: usize = 10_000;
/// Room for the envelope around the ciphertext in the default body cap.
const ENVELOPE_SLACK: usize = 4096;
/// DingTalk timestamps at or above this are milliseconds (the 加解密 page), below it seconds
/// (the HTTP 回调概述 example URL): 10^11 seconds is the year 5138, 10^11 ms is 1973.
const MILLIS_FROM: u64 = 100_000_000_000;

type RejectionHook = Arc<dyn Fn(&ReceiveError) + Send + Sync>;

/// The callback URL of one WeCom app or DingTalk app: give it each request, send back what it
/// returns. Cheap to clone; clones share the dedup window and the queue.
///
/// - WeCom (接收消息与事件): `GET ?msg_signature&timestamp&nonce&echostr` is the URL check,
///   answered with the decrypted `echostr`; `POST` carries `<xml><ToUserName/><Encrypt/>
///   <AgentID/></xml>` and is answered `200` with an empty body, or `success` for third-party
///   instruction callbacks (`InfoType`), which the vendor requires. Passive replies are not
///   made: the answer does not wait for the application, so reply with the message API.
/// - DingTalk HTTP push: `POST ?msg_signature(or signature)&timestamp&nonce` with
///   `{"encrypt": ...}`, answered with the encrypted `success` JSON; the URL-check events
///   (`check_url`, ...) are answered and not delivered.
///
/// Each accepted event is handed to the [`DeliverySender`] given to
/// [`ReceiverBuilder::build`] once, however often the vendor resends it within the dedup
/// window (see [`DedupKey`](super::DedupKey)).
#[derive(Clone)]
pub struct Receiver {
    inner: Arc<Inner>,
}

struct Inner {
    vendor: Vendor,
    crypto: CallbackCrypto,
    max_age: Option<Duration>,
    max_body_len: usize,
    dedup: Mutex<DedupWindow>,
    sender: DeliverySender,
    on_rejected: Option<RejectionHook>,
}

/// Settings of a [`Receiver`]; made by [`Receiver::wecom`] or [`Receiver::dingtalk`].
#[must_use]
pub struct ReceiverBuilder {
    vendor: Vendor,
    crypto: CallbackCrypto,
    max_age: Option<Duration>,
    max_body_len: Option<usize>,
    dedup_window: Duration,
    dedup_capacity: usize,
    on_rejected: Option<RejectionHook>,
}

impl Receiver {
    /// A WeCom callback URL; `crypto` has the corpid (or suiteid) as receive id.
    pub fn wecom(crypto: CallbackCrypto) -> ReceiverBuilder {
        ReceiverBuilder::new(Vendor::WeCom, crypto)
    }

    /// A DingTalk HTTP push URL; `crypto` has the appKey (or suiteKey, corpId) as receive id.
    pub fn dingtalk(crypto: CallbackCrypto) -> ReceiverBuilder {
        ReceiverBuilder::new(Vendor::DingTalk, crypto)
    }

    /// The vendor this URL is for.
    pub fn vendor(&self) -> Vendor {
        self.inner.vendor
    }

    /// The longest body accepted, in bytes; read no more than this (plus one, to tell).
    pub fn max_body_len(&self) -> usize {
        self.inner.max_body_len
    }

    /// Handles one request whose body has been read, and returns the answer, or why the
    /// request is refused ([`ReceiveError::to_response`] is its answer).
    ///
    /// Never waits: a full queue is [`ReceiveError::QueueFull`] (answered 503, the vendor
    /// resends).
    ///
    /// # Errors
    /// Any [`ReceiveError`].
    pub fn handle<B: AsRef<[u8]>>(&self, request: &Request<B>) -> Result<Response<Bytes>, ReceiveError> {
        let inner = &*self.inner;
        let vendor = inner.vendor;
        let body = request.body().as_ref();
        if body.len() > inner.max_body_len {
            return Err(ReceiveError::BodyTooLarge {
                vendor,
                len: body.len(),
                max: inner.max_body_len,
            });
        }
        let query = Query {
            vendor,
            raw: request.uri().query().unwrap_or(""),
        };
        match (vendor, request.method()) {
            (Vendor::WeCom, &Method::GET) => self.wecom_url_check(&query),
            (Vendor::WeCom, &Method::POST) => self.wecom_push(&query, body),
            (Vendor::DingTalk, &Method::POST) => self.dingtalk_push(&query, body),
            (_, method) => Err(ReceiveError::Method {
                vendor,
                method: method.to_string(),
            }),
        }
    }

    /// [`handle`](Self::handle), answering a refused request with its 4xx or 503 after
    /// reporting it (a `tracing` warning, and the [`ReceiverBuilder::on_rejected`] hook).
    pub fn respond<B: AsRef<[u8]>>(&self, request: &Request<B>) -> Response<Bytes> {
        self.handle(request).unwrap_or_else(|error| self.reject(&error))
    }

    /// Reports `error` as [`respond`](Self::respond) does, and returns its answer. For
    /// failures before [`handle`](Self::handle), such as a body too large to read.
    pub fn reject(&self, error: &ReceiveError) -> Response<Bytes> {
        tracing::warn!(vendor = %error.vendor(), status = error.status().as_u16(), %error, "callback refused");
        if let Some(hook) = &self.inner.on_rejected {
            hook(error);
        }
        error.to_response()
    }

    fn wecom_url_check(&self, query: &Query<'_>) -> Result<Response<Bytes>, ReceiveError> {
        let signature = query.required("msg_signature")?;
        let timestamp = query.required("timestamp")?;
        let nonce = query.required("nonce")?;
        let echostr = query.required("echostr")?;
        self.check_fresh(&timestamp)?;
        let plain = self
            .inner
            .crypto
            .wecom_verify_url(&signature, &timestamp, &nonce, &echostr)
            .map_err(|source| self.callback_error(source))?;
        // As is: no quotes, no BOM, no newline (接收消息 "验证URL有效性").
        Ok(text_response(plain.into()))
    }

    fn wecom_push(&self, query: &Query<'_>, body: &[u8]) -> Result<Response<Bytes>, ReceiveError> {
        let signature = query.required("msg_signature")?;
        let timestamp = query.required("timestamp")?;
        let nonce = query.required("nonce")?;
        let encrypt = wecom_envelope(body)?;
        self.check_fresh(&timestamp)?;
        let plain = self
            .inner
            .crypto
            .decrypt(&signature, &timestamp, &nonce, &encrypt)
            .map_err(|source| self.callback_error(source))?;
        let delivery = Delivery::wecom(plain)?;
        // 应用授权 回调通知 概述: instruction callbacks "必须直接返回字符串 success"; other
        // pushes take an empty 200 (接收消息 概述: "直接返回200（即以空串为返回包）").
        let answer = if delivery.is_wecom_instruction() { "success" } else { "" };
        self.deliver(delivery)?;
        Ok(text_response(Bytes::from_static(answer.as_bytes())))
    }

    fn dingtalk_push(&self, query: &Query<'_>, body: &[u8]) -> Result<Response<Bytes>, ReceiveError> {
        // The current pages and library name it `msg_signature`; the HTTP 回调概述 example URL
        // and older pages `signature`.
        let signature = match query.optional("msg_signature")? {
            Some(s) => s,
            None => query.required("signature")?,
        };
        let timestamp = query.required("timestamp")?;
        let nonce = query.required("nonce")?;
        self.check_fresh(&timestamp)?;
        let push = self
            .inner
            .crypto
            .dingtalk_decrypt_push(&signature, &timestamp, &nonce, body)
            .map_err(|source| match source {
                CallbackError::PushBody { reason } => ReceiveError::Envelope {
                    vendor: Vendor::DingTalk,
                    reason: reason.to_owned(),
                },
                source => self.callback_error(source),
            })?;
        if !push.is_url_check() {
            self.deliver(Delivery::dingtalk(push.plaintext)?)?;
        }
        let reply = self
            .inner
            .crypto
            .dingtalk_success_reply(&timestamp, &nonce)
            .map_err(|source| self.callback_error(source))?;
        let mut response = Response::new(Bytes::from(reply.to_dingtalk_json()));
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        Ok(response)
    }

    /// Hands `delivery` to the queue unless its key was delivered within the window. The
    /// check, the hand-off and the record are one step under the lock, so two copies arriving
    /// together are delivered once; a refused hand-off records nothing, so the resend of an
    /// event refused with 503 is delivered.
    fn deliver(&self, delivery: Delivery) -> Result<(), ReceiveError> {
        let now = Instant::now();
        let key = delivery.dedup_key().clone();
        let mut window = self.inner.dedup.lock().unwrap_or_else(PoisonError::into_inner);
        if window.contains(&key, now) {
            tracing::debug!(vendor = %self.inner.vendor, key = key.as_str(), "resend answered, not delivered again");
            return Ok(());
        }
        self.inner.sender.try_send(delivery)?;
        window.insert(key, now);
        Ok(())
    }

    fn check_fresh(&self, timestamp: &str) -> Result<(), ReceiveError> {
        let Some(max_age) = self.inner.max_age else {
            return Ok(());
        };
        let unit = match self.inner.vendor {
            Vendor::WeCom => TimestampUnit::Seconds,
            Vendor::DingTalk => match timestamp.parse::<u64>() {
                Ok(value) if value >= MILLIS_FROM => TimestampUnit::Millis,
                _ => TimestampUnit::Seconds,
            },
        };
        Freshness::new(max_age, unit)
            .check(timestamp, SystemTime::now())
            .map_err(|source| self.callback_error(source))
    }

    fn callback_error(&self, source: CallbackError) -> ReceiveError {
        ReceiveError::Callback {
            vendor: self.inner.vendor,
            source,
        }
    }
}

impl fmt::Debug for Receiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("vendor", &self.inner.vendor)
            .field("crypto", &self.inner.crypto)
            .field("max_age", &self.inner.max_age)
            .field("max_body_len", &self.inner.max_body_len)
            .finish_non_exhaustive()
    }
}

impl ReceiverBuilder {
    fn new(vendor: Vendor, crypto: CallbackCrypto) -> Self {
        ReceiverBuilder {
            vendor,
            crypto,
            max_age: Some(DEFAULT_MAX_AGE),
            max_body_len: None,
            dedup_window: DEFAULT_DEDUP_WINDOW,
            dedup_capacity: DEFAULT_DEDUP_CAPACITY,
            on_rejected: None,
        }
    }

    /// The accepted age of a request's `timestamp`, and skew ahead (default
    /// [`DEFAULT_MAX_AGE`]); `None` accepts any. The vendors may keep the first timestamp
    /// when they resend, so allow minutes.
    pub fn max_age(mut self, max_age: Option<Duration>) -> Self {
        self.max_age = max_age;
        self
    }

    /// The longest body accepted, in bytes (default: the crypto's ciphertext cap plus 4 KiB
    /// for the envelope). Longer ones are answered 413.
    pub fn max_body_len(mut self, max: usize) -> Self {
        self.max_body_len = Some(max);
        self
    }

    /// How long a delivered event's key is remembered, and how many keys at most (defaults
    /// [`DEFAULT_DEDUP_WINDOW`], [`DEFAULT_DEDUP_CAPACITY`]).
    pub fn dedup_window(mut self, window: Duration, capacity: usize) -> Self {
        self.dedup_window = window;
        self.dedup_capacity = capacity;
        self
    }

    /// Called with every refused request's error, after the `tracing` warning: to count or
    /// log them your way. Runs on the request's task: keep it short.
    pub fn on_rejected(mut self, hook: impl Fn(&ReceiveError) + Send + Sync + 'static) -> Self {
        self.on_rejected = Some(Arc::new(hook));
        self
    }

    /// The receiver, handing accepted events to `sender` (see [`channel`](super::channel)).
    pub fn build(self, sender: DeliverySender) -> Receiver {
        let max_body_len = self
            .max_body_len
            .unwrap_or_else(|| self.crypto.max_encrypted_len().saturating_add(ENVELOPE_SLACK));
        Receiver {
            inner: Arc::new(Inner {
                vendor: self.vendor,
                crypto: self.crypto,
                max_age: self.max_age,
                max_body_len,
                dedup: Mutex::new(DedupWindow::new(self.dedup_window, self.dedup_capacity)),
                sender,
                on_rejected: self.on_rejected,
            }),
        }
    }
}

/// The `Encrypt` of WeCom's POST body `<xml><ToUserName/><Encrypt/><AgentID/></xml>`.
fn wecom_envelope(body: &[u8]) -> Result<String, ReceiveError> {
    let envelope = |reason: String| ReceiveError::Envelope {
        vendor: Vendor::WeCom,
        reason,
    };
    let text = std::str::from_utf8(body).map_err(|_| envelope("not UTF-8".to_owned()))?;
    let (root, children) = xml::parse_document(text).map_err(envelope)?;
    if root != "xml" {
        return Err(envelope(format!("root element is <{root}>, not <xml>")));
    }
    let mut encrypts = children.iter().filter(|(name, _)| name == "Encrypt");
    match (encrypts.next(), encrypts.next()) {
        (Some((_, xml::Node::Text(encrypt))), None) if !encrypt.is_empty() => Ok(encrypt.clone()),
        (None, _) => Err(envelope("no <Encrypt> element".to_owned())),
        (Some(_), Some(_)) => Err(envelope("more than one <Encrypt> element".to_owned())),
        (Some(_), None) => Err(envelope("<Encrypt> is empty or has elements inside".to_owned())),
    }
}

/// The query string of a request, read one parameter at a time.
struct Query<'a> {
    vendor: Vendor,
    raw: &'a str,
}

impl Query<'_> {
    /// The first value of `name`, percent-decoded. A `+` stays a `+`: in `echostr` and
    /// signatures it is base64, and the vendors encode spaces, if any, as `%20`.
    fn optional(&self, name: &'static str) -> Result<Option<String>, ReceiveError> {
        for pair in self.raw.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            if percent_decode_str(key).decode_utf8().is_ok_and(|k| k == name) {
                return percent_decode_str(value)
                    .decode_utf8()
                    .map(|v| Some(v.into_owned()))
                    .map_err(|_| ReceiveError::Query {
                        vendor: self.vendor,
                        name,
                    });
            }
        }
        Ok(None)
    }

    fn required(&self, name: &'static str) -> Result<String, ReceiveError> {
        match self.optional(name)? {
            Some(value) if !value.is_empty() => Ok(value),
            _ => Err(ReceiveError::Query {
                vendor: self.vendor,
                name,
            }),
        }
    }
}

fn text_response(body: Bytes) -> Response<Bytes> {
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::OK;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_decoded_and_plus_stays_plus() {
        let query = Query {
            vendor: Vendor::WeCom,
            raw: "a=1&echostr=ab%2Bc+d%3D%3D&empty=&msg%5Fsignature=x",
        };
        assert_eq!(query.optional("echostr").unwrap().as_deref(), Some("ab+c+d=="));
        assert_eq!(query.optional("msg_signature").unwrap().as_deref(), Some("x"));
        assert_eq!(query.optional("missing").unwrap(), None);
        assert!(query.required("empty").is_err());
        let bad = Query {
            vendor: Vendor::WeCom,
            raw: "nonce=%FF",
        };
        assert_eq!(
            bad.required("nonce"),
            Err(ReceiveError::Query {
                vendor: Vendor::WeCom,
                name: "nonce"
            })
        );
    }

    #[test]
    fn the_wecom_envelope_needs_exactly_one_encrypt() {
        let ok = b"<xml><ToUserName><![CDATA[wx1]]></ToUserName><Encrypt><![CDATA[abc+/=]]></Encrypt>\
                   <AgentID><![CDATA[218]]></AgentID></xml>";
        assert_eq!(wecom_envelope(ok).unwrap(), "abc+/=");
        for bad in [
            &b"<xml><ToUserName>x</ToUserName></xml>"[..],
            b"<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>",
            b"<xml><Encrypt></Encrypt></xml>",
            b"<other><Encrypt>a</Encrypt></other>",
            b"<xml><Encrypt>a</Encrypt>",
            b"\xff",
        ] {
            assert!(
                matches!(wecom_envelope(bad), Err(ReceiveError::Envelope { .. })),
                "{bad:?}"
            );
        }
    }
}
