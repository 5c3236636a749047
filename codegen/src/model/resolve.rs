//! Raw spec -> resolved model, checking every rule on the way.
//!
//! Each check that fails records a located diagnostic and resolution goes on, so one run reports
//! every problem in the folder rather than the first.

use super::names::{is_snake_case, is_upper_camel, rust_field_name, rust_type_name, rust_variant_name};
use super::types::{self, IntWidth, Type, TypeExpr};
use super::*;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::spec::entries::Entries;
use crate::spec::load::RawVendor;
use crate::spec::raw;
use serde_saphyr::{Location, Spanned};
use std::collections::{BTreeMap, HashMap};

/// Resolves every vendor, or returns every problem found.
pub fn resolve(raw: &[RawVendor]) -> Result<Spec, Diagnostics> {
    let mut problems = Diagnostics::default();
    let mut vendors = Vec::new();
    for rv in raw {
        if let Some(v) = resolve_vendor(rv, &mut problems) {
            vendors.push(v);
        }
    }
    problems.into_result(Spec { vendors })
}

/// Shorthand for recording a located problem.
pub(super) struct Reporter<'a> {
    pub(super) file: &'a str,
    pub(super) problems: &'a mut Diagnostics,
}

impl Reporter<'_> {
    pub(super) fn at(&mut self, loc: &Location, msg: impl Into<String>) {
        self.problems.push(Diagnostic::at(self.file, loc, msg));
    }
    fn place(&self, loc: &Location) -> String {
        format!("{}:{}:{}", self.file, loc.line(), loc.column())
    }
}

fn one_of<'s>(r: &mut Reporter, v: &'s Spanned<String>, what: &str, allowed: &[&str]) -> Option<&'s str> {
    if allowed.contains(&v.value.as_str()) {
        Some(v.value.as_str())
    } else {
        r.at(
            &v.referenced,
            format!("{what} '{}' is not one of: {}", v.value, allowed.join(", ")),
        );
        None
    }
}

