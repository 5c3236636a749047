//! The vendors' side of the receive tests: seals, signs and opens messages with the `aes`,
//! `cbc`, `sha1` and `base64` crates directly, padding to 32 and framing by hand; it shares no
//! code with `workapi::callback`.

use aes::Aes256;
use base64::Engine as _;
use base64::engine::general_purpose::{GeneralPurpose, NO_PAD, STANDARD};
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use sha1::{Digest, Sha1};
use std::sync::atomic::{AtomicU64, Ordering};

pub struct Sealer {
    pub token: &'static str,
    pub key: [u8; 32],
    pub receive_id: &'static str,
}

impl Sealer {
    pub fn new(token: &'static str, encoding_aes_key: &str, receive_id: &'static str) -> Self {
        let engine = GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            NO_PAD.with_decode_allow_trailing_bits(true),
        );
        let key = engine.decode(encoding_aes_key).unwrap().try_into().unwrap();
        Sealer { token, key, receive_id }
    }

    /// `base64(AES-CBC(random(16) + len(4) + msg + receive_id + pad to 32))`, a fresh
    /// random prefix each call as the vendors make it.
    pub fn seal(&self, msg: &str) -> String {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let random = format!("{:016}", COUNTER.fetch_add(1, Ordering::Relaxed));
        let mut raw = Vec::new();
        raw.extend_from_slice(random.as_bytes());
        raw.extend_from_slice(&u32::try_from(msg.len()).unwrap().to_be_bytes());
        raw.extend_from_slice(msg.as_bytes());
        raw.extend_from_slice(self.receive_id.as_bytes());
        let pad = 32 - raw.len() % 32;
        raw.resize(raw.len() + pad, pad as u8);
        let mut blocks: Vec<aes::Block> = raw.chunks(16).map(|c| aes::Block::try_from(c).unwrap()).collect();
        cbc::Encryptor::<Aes256>::new(&self.key.into(), &<[u8; 16]>::try_from(&self.key[..16]).unwrap().into())
            .encrypt_blocks(&mut blocks);
        STANDARD.encode(blocks.concat())
    }

    /// The message inside `encrypted`, after checking the frame and the receive id.
    pub fn open(&self, encrypted: &str) -> String {
        let raw = STANDARD.decode(encrypted).unwrap();
        let mut blocks: Vec<aes::Block> = raw.chunks(16).map(|c| aes::Block::try_from(c).unwrap()).collect();
        cbc::Decryptor::<Aes256>::new(&self.key.into(), &<[u8; 16]>::try_from(&self.key[..16]).unwrap().into())
            .decrypt_blocks(&mut blocks);
        let raw = blocks.concat();
        let pad = usize::from(*raw.last().unwrap());
        assert!((1..=32).contains(&pad), "padding {pad}");
        let body = &raw[..raw.len() - pad];
        let len = u32::from_be_bytes(body[16..20].try_into().unwrap()) as usize;
        assert_eq!(&body[20 + len..], self.receive_id.as_bytes(), "receive id");
        String::from_utf8(body[20..20 + len].to_vec()).unwrap()
    }

    pub fn sign(&self, timestamp: &str, nonce: &str, encrypted: &str) -> String {
        let mut parts = [self.token, timestamp, nonce, encrypted];
        parts.sort();
        Sha1::digest(parts.concat())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}
