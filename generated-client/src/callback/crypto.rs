//! [`CallbackCrypto`]: the vendors' callback cipher. AES-256-CBC with the key from the
//! EncodingAESKey and the key's first 16 bytes as IV, PKCS#7 padding to 32 bytes, and the
//! plaintext framed as `random(16) + msg_len(4, big-endian) + msg + receive_id`.

use std::fmt;

use aes::Aes256;
use base64::Engine as _;
use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, PAD, STANDARD};
use cbc::cipher::array::Array;
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};

use super::error::CallbackError;
use super::reply::EncryptedMessage;
use super::signature::{signature, signature_matches};
use crate::Secret;

/// The default cap on an encrypted message, in base64 characters: 1 MiB, about 768 KiB of
/// plaintext. The vendors' events are a few KiB; the cap bounds what one request can make this
/// code decode and allocate. Change it with [`CallbackCrypto::with_max_encrypted_len`].
pub const MAX_ENCRYPTED_LEN: usize = 1 << 20;

/// The vendors pad to 32 bytes, not to AES's 16 (WeCom: "PKCS#7填充至32字节的倍数"; DingTalk's
/// `PKCS7Padding.BLOCK_SIZE = 32`), so a pad is 1 to 32 bytes long.
const PAD_BLOCK: usize = 32;
const AES_BLOCK: usize = 16;
const RANDOM_LEN: usize = 16;
const HEADER_LEN: usize = RANDOM_LEN + 4;
const ENCODING_AES_KEY_LEN: usize = 43;

/// The receive id shown in an error is cut to this many characters: a wrong key can make it
/// arbitrary bytes, up to the whole message.
const SHOWN_RECEIVE_ID_CHARS: usize = 64;

/// The EncodingAESKey is 43 characters of base64 for 32 bytes, so its last character carries
/// two spare bits. The vendors' keys do not keep them zero (the WeCom example key ends in `C`,
/// the DingTalk one in `j`) and their libraries ignore them; so does this engine.
const KEY_ENGINE: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, PAD.with_decode_allow_trailing_bits(true));

type Encryptor = cbc::Encryptor<Aes256>;
type Decryptor = cbc::Decryptor<Aes256>;

/// Verifies, decrypts and encrypts the callbacks of one WeCom or DingTalk receiver.
///
/// Built from the callback settings of the admin console: the token, the 43-character
/// EncodingAESKey, and the receive id the vendor writes at the end of each message:
///
/// | vendor | receive id |
/// |---|---|
/// | WeCom, a company's own app | the corpid |
/// | WeCom, third-party suite events | the suiteid |
/// | WeCom, personal third-party apps and company robots | `""` |
/// | DingTalk, events subscribed in the developer console | the app's appKey (Client ID) or suiteKey |
/// | DingTalk, events registered through the API | the corpId (own apps) or suiteKey |
/// | DingTalk, customised apps | the customKey |
///
/// DingTalk's first `check_create_suite_url` event for a new third-party suite is sealed for the
/// placeholder `suite4xxxxxxxxxxxxxxx` (the 回调事件消息体加解密 example; `Env.CREATE_SUITE_KEY` in
/// the vendor's ISV sample), not for the suiteKey: decrypt it with a second `CallbackCrypto`.
///
/// `Debug` shows the receive id only, never the token or the key.
#[derive(Clone)]
pub struct CallbackCrypto {
    token: Secret,
    key: [u8; 32],
    receive_id: String,
    max_encrypted_len: usize,
}

