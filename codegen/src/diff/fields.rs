//! The walk into one endpoint's request and response: named types matched by their position in
//! the type tree, fields by wire name (then by Rust name, then by a rename guess), enum values by
//! their wire value. What each difference means depends on the side it is reached from.

use super::changes::{Change, Class, Kind, Scope};
use crate::model::{Docs, EnumId, EnumLiteral, EnumWire, Field, FieldPlace, Limits, Module, Struct, StructId, Type};
use std::collections::HashSet;

/// Which half of an exchange a type is reached from: the rules differ (a new required field
/// breaks a request's constructor, but only adds a field to a response).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Side {
    /// Built by the user with `new(..)` and setters.
    Request,
    /// Read by the user from public fields.
    Response,
}

/// The comparison of one endpoint's types, old module against new.
pub(super) struct TypeWalk<'a> {
    scope: &'a Scope,
    om: &'a Module,
    nm: &'a Module,
    out: &'a mut Vec<Change>,
    /// Struct pairs already compared, so a shared or recursive type is walked once per side.
    seen_structs: HashSet<(Side, StructId, StructId)>,
    seen_enums: HashSet<(EnumId, EnumId)>,
}

impl<'a> TypeWalk<'a> {
    /// A walk that records into `out`.
    pub(super) fn new(scope: &'a Scope, om: &'a Module, nm: &'a Module, out: &'a mut Vec<Change>) -> Self {
        TypeWalk {
            scope,
            om,
            nm,
            out,
            seen_structs: HashSet::new(),
            seen_enums: HashSet::new(),
        }
    }

    fn push(&mut self, class: Class, kind: Kind, at: &str, old: Option<String>, new: Option<String>, why: String) {
        let change = self.scope.change(class, kind, Some(at.to_owned()), old, new, why);
        self.out.push(change);
    }

    /// The request structs; their fields are located as `request.body.x` or `request.query.x`.
    pub(super) fn request(&mut self, so: &Struct, sn: &Struct) {
        self.strukt(Side::Request, "request", so, sn, true);
    }

    /// A root type (the response payload): its Rust type, wire format, and what it contains.
    pub(super) fn root(&mut self, side: Side, at: &str, o: &Type, n: &Type) {
        let (ro, rn) = (rust_shape(self.om, o, false), rust_shape(self.nm, n, false));
        if ro != rn {
            let why = format!("the method returns `{rn}` instead of `{ro}`");
            self.push(Class::Breaking, Kind::FieldRetyped, at, Some(ro), Some(rn), why);
        } else {
            let (so, sn) = (spec_shape(self.om, o), spec_shape(self.nm, n));
            if so != sn {
                let why = "same Rust type, another wire format".to_owned();
                self.push(Class::Behaviour, Kind::WireFormatChanged, at, Some(so), Some(sn), why);
            }
        }
        self.descend(side, at.to_owned(), o, n);
    }

    /// Into the named types at the same position of two types (through lists).
    fn descend(&mut self, side: Side, at: String, o: &Type, n: &Type) {
        match (o, n) {
            (Type::List(a) | Type::Delimited(_, a), Type::List(b) | Type::Delimited(_, b)) => {
                self.descend(side, format!("{at}[]"), a, b)
            }
            // The guard records the pair, so a shared or recursive struct is compared once.
            (Type::Struct(a), Type::Struct(b)) if self.seen_structs.insert((side, *a, *b)) => {
                let (om, nm) = (self.om, self.nm);
                self.strukt(side, &at, om.strukt(*a), nm.strukt(*b), false);
            }
            (Type::Enum(a), Type::Enum(b)) => self.enumeration(&at, *a, *b),
            _ => {}
        }
    }