fn resolve_vendor(rv: &RawVendor, problems: &mut Diagnostics) -> Option<Vendor> {
    let v = &rv.vendor;
    let mut r = Reporter {
        file: &rv.file,
        problems,
    };
    if !is_snake_case(&v.vendor.value) {
        r.at(
            &v.vendor.referenced,
            format!("vendor '{}' must be snake_case", v.vendor.value),
        );
    }

    let mut hosts = Vec::new();
    for (id, h) in v.hosts.iter() {
        let token = match one_of(&mut r, &h.token, "host token", &["query", "header", "none"]) {
            Some("query") => TokenPlacement::Query,
            Some("header") => TokenPlacement::Header,
            _ => TokenPlacement::None,
        };
        if token == TokenPlacement::Header && v.token.header.is_none() {
            r.at(
                &h.token.referenced,
                "host token 'header' needs `token.header` (the header's name)",
            );
        }
        let errors = match one_of(&mut r, &h.errors, "host errors", &["envelope", "http"]) {
            Some("http") => ErrorStyle::Http,
            _ => ErrorStyle::Envelope,
        };
        let url = &h.base_url.value;
        if !(url.starts_with("https://") || url.starts_with("http://")) || url.ends_with('/') {
            r.at(
                &h.base_url.referenced,
                format!("base_url '{url}' must start with https:// and have no trailing '/'"),
            );
        }
        if !is_snake_case(&id.value) {
            r.at(&id.referenced, format!("host id '{}' must be snake_case", id.value));
        }
        hosts.push(Host {
            id: id.value.clone(),
            base_url: url.clone(),
            env: h.env.value.clone(),
            token,
            errors,
            note: h.note.clone(),
        });
    }
    if hosts.is_empty() {
        r.at(&v.vendor.referenced, "a vendor needs at least one entry under `hosts:`");
    }

    let rate_limit = v.rate_limit.as_ref().and_then(|rl| rate_limit(&mut r, rl));
    let errcodes = errcodes(&mut r, &v.errcodes);
    let mut http_errors = Vec::new();
    for e in &v.http_errors {
        http_errors.push(HttpError {
            code: e.value.code.clone(),
            status: e.value.status,
            doc: e.value.doc.clone(),
            en: e.value.en.clone(),
            kind: error_kind(&mut r, e.value.kind.as_ref()),
        });
    }

    let token = Token {
        endpoint: v.token.endpoint.value.clone(),
        query_param: v.token.query_param.clone(),
        header: v.token.header.clone(),
        id_param: v.token.id.param.value.clone(),
        id_env: v.token.id.env.clone(),
        secret_param: v.token.secret.param.value.clone(),
        secret_env: v.token.secret.env.clone(),
        token_field: v.token.token_field.value.clone(),
        expires_field: v.token.expires_field.value.clone(),
    };

    let ctx = VendorCtx {
        hosts: &hosts,
        envelope: &v.envelope,
    };
    let core_raw = raw::ModuleFile {
        module: Spanned::new("core".to_owned(), v.vendor.referenced, v.vendor.defined),
        title: v.title.clone(),
        doc_url: Some(v.doc_url.clone()),
        secret_env: None,
        types: Entries::default(),
        enums: Entries::default(),
        endpoints: Vec::new(),
    };
    let core = resolve_module(&rv.file, &core_raw, &v.endpoints, &ctx, r.problems);

    let mut modules = Vec::new();
    for (file, m) in &rv.modules {
        let mut mr = Reporter { file, problems };
        if !is_snake_case(&m.module.value) || m.module.value == "core" {
            mr.at(
                &m.module.referenced,
                format!("module '{}' must be snake_case and not 'core'", m.module.value),
            );
        }
        let stem = file.rsplit('/').next().unwrap_or_default().trim_end_matches(".yaml");
        if stem != m.module.value {
            mr.at(
                &m.module.referenced,
                format!("module '{}' must match its file name '{stem}.yaml'", m.module.value),
            );
        }
        modules.push(resolve_module(file, m, &m.endpoints, &ctx, problems));
    }

    // Endpoint ids are method names on one Client per vendor: unique across its modules.
    let mut seen: HashMap<&str, (&str, Location)> = HashMap::new();
    let all = std::iter::once((rv.file.as_str(), &v.endpoints))
        .chain(rv.modules.iter().map(|(f, m)| (f.as_str(), &m.endpoints)));
    for (file, eps) in all {
        for e in eps {
            let id = e.value.id.value.as_str();
            if let Some((f0, l0)) = seen.get(id) {
                problems.push(Diagnostic::at(
                    file,
                    &e.value.id.referenced,
                    format!(
                        "endpoint id '{id}' is already used at {f0}:{}:{}; ids become method names and must be unique per vendor",
                        l0.line(),
                        l0.column()
                    ),
                ));
            } else {
                seen.insert(id, (file, e.value.id.referenced));
            }
        }
    }

    // The token endpoint must exist in vendor.yaml and answer with the named fields.
    let mut r = Reporter {
        file: &rv.file,
        problems,
    };
    match core.endpoints.iter().find(|e| e.id == token.endpoint) {
        None => r.at(
            &v.token.endpoint.referenced,
            format!(
                "token endpoint '{}' is not an endpoint of this vendor.yaml",
                token.endpoint
            ),
        ),
        Some(e) => {
            let fields = match &e.response {
                Type::Struct(n) => core.find_struct(n).map(|s| &s.fields[..]).unwrap_or(&[]),
                _ => &[],
            };
            for (f, spanned) in [
                (&token.token_field, &v.token.token_field),
                (&token.expires_field, &v.token.expires_field),
            ] {
                if !fields.iter().any(|x| &x.wire == f) {
                    r.at(
                        &spanned.referenced,
                        format!("the token endpoint's response has no field '{f}'"),
                    );
                }
            }
            for (p, spanned) in [
                (&token.id_param, &v.token.id.param),
                (&token.secret_param, &v.token.secret.param),
            ] {
                let req = core.find_struct(&e.request);
                if !req.is_some_and(|s| s.fields.iter().any(|x| &x.wire == p && x.place == FieldPlace::Query)) {
                    r.at(
                        &spanned.referenced,
                        format!("the token endpoint has no query parameter '{p}'"),
                    );
                }
            }
        }
    }

    Some(Vendor {
        name: v.vendor.value.clone(),
        title: v.title.clone(),
        doc_url: v.doc_url.clone(),
        hosts,
        token,
        envelope: v.envelope.clone(),
        rate_limit,
        errcodes,
        http_errors,
        core,
        modules,
    })
}

fn rate_limit(r: &mut Reporter, rl: &Spanned<raw::RateLimit>) -> Option<RateLimit> {
    let per_seconds = match one_of(r, &rl.value.per, "rate_limit per", &["second", "minute", "hour", "day"])? {
        "second" => 1,
        "minute" => 60,
        "hour" => 3600,
        _ => 86400,
    };
    if rl.value.calls == 0 {
        r.at(&rl.referenced, "rate_limit calls must be at least 1");
        return None;
    }
    Some(RateLimit {
        calls: rl.value.calls,
        per_seconds,
        scope: rl.value.scope.clone(),
    })
}

