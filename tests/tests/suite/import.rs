//! The importer (`workapi-codegen import`): snapshots of the YAML it writes for a few vendor pages,
//! its agreement with the hand-written spec field by field, and whether what it writes passes the
//! checker. The pages are copies in `tests/import-pages/` for the seed endpoints (the first 26, whose
//! spec was written by hand); endpoints imported later (the catalogue) have no fixture page and are
//! not compared, but every fixture page must still match an endpoint of the spec.
//!
//! `WORKAPI_IMPORT_REPORT=1 cargo test -p workapi-tests --test suite import:: -- --nocapture`
//! prints the per-endpoint table that IMPORT.md records.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use workapi_codegen::import;
use workapi_codegen::spec::entries::Entries;
use workapi_codegen::spec::load::{RawVendor, load_dir, parse_module, parse_vendor};
use workapi_codegen::spec::raw::{self, Endpoint, ModuleFile};

fn pages_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("import-pages")
}

fn page(name: &str) -> (String, String) {
    let path = pages_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (format!("import-pages/{name}"), text)
}

fn imported(names: &[&str]) -> String {
    let pages: Vec<_> = names.iter().map(|n| page(n)).collect();
    let files = import::import_texts(&pages, None).expect("pages import");
    files
        .iter()
        .map(|f| format!("# file: {}\n{}", f.path, f.yaml))
        .collect::<Vec<_>>()
        .join("---\n")
}

#[test]
fn snapshot_wecom_journal_stat_list() {
    insta::assert_snapshot!("import_wecom_journal", imported(&["wecom-004-获取汇报统计数据.md"]));
}

#[test]
fn snapshot_wecom_page_with_two_endpoints() {
    insta::assert_snapshot!(
        "import_wecom_groupchat_statistic",
        imported(&["wecom-002-获取群聊数据统计数据.md"])
    );
}

#[test]
fn snapshot_dingtalk_oapi_pages() {
    insta::assert_snapshot!(
        "import_dingtalk_oapi",
        imported(&[
            "dingtalk-0279-create-an-enterprise-announcement.md",
            "dingtalk-0297-query-logs-sent-by-an-employee.md"
        ])
    );
}

#[test]
fn snapshot_dingtalk_v1_page() {
    insta::assert_snapshot!(
        "import_dingtalk_v1",
        imported(&["dingtalk-0947-obtain-the-list-of-employees-who-have-left.md"])
    );
}

// ---- Agreement with the hand-written spec ----

/// One field, flattened: its canonical type (named types and enums resolved to their shape) and
/// whether it is required.
#[derive(Debug, PartialEq)]
struct Flat {
    ty: String,
    required: bool,
}

struct Names<'a> {
    types: &'a Entries<raw::NamedType>,
    enums: &'a Entries<raw::Enum>,
    /// Inline objects' `name:`s, which other fields may use as a type.
    inline: BTreeMap<String, &'a Entries<raw::Field>>,
}

impl<'a> Names<'a> {
    fn new(
        types: &'a Entries<raw::NamedType>,
        enums: &'a Entries<raw::Enum>,
        endpoints: impl IntoIterator<Item = &'a Endpoint>,
    ) -> Self {
        fn walk<'a>(fields: &'a Entries<raw::Field>, out: &mut BTreeMap<String, &'a Entries<raw::Field>>) {
            for (_, f) in fields.iter() {
                if let (Some(name), Some(children)) = (&f.name, &f.fields) {
                    out.insert(name.value.clone(), children);
                }
                if let Some(children) = &f.fields {
                    walk(children, out);
                }
            }
        }
        let mut inline = BTreeMap::new();
        for e in endpoints {
            walk(&e.request.query, &mut inline);
            walk(&e.request.body, &mut inline);
            if let (Some(name), Some(children)) = (&e.response.value.name, &e.response.value.fields) {
                inline.insert(name.value.clone(), children);
            }
            if let Some(children) = &e.response.value.fields {
                walk(children, &mut inline);
            }
        }
        Names { types, enums, inline }
    }
}

