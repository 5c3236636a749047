//! Raw spec -> resolved model, in small passes with one concern each.
//!
//! `vendor` resolves `vendor.yaml` and the names shared across a vendor's modules; `module`
//! declares a file's types and runs the rest per endpoint: `fields` (names and types), `limits`,
//! `endpoint`, `paging`, `example`; then `graph` marks usage and refuses type cycles. A check that
//! fails records a located diagnostic and resolution goes on, so one run reports every problem.

mod endpoint;
mod event;
mod example;
mod fields;
mod graph;
mod limits;
mod module;
mod paging;
mod vendor;

use super::keywords::Keyword;
use super::names::RustIdent;
use super::{Enum, EnumId, Spec, Struct, StructId};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::spec::load::RawVendor;
use serde_saphyr::{Location, Spanned};
use std::collections::BTreeMap;

/// Resolves every vendor, or returns every problem found.
pub fn resolve(raw: &[RawVendor]) -> Result<Spec, Diagnostics> {
    let mut problems = Diagnostics::default();
    let vendors = raw.iter().map(|rv| vendor::resolve_vendor(rv, &mut problems)).collect();
    problems.into_result(Spec { vendors })
}

/// Records located problems for one file.
pub(super) struct Reporter<'a> {
    pub(super) file: &'a str,
    pub(super) problems: &'a mut Diagnostics,
}

impl Reporter<'_> {
    /// Records `msg` at `loc`.
    pub(super) fn at(&mut self, loc: &Location, msg: impl Into<String>) {
        self.problems.push(Diagnostic::at(self.file, loc, msg));
    }

    /// `file:line:col` of `loc`, to name a first definition in a message.
    pub(super) fn place(&self, loc: &Location) -> String {
        format!("{}:{}:{}", self.file, loc.line(), loc.column())
    }

    /// Records that `name` (a Rust name derived from the spec) is made at `loc`; if an earlier
    /// entry of `seen` made it already, reports `clash(first place)` at `loc` instead and returns false.
    pub(super) fn claim<K: std::hash::Hash + Eq>(
        &mut self,
        seen: &mut std::collections::HashMap<K, Location>,
        name: K,
        loc: &Location,
        clash: impl FnOnce(&str) -> String,
    ) -> bool {
        if let Some(first) = seen.get(&name) {
            let first = self.place(first);
            self.at(loc, clash(&first));
            return false;
        }
        seen.insert(name, *loc);
        true
    }

    /// The meaning of a keyword, or `None` after reporting the allowed words at its place.
    pub(super) fn keyword<K: Keyword>(&mut self, word: &Spanned<String>) -> Option<K> {
        K::parse(&word.value).map_err(|msg| self.at(&word.referenced, msg)).ok()
    }

    /// Like [`Self::keyword`], with the message naming the word `what` (`host token`).
    pub(super) fn keyword_as<K: Keyword>(&mut self, word: &Spanned<String>, what: &str) -> Option<K> {
        K::parse(&word.value)
            .map_err(|msg| self.at(&word.referenced, msg.replacen(K::WHAT, what, 1)))
            .ok()
    }

    /// A name made by one of the `names` functions, or `None` after reporting why it cannot be one.
    pub(super) fn name<T>(&mut self, loc: &Location, made: Result<T, String>) -> Option<T> {
        made.map_err(|msg| self.at(loc, msg)).ok()
    }
}

/// What a Rust type name of a module refers to.
#[derive(Clone, Copy)]
pub(super) enum Declared {
    Struct(StructId),
    Enum(EnumId),
}

/// One module file being resolved: its reporter, its type names, and the types made so far.
pub(super) struct ModuleCtx<'a> {
    pub(super) r: Reporter<'a>,
    names: BTreeMap<String, (Declared, Location)>,
    pub(super) structs: Vec<Struct>,
    /// Where each struct was defined, by id.
    pub(super) struct_locs: Vec<Location>,
    pub(super) enums: Vec<Enum>,
    /// The endpoint being resolved (its index), which owns the structs made meanwhile.
    pub(super) owner: Option<usize>,
    /// The event being resolved (its index), which owns the structs made meanwhile.
    pub(super) event_owner: Option<usize>,
    /// Names the generated file defines besides the spec's (`Client` beside vendor.yaml's types,
    /// `SECRET_ENV` beside an endpoint's const), each with what it is.
    pub(super) reserved: Vec<(String, &'static str)>,
}

impl ModuleCtx<'_> {
    /// Claims a Rust type name for a new struct (with no fields yet) and returns its id; a second
    /// claim of a name is an error naming both places.
    pub(super) fn new_struct(&mut self, name: RustIdent, docs: super::Docs, loc: &Location) -> Option<StructId> {
        if self.refuse_reserved(&name, loc) {
            return None;
        }
        if let Some((_, first)) = self.names.get(name.as_str()) {
            let first = self.r.place(first);
            self.r.at(
                loc,
                format!("Rust type name '{name}' is already defined at {first}; pick another `name:`"),
            );
            return None;
        }
        let id = StructId(self.structs.len());
        self.names
            .insert(name.as_str().to_owned(), (Declared::Struct(id), *loc));
        self.structs.push(Struct {
            name,
            owner: self.owner,
            event: self.event_owner,
            docs,
            fields: Vec::new(),
            usage: super::Usage::default(),
        });
        self.struct_locs.push(*loc);
        Some(id)
    }

    /// Claims a Rust type name for an enum, filled in later.
    pub(super) fn new_enum(&mut self, name: RustIdent, loc: &Location) -> Option<EnumId> {
        if self.refuse_reserved(&name, loc) {
            return None;
        }
        if let Some((_, first)) = self.names.get(name.as_str()) {
            let first = self.r.place(first);
            self.r
                .at(loc, format!("Rust type name '{name}' is already defined at {first}"));
            return None;
        }
        let id = EnumId(self.enums.len());
        self.names.insert(name.as_str().to_owned(), (Declared::Enum(id), *loc));
        self.enums.push(Enum {
            name,
            docs: super::Docs::default(),
            wire: super::EnumWire::String,
            wire_string: false,
            values: Vec::new(),
        });
        Some(id)
    }

    /// Reports `name` at `loc` if the generated file already uses it; true if it does.
    pub(super) fn refuse_reserved(&mut self, name: &RustIdent, loc: &Location) -> bool {
        let Some((_, what)) = self.reserved.iter().find(|(n, _)| n == name.as_str()) else {
            return false;
        };
        let msg = format!("Rust name '{name}' is taken by {what} in the same generated file; pick another");
        self.r.at(loc, msg);
        true
    }

    /// What a type name written in the spec refers to.
    pub(super) fn lookup(&self, name: &str) -> Option<Declared> {
        self.names.get(name).map(|(d, _)| *d)
    }

    /// Every declared type name, for an "unknown type" message.
    pub(super) fn declared_names(&self) -> Vec<&str> {
        self.names.keys().map(String::as_str).collect()
    }
}
