//! Pushed events: `events:` of vendor.yaml (format, discriminators, header fields) and each module's
//! `events:` entries: their struct (header fields first), the discriminator values that select them,
//! and the page's example push, read as the runtime reads it and checked against the fields.

use super::super::names;
use super::super::types::Type;
use super::super::*;
use super::module::written_type_name;
use super::vendor::VendorCtx;
use super::{ModuleCtx, Reporter};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::spec::load::RawVendor;
use crate::spec::raw;
use serde_json::Value;
use serde_saphyr::{Location, Spanned};
use std::collections::HashMap;

/// `events:` of vendor.yaml: a known format, at least one discriminator, no name twice.
pub(super) fn event_format(r: &mut Reporter, e: &Spanned<raw::EventFormat>) -> Option<EventFormat> {
    let raw = &e.value;
    let format = r.keyword::<PushFormat>(&raw.format);
    if raw.discriminators.is_empty() {
        r.at(
            &e.referenced,
            "`events.discriminators` needs at least one field name (the field that says which event a push is)",
        );
    }
    let mut seen: HashMap<String, Location> = HashMap::new();
    let mut ok = true;
    for d in &raw.discriminators {
        if let Err(msg) = names::wire_name(&d.value) {
            r.at(&d.referenced, format!("events discriminator: {msg}"));
            ok = false;
        }
        let clash = |first: &str| format!("events discriminator '{}' is listed twice (first at {first})", d.value);
        ok &= r.claim(&mut seen, d.value.clone(), &d.referenced, clash);
    }
    Some(EventFormat {
        format: format?,
        discriminators: raw.discriminators.iter().map(|d| d.value.clone()).collect(),
        header: raw.header.iter().map(|(k, _)| k.value.clone()).collect(),
    })
    .filter(|_| ok && !raw.discriminators.is_empty())
}

/// One event of a module: its struct, its discriminator values, its checked example.
pub(super) fn resolve_event(cx: &mut ModuleCtx, e: &Spanned<raw::Event>, vendor: &VendorCtx) -> Option<Event> {
    let raw = &e.value;
    let Some((format_raw, format)) = vendor.events else {
        cx.r.at(
            &raw.id.referenced,
            "this module has `events:` but vendor.yaml has no `events:` (format, discriminators, header)",
        );
        return None;
    };
    let id = cx.r.name(
        &raw.id.referenced,
        names::snake(&raw.id.value, "event id")
            .map_err(|m| format!("{m} (it becomes a variant of the vendor's `Event`)")),
    );
    if raw.id.value == "unknown" {
        cx.r.at(
            &raw.id.referenced,
            "event id 'unknown' is reserved for `Event::Unknown` (pushes the spec does not list)",
        );
        return None;
    }
    let struct_name = match &raw.name {
        Some(n) => written_type_name(&mut cx.r, n, "event type"),
        None => {
            cx.r.name(&raw.id.referenced, names::type_name(&format!("{}_event", raw.id.value)))
        }
    };
    for (k, _) in raw.fields.iter() {
        if format_raw.header.get(&k.value).is_some() {
            cx.r.at(
                &k.referenced,
                format!(
                    "field '{}' is a header field of vendor.yaml `events.header`, which every event has already",
                    k.value
                ),
            );
        }
    }
    let sid = cx.new_struct(struct_name?, Docs::of(&raw.doc, &raw.en, &raw.note), &raw.id.referenced)?;
    let mut fields = super::fields::resolve_fields(cx, &format_raw.header, FieldPlace::Body);
    let own: Vec<Field> = super::fields::resolve_fields(cx, &raw.fields, FieldPlace::Body)
        .into_iter()
        .filter(|f| !fields.iter().any(|h| h.wire == *f.wire.as_str()))
        .collect();
    fields.extend(own);
    cx.structs[sid.0].fields = fields;

    let on = discriminator_values(cx, e, &format_raw.discriminators, sid);
    let example = event_example(cx, &raw.example, format, sid, &on);
    let (id, example) = (id?, example?);
    Some(Event {
        variant: id.camel(),
        id,
        title: raw.title.clone(),
        doc_url: raw.doc_url.clone(),
        docs: Docs::of(&raw.doc, &raw.en, &raw.note),
        on,
        strukt: sid,
        example,
    })
}

