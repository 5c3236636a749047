//! The importer: vendor documentation pages (Markdown, `../shared/vendor-docs/`) in, spec YAML out.
//!
//! A stage beside `spec/` loading: [`markdown`] splits a page into blocks, [`wecom`] and
//! [`dingtalk`] read their vendor's page format into [`PageEndpoint`]s, [`nest`] rebuilds the
//! flattened tables into trees, [`fields`] types them (with [`prose`] for limits, enums and time
//! units), [`endpoint`] and [`example`] assemble endpoints, and [`write`](mod@write) prints a module file with a
//! `# TODO(import):` comment at every guess. `merge` (with the `cli` feature) writes them into a
//! spec folder, merging a re-import with the edits people made since the last one.

pub mod dingtalk;
pub mod endpoint;
pub mod events;
pub mod example;
pub mod fields;
pub mod markdown;
#[cfg(feature = "cli")]
pub mod merge;
pub mod nest;
pub mod prose;
pub mod wecom;
pub mod write;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

/// Why a page could not be imported at all (a page that imports with guesses is not an error).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The page could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The page.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The page names no request URL the importer recognises.
    #[error("{path}: no endpoint found (no request URL on qyapi.weixin.qq.com, oapi.dingtalk.com or api.dingtalk.com)")]
    NoEndpoint {
        /// The page.
        path: String,
    },
    /// A module file could not be written.
    #[error("{path}: cannot write: {source}")]
    Write {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// `--into` would merge into a module file that has no base to merge against.
    #[error(
        "{path}: exists, and has no base ({base}) to merge the page's changes against: it was written before re-imports kept one, or by hand. Record its base once with `import PAGES... --into DIR --record-base` from the pages as they were when the module was last reviewed, then re-import"
    )]
    NoBase {
        /// The module file.
        path: String,
        /// Where its base would be.
        base: String,
    },
}

/// One row of a parameter table, as the page writes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// The name cell: a wire name, or a dotted path (`parent.child`) on WeCom pages.
    pub name: String,
    /// The type cell, if the table has a type column.
    pub ty: Option<String>,
    /// The required cell (`是` / `否`), if the table has one.
    pub required: Option<bool>,
    /// The example-value cell, if any.
    pub example: Option<String>,
    /// The description, cleaned of Markdown.
    pub doc: String,
    /// The number of `└` marks before the name, on pages that use them.
    pub depth: Option<usize>,
}

/// Which vendor a page documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vendor {
    /// 企业微信 WeCom.
    Wecom,
    /// 钉钉 DingTalk.
    Dingtalk,
}

impl Vendor {
    /// The vendor folder name under `spec/`.
    pub fn folder(self) -> &'static str {
        match self {
            Vendor::Wecom => "wecom",
            Vendor::Dingtalk => "dingtalk",
        }
    }

    /// Top-level response fields that are envelope, not payload (as in each `vendor.yaml`).
    pub fn envelope(self) -> &'static [&'static str] {
        match self {
            Vendor::Wecom => &["errcode", "errmsg"],
            Vendor::Dingtalk => &["errcode", "errmsg", "sub_code", "sub_msg", "request_id", "success"],
        }
    }
}

/// What a page format reader found about one endpoint, before any interpretation.
#[derive(Debug, Clone, Default)]
pub struct PageEndpoint {
    /// The page (or section) title.
    pub title: String,
    /// The page's summary paragraph.
    pub doc: Option<String>,
    /// The page's `source_url`.
    pub doc_url: String,
    /// `GET` or `POST`, as the page writes it.
    pub method: String,
    /// The full request URL as the page writes it (query string included).
    pub url: String,
    /// Rows of the header table (DingTalk v1.0), token row included.
    pub header_rows: Vec<Row>,
    /// Rows of the path-parameter table (DingTalk v1.0).
    pub path_rows: Vec<Row>,
    /// Rows sent in the query string, token row included.
    pub query_rows: Vec<Row>,
    /// Rows sent in the JSON body.
    pub body_rows: Vec<Row>,
    /// Rows of the response table.
    pub response_rows: Vec<Row>,
    /// The page's example request body (JSON text as written).
    pub request_json: Option<String>,
    /// The page's example query string pairs (from an example URL), token excluded.
    pub request_query: Option<Vec<(String, String)>>,
    /// The page's example response body (JSON text as written).
    pub response_json: Option<String>,
    /// Keys per object name from SDK samples, for nesting.
    pub sdk_keys: HashMap<String, BTreeSet<String>>,
    /// Documented errcodes: `(code, description)`, codes as written (numeric or not).
    pub errcodes: Vec<(String, String)>,
    /// `(calls, per)` from a documented call rate (`100次/分钟`).
    pub rate_limit: Option<(u32, String)>,
    /// Things the reader saw but could not place, for endpoint-level TODOs.
    pub todos: Vec<String>,
}

