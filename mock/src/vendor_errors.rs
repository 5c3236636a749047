//! The vendors' error answers, in each host's own shape: an errcode envelope with HTTP 200 on the
//! old APIs, a real HTTP status with `{code, message, requestid}` on DingTalk's v1.0 host. The
//! model's `Host.errors` says which; the envelope's fields come from the vendor's `envelope`.

use serde_json::{Map, Value, json};
use wiremock::ResponseTemplate;
use workapi_codegen::model::{ErrorStyle, Vendor};

/// The request id every error of the mock carries, so a client's `request_id()` has one to show.
pub(crate) const REQUEST_ID: &str = "mock-request";

/// An error of an errcode-envelope host: `{errcode, errmsg}`, with `request_id` where the
/// vendor's envelope has one (DingTalk), and the extra envelope fields given.
pub(crate) fn envelope_error(vendor: &Vendor, errcode: i64, errmsg: &str, extra: &[(&str, &str)]) -> Value {
    let mut body = Map::new();
    body.insert("errcode".into(), json!(errcode));
    body.insert("errmsg".into(), json!(errmsg));
    for (k, v) in extra {
        body.insert((*k).into(), json!(v));
    }
    if vendor.envelope.iter().any(|f| f == "request_id") {
        body.insert("request_id".into(), json!(REQUEST_ID));
    }
    Value::Object(body)
}

/// An error of an HTTP-status host: the body `{code, message, requestid}`.
pub(crate) fn http_error_body(code: &str, message: &str) -> Value {
    json!({"code": code, "message": message, "requestid": REQUEST_ID})
}

/// The HTTP status the vendor documents for an error `code` of its HTTP-status hosts; 400 (what
/// DingTalk sends for a bad request) when the spec does not list it.
pub(crate) fn http_status_of(vendor: &Vendor, code: &str) -> u16 {
    vendor
        .http_errors
        .iter()
        .find(|e| e.code == code)
        .map_or(400, |e| e.status)
}

/// The vendor's reply to a missing or bad token, in its own shape.
pub(crate) fn token_error(vendor: &Vendor, style: ErrorStyle, missing: bool) -> ResponseTemplate {
    match (style, vendor.name.as_str()) {
        (ErrorStyle::Http, _) => {
            ResponseTemplate::new(400).set_body_json(http_error_body("InvalidAuthentication", "不合法的access_token"))
        }
        (ErrorStyle::Envelope, "dingtalk") => {
            let (sub_code, sub_msg) = if missing {
                ("40000", "缺少access_token")
            } else {
                ("40014", "不合法的access_token")
            };
            ResponseTemplate::new(200).set_body_json(envelope_error(
                vendor,
                88,
                "鉴权异常",
                &[("sub_code", sub_code), ("sub_msg", sub_msg)],
            ))
        }
        (ErrorStyle::Envelope, _) => ResponseTemplate::new(200).set_body_json(if missing {
            envelope_error(vendor, 41001, "access_token missing", &[])
        } else {
            envelope_error(vendor, 40014, "invalid access_token", &[])
        }),
    }
}

/// The vendor's reply to a request that lacks something or has a wrong value.
pub(crate) fn param_error(vendor: &Vendor, style: ErrorStyle, problem: &str) -> ResponseTemplate {
    match (style, vendor.name.as_str()) {
        (ErrorStyle::Http, _) => ResponseTemplate::new(400).set_body_json(http_error_body("MissingParameter", problem)),
        (ErrorStyle::Envelope, "dingtalk") => {
            ResponseTemplate::new(200).set_body_json(envelope_error(vendor, 40035, &format!("缺少参数 {problem}"), &[]))
        }
        (ErrorStyle::Envelope, _) => ResponseTemplate::new(200).set_body_json(envelope_error(
            vendor,
            40058,
            &format!("不合法的参数 {problem}"),
            &[],
        )),
    }
}
