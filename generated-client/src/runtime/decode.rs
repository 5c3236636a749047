//! Turning a response body into a payload or an error. Pure functions of (status, bytes, the
//! secrets to redact), so they are tested and fuzzed without a network. Every text taken from the
//! body into an error is redacted and bounded (see `redact`).

use super::redact::{redact, redact_bytes};
use super::{Endpoint, ErrorStyle, PayloadAt, VendorProfile};
use crate::error::{ApiError, VendorError};
use crate::{Error, ErrorKind};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// How much of a body an error message keeps.
const BODY_IN_ERRORS: usize = 300;
/// How much of a vendor's message (`errmsg`, `sub_msg`, `message`) an error keeps.
const VENDOR_TEXT: usize = 200;
/// How much of a vendor's identifier (`code`, `sub_code`, request id) an error keeps.
const VENDOR_ID: usize = 128;

/// The envelope fields of an old-style response; everything else is ignored here.
#[derive(Deserialize)]
struct Envelope {
    #[serde(default, deserialize_with = "crate::wire::lenient")]
    errcode: Option<i64>,
    #[serde(default)]
    errmsg: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    sub_code: Option<String>,
    #[serde(default)]
    sub_msg: Option<String>,
    #[serde(default)]
    request_id: Option<String>,
}

/// Whether `body` opens with `{"errcode": 0` followed by `,` or `}` (whitespace allowed between).
fn starts_with_errcode_zero(body: &[u8]) -> bool {
    let mut rest = body;
    for token in [&b"{"[..], b"\"errcode\"", b":", b"0"] {
        rest = rest.trim_ascii_start();
        match rest.strip_prefix(token) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    matches!(rest.trim_ascii_start().first(), Some(b',' | b'}'))
}

/// The error body of the v1.0 API.
#[derive(Deserialize)]
struct ApiErrorBody {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default, alias = "requestId")]
    requestid: Option<String>,
}

/// DingTalk's `sub_code` is documented as a string but not always sent as one.
fn lenient_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(other) => Some(other.to_string()),
    })
}

#[derive(Deserialize)]
struct ResultOf<T> {
    result: T,
}

/// The body text to put in an error: redacted and shortened, and withheld for the token endpoint,
/// whose body carries a token.
fn body_for_error(profile: &VendorProfile, ep: &Endpoint, body: &[u8], known: &[&str]) -> String {
    if std::ptr::eq(ep, profile.token.endpoint) {
        format!(
            "<{} bytes withheld: the token endpoint's body may hold a token>",
            body.len()
        )
    } else {
        redact_bytes(body, known, BODY_IN_ERRORS)
    }
}

/// A [`Error::Decode`] for a JSON error at `path`. The kept `source` is a `serde_json::Error`
/// either way: the original when it quotes nothing from the body (syntax, end of input), else one
/// rebuilt from the redacted text, since a type error quotes the value it did not expect.
pub(crate) fn json_failure(
    endpoint: &'static str,
    path: &str,
    e: serde_json::Error,
    body: String,
    known: &[&str],
) -> Error {
    let text = redact(&e.to_string(), known, BODY_IN_ERRORS);
    let message = match path {
        "" | "." => text.clone(),
        _ => format!("at {}: {text}", redact(path, known, VENDOR_ID)),
    };
    let source = match e.classify() {
        serde_json::error::Category::Data => <serde_json::Error as serde::de::Error>::custom(text),
        _ => e,
    };
    Error::Decode {
        endpoint,
        message,
        body,
        source: Some(Arc::new(source)),
    }
}

fn http_error(profile: &VendorProfile, ep: &'static Endpoint, status: u16, body: &[u8], known: &[&str]) -> Error {
    Error::Http {
        endpoint: ep.id,
        status,
        body: body_for_error(profile, ep, body, known),
        attempts: 1,
        retry_after: None,
    }
}

/// The kind of an errcode, from the vendor's table. A `token` errcode with `sub_codes` is a token
/// error only with one of them (DingTalk's 88 covers more than bad tokens).
pub(crate) fn classify(
    profile: &VendorProfile,
    errcode: i64,
    sub_code: Option<&str>,
) -> (ErrorKind, Option<&'static str>) {
    match profile.errcodes.iter().find(|c| c.code == errcode) {
        Some(c) => {
            let kind = if c.kind == ErrorKind::Token
                && !c.sub_codes.is_empty()
                && !sub_code.is_some_and(|s| c.sub_codes.contains(&s))
            {
                ErrorKind::Other
            } else {
                c.kind
            };
            (kind, c.en.or(Some(c.doc)))
        }
        None => (ErrorKind::Other, None),
    }
}

