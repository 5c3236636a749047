//! The runtime the generated code calls: endpoint and vendor descriptions (filled in by the
//! codegen from the spec), and the one call path every endpoint goes through.

mod builder;
mod call;
mod decode;
mod json;
mod limits;
mod paging;
mod rate;
mod redact;
mod retry;
pub(crate) mod tls;
mod token;

pub(crate) use builder::CoreBuilder;
pub(crate) use call::Core;
#[cfg(feature = "fuzzing")]
pub(crate) use decode::decode;
pub(crate) use json::{reencode, request_from_json, response_to_json};
pub(crate) use limits::LimitCheck;
pub(crate) use paging::{Next, items, page_ended, pages};
pub(crate) use redact::redact;
pub use retry::RetryPolicy;

use crate::ErrorKind;

/// HTTP method of an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
}

/// Where an endpoint carries the access token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenPlacement {
    Query,
    Header,
    None,
}

/// Where the payload sits in a successful response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PayloadAt {
    Top,
    Result,
}

/// How a host reports errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ErrorStyle {
    Envelope,
    Http,
}

/// The wire facts of one endpoint.
#[derive(Debug)]
pub(crate) struct Endpoint {
    pub id: &'static str,
    pub method: Method,
    pub host: usize,
    pub path: &'static str,
    pub token: TokenPlacement,
    pub payload: PayloadAt,
    pub wrap: Option<&'static str>,
    pub idempotent: bool,
    /// Documented `(calls, per seconds)`: the endpoint's own, else the vendor's.
    pub rate_limit: Option<(u32, u32)>,
}

/// One base URL of a vendor.
#[derive(Debug)]
pub(crate) struct HostProfile {
    pub id: &'static str,
    pub base_url: &'static str,
    pub env: &'static str,
    pub errors: ErrorStyle,
}

/// How a vendor issues tokens.
#[derive(Debug)]
pub(crate) struct TokenProfile {
    pub endpoint: &'static Endpoint,
    pub query_param: &'static str,
    pub header: Option<&'static str>,
    pub id_param: &'static str,
    pub secret_param: &'static str,
    pub id_env: &'static str,
    pub secret_env: &'static str,
    pub token_field: &'static str,
    pub expires_field: &'static str,
}

/// A documented errcode.
#[derive(Debug)]
pub(crate) struct ErrcodeInfo {
    pub code: i64,
    pub kind: ErrorKind,
    pub sub_codes: &'static [&'static str],
    pub doc: &'static str,
    pub en: Option<&'static str>,
}

/// A documented error of an HTTP-status-style host.
#[derive(Debug)]
pub(crate) struct HttpErrorInfo {
    pub code: &'static str,
    pub status: u16,
    pub kind: ErrorKind,
    pub doc: &'static str,
    pub en: Option<&'static str>,
}

/// Everything the runtime knows about a vendor.
#[derive(Debug)]
// `pub` in a private module: nameable by the sealed `client::Vendor` trait, unreachable outside the crate.
pub struct VendorProfile {
    pub(crate) name: &'static str,
    pub(crate) hosts: &'static [HostProfile],
    pub(crate) token: TokenProfile,
    pub(crate) errcodes: &'static [ErrcodeInfo],
    pub(crate) http_errors: &'static [HttpErrorInfo],
}

/// A request type: its body is its `Serialize` form (query fields skipped), and this writes its
/// query string.
pub(crate) trait ApiRequest: serde::Serialize + CheckLimits {
    /// Appends the query fields; a request without any keeps this default.
    fn write_query(&self, _query: &mut Query) {}
}

/// A type whose documented limits can be checked before sending.
pub(crate) trait CheckLimits {
    /// Reports the first violated limit to `check`; a type with no documented limit keeps this default.
    fn check_limits(&self, _check: &mut LimitCheck) {}
}

/// Query-string pairs, in field order.
#[derive(Debug, Default)]
pub(crate) struct Query {
    pub(crate) pairs: Vec<(&'static str, String)>,
}

impl Query {
    /// Appends `name=value`.
    pub(crate) fn push<T: crate::wire::WireAtom>(&mut self, name: &'static str, value: &T) {
        let mut s = String::new();
        value.write_atom(&mut s);
        self.pairs.push((name, s));
    }

    /// Appends `name=a,b,c`.
    #[allow(dead_code)] // no seed endpoint has a delimited query field yet; the emitter supports it
    pub(crate) fn push_list<T: crate::wire::WireAtom>(&mut self, name: &'static str, sep: char, values: &[T]) {
        let mut s = String::new();
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                s.push(sep);
            }
            v.write_atom(&mut s);
        }
        self.pairs.push((name, s));
    }
}
