//! The resolved model: the spec after every name is checked and every reference looked up.
//!
//! The emitter and the mock server read only this. Names are [`RustIdent`]s and [`WireName`]s that
//! only `names` can make; references between parts are ids and indices ([`StructId`], [`HostIx`],
//! [`FieldRef`]) handed out by resolution, so reading the model involves no lookup by name that
//! could miss. A model exists only when resolution found no problem.

mod example;
mod json_check;
mod keywords;
pub mod names;
mod paging;
mod resolve;
pub mod types;
pub mod xml;

pub use example::payload_of;
pub use json_check::Types;
pub use keywords::Keyword;
pub use names::{RustIdent, WireName};
pub use paging::{EndSignal, PageItems, PageNext, Paging, PagingStyle};
pub use resolve::resolve;
pub use types::Type;

/// Every vendor, in folder-name order.
#[derive(Debug, Clone)]
pub struct Spec {
    /// One entry per vendor folder.
    pub vendors: Vec<Vendor>,
}

/// A vendor: what its endpoints share, and its modules.
#[derive(Debug, Clone)]
pub struct Vendor {
    /// Folder name and Rust module name (`dingtalk`).
    pub name: RustIdent,
    /// Display title (`钉钉 DingTalk`).
    pub title: String,
    /// The vendor's documentation home.
    pub doc_url: String,
    /// Base URLs, in spec order.
    pub hosts: Vec<Host>,
    /// How tokens are issued and carried.
    pub token: Token,
    /// Top-level response fields that are envelope, not payload.
    pub envelope: Vec<String>,
    /// The vendor-wide documented rate limit.
    pub rate_limit: Option<RateLimit>,
    /// Vendor-wide errcodes.
    pub errcodes: Vec<Errcode>,
    /// Vendor-wide errors of HTTP-status-style hosts.
    pub http_errors: Vec<HttpError>,
    /// What `vendor.yaml` itself defines (the token endpoint), emitted at the vendor's root.
    pub core: Module,
    /// The module files, in file-name order.
    pub modules: Vec<Module>,
    /// How the vendor pushes events (`events:` of `vendor.yaml`), when the spec has events.
    pub events: Option<EventFormat>,
}

impl Vendor {
    /// The host an endpoint lives on.
    pub fn host(&self, ix: HostIx) -> &Host {
        &self.hosts[ix.0]
    }

    /// The token endpoint (in `core`).
    pub fn token_endpoint(&self) -> &Endpoint {
        &self.core.endpoints[self.token.endpoint]
    }

    /// Every endpoint of the vendor, the core ones first.
    pub fn endpoints(&self) -> impl Iterator<Item = (&Module, &Endpoint)> {
        std::iter::once(&self.core)
            .chain(self.modules.iter())
            .flat_map(|m| m.endpoints.iter().map(move |e| (m, e)))
    }
}

/// What a vendor's pushed events share.
#[derive(Debug, Clone)]
pub struct EventFormat {
    /// What the decrypted push is.
    pub format: PushFormat,
    /// The top-level fields that tell events apart, most general first (`Event`, `ChangeType`).
    pub discriminators: Vec<String>,
    /// Wire names of the fields every event carries; each event struct starts with them.
    pub header: Vec<String>,
}

/// The text a vendor pushes (after decryption).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushFormat {
    /// An XML document (`<xml>...</xml>`): WeCom.
    Xml,
    /// A JSON object: DingTalk.
    Json,
}

/// A pushed event of a module.
#[derive(Debug, Clone)]
pub struct Event {
    /// snake_case id, unique per vendor (`create_user`).
    pub id: RustIdent,
    /// Its variant of the vendor's `Event` enum (`CreateUser`).
    pub variant: RustIdent,
    /// The vendor's page title.
    pub title: String,
    /// The vendor's page.
    pub doc_url: String,
    /// Its documentation.
    pub docs: Docs,
    /// The value of each discriminator it needs, in the vendor's discriminator order
    /// (`[("Event", "change_contact"), ("ChangeType", "create_user")]`).
    pub on: Vec<(String, String)>,
    /// The struct it decodes into (header fields first).
    pub strukt: StructId,
    /// The page's example push.
    pub example: EventExample,
}