impl Names<'_> {
    /// `(canonical type, fields of the object it names, if any)`.
    fn canon<'b>(
        &'b self,
        ty: &str,
        inline: Option<&'b Entries<raw::Field>>,
    ) -> (String, Option<&'b Entries<raw::Field>>) {
        for (wrapper, close) in [("list<", ">"), ("comma_list<", ">"), ("semicolon_list<", ">")] {
            if let Some(inner) = ty.strip_prefix(wrapper).and_then(|t| t.strip_suffix(close)) {
                let (c, f) = self.canon(inner, inline);
                return (format!("{wrapper}{c}{close}"), f);
            }
        }
        if let Some(t) = self.types.get(ty) {
            return ("object".to_owned(), Some(&t.fields));
        }
        if let Some(fields) = self.inline.get(ty) {
            return ("object".to_owned(), Some(*fields));
        }
        if let Some(e) = self.enums.get(ty) {
            return (format!("enum:{}", e.ty.value), None);
        }
        (ty.to_owned(), if ty == "object" { inline } else { None })
    }

    fn flatten(&self, prefix: &str, fields: &Entries<raw::Field>, out: &mut BTreeMap<String, Flat>) {
        for (name, f) in fields.iter() {
            let path = format!("{prefix}{}", name.value);
            let (ty, children) = self.canon(&f.ty.value, f.fields.as_ref());
            out.insert(
                path.clone(),
                Flat {
                    ty,
                    required: f.required,
                },
            );
            if let Some(children) = children {
                self.flatten(&format!("{path}."), children, out);
            }
        }
    }

    fn endpoint(&self, e: &Endpoint) -> BTreeMap<String, Flat> {
        let mut out = BTreeMap::new();
        self.flatten("query.", &e.request.query, &mut out);
        let body = match &e.request.wrap {
            Some(w) => format!("body.{}.", w.value),
            None => "body.".to_owned(),
        };
        self.flatten(&body, &e.request.body, &mut out);
        let r = &e.response.value;
        let base = match r.at.as_ref().map(|a| a.value.as_str()) {
            Some("result") => "response.result",
            _ => "response",
        };
        let (ty, children) = self.canon(&r.ty.value, r.fields.as_ref());
        match children {
            Some(children) => self.flatten(&format!("{base}."), children, &mut out),
            None => {
                out.insert(base.to_owned(), Flat { ty, required: false });
            }
        }
        out
    }
}

/// Field-by-field agreement of one endpoint.
#[derive(Debug, Default, Clone, Copy)]
struct Agreement {
    hand: usize,
    imported: usize,
    named: usize,
    placed: usize,
    typed: usize,
    required: usize,
}

impl Agreement {
    fn add(&mut self, o: Agreement) {
        self.hand += o.hand;
        self.imported += o.imported;
        self.named += o.named;
        self.placed += o.placed;
        self.typed += o.typed;
        self.required += o.required;
    }
}

fn compare(hand: &BTreeMap<String, Flat>, got: &BTreeMap<String, Flat>) -> (Agreement, Vec<String>) {
    let leaf = |p: &str| p.rsplit('.').next().unwrap_or(p).to_owned();
    let got_leaves: std::collections::BTreeSet<String> = got.keys().map(|k| leaf(k)).collect();
    let mut a = Agreement {
        hand: hand.len(),
        imported: got.len(),
        ..Agreement::default()
    };
    let mut diffs = Vec::new();
    for (path, h) in hand {
        match got.get(path) {
            Some(g) => {
                a.named += 1;
                a.placed += 1;
                if g.ty == h.ty {
                    a.typed += 1;
                } else {
                    diffs.push(format!("{path}: type {} (hand) vs {} (import)", h.ty, g.ty));
                }
                if g.required == h.required {
                    a.required += 1;
                } else {
                    diffs.push(format!(
                        "{path}: required {} (hand) vs {} (import)",
                        h.required, g.required
                    ));
                }
            }
            None if got_leaves.contains(&leaf(path)) => {
                a.named += 1;
                let at: Vec<&String> = got.keys().filter(|k| leaf(k) == leaf(path)).collect();
                diffs.push(format!(
                    "{path}: nested elsewhere by the import ({})",
                    at.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                ));
            }
            None => diffs.push(format!("{path}: missing from the import")),
        }
    }
    for path in got
        .keys()
        .filter(|p| !hand.contains_key(*p) && !hand.keys().any(|h| leaf(h) == leaf(p)))
    {
        diffs.push(format!("{path}: only in the import"));
    }
    (a, diffs)
}

