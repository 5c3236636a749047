//! What a change is: a [`Change`] with its [`Class`] (what it means to a user of the `workapi`
//! crate) and [`Kind`] (what changed), and the [`Scope`] the comparison records them in.

use serde::Serialize;

/// What a change means to a user of the `workapi` crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Code that compiled against the old client may not compile against the new one.
    Breaking,
    /// Code still compiles, but what the client sends, accepts or retries is different: calls that
    /// worked may now fail (a tightened limit) or act differently (another path, token placement).
    Behaviour,
    /// Neither: additions and documentation.
    Compatible,
}

impl Class {
    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Behaviour => "behaviour",
            Class::Compatible => "compatible",
        }
    }
}

/// What changed. The JSON spelling (snake_case) is part of the `--json` format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Vendor added.
    VendorAdded,
    /// Vendor removed.
    VendorRemoved,
    /// Host added.
    HostAdded,
    /// Host removed.
    HostRemoved,
    /// Host changed.
    HostChanged,
    /// Token settings changed.
    TokenChanged,
    /// Envelope changed.
    EnvelopeChanged,
    /// Rate limit changed.
    RateLimitChanged,
    /// Errcode added.
    ErrcodeAdded,
    /// Errcode removed.
    ErrcodeRemoved,
    /// Errcode changed.
    ErrcodeChanged,
    /// Pushed event added.
    EventAdded,
    /// Pushed event removed.
    EventRemoved,
    /// The discriminator values that select a pushed event changed.
    EventDiscriminatorsChanged,
    /// Module added.
    ModuleAdded,
    /// Module removed.
    ModuleRemoved,
    /// Secret variable changed.
    SecretEnvChanged,
    /// Endpoint added.
    EndpointAdded,
    /// Endpoint removed.
    EndpointRemoved,
    /// Endpoint renamed.
    EndpointRenamed,
    /// Endpoint moved.
    EndpointMoved,
    /// HTTP method changed.
    MethodChanged,
    /// Path changed.
    PathChanged,
    /// Token placement changed.
    TokenPlacementChanged,
    /// Idempotence changed.
    IdempotentChanged,
    /// Body wrapper changed.
    WrapChanged,
    /// Payload position changed.
    PayloadChanged,
    /// Time span tightened.
    SpanTightened,
    /// Time span loosened.
    SpanLoosened,
    /// Paging added.
    PagingAdded,
    /// Paging removed.
    PagingRemoved,
    /// Paging changed.
    PagingChanged,
    /// Type renamed.
    TypeRenamed,
    /// Default lost.
    DefaultLost,
    /// Field added.
    FieldAdded,
    /// Field removed.
    FieldRemoved,
    /// Field renamed (best guess).
    FieldRenamed,
    /// Wire name changed.
    WireNameChanged,
    /// Rust name changed.
    RustNameChanged,
    /// Field retyped.
    FieldRetyped,
    /// Wire format changed.
    WireFormatChanged,
    /// Made required.
    MadeRequired,
    /// Made optional.
    MadeOptional,
    /// Constructor parameters reordered.
    ConstructorReordered,
    /// Moved between query and body.
    PlaceChanged,
    /// Limit tightened.
    LimitTightened,
    /// Limit loosened.
    LimitLoosened,
    /// Enum value added.
    EnumValueAdded,
    /// Enum value removed.
    EnumValueRemoved,
    /// Enum variant renamed.
    EnumVariantRenamed,
    /// Enum wire type changed.
    EnumWireChanged,
    /// Documented default changed.
    DefaultChanged,
    /// Example changed (a field's `example`, or the endpoint's example exchange and its `source`).
    ExampleChanged,
    /// Rustdoc text changed (`doc`, `en`, `title`, `doc_url`).
    DocChanged,
}

