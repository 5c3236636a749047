//! Turning a response body into a payload or an error. Pure functions of (status, bytes), so they
//! are tested and fuzzed without a network.

use super::{Endpoint, ErrorStyle, PayloadAt, VendorProfile};
use crate::error::{ApiError, VendorError, shorten};
use crate::{Error, ErrorKind};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// How much of a body an error message keeps.
const BODY_IN_ERRORS: usize = 300;

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

/// The body text to put in an error: shortened, and withheld for the token endpoint, whose
/// body carries a token.
fn body_for_error(profile: &VendorProfile, ep: &Endpoint, body: &[u8]) -> String {
    if std::ptr::eq(ep, profile.token.endpoint) {
        format!(
            "<{} bytes withheld: the token endpoint's body may hold a token>",
            body.len()
        )
    } else {
        shorten(body, BODY_IN_ERRORS)
    }
}

fn decode_error(profile: &VendorProfile, ep: &'static Endpoint, body: &[u8], message: String) -> Error {
    Error::Decode {
        endpoint: ep.id,
        message,
        body: body_for_error(profile, ep, body),
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

/// Decodes a response of `ep`: the payload, or the error the vendor reported.
pub(crate) fn decode<T: DeserializeOwned>(
    profile: &'static VendorProfile,
    ep: &'static Endpoint,
    status: u16,
    body: &[u8],
) -> Result<T, Error> {
    let success = (200..300).contains(&status);
    match profile.hosts[ep.host].errors {
        ErrorStyle::Envelope => {
            let envelope: Envelope = match serde_json::from_slice(body) {
                Ok(e) => e,
                // An IP that floods gets an HTML page instead of JSON: report the status if it is
                // an error, otherwise the decode failure.
                Err(e) if success => return Err(decode_error(profile, ep, body, e.to_string())),
                Err(_) => {
                    return Err(Error::Http {
                        endpoint: ep.id,
                        status,
                        body: body_for_error(profile, ep, body),
                        attempts: 1,
                    });
                }
            };
            if let Some(code) = envelope.errcode.filter(|c| *c != 0) {
                let (kind, explanation) = classify(profile, code, envelope.sub_code.as_deref());
                return Err(Error::Vendor(Box::new(VendorError {
                    vendor: profile.name,
                    endpoint: ep.id,
                    errcode: code,
                    errmsg: envelope.errmsg.unwrap_or_default(),
                    sub_code: envelope.sub_code,
                    sub_msg: envelope.sub_msg,
                    request_id: envelope.request_id,
                    kind,
                    explanation,
                    attempts: 1,
                })));
            }
            if !success {
                return Err(Error::Http {
                    endpoint: ep.id,
                    status,
                    body: body_for_error(profile, ep, body),
                    attempts: 1,
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
                        let known = profile
                            .http_errors
                            .iter()
                            .find(|e| e.code == code && e.status == status);
                        let kind = known.map(|e| e.kind).unwrap_or(if status >= 500 {
                            ErrorKind::Busy
                        } else {
                            ErrorKind::Other
                        });
                        Error::Api(Box::new(ApiError {
                            endpoint: ep.id,
                            status,
                            code,
                            message: message.unwrap_or_default(),
                            request_id: requestid,
                            kind,
                            explanation: known.map(|e| e.en.unwrap_or(e.doc)),
                            attempts: 1,
                        }))
                    }
                    _ => Error::Http {
                        endpoint: ep.id,
                        status,
                        body: body_for_error(profile, ep, body),
                        attempts: 1,
                    },
                });
            }
        }
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    let decoded = match ep.payload {
        PayloadAt::Top => serde_path_to_error::deserialize::<_, T>(de),
        PayloadAt::Result => serde_path_to_error::deserialize::<_, ResultOf<T>>(de).map(|r| r.result),
    };
    decoded.map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = if path == "." {
            inner.to_string()
        } else {
            format!("at {path}: {inner}")
        };
        decode_error(profile, ep, body, message)
    })
}