impl CallbackCrypto {
    /// Builds the cipher from the token, the 43-character EncodingAESKey and the receive id.
    ///
    /// # Errors
    /// [`CallbackError::EmptyToken`], [`CallbackError::KeyLength`] or
    /// [`CallbackError::KeyBase64`].
    pub fn new(
        token: impl Into<Secret>,
        encoding_aes_key: &str,
        receive_id: impl Into<String>,
    ) -> Result<Self, CallbackError> {
        let token = token.into();
        if token.expose().is_empty() {
            return Err(CallbackError::EmptyToken);
        }
        // Non-ASCII is not base64 whatever its length; after this, bytes are characters.
        if !encoding_aes_key.is_ascii() {
            return Err(CallbackError::KeyBase64);
        }
        if encoding_aes_key.len() != ENCODING_AES_KEY_LEN {
            return Err(CallbackError::KeyLength {
                len: encoding_aes_key.len(),
            });
        }
        // AESKey = Base64_Decode(EncodingAESKey + "="), 32 bytes (both vendors' pages).
        let mut padded = [b'='; ENCODING_AES_KEY_LEN + 1];
        padded[..ENCODING_AES_KEY_LEN].copy_from_slice(encoding_aes_key.as_bytes());
        let mut key = [0u8; 32];
        match KEY_ENGINE.decode_slice(padded, &mut key) {
            Ok(32) => {}
            _ => return Err(CallbackError::KeyBase64),
        }
        Ok(CallbackCrypto {
            token,
            key,
            receive_id: receive_id.into(),
            max_encrypted_len: MAX_ENCRYPTED_LEN,
        })
    }

    /// Sets the cap on an encrypted message, in base64 characters (default
    /// [`MAX_ENCRYPTED_LEN`]). Longer messages are refused before they are decoded.
    #[must_use]
    pub fn with_max_encrypted_len(mut self, max: usize) -> Self {
        self.max_encrypted_len = max;
        self
    }

    /// The cap on an encrypted message, in base64 characters.
    pub fn max_encrypted_len(&self) -> usize {
        self.max_encrypted_len
    }

    /// The receive id messages must carry.
    pub fn receive_id(&self) -> &str {
        &self.receive_id
    }

    /// The signature of an encrypted message with this token (see [`signature`]).
    pub fn sign(&self, timestamp: &str, nonce: &str, encrypted: &str) -> String {
        signature(self.token.expose(), timestamp, nonce, encrypted)
    }

    /// Checks `msg_signature` against the token, timestamp, nonce and encrypted message, in
    /// constant time.
    ///
    /// # Errors
    /// [`CallbackError::SignatureMismatch`].
    pub fn verify_signature(
        &self,
        msg_signature: &str,
        timestamp: &str,
        nonce: &str,
        encrypted: &str,
    ) -> Result<(), CallbackError> {
        let expected = self.sign(timestamp, nonce, encrypted);
        if signature_matches(&expected, msg_signature) {
            Ok(())
        } else {
            Err(CallbackError::SignatureMismatch)
        }
    }

    /// Verifies the signature, decrypts, and checks the receive id; returns the message text
    /// (WeCom: XML, DingTalk: JSON).
    ///
    /// `encrypted` is the `Encrypt` element (WeCom POST), the `echostr` query value (WeCom GET,
    /// URL-decoded, with `+` kept as `+`), or the `encrypt` field (DingTalk).
    ///
    /// # Errors
    /// Any [`CallbackError`] about the request or the message; the signature is checked before
    /// anything is decoded.
    pub fn decrypt(
        &self,
        msg_signature: &str,
        timestamp: &str,
        nonce: &str,
        encrypted: &str,
    ) -> Result<String, CallbackError> {
        let bytes = self.decrypt_bytes(msg_signature, timestamp, nonce, encrypted)?;
        String::from_utf8(bytes).map_err(|_| CallbackError::NotUtf8)
    }

    /// [`decrypt`](Self::decrypt), returning the message bytes without checking they are UTF-8.
    ///
    /// # Errors
    /// As [`decrypt`](Self::decrypt), except [`CallbackError::NotUtf8`].
    pub fn decrypt_bytes(
        &self,
        msg_signature: &str,
        timestamp: &str,
        nonce: &str,
        encrypted: &str,
    ) -> Result<Vec<u8>, CallbackError> {
        if encrypted.len() > self.max_encrypted_len {
            return Err(CallbackError::CiphertextTooLarge {
                len: encrypted.len(),
                max: self.max_encrypted_len,
            });
        }
        self.verify_signature(msg_signature, timestamp, nonce, encrypted)?;
        self.open(encrypted)
    }

