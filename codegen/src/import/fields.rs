//! Typing nested table rows: a [`Node`] tree becomes spec [`Field`]s, with types from the table's
//! type column (or the example when the table has none), time units, enums, comma lists, limits and
//! examples from the prose, and a TODO for each of those guesses.

use super::nest::{Node, Shape};
use super::prose::{self, TimeUnit, Unit};
use super::{Row, Vendor};
use heck::ToUpperCamelCase;
use serde_json::Value;
use std::collections::BTreeSet;

/// A type as the importer understands it, before it is written as a spec type string.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// `string`.
    Str,
    /// `bool`.
    Bool,
    /// An integer type (`int32`, `int64`, `uint32`, `uint64`).
    Int(&'static str),
    /// `float64`.
    Float,
    /// `json`: anything.
    Json,
    /// An object (fields from the table or the example).
    Object,
    /// A JSON array.
    List(Box<Ty>),
}

impl Ty {
    fn is_object_like(&self) -> bool {
        matches!(self, Ty::Object) || matches!(self, Ty::List(t) if **t == Ty::Object)
    }

    /// The type an example value has (integers as `int64`).
    pub fn of_value(v: &Value) -> Ty {
        match v {
            Value::String(_) | Value::Null => Ty::Str,
            Value::Bool(_) => Ty::Bool,
            Value::Number(n) if n.is_i64() || n.is_u64() => Ty::Int("int64"),
            Value::Number(_) => Ty::Float,
            Value::Object(_) => Ty::Object,
            Value::Array(items) => Ty::List(Box::new(items.first().map_or(Ty::Str, Ty::of_value))),
        }
    }
}

/// One spec field, ready to write.
#[derive(Debug, Clone, Default)]
pub struct Field {
    /// Wire name.
    pub name: String,
    /// Spec type string (`string`, `list<object>`, `unix_millis`, an enum name).
    pub ty: String,
    /// `required: true`.
    pub required: bool,
    /// The vendor's description.
    pub doc: Option<String>,
    /// An example value.
    pub example: Option<Value>,
    /// Numeric range.
    pub min: Option<i64>,
    /// Numeric range.
    pub max: Option<i64>,
    /// List length.
    pub min_items: Option<i64>,
    /// List length.
    pub max_items: Option<i64>,
    /// String length in bytes.
    pub max_bytes: Option<i64>,
    /// String length in characters.
    pub max_chars: Option<i64>,
    /// Documented default.
    pub default: Option<Value>,
    /// Rust type name of an inline object.
    pub type_name: Option<String>,
    /// Nested fields of an object or list of objects.
    pub fields: Vec<Field>,
    /// What was guessed, one `TODO(import)` comment each.
    pub todos: Vec<String>,
}

/// An enum the importer made from a `- **1**：...` list.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// UpperCamelCase name.
    pub name: String,
    /// Wire type.
    pub ty: String,
    /// The field's description.
    pub doc: String,
    /// `(value, placeholder name, doc)`.
    pub values: Vec<(Value, String, String)>,
}

/// What typing needs besides the rows: the vendor, names in use, and where enums go.
pub struct Ctx<'a> {
    /// The page's vendor (its type vocabulary).
    pub vendor: Vendor,
    /// The module's name in UpperCamelCase (enum names start with it).
    pub module_camel: String,
    /// The endpoint id in UpperCamelCase (object names start with it).
    pub id_camel: String,
    /// Whether these are request fields (required-ness and comma lists matter there).
    pub request: bool,
    /// Every type and enum name used in the module so far.
    pub names: &'a mut BTreeSet<String>,
    /// The module's enums.
    pub enums: &'a mut Vec<Enum>,
}

/// Maps a table type cell to a type, per vendor.
pub fn table_type(vendor: Vendor, cell: &str) -> Option<Ty> {
    match vendor {
        Vendor::Wecom => super::wecom::table_type(cell),
        Vendor::Dingtalk => super::dingtalk::table_type(cell),
    }
}

/// Whether a row opens an object (for nesting flat tables).
pub fn is_container(vendor: Vendor, row: &Row) -> bool {
    row.ty
        .as_deref()
        .and_then(|t| table_type(vendor, t))
        .is_some_and(|t| t.is_object_like())
}

/// Types every node; `shape` is the example's shape at the nodes' level.
pub fn fields(nodes: &[Node], shape: Option<&Shape>, ctx: &mut Ctx) -> Vec<Field> {
    nodes
        .iter()
        .map(|n| field(n, shape.and_then(|s| s.keys.get(&n.name)), ctx))
        .collect()
}

