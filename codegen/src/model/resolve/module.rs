//! One module file: declare its named types, resolve its enums, types and endpoints, then check
//! how its structs refer to each other.

use super::super::keywords::WireString;
use super::super::names;
use super::super::*;
use super::vendor::{VendorCtx, placeholder};
use super::{ModuleCtx, Reporter};
use crate::diagnostics::Diagnostics;
use crate::spec::raw;
use serde_saphyr::{Location, Spanned};
use std::collections::{BTreeMap, HashMap};

pub(super) fn resolve_module(
    file: &str,
    m: &raw::ModuleFile,
    endpoints: &[Spanned<raw::Endpoint>],
    vendor: &VendorCtx,
    is_core: bool,
    problems: &mut Diagnostics,
) -> Module {
    let mut cx = ModuleCtx {
        r: Reporter { file, problems },
        names: BTreeMap::new(),
        structs: Vec::new(),
        struct_locs: Vec::new(),
        enums: Vec::new(),
        owner: None,
        event_owner: None,
        reserved: reserved_names(vendor, m, is_core),
    };
    let name = module_name(&mut cx.r, file, &m.module, is_core);

    // Declare every named type first so fields may refer to types defined further down.
    let enum_ids: Vec<_> = m
        .enums
        .iter()
        .map(|(n, _)| {
            let ident = written_type_name(&mut cx.r, n, "enum")?;
            cx.new_enum(ident, &n.referenced)
        })
        .collect();
    let struct_ids: Vec<_> = m
        .types
        .iter()
        .map(|(n, t)| {
            let ident = written_type_name(&mut cx.r, n, "type")?;
            cx.new_struct(ident, Docs::of(&t.doc, &t.en, &t.note), &n.referenced)
        })
        .collect();
    for (id, (n, e)) in enum_ids.into_iter().zip(m.enums.iter()) {
        if let Some(id) = id {
            resolve_enum(&mut cx, id, n, e);
        }
    }
    for (id, (_, t)) in struct_ids.into_iter().zip(m.types.iter()) {
        if let Some(id) = id {
            let fields = super::fields::resolve_fields(&mut cx, &t.fields, FieldPlace::Body);
            cx.structs[id.0].fields = fields;
        }
    }

    let mut out = Vec::new();
    for e in endpoints {
        cx.owner = Some(out.len());
        if let Some(ep) = super::endpoint::resolve_endpoint(&mut cx, e, vendor) {
            out.push(ep);
        }
    }

    cx.owner = None;
    let mut events = Vec::new();
    for e in &m.events {
        cx.event_owner = Some(events.len());
        if let Some(ev) = super::event::resolve_event(&mut cx, e, vendor) {
            events.push(ev);
        }
    }
    cx.event_owner = None;

    let mut module = Module {
        name: name.unwrap_or_else(placeholder),
        title: m.title.clone(),
        doc_url: m.doc_url.clone(),
        secret_env: m.secret_env.clone(),
        file: file.to_owned(),
        structs: cx.structs,
        enums: cx.enums,
        endpoints: out,
        events,
    };
    super::graph::refuse_cycles(&mut cx.r, &module, &cx.struct_locs);
    super::graph::mark_usage(&mut module);
    module
}

/// Names the generated file of this module defines on its own.
fn reserved_names(vendor: &VendorCtx, m: &raw::ModuleFile, is_core: bool) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    if is_core {
        for n in ["Host", "Client", "ClientBuilder"] {
            out.push((n.to_owned(), "the vendor's client types"));
        }
        out.push(("ENDPOINT_IDS".to_owned(), "the list of endpoint ids"));
        out.push(("Event".to_owned(), "the vendor's enum of pushed events"));
        out.push(("EVENT_IDS".to_owned(), "the list of event ids"));
        if let Some(v) = &vendor.name {
            out.push((v.shouty().suffixed("_PROFILE").to_string(), "the vendor's profile"));
        }
    } else if m.secret_env.is_some() {
        out.push(("SECRET_ENV".to_owned(), "the module's `secret_env` const"));
    }
    out
}