    fn strukt(&mut self, side: Side, at: &str, so: &Struct, sn: &Struct, top_request: bool) {
        if so.name != sn.name {
            let why = format!("code that names `{}` must now name `{}`", so.name, sn.name);
            self.push(
                Class::Breaking,
                Kind::TypeRenamed,
                at,
                Some(so.name.to_string()),
                Some(sn.name.to_string()),
                why,
            );
        }
        self.docs(at, &so.docs, &sn.docs);
        let has_required = |s: &Struct| s.fields.iter().any(|f| f.required);
        if !has_required(so) && has_required(sn) {
            let why = format!(
                "`{}` has a required field now, so it no longer derives `Default`",
                sn.name
            );
            self.push(Class::Breaking, Kind::DefaultLost, at, None, None, why);
        }
        let path = |f: &Field| {
            if top_request {
                let place = match f.place {
                    FieldPlace::Body => "body",
                    FieldPlace::Query => "query",
                };
                format!("{at}.{place}.{}", f.wire)
            } else {
                format!("{at}.{}", f.wire)
            }
        };
        let mut removed: Vec<&Field> = Vec::new();
        let mut pairs: Vec<(&Field, &Field)> = Vec::new();
        for f in &so.fields {
            match sn.fields.iter().find(|x| x.wire == f.wire) {
                Some(nf) => pairs.push((f, nf)),
                None => removed.push(f),
            }
        }
        let mut added: Vec<&Field> = sn
            .fields
            .iter()
            .filter(|f| !so.fields.iter().any(|x| x.wire == f.wire))
            .collect();
        // Same Rust name, other wire name: the spec corrected what travels.
        removed.retain(|&f| match added.iter().position(|x| x.rust == f.rust) {
            Some(i) => {
                let nf = added.remove(i);
                let why = format!("the same field `{}` now travels as `{}`", nf.rust, nf.wire);
                let (old, new) = (Some(f.wire.to_string()), Some(nf.wire.to_string()));
                self.push(Class::Behaviour, Kind::WireNameChanged, &path(nf), old, new, why);
                pairs.push((f, nf));
                false
            }
            None => true,
        });
        // The rename guess: exactly one removed and one added field of the same Rust type and place.
        let key = |m: &Module, f: &Field| (rust_shape(m, &f.ty, f.secret), f.place);
        let mut guessed = Vec::new();
        for &f in &removed {
            let k = key(self.om, f);
            let olds = removed.iter().filter(|&&x| key(self.om, x) == k).count();
            let news: Vec<usize> = (0..added.len()).filter(|&i| key(self.nm, added[i]) == k).collect();
            if olds == 1 && news.len() == 1 {
                guessed.push((f, news[0]));
            }
        }
        let mut taken: Vec<usize> = guessed.iter().map(|&(_, i)| i).collect();
        for &(f, i) in &guessed {
            let nf = added[i];
            let why = format!(
                "one field of this type and place went and one came, so this is taken for a rename: \
                 code that uses `{}` must use `{}`",
                f.rust, nf.rust
            );
            let (old, new) = (Some(f.wire.to_string()), Some(nf.wire.to_string()));
            self.push(Class::Breaking, Kind::FieldRenamed, &path(nf), old, new, why);
            pairs.push((f, nf));
        }
        removed.retain(|f| !guessed.iter().any(|(g, _)| std::ptr::eq(*g, *f)));
        taken.sort_unstable();
        for i in taken.into_iter().rev() {
            added.remove(i);
        }
        for f in removed {
            let why = match side {
                Side::Request if f.required => format!("`{}::new` loses its parameter `{}`", so.name, f.rust),
                Side::Request => format!("the setter `{}` is gone", f.rust),
                Side::Response => format!("the field `{}` of `{}` is gone", f.rust, so.name),
            };
            self.push(
                Class::Breaking,
                Kind::FieldRemoved,
                &path(f),
                Some(field_text(self.om, f)),
                None,
                why,
            );
        }
        for f in added {
            let (class, why) = match side {
                Side::Request if f.required => (
                    Class::Breaking,
                    format!("a new required request field is a new parameter of `{}::new`", sn.name),
                ),
                Side::Request => (
                    Class::Compatible,
                    format!("a new optional request field: a new setter `{}`", f.rust),
                ),
                Side::Response => (
                    Class::Compatible,
                    format!("a new response field; `{}` is `#[non_exhaustive]`", sn.name),
                ),
            };
            self.push(
                class,
                Kind::FieldAdded,
                &path(f),
                None,
                Some(field_text(self.nm, f)),
                why,
            );
        }
        if side == Side::Request {
            self.constructor_order(at, so, sn);
        }
        for (f, nf) in pairs {
            self.field(side, &path(nf), &sn.name, f, nf);
        }
    }

