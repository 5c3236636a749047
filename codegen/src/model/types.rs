//! The spec's type grammar (`string`, `int64`, `list<T>`, `comma_list<T>`, a named type), the
//! resolved [`Type`] whose named types are ids into their module, and [`Visit`], the one walk over
//! a type that resolution, the checks and the emitter share.

use super::{EnumId, StructId};

/// Width and sign of an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntWidth {
    /// `int32`
    I32,
    /// `int64`
    I64,
    /// `uint32`
    U32,
    /// `uint64`
    U64,
}

impl IntWidth {
    /// The spec spelling.
    pub fn spec_name(self) -> &'static str {
        match self {
            IntWidth::I32 => "int32",
            IntWidth::I64 => "int64",
            IntWidth::U32 => "uint32",
            IntWidth::U64 => "uint64",
        }
    }

    /// The Rust spelling.
    pub fn rust_name(self) -> &'static str {
        match self {
            IntWidth::I32 => "i32",
            IntWidth::I64 => "i64",
            IntWidth::U32 => "u32",
            IntWidth::U64 => "u64",
        }
    }

    /// Whether `v` fits.
    pub fn fits(self, v: i128) -> bool {
        let (lo, hi): (i128, i128) = match self {
            IntWidth::I32 => (i32::MIN.into(), i32::MAX.into()),
            IntWidth::I64 => (i64::MIN.into(), i64::MAX.into()),
            IntWidth::U32 => (0, u32::MAX.into()),
            IntWidth::U64 => (0, u64::MAX.into()),
        };
        (lo..=hi).contains(&v)
    }
}

/// A resolved type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    /// `string`
    String,
    /// `bool`
    Bool,
    /// An integer.
    Int(IntWidth),
    /// `float64`
    Float64,
    /// `unix_seconds`
    UnixSeconds,
    /// `unix_millis`
    UnixMillis,
    /// `datetime`: `yyyy-MM-dd HH:mm:ss`
    DateTime,
    /// `json`: anything.
    Json,
    /// A struct of the module.
    Struct(StructId),
    /// An enum of the module.
    Enum(EnumId),
    /// `list<T>`
    List(Box<Type>),
    /// `comma_list<T>` (`,`) or `semicolon_list<T>` (`;`): one string on the wire.
    Delimited(char, Box<Type>),
}

impl Type {
    /// Whether this is a number or bool (things a vendor may send as a string).
    pub fn is_scalar_number(&self) -> bool {
        matches!(self, Type::Int(_) | Type::Float64 | Type::Bool)
    }

    /// Whether this is one of the time types.
    pub fn is_time(&self) -> bool {
        matches!(self, Type::UnixSeconds | Type::UnixMillis | Type::DateTime)
    }

    /// The element type of a list, or the type itself.
    pub fn innermost(&self) -> &Type {
        match self {
            Type::List(t) | Type::Delimited(_, t) => t.innermost(),
            t => t,
        }
    }

    /// Whether a value of this type contains a number or bool decoded leniently.
    pub fn has_lenient_scalar(&self) -> bool {
        match self {
            Type::List(t) => t.has_lenient_scalar(),
            t => t.is_scalar_number(),
        }
    }
}

/// A walk over a type. The default methods visit every node, depth first; override the ones
/// that matter and call [`walk`] from an override to keep descending.
pub trait Visit {
    /// Any node; the default descends into lists.
    fn visit(&mut self, ty: &Type) {
        walk(self, ty)
    }
    /// A struct reference.
    fn visit_struct(&mut self, _id: StructId) {}
    /// An enum reference.
    fn visit_enum(&mut self, _id: EnumId) {}
    /// A `list<T>` or `comma_list<T>`, before its element; return false to skip the element.
    fn enter_list(&mut self, _list: &Type) -> bool {
        true
    }
}

/// Visits the node's children: a named type's reference, or a list's element.
pub fn walk<V: Visit + ?Sized>(v: &mut V, ty: &Type) {
    match ty {
        Type::Struct(id) => v.visit_struct(*id),
        Type::Enum(id) => v.visit_enum(*id),
        Type::List(t) | Type::Delimited(_, t) if v.enter_list(ty) => v.visit(t),
        _ => {}
    }
}

