//! Fields and their types: wire and Rust names, type expressions, inline objects.

use super::super::keywords::WireString;
use super::super::names;
use super::super::types::{self, Type, TypeExpr};
use super::super::*;
use super::module::written_type_name;
use super::{Declared, ModuleCtx};
use crate::spec::entries::Entries;
use crate::spec::raw;
use serde_saphyr::{Location, Spanned};
use std::collections::HashMap;

/// The fields of one object, in spec order; two that get the same Rust name are an error naming both.
pub(super) fn resolve_fields(cx: &mut ModuleCtx, raw: &Entries<raw::Field>, place: FieldPlace) -> Vec<Field> {
    let mut out = Vec::new();
    let mut rust_names: HashMap<names::RustIdent, Location> = HashMap::new();
    for (wire, f) in raw.iter() {
        let Some(field) = resolve_field(cx, wire, f, place) else {
            continue;
        };
        let loc = f.rust.as_ref().map(|r| r.referenced).unwrap_or(wire.referenced);
        let clash = |first: &str| {
            format!(
                "field '{}' becomes Rust field `{}`, which the field at {first} already is; set `rust:` to another name",
                wire.value, field.rust
            )
        };
        if cx.r.claim(&mut rust_names, field.rust.clone(), &loc, clash) {
            out.push(field);
        }
    }
    // The setter of a field `new` is `with_new`, since `new` is the constructor.
    if rust_names.keys().any(|n| n == "new")
        && let Some(loc) = rust_names.iter().find(|(n, _)| *n == "with_new").map(|(_, l)| *l)
    {
        cx.r.at(
            &loc,
            "field `with_new` clashes with the setter of field `new`; set `rust:` to another name",
        );
    }
    out
}

fn resolve_field(cx: &mut ModuleCtx, wire: &Spanned<String>, f: &raw::Field, place: FieldPlace) -> Option<Field> {
    if let Some(at) = &f.at {
        cx.r.at(&at.referenced, "`at:` belongs on an endpoint's `response:` only");
    }
    let wire_name = cx.r.name(&wire.referenced, names::wire_name(&wire.value));
    let ty = resolve_type(cx, f, None);
    let rust = match &f.rust {
        Some(r) if !names::is_snake_case(&r.value) => {
            cx.r.at(&r.referenced, format!("`rust: {}` must be snake_case", r.value));
            None
        }
        Some(r) => cx.r.name(&r.referenced, names::field(&r.value)),
        None => cx.r.name(&wire.referenced, names::field(&wire.value)),
    };
    let (wire_name, ty, rust) = (wire_name?, ty?, rust?);
    let limits = super::limits::check_limits(cx, wire, f, &ty);
    let wire_string = match &f.wire {
        None => false,
        Some(w) => {
            let known = cx.r.keyword::<WireString>(w).is_some();
            let int_enum = match ty {
                Type::Enum(id) => cx.enums.get(id.0).is_some_and(|e| e.wire != EnumWire::String),
                _ => false,
            };
            if known && !ty.is_scalar_number() && !int_enum {
                cx.r.at(
                    &w.referenced,
                    format!(
                        "field '{}': `wire: string` is for numbers, bools and integer enums that travel as JSON strings, and the field is {}",
                        wire.value, f.ty.value
                    ),
                );
            }
            known
        }
    };
    if f.secret && ty != Type::String {
        cx.r.at(&f.ty.referenced, "`secret: true` is for string fields");
    }
    Some(Field {
        wire: wire_name,
        rust,
        ty,
        required: f.required,
        docs: Docs::of(&f.doc, &f.en, &f.note),
        example: f.example.clone(),
        limits,
        default: f.default.clone(),
        wire_string,
        secret: f.secret,
        place,
    })
}

/// Resolves a field's type expression, creating structs for inline objects (named `name:`, else
/// `default_name`).
pub(super) fn resolve_type(cx: &mut ModuleCtx, field: &raw::Field, default_name: Option<&str>) -> Option<Type> {
    let expr = match types::parse(&field.ty.value) {
        Ok(e) => e,
        Err(msg) => {
            cx.r.at(&field.ty.referenced, msg);
            return None;
        }
    };
    if expr.is_object() {
        if field.fields.is_none() {
            cx.r.at(
                &field.ty.referenced,
                format!("type '{}' needs `fields:`", field.ty.value),
            );
            return None;
        }
    } else {
        if field.fields.is_some() {
            cx.r.at(
                &field.ty.referenced,
                format!(
                    "`fields:` is given but type '{}' is not object or list<object>",
                    field.ty.value
                ),
            );
        }
        if let Some(n) = &field.name {
            cx.r.at(
                &n.referenced,
                "`name:` names an inline object; this field's type is not object",
            );
        }
    }
    build_type(cx, &expr, field, default_name)
}

fn build_type(cx: &mut ModuleCtx, expr: &TypeExpr, field: &raw::Field, default_name: Option<&str>) -> Option<Type> {
    Some(match expr {
        TypeExpr::Builtin(t) => t.clone(),
        TypeExpr::List(inner) => Type::List(Box::new(build_type(cx, inner, field, default_name)?)),
        TypeExpr::Delimited(c, inner) => Type::Delimited(*c, Box::new(build_type(cx, inner, field, default_name)?)),
        TypeExpr::Named(n) => match cx.lookup(n) {
            Some(Declared::Enum(id)) => Type::Enum(id),
            Some(Declared::Struct(id)) => Type::Struct(id),
            None => {
                let known = cx.declared_names();
                let known = if known.is_empty() {
                    "nothing yet".to_owned()
                } else {
                    known.join(", ")
                };
                cx.r.at(
                    &field.ty.referenced,
                    format!("unknown type '{n}'; this file defines: {known}"),
                );
                return None;
            }
        },
        TypeExpr::Object => {
            let (name, loc) = match (&field.name, default_name) {
                (Some(n), _) => (written_type_name(&mut cx.r, n, "type")?, n.referenced),
                (None, Some(d)) => (
                    cx.r.name(&field.ty.referenced, names::type_name(d))?,
                    field.ty.referenced,
                ),
                (None, None) => {
                    cx.r.at(
                        &field.ty.referenced,
                        "an inline object needs `name:` (its Rust type name, UpperCamelCase and unique in the file)",
                    );
                    return None;
                }
            };
            let id = cx.new_struct(name, Docs::of(&field.doc, &field.en, &field.note), &loc)?;
            let fields = resolve_fields(cx, field.fields.as_ref()?, FieldPlace::Body);
            cx.structs[id.0].fields = fields;
            Type::Struct(id)
        }
    })
}
