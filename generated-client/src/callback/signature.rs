//! The callback signature both vendors use: SHA-1 over the sorted concatenation of token,
//! timestamp, nonce and encrypted message, as 40 lowercase hex digits.

use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq;

/// The signature of a callback message: `sha1(sort(token, timestamp, nonce, encrypted))` as
/// lowercase hex (WeCom 加解密方案说明 "消息体签名校验"; DingTalk 回调事件消息体加解密 "验证步骤").
///
/// The four values are sorted as byte strings, which is the vendors' dictionary order for the
/// ASCII values they send (the Java libraries sort UTF-16 code units; the two orders differ only
/// for characters outside the Basic Multilingual Plane, which no token or base64 text contains).
pub fn signature(token: &str, timestamp: &str, nonce: &str, encrypted: &str) -> String {
    let mut parts = [token, timestamp, nonce, encrypted];
    parts.sort_unstable();
    let mut hasher = Sha1::new();
    // Hashing the parts one after another is hashing their concatenation, without building it.
    for part in parts {
        hasher.update(part.as_bytes());
    }
    let digest = hasher.finalize();
    let mut hex = String::with_capacity(2 * digest.len());
    for byte in digest.iter() {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
        hex.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    hex
}

/// Whether `given` is the expected signature, compared in constant time so a forger learns
/// nothing from how long the comparison takes. Only lowercase hex matches, as the vendors send.
pub(crate) fn signature_matches(expected: &str, given: &str) -> bool {
    bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}
