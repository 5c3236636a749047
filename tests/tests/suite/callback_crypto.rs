//! `workapi::callback` against the vendors' worked examples, an independent encoder written
//! here (AES block calls chained by hand, a different base64 engine, a joined-string SHA-1),
//! every bad input's own error, and a seeded mutation loop that must never panic or accept a
//! message for another receiver.

use workapi::callback::{CallbackCrypto, CallbackError, DINGTALK_URL_CHECK_EVENTS, MAX_ENCRYPTED_LEN, signature};

mod bad_inputs;
mod mutations;

/// WeCom 加解密方案说明 "举例说明" (`wecom/001-企业内部开发/005-附录/001-加解密方案说明.md`; the
/// copies under 002-第三方应用开发 and 003-服务商代开发 are identical): settings, the POST's query
/// values and `Encrypt`, and the signature the page computes.
mod wecom_page {
    pub const TOKEN: &str = "QDG6eK";
    pub const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    pub const CORP_ID: &str = "wx5823bf96d3bd56c7";
    pub const TIMESTAMP: &str = "1409659813";
    pub const NONCE: &str = "1372623149";
    pub const SIGNATURE: &str = "477715d11cdb4164915debcba66cb864d751f3e6";
    pub const ENCRYPT: &str = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";
    /// The page prints this plaintext indented and with each `<![CDATA[` broken by the page
    /// conversion into `<` + newline + `- ![CDATA[`; the bytes in the ciphertext are these (no
    /// indentation), as the independent decoder below reads them.
    pub const PLAINTEXT: &str = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n\
        <FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n\
        <MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n\
        <MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>";
    /// The random prefix inside the ciphertext (not on the page; read by the independent decoder).
    pub const RANDOM: [u8; 16] = *b"0960688932c47ef1";
}

/// DingTalk 回调事件消息体加解密 "调试工具" (`dingtalk/events/0346-...`): token, key, `$key`,
/// query and body. The page states no plaintext; it is the `check_create_suite_url` event below,
/// read by the independent decoder. Its query names the signature `signature`; newer pages and
/// the current library call it `msg_signature`.
mod dingtalk_page {
    pub const TOKEN: &str = "123456";
    pub const KEY: &str = "4g5j64qlyl3zvetqxz5jiocdr586fn2zvjpa8zls3ij";
    pub const SUITE_KEY: &str = "suite4xxxxxxxxxxxxxxx";
    pub const TIMESTAMP: &str = "1445827045067";
    pub const NONCE: &str = "nEXhMP4r";
    pub const SIGNATURE: &str = "5a65ceeef9aab2d149439f82dc191dd6c5cbe2c0";
    pub const ENCRYPT: &str = "1a3NBxmCFwkCJvfoQ7WhJHB+iX3qHPsc9JbaDznE1i03peOk1LaOQoRz3+nlyGNhwmwJ3vDMG+OzrHMeiZI7gTRWVdUBmfxjZ8Ej23JVYa9VrYeJ5as7XM/ZpulX8NEQis44w53h1qAgnC3PRzM7Zc/D6Ibr0rgUathB6zRHP8PYrfgnNOS9PhSBdHlegK+AGGanfwjXuQ9+0pZcy0w9lQ==";
    pub const PLAINTEXT: &str =
        r#"{"EventType":"check_create_suite_url","Random":"LPIdSnlF","TestSuiteKey":"suite4xxxxxxxxxxxxxxx"}"#;
    pub const RANDOM: [u8; 16] = *b"hU3bEfGZZewzhG5a";
}

/// An encoder and decoder that share no code with the library: AES-256 block calls chained into
/// CBC by hand, the key decoded without the `=` by a no-padding engine, the signature over a
/// joined `String` with `format!` hex.
mod independent {
    use aes::Aes256;
    use aes::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
    use base64::Engine as _;
    use base64::engine::general_purpose::{GeneralPurpose, NO_PAD, STANDARD};
    use sha1::{Digest, Sha1};