fn error_kind(r: &mut Reporter, kind: Option<&Spanned<String>>) -> ErrorKind {
    let Some(k) = kind else { return ErrorKind::Other };
    match one_of(
        r,
        k,
        "errcode kind",
        &["token", "busy", "throttle", "quota", "auth", "param", "other"],
    ) {
        Some("token") => ErrorKind::Token,
        Some("busy") => ErrorKind::Busy,
        Some("throttle") => ErrorKind::Throttle,
        Some("quota") => ErrorKind::Quota,
        Some("auth") => ErrorKind::Auth,
        Some("param") => ErrorKind::Param,
        _ => ErrorKind::Other,
    }
}

fn errcodes(r: &mut Reporter, raw: &[Spanned<raw::Errcode>]) -> Vec<Errcode> {
    let mut out: Vec<Errcode> = Vec::new();
    for e in raw {
        if out.iter().any(|o| o.code == e.value.code) {
            r.at(&e.referenced, format!("errcode {} is listed twice", e.value.code));
            continue;
        }
        out.push(Errcode {
            code: e.value.code,
            doc: e.value.doc.clone(),
            en: e.value.en.clone(),
            kind: error_kind(r, e.value.kind.as_ref()),
            sub_codes: e.value.sub_codes.clone(),
        });
    }
    out
}

struct VendorCtx<'a> {
    hosts: &'a [Host],
    envelope: &'a [String],
}

/// What a Rust type name in a module refers to, and where it was defined.
#[derive(Clone)]
enum Declared {
    Struct,
    Enum,
}

pub(super) struct ModuleCtx<'a> {
    pub(super) r: Reporter<'a>,
    names: BTreeMap<String, (Declared, Location)>,
    pub(super) structs: Vec<Struct>,
    pub(super) enums: Vec<Enum>,
}

impl ModuleCtx<'_> {
    /// Claims a Rust type name; a second claim is an error naming both places.
    fn claim(&mut self, name: &str, kind: Declared, loc: &Location) -> bool {
        if let Some((_, first)) = self.names.get(name) {
            let first = self.r.place(first);
            self.r.at(
                loc,
                format!("Rust type name '{name}' is already defined at {first}; pick another `name:`"),
            );
            return false;
        }
        self.names.insert(name.to_owned(), (kind, *loc));
        true
    }
}

fn resolve_module(
    file: &str,
    m: &raw::ModuleFile,
    endpoints: &[Spanned<raw::Endpoint>],
    vendor: &VendorCtx,
    problems: &mut Diagnostics,
) -> Module {
    let mut cx = ModuleCtx {
        r: Reporter { file, problems },
        names: BTreeMap::new(),
        structs: Vec::new(),
        enums: Vec::new(),
    };

    // Declare every named type first so fields may refer to types defined further down.
    for (name, _) in m.enums.iter() {
        if !is_upper_camel(&name.value) {
            cx.r.at(
                &name.referenced,
                format!("enum name '{}' must be UpperCamelCase", name.value),
            );
        }
        cx.claim(&name.value, Declared::Enum, &name.referenced);
    }
    for (name, _) in m.types.iter() {
        if !is_upper_camel(&name.value) {
            cx.r.at(
                &name.referenced,
                format!("type name '{}' must be UpperCamelCase", name.value),
            );
        }
        cx.claim(&name.value, Declared::Struct, &name.referenced);
    }
    for (name, e) in m.enums.iter() {
        if let Some(en) = resolve_enum(&mut cx, name, e) {
            cx.enums.push(en);
        }
    }
    for (name, t) in m.types.iter() {
        let fields = resolve_fields(&mut cx, &t.fields, FieldPlace::Body);
        cx.structs.push(Struct {
            name: name.value.clone(),
            docs: Docs {
                doc: t.doc.clone(),
                en: t.en.clone(),
                note: t.note.clone(),
            },
            fields,
            usage: Usage::default(),
        });
    }

    let mut out = Vec::new();
    for e in endpoints {
        if let Some(ep) = resolve_endpoint(&mut cx, e, vendor) {
            out.push(ep);
        }
    }

    let mut module = Module {
        name: m.module.value.clone(),
        title: m.title.clone(),
        doc_url: m.doc_url.clone(),
        secret_env: m.secret_env.clone(),
        file: file.to_owned(),
        structs: cx.structs,
        enums: cx.enums,
        endpoints: out,
    };
    mark_usage(&mut module);
    module
}

