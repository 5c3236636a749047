//! The spec files as written: one serde type per YAML block, unknown keys rejected.
//!
//! Nothing here is interpreted; `model::resolve` turns these into the resolved model. Values that a
//! later check may complain about are `Spanned`, so the complaint can name the line and column.

use super::entries::Entries;
use super::strict::{self, Int};
use serde::Deserialize;
use serde_saphyr::Spanned;

/// `vendor.yaml`: what every endpoint of a vendor shares.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VendorFile {
    pub vendor: Spanned<String>,
    #[serde(deserialize_with = "strict::doc")]
    pub title: String,
    pub doc_url: String,
    pub hosts: Entries<Host>,
    pub token: Token,
    pub envelope: Vec<Spanned<String>>,
    #[serde(default)]
    pub rate_limit: Option<Spanned<RateLimit>>,
    #[serde(default)]
    pub errcodes: Vec<Spanned<Errcode>>,
    #[serde(default)]
    pub http_errors: Vec<Spanned<HttpError>>,
    #[serde(default)]
    pub endpoints: Vec<Spanned<Endpoint>>,
    /// How the vendor pushes events to an app's callback URL (`events:`), if the spec has events.
    #[serde(default)]
    pub events: Option<Spanned<EventFormat>>,
}

/// `events:` in `vendor.yaml`: the shape every pushed event of the vendor shares.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventFormat {
    /// `xml` or `json`: what the decrypted push is.
    pub format: Spanned<String>,
    /// The top-level fields that say which event a push is, most general first (`[Event, ChangeType]`).
    pub discriminators: Vec<Spanned<String>>,
    /// Fields every event of the vendor carries (WeCom's ToUserName, CreateTime, ...).
    #[serde(default)]
    pub header: Entries<Field>,
}

/// One base URL and how its endpoints carry the token and report errors.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Host {
    pub base_url: Spanned<String>,
    pub env: Spanned<String>,
    pub token: Spanned<String>,
    pub errors: Spanned<String>,
    #[serde(default, deserialize_with = "strict::doc_opt")]
    pub note: Option<String>,
}

/// How the vendor issues access tokens.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Token {
    pub endpoint: Spanned<String>,
    pub query_param: Spanned<String>,
    #[serde(default)]
    pub header: Option<Spanned<String>>,
    pub id: Credential,
    pub secret: Credential,
    pub token_field: Spanned<String>,
    pub expires_field: Spanned<String>,
}

/// One half of the app credential: its query parameter on the token endpoint and its env variable.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    pub param: Spanned<String>,
    pub env: String,
}

/// A documented call-rate limit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    #[serde(deserialize_with = "strict::int")]
    pub calls: u32,
    pub per: Spanned<String>,
    #[serde(default)]
    pub scope: Option<String>,
}

/// A documented errcode of the envelope-style APIs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Errcode {
    #[serde(deserialize_with = "strict::int")]
    pub code: i64,
    #[serde(deserialize_with = "strict::doc")]
    pub doc: String,
    #[serde(default, deserialize_with = "strict::doc_opt")]
    pub en: Option<String>,
    #[serde(default)]
    pub kind: Option<Spanned<String>>,
    #[serde(default)]
    pub sub_codes: Vec<String>,
}

/// A documented error of the HTTP-status-style API (DingTalk v1.0).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpError {
    pub code: String,
    #[serde(deserialize_with = "strict::int")]
    pub status: u16,
    #[serde(deserialize_with = "strict::doc")]
    pub doc: String,
    #[serde(default, deserialize_with = "strict::doc_opt")]
    pub en: Option<String>,
    #[serde(default)]
    pub kind: Option<Spanned<String>>,
}

/// A module file: one vendor module's types, enums and endpoints.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleFile {
    pub module: Spanned<String>,
    #[serde(deserialize_with = "strict::doc")]
    pub title: String,
    #[serde(default)]
    pub doc_url: Option<String>,
    #[serde(default)]
    pub secret_env: Option<String>,
    #[serde(default)]
    pub types: Entries<NamedType>,
    #[serde(default)]
    pub enums: Entries<Enum>,
    #[serde(default)]
    pub endpoints: Vec<Spanned<Endpoint>>,
    /// Events the vendor pushes that belong to this module (its cargo feature).
    #[serde(default)]
    pub events: Vec<Spanned<Event>>,
}

