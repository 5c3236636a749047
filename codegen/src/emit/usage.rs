//! The rustdoc example of an endpoint's method: its request built with `new` from the docs'
//! example values, and the call. Compiled by `cargo test` as a doctest (`no_run`), so a change to
//! a constructor that would break users' code breaks the build first.
//!
//! Values come from the field's own `example`, else the endpoint's example request, else a
//! placeholder of the right type (the wire name as a string, `0`, `false`). A required field whose
//! type cannot be written from here (nested past [`MAX_NESTING`]) leaves the method without an
//! example rather than with a wrong one.

use crate::model::types::IntWidth;
use crate::model::{Endpoint, EnumLiteral, Field, FieldPlace, Module, Type, Vendor};
use serde_json::Value;
use std::collections::BTreeSet;

/// How deep constructor calls nest in an example before it is left out.
const MAX_NESTING: usize = 8;
/// How many items of an example's list are shown.
const MAX_ITEMS: usize = 3;

/// The `# Example` section for `e`'s method, or `None` when no honest example can be written.
pub fn method_example(v: &Vendor, m: &Module, e: &Endpoint) -> Option<String> {
    let request = m.request(e);
    let mut uses = BTreeSet::from([request.name.to_string()]);
    let mut args = Vec::new();
    for f in request.fields.iter().filter(|f| f.required) {
        // The endpoint's example first: its values belong together; a field's own example else.
        let value = endpoint_value(e, f).or(f.example.as_ref());
        args.push(param(m, f, value, 0, &mut uses)?);
    }
    // The token endpoint's module is the vendor's root.
    let path = if std::ptr::eq(m, &v.core) {
        format!("workapi::{}", v.name)
    } else {
        format!("workapi::{}::{}", v.name, m.name)
    };
    let imports = uses.into_iter().collect::<Vec<_>>().join(", ");
    let imports = if imports.contains(", ") {
        format!("use {path}::{{{imports}}};")
    } else {
        format!("use {path}::{imports};")
    };
    let imports = pretty(&imports)?;
    let statement = format!("let request = {}::new({});", request.name, args.join(", "));
    let statement = pretty(&statement)?;
    Some(format!(
        "# Example\n\n\
         ```no_run\n\
         # async fn example(client: &workapi::{vendor}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n\
         {imports}\n\
         \n\
         {statement}\n\
         let response = client.{method}(&request).await?;\n\
         # let _ = response;\n\
         # Ok(()) }}\n\
         ```",
        vendor = v.name,
        method = e.id,
    ))
}

/// A top-level field's value in the endpoint's example request (query or body, inside `wrap`).
fn endpoint_value<'a>(e: &'a Endpoint, f: &Field) -> Option<&'a Value> {
    let example = e.example.as_ref()?;
    let container = match f.place {
        FieldPlace::Query => example.query.as_ref()?,
        _ => {
            let body = example.request.as_ref()?;
            match &e.wrap {
                Some(key) => body.get(key)?,
                None => body,
            }
        }
    };
    container.get(f.wire.as_str())
}

/// An argument for a constructor parameter of field `f` (see `types::param`: strings and lists
/// of strings take `&str`, lists take any iterable).
fn param(m: &Module, f: &Field, value: Option<&Value>, depth: usize, uses: &mut BTreeSet<String>) -> Option<String> {
    match &f.ty {
        Type::String => Some(string_literal(value, f.wire.as_str())),
        Type::List(inner) | Type::Delimited(_, inner) => {
            let items = list_items(&f.ty, value);
            // One placeholder item when the example has none: in `[]` the item type is unknown.
            let shown: Vec<Option<&Value>> = if items.is_empty() {
                vec![None]
            } else {
                items.iter().take(MAX_ITEMS).map(Some).collect()
            };
            let mut out = Vec::new();
            for item in shown {
                out.push(if **inner == Type::String {
                    string_literal(item, f.wire.as_str())
                } else {
                    exact(m, inner, item, f.wire.as_str(), depth + 1, uses)?
                });
            }
            Some(format!("[{}]", out.join(", ")))
        }
        ty => exact(m, ty, value, f.wire.as_str(), depth, uses),
    }
}