fn resolve_enum(cx: &mut ModuleCtx, name: &Spanned<String>, e: &raw::Enum) -> Option<Enum> {
    let wire = match e.ty.value.as_str() {
        "int32" => EnumWire::Int(IntWidth::I32),
        "int64" => EnumWire::Int(IntWidth::I64),
        "uint32" => EnumWire::Int(IntWidth::U32),
        "uint64" => EnumWire::Int(IntWidth::U64),
        "string" => EnumWire::String,
        other => {
            cx.r.at(
                &e.ty.referenced,
                format!("enum type '{other}' is not one of: int32, int64, uint32, uint64, string"),
            );
            return None;
        }
    };
    let mut values: Vec<EnumValue> = Vec::new();
    let mut variants: HashMap<String, Location> = HashMap::new();
    for v in &e.values {
        let val = &v.value.value;
        let literal = match (wire, &val.value) {
            (EnumWire::Int(w), serde_json::Value::Number(n)) if n.as_i64().is_some_and(|i| w.fits(i.into())) => {
                EnumLiteral::Int(n.as_i64().unwrap_or_default())
            }
            (EnumWire::String, serde_json::Value::String(s)) => EnumLiteral::Str(s.clone()),
            _ => {
                cx.r.at(
                    &val.referenced,
                    format!("enum value {} does not fit the enum's type {}", val.value, e.ty.value),
                );
                continue;
            }
        };
        if values.iter().any(|x| x.value == literal) {
            cx.r.at(
                &val.referenced,
                format!("enum value {} is listed twice in {}", val.value, name.value),
            );
            continue;
        }
        let vname = &v.value.name;
        if !is_snake_case(&vname.value) || vname.value == "unknown" {
            cx.r.at(
                &vname.referenced,
                format!(
                    "enum value name '{}' must be snake_case and not 'unknown' (reserved for values the spec does not list)",
                    vname.value
                ),
            );
            continue;
        }
        let variant = rust_variant_name(&vname.value);
        if let Some(first) = variants.get(&variant) {
            let first = cx.r.place(first);
            cx.r.at(
                &vname.referenced,
                format!(
                    "enum value name '{}' becomes variant {variant}, already used at {first}",
                    vname.value
                ),
            );
            continue;
        }
        variants.insert(variant.clone(), vname.referenced);
        values.push(EnumValue {
            value: literal,
            variant,
            docs: Docs {
                doc: Some(v.value.doc.clone()),
                en: v.value.en.clone(),
                note: None,
            },
        });
    }
    if e.values.is_empty() {
        cx.r.at(&name.referenced, format!("enum {} has no values", name.value));
    }
    Some(Enum {
        name: name.value.clone(),
        docs: Docs {
            doc: e.doc.clone(),
            en: e.en.clone(),
            note: e.note.clone(),
        },
        wire,
        values,
    })
}

/// Resolves a type expression, creating structs for inline objects.
fn resolve_type(cx: &mut ModuleCtx, field: &raw::Field, default_name: Option<&str>) -> Option<Type> {
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
        TypeExpr::Named(n) => match cx.names.get(n) {
            Some((Declared::Enum, _)) => Type::Enum(n.clone()),
            Some((Declared::Struct, _)) => Type::Struct(n.clone()),
            None => {
                let known: Vec<&str> = cx.names.keys().map(String::as_str).collect();
                cx.r.at(
                    &field.ty.referenced,
                    format!(
                        "unknown type '{n}'; this file defines: {}",
                        if known.is_empty() {
                            "nothing yet".to_owned()
                        } else {
                            known.join(", ")
                        }
                    ),
                );
                return None;
            }
        },
        TypeExpr::Object => {
            let (name, loc) = match (&field.name, default_name) {
                (Some(n), _) => (n.value.clone(), n.referenced),
                (None, Some(d)) => (d.to_owned(), field.ty.referenced),
                (None, None) => {
                    cx.r.at(
                        &field.ty.referenced,
                        "an inline object needs `name:` (its Rust type name, UpperCamelCase and unique in the file)",
                    );
                    return None;
                }
            };
            if !is_upper_camel(&name) {
                cx.r.at(&loc, format!("type name '{name}' must be UpperCamelCase"));
            }
            if !cx.claim(&name, Declared::Struct, &loc) {
                return None;
            }
            let fields = resolve_fields(cx, field.fields.as_ref()?, FieldPlace::Body);
            cx.structs.push(Struct {
                name: name.clone(),
                docs: Docs {
                    doc: field.doc.clone(),
                    en: field.en.clone(),
                    note: field.note.clone(),
                },
                fields,
                usage: Usage::default(),
            });
            Type::Struct(name)
        }
    })
}