/// The docs' example push of an event.
#[derive(Debug, Clone)]
pub struct EventExample {
    /// Where it came from.
    pub source: ExampleSource,
    /// Transcriber's note.
    pub note: Option<String>,
    /// The push as text (XML or JSON).
    pub payload: String,
    /// The push as the event's JSON form: what the decoded event serialises to, field for field
    /// (XML text read by the declared types: numbers as numbers, one `<Item>` as a list of one).
    pub value: serde_json::Value,
}

/// The index of a host in its vendor's `hosts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostIx(pub usize);

/// A base URL.
#[derive(Debug, Clone)]
pub struct Host {
    /// Key in `hosts:` (`oapi`).
    pub id: String,
    /// Its variant of the vendor's `Host` enum (`Oapi`).
    pub variant: RustIdent,
    /// Production base URL, without a trailing slash.
    pub base_url: String,
    /// Environment variable that overrides it.
    pub env: String,
    /// Where its endpoints carry the token.
    pub token: TokenPlacement,
    /// How its endpoints report errors.
    pub errors: ErrorStyle,
    /// Reviewer's note.
    pub note: Option<String>,
}

/// Where a request carries the access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPlacement {
    /// `?access_token=` (name from `token.query_param`).
    Query,
    /// A header (name from `token.header`).
    Header,
    /// No token (the token endpoint itself).
    None,
}

/// How a host reports failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorStyle {
    /// HTTP 200 with `errcode != 0` in the body.
    Envelope,
    /// A real HTTP status with `{code, message, requestid}`.
    Http,
}

/// How the vendor issues tokens.
#[derive(Debug, Clone)]
pub struct Token {
    /// Index of the token endpoint in `core.endpoints`.
    pub endpoint: usize,
    /// Name of the token in the query string.
    pub query_param: String,
    /// Name of the token header, for hosts with `token: header`.
    pub header: Option<String>,
    /// Query parameter of the credential's public half.
    pub id_param: String,
    /// Environment variable of the credential's public half.
    pub id_env: String,
    /// Query parameter of the credential's secret half.
    pub secret_param: String,
    /// Environment variable of the credential's secret half.
    pub secret_env: String,
    /// Response field with the token.
    pub token_field: String,
    /// Response field with its lifetime in seconds.
    pub expires_field: String,
}

/// A documented call-rate limit.
#[derive(Debug, Clone)]
pub struct RateLimit {
    /// How many calls...
    pub calls: u32,
    /// ...per this many seconds.
    pub per_seconds: u32,
    /// What the limit counts (`app_and_api`).
    pub scope: Option<String>,
}

/// What a caller can do about an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The token is bad: fetch a new one and retry once.
    Token,
    /// The vendor is busy: retry with backoff.
    Busy,
    /// Too many calls right now: retry with backoff.
    Throttle,
    /// A quota is used up: retrying does not help.
    Quota,
    /// Wrong credentials.
    Auth,
    /// A bad parameter.
    Param,
    /// Anything else.
    Other,
}

/// A documented errcode.
#[derive(Debug, Clone)]
pub struct Errcode {
    /// The code.
    pub code: i64,
    /// The vendor's explanation.
    pub doc: String,
    /// English meaning.
    pub en: Option<String>,
    /// What a caller can do.
    pub kind: ErrorKind,
    /// For `Token` errors: the `sub_code`s that make it one (empty: any).
    pub sub_codes: Vec<String>,
}

/// A documented error of an HTTP-status-style host.
#[derive(Debug, Clone)]
pub struct HttpError {
    /// The `code` string.
    pub code: String,
    /// The HTTP status it comes with.
    pub status: u16,
    /// The vendor's explanation.
    pub doc: String,
    /// English meaning.
    pub en: Option<String>,
    /// What a caller can do.
    pub kind: ErrorKind,
}

/// Documentation carried from the spec to rustdoc.
#[derive(Debug, Clone, Default)]
pub struct Docs {
    /// The vendor's text.
    pub doc: Option<String>,
    /// English meaning.
    pub en: Option<String>,
    /// A transcriber's decision.
    pub note: Option<String>,
}

