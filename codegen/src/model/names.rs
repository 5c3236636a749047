//! The one place where spec names become Rust names.
//!
//! Wire names are kept verbatim for `#[serde(rename)]`; Rust names come from heck, and a name that
//! is a Rust keyword gets a trailing underscore (`type` -> `type_`), which reads better in a setter
//! call than a raw identifier.

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

fn unkeyword(name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// `deptList` -> `dept_list`, `type` -> `type_`.
pub fn rust_field_name(wire: &str) -> String {
    unkeyword(wire.to_snake_case())
}

/// `report_list` + `Request` -> `ReportListRequest`.
pub fn rust_type_name(name: &str) -> String {
    unkeyword(name.to_upper_camel_case())
}

/// `no_status` -> `NoStatus`.
pub fn rust_variant_name(name: &str) -> String {
    unkeyword(name.to_upper_camel_case())
}

/// Whether `s` is a snake_case identifier (`report_list`).
pub fn is_snake_case(s: &str) -> bool {
    !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
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
        assert_eq!(rust_field_name("type"), "type_");
        assert_eq!(rust_field_name("deptList"), "dept_list");
        assert_eq!(rust_field_name("userIdList"), "user_id_list");
        assert_eq!(rust_type_name("report_list_request"), "ReportListRequest");
        assert_eq!(rust_variant_name("self"), "Self_");
        assert!(is_snake_case("report_list"));
        assert!(!is_snake_case("reportList"));
        assert!(is_upper_camel("ReportPage"));
        assert!(!is_upper_camel("report_page"));
    }
}
