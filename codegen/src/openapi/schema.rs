//! The model's types as JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1): one component per
//! struct and enum of a module, and the schema of a field with its documented limits, example and
//! wire quirks. What JSON Schema cannot say is kept in `x-` extensions.

use super::describe;
use crate::model::types::IntWidth;
use crate::model::{Enum, EnumLiteral, EnumWire, Field, FieldPlace, Module, Struct, Type, Vendor};
use serde_json::{Map, Value, json};

/// The key of a module's named type in `components.schemas`. Rust type names are unique per module
/// only, so the key carries the module (`report.ReportPage`); a module name has no dot, so the keys
/// cannot collide, nor meet the vendor-wide ones (`Envelope`), which have no dot either.
pub fn component_key(m: &Module, name: &str) -> String {
    format!("{}.{name}", m.name)
}

/// A `$ref` to a component schema.
pub fn schema_ref(key: &str) -> Value {
    // JSON Pointer escaping; the keys made here never need it, but a ref must stay a valid pointer.
    json!({ "$ref": format!("#/components/schemas/{}", key.replace('~', "~0").replace('/', "~1")) })
}

/// The Rust path of a module's type, for tools that map the document back to `workapi`. The
/// vendor's own endpoints (`core`) are emitted at the vendor's root.
fn rust_path(v: &Vendor, m: &Module, name: &str) -> String {
    if std::ptr::eq(m, &v.core) {
        format!("workapi::{}::{name}", v.name)
    } else {
        format!("workapi::{}::{}::{name}", v.name, m.name)
    }
}

/// The schema of a type as it travels in a JSON body.
pub fn type_schema(m: &Module, ty: &Type) -> Value {
    match ty {
        Type::String => json!({"type": "string"}),
        Type::Bool => json!({"type": "boolean"}),
        Type::Int(w) => int_schema(*w),
        Type::Float64 => json!({"type": "number", "format": "double"}),
        Type::UnixSeconds => json!({
            "type": "integer",
            "format": "unix-seconds",
            "description": "Unix time: whole seconds since 1970-01-01T00:00:00Z.",
        }),
        Type::UnixMillis => json!({
            "type": "integer",
            "format": "unix-millis",
            "description": "Unix time: milliseconds since 1970-01-01T00:00:00Z.",
        }),
        Type::DateTime => json!({
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$",
            "x-format": "yyyy-MM-dd HH:mm:ss",
            "description": "A local date and time, `yyyy-MM-dd HH:mm:ss`, in the vendor's time zone.",
        }),
        Type::Json => json!({}),
        Type::Struct(id) => schema_ref(&component_key(m, m.strukt(*id).name.as_str())),
        Type::Enum(id) => schema_ref(&component_key(m, m.enumeration(*id).name.as_str())),
        Type::List(t) => json!({"type": "array", "items": type_schema(m, t)}),
        // JSON Schema has no string-of-items type: ONE string, its items described beside it.
        Type::Delimited(sep, t) => json!({
            "type": "string",
            "x-delimiter": sep.to_string(),
            "x-items": type_schema(m, t),
            "description": format!("ONE string: the items joined by '{sep}'."),
        }),
    }
}

/// An integer of a width. OpenAPI's registry names `int32` and `int64`; the unsigned widths keep
/// their own names and say the sign with `minimum`.
fn int_schema(w: IntWidth) -> Value {
    match w {
        IntWidth::I32 | IntWidth::I64 => json!({"type": "integer", "format": w.spec_name()}),
        IntWidth::U32 | IntWidth::U64 => json!({"type": "integer", "format": w.spec_name(), "minimum": 0}),
    }
}

/// The schema of a field: its type where it travels, its docs, limits, default and example.
pub fn field_schema(m: &Module, f: &Field) -> Value {
    let mut s = match (&f.ty, f.place) {
        // A number sent as a JSON string ("1"): a string of digits, its type in an extension.
        (Type::Int(w), _) if f.wire_string => json!({
            "type": "string",
            "pattern": "^[+-]?[0-9]+$",
            "x-wire-type": w.spec_name(),
        }),
        (Type::Float64, _) if f.wire_string => json!({"type": "string", "x-wire-type": "float64"}),
        (Type::Bool, _) if f.wire_string => json!({"type": "string", "enum": ["true", "false"], "x-wire-type": "bool"}),
        // An integer enum field sent as a string: its values are the enum's, written as strings.
        (Type::Enum(id), _) if f.wire_string => json!({
            "type": "string",
            "pattern": "^[+-]?[0-9]+$",
            "x-wire-type": m.enumeration(*id).name.as_str(),
        }),
        // In a query string a comma list is OpenAPI's own `style: form, explode: false` array.
        (Type::Delimited(',', t), FieldPlace::Query) => json!({"type": "array", "items": type_schema(m, t)}),
        (ty, _) => type_schema(m, ty),
    };
    let Value::Object(obj) = &mut s else {
        return s;
    };
    if f.wire_string {
        obj.insert(
            "description".into(),
            "A number sent as a JSON string; workapi also accepts a plain number in responses.".into(),
        );
    }
    limits(obj, f);
    if let Some(d) = &f.default {
        obj.insert("default".into(), d.clone());
    }
    if let Some(ex) = &f.example {
        obj.insert("examples".into(), json!([ex]));
    }
    if f.secret {
        obj.insert("format".into(), "password".into());
        obj.insert("x-secret".into(), true.into());
    }
    // The field's own words first, then what the type says (a time unit, a format).
    let type_note = obj.remove("description").and_then(|d| d.as_str().map(str::to_owned));
    describe(obj, &f.docs, type_note.as_deref());
    s
}