    /// The constructor takes the required fields in spec order: the same ones in another order
    /// change its signature even when every type matches.
    fn constructor_order(&mut self, at: &str, so: &Struct, sn: &Struct) {
        let both = |a: &Struct, b: &Struct| -> Vec<String> {
            a.fields
                .iter()
                .filter(|f| f.required && b.fields.iter().any(|x| x.required && x.wire == f.wire))
                .map(|f| f.wire.to_string())
                .collect()
        };
        let (o, n) = (both(so, sn), both(sn, so));
        if o != n {
            let why = format!("`{}::new` takes its parameters in another order", sn.name);
            self.push(
                Class::Breaking,
                Kind::ConstructorReordered,
                at,
                Some(o.join(", ")),
                Some(n.join(", ")),
                why,
            );
        }
    }

    fn field(&mut self, side: Side, at: &str, owner: &str, f: &Field, nf: &Field) {
        if f.rust != nf.rust && f.wire == nf.wire {
            let why = format!(
                "same wire name, so only Rust code changes: `{}` is now `{}`",
                f.rust, nf.rust
            );
            self.push(
                Class::Breaking,
                Kind::RustNameChanged,
                at,
                Some(f.rust.to_string()),
                Some(nf.rust.to_string()),
                why,
            );
        }
        if f.place != nf.place {
            let why = "the client sends it in the other part of the request".to_owned();
            let place = |p: FieldPlace| Some(format!("{p:?}").to_lowercase());
            self.push(
                Class::Behaviour,
                Kind::PlaceChanged,
                at,
                place(f.place),
                place(nf.place),
                why,
            );
        }
        let (ro, rn) = (
            rust_shape(self.om, &f.ty, f.secret),
            rust_shape(self.nm, &nf.ty, nf.secret),
        );
        if f.required != nf.required {
            let (kind, why) = match (side, nf.required) {
                (Side::Request, true) => (
                    Kind::MadeRequired,
                    format!(
                        "`{}` becomes a parameter of `{owner}::new` and loses its setter",
                        nf.rust
                    ),
                ),
                (Side::Request, false) => (
                    Kind::MadeOptional,
                    format!("`{}` leaves `{owner}::new` and gets a setter", nf.rust),
                ),
                (Side::Response, true) => (
                    Kind::MadeRequired,
                    format!("its type changes from `Option<{ro}>` to `{rn}`"),
                ),
                (Side::Response, false) => (
                    Kind::MadeOptional,
                    format!("its type changes from `{ro}` to `Option<{rn}>`"),
                ),
            };
            let word = |r: bool| Some(if r { "required" } else { "optional" }.to_owned());
            self.push(Class::Breaking, kind, at, word(f.required), word(nf.required), why);
        }
        if ro != rn {
            let why = format!("the Rust type changes from `{ro}` to `{rn}`");
            self.push(
                Class::Breaking,
                Kind::FieldRetyped,
                at,
                Some(type_text(self.om, f)),
                Some(type_text(self.nm, nf)),
                why,
            );
        } else {
            let (wo, wn) = (type_text(self.om, f), type_text(self.nm, nf));
            if wo != wn {
                let why = format!("same Rust type `{rn}`, another wire format");
                self.push(Class::Behaviour, Kind::WireFormatChanged, at, Some(wo), Some(wn), why);
            }
        }
        self.limits(side, at, &f.limits, &nf.limits);
        self.field_docs(at, f, nf);
        self.descend(side, at.to_owned(), &f.ty, &nf.ty);
    }

