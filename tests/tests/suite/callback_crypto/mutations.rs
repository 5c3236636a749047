//! A bounded, seeded mutation loop over valid messages: no panic, and no message accepted for
//! another receiver.

use workapi::callback::CallbackError;

use super::{independent, wecom, wecom_page};

/// SplitMix64: a seeded generator written out here, so the loop is the same on every run.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// 2,000 mutations of valid messages: bits, bytes, blocks and lengths of the ciphertext and
/// characters of its base64 (re-signed, so they reach the decoding), and characters of the base64
/// and the signature left unsigned.
/// None may panic; an `Ok` must be a frame the independent decoder reads with the expected
/// receive id and the same message; messages sealed for another receiver are never accepted.
#[test]
fn two_thousand_mutations_never_panic_nor_accept_another_receiver() {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use std::collections::BTreeMap;

    const MUTATIONS: usize = 2_000;
    // Differs from the corpid in most bytes, so no single mutation can rewrite one into the other.
    const OTHER: &str = "wwOTHERCORPxyz0123";
    let (ts, nonce) = ("1409659813", "1372623149");
    let c = wecom();
    let mut rng = SplitMix(0x5eed_c0ff_ee15_0001);
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    for i in 0..MUTATIONS {
        let for_us = i % 2 == 0;
        let rid = if for_us { wecom_page::CORP_ID } else { OTHER };
        let msg: Vec<u8> = (0..rng.below(100)).map(|_| b'a' + rng.below(26) as u8).collect();
        let mut random = [0u8; 16];
        random.iter_mut().for_each(|b| *b = rng.next() as u8);
        let good = independent::seal(wecom_page::KEY, &independent::frame(&random, &msg, rid.as_bytes()));
        let mut bytes = STANDARD.decode(&good).unwrap();
        let mut text = good.clone();
        let mut sig = independent::sign(wecom_page::TOKEN, ts, nonce, &good);
        let kind = rng.below(9);
        match kind {
            0 => {
                let at = rng.below(bytes.len());
                bytes[at] ^= 1 << rng.below(8);
            }
            1 => {
                let at = rng.below(bytes.len());
                bytes[at] = rng.next() as u8;
            }
            2 => bytes.truncate(rng.below(bytes.len())),
            3 => bytes.extend((0..1 + rng.below(40)).map(|_| rng.next() as u8)),
            4 => {
                let blocks = bytes.len() / 16;
                let (a, b) = (rng.below(blocks), rng.below(blocks));
                for k in 0..16 {
                    bytes.swap(a * 16 + k, b * 16 + k);
                }
            }
            5 => {
                let at = rng.below(bytes.len() / 16) * 16;
                bytes[at..at + 16].iter_mut().for_each(|b| *b = rng.next() as u8);
            }
            _ => {}
        }
        if kind <= 5 {
            text = STANDARD.encode(&bytes);
            sig = independent::sign(wecom_page::TOKEN, ts, nonce, &text);
        } else {
            // 6 and 8: a base64 character, 7: a signature character; only 8 is re-signed.
            let target = if kind == 7 { &mut sig } else { &mut text };
            let at = rng.below(target.len());
            let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
            let ch = char::from(alphabet[rng.below(alphabet.len())]);
            target.replace_range(at..at + 1, ch.encode_utf8(&mut [0; 4]));
            if kind == 8 {
                sig = independent::sign(wecom_page::TOKEN, ts, nonce, &text);
            }
        }
        let result = c.decrypt_bytes(&sig, ts, nonce, &text);
        let label = match &result {
            Ok(got) => {
                assert!(
                    for_us,
                    "mutation {i} (kind {kind}) accepted a message sealed for {OTHER}"
                );
                let (_, plain, found) = independent::unframe(&independent::open(wecom_page::KEY, &text));
                assert_eq!(found, wecom_page::CORP_ID.as_bytes(), "mutation {i} (kind {kind})");
                assert_eq!(got, &plain, "mutation {i} (kind {kind})");
                "Ok".to_owned()
            }
            Err(e) => {
                if (kind == 6 || kind == 7)
                    && (text != good || sig != independent::sign(wecom_page::TOKEN, ts, nonce, &good))
                {
                    assert_eq!(e, &CallbackError::SignatureMismatch, "mutation {i} (kind {kind})");
                }
                format!("{e:?}").split([' ', '(', '{']).next().unwrap().to_owned()
            }
        };
        *outcomes.entry(label).or_default() += 1;
    }
    // The loop reached every stage of decoding, not only the signature check.
    for stage in [
        "Ok",
        "SignatureMismatch",
        "CiphertextBase64",
        "CiphertextLength",
        "Padding",
        "LengthField",
        "ReceiveIdMismatch",
    ] {
        assert!(outcomes.contains_key(stage), "no {stage} in {outcomes:?}");
    }
    assert_eq!(outcomes.values().sum::<usize>(), MUTATIONS);
}