/// `on:` in the vendor's discriminator order; each key a discriminator and a string field of the
/// event, the first discriminator always given.
fn discriminator_values(
    cx: &mut ModuleCtx,
    e: &Spanned<raw::Event>,
    discriminators: &[Spanned<String>],
    sid: StructId,
) -> Vec<(String, String)> {
    let raw = &e.value;
    let names: Vec<&str> = discriminators.iter().map(|d| d.value.as_str()).collect();
    for (k, v) in raw.on.iter() {
        if !names.contains(&k.value.as_str()) {
            cx.r.at(
                &k.referenced,
                format!(
                    "'{}' is not one of vendor.yaml `events.discriminators` ({})",
                    k.value,
                    names.join(", ")
                ),
            );
            continue;
        }
        if v.trim().is_empty() {
            cx.r.at(&k.referenced, format!("discriminator '{}' needs a value", k.value));
        }
        let field = cx.structs[sid.0].fields.iter().find(|f| f.wire == *k.value.as_str());
        if !field.is_some_and(|f| f.ty == Type::String) {
            cx.r.at(
                &k.referenced,
                format!(
                    "discriminator '{}' must be a `string` field of the event (in `fields:` or vendor.yaml `events.header`)",
                    k.value
                ),
            );
        }
    }
    if let Some(first) = names.first()
        && raw.on.get(first).is_none()
    {
        cx.r.at(
            &raw.id.referenced,
            format!("event '{}' needs `on:` with a value for '{first}'", raw.id.value),
        );
    }
    names
        .iter()
        .filter_map(|n| raw.on.get(n).map(|v| ((*n).to_owned(), v.clone())))
        .collect()
}

/// The example push: parsed as the runtime parses it, read by the declared types, checked against
/// the fields and the discriminator values.
fn event_example(
    cx: &mut ModuleCtx,
    ex: &Spanned<raw::EventExample>,
    format: PushFormat,
    sid: StructId,
    on: &[(String, String)],
) -> Option<EventExample> {
    let raw = &ex.value;
    let source = super::example::example_source(cx, &raw.source, raw.note.as_deref());
    let at = raw.payload.referenced;
    let parsed = match format {
        PushFormat::Xml => super::super::xml::to_value(&raw.payload.value).map(Value::Object),
        PushFormat::Json => serde_json::from_str::<Value>(&raw.payload.value)
            .map_err(|e| format!("line {} of the block, column {}: {e}", e.line(), e.column())),
    };
    let value = match parsed {
        Ok(v) if v.is_object() => v,
        Ok(_) => {
            cx.r.at(&at, "example payload must be an object (the push's top-level fields)");
            return None;
        }
        Err(msg) => {
            let what = if format == PushFormat::Xml { "XML" } else { "JSON" };
            cx.r.at(&at, format!("example payload is not {what}: {msg}"));
            return None;
        }
    };
    let types = Types {
        structs: &cx.structs,
        enums: &cx.enums,
    };
    let value = if format == PushFormat::Xml {
        types.read_text(&Type::Struct(sid), value)
    } else {
        value
    };
    let mut errs = Vec::new();
    types.check(&Type::Struct(sid), false, false, &value, "payload", &mut errs);
    for (k, want) in on {
        match value.get(k).and_then(Value::as_str) {
            Some(got) if got == want => {}
            got => errs.push(format!(
                "payload: discriminator '{k}' is {}, but the event's `on:` says \"{want}\"",
                got.map_or("missing".to_owned(), |g| format!("\"{g}\""))
            )),
        }
    }
    for e in errs {
        cx.r.at(&at, format!("example {e}"));
    }
    Some(EventExample {
        source: source?,
        note: raw.note.clone(),
        payload: raw.payload.value.clone(),
        value,
    })
}

/// Event ids are unique per vendor, and no push may match two events: for each pair, some
/// discriminator both give must differ.
pub(super) fn event_keys(rv: &RawVendor, problems: &mut Diagnostics) {
    let mut seen_ids: HashMap<String, (String, Location)> = HashMap::new();
    let mut keys: Vec<(&str, &raw::Event)> = Vec::new();
    for (file, m) in &rv.modules {
        for e in &m.events {
            let ev = &e.value;
            if let Some((f0, l0)) = seen_ids.get(&ev.id.value) {
                problems.push(Diagnostic::at(
                    file,
                    &ev.id.referenced,
                    format!(
                        "event id '{}' is already used by the event at {f0}:{}:{}; event ids must be unique per vendor",
                        ev.id.value,
                        l0.line(),
                        l0.column()
                    ),
                ));
                continue;
            }
            seen_ids.insert(ev.id.value.clone(), (file.clone(), ev.id.referenced));
            if let Some((f0, other)) = keys.iter().find(|(_, o)| overlaps(o, ev)) {
                problems.push(Diagnostic::at(
                    file,
                    &ev.id.referenced,
                    format!(
                        "event '{}' has the discriminators of event '{}' ({f0}:{}:{}): a push would match both; give them different `on:` values",
                        ev.id.value,
                        other.id.value,
                        other.id.referenced.line(),
                        other.id.referenced.column()
                    ),
                ));
                continue;
            }
            keys.push((file, ev));
        }
    }
}

/// Whether some push matches both events: no discriminator that both give differs.
fn overlaps(a: &raw::Event, b: &raw::Event) -> bool {
    a.on.iter().all(|(k, v)| b.on.get(&k.value).is_none_or(|w| w == v))
}
