//! Entry points for the fuzz targets in `fuzz/` and their corpus replay in the tests (feature
//! `fuzzing`); not part of the API. They reach the runtime's pure functions without a network.

use crate::runtime::{Endpoint, Method, PayloadAt, TokenPlacement, VendorProfile};

const fn endpoint(host: usize, payload: PayloadAt) -> Endpoint {
    Endpoint {
        id: "fuzz",
        method: Method::Post,
        host,
        path: "/fuzz",
        token: TokenPlacement::Query,
        payload,
        wrap: None,
        idempotent: true,
        rate_limit: None,
    }
}

/// One stand-in endpoint per host index and payload place (no vendor has more than two hosts).
static ENDPOINTS: [[Endpoint; 2]; 2] = [
    [endpoint(0, PayloadAt::Top), endpoint(0, PayloadAt::Result)],
    [endpoint(1, PayloadAt::Top), endpoint(1, PayloadAt::Result)],
];

/// Decodes `body` as the client does an answer of `status` from an endpoint of `vendor`
/// (`dingtalk`, `wecom`) on host `host`, with its payload at `result` or the top level, or from
/// the vendor's token endpoint. `known` are the secrets to withhold from error text. `None` when
/// the vendor is not compiled in or has no such host.
pub fn decode(
    vendor: &str,
    host: usize,
    at_result: bool,
    token_endpoint: bool,
    status: u16,
    body: &[u8],
    known: &[&str],
) -> Option<Result<serde_json::Value, crate::Error>> {
    let profile: &'static VendorProfile = match vendor {
        #[cfg(feature = "dingtalk")]
        "dingtalk" => &crate::dingtalk::DINGTALK_PROFILE,
        #[cfg(feature = "wecom")]
        "wecom" => &crate::wecom::WECOM_PROFILE,
        _ => return None,
    };
    let ep = if token_endpoint {
        profile.token.endpoint
    } else {
        ENDPOINTS.get(host)?.get(usize::from(at_result))?
    };
    if ep.host >= profile.hosts.len() {
        return None;
    }
    Some(crate::runtime::decode(profile, ep, status, body, known))
}