/// The module's name; `is_core` for the endpoints of vendor.yaml itself, which stand as `core`.
fn module_name(r: &mut Reporter, file: &str, module: &Spanned<String>, is_core: bool) -> Option<names::RustIdent> {
    if module.value == "core" && !is_core {
        r.at(&module.referenced, "module 'core' is reserved for vendor.yaml");
        return None;
    }
    // vendor.yaml's endpoints stand as `core`, a name only it may have.
    let made = if is_core {
        names::snake(&module.value, "module")
    } else {
        names::module(&module.value)
    };
    let name = r.name(&module.referenced, made)?;
    if !is_core {
        let stem = file.rsplit('/').next().unwrap_or_default().trim_end_matches(".yaml");
        if stem != module.value {
            r.at(
                &module.referenced,
                format!("module '{}' must match its file name '{stem}.yaml'", module.value),
            );
        }
    }
    Some(name)
}

/// A type name as written under `types:`/`enums:` or in `name:`: UpperCamelCase, and a valid
/// Rust name that shadows nothing.
pub(super) fn written_type_name(r: &mut Reporter, n: &Spanned<String>, what: &str) -> Option<names::RustIdent> {
    if !names::is_upper_camel(&n.value) {
        r.at(
            &n.referenced,
            format!("{what} name '{}' must be UpperCamelCase", n.value),
        );
        return None;
    }
    r.name(&n.referenced, names::type_name(&n.value))
}

fn resolve_enum(cx: &mut ModuleCtx, id: EnumId, name: &Spanned<String>, e: &raw::Enum) {
    let Some(wire) = cx.r.keyword::<EnumWire>(&e.ty) else {
        return;
    };
    let wire_string = match &e.wire {
        None => false,
        Some(w) => {
            let known = cx.r.keyword::<WireString>(w).is_some();
            if known && wire == EnumWire::String {
                cx.r.at(
                    &w.referenced,
                    format!(
                        "enum {}: `wire: string` is for integer enums whose values travel as strings; this one is a string enum already",
                        name.value
                    ),
                );
            }
            known && wire != EnumWire::String
        }
    };
    let mut values: Vec<EnumValue> = Vec::new();
    let mut variants: HashMap<names::RustIdent, Location> = HashMap::new();
    for v in &e.values {
        let val = &v.value.value;
        let literal = match (wire, &val.value) {
            (EnumWire::Int(w), serde_json::Value::Number(n)) => match n.as_i64() {
                Some(i) if w.fits(i.into()) => EnumLiteral::Int(i),
                _ => {
                    cx.r.at(
                        &val.referenced,
                        format!("enum value {} does not fit {}", val.value, e.ty.value),
                    );
                    continue;
                }
            },
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
        if vname.value == "unknown" {
            cx.r.at(
                &vname.referenced,
                "enum value name 'unknown' is reserved for values the spec does not list",
            );
            continue;
        }
        let Some(variant) = cx.r.name(&vname.referenced, names::variant(&vname.value)) else {
            continue;
        };
        let clash = |first: &str| {
            format!(
                "enum value name '{}' becomes variant {variant}, already used at {first}",
                vname.value
            )
        };
        if !cx.r.claim(&mut variants, variant.clone(), &vname.referenced, clash) {
            continue;
        }
        values.push(EnumValue {
            value: literal,
            variant,
            docs: Docs::of(&Some(v.value.doc.clone()), &v.value.en, &None),
        });
    }
    if e.values.is_empty() {
        cx.r.at(&name.referenced, format!("enum {} has no values", name.value));
    }
    let target = &mut cx.enums[id.0];
    target.docs = Docs::of(&e.doc, &e.en, &e.note);
    target.wire = wire;
    target.wire_string = wire_string;
    target.values = values;
}