    fn limits(&mut self, side: Side, at: &str, o: &Limits, n: &Limits) {
        let int = |v: Option<i64>| v.map(i128::from);
        let uint = |v: Option<u64>| v.map(i128::from);
        // (name, old, new, whether a larger value is stricter)
        let table = [
            ("min", int(o.min), int(n.min), true),
            ("max", int(o.max), int(n.max), false),
            ("min_items", uint(o.min_items), uint(n.min_items), true),
            ("max_items", uint(o.max_items), uint(n.max_items), false),
            ("min_bytes", uint(o.min_bytes), uint(n.min_bytes), true),
            ("max_bytes", uint(o.max_bytes), uint(n.max_bytes), false),
            ("min_chars", uint(o.min_chars), uint(n.min_chars), true),
            ("max_chars", uint(o.max_chars), uint(n.max_chars), false),
        ];
        for (name, old, new, larger_is_stricter) in table {
            let tightened = match (old, new) {
                (a, b) if a == b => continue,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) => (b > a) == larger_is_stricter,
                (None, None) => continue,
            };
            let text = |v: Option<i128>| Some(v.map_or_else(|| format!("{name} (none)"), |v| format!("{name} {v}")));
            let (class, kind, why) = match (side, tightened) {
                (Side::Request, true) => (
                    Class::Behaviour,
                    Kind::LimitTightened,
                    "source-compatible, but calls that passed may now be refused before sending (`check_limits`) or by the vendor",
                ),
                (Side::Request, false) => (Class::Compatible, Kind::LimitLoosened, "more values are accepted"),
                (Side::Response, true) => (
                    Class::Compatible,
                    Kind::LimitTightened,
                    "documentation of what the vendor sends",
                ),
                (Side::Response, false) => (
                    Class::Compatible,
                    Kind::LimitLoosened,
                    "documentation of what the vendor sends",
                ),
            };
            self.push(class, kind, at, text(old), text(new), why.to_owned());
        }
        // `items:` limits each element of a list, checked like a field of its own (`to[]`).
        if o.each_item != n.each_item {
            let none = Limits::default();
            let (oi, ni) = (o.each_item.as_deref(), n.each_item.as_deref());
            self.limits(side, &format!("{at}[]"), oi.unwrap_or(&none), ni.unwrap_or(&none));
        }
    }

    /// What rustdoc shows of a field: its `default` (where computed paging reads it, `paging.rs`
    /// also reports the behaviour change), its `example`, and its vendor text. `note` is left
    /// out: it never reaches rustdoc.
    fn field_docs(&mut self, at: &str, f: &Field, nf: &Field) {
        if f.default != nf.default {
            let text =
                |v: &Option<serde_json::Value>| Some(v.as_ref().map_or_else(|| "(none)".to_owned(), |v| v.to_string()));
            let why = "documentation only: the field's rustdoc states the default the vendor applies".to_owned();
            self.push(
                Class::Compatible,
                Kind::DefaultChanged,
                at,
                text(&f.default),
                text(&nf.default),
                why,
            );
        }
        if f.example != nf.example {
            let text = |v: &Option<serde_json::Value>| {
                Some(
                    v.as_ref()
                        .map_or_else(|| "(none)".to_owned(), |v| super::docs::short(&v.to_string())),
                )
            };
            let why = "documentation only: the field's rustdoc and the method's usage example show it".to_owned();
            self.push(
                Class::Compatible,
                Kind::ExampleChanged,
                at,
                text(&f.example),
                text(&nf.example),
                why,
            );
        }
        self.docs(at, &f.docs, &nf.docs);
    }

    /// A change of `doc` or `en` (rustdoc); `note` stays in the spec and is not compared.
    pub(super) fn docs(&mut self, at: &str, o: &Docs, n: &Docs) {
        if let Some(change) = super::docs::doc_change(self.scope, at, o, n) {
            self.out.push(change);
        }
    }
    fn enumeration(&mut self, at: &str, a: EnumId, b: EnumId) {
        if !self.seen_enums.insert((a, b)) {
            return;
        }
        let (eo, en) = (self.om.enumeration(a), self.nm.enumeration(b));
        if eo.name != en.name {
            let why = format!("code that names `{}` must now name `{}`", eo.name, en.name);
            self.push(
                Class::Breaking,
                Kind::TypeRenamed,
                at,
                Some(eo.name.to_string()),
                Some(en.name.to_string()),
                why,
            );
        }
        self.docs(at, &eo.docs, &en.docs);
        if eo.wire_string != en.wire_string {
            let why = format!(
                "same Rust enum `{}`, but its values now travel as JSON {}",
                en.name,
                if en.wire_string { "strings (\"1\")" } else { "numbers" }
            );
            let text = |s: bool| Some(if s { "wire: string" } else { "wire: number" }.to_owned());
            self.push(
                Class::Behaviour,
                Kind::WireFormatChanged,
                at,
                text(eo.wire_string),
                text(en.wire_string),
                why,
            );
        }
        if eo.wire != en.wire {
            let why = format!("`{}::Unknown(..)` and `code()` carry another type", en.name);
            self.push(
                Class::Breaking,
                Kind::EnumWireChanged,
                at,
                Some(wire_text(eo.wire)),
                Some(wire_text(en.wire)),
                why,
            );
        }
        for v in &eo.values {
            let value = literal(&v.value);
            match en.values.iter().find(|x| x.value == v.value) {
                None => {
                    let why = format!("the variant `{}::{}` is gone", eo.name, v.variant);
                    self.push(
                        Class::Breaking,
                        Kind::EnumValueRemoved,
                        at,
                        Some(format!("{value} ({})", v.variant)),
                        None,
                        why,
                    );
                }
                Some(nv) if nv.variant != v.variant => {
                    let why = format!(
                        "the variant `{}::{}` is now `{}::{}`",
                        eo.name, v.variant, en.name, nv.variant
                    );
                    self.push(
                        Class::Breaking,
                        Kind::EnumVariantRenamed,
                        at,
                        Some(format!("{value} ({})", v.variant)),
                        Some(format!("{value} ({})", nv.variant)),
                        why,
                    );
                }
                Some(nv) => {
                    let at = format!("{at} {value}");
                    self.docs(&at, &v.docs, &nv.docs);
                }
            }
        }
        for v in en
            .values
            .iter()
            .filter(|v| !eo.values.iter().any(|x| x.value == v.value))
        {
            let why = format!(
                "a new variant `{}::{}`; the enum is `#[non_exhaustive]` (the value used to decode to `Unknown`)",
                en.name, v.variant
            );
            self.push(
                Class::Compatible,
                Kind::EnumValueAdded,
                at,
                None,
                Some(format!("{} ({})", literal(&v.value), v.variant)),
                why,
            );
        }
    }
}