/// A value of exactly the Rust type of `ty` (inside a `Vec`, or a non-string parameter).
fn exact(
    m: &Module,
    ty: &Type,
    value: Option<&Value>,
    wire: &str,
    depth: usize,
    uses: &mut BTreeSet<String>,
) -> Option<String> {
    if depth > MAX_NESTING {
        return None;
    }
    Some(match ty {
        Type::String => format!("{}.to_owned()", string_literal(value, wire)),
        Type::Bool => match value {
            Some(Value::Bool(b)) => b.to_string(),
            Some(Value::String(s)) if s == "true" => "true".to_owned(),
            _ => "false".to_owned(),
        },
        Type::Int(width) => integer(value)
            .filter(|n| fits(*width, *n))
            .map_or_else(|| "0".to_owned(), |n| n.to_string()),
        Type::Float64 => match value.and_then(Value::as_f64) {
            Some(x) if x.is_finite() => format!("{x:?}"),
            _ => "0.0".to_owned(),
        },
        Type::UnixSeconds => format!("workapi::UnixSeconds({})", integer(value).unwrap_or(1_700_000_000)),
        Type::UnixMillis => format!("workapi::UnixMillis({})", integer(value).unwrap_or(1_700_000_000_000)),
        Type::DateTime => {
            let text = value
                .and_then(Value::as_str)
                .filter(|s| is_datetime(s))
                .unwrap_or("2024-01-01 09:00:00");
            format!("{text:?}.parse::<workapi::DateTime>()?")
        }
        Type::Json => format!(
            "workapi::serde_json::json!({})",
            value.map_or_else(|| "null".to_owned(), Value::to_string)
        ),
        Type::Enum(id) => {
            let en = m.enumeration(*id);
            let chosen = en
                .values
                .iter()
                .find(|v| value.is_some_and(|x| literal_matches(&v.value, x)))
                .or_else(|| en.values.first())?;
            uses.insert(en.name.to_string());
            format!("{}::{}", en.name, chosen.variant)
        }
        Type::Struct(id) => {
            let s = m.strukt(*id);
            // Only request-side structs have constructors.
            if !s.usage.request {
                return None;
            }
            uses.insert(s.name.to_string());
            let mut args = Vec::new();
            for f in s.fields.iter().filter(|f| f.required) {
                let inner = value.and_then(|v| v.get(f.wire.as_str())).or(f.example.as_ref());
                args.push(param(m, f, inner, depth + 1, uses)?);
            }
            format!("{}::new({})", s.name, args.join(", "))
        }
        Type::List(inner) | Type::Delimited(_, inner) => {
            let mut out = Vec::new();
            for item in list_items(ty, value).iter().take(MAX_ITEMS) {
                out.push(exact(m, inner, Some(item), wire, depth + 1, uses)?);
            }
            format!("vec![{}]", out.join(", "))
        }
    })
}

/// `statement` as prettyplease prints it (long calls broken over lines), or `None` if it does
/// not parse, so a bad example is left out rather than shown.
fn pretty(statement: &str) -> Option<String> {
    let file: syn::File = syn::parse_str(&format!("fn example() {{ {statement} }}")).ok()?;
    let printed = prettyplease::unparse(&file);
    let body: Vec<&str> = printed.lines().collect();
    // `fn example() {`, the statement indented by four, `}`.
    let inner = body.get(1..body.len().checked_sub(1)?)?;
    Some(
        inner
            .iter()
            .map(|l| l.strip_prefix("    ").unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// The items of a list's example: a JSON array, or a delimited string split at its delimiter.
fn list_items(ty: &Type, value: Option<&Value>) -> Vec<Value> {
    match (ty, value) {
        (_, Some(Value::Array(items))) => items.clone(),
        (Type::Delimited(sep, _), Some(Value::String(s))) if !s.is_empty() => {
            s.split(*sep).map(|p| Value::String(p.trim().to_owned())).collect()
        }
        _ => Vec::new(),
    }
}

/// A Rust string literal: the example's text (numbers as their digits), else the wire name.
fn string_literal(value: Option<&Value>, wire: &str) -> String {
    let text = match value {
        Some(Value::String(s)) => s.clone(),
        Some(v @ (Value::Number(_) | Value::Bool(_))) => v.to_string(),
        _ => wire.to_owned(),
    };
    // `{:?}` of a `str` is a valid Rust literal: quotes, backslashes and controls escaped.
    format!("{text:?}")
}

/// An integer from a number or a numeric string; negative values too.
fn integer(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Whether `n` is a value of the integer type (an example can be wrong; `0` always fits).
fn fits(width: IntWidth, n: i64) -> bool {
    match width {
        IntWidth::I32 => i32::try_from(n).is_ok(),
        IntWidth::I64 => true,
        IntWidth::U32 => u32::try_from(n).is_ok(),
        IntWidth::U64 => n >= 0,
    }
}

fn literal_matches(lit: &EnumLiteral, value: &Value) -> bool {
    match lit {
        EnumLiteral::Int(i) => integer(Some(value)) == Some(*i),
        EnumLiteral::Str(s) => value.as_str() == Some(s),
    }
}

/// `yyyy-MM-dd HH:mm:ss`, checked loosely: the runtime's parser decides.
fn is_datetime(s: &str) -> bool {
    s.len() == 19 && s.as_bytes().get(10) == Some(&b' ') && s.bytes().all(|b| b.is_ascii_digit() || b"-: ".contains(&b))
}