    pub fn aes_key(encoding_aes_key: &str) -> [u8; 32] {
        let engine = GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            NO_PAD.with_decode_allow_trailing_bits(true),
        );
        engine.decode(encoding_aes_key).unwrap().try_into().unwrap()
    }

    /// `random + len + msg + receive_id`, padded to 32 with PKCS#7.
    pub fn frame(random: &[u8], msg: &[u8], receive_id: &[u8]) -> Vec<u8> {
        let mut raw = [random, &(msg.len() as u32).to_be_bytes(), msg, receive_id].concat();
        let pad = 32 - raw.len() % 32;
        raw.extend(std::iter::repeat_n(pad as u8, pad));
        raw
    }

    /// CBC-encrypts `raw` (a multiple of 16 bytes, padding already applied) and base64s it.
    pub fn seal(encoding_aes_key: &str, raw: &[u8]) -> String {
        assert_eq!(raw.len() % 16, 0);
        let key = aes_key(encoding_aes_key);
        let cipher = Aes256::new(&key.into());
        let mut prev: [u8; 16] = key[..16].try_into().unwrap();
        let mut out = Vec::new();
        for chunk in raw.chunks(16) {
            let mut block = [0u8; 16];
            for i in 0..16 {
                block[i] = chunk[i] ^ prev[i];
            }
            let mut block = block.into();
            cipher.encrypt_block(&mut block);
            prev = block.into();
            out.extend_from_slice(&prev);
        }
        STANDARD.encode(out)
    }

    /// Base64-decodes and CBC-decrypts, keeping the padding.
    pub fn open(encoding_aes_key: &str, encrypted: &str) -> Vec<u8> {
        let key = aes_key(encoding_aes_key);
        let cipher = Aes256::new(&key.into());
        let mut prev: [u8; 16] = key[..16].try_into().unwrap();
        let mut out = Vec::new();
        for chunk in STANDARD.decode(encrypted).unwrap().chunks(16) {
            let this: [u8; 16] = chunk.try_into().unwrap();
            let mut block = this.into();
            cipher.decrypt_block(&mut block);
            let plain: [u8; 16] = block.into();
            out.extend((0..16).map(|i| plain[i] ^ prev[i]));
            prev = this;
        }
        out
    }

    /// `(random, msg, receive_id)` from a decrypted frame with valid padding and length.
    pub fn unframe(raw: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let body = &raw[..raw.len() - usize::from(raw[raw.len() - 1])];
        let len = u32::from_be_bytes(body[16..20].try_into().unwrap()) as usize;
        (
            body[..16].to_vec(),
            body[20..20 + len].to_vec(),
            body[20 + len..].to_vec(),
        )
    }

    pub fn sign(token: &str, timestamp: &str, nonce: &str, encrypted: &str) -> String {
        let mut parts = [token, timestamp, nonce, encrypted];
        parts.sort();
        Sha1::digest(parts.concat().as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

fn wecom() -> CallbackCrypto {
    CallbackCrypto::new(wecom_page::TOKEN, wecom_page::KEY, wecom_page::CORP_ID).unwrap()
}

fn dingtalk() -> CallbackCrypto {
    CallbackCrypto::new(dingtalk_page::TOKEN, dingtalk_page::KEY, dingtalk_page::SUITE_KEY).unwrap()
}

/// Decrypts `raw` sealed by the independent encoder and signed for the WeCom settings.
fn wecom_open_raw(raw: &[u8]) -> Result<Vec<u8>, CallbackError> {
    let encrypted = independent::seal(wecom_page::KEY, raw);
    let sig = independent::sign(wecom_page::TOKEN, "1", "n", &encrypted);
    wecom().decrypt_bytes(&sig, "1", "n", &encrypted)
}

// --- The vendors' examples ---------------------------------------------------------------------

#[test]
fn wecom_page_example_signs_and_decrypts() {
    let c = wecom();
    assert_eq!(
        signature(
            wecom_page::TOKEN,
            wecom_page::TIMESTAMP,
            wecom_page::NONCE,
            wecom_page::ENCRYPT
        ),
        wecom_page::SIGNATURE
    );
    assert_eq!(
        c.sign(wecom_page::TIMESTAMP, wecom_page::NONCE, wecom_page::ENCRYPT),
        wecom_page::SIGNATURE
    );
    let msg = c
        .decrypt(
            wecom_page::SIGNATURE,
            wecom_page::TIMESTAMP,
            wecom_page::NONCE,
            wecom_page::ENCRYPT,
        )
        .unwrap();
    assert_eq!(msg, wecom_page::PLAINTEXT);
    // The independent decoder reads the same frame, so the expected plaintext is not the library's word.
    let (random, plain, receive_id) = independent::unframe(&independent::open(wecom_page::KEY, wecom_page::ENCRYPT));
    assert_eq!(
        (random.as_slice(), plain.as_slice()),
        (&wecom_page::RANDOM[..], wecom_page::PLAINTEXT.as_bytes())
    );
    assert_eq!(receive_id, wecom_page::CORP_ID.as_bytes());
}

#[test]
fn wecom_page_example_is_reproduced_by_encrypt() {
    let sent = wecom()
        .encrypt_with_random(
            wecom_page::PLAINTEXT,
            wecom_page::TIMESTAMP,
            wecom_page::NONCE,
            wecom_page::RANDOM,
        )
        .unwrap();
    assert_eq!(sent.encrypt, wecom_page::ENCRYPT);
    assert_eq!(sent.msg_signature, wecom_page::SIGNATURE);
    // The page's message pads with 30 bytes: more than one AES block, as only padding to 32 gives.
    let raw = independent::open(wecom_page::KEY, wecom_page::ENCRYPT);
    assert_eq!(raw[raw.len() - 1], 30);
}

#[test]
fn dingtalk_page_example_signs_decrypts_and_is_reproduced() {
    let c = dingtalk();
    let (ts, nonce) = (dingtalk_page::TIMESTAMP, dingtalk_page::NONCE);
    assert_eq!(
        signature(dingtalk_page::TOKEN, ts, nonce, dingtalk_page::ENCRYPT),
        dingtalk_page::SIGNATURE
    );
    let msg = c
        .decrypt(dingtalk_page::SIGNATURE, ts, nonce, dingtalk_page::ENCRYPT)
        .unwrap();
    assert_eq!(msg, dingtalk_page::PLAINTEXT);
    let (random, plain, receive_id) =
        independent::unframe(&independent::open(dingtalk_page::KEY, dingtalk_page::ENCRYPT));
    assert_eq!(
        (random, plain),
        (
            dingtalk_page::RANDOM.to_vec(),
            dingtalk_page::PLAINTEXT.as_bytes().to_vec()
        )
    );
    assert_eq!(receive_id, dingtalk_page::SUITE_KEY.as_bytes());
    let sent = c
        .encrypt_with_random(dingtalk_page::PLAINTEXT, ts, nonce, dingtalk_page::RANDOM)
        .unwrap();
    assert_eq!(
        (sent.encrypt.as_str(), sent.msg_signature.as_str()),
        (dingtalk_page::ENCRYPT, dingtalk_page::SIGNATURE)
    );
}

#[test]
fn dingtalk_page_example_as_a_push_is_a_url_check() {
    let body = format!(r#"{{"encrypt":"{}"}}"#, dingtalk_page::ENCRYPT);
    let push = dingtalk()
        .dingtalk_decrypt_push(
            dingtalk_page::SIGNATURE,
            dingtalk_page::TIMESTAMP,
            dingtalk_page::NONCE,
            body.as_bytes(),
        )
        .unwrap();
    assert_eq!(push.plaintext, dingtalk_page::PLAINTEXT);
    assert_eq!(push.event_type.as_deref(), Some("check_create_suite_url"));
    assert!(push.is_url_check());
}

#[test]
fn both_example_keys_have_nonzero_spare_bits_and_are_accepted() {
    // 43 base64 characters hold 258 bits for a 256-bit key: the last character's two low bits are
    // spare. Both pages' keys set them ('C' = 2, 'j' = 35), so a strict decoder would refuse them.
    for key in [wecom_page::KEY, dingtalk_page::KEY] {
        let last = key.as_bytes()[42];
        let value = base64::alphabet::STANDARD
            .as_str()
            .bytes()
            .position(|c| c == last)
            .unwrap();
        assert_ne!(value & 0b11, 0, "{key}");
        assert!(CallbackCrypto::new("t", key, "").is_ok());
    }
}

// --- URL checks and replies --------------------------------------------------------------------

#[test]
fn wecom_url_verification_returns_the_decrypted_echostr() {
    // The pages give only `echostr=ENCRYPT_STR`; this echostr comes from the independent encoder.
    let echo = "8317142315683958376";
    let echostr = independent::seal(
        wecom_page::KEY,
        &independent::frame(b"abcdefghijklmnop", echo.as_bytes(), wecom_page::CORP_ID.as_bytes()),
    );
    let sig = independent::sign(wecom_page::TOKEN, "13500001234", "123412323", &echostr);
    assert_eq!(
        wecom()
            .wecom_verify_url(&sig, "13500001234", "123412323", &echostr)
            .unwrap(),
        echo
    );
    let wrong = independent::sign("other-token", "13500001234", "123412323", &echostr);
    assert_eq!(
        wecom().wecom_verify_url(&wrong, "13500001234", "123412323", &echostr),
        Err(CallbackError::SignatureMismatch)
    );
}

#[test]
fn dingtalk_success_reply_has_the_documented_fields_and_decrypts_to_success() {
    let c = CallbackCrypto::new(dingtalk_page::TOKEN, dingtalk_page::KEY, "dingappkey").unwrap();
    let reply = c.dingtalk_success_reply("1783610513", "123456").unwrap();
    let json: serde_json::Value = serde_json::from_str(&reply.to_dingtalk_json()).unwrap();
    // Field names as in 验证和更新回调URL事件 and 测试回调URL事件. Their example values are placeholders
    // (`"encrypt":"1vn9lYTuuHSoaxwCGylH9xRhasdfghjkl"` is not even whole base64 blocks), so only
    // the names and types are checked against the pages.
    let mut keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["encrypt", "msg_signature", "nonce", "timeStamp"]);
    assert_eq!(
        (json["timeStamp"].as_str(), json["nonce"].as_str()),
        (Some("1783610513"), Some("123456"))
    );
    let encrypt = json["encrypt"].as_str().unwrap();
    assert_eq!(
        json["msg_signature"],
        independent::sign(dingtalk_page::TOKEN, "1783610513", "123456", encrypt)
    );
    let (random, plain, receive_id) = independent::unframe(&independent::open(dingtalk_page::KEY, encrypt));
    assert_eq!(
        (plain.as_slice(), receive_id.as_slice()),
        (&b"success"[..], &b"dingappkey"[..])
    );
    assert!(random.iter().all(u8::is_ascii_alphanumeric));
    assert_eq!(
        DINGTALK_URL_CHECK_EVENTS,
        ["check_url", "check_create_suite_url", "check_update_suite_url"]
    );
}

#[test]
fn dingtalk_check_url_event_is_recognised() {
    let c = CallbackCrypto::new(dingtalk_page::TOKEN, dingtalk_page::KEY, "dingcorp").unwrap();
    for (event, is_check) in [
        (r#"{"EventType" : "check_url"}"#, true),
        (r#"{"EventType":"user_add_org"}"#, false),
    ] {
        let sent = c.encrypt(event, "1783610513", "380320111").unwrap();
        let body = format!(r#"{{"encrypt":"{}"}}"#, sent.encrypt);
        let push = c
            .dingtalk_decrypt_push(&sent.msg_signature, "1783610513", "380320111", body.as_bytes())
            .unwrap();
        assert_eq!(push.is_url_check(), is_check, "{event}");
    }
}

#[test]
fn wecom_reply_xml_has_the_documented_elements_and_stays_well_formed() {
    let sent = wecom()
        .encrypt_with_random("<xml/>", "1409659813", "a]]>b", [b'x'; 16])
        .unwrap();
    let xml = sent.to_wecom_xml();
    assert!(
        xml.starts_with(&format!("<xml>\n<Encrypt><![CDATA[{}]]></Encrypt>\n", sent.encrypt)),
        "{xml}"
    );
    assert!(xml.contains(&format!(
        "<MsgSignature><![CDATA[{}]]></MsgSignature>",
        sent.msg_signature
    )));
    assert!(xml.contains("<TimeStamp>1409659813</TimeStamp>"));
    assert!(xml.contains("<Nonce><![CDATA[a]]]]><![CDATA[>b]]></Nonce>"), "{xml}");
    let odd = wecom().encrypt_with_random("<xml/>", "1<2&3", "n", [b'x'; 16]).unwrap();
    assert!(odd.to_wecom_xml().contains("<TimeStamp>1&lt;2&amp;3</TimeStamp>"));
}

// --- Round trips -------------------------------------------------------------------------------

#[test]
fn round_trips_across_lengths_receive_ids_and_paddings() {
    let mut pads_seen = [false; 33];
    for receive_id in ["", "wx5823bf96d3bd56c7", "suite4xxxxxxxxxxxxxxx", "企业"] {
        let c = CallbackCrypto::new("tok", wecom_page::KEY, receive_id).unwrap();
        for len in 0..=80 {
            let msg: String = "é字a".chars().cycle().take(len).collect();
            let sent = c.encrypt(&msg, "1700000000", "nonce").unwrap();
            assert_eq!(
                c.decrypt(&sent.msg_signature, "1700000000", "nonce", &sent.encrypt)
                    .unwrap(),
                msg
            );
            let raw = independent::open(wecom_page::KEY, &sent.encrypt);
            pads_seen[usize::from(raw[raw.len() - 1])] = true;
            assert_eq!(independent::unframe(&raw).1, msg.as_bytes());
        }
    }
    // Every pad from 1 to 32 occurred, 32 included (a frame already a multiple of 32).
    assert!(pads_seen[1..].iter().all(|&seen| seen), "{pads_seen:?}");
}

#[test]
fn fresh_prefixes_differ_and_the_library_reads_the_independent_encoding() {
    let c = wecom();
    let a = c.encrypt("same", "1", "n").unwrap();
    let b = c.encrypt("same", "1", "n").unwrap();
    assert_ne!(a.encrypt, b.encrypt);
    let raw = independent::frame(&[0xff; 16], "独立".as_bytes(), wecom_page::CORP_ID.as_bytes());
    assert_eq!(wecom_open_raw(&raw).unwrap(), "独立".as_bytes());
}

#[test]
fn a_large_message_round_trips_under_the_default_cap() {
    let c = wecom();
    let msg = "x".repeat(MAX_ENCRYPTED_LEN / 2);
    let sent = c.encrypt(&msg, "1", "n").unwrap();
    assert!(sent.encrypt.len() <= MAX_ENCRYPTED_LEN);
    assert_eq!(
        c.decrypt(&sent.msg_signature, "1", "n", &sent.encrypt).unwrap().len(),
        msg.len()
    );
}