/// A page read by its format reader: the vendor and the endpoints it documents (a WeCom page may
/// document several, one per section).
#[derive(Debug, Clone)]
pub struct Page {
    /// Which vendor's format the page is in.
    pub vendor: Vendor,
    /// The module title the page's place suggests (WeCom folder, DingTalk breadcrumb).
    pub module_title: Option<String>,
    /// The endpoints, in page order.
    pub endpoints: Vec<PageEndpoint>,
}

/// Reads a page's text (`path` names it in errors and picks the format when the text does not).
pub fn read_page(path: &str, text: &str) -> Result<Page, ImportError> {
    let doc = markdown::parse(text);
    let page = if text.contains("qyapi.weixin.qq.com") && !text.contains("| HTTP URL |") {
        wecom::read(path, &doc)
    } else {
        dingtalk::read(path, &doc)
    };
    if page.endpoints.is_empty() {
        return Err(ImportError::NoEndpoint { path: path.to_owned() });
    }
    Ok(page)
}

/// One module file the importer writes: `spec/<vendor>/<module>.yaml`.
#[derive(Debug, Clone)]
pub struct ImportedFile {
    /// Path relative to the spec folder (`wecom/journal.yaml`).
    pub path: String,
    /// The YAML text.
    pub yaml: String,
}

/// Imports pages (their paths and texts) into module files, grouped by vendor and module. `module`
/// overrides the module name the request paths suggest.
pub fn import_texts(pages: &[(String, String)], module: Option<&str>) -> Result<Vec<ImportedFile>, ImportError> {
    let mut modules: BTreeMap<(&'static str, String), endpoint::ModuleBuilder> = BTreeMap::new();
    for (path, text) in pages {
        if events::is_event_page(text) {
            // Event pages name no request URL, so no module either: `--module`, else `events`.
            if let Some(event) = events::read_dingtalk(text) {
                let name = module.unwrap_or("events").to_owned();
                modules
                    .entry((Vendor::Dingtalk.folder(), name.clone()))
                    .or_insert_with(|| endpoint::ModuleBuilder::new(Vendor::Dingtalk, &name, None))
                    .add_event(event);
                continue;
            }
        }
        let page = read_page(path, text)?;
        for pe in &page.endpoints {
            let (id, guessed_module) = endpoint::id_and_module(&pe.url);
            let name = module.map_or(guessed_module, str::to_owned);
            let builder = modules
                .entry((page.vendor.folder(), name.clone()))
                .or_insert_with(|| endpoint::ModuleBuilder::new(page.vendor, &name, page.module_title.clone()));
            builder.add(pe, id);
        }
    }
    Ok(modules
        .into_iter()
        .map(|((vendor, name), b)| ImportedFile {
            path: format!("{vendor}/{name}.yaml"),
            yaml: write::module(&b.finish()),
        })
        .collect())
}

/// Reads page files and imports them (see [`import_texts`]).
pub fn import_files(paths: &[PathBuf], module: Option<&str>) -> Result<Vec<ImportedFile>, ImportError> {
    let mut pages = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(p).map_err(|source| ImportError::Read {
            path: p.display().to_string(),
            source,
        })?;
        pages.push((p.display().to_string(), text));
    }
    import_texts(&pages, module)
}
