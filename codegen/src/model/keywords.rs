//! The spec's fixed keyword sets (`method: POST`, `token: header`, `end: has_more_false`, ...).
//!
//! Each set is declared once, as the model enum it becomes and its spellings. The raw files keep
//! these as located strings rather than serde enums on purpose: a serde enum stops the file's
//! parse at the first unknown value, while this reports every unknown value of a file in one run.

use super::types::IntWidth;
use super::{
    EndSignal, EnumWire, ErrorKind, ErrorStyle, ExampleSource, Method, PagingStyle, PayloadAt, PushFormat,
    TokenPlacement,
};

/// A model enum written in the spec as one of a fixed set of words.
pub trait Keyword: Sized + Copy + 'static {
    /// What the word is, for messages (`paging style`).
    const WHAT: &'static str;
    /// Every spelling and its meaning.
    const ALL: &'static [(&'static str, Self)];

    /// The meaning of `word`, or a message listing the allowed words.
    fn parse(word: &str) -> Result<Self, String> {
        Self::ALL
            .iter()
            .find(|(w, _)| *w == word)
            .map(|(_, k)| *k)
            .ok_or_else(|| {
                let allowed: Vec<&str> = Self::ALL.iter().map(|(w, _)| *w).collect();
                format!("{} '{word}' is not one of: {}", Self::WHAT, allowed.join(", "))
            })
    }
}

impl Keyword for Method {
    const WHAT: &'static str = "method";
    const ALL: &'static [(&'static str, Self)] = &[("GET", Method::Get), ("POST", Method::Post)];
}

impl Keyword for TokenPlacement {
    const WHAT: &'static str = "token";
    const ALL: &'static [(&'static str, Self)] = &[
        ("query", TokenPlacement::Query),
        ("header", TokenPlacement::Header),
        ("none", TokenPlacement::None),
    ];
}

impl Keyword for PushFormat {
    const WHAT: &'static str = "events format";
    const ALL: &'static [(&'static str, Self)] = &[("xml", PushFormat::Xml), ("json", PushFormat::Json)];
}

impl Keyword for ErrorStyle {
    const WHAT: &'static str = "host errors";
    const ALL: &'static [(&'static str, Self)] = &[("envelope", ErrorStyle::Envelope), ("http", ErrorStyle::Http)];
}

impl Keyword for ErrorKind {
    const WHAT: &'static str = "errcode kind";
    const ALL: &'static [(&'static str, Self)] = &[
        ("token", ErrorKind::Token),
        ("busy", ErrorKind::Busy),
        ("throttle", ErrorKind::Throttle),
        ("quota", ErrorKind::Quota),
        ("auth", ErrorKind::Auth),
        ("param", ErrorKind::Param),
        ("other", ErrorKind::Other),
    ];
}

impl Keyword for PayloadAt {
    const WHAT: &'static str = "response at";
    const ALL: &'static [(&'static str, Self)] = &[("top", PayloadAt::Top), ("result", PayloadAt::Result)];
}

impl Keyword for PagingStyle {
    const WHAT: &'static str = "paging style";
    const ALL: &'static [(&'static str, Self)] = &[
        ("cursor", PagingStyle::Cursor),
        ("offset", PagingStyle::Offset),
        ("page", PagingStyle::Page),
        ("next_token", PagingStyle::NextToken),
    ];
}

impl Keyword for EndSignal {
    const WHAT: &'static str = "paging end";
    const ALL: &'static [(&'static str, Self)] = &[
        ("has_more_false", EndSignal::HasMoreFalse),
        ("done_flag", EndSignal::DoneFlag),
        ("next_absent", EndSignal::NextAbsent),
        ("next_empty", EndSignal::NextEmpty),
        ("next_equals_total", EndSignal::NextEqualsTotal),
        ("short_page", EndSignal::ShortPage),
    ];
}

impl Keyword for EnumWire {
    const WHAT: &'static str = "enum type";
    const ALL: &'static [(&'static str, Self)] = &[
        ("int32", EnumWire::Int(IntWidth::I32)),
        ("int64", EnumWire::Int(IntWidth::I64)),
        ("uint32", EnumWire::Int(IntWidth::U32)),
        ("uint64", EnumWire::Int(IntWidth::U64)),
        ("string", EnumWire::String),
    ];
}

impl Keyword for ExampleSource {
    const WHAT: &'static str = "example source";
    const ALL: &'static [(&'static str, Self)] = &[
        ("doc", ExampleSource::Doc),
        ("table", ExampleSource::Table),
        ("doc-corrected", ExampleSource::DocCorrected),
    ];
}

/// `rate_limit: per:`, as a number of seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Per(pub u32);

impl Keyword for Per {
    const WHAT: &'static str = "rate_limit per";
    const ALL: &'static [(&'static str, Self)] = &[
        ("second", Per(1)),
        ("minute", Per(60)),
        ("hour", Per(3600)),
        ("day", Per(86400)),
    ];
}

/// `wire:` on a field; the one value says a number or bool travels as a JSON string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WireString;

impl Keyword for WireString {
    const WHAT: &'static str = "`wire:`";
    const ALL: &'static [(&'static str, Self)] = &[("string", WireString)];
}
