//! The one place where spec names become Rust names.
//!
//! A [`RustIdent`] can only be made here, and only from a name that is a valid, non-keyword Rust
//! identifier after case conversion, so the emitter can turn any of them into tokens without a
//! check of its own. Wire names stay verbatim in a [`WireName`] for `#[serde(rename)]`. A keyword
//! gets a trailing underscore (`type` -> `type_`), which reads better in a setter call than `r#type`.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use std::fmt;

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
    "union", "raw", "safe",
];

/// Type names the generated code uses unqualified; a spec type of the same name would shadow them.
const RESERVED_TYPES: &[&str] = &["String", "Vec", "Option", "Result", "Box", "Some", "None", "Ok", "Err"];

/// Crates the generated code names by path (`serde::Serialize`, `std::sync::Arc`); a module of the
/// same name would shadow them in the vendor's root file, which declares its modules.
const PATH_ROOTS: &[&str] = &["std", "core", "alloc", "serde", "serde_json", "futures"];

/// Names at the root of the `workapi` crate (`generated-client/src/lib.rs`) and its cargo features
/// besides the spec's; a vendor module or feature of the same name would collide with them.
const CRATE_ROOT: &[&str] = &[
    "callback",
    "client",
    "error",
    "runtime",
    "secret",
    "time",
    "token_store",
    "wire",
    "default",
    "redis",
];

/// A valid Rust identifier (keywords already escaped), made only by this module's functions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RustIdent(String);

