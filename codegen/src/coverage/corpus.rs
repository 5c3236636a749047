//! What the vendor-docs corpus documents: one reader per vendor format. WeCom: the `请求地址` lines
//! of the server-API pages; DingTalk: the current (not archived) rows of `graph/api.jsonl`. Each
//! gives the distinct endpoints (host + path) and the module the corpus files each under.

use super::CoverageError;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// WeCom's server API for a company's own apps, relative to the corpus folder.
pub const WECOM_PAGES: &str = "wecom/001-企业内部开发/002-服务端API";
/// DingTalk's index of API pages, relative to the corpus folder.
pub const DINGTALK_INDEX: &str = "dingtalk/graph/api.jsonl";

/// A corpus file larger than this is refused; pages are tens of kilobytes, the index about 1 MB.
const MAX_FILE_BYTES: u64 = 64 << 20;
/// More pages than this is not the corpus the readers know.
const MAX_PAGES: usize = 100_000;
/// Folders nest about three deep; deeper is not the corpus either.
const MAX_DEPTH: usize = 16;

/// An endpoint as the corpus names it: host and path, path parameters written `{}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address {
    /// `qyapi.weixin.qq.com`
    pub host: String,
    /// `/cgi-bin/checkin/getcheckindata`
    pub path: String,
}

impl Address {
    /// The address of `url` (`https://host/path?query`), or `None` for text that is not one.
    pub fn of_url(url: &str) -> Option<Address> {
        let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let host = rest[..end].to_ascii_lowercase();
        if host.is_empty() {
            return None;
        }
        let path = &rest[end..];
        let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
        Some(Address::new(&host, path))
    }

    /// An address from its parts; the path is normalised as for a corpus URL.
    pub fn new(host: &str, path: &str) -> Address {
        // `{docKey}` and `{id}` name the same segment; a trailing slash is no other endpoint.
        let mut norm = String::with_capacity(path.len() + 1);
        let mut in_param = false;
        for c in path.chars() {
            match c {
                '{' => {
                    in_param = true;
                    norm.push_str("{}");
                }
                '}' => in_param = false,
                c if !in_param => norm.push(c),
                _ => {}
            }
        }
        if !norm.starts_with('/') {
            norm.insert(0, '/');
        }
        while norm.len() > 1 && norm.ends_with('/') {
            norm.pop();
        }
        Address {
            host: host.to_ascii_lowercase(),
            path: norm,
        }
    }
}

/// What the corpus documents for one vendor.
#[derive(Debug, Default)]
pub struct Documented {
    /// Every distinct endpoint with the module it is filed under (the first page that has it).
    pub endpoints: BTreeMap<Address, String>,
    /// The modules in corpus order.
    pub modules: Vec<String>,
    /// Endpoints named only by archived pages (historical docs the vendor no longer recommends).
    pub archived: BTreeSet<Address>,
}

impl Documented {
    fn add(&mut self, address: Address, module: &str) {
        if !self.modules.iter().any(|m| m == module) {
            self.modules.push(module.to_owned());
        }
        self.endpoints.entry(address).or_insert_with(|| module.to_owned());
    }
}

/// WeCom: the request URL of every `请求地址` line of the pages under [`WECOM_PAGES`]; the module
/// is the page's folder right under it (`031-打卡`).
pub fn wecom(corpus: &Path) -> Result<Documented, CoverageError> {
    let root = corpus.join(WECOM_PAGES);
    if !root.is_dir() {
        return Err(CoverageError::Missing(root.display().to_string()));
    }
    let mut pages = Vec::new();
    collect_pages(&root, 0, &mut pages)?;
    pages.sort();
    let mut out = Documented::default();
    for page in pages {
        let rel = page.strip_prefix(&root).unwrap_or(&page);
        let module = match rel.parent().and_then(|p| p.components().next()) {
            Some(first) => first.as_os_str().to_string_lossy().into_owned(),
            // A page right under the folder is a module of its own.
            None => rel
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        };
        for line in read_bounded(&page)?.lines().filter(|l| l.contains("请求地址")) {
            if let Some(address) = first_url(line).and_then(Address::of_url) {
                out.add(address, &module);
            }
        }
    }
    Ok(out)
}

