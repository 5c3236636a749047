//! What must hold of every spec the checker accepts: each emitted file parses as Rust, names no
//! item twice in one namespace of one module, gives no type two fields or variants of one name
//! and no `impl` target two methods of one name (across the vendor's files, as `Client`'s methods
//! are spread over them); and emitting is deterministic.

use std::collections::{BTreeMap, BTreeSet};
use syn::{Fields, ImplItem, Item, Type};

/// Loads nothing: checks `spec`'s generated files; panics with the file and the finding.
pub fn check(spec: &workapi_codegen::model::Spec) {
    let files = workapi_codegen::emit::emit(spec);
    let again = workapi_codegen::emit::emit(spec);
    assert!(
        files
            .iter()
            .map(|f| (&f.path, &f.contents))
            .eq(again.iter().map(|f| (&f.path, &f.contents))),
        "emitting the same spec twice gave different output"
    );
    // Methods of each impl target: per vendor for `Client`, per file for the others.
    let mut methods: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let parsed =
            syn::parse_file(&f.contents).unwrap_or_else(|e| panic!("{} does not parse: {e}\n{}", f.path, f.contents));
        let vendor = f.path.split(['/', '.']).next().unwrap_or_default().to_owned();
        items(&f.path, &parsed.items, &vendor, &mut methods);
    }
}

fn items(file: &str, items: &[Item], vendor: &str, methods: &mut BTreeMap<(String, String), BTreeSet<String>>) {
    let mut types = BTreeSet::new();
    let mut values = BTreeSet::new();
    let once = |set: &mut BTreeSet<String>, name: String, what: &str| {
        assert!(set.insert(name.clone()), "{file}: two {what} items named `{name}`");
    };
    for item in items {
        match item {
            Item::Struct(s) => {
                once(&mut types, s.ident.to_string(), "type");
                if let Fields::Named(named) = &s.fields {
                    let mut seen = BTreeSet::new();
                    for field in &named.named {
                        let name = field.ident.as_ref().map(ToString::to_string).unwrap_or_default();
                        assert!(
                            seen.insert(name.clone()),
                            "{file}: struct {} has two fields `{name}`",
                            s.ident
                        );
                    }
                }
            }
            Item::Enum(e) => {
                once(&mut types, e.ident.to_string(), "type");
                let mut seen = BTreeSet::new();
                for v in &e.variants {
                    assert!(
                        seen.insert(v.ident.to_string()),
                        "{file}: enum {} has two variants `{}`",
                        e.ident,
                        v.ident
                    );
                }
            }
            Item::Type(t) => once(&mut types, t.ident.to_string(), "type"),
            Item::Trait(t) => once(&mut types, t.ident.to_string(), "type"),
            Item::Mod(m) => {
                once(&mut types, m.ident.to_string(), "type");
                if let Some((_, inner)) = &m.content {
                    self::items(file, inner, vendor, methods);
                }
            }
            Item::Fn(f) => once(&mut values, f.sig.ident.to_string(), "value"),
            Item::Const(c) => once(&mut values, c.ident.to_string(), "value"),
            Item::Static(s) => once(&mut values, s.ident.to_string(), "value"),
            Item::Impl(imp) if imp.trait_.is_none() => {
                let target = match imp.self_ty.as_ref() {
                    Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default(),
                    _ => String::new(),
                };
                // `Client`'s methods are spread over the vendor's files; other types live in one.
                let scope = if target == "Client" { vendor } else { file };
                let set = methods.entry((scope.to_owned(), target.clone())).or_default();
                for it in &imp.items {
                    if let ImplItem::Fn(f) = it {
                        let name = f.sig.ident.to_string();
                        assert!(
                            set.insert(name.clone()),
                            "{file}: `{target}` gets a second method `{name}`"
                        );
                    }
                }
            }
            _ => {}
        }
    }
}