fn resolve_fields(cx: &mut ModuleCtx, raw: &Entries<raw::Field>, place: FieldPlace) -> Vec<Field> {
    let mut out = Vec::new();
    let mut rust_names: HashMap<String, Location> = HashMap::new();
    for (wire, f) in raw.iter() {
        let Some(field) = resolve_field(cx, wire, f, place) else {
            continue;
        };
        let loc = f.rust.as_ref().map(|r| r.referenced).unwrap_or(wire.referenced);
        if let Some(first) = rust_names.get(&field.rust) {
            let first = cx.r.place(first);
            cx.r.at(
                &loc,
                format!(
                    "field '{}' becomes Rust field `{}`, which the field at {first} already is; set `rust:` to another name",
                    wire.value, field.rust
                ),
            );
            continue;
        }
        rust_names.insert(field.rust.clone(), loc);
        out.push(field);
    }
    out
}

fn resolve_field(cx: &mut ModuleCtx, wire: &Spanned<String>, f: &raw::Field, place: FieldPlace) -> Option<Field> {
    if let Some(at) = &f.at {
        cx.r.at(&at.referenced, "`at:` belongs on an endpoint's `response:` only");
    }
    if wire.value.is_empty() || wire.value.chars().any(|c| c.is_whitespace()) {
        cx.r.at(
            &wire.referenced,
            format!("wire name '{}' is empty or has spaces", wire.value),
        );
        return None;
    }
    let ty = resolve_type(cx, f, None)?;
    let rust = match &f.rust {
        Some(r) if is_snake_case(&r.value) => rust_field_name(&r.value),
        Some(r) => {
            cx.r.at(&r.referenced, format!("`rust: {}` must be snake_case", r.value));
            return None;
        }
        None => rust_field_name(&wire.value),
    };
    let limits = check_limits(cx, wire, f, &ty);
    let wire_string = match &f.wire {
        None => false,
        Some(w) if w.value == "string" => {
            if !ty.is_scalar_number() {
                cx.r.at(
                    &w.referenced,
                    "`wire: string` is for numbers and bools that travel as JSON strings",
                );
            }
            true
        }
        Some(w) => {
            cx.r.at(
                &w.referenced,
                format!("`wire: {}` is not known; the only value is `string`", w.value),
            );
            false
        }
    };
    if f.secret && ty != Type::String {
        cx.r.at(&f.ty.referenced, "`secret: true` is for string fields");
    }
    Some(Field {
        wire: wire.value.clone(),
        rust,
        ty,
        required: f.required,
        docs: Docs {
            doc: f.doc.clone(),
            en: f.en.clone(),
            note: f.note.clone(),
        },
        example: f.example.clone(),
        limits,
        default: f.default.clone(),
        wire_string,
        secret: f.secret,
        place,
    })
}

fn check_limits(cx: &mut ModuleCtx, wire: &Spanned<String>, f: &raw::Field, ty: &Type) -> Limits {
    let name = &wire.value;
    let mut limits = Limits::default();
    let int_width = match ty {
        Type::Int(w) => Some(*w),
        _ => None,
    };
    let int_limit = |cx: &mut ModuleCtx, v: &Option<Spanned<serde_json::Value>>, which: &str| -> Option<i64> {
        let v = v.as_ref()?;
        let Some(w) = int_width else {
            cx.r.at(
                &v.referenced,
                format!(
                    "field '{name}': `{which}` is a numeric range and the field is {}",
                    f.ty.value
                ),
            );
            return None;
        };
        match v.value.as_i64() {
            Some(i) if w.fits(i.into()) => Some(i),
            _ => {
                cx.r.at(
                    &v.referenced,
                    format!(
                        "field '{name}': {which} {} is not an integer that fits {}",
                        v.value,
                        w.spec_name()
                    ),
                );
                None
            }
        }
    };
    limits.min = int_limit(cx, &f.min, "min");
    limits.max = int_limit(cx, &f.max, "max");
    if let (Some(lo), Some(hi)) = (limits.min, limits.max)
        && lo > hi
        && let Some(m) = &f.max
    {
        cx.r.at(&m.referenced, format!("field '{name}': max {hi} is below min {lo}"));
    }
    let is_list = matches!(ty, Type::List(_) | Type::Delimited(..));
    for (v, which, slot) in [
        (&f.min_items, "min_items", &mut limits.min_items),
        (&f.max_items, "max_items", &mut limits.max_items),
    ] {
        if let Some(v) = v {
            if is_list {
                *slot = Some(v.value);
            } else {
                cx.r.at(
                    &v.referenced,
                    format!("field '{name}': `{which}` is for lists and the field is {}", f.ty.value),
                );
            }
        }
    }
    if let (Some(lo), Some(hi)) = (limits.min_items, limits.max_items)
        && lo > hi
        && let Some(m) = &f.max_items
    {
        cx.r.at(
            &m.referenced,
            format!("field '{name}': max_items {hi} is below min_items {lo}"),
        );
    }
    if let Some(m) = &f.max_items
        && m.value == 0
    {
        cx.r.at(
            &m.referenced,
            format!("field '{name}': max_items 0 would forbid every value"),
        );
    }
    for (v, which, slot) in [
        (&f.max_bytes, "max_bytes", &mut limits.max_bytes),
        (&f.max_chars, "max_chars", &mut limits.max_chars),
    ] {
        if let Some(v) = v {
            if *ty.innermost() != Type::String {
                cx.r.at(
                    &v.referenced,
                    format!(
                        "field '{name}': `{which}` is for strings and the field is {}",
                        f.ty.value
                    ),
                );
            } else if v.value == 0 {
                cx.r.at(
                    &v.referenced,
                    format!("field '{name}': {which} 0 would forbid every value"),
                );
            } else {
                *slot = Some(v.value);
            }
        }
    }
    limits
}

