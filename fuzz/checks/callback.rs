//! `callback_decrypt`: `CallbackCrypto::decrypt` on any signature, timestamp, nonce and
//! ciphertext; on any ciphertext correctly signed (so the decryption runs); and on any frame
//! (random, length, message, receive id, padding) correctly encrypted and signed. Checked: no
//! panic, the signature is checked before anything else, nothing is accepted for another
//! receive id, and what `encrypt` seals opens to itself.

use aes::Aes256;
use aes::cipher::{BlockCipherEncrypt, KeyInit};
use arbitrary::{Arbitrary, Unstructured};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use workapi::callback::{CallbackCrypto, CallbackError};

/// WeCom's worked example (加解密方案说明): token, EncodingAESKey, receive id.
const TOKEN: &str = "QDG6eK";
const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
const RECEIVE_ID: &str = "wx5823bf96d3bd56c7";

#[derive(Arbitrary, Debug)]
enum Input<'a> {
    /// Everything as given: almost always a bad signature.
    Raw {
        signature: &'a str,
        timestamp: &'a str,
        nonce: &'a str,
        encrypted: &'a str,
    },
    /// Any ciphertext text, signed correctly.
    Signed {
        timestamp: &'a str,
        nonce: &'a str,
        encrypted: &'a str,
    },
    /// Any frame bytes, encrypted and signed correctly.
    Frame { frame: &'a [u8] },
    /// A message sealed by `encrypt_with_random`, maybe for another receiver.
    RoundTrip {
        plaintext: &'a str,
        random: [u8; 16],
        other_receiver: bool,
    },
}

fn crypto(receive_id: &str) -> CallbackCrypto {
    CallbackCrypto::new(TOKEN, KEY, receive_id).unwrap_or_else(|e| panic!("the page's settings: {e}"))
}

/// The page's key, decoded (43 characters of base64 without the `=`).
fn aes_key() -> [u8; 32] {
    let bytes = STANDARD.decode(format!("{KEY}=")).unwrap_or_default();
    bytes.try_into().unwrap_or([0; 32])
}

/// CBC-encrypts `frame`, zero-filled to whole blocks, with the key and the key's first 16 bytes
/// as the IV (the vendors' scheme), and base64s it.
fn seal(frame: &[u8]) -> String {
    let key = aes_key();
    let cipher = Aes256::new(&key.into());
    let mut prev = [0u8; 16];
    prev.copy_from_slice(&key[..16]);
    let mut out = Vec::new();
    for chunk in frame.chunks(16) {
        let mut block = [0u8; 16];
        for (i, b) in chunk.iter().enumerate() {
            block[i] = b ^ prev[i];
        }
        for (b, p) in block.iter_mut().zip(prev).skip(chunk.len()) {
            *b = p;
        }
        let mut block = block.into();
        cipher.encrypt_block(&mut block);
        prev = block.into();
        out.extend_from_slice(&prev);
    }
    STANDARD.encode(out)
}

/// Runs the target on one input; true if a message was decrypted and accepted.
pub fn check(data: &[u8]) -> bool {
    let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(data)) else {
        return false;
    };
    let c = crypto(RECEIVE_ID);
    match input {
        Input::Raw {
            signature,
            timestamp,
            nonce,
            encrypted,
        } => {
            let good = c.sign(timestamp, nonce, encrypted);
            let result = c.decrypt(signature, timestamp, nonce, encrypted);
            if signature != good {
                assert!(result.is_err(), "accepted a wrong signature");
            }
            result.is_ok()
        }
        Input::Signed {
            timestamp,
            nonce,
            encrypted,
        } => {
            let signature = c.sign(timestamp, nonce, encrypted);
            let result = c.decrypt(&signature, timestamp, nonce, encrypted);
            if let Ok(msg) = &result {
                assert!(msg.len() <= encrypted.len(), "a message longer than its ciphertext");
            }
            result.is_ok()
        }
        Input::Frame { frame } => {
            let encrypted = seal(frame);
            let signature = c.sign("1409659813", "1372623149", &encrypted);
            match c.decrypt_bytes(&signature, "1409659813", "1372623149", &encrypted) {
                Ok(msg) => {
                    assert!(msg.len() + 20 + RECEIVE_ID.len() <= frame.len().div_ceil(16) * 16);
                    assert!(
                        frame.windows(RECEIVE_ID.len()).any(|w| w == RECEIVE_ID.as_bytes()),
                        "accepted a frame without the receive id"
                    );
                    true
                }
                Err(CallbackError::SignatureMismatch) => panic!("a correct signature was refused"),
                Err(_) => false,
            }
        }
        Input::RoundTrip {
            plaintext,
            random,
            other_receiver,
        } => {
            let sender = if other_receiver {
                crypto("someone-else")
            } else {
                crypto(RECEIVE_ID)
            };
            let Ok(sealed) = sender.encrypt_with_random(plaintext, "1409659813", "1372623149", random) else {
                return false;
            };
            let opened = c.decrypt(&sealed.msg_signature, &sealed.timestamp, &sealed.nonce, &sealed.encrypt);
            if other_receiver {
                assert!(opened.is_err(), "opened a message sealed for another receive id");
                false
            } else {
                assert_eq!(
                    opened.ok().as_deref(),
                    Some(plaintext),
                    "a sealed message did not open to itself"
                );
                true
            }
        }
    }
}