impl RustIdent {
    /// The identifier's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// This identifier with a suffix (`report_list` + `_pages`). Appending ASCII identifier
    /// characters to a valid identifier keeps it valid, and no keyword ends in `_pages`.
    pub fn suffixed(&self, suffix: &str) -> RustIdent {
        debug_assert!(suffix.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
        RustIdent(format!("{}{suffix}", self.0))
    }

    /// The SCREAMING_SNAKE_CASE form, for a `const` (`report_list` -> `REPORT_LIST`).
    pub fn shouty(&self) -> RustIdent {
        RustIdent(unkeyword(self.0.trim_end_matches('_').to_shouty_snake_case()))
    }

    /// The UpperCamelCase form (`oapi` -> `Oapi`).
    pub fn camel(&self) -> RustIdent {
        RustIdent(unkeyword(self.0.to_upper_camel_case()))
    }
}

/// Read access to the text; only this module can make one.
impl std::ops::Deref for RustIdent {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RustIdent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for RustIdent {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

/// A name as it travels on the wire (`deptList`), non-empty and free of spaces and control characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WireName(String);

impl WireName {
    /// The name's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Read access to the text; only this module can make one.
impl std::ops::Deref for WireName {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for WireName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for WireName {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<String> for WireName {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

/// A wire name; the error says why the text cannot be one.
pub fn wire_name(text: &str) -> Result<WireName, String> {
    if text.is_empty() {
        return Err("wire name is empty".into());
    }
    if text
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || is_invisible(c))
    {
        return Err(format!(
            "wire name {text:?} has spaces, control or invisible characters"
        ));
    }
    Ok(WireName(text.to_owned()))
}

/// A field name from its wire name or its `rust:` override: `deptList` -> `dept_list`, `type` -> `type_`.
pub fn field(name: &str) -> Result<RustIdent, String> {
    checked(name, unkeyword(name.to_snake_case()), "field")
}

/// A snake_case name written in the spec that must stay as written (endpoint ids, module and
/// vendor names, host ids, enum value names, `rust:` overrides).
pub fn snake(name: &str, what: &str) -> Result<RustIdent, String> {
    if !is_snake_case(name) {
        return Err(format!(
            "{what} '{name}' must be snake_case: a lowercase ASCII letter, then lowercase letters, digits and single underscores"
        ));
    }
    if KEYWORDS.contains(&name) {
        return Err(format!("{what} '{name}' is a Rust keyword"));
    }
    checked(name, name.to_owned(), what)
}

/// A vendor name: snake_case, and free at the crate root (`workapi::dingtalk`, feature `dingtalk`).
pub fn vendor(name: &str) -> Result<RustIdent, String> {
    if PATH_ROOTS.contains(&name) || CRATE_ROOT.contains(&name) {
        return Err(format!(
            "vendor '{name}' would collide with the crate's own `{name}` (a module, feature or crate it uses)"
        ));
    }
    snake(name, "vendor")
}

/// A module name: snake_case, no crate the vendor's root file uses, and not `all` (the feature
/// `{vendor}-all` turns on every module).
pub fn module(name: &str) -> Result<RustIdent, String> {
    if PATH_ROOTS.contains(&name) {
        return Err(format!(
            "module '{name}' would shadow the crate `{name}` that the generated code uses"
        ));
    }
    if name == "all" {
        return Err("module 'all' would make the feature `{vendor}-all`, which already turns on every module".into());
    }
    snake(name, "module")
}

/// A type name written in the spec (`ReportPage`), or derived from an id (`report_list` +
/// `_request` -> `ReportListRequest`).
pub fn type_name(name: &str) -> Result<RustIdent, String> {
    let rust = name.to_upper_camel_case();
    if RESERVED_TYPES.contains(&rust.as_str()) {
        return Err(format!(
            "type name '{rust}' would shadow the standard type the generated code uses; pick another name"
        ));
    }
    checked(name, unkeyword(rust), "type name")
}

/// An enum variant from its snake_case value name: `no_status` -> `NoStatus`.
pub fn variant(name: &str) -> Result<RustIdent, String> {
    if !is_snake_case(name) {
        return Err(format!("enum value name '{name}' must be snake_case"));
    }
    checked(name, unkeyword(name.to_upper_camel_case()), "enum value name")
}

fn checked(original: &str, rust: String, what: &str) -> Result<RustIdent, String> {
    if is_ident(&rust) {
        Ok(RustIdent(rust))
    } else if rust.is_empty() {
        Err(format!(
            "{what} {original:?} leaves nothing to name it by in Rust; set another name"
        ))
    } else {
        Err(format!(
            "{what} {original:?} becomes `{rust}`, which is not a Rust identifier (ASCII letters, digits and '_', not starting with a digit)"
        ))
    }
}

fn unkeyword(name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    s != "_" && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}')
}

/// Whether `s` is a snake_case identifier (`report_list`).
pub fn is_snake_case(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !s.contains("__")
        && !s.ends_with('_')
}

/// Whether `s` is an UpperCamelCase identifier (`ReportPage`).
pub fn is_upper_camel(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_get_a_suffix_and_camel_case_becomes_snake() {
        assert_eq!(field("type").unwrap().as_str(), "type_");
        assert_eq!(field("deptList").unwrap().as_str(), "dept_list");
        assert_eq!(field("userIdList").unwrap().as_str(), "user_id_list");
        assert_eq!(type_name("report_list_request").unwrap().as_str(), "ReportListRequest");
        assert_eq!(variant("self").unwrap().as_str(), "Self_");
        assert_eq!(snake("report_list", "id").unwrap().shouty().as_str(), "REPORT_LIST");
        assert!(is_snake_case("report_list"));
        assert!(!is_snake_case("reportList"));
        assert!(is_upper_camel("ReportPage"));
        assert!(!is_upper_camel("report_page"));
    }

    #[test]
    fn names_that_cannot_be_identifiers_are_refused() {
        for bad in ["1st_choice", "2nd.size", "_", "", "\u{200b}", "名字"] {
            assert!(field(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(snake("match", "endpoint id").unwrap_err().contains("keyword"));
        assert!(type_name("String").unwrap_err().contains("shadow"));
        assert!(module("serde").is_err() && module("all").is_err() && vendor("runtime").is_err());
        assert!(module("report").is_ok() && vendor("dingtalk").is_ok());
        assert!(wire_name("a b").is_err());
        assert!(wire_name("a\u{200b}").is_err());
        assert!(wire_name("").is_err());
    }
}