/// Decodes a response of `ep`: the payload, or the error the vendor reported. `known` are the
/// secrets the client holds (the token sent, the app secret), withheld from any error text.
pub(crate) fn decode<T: DeserializeOwned>(
    profile: &'static VendorProfile,
    ep: &'static Endpoint,
    status: u16,
    body: &[u8],
    known: &[&str],
) -> Result<T, Error> {
    let success = (200..300).contains(&status);
    match profile.hosts[ep.host].errors {
        // The vendors write `errcode` first: a success that starts `{"errcode":0,` needs no separate
        // pass over the envelope before the payload (on a large answer that pass costs ~15%).
        ErrorStyle::Envelope if success && starts_with_errcode_zero(body) => {}
        ErrorStyle::Envelope => {
            let envelope: Envelope = match serde_json::from_slice(body) {
                Ok(e) => e,
                // An IP that floods gets an HTML page instead of JSON: report the status if it is
                // an error, otherwise the decode failure.
                Err(e) if success => {
                    return Err(json_failure(
                        ep.id,
                        "",
                        e,
                        body_for_error(profile, ep, body, known),
                        known,
                    ));
                }
                Err(_) => return Err(http_error(profile, ep, status, body, known)),
            };
            if let Some(code) = envelope.errcode.filter(|c| *c != 0) {
                let (kind, explanation) = classify(profile, code, envelope.sub_code.as_deref());
                let text = |t: Option<String>, max| t.map(|t| redact(&t, known, max));
                return Err(Error::Vendor(Box::new(VendorError {
                    vendor: profile.name,
                    endpoint: ep.id,
                    errcode: code,
                    errmsg: text(envelope.errmsg, VENDOR_TEXT).unwrap_or_default(),
                    sub_code: text(envelope.sub_code, VENDOR_ID),
                    sub_msg: text(envelope.sub_msg, VENDOR_TEXT),
                    request_id: envelope.request_id.map(|r| bounded_id(&r, known)),
                    kind,
                    explanation,
                    attempts: 1,
                })));
            }
            if !success {
                return Err(http_error(profile, ep, status, body, known));
            }
            // Every answer of an errcode host carries one, 0 included: one without it is not the
            // vendor's (a proxy's page, a stub), so its `"errmsg":"ok"` proves nothing.
            if envelope.errcode.is_none() {
                return Err(Error::Decode {
                    endpoint: ep.id,
                    message: "no errcode: every answer of this host carries one".into(),
                    body: body_for_error(profile, ep, body, known),
                    source: None,
                });
            }
        }
        ErrorStyle::Http => {
            if !success {
                let parsed: Option<ApiErrorBody> = serde_json::from_slice(body).ok();
                return Err(match parsed {
                    Some(ApiErrorBody {
                        code: Some(code),
                        message,
                        requestid,
                    }) => {
                        let documented = profile
                            .http_errors
                            .iter()
                            .find(|e| e.code == code && e.status == status);
                        // An undocumented code is classed by its status: 429 is HTTP's own "too
                        // many requests", so throttling whatever the code says.
                        let kind = documented.map(|e| e.kind).unwrap_or(match status {
                            429 => ErrorKind::Throttle,
                            500.. => ErrorKind::Busy,
                            _ => ErrorKind::Other,
                        });
                        Error::Api(Box::new(ApiError {
                            endpoint: ep.id,
                            status,
                            code: redact(&code, known, VENDOR_ID),
                            message: redact(&message.unwrap_or_default(), known, VENDOR_TEXT),
                            request_id: requestid.map(|r| bounded_id(&r, known)),
                            kind,
                            explanation: documented.map(|e| e.en.unwrap_or(e.doc)),
                            attempts: 1,
                            retry_after: None,
                        }))
                    }
                    _ => http_error(profile, ep, status, body, known),
                });
            }
        }
    }
    // The fast path first: plain serde_json. Only a body that fails is decoded again with path
    // tracking, which costs about 2.5x on large answers, to say where it failed.
    let fast = match ep.payload {
        PayloadAt::Top => serde_json::from_slice::<T>(body),
        PayloadAt::Result => serde_json::from_slice::<ResultOf<T>>(body).map(|r| r.result),
    };
    if let Ok(decoded) = fast {
        return Ok(decoded);
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    let decoded = match ep.payload {
        PayloadAt::Top => serde_path_to_error::deserialize::<_, T>(de),
        PayloadAt::Result => serde_path_to_error::deserialize::<_, ResultOf<T>>(de).map(|r| r.result),
    };
    decoded.map_err(|e| {
        let path = e.path().to_string();
        json_failure(
            ep.id,
            &path,
            e.into_inner(),
            body_for_error(profile, ep, body, known),
            known,
        )
    })
}

/// A vendor's request id, kept for support tickets: only the secrets the client holds are taken
/// out (an id may well look opaque), and the length is bounded.
fn bounded_id(id: &str, known: &[&str]) -> String {
    let mut id = id.to_owned();
    for secret in known.iter().filter(|k| !k.is_empty()) {
        id = id.replace(secret, "***");
    }
    id.chars()
        .take(VENDOR_ID)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::starts_with_errcode_zero;

    #[test]
    fn only_a_leading_zero_errcode_skips_the_envelope_pass() {
        for yes in [
            &b"{\"errcode\":0,\"errmsg\":\"ok\"}"[..],
            b" { \"errcode\" : 0 }",
            b"{\n  \"errcode\": 0,\n",
        ] {
            assert!(starts_with_errcode_zero(yes), "{}", String::from_utf8_lossy(yes));
        }
        for no in [
            &b"{\"errcode\":40014,\"errmsg\":\"x\"}"[..],
            b"{\"errcode\":0.5}",
            b"{\"errcode\":01}",
            b"{\"errmsg\":\"ok\",\"errcode\":0}",
            b"{\"errcode\":\"0\"}",
            b"",
            b"{",
        ] {
            assert!(!starts_with_errcode_zero(no), "{}", String::from_utf8_lossy(no));
        }
    }
}
