//! `workapi-codegen coverage`: the report on the fixture corpus in `tests/coverage-corpus/` (a few
//! WeCom pages, a few DingTalk index rows) as a snapshot, and on the real `../shared/vendor-docs/`
//! when it is there, checked against a second, simpler reading of the corpus.

use crate::support;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use workapi_codegen::coverage::{self, Coverage, VendorCoverage, corpus};
use workapi_codegen::model::Spec;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("coverage-corpus")
}

/// The spec with only the endpoints `ids` (in every vendor that has them), so the snapshot stays
/// the same when endpoints are added elsewhere.
fn spec_with(ids: &[&str]) -> Spec {
    let mut spec = support::spec().clone();
    for v in &mut spec.vendors {
        for m in std::iter::once(&mut v.core).chain(v.modules.iter_mut()) {
            m.endpoints.retain(|e| ids.contains(&e.id.as_str()));
        }
    }
    for id in ids {
        let found = spec
            .vendors
            .iter()
            .any(|v| v.endpoints().any(|(_, e)| e.id.as_str() == *id));
        assert!(found, "the spec has no endpoint {id}");
    }
    spec
}

fn vendor<'a>(c: &'a Coverage, name: &str) -> &'a VendorCoverage {
    c.vendors
        .iter()
        .find(|v| v.vendor == name)
        .expect("the vendor is reported")
}

#[test]
fn snapshot_of_the_fixture_corpus() {
    let spec = spec_with(&[
        "gettoken",
        "checkin_getcheckin_daydata",
        "externalcontact_groupchat_statistic",
        "journal_get_stat_list",
        "report_list",
        "report_create",
        "blackboard_get",
        "hrm_employees_dismissions",
    ]);
    let c = coverage::measure(&spec, &fixture()).expect("the fixture corpus reads");
    for v in &c.vendors {
        assert_eq!(v.documented, v.modules.iter().map(|m| m.documented).sum::<usize>());
        assert_eq!(v.missing, v.documented - v.in_spec);
    }
    let dingtalk = vendor(&c, "dingtalk");
    // A tutorial quoting report/list in a code block does not take it from its own group.
    let groups: Vec<&str> = dingtalk.modules.iter().map(|m| m.module.as_str()).collect();
    let log = dingtalk
        .modules
        .iter()
        .find(|m| m.module == "日志")
        .expect("日志 is a module");
    assert!(log.spec_endpoints.contains(&"report_list".to_owned()), "{groups:?}");
    // Two spellings of one path parameter are one endpoint.
    assert_eq!(
        dingtalk
            .modules
            .iter()
            .find(|m| m.module == "文档/文件")
            .map(|m| m.documented),
        Some(1)
    );
    let archived: Vec<&str> = dingtalk
        .not_in_corpus
        .iter()
        .filter(|e| e.archived_only)
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(archived, ["blackboard_get"]);
    // WeChat Pay's host is not the client's; a page quoting a filed endpoint adds no module.
    let wecom = vendor(&c, "wecom");
    let folders: Vec<&str> = wecom.modules.iter().map(|m| m.module.as_str()).collect();
    assert!(
        !folders.contains(&"017-企业支付") && !folders.contains(&"036-高级功能"),
        "{folders:?}"
    );
    insta::assert_snapshot!("coverage_fixture", coverage::render::markdown(&c));
    let json: serde_json::Value = serde_json::from_str(&coverage::render::json(&c)).expect("JSON output");
    assert_eq!(json["vendors"][1]["documented"], wecom.documented);
}

/// Whether a WeCom `请求地址` line names `url` exactly (followed by its query, a space or the end).
fn names_url(line: &str, url: &str) -> bool {
    line.match_indices(url).any(|(i, _)| {
        line[i + url.len()..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || "_-/.".contains(c)))
    })
}

fn pages(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read a corpus folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            pages(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// The spec's endpoints of `vendor` that the corpus documents, by URL, read without the command's
/// parser: WeCom by searching the `请求地址` lines for the URL, DingTalk by comparing each current
/// row's endpoint.
fn found_independently(spec: &Spec, vendor: &str, corpus_dir: &Path) -> Vec<String> {
    let v = spec
        .vendors
        .iter()
        .find(|v| v.name.as_str() == vendor)
        .expect("the vendor");
    let urls: Vec<(String, String)> = v
        .endpoints()
        .map(|(_, e)| (e.id.to_string(), format!("{}{}", v.host(e.host).base_url, e.path)))
        .collect();
    let mut lines = Vec::new();
    if vendor == "wecom" {
        let mut files = Vec::new();
        pages(&corpus_dir.join(corpus::WECOM_PAGES), &mut files);
        for f in files {
            let text = std::fs::read_to_string(&f).expect("read a page");
            lines.extend(text.lines().filter(|l| l.contains("请求地址")).map(str::to_owned));
        }
    } else {
        let text = std::fs::read_to_string(corpus_dir.join(corpus::DINGTALK_INDEX)).expect("read the index");
        for line in text.lines() {
            let row: serde_json::Value = serde_json::from_str(line).expect("a JSON row");
            if row["archived"] == false
                && let Some(endpoint) = row["endpoint"].as_str()
            {
                lines.push(
                    endpoint
                        .split('?')
                        .next()
                        .unwrap_or_default()
                        .trim_end_matches('/')
                        .to_owned(),
                );
            }
        }
    }
    urls.into_iter()
        .filter(|(_, url)| lines.iter().any(|l| names_url(l, url)))
        .map(|(id, _)| id)
        .collect()
}

#[test]
fn the_real_corpus_when_it_is_there() {
    let root = workapi_mock::spec_dir()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let corpus_dir = root.join("../shared/vendor-docs");
    if !corpus_dir.join(corpus::DINGTALK_INDEX).is_file() {
        eprintln!(
            "SKIPPED the_real_corpus_when_it_is_there: no vendor-docs corpus at {}",
            corpus_dir.display()
        );
        return;
    }
    let spec = support::spec();
    let c = coverage::measure(spec, &corpus_dir).expect("the corpus reads");
    for v in &c.vendors {
        let model = spec
            .vendors
            .iter()
            .find(|m| m.name.as_str() == v.vendor)
            .expect("a spec vendor");
        assert!(v.documented > 0, "{}: nothing documented", v.vendor);
        assert_eq!(v.documented, v.modules.iter().map(|m| m.documented).sum::<usize>());
        assert_eq!(v.missing, v.documented - v.in_spec);
        let found = found_independently(spec, &v.vendor, &corpus_dir);
        let not_found: BTreeSet<&str> = v.not_in_corpus.iter().map(|e| e.id.as_str()).collect();
        let all: Vec<String> = model.endpoints().map(|(_, e)| e.id.to_string()).collect();
        let expected: Vec<&String> = all.iter().filter(|id| !not_found.contains(id.as_str())).collect();
        assert_eq!(
            found.iter().collect::<Vec<_>>(),
            expected,
            "{}: spec endpoints found in the corpus",
            v.vendor
        );
        // Each found endpoint has its own path, so the covered count is the found count.
        let paths: BTreeSet<(usize, &str)> = model
            .endpoints()
            .filter(|(_, e)| found.contains(&e.id.to_string()))
            .map(|(_, e)| (e.host.0, e.path.as_str()))
            .collect();
        assert_eq!(v.in_spec, paths.len(), "{}: documented endpoints in the spec", v.vendor);
        eprintln!(
            "coverage {}: {} documented, {} in spec, {} missing",
            v.vendor, v.documented, v.in_spec, v.missing
        );
    }
}
