//! Every bad input yields its own `CallbackError` variant, and no output shows the key or token.

use std::time::{Duration, UNIX_EPOCH};

use workapi::callback::{CallbackCrypto, CallbackError, Freshness, MAX_ENCRYPTED_LEN, TimestampUnit};

use super::{dingtalk, dingtalk_page, independent, wecom, wecom_open_raw, wecom_page};

#[test]
fn bad_settings_are_refused() {
    let short = &wecom_page::KEY[..42];
    assert_eq!(
        CallbackCrypto::new("t", short, "").unwrap_err(),
        CallbackError::KeyLength { len: 42 }
    );
    let long = format!("{}A", wecom_page::KEY);
    assert_eq!(
        CallbackCrypto::new("t", &long, "").unwrap_err(),
        CallbackError::KeyLength { len: 44 }
    );
    for bad in ["-", "!", "=", "é"] {
        let key = format!("{}{bad}", &wecom_page::KEY[..43 - bad.len()]);
        assert_eq!(
            CallbackCrypto::new("t", &key, "").unwrap_err(),
            CallbackError::KeyBase64,
            "{key}"
        );
    }
    // 43 characters but 44 bytes: not base64, rather than a confusing "got 43".
    let wide = format!("{}é", &wecom_page::KEY[..42]);
    assert_eq!(
        CallbackCrypto::new("t", &wide, "").unwrap_err(),
        CallbackError::KeyBase64
    );
    assert_eq!(
        CallbackCrypto::new("", wecom_page::KEY, "").unwrap_err(),
        CallbackError::EmptyToken
    );
}

#[test]
fn a_wrong_signature_is_refused_before_decoding() {
    let c = wecom();
    let (ts, nonce, enc) = (wecom_page::TIMESTAMP, wecom_page::NONCE, wecom_page::ENCRYPT);
    let upper = wecom_page::SIGNATURE.to_uppercase();
    let mut flipped = wecom_page::SIGNATURE.to_owned();
    flipped.replace_range(39.., "7");
    for sig in ["", upper.as_str(), flipped.as_str(), &wecom_page::SIGNATURE[..39]] {
        assert_eq!(
            c.decrypt(sig, ts, nonce, enc),
            Err(CallbackError::SignatureMismatch),
            "{sig}"
        );
    }
    // Each signed value counts: another timestamp, nonce, token or ciphertext fails.
    assert_eq!(
        c.decrypt(wecom_page::SIGNATURE, "1409659814", nonce, enc),
        Err(CallbackError::SignatureMismatch)
    );
    assert_eq!(
        c.decrypt(wecom_page::SIGNATURE, ts, "1372623148", enc),
        Err(CallbackError::SignatureMismatch)
    );
    let other_token = CallbackCrypto::new("QDG6eL", wecom_page::KEY, wecom_page::CORP_ID).unwrap();
    assert_eq!(
        other_token.decrypt(wecom_page::SIGNATURE, ts, nonce, enc),
        Err(CallbackError::SignatureMismatch)
    );
    // Not base64, but unsigned: the signature is what is reported.
    assert_eq!(
        c.decrypt(wecom_page::SIGNATURE, ts, nonce, "!!!!"),
        Err(CallbackError::SignatureMismatch)
    );
}

/// Decrypts `encrypted` correctly signed for the WeCom settings.
fn wecom_signed(encrypted: &str) -> Result<String, CallbackError> {
    let sig = independent::sign(wecom_page::TOKEN, "1", "n", encrypted);
    wecom().decrypt(&sig, "1", "n", encrypted)
}

#[test]
fn bad_ciphertexts_have_their_own_errors() {
    for bad in ["!!!!", "QUJD=", "QUJD\n", "QR=="] {
        assert_eq!(wecom_signed(bad), Err(CallbackError::CiphertextBase64), "{bad:?}");
    }
    assert_eq!(wecom_signed(""), Err(CallbackError::CiphertextLength { len: 0 }));
    let fifteen = "QUJDREVGR0hJSktMTU5P"; // 15 bytes
    assert_eq!(wecom_signed(fifteen), Err(CallbackError::CiphertextLength { len: 15 }));
    let cut = &wecom_page::ENCRYPT[..wecom_page::ENCRYPT.len() - 4]; // 351 bytes
    assert_eq!(wecom_signed(cut), Err(CallbackError::CiphertextLength { len: 351 }));
}