/// One pushed event under a module's `events:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// snake_case, unique per vendor: the variant of the vendor's `Event` enum.
    pub id: Spanned<String>,
    /// The discriminators' values (`{Event: change_contact, ChangeType: create_user}`).
    pub on: Entries<String>,
    #[serde(deserialize_with = "strict::doc")]
    pub title: String,
    pub doc_url: String,
    #[serde(default, deserialize_with = "strict::doc_opt")]
    pub doc: Option<String>,
    #[serde(default, deserialize_with = "strict::doc_opt")]
    pub en: Option<String>,
    #[serde(default, deserialize_with = "strict::doc_opt")]
    pub note: Option<String>,
    /// Rust name of the struct; default `{Id}Event`.
    #[serde(default)]
    pub name: Option<Spanned<String>>,
    /// The event's own fields (the vendor's header fields are added to each).
    #[serde(default)]
    pub fields: Entries<Field>,
    pub example: Spanned<EventExample>,
}

/// The page's example push, as the decrypted text (XML or JSON, per the vendor's `events.format`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventExample {
    pub source: Spanned<String>,
    #[serde(default, deserialize_with = "strict::doc_opt")]
    pub note: Option<String>,
    pub payload: Spanned<String>,
}

/// A named object under `types:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedType {
    #[serde(default, deserialize_with = "strict::doc_opt")]
    pub doc: Option<String>,
    #[serde(default, deserialize_with = "strict::doc_opt")]
    pub en: Option<String>,
    #[serde(default, deserialize_with = "strict::doc_opt")]
    pub note: Option<String>,
    pub fields: Entries<Field>,
}

/// An enum under `enums:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enum {
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    /// `wire: string`: an integer enum whose values travel as JSON strings (`"1"`).
    #[serde(default)]
    pub wire: Option<Spanned<String>>,
    #[serde(default, deserialize_with = "strict::doc_opt")]
    pub doc: Option<String>,
    #[serde(default, deserialize_with = "strict::doc_opt")]
    pub en: Option<String>,
    #[serde(default, deserialize_with = "strict::doc_opt")]
    pub note: Option<String>,
    pub values: Vec<Spanned<EnumValue>>,
}

/// One documented value of an enum.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    pub value: Spanned<serde_json::Value>,
    pub name: Spanned<String>,
    #[serde(deserialize_with = "strict::doc")]
    pub doc: String,
    #[serde(default, deserialize_with = "strict::doc_opt")]
    pub en: Option<String>,
}

/// One endpoint.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    pub id: Spanned<String>,
    #[serde(deserialize_with = "strict::doc")]
    pub title: String,
    pub doc_url: String,
    #[serde(default, deserialize_with = "strict::doc_opt")]
    pub doc: Option<String>,
    #[serde(default, deserialize_with = "strict::doc_opt")]
    pub en: Option<String>,
    #[serde(default, deserialize_with = "strict::doc_opt")]
    pub note: Option<String>,
    pub method: Spanned<String>,
    pub host: Spanned<String>,
    pub path: Spanned<String>,
    #[serde(default)]
    pub token: Option<Spanned<String>>,
    #[serde(deserialize_with = "strict::flag")]
    pub idempotent: bool,
    #[serde(default)]
    pub rate_limit: Option<Spanned<RateLimit>>,
    #[serde(default)]
    pub request: Request,
    pub response: Spanned<Field>,
    #[serde(default)]
    pub paging: Option<Spanned<Paging>>,
    #[serde(default)]
    pub errcodes: Vec<Spanned<Errcode>>,
    #[serde(default)]
    pub example: Option<Spanned<Example>>,
}

/// What the caller sends.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    #[serde(default)]
    pub wrap: Option<Spanned<String>>,
    #[serde(default)]
    pub name: Option<Spanned<String>>,
    #[serde(default)]
    pub query: Entries<Field>,
    #[serde(default)]
    pub body: Entries<Field>,
    #[serde(default)]
    pub spans: Vec<Spanned<Span>>,
}