fn resolve_endpoint(cx: &mut ModuleCtx, e: &Spanned<raw::Endpoint>, vendor: &VendorCtx) -> Option<Endpoint> {
    let raw = &e.value;
    let id = &raw.id.value;
    if !is_snake_case(id) {
        cx.r.at(
            &raw.id.referenced,
            format!("endpoint id '{id}' must be snake_case (it becomes the method name)"),
        );
    }
    let method = match one_of(&mut cx.r, &raw.method, "method", &["GET", "POST"]) {
        Some("GET") => Method::Get,
        _ => Method::Post,
    };
    let host = vendor.hosts.iter().find(|h| h.id == raw.host.value);
    if host.is_none() {
        let known: Vec<&str> = vendor.hosts.iter().map(|h| h.id.as_str()).collect();
        cx.r.at(
            &raw.host.referenced,
            format!(
                "host '{}' is not in vendor.yaml `hosts:` ({})",
                raw.host.value,
                known.join(", ")
            ),
        );
    }
    if !raw.path.value.starts_with('/') || raw.path.value.contains(['?', ' ', '#']) {
        cx.r.at(
            &raw.path.referenced,
            format!("path '{}' must start with '/' and hold no query string", raw.path.value),
        );
    }
    let token = match &raw.token {
        None => host.map(|h| h.token).unwrap_or(TokenPlacement::Query),
        Some(t) => match one_of(&mut cx.r, t, "token", &["query", "header", "none"]) {
            Some("query") => TokenPlacement::Query,
            Some("header") => TokenPlacement::Header,
            _ => TokenPlacement::None,
        },
    };
    let rate_limit = raw.rate_limit.as_ref().and_then(|rl| rate_limit(&mut cx.r, rl));

    // The request: query and body fields in one struct.
    let request_name = match &raw.request.name {
        Some(n) => n.value.clone(),
        None => rust_type_name(&format!("{id}_request")),
    };
    let req_loc = raw
        .request
        .name
        .as_ref()
        .map(|n| n.referenced)
        .unwrap_or(raw.id.referenced);
    if method == Method::Get
        && !raw.request.body.is_empty()
        && let Some((k, _)) = raw.request.body.iter().next()
    {
        cx.r.at(
            &k.referenced,
            "a GET endpoint has no body; put these fields under `query:`",
        );
    }
    let mut fields = resolve_fields(cx, &raw.request.query, FieldPlace::Query);
    fields.extend(resolve_fields(cx, &raw.request.body, FieldPlace::Body));
    {
        let mut seen: HashMap<&str, ()> = HashMap::new();
        for f in &fields {
            if seen.insert(f.rust.as_str(), ()).is_some() {
                cx.r.at(
                    &req_loc,
                    format!("request field `{}` is both a query and a body field", f.rust),
                );
            }
        }
    }
    for f in fields.iter().filter(|f| f.place == FieldPlace::Query) {
        if !matches!(
            f.ty,
            Type::String
                | Type::Int(_)
                | Type::Bool
                | Type::Float64
                | Type::UnixSeconds
                | Type::UnixMillis
                | Type::Enum(_)
                | Type::Delimited(..)
        ) {
            cx.r.at(
                &req_loc,
                format!("query field '{}' must be a scalar or a comma_list", f.wire),
            );
        }
    }
    if cx.claim(&request_name, Declared::Struct, &req_loc) {
        cx.structs.push(Struct {
            name: request_name.clone(),
            docs: Docs {
                doc: Some(format!("请求参数: {}", raw.title)),
                en: None,
                note: None,
            },
            fields: fields.clone(),
            usage: Usage::default(),
        });
    }
    let mut spans = Vec::new();
    for s in &raw.request.spans {
        let find = |n: &Spanned<String>| fields.iter().find(|f| f.wire == n.value).map(|f| f.ty.clone());
        match (find(&s.value.from), find(&s.value.to)) {
            (Some(a), Some(b)) if a == b && a.is_time() => spans.push(Span {
                from: s.value.from.value.clone(),
                to: s.value.to.value.clone(),
                max_days: s.value.max_days,
            }),
            (Some(_), Some(_)) => cx.r.at(
                &s.referenced,
                "a span needs two request fields of the same time type (unix_seconds, unix_millis or datetime)",
            ),
            (None, _) => cx.r.at(
                &s.value.from.referenced,
                format!("span from '{}' is not a request field", s.value.from.value),
            ),
            (_, None) => cx.r.at(
                &s.value.to.referenced,
                format!("span to '{}' is not a request field", s.value.to.value),
            ),
        }
        if s.value.max_days == 0 {
            cx.r.at(&s.referenced, "a span of max_days 0 would forbid every request");
        }
    }

    // The response payload.
    let resp = &raw.response.value;
    let payload_at = match &resp.at {
        None => {
            cx.r.at(
                &raw.response.referenced,
                "response needs `at: top` or `at: result` (where the payload sits)",
            );
            return None;
        }
        Some(a) => match one_of(&mut cx.r, a, "response at", &["top", "result"])? {
            "result" => PayloadAt::Result,
            _ => PayloadAt::Top,
        },
    };
    let default_resp = rust_type_name(&format!("{id}_response"));
    let response = resolve_type(cx, resp, Some(&default_resp))?;
    if let Type::Struct(n) = &response
        && n == &default_resp
        && let Some(s) = cx.structs.iter_mut().find(|s| &s.name == n)
        && s.docs.doc.is_none()
    {
        s.docs.doc = Some(format!("响应: {} (the payload of `{id}`)", raw.title));
    }
    if payload_at == PayloadAt::Top && !matches!(response, Type::Struct(_)) {
        cx.r.at(
            &resp.ty.referenced,
            "a response `at: top` must be an object (the top-level fields)",
        );
    }
    if payload_at == PayloadAt::Top
        && let Type::Struct(n) = &response
        && let Some(s) = cx.structs.iter().find(|s| &s.name == n)
    {
        for f in &s.fields {
            if vendor.envelope.contains(&f.wire) {
                cx.r.at(
                    &resp.ty.referenced,
                    format!("response field '{}' is an envelope field of vendor.yaml", f.wire),
                );
            }
        }
    }

    let paging = raw
        .paging
        .as_ref()
        .and_then(|p| resolve_paging(cx, p, &fields, &response));

    let mut errs = Reporter {
        file: cx.r.file,
        problems: cx.r.problems,
    };
    let errcodes = errcodes(&mut errs, &raw.errcodes);

    let mut endpoint = Endpoint {
        id: id.clone(),
        title: raw.title.clone(),
        doc_url: raw.doc_url.clone(),
        docs: Docs {
            doc: raw.doc.clone(),
            en: raw.en.clone(),
            note: raw.note.clone(),
        },
        method,
        host: raw.host.value.clone(),
        path: raw.path.value.clone(),
        token,
        idempotent: raw.idempotent,
        rate_limit,
        request: request_name,
        wrap: raw.request.wrap.as_ref().map(|w| w.value.clone()),
        spans,
        payload_at,
        response,
        response_docs: Docs {
            doc: resp.doc.clone(),
            en: resp.en.clone(),
            note: resp.note.clone(),
        },
        paging,
        errcodes,
        example: None,
    };
    if let Some(ex) = &raw.example {
        endpoint.example = super::example::resolve_example(cx, ex, &endpoint, vendor.envelope);
    }
    let needs_example = cx
        .structs
        .iter()
        .find(|s| s.name == endpoint.request)
        .is_some_and(|s| s.fields.iter().any(|f| f.required));
    // Judged on the raw example: one that failed its own checks has already been reported.
    let has_request_example = raw
        .example
        .as_ref()
        .is_some_and(|x| x.value.request.is_some() || x.value.query.is_some());
    if needs_example && !has_request_example {
        cx.r.at(
            &raw.id.referenced,
            format!("endpoint '{id}' has required request fields but no `example.request`/`example.query`; the tour and the tests send it"),
        );
    }
    Some(endpoint)
}