/// The first `http(s)://` URL of a line, up to a space, a quote, a bracket or CJK punctuation.
fn first_url(line: &str) -> Option<&str> {
    let start = line.find("https://").or_else(|| line.find("http://"))?;
    let url = &line[start..];
    let end = url
        .find(|c: char| c.is_whitespace() || "\"'`<>()（）[]，。；、*".contains(c))
        .unwrap_or(url.len());
    Some(&url[..end])
}

fn collect_pages(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<(), CoverageError> {
    if depth > MAX_DEPTH {
        return Err(CoverageError::Unexpected(format!(
            "{}: folders nest too deep",
            dir.display()
        )));
    }
    let entries = std::fs::read_dir(dir).map_err(|e| CoverageError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| CoverageError::io(dir, e))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| CoverageError::io(&path, e))?;
        if kind.is_dir() {
            collect_pages(&path, depth + 1, out)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            if out.len() >= MAX_PAGES {
                return Err(CoverageError::Unexpected(format!("more than {MAX_PAGES} pages")));
            }
            out.push(path);
        }
    }
    Ok(())
}

/// One row of `api.jsonl`; the other keys are not needed.
#[derive(Deserialize)]
struct ApiRow {
    endpoint: Option<String>,
    #[serde(default)]
    archived: bool,
    #[serde(default)]
    breadcrumb: Vec<String>,
    doc_path: Option<String>,
    endpoint_source: Option<String>,
}

/// DingTalk: the endpoint of every current row of [`DINGTALK_INDEX`]; the module is the row's
/// first breadcrumb (the docs' grouping, `日志`), else its `doc_path` folder. An endpoint named
/// by several pages is filed under the first one whose API table names it (tutorials quote
/// endpoints of other groups in code blocks).
pub fn dingtalk(corpus: &Path) -> Result<Documented, CoverageError> {
    let index = corpus.join(DINGTALK_INDEX);
    if !index.is_file() {
        return Err(CoverageError::Missing(index.display().to_string()));
    }
    let text = read_bounded(&index)?;
    let mut from_tables = Documented::default();
    let mut from_others = Vec::new();
    let mut archived = BTreeSet::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let row: ApiRow = serde_json::from_str(line)
            .map_err(|e| CoverageError::Unexpected(format!("{}:{}: {e}", index.display(), n + 1)))?;
        let Some(address) = row.endpoint.as_deref().and_then(Address::of_url) else {
            continue;
        };
        if row.archived {
            archived.insert(address);
            continue;
        }
        let module = match row.breadcrumb.first() {
            Some(group) => group.clone(),
            None => row
                .doc_path
                .as_deref()
                .and_then(|p| p.rsplit_once('/'))
                .map_or_else(|| "(none)".to_owned(), |(folder, _)| folder.to_owned()),
        };
        if row.endpoint_source.as_deref() == Some("table") {
            from_tables.add(address, &module);
        } else {
            from_others.push((address, module));
        }
    }
    for (address, module) in from_others {
        from_tables.add(address, &module);
    }
    archived.retain(|a| !from_tables.endpoints.contains_key(a));
    from_tables.archived = archived;
    Ok(from_tables)
}

fn read_bounded(path: &Path) -> Result<String, CoverageError> {
    let len = std::fs::metadata(path).map_err(|e| CoverageError::io(path, e))?.len();
    if len > MAX_FILE_BYTES {
        return Err(CoverageError::Unexpected(format!(
            "{}: larger than {MAX_FILE_BYTES} bytes",
            path.display()
        )));
    }
    std::fs::read_to_string(path).map_err(|e| CoverageError::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_become_host_and_path() {
        let line =
            "**请求地址：** https://qyapi.weixin.qq.com/cgi-bin/getcallbackip?access_token=ACCESS_TOKEN （[获取](#1)）";
        let a = first_url(line).and_then(Address::of_url).unwrap();
        assert_eq!(
            (a.host.as_str(), a.path.as_str()),
            ("qyapi.weixin.qq.com", "/cgi-bin/getcallbackip")
        );
        let b = Address::of_url("https://api.dingtalk.com/v1.0/doc/suites/documents/{docKey}/blocks/").unwrap();
        assert_eq!(b.path, "/v1.0/doc/suites/documents/{}/blocks");
        assert_eq!(Address::of_url("https://oapi.dingtalk.com").unwrap().path, "/");
        assert!(Address::of_url("ftp://x/y").is_none());
        assert!(first_url("2) **请求地址**，参数中标注**大写的单词**").is_none());
    }
}