impl Kind {
    /// A few words for a report line.
    pub fn words(self) -> &'static str {
        match self {
            Kind::VendorAdded => "vendor added",
            Kind::VendorRemoved => "vendor removed",
            Kind::HostAdded => "host added",
            Kind::HostRemoved => "host removed",
            Kind::HostChanged => "host changed",
            Kind::TokenChanged => "token settings changed",
            Kind::EnvelopeChanged => "envelope changed",
            Kind::RateLimitChanged => "rate limit changed",
            Kind::ErrcodeAdded => "errcode added",
            Kind::ErrcodeRemoved => "errcode removed",
            Kind::ErrcodeChanged => "errcode changed",
            Kind::EventAdded => "event added",
            Kind::EventRemoved => "event removed",
            Kind::EventDiscriminatorsChanged => "event discriminators changed",
            Kind::ModuleAdded => "module added",
            Kind::ModuleRemoved => "module removed",
            Kind::SecretEnvChanged => "secret variable changed",
            Kind::EndpointAdded => "endpoint added",
            Kind::EndpointRemoved => "endpoint removed",
            Kind::EndpointRenamed => "endpoint renamed",
            Kind::EndpointMoved => "endpoint moved",
            Kind::MethodChanged => "HTTP method changed",
            Kind::PathChanged => "path changed",
            Kind::TokenPlacementChanged => "token placement changed",
            Kind::IdempotentChanged => "idempotence changed",
            Kind::WrapChanged => "body wrapper changed",
            Kind::PayloadChanged => "payload position changed",
            Kind::SpanTightened => "time span tightened",
            Kind::SpanLoosened => "time span loosened",
            Kind::PagingAdded => "paging added",
            Kind::PagingRemoved => "paging removed",
            Kind::PagingChanged => "paging changed",
            Kind::TypeRenamed => "type renamed",
            Kind::DefaultLost => "`Default` lost",
            Kind::FieldAdded => "field added",
            Kind::FieldRemoved => "field removed",
            Kind::FieldRenamed => "field renamed (best guess)",
            Kind::WireNameChanged => "wire name changed",
            Kind::RustNameChanged => "Rust name changed",
            Kind::FieldRetyped => "field retyped",
            Kind::WireFormatChanged => "wire format changed",
            Kind::MadeRequired => "made required",
            Kind::MadeOptional => "made optional",
            Kind::ConstructorReordered => "constructor parameters reordered",
            Kind::PlaceChanged => "moved between query and body",
            Kind::LimitTightened => "limit tightened",
            Kind::LimitLoosened => "limit loosened",
            Kind::EnumValueAdded => "enum value added",
            Kind::EnumValueRemoved => "enum value removed",
            Kind::EnumVariantRenamed => "enum variant renamed",
            Kind::EnumWireChanged => "enum wire type changed",
            Kind::DefaultChanged => "default changed",
            Kind::ExampleChanged => "example changed",
            Kind::DocChanged => "documentation changed",
        }
    }
}

/// One semantic change between two specs. The field names are the `--json` format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What it means to a user of the crate.
    pub class: Class,
    /// What changed.
    pub kind: Kind,
    /// The vendor (`dingtalk`).
    pub vendor: String,
    /// The module, when the change belongs to one (`report`; `core` for `vendor.yaml`).
    pub module: Option<String>,
    /// The endpoint id, when the change belongs to one.
    pub endpoint: Option<String>,
    /// Where inside the endpoint or vendor (`request.body.size`, `response.data_list[].report_id`,
    /// `host oapi`).
    pub at: Option<String>,
    /// The old value, when there is one to show.
    pub old: Option<String>,
    /// The new value, when there is one to show.
    pub new: Option<String>,
    /// Why it has its class, in terms of the generated client.
    pub reason: String,
}

/// Where changes are being recorded: vendor, module and endpoint of the ones to come.
#[derive(Clone, Default)]
pub(super) struct Scope {
    pub(super) vendor: String,
    pub(super) module: Option<String>,
    pub(super) endpoint: Option<String>,
}

impl Scope {
    /// A change at `at` in this scope.
    pub(super) fn change(
        &self,
        class: Class,
        kind: Kind,
        at: Option<String>,
        old: Option<String>,
        new: Option<String>,
        reason: impl Into<String>,
    ) -> Change {
        Change {
            class,
            kind,
            vendor: self.vendor.clone(),
            module: self.module.clone(),
            endpoint: self.endpoint.clone(),
            at,
            old,
            new,
            reason: reason.into(),
        }
    }
}