/// The hand-written spec's endpoints, each with its module's named types and enums.
fn hand_spec() -> Vec<RawVendor> {
    load_dir(&workapi_mock::spec_dir())
        .into_result()
        .unwrap_or_else(|d| panic!("spec does not load:\n{d}"))
}

/// Every fixture page, `(name, text)`, sorted by name.
fn fixture_pages() -> Vec<(String, String)> {
    let mut names: Vec<_> = std::fs::read_dir(pages_dir())
        .expect("tests/import-pages/ is readable")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    names.into_iter().map(|n| page(&n)).collect()
}

/// The fixture page whose request URL is this endpoint's.
fn page_for<'a>(pages: &'a [(String, String)], host: &str, path: &str) -> Option<&'a (String, String)> {
    let host = match host {
        "qyapi" => "qyapi.weixin.qq.com",
        "oapi" => "oapi.dingtalk.com",
        _ => "api.dingtalk.com",
    };
    let needle = format!("//{host}{path}");
    pages.iter().find(|(_, text)| {
        text.match_indices(&needle).any(|(i, _)| {
            !text[i + needle.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '/')
        })
    })
}

struct Row {
    vendor: String,
    id: String,
    page: String,
    agreement: Agreement,
    diffs: Vec<String>,
    loads: Result<(), String>,
}

/// What the agreement test measured: one row per endpoint with a fixture page, the endpoints without
/// one, and the fixture pages no endpoint of the spec matched.
struct Measured {
    rows: Vec<Row>,
    without_page: Vec<String>,
    unused_pages: Vec<String>,
}

fn measure() -> Measured {
    let empty_types = Entries::default();
    let empty_enums = Entries::default();
    let pages = fixture_pages();
    let mut used = std::collections::BTreeSet::new();
    let mut without_page = Vec::new();
    let mut rows = Vec::new();
    for v in hand_spec() {
        let vendor_name = v.vendor.vendor.value.clone();
        let vendor_text =
            std::fs::read_to_string(workapi_mock::spec_dir().join(&vendor_name).join("vendor.yaml")).unwrap();
        let vendor_names = Names::new(&empty_types, &empty_enums, v.vendor.endpoints.iter().map(|e| &e.value));
        let mut all: Vec<(&Endpoint, &Names)> = v.vendor.endpoints.iter().map(|e| (&e.value, &vendor_names)).collect();
        let module_names: Vec<Names> = v
            .modules
            .iter()
            .map(|(_, m)| Names::new(&m.types, &m.enums, m.endpoints.iter().map(|e| &e.value)))
            .collect();
        for ((_, m), names) in v.modules.iter().zip(&module_names) {
            all.extend(m.endpoints.iter().map(|e| (&e.value, names)));
        }
        for (e, names) in all {
            let id = e.id.value.clone();
            // Catalogue endpoints have no fixture page: they were imported, not written by hand.
            let Some((page_name, text)) = page_for(&pages, &e.host.value, &e.path.value) else {
                without_page.push(format!("{vendor_name} {id}"));
                continue;
            };
            used.insert(page_name.clone());
            let page_name = page_name.clone();
            let files = import::import_texts(&[(page_name.clone(), text.clone())], None).expect("imports");
            let module = parse_module("imported.yaml", &files[0].yaml)
                .unwrap_or_else(|d| panic!("{page_name}: imported YAML does not parse: {d}"));
            let got = module
                .endpoints
                .iter()
                .find(|g| g.value.path.value == e.path.value)
                .expect("the page's endpoint");
            let got_names = Names::new(&module.types, &module.enums, module.endpoints.iter().map(|e| &e.value));
            let (agreement, diffs) = compare(&names.endpoint(e), &got_names.endpoint(&got.value));
            let loads = check_alone(&vendor_text, &files[0].yaml, &id, &v.vendor.token.endpoint.value);
            rows.push(Row {
                vendor: vendor_name.clone(),
                id,
                page: page_name,
                agreement,
                diffs,
                loads,
            });
        }
    }
    let unused_pages = pages
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| !used.contains(name))
        .collect();
    Measured {
        rows,
        without_page,
        unused_pages,
    }
}