/// How deep `list<list<...>>` may nest; deeper is surely a mistake, and bounding it bounds the
/// recursion of every walk.
pub const MAX_DEPTH: usize = 8;

/// A parsed type expression before names are looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    /// A built-in scalar.
    Builtin(Type),
    /// `object`: an inline struct.
    Object,
    /// Some other name: a `types:` or `enums:` entry.
    Named(String),
    /// `list<T>`
    List(Box<TypeExpr>),
    /// `comma_list<T>` / `semicolon_list<T>`
    Delimited(char, Box<TypeExpr>),
}

impl TypeExpr {
    /// Whether the innermost type is `object`.
    pub fn is_object(&self) -> bool {
        match self {
            TypeExpr::Object => true,
            TypeExpr::List(t) | TypeExpr::Delimited(_, t) => t.is_object(),
            _ => false,
        }
    }
}

/// Parses `list<comma_list<int32>>`-style text; the error says what would be right.
pub fn parse(text: &str) -> Result<TypeExpr, String> {
    parse_at(text, 0)
}

fn parse_at(text: &str, depth: usize) -> Result<TypeExpr, String> {
    if depth > MAX_DEPTH {
        return Err(format!("type nests lists more than {MAX_DEPTH} deep"));
    }
    let t = text.trim();
    for (prefix, sep) in [
        ("list<", None),
        ("comma_list<", Some(',')),
        ("semicolon_list<", Some(';')),
    ] {
        if let Some(rest) = t.strip_prefix(prefix) {
            let inner = rest
                .strip_suffix('>')
                .ok_or_else(|| format!("type '{t}' is missing its closing '>'"))?;
            let inner = parse_at(inner, depth + 1)?;
            return Ok(match sep {
                None => TypeExpr::List(Box::new(inner)),
                Some(c) => {
                    if matches!(inner, TypeExpr::List(_) | TypeExpr::Delimited(..) | TypeExpr::Object) {
                        return Err(format!(
                            "type '{t}': a {prefix}..> holds strings, numbers or enums, not lists or objects"
                        ));
                    }
                    TypeExpr::Delimited(c, Box::new(inner))
                }
            });
        }
    }
    let builtin = match t {
        "string" => Type::String,
        "bool" => Type::Bool,
        "int32" => Type::Int(IntWidth::I32),
        "int64" => Type::Int(IntWidth::I64),
        "uint32" => Type::Int(IntWidth::U32),
        "uint64" => Type::Int(IntWidth::U64),
        "float64" => Type::Float64,
        "unix_seconds" => Type::UnixSeconds,
        "unix_millis" => Type::UnixMillis,
        "datetime" => Type::DateTime,
        "json" => Type::Json,
        "object" => return Ok(TypeExpr::Object),
        "" => return Err("empty type; expected one of: ".to_owned() + BUILTINS),
        other => {
            if other.chars().all(|c| c.is_ascii_alphanumeric()) && other.starts_with(|c: char| c.is_ascii_uppercase()) {
                return Ok(TypeExpr::Named(other.to_owned()));
            }
            return Err(format!(
                "unknown type '{other}'; expected one of: {BUILTINS}, list<T>, comma_list<T>, \
                 semicolon_list<T>, or the UpperCamelCase name of a `types:` or `enums:` entry"
            ));
        }
    };
    Ok(TypeExpr::Builtin(builtin))
}

const BUILTINS: &str =
    "string, bool, int32, int64, uint32, uint64, float64, unix_seconds, unix_millis, datetime, json, object";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_lists_and_rejects_unknown_names() {
        assert_eq!(
            parse("list<comma_list<int32>>").unwrap(),
            TypeExpr::List(Box::new(TypeExpr::Delimited(
                ',',
                Box::new(TypeExpr::Builtin(Type::Int(IntWidth::I32)))
            )))
        );
        assert_eq!(parse("ReportPage").unwrap(), TypeExpr::Named("ReportPage".into()));
        assert!(parse("integer").unwrap_err().contains("unknown type 'integer'"));
        assert!(parse("list<string").unwrap_err().contains("closing"));
        assert!(parse("comma_list<object>").is_err());
        let deep = format!("{}string{}", "list<".repeat(5000), ">".repeat(5000));
        assert!(parse(&deep).unwrap_err().contains("deep"));
    }
}
