//! The vendors' URL checks and DingTalk's push envelope: WeCom's `echostr` GET, DingTalk's
//! `{"encrypt": ...}` body, its URL-check events and the encrypted `success` it must be answered with.

use std::fmt;

use serde::Deserialize;

use super::crypto::CallbackCrypto;
use super::error::CallbackError;
use super::reply::EncryptedMessage;

/// The DingTalk events that check a callback URL; each is answered with the encrypted
/// `success` like any other event. `check_url`: 测试回调URL事件; `check_create_suite_url` and
/// `check_update_suite_url`: 验证和更新回调URL事件 (third-party apps).
pub const DINGTALK_URL_CHECK_EVENTS: [&str; 3] = ["check_url", "check_create_suite_url", "check_update_suite_url"];

/// The DingTalk push body can hold a little JSON around the ciphertext; more than this beyond
/// the ciphertext cap is refused before it is parsed.
const PUSH_BODY_SLACK: usize = 4096;

/// A verified and decrypted DingTalk HTTP push.
///
/// `Debug` shows the event type and the plaintext's length, not the plaintext: some events
/// carry credentials (`suite_ticket`, `tmp_auth_code`).
#[derive(Clone, PartialEq, Eq)]
pub struct DingTalkPush {
    /// The decrypted event JSON, e.g. `{"EventType":"check_url"}`.
    pub plaintext: String,
    /// Its `EventType`, when the plaintext is a JSON object with a string `EventType`.
    pub event_type: Option<String>,
}

impl DingTalkPush {
    /// Whether this is one of the [`DINGTALK_URL_CHECK_EVENTS`].
    pub fn is_url_check(&self) -> bool {
        self.event_type
            .as_deref()
            .is_some_and(|t| DINGTALK_URL_CHECK_EVENTS.contains(&t))
    }
}

impl fmt::Debug for DingTalkPush {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DingTalkPush")
            .field("event_type", &self.event_type)
            .field("plaintext_len", &self.plaintext.len())
            .finish()
    }
}

#[derive(Deserialize)]
struct PushBody<'a> {
    #[serde(borrow)]
    encrypt: std::borrow::Cow<'a, str>,
}

#[derive(Deserialize)]
struct EventTypeOnly {
    #[serde(rename = "EventType")]
    event_type: Option<String>,
}

impl CallbackCrypto {
    /// WeCom URL verification (回调配置 3.1): verifies the GET's `msg_signature` over
    /// `timestamp`, `nonce` and `echostr`, decrypts `echostr`, and returns the text to answer
    /// with, as is (no quotes, no BOM, no newline).
    ///
    /// Pass the query values URL-decoded; a `+` in `echostr` is base64, not a space.
    ///
    /// # Errors
    /// As [`CallbackCrypto::decrypt`].
    pub fn wecom_verify_url(
        &self,
        msg_signature: &str,
        timestamp: &str,
        nonce: &str,
        echostr: &str,
    ) -> Result<String, CallbackError> {
        self.decrypt(msg_signature, timestamp, nonce, echostr)
    }

    /// A DingTalk HTTP push: reads `encrypt` from the JSON body, verifies the signature (the
    /// `msg_signature` query parameter; older pages call it `signature`), decrypts, and reads
    /// the `EventType`.
    ///
    /// # Errors
    /// [`CallbackError::PushBody`] when the body is not `{"encrypt": "..."}`, otherwise as
    /// [`CallbackCrypto::decrypt`].
    pub fn dingtalk_decrypt_push(
        &self,
        msg_signature: &str,
        timestamp: &str,
        nonce: &str,
        body: &[u8],
    ) -> Result<DingTalkPush, CallbackError> {
        if body.len() > self.max_encrypted_len().saturating_add(PUSH_BODY_SLACK) {
            return Err(CallbackError::PushBody {
                reason: "larger than the ciphertext cap allows",
            });
        }
        // serde would also read a struct from a one-element array; the vendor sends an object.
        if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(CallbackError::PushBody {
                reason: "not a JSON object with a string field `encrypt`",
            });
        }
        let parsed: PushBody<'_> = serde_json::from_slice(body).map_err(|_| CallbackError::PushBody {
            reason: "not a JSON object with a string field `encrypt`",
        })?;
        let plaintext = self.decrypt(msg_signature, timestamp, nonce, &parsed.encrypt)?;
        let event_type = serde_json::from_str::<EventTypeOnly>(&plaintext)
            .ok()
            .and_then(|e| e.event_type);
        Ok(DingTalkPush { plaintext, event_type })
    }

    /// The answer to every DingTalk push, URL checks included: `success`, encrypted and
    /// signed. Send [`EncryptedMessage::to_dingtalk_json`] as the response body. The vendor's
    /// samples sign either the request's timestamp and nonce, or the current time in
    /// milliseconds and a fresh nonce.
    ///
    /// # Errors
    /// [`CallbackError::RandomUnavailable`].
    pub fn dingtalk_success_reply(&self, timestamp: &str, nonce: &str) -> Result<EncryptedMessage, CallbackError> {
        self.encrypt("success", timestamp, nonce)
    }
}