#[test]
fn bad_padding_is_refused_whatever_byte_is_wrong() {
    let good = independent::frame(&[b'r'; 16], b"hello", wecom_page::CORP_ID.as_bytes());
    let pad = usize::from(good[good.len() - 1]);
    assert_eq!(wecom_open_raw(&good).unwrap(), b"hello");
    let n = good.len();
    let cases = [
        ("zero", n - 1, 0),
        ("33", n - 1, 33),
        ("first pad byte", n - pad, 0x41),
        ("a middle one", n - 2, 0),
    ];
    for (name, at, value) in cases {
        let mut raw = good.clone();
        raw[at] = value;
        assert_eq!(wecom_open_raw(&raw), Err(CallbackError::Padding), "{name}");
    }
    // A wrong key garbles the last block, and so its padding.
    let other_key = CallbackCrypto::new(
        wecom_page::TOKEN,
        "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
        wecom_page::CORP_ID,
    );
    let r = other_key.unwrap().decrypt(
        wecom_page::SIGNATURE,
        wecom_page::TIMESTAMP,
        wecom_page::NONCE,
        wecom_page::ENCRYPT,
    );
    assert_eq!(r, Err(CallbackError::Padding));
}

#[test]
fn a_frame_shorter_than_its_header_or_with_a_length_past_the_end_is_refused() {
    // 32 bytes, 16 of padding: 16 left, fewer than the 20-byte header.
    let mut raw = vec![b'r'; 16];
    raw.extend([16u8; 16]);
    assert_eq!(wecom_open_raw(&raw), Err(CallbackError::TooShort { len: 16 }));

    let rid = wecom_page::CORP_ID.as_bytes();
    for declared in [u32::MAX, 0x8000_0000, (5 + rid.len() + 1) as u32] {
        let mut raw = independent::frame(&[b'r'; 16], b"hello", rid);
        raw[16..20].copy_from_slice(&declared.to_be_bytes());
        let expected = CallbackError::LengthField {
            declared,
            available: 5 + rid.len(),
        };
        assert_eq!(wecom_open_raw(&raw), Err(expected), "{declared}");
    }
    // Exactly to the end: the receive id is then empty, so wrong.
    let mut raw = independent::frame(&[b'r'; 16], b"hello", rid);
    raw[16..20].copy_from_slice(&((5 + rid.len()) as u32).to_be_bytes());
    assert!(matches!(wecom_open_raw(&raw), Err(CallbackError::ReceiveIdMismatch { found, .. }) if found.is_empty()));
}

#[test]
fn a_message_for_another_receiver_is_refused() {
    for other in ["wx5823bf96d3bd56c8", "", "wx5823bf96d3bd56c7 ", "WX5823BF96D3BD56C7"] {
        let raw = independent::frame(&[b'r'; 16], b"<xml/>", other.as_bytes());
        let expected = CallbackError::ReceiveIdMismatch {
            expected: wecom_page::CORP_ID.to_owned(),
            found: other.to_owned(),
        };
        assert_eq!(wecom_open_raw(&raw), Err(expected), "{other:?}");
    }
    // The page's message read with another corp's settings.
    let other = CallbackCrypto::new(wecom_page::TOKEN, wecom_page::KEY, "wxOTHER").unwrap();
    let r = other.decrypt(
        wecom_page::SIGNATURE,
        wecom_page::TIMESTAMP,
        wecom_page::NONCE,
        wecom_page::ENCRYPT,
    );
    assert!(matches!(r, Err(CallbackError::ReceiveIdMismatch { found, .. }) if found == wecom_page::CORP_ID));
    // A garbage receive id is shown cut to 64 characters.
    let raw = independent::frame(&[b'r'; 16], b"", &[b'z'; 200]);
    assert!(matches!(wecom_open_raw(&raw), Err(CallbackError::ReceiveIdMismatch { found, .. }) if found.len() == 64));
}

#[test]
fn a_message_that_is_not_utf8_is_refused_as_text_but_readable_as_bytes() {
    let raw = independent::frame(&[b'r'; 16], &[0xff, 0xfe, b'a'], wecom_page::CORP_ID.as_bytes());
    assert_eq!(wecom_open_raw(&raw).unwrap(), [0xff, 0xfe, b'a']);
    let encrypted = independent::seal(wecom_page::KEY, &raw);
    assert_eq!(wecom_signed(&encrypted), Err(CallbackError::NotUtf8));
}

#[test]
fn sizes_over_the_cap_are_refused_before_work() {
    let c = wecom().with_max_encrypted_len(64);
    let sent = wecom().encrypt(&"x".repeat(40), "1", "n").unwrap();
    assert!(sent.encrypt.len() > 64);
    let expected = CallbackError::CiphertextTooLarge {
        len: sent.encrypt.len(),
        max: 64,
    };
    assert_eq!(c.decrypt(&sent.msg_signature, "1", "n", &sent.encrypt), Err(expected));
    assert_eq!(
        c.encrypt(&"x".repeat(40), "1", "n"),
        Err(CallbackError::MessageTooLarge { len: 40, max: 64 })
    );
    // 20 + 3 + 18 = 41 bytes pad to 64, 88 base64 characters: over 64 too.
    assert_eq!(
        c.encrypt("abc", "1", "n"),
        Err(CallbackError::MessageTooLarge { len: 3, max: 64 })
    );
    let roomy = wecom().with_max_encrypted_len(88);
    let small = roomy.encrypt("abc", "1", "n").unwrap();
    assert_eq!(small.encrypt.len(), 88);
    assert_eq!(
        roomy.decrypt(&small.msg_signature, "1", "n", &small.encrypt).unwrap(),
        "abc"
    );
    assert_eq!(MAX_ENCRYPTED_LEN, 1 << 20);
}