impl Docs {
    /// Docs from a spec entry's `doc`, `en` and `note` keys.
    pub fn of(doc: &Option<String>, en: &Option<String>, note: &Option<String>) -> Docs {
        Docs {
            doc: doc.clone(),
            en: en.clone(),
            note: note.clone(),
        }
    }

    /// Only the vendor's text.
    pub fn text(doc: impl Into<String>) -> Docs {
        Docs {
            doc: Some(doc.into()),
            ..Docs::default()
        }
    }
}

/// A struct of a module: an index into its `structs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StructId(pub usize);

/// An enum of a module: an index into its `enums`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnumId(pub usize);

/// A field of a struct of a module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldRef {
    /// The struct.
    pub strukt: StructId,
    /// The field's index in it.
    pub field: usize,
}

/// A module: its types and endpoints.
#[derive(Debug, Clone)]
pub struct Module {
    /// Rust module name and cargo feature suffix (`report`); `core` for `vendor.yaml`.
    pub name: RustIdent,
    /// Display title.
    pub title: String,
    /// Documentation home of the module.
    pub doc_url: Option<String>,
    /// WeCom: the env variable of the app secret this module needs.
    pub secret_env: Option<String>,
    /// Display path of the file it came from.
    pub file: String,
    /// Every struct, in the order first met.
    pub structs: Vec<Struct>,
    /// Every enum, in spec order.
    pub enums: Vec<Enum>,
    /// Endpoints, in spec order.
    pub endpoints: Vec<Endpoint>,
    /// Pushed events, in spec order.
    pub events: Vec<Event>,
}

impl Module {
    /// A struct of this module.
    pub fn strukt(&self, id: StructId) -> &Struct {
        &self.structs[id.0]
    }

    /// An enum of this module.
    pub fn enumeration(&self, id: EnumId) -> &Enum {
        &self.enums[id.0]
    }

    /// A field of a struct of this module.
    pub fn field(&self, r: FieldRef) -> &Field {
        &self.structs[r.strukt.0].fields[r.field]
    }

    /// The request struct of one of this module's endpoints.
    pub fn request(&self, e: &Endpoint) -> &Struct {
        self.strukt(e.request)
    }

    /// The struct ids with the structs, in order.
    pub fn structs(&self) -> impl Iterator<Item = (StructId, &Struct)> {
        self.structs.iter().enumerate().map(|(i, s)| (StructId(i), s))
    }
}

/// Where a struct is used; decides whether it gets a constructor and setters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Part of some request.
    pub request: bool,
    /// Part of some response.
    pub response: bool,
    /// Part of some pushed event (decoded leniently, as responses are).
    pub event: bool,
}

/// A JSON object type.
#[derive(Debug, Clone)]
pub struct Struct {
    /// Rust name.
    pub name: RustIdent,
    /// The endpoint (index in the module) whose request or response introduced it; `None` for
    /// a `types:` entry shared by several. The emitter writes a struct beside its endpoint.
    pub owner: Option<usize>,
    /// The event (index in the module) whose fields introduced it; written beside that event.
    pub event: Option<usize>,
    /// Its documentation.
    pub docs: Docs,
    /// Fields, in spec order.
    pub fields: Vec<Field>,
    /// Where it is used.
    pub usage: Usage,
}

/// Where a request field travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldPlace {
    /// In the JSON body (or the object it belongs to).
    Body,
    /// In the query string.
    Query,
}

/// Documented limits of a field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Limits {
    /// Smallest allowed value.
    pub min: Option<i64>,
    /// Largest allowed value.
    pub max: Option<i64>,
    /// Fewest list items.
    pub min_items: Option<u64>,
    /// Most list items.
    pub max_items: Option<u64>,
    /// Fewest UTF-8 bytes.
    pub min_bytes: Option<u64>,
    /// Most UTF-8 bytes.
    pub max_bytes: Option<u64>,
    /// Fewest characters.
    pub min_chars: Option<u64>,
    /// Most characters.
    pub max_chars: Option<u64>,
    /// The limits of each item of a list (`items:` in the spec).
    pub each_item: Option<Box<Limits>>,
}

impl Limits {
    /// Whether no limit is documented.
    pub fn is_empty(&self) -> bool {
        *self == Limits::default()
    }
}