/// Runs the checker over the imported module file beside a copy of the vendor's `vendor.yaml` (the
/// token endpoint's page replaces the `vendor.yaml` endpoints instead, as that is where it lives).
fn check_alone(vendor_text: &str, yaml: &str, id: &str, token_endpoint: &str) -> Result<(), String> {
    let mut vendor = parse_vendor("spec/vendor.yaml", vendor_text).map_err(|d| d.to_string())?;
    // The file is named after the module, as the checker requires.
    let name = yaml
        .lines()
        .find_map(|l| l.strip_prefix("module: "))
        .unwrap_or("imported");
    let file = format!("spec/{name}.yaml");
    let mut module: ModuleFile = parse_module(&file, yaml).map_err(|d| d.to_string())?;
    let mut modules = Vec::new();
    if id == token_endpoint {
        vendor.endpoints = std::mem::take(&mut module.endpoints);
    } else {
        modules.push((file, module));
    }
    let raw = RawVendor {
        file: "spec/vendor.yaml".to_owned(),
        vendor,
        modules,
    };
    workapi_codegen::model::resolve(&[raw])
        .map(|_| ())
        .map_err(|d| d.to_string())
}

fn percent(n: usize, of: usize) -> f64 {
    if of == 0 { 100.0 } else { 100.0 * n as f64 / of as f64 }
}

#[test]
fn import_agrees_with_the_hand_written_spec() {
    let Measured {
        rows,
        without_page,
        unused_pages,
    } = measure();
    // The comparison must check something, and every fixture page must still be compared: a page
    // whose endpoint left the spec (or whose URL no longer matches) would otherwise drop out silently.
    assert!(
        !rows.is_empty(),
        "no endpoint of the spec has a fixture page in tests/import-pages/"
    );
    assert!(
        unused_pages.is_empty(),
        "fixture pages that match no endpoint of the spec: {unused_pages:?}"
    );
    let mut total = Agreement::default();
    rows.iter().for_each(|r| total.add(r.agreement));
    let loading = rows.iter().filter(|r| r.loads.is_ok()).count();
    if std::env::var_os("WORKAPI_IMPORT_REPORT").is_some() {
        println!(
            "| vendor | endpoint | page | hand fields | imported | name found | same place | same type | same required |"
        );
        println!("|---|---|---|---|---|---|---|---|---|");
        for r in &rows {
            let a = r.agreement;
            println!(
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                r.vendor,
                r.id,
                r.page.trim_start_matches("import-pages/"),
                a.hand,
                a.imported,
                a.named,
                a.placed,
                a.typed,
                a.required
            );
        }
        let t = total;
        println!(
            "| all | {} endpoints | | {} | {} | {} ({:.1}%) | {} ({:.1}%) | {} ({:.1}% of placed) | {} ({:.1}% of placed) |",
            rows.len(),
            t.hand,
            t.imported,
            t.named,
            percent(t.named, t.hand),
            t.placed,
            percent(t.placed, t.hand),
            t.typed,
            percent(t.typed, t.placed),
            t.required,
            percent(t.required, t.placed)
        );
        println!("\nloads with the checker: {loading} of {}", rows.len());
        println!(
            "not compared (no fixture page; imported, not hand-written): {} endpoints",
            without_page.len()
        );
        for r in &rows {
            println!("\n### {} {}", r.vendor, r.id);
            r.diffs.iter().for_each(|d| println!("- {d}"));
            if let Err(e) = &r.loads {
                println!("- checker: {}", e.replace('\n', "\n  "));
            }
        }
    }
    // Floors at the measured level (IMPORT.md); an importer change that lowers one fails here.
    assert!(
        percent(total.named, total.hand) >= FLOOR_NAMED,
        "names: {:.1}%",
        percent(total.named, total.hand)
    );
    assert!(
        percent(total.placed, total.hand) >= FLOOR_PLACED,
        "nesting: {:.1}%",
        percent(total.placed, total.hand)
    );
    assert!(
        percent(total.typed, total.placed) >= FLOOR_TYPED,
        "types: {:.1}%",
        percent(total.typed, total.placed)
    );
    assert!(
        percent(total.required, total.placed) >= FLOOR_REQUIRED,
        "required: {:.1}%",
        percent(total.required, total.placed)
    );
    assert!(
        percent(loading, rows.len()) >= FLOOR_LOADS,
        "{loading} of {} imported pages load",
        rows.len()
    );
}