#[test]
fn bad_dingtalk_bodies_are_refused() {
    let c = dingtalk();
    let (sig, ts, nonce) = (dingtalk_page::SIGNATURE, dingtalk_page::TIMESTAMP, dingtalk_page::NONCE);
    for body in [&b"not json"[..], b"{}", br#"{"encrypt":5}"#, br#"["encrypt"]"#, b""] {
        let r = c.dingtalk_decrypt_push(sig, ts, nonce, body);
        assert!(
            matches!(r, Err(CallbackError::PushBody { .. })),
            "{:?}: {r:?}",
            String::from_utf8_lossy(body)
        );
    }
    let huge = vec![b' '; MAX_ENCRYPTED_LEN + 8192];
    assert!(matches!(
        c.dingtalk_decrypt_push(sig, ts, nonce, &huge),
        Err(CallbackError::PushBody { .. })
    ));
    let body = format!(r#"{{"encrypt":"{}"}}"#, dingtalk_page::ENCRYPT);
    assert_eq!(
        c.dingtalk_decrypt_push(sig, "1445827045068", nonce, body.as_bytes()),
        Err(CallbackError::SignatureMismatch)
    );
}

#[test]
fn freshness_accepts_the_window_and_refuses_outside_it() {
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let five_min = Duration::from_secs(300);
    let secs = Freshness::new(five_min, TimestampUnit::Seconds);
    for ok in ["1700000000", "1699999700", "1700000300"] {
        assert_eq!(secs.check(ok, now), Ok(()), "{ok}");
    }
    assert_eq!(
        secs.check("1699999699", now),
        Err(CallbackError::StaleTimestamp {
            age: Duration::from_secs(301),
            max_age: five_min
        })
    );
    assert_eq!(
        secs.check("1700000301", now),
        Err(CallbackError::FutureTimestamp {
            ahead: Duration::from_secs(301),
            max_age: five_min
        })
    );
    for bad in [
        "",
        "+1700000000",
        "-1",
        " 1700000000",
        "17e8",
        "99999999999999999999999",
    ] {
        assert_eq!(secs.check(bad, now), Err(CallbackError::InvalidTimestamp), "{bad:?}");
    }
    let millis = Freshness::new(five_min, TimestampUnit::Millis);
    assert_eq!(millis.check("1700000000000", now), Ok(()));
    assert!(matches!(
        millis.check("1699999699999", now),
        Err(CallbackError::StaleTimestamp { .. })
    ));
    // Seconds read as milliseconds are 1970: stale, not accepted.
    assert!(matches!(
        millis.check("1700000000", now),
        Err(CallbackError::StaleTimestamp { .. })
    ));
    assert!(matches!(
        secs.check("18446744073709551615", now),
        Err(CallbackError::FutureTimestamp { .. })
    ));
}

#[test]
fn neither_debug_nor_any_error_shows_the_key_or_token() {
    let token = "tok-SECRET-9f3";
    let c = CallbackCrypto::new(token, wecom_page::KEY, "wxcorp").unwrap();
    let debug = format!("{c:?}");
    assert!(debug.contains("wxcorp"), "{debug}");
    let key_bytes = independent::aes_key(wecom_page::KEY);
    // A pushed suite_ticket is a credential: a DingTalkPush's Debug shows its type, not its text.
    let ticket = r#"{"EventType":"suite_ticket","SuiteTicket":"ticket-SECRET-77"}"#;
    let sent = c.encrypt(ticket, "1", "n").unwrap();
    let body = format!(r#"{{"encrypt":"{}"}}"#, sent.encrypt);
    let push = c
        .dingtalk_decrypt_push(&sent.msg_signature, "1", "n", body.as_bytes())
        .unwrap();
    let push_debug = format!("{push:?}");
    assert!(
        push_debug.contains("suite_ticket") && !push_debug.contains("ticket-SECRET"),
        "{push_debug}"
    );
    let mut shown = vec![debug];
    let raw = independent::frame(&[b'r'; 16], b"m", b"wxother");
    let errors = [
        CallbackCrypto::new(token, &wecom_page::KEY[..42], "").unwrap_err(),
        CallbackCrypto::new(token, &format!("{}!", &wecom_page::KEY[..42]), "").unwrap_err(),
        c.decrypt("0", "1", "n", "QUJD").unwrap_err(),
        wecom_open_raw(&raw).unwrap_err(),
    ];
    for e in &errors {
        shown.push(format!("{e}"));
        shown.push(format!("{e:?}"));
    }
    for s in shown {
        assert!(
            !s.contains(token) && !s.contains(wecom_page::KEY) && !s.contains(&wecom_page::KEY[..20]),
            "{s}"
        );
        assert!(!s.contains(&format!("{:?}", &key_bytes[..8])), "{s}");
    }
}