/// A documented maximum distance between two time fields of a request.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Span {
    pub from: Spanned<String>,
    pub to: Spanned<String>,
    #[serde(deserialize_with = "strict::int")]
    pub max_days: u32,
}

/// How an endpoint pages.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paging {
    pub style: Spanned<String>,
    pub request: Spanned<String>,
    #[serde(default)]
    pub size: Option<Spanned<String>>,
    /// A response field, or `computed` (position + size, page + 1).
    pub next: Spanned<String>,
    /// Left out when the response itself is the list of items.
    #[serde(default)]
    pub items: Option<Spanned<String>>,
    pub end: Vec<Spanned<String>>,
    #[serde(default)]
    pub has_more: Option<Spanned<String>>,
    /// The response field named by `done_flag` (`endflag`: 1 when the last page is reached).
    #[serde(default)]
    pub done: Option<Spanned<String>>,
    #[serde(default)]
    pub total: Option<Spanned<String>>,
}

/// The docs' example exchange.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub source: Spanned<String>,
    #[serde(default, deserialize_with = "strict::doc_opt")]
    pub note: Option<String>,
    #[serde(default)]
    pub query: Option<Spanned<serde_json::Value>>,
    #[serde(default)]
    pub request: Option<Spanned<String>>,
    #[serde(default)]
    pub response: Option<Spanned<String>>,
}

/// A field, or the root of a response: a type plus everything documented about it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    #[serde(default)]
    pub at: Option<Spanned<String>>,
    #[serde(default, deserialize_with = "strict::flag")]
    pub required: bool,
    #[serde(default, deserialize_with = "strict::doc_opt")]
    pub doc: Option<String>,
    #[serde(default, deserialize_with = "strict::doc_opt")]
    pub en: Option<String>,
    #[serde(default, deserialize_with = "strict::doc_opt")]
    pub note: Option<String>,
    #[serde(default)]
    pub example: Option<serde_json::Value>,
    #[serde(default)]
    pub min: Option<Spanned<serde_json::Value>>,
    #[serde(default)]
    pub max: Option<Spanned<serde_json::Value>>,
    #[serde(default)]
    pub min_items: Option<Spanned<Int<u64>>>,
    #[serde(default)]
    pub max_items: Option<Spanned<Int<u64>>>,
    #[serde(default)]
    pub min_bytes: Option<Spanned<Int<u64>>>,
    #[serde(default)]
    pub max_bytes: Option<Spanned<Int<u64>>>,
    #[serde(default)]
    pub min_chars: Option<Spanned<Int<u64>>>,
    #[serde(default)]
    pub max_chars: Option<Spanned<Int<u64>>>,
    /// Limits of each item of a list (`items: {max_bytes: 64}`).
    #[serde(default)]
    pub items: Option<Spanned<ItemLimits>>,
    #[serde(default)]
    pub default: Option<serde_json::Value>,
    #[serde(default)]
    pub wire: Option<Spanned<String>>,
    #[serde(default, deserialize_with = "strict::flag")]
    pub secret: bool,
    #[serde(default)]
    pub name: Option<Spanned<String>>,
    #[serde(default)]
    pub rust: Option<Spanned<String>>,
    #[serde(default)]
    pub fields: Option<Entries<Field>>,
}

/// `items:` on a list field: the limits each item must keep (`每个userid不超过64字节`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemLimits {
    #[serde(default)]
    pub min: Option<Spanned<serde_json::Value>>,
    #[serde(default)]
    pub max: Option<Spanned<serde_json::Value>>,
    #[serde(default)]
    pub min_bytes: Option<Spanned<Int<u64>>>,
    #[serde(default)]
    pub max_bytes: Option<Spanned<Int<u64>>>,
    #[serde(default)]
    pub min_chars: Option<Spanned<Int<u64>>>,
    #[serde(default)]
    pub max_chars: Option<Spanned<Int<u64>>>,
}