fn field(node: &Node, shape: Option<&Shape>, ctx: &mut Ctx) -> Field {
    let row = node.row.clone().unwrap_or_default();
    let mut f = Field {
        name: node.name.clone(),
        todos: node.todos.clone(),
        ..Field::default()
    };
    let doc = row.doc.replace('\n', " ");
    f.doc = (!doc.is_empty()).then_some(doc.clone());
    let example_value = shape.and_then(|s| s.value.clone());

    let mut ty = match row.ty.as_deref().map(|c| (c, table_type(ctx.vendor, c))) {
        Some((_, Some(t))) => t,
        Some((cell, None)) => {
            let t = example_value.as_ref().map_or(Ty::Str, Ty::of_value);
            f.todos.push(format!(
                "the table's type `{cell}` is not one the importer knows; {} from the example",
                describe(&t)
            ));
            t
        }
        None if node.row.is_some() => {
            let t = example_value.as_ref().map_or(Ty::Str, Ty::of_value);
            let from = if example_value.is_some() {
                "the example"
            } else {
                "nothing (no example either)"
            };
            f.todos
                .push(format!("the table gives no type; {} from {from}", describe(&t)));
            t
        }
        None => example_value.as_ref().map_or(Ty::Json, Ty::of_value),
    };
    // A scalar cell whose example is a list (`String` with `["user123"]`): the example is right.
    let table_list = row
        .example
        .as_deref()
        .and_then(|e| serde_json::from_str::<Value>(e).ok())
        .is_some_and(|v| v.is_array());
    if node.children.is_empty()
        && matches!(ty, Ty::Str | Ty::Int(_) | Ty::Bool | Ty::Float)
        && (table_list || example_value.as_ref().is_some_and(Value::is_array))
    {
        f.todos.push(format!(
            "the table says `{}` but the example is a list; made a list",
            row.ty.as_deref().unwrap_or("?")
        ));
        ty = Ty::List(Box::new(ty));
    }
    // A row with nested rows is an object whatever its type cell says.
    if !node.children.is_empty() && !ty.is_object_like() {
        let list = matches!(ty, Ty::List(_)) || shape.is_some_and(|s| s.list);
        ty = if list {
            Ty::List(Box::new(Ty::Object))
        } else {
            Ty::Object
        };
        f.todos.push(format!(
            "the table types it as `{}` but lists fields under it; made {}",
            row.ty.as_deref().unwrap_or("?"),
            describe(&ty)
        ));
    }
    if ty.is_object_like() && node.children.is_empty() {
        f.todos
            .push("an object whose fields neither the table nor the example show; typed `json`".to_owned());
        ty = if matches!(ty, Ty::List(_)) {
            Ty::List(Box::new(Ty::Json))
        } else {
            Ty::Json
        };
    }

    if ctx.request {
        match row.required {
            Some(r) => f.required = r,
            None if node.row.is_some() => f
                .todos
                .push("the table does not say whether it is required; left optional".to_owned()),
            None => {}
        }
    }
    let limits = prose::limits(&row.doc);
    let table_example = row.example.as_deref().filter(|e| !e.is_empty());

    f.ty = match &ty {
        Ty::Object | Ty::List(_) if ty.is_object_like() => {
            let item_shape = shape;
            f.fields = fields(&node.children, item_shape, ctx);
            f.type_name = Some(type_name(ctx, &node.name));
            if matches!(ty, Ty::List(_)) {
                list_limits(&mut f, &limits);
                "list<object>".to_owned()
            } else {
                "object".to_owned()
            }
        }
        Ty::List(item) => {
            list_limits(&mut f, &limits);
            f.example = table_example
                .and_then(|e| serde_json::from_str::<Value>(e).ok())
                .filter(Value::is_array)
                .or_else(|| example_value.clone().filter(Value::is_array));
            format!("list<{}>", scalar_name(item))
        }
        Ty::Int(w) => int_field(&mut f, w, &row, &limits, table_example, example_value.as_ref(), ctx),
        Ty::Str => string_field(&mut f, &row, &limits, table_example, example_value.as_ref(), ctx),
        Ty::Bool => {
            f.example = table_example
                .and_then(|e| e.parse::<bool>().ok())
                .map(Value::Bool)
                .or_else(|| example_value.clone().filter(Value::is_boolean));
            "bool".to_owned()
        }
        Ty::Float => {
            f.example = table_example
                .and_then(|e| serde_json::from_str::<Value>(e).ok())
                .filter(Value::is_number)
                .or_else(|| example_value.clone().filter(Value::is_number));
            "float64".to_owned()
        }
        Ty::Json | Ty::Object => "json".to_owned(),
    };
    f
}