// Measured on the 26 endpoints of today's spec: 100% names, 100% nesting, 95.4% types, 98.8%
// required-ness, 25 of 26 pages load (see IMPORT.md).
const FLOOR_NAMED: f64 = 100.0;
const FLOOR_PLACED: f64 = 100.0;
const FLOOR_TYPED: f64 = 95.0;
const FLOOR_REQUIRED: f64 = 98.5;
const FLOOR_LOADS: f64 = 96.0;

#[test]
fn event_pages_import_as_events_that_load_and_agree_with_the_spec() {
    let pages: Vec<_> = [
        "events/dingtalk-0079-enterprise-increases-employee-events.md",
        "events/dingtalk-0086-address-book-user-change.md",
    ]
    .into_iter()
    .map(page)
    .collect();
    let files = import::import_texts(&pages, Some("contact")).expect("event pages import");
    assert_eq!(files.len(), 1, "one module file");
    insta::assert_snapshot!("import_dingtalk_events", files[0].yaml);

    let vendor_text = std::fs::read_to_string(workapi_mock::spec_dir().join("dingtalk/vendor.yaml")).unwrap();
    check_alone(&vendor_text, &files[0].yaml, "", "gettoken").unwrap_or_else(|e| panic!("does not load:\n{e}"));

    // Each imported event is one of the hand-written spec, with the same fields (header aside).
    let module = parse_module("spec/contact.yaml", &files[0].yaml).unwrap();
    let spec = crate::support::spec();
    let dingtalk = spec.vendors.iter().find(|v| v.name == *"dingtalk").unwrap();
    let header = &dingtalk.events.as_ref().unwrap().header;
    let hand = dingtalk.modules.iter().find(|m| m.name == *"contact").unwrap();
    assert_eq!(module.events.len(), pages.len());
    for e in &module.events {
        let id = &e.value.id.value;
        let ours = hand
            .events
            .iter()
            .find(|h| h.id == *id.as_str())
            .unwrap_or_else(|| panic!("imported event {id} is not in spec/dingtalk/contact.yaml"));
        let want: Vec<&str> = hand
            .strukt(ours.strukt)
            .fields
            .iter()
            .map(|f| f.wire.as_str())
            .filter(|w| !header.iter().any(|h| h == w))
            .collect();
        let got: Vec<&str> = e.value.fields.iter().map(|(k, _)| k.value.as_str()).collect();
        assert_eq!(got, want, "{id}: imported fields");
        assert_eq!(e.value.title, ours.title, "{id}: title");
        assert_eq!(e.value.doc_url, ours.doc_url, "{id}: doc_url");
    }
}