/// A field of a struct.
#[derive(Debug, Clone)]
pub struct Field {
    /// Name on the wire.
    pub wire: WireName,
    /// Rust name (keywords get a trailing `_`).
    pub rust: RustIdent,
    /// Its type.
    pub ty: Type,
    /// Requests: must be given. Responses: always present.
    pub required: bool,
    /// Its documentation.
    pub docs: Docs,
    /// The table's example value.
    pub example: Option<serde_json::Value>,
    /// Documented limits.
    pub limits: Limits,
    /// Documented default.
    pub default: Option<serde_json::Value>,
    /// The number, bool or integer enum travels as a JSON string (the field's `wire: string`; an
    /// enum with its own `wire: string` travels so without it).
    pub wire_string: bool,
    /// A credential or token.
    pub secret: bool,
    /// Body or query.
    pub place: FieldPlace,
}

/// The wire type of an enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumWire {
    /// An integer of this width.
    Int(types::IntWidth),
    /// A string.
    String,
}

/// An enum value as it travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnumLiteral {
    /// An integer value.
    Int(i64),
    /// A string value.
    Str(String),
}

/// One documented enum value.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// Its wire value.
    pub value: EnumLiteral,
    /// Rust variant name.
    pub variant: RustIdent,
    /// Its documentation.
    pub docs: Docs,
}

/// An enum, always with an `Unknown` variant for values the spec does not list.
#[derive(Debug, Clone)]
pub struct Enum {
    /// Rust name.
    pub name: RustIdent,
    /// Its documentation.
    pub docs: Docs,
    /// Wire type.
    pub wire: EnumWire,
    /// An integer enum whose values travel as JSON strings (`"1"`), wherever it is used.
    pub wire_string: bool,
    /// Values, in spec order.
    pub values: Vec<EnumValue>,
}

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET: no body.
    Get,
    /// POST with a JSON body.
    Post,
}

/// Where the payload sits in a successful response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadAt {
    /// The top-level object, less the envelope fields.
    Top,
    /// Under `"result"`.
    Result,
}

/// An endpoint.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// snake_case id and method name.
    pub id: RustIdent,
    /// The vendor's page title.
    pub title: String,
    /// The vendor's page.
    pub doc_url: String,
    /// Its documentation.
    pub docs: Docs,
    /// HTTP method.
    pub method: Method,
    /// Its host.
    pub host: HostIx,
    /// Path, starting with `/`.
    pub path: String,
    /// Where the token goes.
    pub token: TokenPlacement,
    /// Safe to resend after it may have reached the server.
    pub idempotent: bool,
    /// Documented rate limit of this endpoint.
    pub rate_limit: Option<RateLimit>,
    /// The request struct: query and body fields.
    pub request: StructId,
    /// The body is `{wrap: {...}}`.
    pub wrap: Option<String>,
    /// Documented maximum time spans between request fields.
    pub spans: Vec<Span>,
    /// Where the payload sits.
    pub payload_at: PayloadAt,
    /// Type of the payload.
    pub response: Type,
    /// Its documentation.
    pub response_docs: Docs,
    /// How it pages.
    pub paging: Option<Paging>,
    /// Errcodes documented on its page.
    pub errcodes: Vec<Errcode>,
    /// The docs' example.
    pub example: Option<Example>,
}

/// A maximum distance between two time fields of a request.
#[derive(Debug, Clone)]
pub struct Span {
    /// The earlier field, in the request struct.
    pub from: FieldRef,
    /// The later field, in the request struct.
    pub to: FieldRef,
    /// Most days between them.
    pub max_days: u32,
}

/// Where the docs' example came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExampleSource {
    /// The page's example block.
    Doc,
    /// Assembled from the tables' example column.
    Table,
    /// The page's example block with a mistake corrected; the example's `note` says what.
    DocCorrected,
}

/// The docs' example exchange, parsed.
#[derive(Debug, Clone)]
pub struct Example {
    /// Where it came from.
    pub source: ExampleSource,
    /// Transcriber's note.
    pub note: Option<String>,
    /// Query parameters, as a JSON object.
    pub query: Option<serde_json::Value>,
    /// The JSON body, as the vendor sends it (wrapper included).
    pub request: Option<serde_json::Value>,
    /// The whole response body.
    pub response: Option<serde_json::Value>,
}
