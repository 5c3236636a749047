//! What can be wrong with a callback: the settings, the request, or the decrypted message.
//! Each variant says what was wrong and, where it helps, by how much; none carries the key,
//! the token or the decrypted message.

use std::time::Duration;

/// Everything that can go wrong verifying, decrypting or encrypting a vendor callback.
///
/// Kept apart from [`crate::Error`] (which is about calling the API): a callback error is
/// answered with an HTTP 4xx, not retried.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// The EncodingAESKey is not 43 characters long.
    #[error("EncodingAESKey must be 43 characters, got {len}")]
    KeyLength {
        /// The length that was given, in characters (bytes).
        len: usize,
    },
    /// The EncodingAESKey has a character outside the base64 alphabet.
    #[error("EncodingAESKey is not base64 (A-Z, a-z, 0-9, '+', '/')")]
    KeyBase64,
    /// The token is empty: every signature would be made from public values only.
    #[error("callback token is empty")]
    EmptyToken,
    /// The encrypted message is longer than the configured cap.
    #[error("encrypted message is {len} characters, more than the cap of {max}")]
    CiphertextTooLarge {
        /// Its length in characters.
        len: usize,
        /// The cap ([`CallbackCrypto::with_max_encrypted_len`](super::CallbackCrypto::with_max_encrypted_len)).
        max: usize,
    },
    /// The encrypted message is not standard padded base64.
    #[error("encrypted message is not valid base64")]
    CiphertextBase64,
    /// The decoded ciphertext is empty or not a whole number of AES blocks.
    #[error("ciphertext is {len} bytes; AES-CBC needs a non-zero multiple of 16")]
    CiphertextLength {
        /// The decoded length in bytes.
        len: usize,
    },
    /// The PKCS#7 padding (1 to 32 bytes, each equal to the count) is wrong: most often the
    /// EncodingAESKey does not belong to this callback.
    #[error("bad PKCS#7 padding after decryption (wrong EncodingAESKey?)")]
    Padding,
    /// The decrypted message is shorter than its 16-byte random prefix and 4-byte length.
    #[error("decrypted message is {len} bytes, shorter than its 20-byte header")]
    TooShort {
        /// The unpadded length in bytes.
        len: usize,
    },
    /// The 4-byte length field points past the end of the decrypted message.
    #[error("length field says {declared} bytes, but only {available} follow it")]
    LengthField {
        /// The length the field declares.
        declared: u32,
        /// The bytes after the header.
        available: usize,
    },
    /// The message was encrypted for another receiver (corpid, suiteid, appKey, suiteKey).
    #[error("message is for receive id {found:?}, expected {expected:?}")]
    ReceiveIdMismatch {
        /// The receive id this `CallbackCrypto` was built with.
        expected: String,
        /// The receive id found in the message (lossy UTF-8, at most 64 characters).
        found: String,
    },
    /// `msg_signature` does not match the token, timestamp, nonce and encrypted message.
    #[error("msg_signature does not match (wrong token, or the request was altered)")]
    SignatureMismatch,
    /// The timestamp is not a non-negative whole number.
    #[error("timestamp is not a whole number")]
    InvalidTimestamp,
    /// The timestamp is older than the accepted age.
    #[error("timestamp is {age:?} old, more than the accepted {max_age:?}")]
    StaleTimestamp {
        /// How old it is.
        age: Duration,
        /// The accepted age.
        max_age: Duration,
    },
    /// The timestamp is further in the future than clock skew explains.
    #[error("timestamp is {ahead:?} in the future, more than the accepted {max_age:?}")]
    FutureTimestamp {
        /// How far ahead of `now` it is.
        ahead: Duration,
        /// The accepted skew (the same as the accepted age).
        max_age: Duration,
    },
    /// The decrypted message is not UTF-8.
    #[error("decrypted message is not UTF-8")]
    NotUtf8,
    /// The message to encrypt would give an encrypted message over the cap.
    #[error("message of {len} bytes would encrypt to more than the cap of {max} characters")]
    MessageTooLarge {
        /// The message length in bytes.
        len: usize,
        /// The cap on the encrypted message, in characters.
        max: usize,
    },
    /// A DingTalk push body is not a JSON object with a string field `encrypt`.
    #[error("DingTalk push body: {reason}")]
    PushBody {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The operating system gave no random bytes for the message prefix.
    #[error("no random bytes from the operating system")]
    RandomUnavailable,
}
