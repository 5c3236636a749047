//! Callback crypto for what WeCom and DingTalk push to an app's callback URL: verify the
//! `msg_signature`, decrypt and check the receive id, encrypt and sign replies, and answer the
//! URL checks (WeCom's `echostr` GET, DingTalk's `check_url` events with an encrypted `success`).
//!
//! Both vendors use one scheme (WeCom 加解密方案说明, DingTalk 回调事件消息体加解密):
//! AES-256-CBC with `AESKey = base64(EncodingAESKey + "=")` and the key's first 16 bytes as IV,
//! PKCS#7 padding to 32 bytes, the plaintext framed as
//! `random(16) + msg_len(4, big-endian) + msg + receive_id`, and the signature
//! `sha1(sort(token, timestamp, nonce, encrypted))` in lowercase hex.
//!
//! Every bad input is a [`CallbackError`], never a panic; an encrypted message longer than
//! [`MAX_ENCRYPTED_LEN`] base64 characters (1 MiB, configurable) is refused before it is
//! decoded, and the length field inside is checked before it is used.
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use workapi::callback::{CallbackCrypto, Freshness, TimestampUnit};
//!
//! # fn main() -> Result<(), workapi::callback::CallbackError> {
//! // The settings of the callback page in the admin console.
//! let crypto = CallbackCrypto::new(
//!     "QDG6eK",
//!     "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
//!     "wx5823bf96d3bd56c7", // the corpid
//! )?;
//!
//! // What WeCom sends: msg_signature, timestamp and nonce in the query, Encrypt in the body.
//! let sent = crypto.encrypt("<xml><Content>hello</Content></xml>", "1409659813", "1372623149")?;
//!
//! // Receiving: check the timestamp against your clock, then verify and decrypt.
//! let now = UNIX_EPOCH + Duration::from_secs(1_409_659_900);
//! Freshness::new(Duration::from_secs(300), TimestampUnit::Seconds).check(&sent.timestamp, now)?;
//! let xml = crypto.decrypt(&sent.msg_signature, &sent.timestamp, &sent.nonce, &sent.encrypt)?;
//! assert_eq!(xml, "<xml><Content>hello</Content></xml>");
//!
//! // Anything altered is refused.
//! assert!(crypto.decrypt(&sent.msg_signature, "1409659814", &sent.nonce, &sent.encrypt).is_err());
//!
//! // A DingTalk app answers every push with the encrypted "success".
//! let dingtalk = CallbackCrypto::new(
//!     "123456",
//!     "4g5j64qlyl3zvetqxz5jiocdr586fn2zvjpa8zls3ij",
//!     "dingappkey",
//! )?;
//! let reply = dingtalk.dingtalk_success_reply("1445827045067", "nEXhMP4r")?;
//! let body = reply.to_dingtalk_json(); // {"encrypt":..,"msg_signature":..,"timeStamp":..,"nonce":..}
//! assert!(body.contains(r#""timeStamp":"1445827045067""#));
//! # Ok(()) }
//! ```

mod crypto;
mod error;
mod freshness;
mod handshake;
mod reply;
mod signature;

pub use crypto::{CallbackCrypto, MAX_ENCRYPTED_LEN};
pub use error::CallbackError;
pub use freshness::{Freshness, TimestampUnit};
pub use handshake::{DINGTALK_URL_CHECK_EVENTS, DingTalkPush};
pub use reply::EncryptedMessage;
pub use signature::signature;
