//! Receiving what WeCom and DingTalk push to an app's callback URL: a framework-neutral
//! [`Receiver`] (`http::Request` in, `http::Response` out) and, with the `axum` feature, a ready
//! [`axum::router`].
//!
//! The vendors give little time (WeCom 5 s, DingTalk 1.5 s) and resend what is not answered in
//! time, so a [`Receiver`] verifies and decrypts (with [`crate::callback`]), hands the event to
//! a bounded queue without waiting, and answers at once; the application reads the queue as
//! [`Deliveries`]. A resent event is answered again but delivered once (see [`DedupKey`]).
//! Refused requests get a 4xx (503 when the queue is full) and a [`ReceiveError`] to log.
//!
//! ```
//! use workapi::callback::CallbackCrypto;
//! use workapi::receive::{self, Receiver};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // The callback settings of the WeCom 加解密方案说明 example.
//! let crypto = CallbackCrypto::new("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7")?;
//! let (sender, mut deliveries) = receive::channel(256);
//! // The example's timestamp is from 2014: accept any age here.
//! let wecom = Receiver::wecom(crypto).max_age(None).build(sender);
//!
//! // The page's POST, as the web framework hands it over.
//! let request = http::Request::post(
//!     "/wecom?msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813&nonce=1372623149",
//! )
//! .body(concat!(
//!     "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[",
//!     "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==",
//!     "]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>",
//! ))?;
//! let response = wecom.respond(&request);
//! assert_eq!(response.status(), 200);
//!
//! let delivery = deliveries.recv().await.expect("one delivery");
//! assert_eq!(delivery.event_type(), Some("text"));
//! assert_eq!(delivery.fields()["Content"], "hello");
//! assert_eq!(delivery.dedup_key().as_str(), "wecom:msgid:19:4561255354251345929");
//!
//! // The vendor resends when it thinks it was slow: answered again, not delivered again.
//! assert_eq!(wecom.respond(&request).status(), 200);
//! assert!(deliveries.try_recv().is_none());
//! # Ok(()) }
//! ```

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;
mod dedup;
mod delivery;
mod error;
mod handler;
mod xml;

pub use delivery::{DedupKey, Deliveries, Delivery, DeliverySender, Vendor, channel};
pub use error::ReceiveError;
pub use handler::{DEFAULT_DEDUP_CAPACITY, DEFAULT_DEDUP_WINDOW, DEFAULT_MAX_AGE, Receiver, ReceiverBuilder};