/// The documented limits of a field as JSON Schema keywords where they mean the same, else as
/// extensions: `maxLength` counts characters, so a byte limit is `x-max-bytes`.
fn limits(obj: &mut Map<String, Value>, f: &Field) {
    let l = &f.limits;
    let numeric = matches!(f.ty, Type::Int(_)) && !f.wire_string;
    let array =
        matches!(f.ty, Type::List(_)) || matches!((&f.ty, f.place), (Type::Delimited(',', _), FieldPlace::Query));
    let mut put = |native: bool, key: &str, ext: &str, v: Value| {
        obj.insert(if native { key } else { ext }.to_owned(), v);
    };
    if let Some(n) = l.min {
        put(numeric, "minimum", "x-minimum", n.into());
    }
    if let Some(n) = l.max {
        put(numeric, "maximum", "x-maximum", n.into());
    }
    if let Some(n) = l.min_items {
        put(array, "minItems", "x-min-items", n.into());
    }
    if let Some(n) = l.max_items {
        put(array, "maxItems", "x-max-items", n.into());
    }
    if let Some(n) = l.max_chars {
        put(matches!(f.ty, Type::String), "maxLength", "x-max-chars", n.into());
    }
    if let Some(n) = l.max_bytes {
        put(false, "", "x-max-bytes", n.into());
    }
}

/// The component of a struct: an object of its body fields (a request's query fields are the
/// operation's parameters). Objects stay open: vendors add response fields, and workapi ignores
/// the ones it does not know.
pub fn struct_schema(v: &Vendor, m: &Module, s: &Struct) -> Value {
    let fields: Vec<&Field> = s.fields.iter().filter(|f| f.place == FieldPlace::Body).collect();
    let properties: Map<String, Value> = fields
        .iter()
        .map(|f| (f.wire.as_str().to_owned(), field_schema(m, f)))
        .collect();
    let required: Vec<&str> = fields.iter().filter(|f| f.required).map(|f| f.wire.as_str()).collect();
    let mut obj = Map::new();
    obj.insert("type".into(), "object".into());
    obj.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        obj.insert("required".into(), json!(required));
    }
    obj.insert("x-rust-type".into(), rust_path(v, m, s.name.as_str()).into());
    describe(&mut obj, &s.docs, None);
    Value::Object(obj)
}

/// The component of an enum: its documented values, their Rust variant names and docs. A value
/// the spec does not list still decodes in workapi (to `Unknown`), which the description says.
pub fn enum_schema(v: &Vendor, m: &Module, e: &Enum) -> Value {
    let mut obj = match e.wire {
        // An integer enum that travels as a JSON string ("1").
        EnumWire::Int(w) if e.wire_string => Map::from_iter([
            ("type".to_owned(), Value::from("string")),
            ("x-wire-type".to_owned(), Value::from(w.spec_name())),
        ]),
        EnumWire::Int(w) => match int_schema(w) {
            Value::Object(o) => o,
            _ => Map::new(),
        },
        EnumWire::String => Map::from_iter([("type".to_owned(), Value::from("string"))]),
    };
    let values: Vec<Value> = e
        .values
        .iter()
        .map(|x| match &x.value {
            EnumLiteral::Int(i) if e.wire_string => Value::from(i.to_string()),
            EnumLiteral::Int(i) => Value::from(*i),
            EnumLiteral::Str(s) => Value::from(s.as_str()),
        })
        .collect();
    let names: Vec<&str> = e.values.iter().map(|x| x.variant.as_str()).collect();
    let docs: Vec<String> = e
        .values
        .iter()
        .map(|x| join_docs(x.docs.doc.as_deref(), x.docs.en.as_deref()))
        .collect();
    obj.insert("enum".into(), json!(values));
    obj.insert("x-enum-varnames".into(), json!(names));
    obj.insert("x-enum-descriptions".into(), json!(docs));
    obj.insert("x-rust-type".into(), rust_path(v, m, e.name.as_str()).into());
    describe(
        &mut obj,
        &e.docs,
        Some("Values the vendor adds later decode in workapi as `Unknown(value)`."),
    );
    Value::Object(obj)
}

/// `doc` and its English meaning as one line.
fn join_docs(doc: Option<&str>, en: Option<&str>) -> String {
    match (doc, en) {
        (Some(d), Some(e)) => format!("{d} ({e})"),
        (Some(d), None) => d.to_owned(),
        (None, Some(e)) => e.to_owned(),
        (None, None) => String::new(),
    }
}
