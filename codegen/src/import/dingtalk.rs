//! DingTalk's page formats, both API generations: a `| HTTP URL | ... |` / `| HTTP Method | ... |`
//! table (or an HTTP request under `## 请求方法`), `| 名称 | 类型 | 是否必填 | 示例值 | 描述 |` tables
//! under 请求头 / 查询参数 / 请求体 / 路径参数 (or Header参数, Query参数, Body参数, Path参数), a response
//! table under 响应体 (or 返回参数), examples in code blocks after a language label, and 错误码.
//! Tables flatten nested objects: children follow their parent (`└` on a few pages).

use super::fields::Ty;
use super::markdown::{Block, Doc, column};
use super::{Page, PageEndpoint, Row, Vendor};

/// Maps a DingTalk type cell (`String`, `Number`, `Long`, `Boolean`, `XxxVo`, `XxxVo[]`,
/// `Array of String`) to a type. A name the importer does not know is an object (the tables name
/// objects by their SDK class).
pub fn table_type(cell: &str) -> Option<Ty> {
    let t = cell.trim();
    if let Some(inner) = t
        .strip_suffix("[]")
        .or_else(|| t.strip_prefix("Array of "))
        .or_else(|| t.strip_prefix("array of "))
    {
        return table_type(inner).map(|i| Ty::List(Box::new(i)));
    }
    Some(match t.to_ascii_lowercase().as_str() {
        // `Date` cells hold `yyyy-MM-dd HH:mm:ss` strings; the example decides the spec type.
        "string" | "str" | "char" | "date" => Ty::Str,
        // A misspelt primitive is not an SDK class: let the example decide.
        "sting" | "strng" | "numbr" => return None,
        "number" | "long" | "int64" => Ty::Int("int64"),
        "integer" | "int" | "int32" => Ty::Int("int32"),
        "boolean" | "bool" => Ty::Bool,
        "double" | "float" | "bigdecimal" => Ty::Float,
        "array" | "list" => Ty::List(Box::new(Ty::Json)),
        "object" | "json" | "jsonobject" | "map" | "struct" => Ty::Object,
        "" | "-" => return None,
        _ if t.starts_with(|c: char| c.is_ascii_uppercase())
            && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') =>
        {
            Ty::Object
        }
        _ => return None,
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Section {
    Other,
    Header,
    Path,
    Query,
    Body,
    RequestExample,
    RequestMethod,
    Response,
    ResponseExample,
    Errors,
}

fn section_of(heading: &str) -> Section {
    let h = heading.trim();
    match h {
        "请求头" | "Header参数" => Section::Header,
        "路径参数" | "Path参数" => Section::Path,
        "查询参数" | "Query参数" => Section::Query,
        "请求体" | "Body参数" => Section::Body,
        "请求示例" => Section::RequestExample,
        "请求方法" => Section::RequestMethod,
        "响应体" | "返回参数" | "响应参数" => Section::Response,
        "响应体示例" | "返回示例" | "响应示例" | "示例" => Section::ResponseExample,
        "错误码" => Section::Errors,
        _ => Section::Other,
    }
}

/// Reads a DingTalk page (one endpoint per page).
pub fn read(_path: &str, doc: &Doc) -> Page {
    let mut pe = PageEndpoint {
        title: doc.front.get("title").cloned().unwrap_or_default(),
        doc_url: doc.front.get("source_url").cloned().unwrap_or_default(),
        ..PageEndpoint::default()
    };
    let module_title = doc
        .front
        .get("breadcrumb")
        .and_then(|b| b.split(" > ").find(|p| !p.starts_with("历史文档")))
        .map(str::to_owned);
    let mut section = Section::Other;
    let mut label = String::new();
    let mut after_h1 = false;
    for block in &doc.blocks {
        match block {
            Block::Heading(level, h) => {
                section = section_of(h);
                after_h1 = *level == 1;
            }
            Block::Text(t) => {
                if after_h1 && pe.doc.is_none() && !t.starts_with('>') {
                    pe.doc = Some(super::markdown::clean_cell(t).replace('\n', " "));
                }
                label = t.trim().to_owned();
                // The older format: `**请求方式**：POST` and `**请求地址**：`https://...`` lines.
                let plain = t.replace("**", "").replace('`', "");
                if plain.starts_with("请求地址") {
                    if let Some(at) = plain.find("https://") {
                        pe.url = plain[at..].split_whitespace().next().unwrap_or_default().to_owned();
                    }
                } else if plain.starts_with("请求方式") {
                    let upper = plain.to_ascii_uppercase();
                    if let Some(m) = ["POST", "GET", "PUT", "DELETE", "PATCH"]
                        .iter()
                        .find(|m| upper.contains(*m))
                    {
                        pe.method = (*m).to_owned();
                    }
                }
                if let Some(rate) = super::wecom::rate_limit(t) {
                    pe.rate_limit.get_or_insert(rate);
                }
            }
            Block::Table { header, rows } => {
                after_h1 = false;
                for r in rows {
                    match (r.first().map(String::as_str), r.get(1)) {
                        (Some("HTTP URL"), Some(url)) => pe.url = url.trim().to_owned(),
                        (Some("HTTP Method"), Some(m)) => pe.method = m.trim().to_ascii_uppercase(),
                        _ => {}
                    }
                }
                match section {
                    Section::Header => pe.header_rows.extend(rows_of(header, rows)),
                    Section::Path => pe.path_rows.extend(rows_of(header, rows)),
                    Section::Query => pe.query_rows.extend(rows_of(header, rows)),
                    Section::Body => pe.body_rows.extend(rows_of(header, rows)),
                    Section::Response => pe.response_rows.extend(rows_of(header, rows)),
                    Section::Errors => errors(header, rows, &mut pe),
                    _ => {}
                }
            }
            Block::Code { text, .. } => {
                after_h1 = false;
                // A label line before the block (`**返回示例**`, `请求正文`) says what it is;
                // otherwise the section does.
                let section = if label.contains("返回示例") || label.contains("响应示例") {
                    Section::ResponseExample
                } else if label.contains("请求正文") || label.contains("请求示例") {
                    Section::RequestExample
                } else {
                    section
                };
                match section {
                    Section::RequestExample if text.trim_start().starts_with('{') && pe.request_json.is_none() => {
                        pe.request_json = Some(text.clone());
                    }
                    Section::RequestExample | Section::RequestMethod => request_example(text, &label, section, &mut pe),
                    Section::ResponseExample
                        if pe.response_json.is_none() && strip_http_head(text).starts_with('{') =>
                    {
                        pe.response_json = Some(strip_http_head(text).to_owned());
                    }
                    _ => {}
                }
                label.clear();
            }
        }
    }
    if pe.url.is_empty() {
        return Page {
            vendor: Vendor::Dingtalk,
            module_title,
            endpoints: Vec::new(),
        };
    }
    Page {
        vendor: Vendor::Dingtalk,
        module_title,
        endpoints: vec![pe],
    }
}

fn rows_of(header: &[String], rows: &[Vec<String>]) -> Vec<Row> {
    let Some(name_col) = column(header, &["名称", "参数名称", "参数", "参数名"]) else {
        return Vec::new();
    };
    let type_col = column(header, &["类型", "数据类型"]);
    let required_col = column(header, &["是否必填", "必填", "是否必须"]);
    let example_col = column(header, &["示例值", "示例"]);
    let doc_col = column(header, &["描述", "说明"]);
    rows.iter()
        .filter_map(|r| {
            let cell = r.get(name_col)?;
            let depth = cell.chars().filter(|&c| c == '└').count();
            let name = cell.replace('└', "").trim().to_owned();
            (!name.is_empty()).then(|| Row {
                name,
                ty: type_col.and_then(|c| r.get(c)).cloned(),
                required: required_col
                    .and_then(|c| r.get(c))
                    .map(|c| c.starts_with('是') || c.eq_ignore_ascii_case("true")),
                example: example_col.and_then(|c| r.get(c)).cloned(),
                doc: doc_col.and_then(|c| r.get(c)).cloned().unwrap_or_default(),
                depth: Some(depth),
            })
        })
        .collect()
}

fn errors(header: &[String], rows: &[Vec<String>], pe: &mut PageEndpoint) {
    let Some(code_col) = column(header, &["错误码", "code", "Code"]) else {
        return;
    };
    let http_col = column(header, &["HttpCode", "HTTP状态码"]);
    let docs: Vec<usize> = ["错误信息", "说明", "描述", "解决方案"]
        .iter()
        .filter_map(|n| column(header, &[n]))
        .collect();
    for r in rows {
        let Some(code) = r.get(code_col) else { continue };
        let mut doc: Vec<String> = docs
            .iter()
            .filter_map(|&c| r.get(c))
            .filter(|s| !s.is_empty())
            .map(|s| s.replace('\n', " "))
            .collect();
        doc.dedup();
        let status = http_col
            .and_then(|c| r.get(c))
            .map(|s| format!("HTTP {s} "))
            .unwrap_or_default();
        pe.errcodes
            .push((format!("{status}{code}").trim().to_owned(), doc.join("; ")));
    }
}

/// Reads an example request: an HTTP block (v1.0: request line, headers, JSON body) or an SDK
/// sample in PHP (`$parent->child=` lines tell the nesting).
fn request_example(text: &str, label: &str, section: Section, pe: &mut PageEndpoint) {
    let first = text.lines().next().unwrap_or_default().trim();
    let is_http = first.ends_with("HTTP/1.1") && first.contains(' ');
    if is_http {
        let mut parts = first.split_whitespace();
        let method = parts.next().unwrap_or_default();
        let target = parts.next().unwrap_or_default();
        if pe.method.is_empty() {
            pe.method = method.to_ascii_uppercase();
        }
        if pe.url.is_empty() {
            let host = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("Host:"))
                .map_or("api.dingtalk.com", str::trim);
            pe.url = format!("https://{host}{}", target.split('?').next().unwrap_or(target));
        }
        if section == Section::RequestExample
            && let Some((_, q)) = target.split_once('?')
        {
            pe.request_query = Some(
                q.split('&')
                    .filter_map(|kv| kv.split_once('='))
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect(),
            );
        }
        if let Some((_, body)) = text.split_once("\n\n").or_else(|| text.split_once("\r\n\r\n")) {
            let body = body.trim();
            if body.starts_with('{') {
                if section == Section::RequestExample {
                    pe.request_json = Some(body.to_owned());
                } else {
                    // The `请求方法` block is a schema (`"atAll" : Boolean`): evidence of nesting only.
                    let keys = super::example::schema_keys(body);
                    for (k, v) in keys {
                        pe.sdk_keys.entry(k).or_default().extend(v);
                    }
                }
            }
        }
    } else if label == "PHP" || text.contains("TopSdk.php") {
        for line in text.lines() {
            let line = line.trim();
            let Some(rest) = line.strip_prefix('$') else { continue };
            let Some((var, tail)) = rest.split_once("->") else {
                continue;
            };
            let Some((field, _)) = tail.split_once('=') else {
                continue;
            };
            let field = field.trim();
            if var == "req"
                || var == "c"
                || field.contains('(')
                || !field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                continue;
            }
            pe.sdk_keys.entry(var.to_owned()).or_default().insert(field.to_owned());
        }
        for line in text.lines() {
            // `$req->setCreateRequest($create_request);`: the object at the top level.
            if let Some(arg) = line
                .trim()
                .strip_prefix("$req->set")
                .and_then(|r| r.split_once("($"))
                .map(|(_, a)| a.trim_end_matches([')', ';']))
                && pe.sdk_keys.contains_key(arg)
            {
                pe.sdk_keys.entry(String::new()).or_default().insert(arg.to_owned());
            }
        }
    }
}

/// A response example without its `HTTP/1.1 200 OK` status line and headers.
fn strip_http_head(text: &str) -> &str {
    let t = text.trim_start();
    if t.starts_with("HTTP/")
        && let Some(at) = t.find('{')
    {
        return &t[at..];
    }
    t
}