fn resolve_paging(cx: &mut ModuleCtx, p: &Spanned<raw::Paging>, request: &[Field], response: &Type) -> Option<Paging> {
    let raw = &p.value;
    let style = match one_of(
        &mut cx.r,
        &raw.style,
        "paging style",
        &["cursor", "offset", "page", "next_token"],
    )? {
        "cursor" => PagingStyle::Cursor,
        "offset" => PagingStyle::Offset,
        "page" => PagingStyle::Page,
        _ => PagingStyle::NextToken,
    };
    let in_request = |cx: &mut ModuleCtx, n: &Spanned<String>| {
        if !request.iter().any(|f| f.wire == n.value) {
            cx.r.at(
                &n.referenced,
                format!("paging field '{}' is not a request field", n.value),
            );
        }
    };
    in_request(cx, &raw.request);
    if let Some(s) = &raw.size {
        in_request(cx, s);
    }
    let resp_fields: Vec<Field> = match response {
        Type::Struct(n) => cx
            .structs
            .iter()
            .find(|s| &s.name == n)
            .map(|s| s.fields.clone())
            .unwrap_or_default(),
        _ => {
            cx.r.at(
                &p.referenced,
                "paging needs a response object holding the items and the next position",
            );
            return None;
        }
    };
    let in_response = |cx: &mut ModuleCtx, n: &Spanned<String>| -> Option<Type> {
        let f = resp_fields.iter().find(|f| f.wire == n.value).map(|f| f.ty.clone());
        if f.is_none() {
            cx.r.at(
                &n.referenced,
                format!("paging field '{}' is not a field of the response", n.value),
            );
        }
        f
    };
    in_response(cx, &raw.next);
    if let Some(t) = in_response(cx, &raw.items)
        && !matches!(t, Type::List(_))
    {
        cx.r.at(
            &raw.items.referenced,
            format!("paging items '{}' must be a list", raw.items.value),
        );
    }
    let mut end = Vec::new();
    for e in &raw.end {
        match one_of(
            &mut cx.r,
            e,
            "paging end",
            &["has_more_false", "next_absent", "next_equals_total"],
        ) {
            Some("has_more_false") => {
                match &raw.has_more {
                    Some(h) => {
                        if let Some(t) = in_response(cx, h)
                            && t != Type::Bool
                        {
                            cx.r.at(&h.referenced, format!("has_more '{}' must be a bool", h.value));
                        }
                    }
                    None => cx.r.at(
                        &e.referenced,
                        "end has_more_false needs `has_more:` (the response field)",
                    ),
                }
                end.push(EndSignal::HasMoreFalse);
            }
            Some("next_absent") => end.push(EndSignal::NextAbsent),
            Some("next_equals_total") => {
                match &raw.total {
                    Some(t) => {
                        in_response(cx, t);
                    }
                    None => cx.r.at(
                        &e.referenced,
                        "end next_equals_total needs `total:` (the response field)",
                    ),
                }
                end.push(EndSignal::NextEqualsTotal);
            }
            _ => {}
        }
    }
    if end.is_empty() {
        cx.r.at(&p.referenced, "paging needs at least one `end:` signal");
    }
    Some(Paging {
        style,
        request: raw.request.value.clone(),
        size: raw.size.as_ref().map(|s| s.value.clone()),
        next: raw.next.value.clone(),
        items: raw.items.value.clone(),
        end,
        has_more: raw.has_more.as_ref().map(|s| s.value.clone()),
        total: raw.total.as_ref().map(|s| s.value.clone()),
    })
}

/// Marks each struct as used by requests, responses or both, following field types.
fn mark_usage(m: &mut Module) {
    fn walk(m: &Module, ty: &Type, out: &mut Vec<String>) {
        match ty {
            Type::Struct(n) if !out.contains(n) => {
                out.push(n.clone());
                if let Some(s) = m.find_struct(n) {
                    for f in &s.fields {
                        walk(m, &f.ty, out);
                    }
                }
            }
            Type::List(t) | Type::Delimited(_, t) => walk(m, t, out),
            _ => {}
        }
    }
    let mut req = Vec::new();
    let mut resp = Vec::new();
    for e in &m.endpoints {
        walk(m, &Type::Struct(e.request.clone()), &mut req);
        walk(m, &e.response, &mut resp);
    }
    for s in &mut m.structs {
        s.usage.request = req.contains(&s.name);
        s.usage.response = resp.contains(&s.name);
    }
}
