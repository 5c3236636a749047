//! Writing Rust from the model: tokens with `quote`, checked by `syn`, printed by `prettyplease`.
//!
//! A file is a list of [`Section`]s: a module's shared types, then one section per endpoint with
//! everything of that endpoint together (request and response types, wire facts, methods). Items
//! are printed one by one and joined with blank lines. Output order follows the spec, so the same
//! spec always gives byte-identical files.

mod docs;
mod endpoints;
mod events;
mod limits;
mod paging;
mod types;
mod usage;
mod vendor;

pub use vendor::feature;

use crate::model::{Module, RustIdent, Spec, Vendor, WireName};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{ToTokens, TokenStreamExt};

/// A generated file: where it goes under `OUT_DIR`, and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative path (`dingtalk/report.rs`).
    pub path: String,
    /// The spec file it came from.
    pub source: String,
    /// Formatted Rust source, stamped as generated.
    pub contents: String,
}

/// Items that belong together, under a one-line comment saying what they are.
struct Section {
    title: String,
    items: Vec<TokenStream>,
}

/// Emits every file: `vendors.rs` declaring each vendor's module, `{vendor}.rs` for each vendor's
/// root, `{vendor}/{module}.rs` for each module.
pub fn emit(spec: &Spec) -> Vec<GeneratedFile> {
    emit_selected(spec, &|_| true)
}

/// Like [`emit`], but only the files of the vendors and modules whose cargo feature `enabled`
/// says is on (`build.rs` asks cargo), so a build with one module pays for one module.
pub fn emit_selected(spec: &Spec, enabled: &dyn Fn(&str) -> bool) -> Vec<GeneratedFile> {
    plan(spec, enabled).iter().map(Planned::render).collect()
}

/// A file the spec calls for, before it is written. Its fingerprint changes whenever anything it
/// is made from changes, so a caller that kept the fingerprint of an earlier copy can skip writing
/// it again (`build.rs` does: touching one module's YAML regenerates that module and the root).
pub struct Planned<'s> {
    /// Relative path under the output folder (`dingtalk/report.rs`).
    pub path: String,
    /// A hash of everything in the model that the file is made from.
    pub fingerprint: u64,
    what: What<'s>,
}

enum What<'s> {
    Vendors(&'s Spec),
    Root(&'s Vendor),
    Module(&'s Vendor, &'s Module),
}

impl Planned<'_> {
    /// The file's text.
    pub fn render(&self) -> GeneratedFile {
        let (source, sections) = match self.what {
            What::Vendors(spec) => ("spec/".to_owned(), vendor::emit_vendor_decls(spec)),
            What::Root(v) => (v.core.file.clone(), vendor::emit_vendor(v)),
            What::Module(v, m) => (m.file.clone(), vendor::emit_module(v, m)),
        };
        GeneratedFile {
            path: self.path.clone(),
            contents: format(&source, sections),
            source,
        }
    }
}

/// Every file the enabled vendors and modules need, with fingerprints, in output order.
pub fn plan<'s>(spec: &'s Spec, enabled: &dyn Fn(&str) -> bool) -> Vec<Planned<'s>> {
    let decls: Vec<_> = spec
        .vendors
        .iter()
        .map(|v| (&v.name, &v.title, &v.doc_url, &v.core.file))
        .collect();
    let mut out = vec![Planned {
        path: "vendors.rs".to_owned(),
        fingerprint: fingerprint(&decls),
        what: What::Vendors(spec),
    }];
    for v in spec.vendors.iter().filter(|v| enabled(&v.name)) {
        // The root lists every endpoint of every module (by-id dispatch), so it depends on all of them.
        out.push(Planned {
            path: format!("{}.rs", v.name),
            fingerprint: fingerprint(v),
            what: What::Root(v),
        });
        // A module file depends on its module and on what the vendor's root holds, not on the others.
        let shared = (
            &v.name,
            &v.hosts,
            &v.token,
            &v.envelope,
            &v.rate_limit,
            &v.errcodes,
            &v.core,
            &v.events,
        );
        for m in v.modules.iter().filter(|m| enabled(&feature(v, m))) {
            out.push(Planned {
                path: vendor::module_file(v, m),
                fingerprint: fingerprint(&(&shared, m)),
                what: What::Module(v, m),
            });
        }
    }
    out
}

/// A hash of a value's `Debug` form, streamed into the hasher rather than built as a string.
fn fingerprint(value: &impl std::fmt::Debug) -> u64 {
    use std::hash::Hasher;
    struct Feed(std::hash::DefaultHasher);
    impl std::fmt::Write for Feed {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.write(s.as_bytes());
            Ok(())
        }
    }
    let mut feed = Feed(std::hash::DefaultHasher::new());
    // Writing into a hasher cannot fail.
    let _ = std::fmt::Write::write_fmt(&mut feed, format_args!("{value:?}"));
    feed.0.finish()
}

/// Formats sections as a file, with the do-not-edit stamp. Tokens that do not parse are a bug in
/// the emitter, not in the spec (the model holds only valid names), so that is the one panic here.
fn format(source: &str, sections: Vec<Section>) -> String {
    let mut out =
        format!("// @generated by workapi-codegen from {source}. Do not edit: change the spec and rebuild.\n");
    for section in sections.into_iter().filter(|s| !s.items.is_empty()) {
        out.push_str("\n// ");
        out.push_str(&section.title);
        out.push('\n');
        for tokens in section.items {
            let mut file: syn::File = match syn::parse2(tokens) {
                Ok(f) => f,
                Err(e) => panic!("workapi-codegen emitted invalid Rust for {source}: {e}"),
            };
            // Each item printed on its own, so items are separated by blank lines.
            let items = std::mem::take(&mut file.items);
            for item in items {
                let mut one = file.clone();
                one.items.push(item);
                out.push('\n');
                out.push_str(&space_impl_members(&prettyplease::unparse(&one)));
            }
        }
    }
    out
}

/// Puts a blank line between the members of an `impl` block, which prettyplease runs together.
fn space_impl_members(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut in_impl = false;
    let mut prev = "";
    for line in text.lines() {
        if line.starts_with("impl") {
            in_impl = true;
        } else if line == "}" {
            in_impl = false;
        }
        let member_start = line.strip_prefix("    ").is_some_and(|rest| {
            ["///", "#[", "pub ", "pub(", "fn ", "async ", "const ", "type "]
                .iter()
                .any(|p| rest.starts_with(p))
        });
        let prev_attached =
            prev.ends_with('{') || prev.trim_start().starts_with("///") || prev.trim_start().starts_with("#[");
        if in_impl && member_start && !prev.is_empty() && !prev_attached {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        prev = line;
    }
    out
}

/// A model name is a valid identifier by construction, so this cannot fail.
impl ToTokens for RustIdent {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.append(Ident::new(self.as_str(), Span::call_site()));
    }
}

/// A wire name goes into the code as a string literal.
impl ToTokens for WireName {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.append(Literal::string(self.as_str()));
    }
}