/// The Rust type a value of `ty` has in the generated code (as `emit::types::rust_type` writes it).
pub(super) fn rust_shape(m: &Module, ty: &Type, secret: bool) -> String {
    match ty {
        Type::String if secret => "Secret".into(),
        Type::String => "String".into(),
        Type::Bool => "bool".into(),
        Type::Int(w) => w.rust_name().into(),
        Type::Float64 => "f64".into(),
        Type::UnixSeconds => "UnixSeconds".into(),
        Type::UnixMillis => "UnixMillis".into(),
        Type::DateTime => "DateTime".into(),
        Type::Json => "serde_json::Value".into(),
        Type::Struct(id) => m.strukt(*id).name.to_string(),
        Type::Enum(id) => m.enumeration(*id).name.to_string(),
        Type::List(t) | Type::Delimited(_, t) => format!("Vec<{}>", rust_shape(m, t, false)),
    }
}

/// The type as the spec writes it (`comma_list<int32>`, `ReportPage`).
fn spec_shape(m: &Module, ty: &Type) -> String {
    match ty {
        Type::String => "string".into(),
        Type::Bool => "bool".into(),
        Type::Int(w) => w.spec_name().into(),
        Type::Float64 => "float64".into(),
        Type::UnixSeconds => "unix_seconds".into(),
        Type::UnixMillis => "unix_millis".into(),
        Type::DateTime => "datetime".into(),
        Type::Json => "json".into(),
        Type::Struct(id) => m.strukt(*id).name.to_string(),
        Type::Enum(id) => m.enumeration(*id).name.to_string(),
        Type::List(t) => format!("list<{}>", spec_shape(m, t)),
        Type::Delimited(',', t) => format!("comma_list<{}>", spec_shape(m, t)),
        Type::Delimited(_, t) => format!("semicolon_list<{}>", spec_shape(m, t)),
    }
}

/// The type with what changes its wire form or Rust type: `int64 (wire: string)`, `string (secret)`.
fn type_text(m: &Module, f: &Field) -> String {
    let mut t = spec_shape(m, &f.ty);
    if f.wire_string {
        t.push_str(" (wire: string)");
    }
    if f.secret {
        t.push_str(" (secret)");
    }
    t
}

fn field_text(m: &Module, f: &Field) -> String {
    let required = if f.required { ", required" } else { "" };
    format!("{}{required}", type_text(m, f))
}

fn literal(v: &EnumLiteral) -> String {
    match v {
        EnumLiteral::Int(i) => i.to_string(),
        EnumLiteral::Str(s) => format!("{s:?}"),
    }
}

fn wire_text(w: EnumWire) -> String {
    match w {
        EnumWire::Int(w) => w.spec_name().into(),
        EnumWire::String => "string".into(),
    }
}