fn describe(t: &Ty) -> String {
    match t {
        Ty::Str => "typed `string`".into(),
        Ty::Bool => "typed `bool`".into(),
        Ty::Int(w) => format!("typed `{w}`"),
        Ty::Float => "typed `float64`".into(),
        Ty::Json => "typed `json`".into(),
        Ty::Object => "an object".into(),
        Ty::List(i) if **i == Ty::Object => "a list of objects".into(),
        Ty::List(i) => format!("typed `list<{}>`", scalar_name(i)),
    }
}

fn scalar_name(t: &Ty) -> String {
    match t {
        Ty::Str => "string".into(),
        Ty::Bool => "bool".into(),
        Ty::Int(w) => (*w).into(),
        Ty::Float => "float64".into(),
        Ty::Json | Ty::Object => "json".into(),
        Ty::List(i) => format!("list<{}>", scalar_name(i)),
    }
}

fn list_limits(f: &mut Field, limits: &prose::Limits) {
    f.max_items = limits.max_of(Unit::Items).or_else(|| limits.max_of(Unit::Plain));
    f.min_items = limits.min_of(Unit::Items).filter(|n| *n > 0);
    if f.max_items.is_some() || f.min_items.is_some() {
        f.todos.push(format!(
            "list length read from the description: {}",
            range_text(f.min_items, f.max_items)
        ));
    }
    if limits.max_of(Unit::Bytes).is_some() || limits.max_of(Unit::Chars).is_some() {
        f.todos.push(
            "the description limits each item's length; the spec cannot say that of a list's items yet".to_owned(),
        );
    }
}

fn range_text(min: Option<i64>, max: Option<i64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{a}..={b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => String::new(),
    }
}

fn int_field(
    f: &mut Field,
    width: &str,
    row: &Row,
    limits: &prose::Limits,
    table_example: Option<&str>,
    example_value: Option<&Value>,
    ctx: &mut Ctx,
) -> String {
    let parsed = table_example
        .and_then(|e| e.parse::<i64>().ok())
        .map(Value::from)
        .or_else(|| example_value.filter(|v| v.is_i64() || v.is_u64()).cloned());
    f.example = parsed.clone();
    let cell = row.ty.as_deref().unwrap_or("(not in the table)");
    // A point in time: from the description, else from a timestamp-sized example of a time-named field.
    let by_text = prose::time_unit(&row.doc);
    let timey = is_time_name(&f.name) || row.doc.contains("时间") || row.doc.contains("日期");
    let by_example = parsed.as_ref().and_then(prose::time_unit_of_example).filter(|_| timey);
    match by_text.or(by_example) {
        Some(TimeUnit::Millis) => {
            f.todos.push(format!(
                "the table says `{cell}`; Unix milliseconds per the {}",
                if by_text.is_some() {
                    "description"
                } else {
                    "example value"
                }
            ));
            return "unix_millis".to_owned();
        }
        Some(TimeUnit::Seconds) => {
            f.todos.push(format!(
                "the table says `{cell}`; Unix seconds per the {}",
                if by_text.is_some() {
                    "description"
                } else {
                    "example value"
                }
            ));
            return "unix_seconds".to_owned();
        }
        _ => {}
    }
    f.max = limits.max_of(Unit::Plain).or_else(|| limits.max_of(Unit::Items));
    f.min = limits.min_of(Unit::Plain);
    f.default = limits.default.map(Value::from);
    if f.max.is_some() || f.min.is_some() || f.default.is_some() {
        let default = f.default.as_ref().map(|d| format!(", default {d}")).unwrap_or_default();
        f.todos.push(format!(
            "range read from the description: {}{default}",
            range_text(f.min, f.max)
        ));
    }
    if let Some(name) = enum_of(f, width, &row.doc, ctx) {
        return name;
    }
    width.to_owned()
}

