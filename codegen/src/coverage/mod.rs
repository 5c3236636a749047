//! `workapi-codegen coverage`: the endpoints of `spec/` against what the vendor-docs corpus
//! documents, per vendor and per module. [`corpus`] reads the corpus (one reader per vendor
//! format), [`render`] writes the Markdown tables and the JSON. Endpoints match by host and path.

pub mod corpus;
pub mod render;

use crate::model::{Method, Spec};
use corpus::{Address, Documented};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::Path;

/// Why coverage could not be measured.
#[derive(Debug, thiserror::Error)]
pub enum CoverageError {
    /// A folder or file the corpus must have is not there.
    #[error("{0}: not found; is --corpus the vendor-docs folder (the one holding wecom/ and dingtalk/)?")]
    Missing(String),
    /// A corpus file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: String,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The corpus is not shaped as the readers expect.
    #[error("{0}")]
    Unexpected(String),
}

impl CoverageError {
    fn io(path: &Path, source: std::io::Error) -> CoverageError {
        CoverageError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// Coverage of every vendor of the spec.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// One entry per vendor, in the spec's order.
    pub vendors: Vec<VendorCoverage>,
}

/// One vendor: totals, per-module rows, and the spec's endpoints the corpus does not document.
#[derive(Debug, Clone, Serialize)]
pub struct VendorCoverage {
    /// The spec's vendor name.
    pub vendor: String,
    /// What in the corpus was counted.
    pub source: String,
    /// Distinct documented endpoints on the vendor's hosts.
    pub documented: usize,
    /// How many of those the spec has.
    pub in_spec: usize,
    /// How many of those the spec lacks.
    pub missing: usize,
    /// Per corpus module, in corpus order.
    pub modules: Vec<ModuleCoverage>,
    /// Spec endpoints whose host and path the corpus does not document.
    pub not_in_corpus: Vec<SpecEndpoint>,
}

/// One module of the corpus (a WeCom folder, a DingTalk grouping).
#[derive(Debug, Clone, Serialize)]
pub struct ModuleCoverage {
    /// Its name in the corpus (`031-打卡`, `日志`).
    pub module: String,
    /// Distinct documented endpoints filed under it.
    pub documented: usize,
    /// How many of those the spec has.
    pub in_spec: usize,
    /// How many of those the spec lacks.
    pub missing: usize,
    /// Ids of the spec endpoints found under it.
    pub spec_endpoints: Vec<String>,
}

/// An endpoint of the spec, as reported.
#[derive(Debug, Clone, Serialize)]
pub struct SpecEndpoint {
    /// Its id.
    pub id: String,
    /// Its spec module (`core` for `vendor.yaml`).
    pub module: String,
    /// `GET` or `POST`.
    pub method: String,
    /// Base URL and path.
    pub url: String,
    /// The corpus names it only on archived pages (reported among those not found).
    pub archived_only: bool,
}

/// Reads the corpus under `corpus` and measures `spec` against it.
pub fn measure(spec: &Spec, corpus: &Path) -> Result<Coverage, CoverageError> {
    if !corpus.is_dir() {
        return Err(CoverageError::Missing(corpus.display().to_string()));
    }
    let mut vendors = Vec::new();
    for v in &spec.vendors {
        let (documented, source) = match v.name.as_str() {
            "wecom" => (
                corpus::wecom(corpus)?,
                format!("`请求地址` lines of the pages under `{}/`", corpus::WECOM_PAGES),
            ),
            "dingtalk" => (
                corpus::dingtalk(corpus)?,
                format!("current (not archived) rows of `{}`", corpus::DINGTALK_INDEX),
            ),
            _ => (Documented::default(), "no corpus reader for this vendor".to_owned()),
        };
        let hosts: BTreeSet<String> = v
            .hosts
            .iter()
            .filter_map(|h| Address::of_url(&h.base_url))
            .map(|a| a.host)
            .collect();
        let spec_endpoints: Vec<(Address, SpecEndpoint)> = v
            .endpoints()
            .map(|(m, e)| {
                let base = &v.host(e.host).base_url;
                let host = Address::of_url(base).map(|a| a.host).unwrap_or_default();
                let endpoint = SpecEndpoint {
                    id: e.id.to_string(),
                    module: m.name.to_string(),
                    method: match e.method {
                        Method::Get => "GET",
                        Method::Post => "POST",
                    }
                    .to_owned(),
                    url: format!("{base}{}", e.path),
                    archived_only: false,
                };
                (Address::new(&host, &e.path), endpoint)
            })
            .collect();
        let in_spec = |a: &Address| spec_endpoints.iter().any(|(s, _)| s == a);
        // Only what the client could call: URLs on other hosts (WeChat Pay, callback examples) are left out.
        let on_hosts = |a: &Address| hosts.contains(&a.host);
        let modules = documented
            .modules
            .iter()
            .map(|name| {
                let here: Vec<&Address> = documented
                    .endpoints
                    .iter()
                    .filter(|(a, m)| *m == name && on_hosts(a))
                    .map(|(a, _)| a)
                    .collect();
                let found = here.iter().filter(|a| in_spec(a)).count();
                let ids = spec_endpoints
                    .iter()
                    .filter(|(a, _)| here.contains(&a))
                    .map(|(_, e)| e.id.clone())
                    .collect();
                ModuleCoverage {
                    module: name.clone(),
                    documented: here.len(),
                    in_spec: found,
                    missing: here.len() - found,
                    spec_endpoints: ids,
                }
            })
            .filter(|m| m.documented > 0)
            .collect::<Vec<_>>();
        let documented_count = modules.iter().map(|m| m.documented).sum();
        let found = modules.iter().map(|m| m.in_spec).sum();
        let not_in_corpus = spec_endpoints
            .into_iter()
            .filter(|(a, _)| !documented.endpoints.contains_key(a))
            .map(|(a, e)| SpecEndpoint {
                archived_only: documented.archived.contains(&a),
                ..e
            })
            .collect();
        vendors.push(VendorCoverage {
            vendor: v.name.to_string(),
            source,
            documented: documented_count,
            in_spec: found,
            missing: documented_count - found,
            modules,
            not_in_corpus,
        });
    }
    Ok(Coverage { vendors })
}