    /// Decrypts a message whose signature has been checked, and checks its frame and receive id.
    fn open(&self, encrypted: &str) -> Result<Vec<u8>, CallbackError> {
        // The cap was checked, so this allocation is bounded by it.
        let mut buf = STANDARD
            .decode(encrypted)
            .map_err(|_| CallbackError::CiphertextBase64)?;
        let len = buf.len();
        if len == 0 || len % AES_BLOCK != 0 {
            return Err(CallbackError::CiphertextLength { len });
        }
        Decryptor::new(&Array::from(self.key), &Array::from(self.iv()))
            .decrypt_padded::<NoPadding>(&mut buf)
            .map_err(|_| CallbackError::CiphertextLength { len })?;

        let unpadded = unpad(&buf)?;
        if unpadded < HEADER_LEN {
            return Err(CallbackError::TooShort { len: unpadded });
        }
        let declared = u32::from_be_bytes([buf[16], buf[17], buf[18], buf[19]]);
        let available = unpadded - HEADER_LEN;
        // Compared before any use: a forged or mis-keyed length never sizes anything.
        let msg_len = match usize::try_from(declared) {
            Ok(n) if n <= available => n,
            _ => {
                return Err(CallbackError::LengthField { declared, available });
            }
        };
        let msg_end = HEADER_LEN + msg_len;
        let found = &buf[msg_end..unpadded];
        if found != self.receive_id.as_bytes() {
            return Err(CallbackError::ReceiveIdMismatch {
                expected: self.receive_id.clone(),
                found: String::from_utf8_lossy(found)
                    .chars()
                    .take(SHOWN_RECEIVE_ID_CHARS)
                    .collect(),
            });
        }
        buf.truncate(msg_end);
        buf.drain(..HEADER_LEN);
        Ok(buf)
    }

    /// Encrypts `plaintext` with a fresh random 16-character prefix and signs it, for a reply.
    ///
    /// # Errors
    /// [`CallbackError::MessageTooLarge`], or [`CallbackError::RandomUnavailable`].
    pub fn encrypt(&self, plaintext: &str, timestamp: &str, nonce: &str) -> Result<EncryptedMessage, CallbackError> {
        let random = random_prefix()?;
        self.encrypt_with_random(plaintext, timestamp, nonce, random)
    }

    /// [`encrypt`](Self::encrypt) with the 16-byte prefix given, so the output is
    /// reproducible (tests, known-answer vectors). Do not reuse a prefix in production.
    ///
    /// # Errors
    /// [`CallbackError::MessageTooLarge`].
    pub fn encrypt_with_random(
        &self,
        plaintext: &str,
        timestamp: &str,
        nonce: &str,
        random: [u8; RANDOM_LEN],
    ) -> Result<EncryptedMessage, CallbackError> {
        let msg = plaintext.as_bytes();
        let too_large = CallbackError::MessageTooLarge {
            len: msg.len(),
            max: self.max_encrypted_len,
        };
        let msg_len = u32::try_from(msg.len()).map_err(|_| too_large.clone())?;
        let framed = HEADER_LEN
            .checked_add(msg.len())
            .and_then(|n| n.checked_add(self.receive_id.len()))
            .ok_or_else(|| too_large.clone())?;
        // PKCS#7 to 32: always 1..=32 bytes, a whole 32 when already aligned.
        let pad = PAD_BLOCK - framed % PAD_BLOCK;
        let padded = framed.checked_add(pad).ok_or_else(|| too_large.clone())?;
        if padded.div_ceil(3).saturating_mul(4) > self.max_encrypted_len {
            return Err(too_large);
        }

        let mut buf = Vec::with_capacity(padded);
        buf.extend_from_slice(&random);
        buf.extend_from_slice(&msg_len.to_be_bytes());
        buf.extend_from_slice(msg);
        buf.extend_from_slice(self.receive_id.as_bytes());
        // `pad` is at most 32, so it fits a byte.
        buf.resize(padded, pad as u8);
        let ciphertext = Encryptor::new(&Array::from(self.key), &Array::from(self.iv()))
            .encrypt_padded::<NoPadding>(&mut buf, padded)
            // Unreachable: `padded` is a multiple of 32, so of the AES block.
            .map_err(|_| CallbackError::CiphertextLength { len: padded })?;
        let encrypt = STANDARD.encode(ciphertext);
        let msg_signature = self.sign(timestamp, nonce, &encrypt);
        Ok(EncryptedMessage {
            encrypt,
            msg_signature,
            timestamp: timestamp.to_owned(),
            nonce: nonce.to_owned(),
        })
    }