fn string_field(
    f: &mut Field,
    row: &Row,
    limits: &prose::Limits,
    table_example: Option<&str>,
    example_value: Option<&Value>,
    ctx: &mut Ctx,
) -> String {
    f.example = table_example
        .map(|e| Value::String(e.to_owned()))
        .or_else(|| example_value.filter(|v| v.is_string()).cloned());
    let by_text = prose::time_unit(&row.doc) == Some(TimeUnit::DateTime);
    let by_example = f.example.as_ref().and_then(prose::time_unit_of_example) == Some(TimeUnit::DateTime);
    if by_text || by_example {
        f.todos.push(format!(
            "the table says string; a `yyyy-MM-dd HH:mm:ss` date-time per the {}",
            if by_text { "description" } else { "example value" }
        ));
        return "datetime".to_owned();
    }
    let listy = f.name.ends_with("_list") || f.name.ends_with("List") || row.doc.contains("逗号");
    if ctx.request && listy {
        f.max_items = limits.max_of(Unit::Items).or_else(|| limits.max_of(Unit::Plain));
        f.todos.push(format!(
            "the table says String for a list: taken as ONE comma-separated string{}",
            f.max_items
                .map(|n| format!(" of at most {n} items"))
                .unwrap_or_default()
        ));
        return "comma_list<string>".to_owned();
    }
    f.max_bytes = limits.max_of(Unit::Bytes);
    f.max_chars = limits.max_of(Unit::Chars);
    if f.max_bytes.is_some() || f.max_chars.is_some() {
        f.todos.push("length limit read from the description".to_owned());
    }
    if let Some(min) = limits
        .min_of(Unit::Bytes)
        .or_else(|| limits.min_of(Unit::Chars))
        .filter(|n| *n > 0)
    {
        f.todos.push(format!(
            "the description gives a minimum length of {min}; the spec cannot say that yet"
        ));
    }
    if let Some(name) = enum_of(f, "string", &row.doc, ctx) {
        return name;
    }
    "string".to_owned()
}

fn is_time_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with("time")
        || lower.ends_with("_at")
        || lower.ends_with("date")
        || lower.contains("time_")
        || lower.starts_with("gmt")
}

/// Makes (or reuses) an enum when the description lists values; returns its name.
fn enum_of(f: &mut Field, wire: &str, doc: &str, ctx: &mut Ctx) -> Option<String> {
    let listed = prose::enum_values(doc);
    if listed.is_empty() {
        return None;
    }
    let mut values = Vec::new();
    for v in &listed {
        let value = if wire == "string" {
            Value::String(v.value.clone())
        } else {
            Value::from(v.value.parse::<i64>().ok()?)
        };
        values.push((value, value_name(&v.value), v.doc.clone()));
    }
    let base = format!("{}{}", ctx.module_camel, f.name.to_upper_camel_case());
    let existing = ctx
        .enums
        .iter()
        .find(|e| e.name.starts_with(&base) && e.values == values && e.ty == wire);
    let name = match existing {
        Some(e) => e.name.clone(),
        None => {
            let name = unique(ctx.names, base);
            let doc = doc
                .split(['：', ':', '。', '，'])
                .next()
                .unwrap_or(doc)
                .trim()
                .to_owned();
            ctx.enums.push(Enum {
                name: name.clone(),
                ty: wire.to_owned(),
                doc,
                values,
            });
            name
        }
    };
    f.todos.push(format!(
        "an enum from the values the description lists ({name}); name its values"
    ));
    f.min = None;
    f.max = None;
    Some(name)
}

/// A placeholder snake_case name for an enum value (`1` -> `v1`, `-1` -> `minus_1`, `CREATE` -> `create`).
fn value_name(value: &str) -> String {
    if let Some(n) = value.strip_prefix('-') {
        return format!("minus_{n}");
    }
    if value.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("v{value}");
    }
    let name = heck::ToSnakeCase::to_snake_case(value);
    // `unknown` is the generated enums' own variant for values the spec does not list.
    if name == "unknown" {
        "unknown_value".to_owned()
    } else {
        name
    }
}

fn type_name(ctx: &mut Ctx, field: &str) -> String {
    let camel = field.to_upper_camel_case();
    let singular = camel
        .strip_suffix("List")
        .filter(|s| !s.is_empty())
        // `Items` -> `Item`, but not `Alias` -> `Alia` or `Status` -> `Statu`.
        .or_else(|| {
            camel
                .strip_suffix('s')
                .filter(|s| !s.is_empty() && !s.ends_with(['s', 'u']) && !s.ends_with("ia"))
        })
        .unwrap_or(&camel)
        .to_owned();
    unique(ctx.names, format!("{}{singular}", ctx.id_camel))
}

/// `base`, or `base2`, `base3`, ... whichever is free; records it as used.
pub fn unique(names: &mut BTreeSet<String>, base: String) -> String {
    let mut name = base.clone();
    let mut n = 2;
    while names.contains(&name) {
        name = format!("{base}{n}");
        n += 1;
    }
    names.insert(name.clone());
    name
}