    /// The IV is the key's first 16 bytes (both vendors).
    fn iv(&self) -> [u8; AES_BLOCK] {
        let mut iv = [0u8; AES_BLOCK];
        iv.copy_from_slice(&self.key[..AES_BLOCK]);
        iv
    }
}

impl fmt::Debug for CallbackCrypto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackCrypto")
            .field("receive_id", &self.receive_id)
            .field("token", &"***")
            .field("key", &"***")
            .field("max_encrypted_len", &self.max_encrypted_len)
            .finish()
    }
}

/// The length of `buf` without its PKCS#7 padding of 1 to 32 bytes; every pad byte is checked.
fn unpad(buf: &[u8]) -> Result<usize, CallbackError> {
    let Some(&last) = buf.last() else {
        return Err(CallbackError::Padding);
    };
    let pad = usize::from(last);
    if pad == 0 || pad > PAD_BLOCK || pad > buf.len() {
        return Err(CallbackError::Padding);
    }
    let start = buf.len() - pad;
    if buf[start..].iter().any(|&b| b != last) {
        return Err(CallbackError::Padding);
    }
    Ok(start)
}

/// 16 random characters from `[A-Za-z0-9]`, as the vendors' own libraries make the prefix.
fn random_prefix() -> Result<[u8; RANDOM_LEN], CallbackError> {
    const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    // Bytes below 248 = 4 * 62 map evenly onto the alphabet; the rest are dropped. 64 bytes
    // give 16 kept ones in all but a vanishing share of draws; 8 draws bound the loop.
    const KEEP_BELOW: u8 = 248;
    let mut out = [0u8; RANDOM_LEN];
    let mut filled = 0;
    let mut pool = [0u8; 64];
    for _ in 0..8 {
        getrandom::fill(&mut pool).map_err(|_| CallbackError::RandomUnavailable)?;
        for &b in pool.iter().filter(|&&b| b < KEEP_BELOW) {
            if filled == RANDOM_LEN {
                break;
            }
            out[filled] = ALPHABET[usize::from(b % 62)];
            filled += 1;
        }
        if filled == RANDOM_LEN {
            return Ok(out);
        }
    }
    Err(CallbackError::RandomUnavailable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpad_accepts_1_to_32_and_checks_every_byte() {
        let mut buf = [7u8; 64];
        for pad in 1..=32u8 {
            buf[64 - usize::from(pad)..].fill(pad);
            assert_eq!(unpad(&buf), Ok(64 - usize::from(pad)));
        }
        buf[63] = 33;
        assert_eq!(unpad(&buf), Err(CallbackError::Padding));
        buf[63] = 0;
        assert_eq!(unpad(&buf), Err(CallbackError::Padding));
        buf[60..].fill(4);
        buf[61] = 5;
        assert_eq!(unpad(&buf), Err(CallbackError::Padding));
        assert_eq!(unpad(&[]), Err(CallbackError::Padding));
        assert_eq!(unpad(&[2]), Err(CallbackError::Padding));
    }

    #[test]
    fn random_prefix_is_alphanumeric_and_varies() {
        let a = random_prefix().expect("random bytes");
        let b = random_prefix().expect("random bytes");
        assert!(a.iter().all(u8::is_ascii_alphanumeric));
        assert_ne!(a, b, "two 16-character draws from 62 symbols collided");
    }
}
