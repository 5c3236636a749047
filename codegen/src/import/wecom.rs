//! WeCom's page format: front matter, `**请求方式：**POST` and `**请求地址：**https://qyapi...`
//! lines (several per page when a page documents several endpoints), a `| 参数 | 必须 | 说明 |`
//! request table (sometimes with 类型), JSON examples in code blocks, a response table with dotted
//! names (`stat_list.template_id`), and a `| 错误码 | 说明 |` table.

use super::fields::Ty;
use super::markdown::{Block, Doc, column};
use super::{Page, PageEndpoint, Row, Vendor};

/// Maps a WeCom type cell (`uint32`, `obj[]`, `string[]`) to a type.
pub fn table_type(cell: &str) -> Option<Ty> {
    let t = cell.trim().to_ascii_lowercase();
    if let Some(inner) = t.strip_suffix("[]").or_else(|| t.strip_prefix("array of ")) {
        return table_type(inner).map(|i| Ty::List(Box::new(i)));
    }
    Some(match t.as_str() {
        "string" | "str" => Ty::Str,
        "int32" | "int" | "integer" => Ty::Int("int32"),
        "uint32" | "uint" => Ty::Int("uint32"),
        "int64" | "long" => Ty::Int("int64"),
        "uint64" => Ty::Int("uint64"),
        "bool" | "boolean" => Ty::Bool,
        "float" | "double" | "number" => Ty::Float,
        "obj" | "object" | "json" | "struct" => Ty::Object,
        "array" | "list" => Ty::List(Box::new(Ty::Str)),
        _ => return None,
    })
}

/// Reads a WeCom page: one endpoint per `请求地址` line.
pub fn read(path: &str, doc: &Doc) -> Page {
    let title = doc.front.get("title").cloned().unwrap_or_default();
    let doc_url = doc.front.get("source_url").cloned().unwrap_or_default();
    let summary = doc.blocks.iter().find_map(|b| match b {
        Block::Text(t)
            if !t.starts_with("最后更新")
                && !t.starts_with("**")
                && !t.starts_with(":::")
                && !t.starts_with('>')
                && !t.starts_with("[TOC]") =>
        {
            Some(super::markdown::clean_cell(t).replace('\n', " "))
        }
        _ => None,
    });
    // Where each endpoint's section starts: the line with its request URL.
    let starts: Vec<usize> = doc
        .blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| matches!(b, Block::Text(t) if request_url(t).is_some()).then_some(i))
        .collect();
    let mut endpoints = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(doc.blocks.len());
        // The section's heading (for pages with several endpoints) and its method line may come
        // just before the URL line.
        let from = if k == 0 { 0 } else { starts[k - 1] + 1 };
        let heading = doc.blocks[from..start].iter().rev().find_map(|b| match b {
            Block::Heading(_, h) => Some(h.clone()),
            _ => None,
        });
        let mut pe = PageEndpoint {
            title: match (&heading, starts.len() > 1) {
                (Some(h), true) => format!("{title}（{h}）"),
                _ => title.clone(),
            },
            doc: summary.clone(),
            doc_url: doc_url.clone(),
            ..PageEndpoint::default()
        };
        let Block::Text(url_line) = &doc.blocks[start] else {
            continue;
        };
        pe.url = request_url(url_line).unwrap_or_default();
        pe.method = doc.blocks[from..=start.min(end)]
            .iter()
            .rev()
            .find_map(|b| match b {
                Block::Text(t) if t.contains("请求方式") => method_of(t),
                _ => None,
            })
            .unwrap_or_else(|| {
                pe.todos
                    .push("the page states no request method; POST assumed".to_owned());
                "POST".to_owned()
            });
        read_section(&doc.blocks[start + 1..end], &mut pe);
        endpoints.push(pe);
    }
    Page {
        vendor: Vendor::Wecom,
        module_title: module_title(path),
        endpoints,
    }
}

/// `https://qyapi.weixin.qq.com/cgi-bin/...` from a `请求地址` line.
fn request_url(line: &str) -> Option<String> {
    if !line.contains("请求地址") {
        return None;
    }
    let at = line
        .find("https://qyapi.weixin.qq.com")
        .or_else(|| line.find("http://qyapi.weixin.qq.com"))?;
    let url: String = line[at..]
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '*' | ')' | '（' | '`' | '<'))
        .collect();
    Some(url.replace("&amp;", "&"))
}

fn method_of(line: &str) -> Option<String> {
    let upper = line.to_ascii_uppercase();
    ["POST", "GET"]
        .iter()
        .find(|m| upper.contains(*m))
        .map(|m| (*m).to_owned())
}

/// The module title from the page's folder (`033-汇报` -> `汇报`).
fn module_title(path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split(['/', '\\']).collect();
    let api = parts.iter().position(|p| p.ends_with("服务端API"))?;
    let folder = parts.get(api + 1).filter(|_| parts.len() > api + 2)?;
    Some(folder.split_once('-').map_or(*folder, |(_, t)| t).to_owned())
}

fn read_section(blocks: &[Block], pe: &mut PageEndpoint) {
    let query_keys: Vec<String> = pe
        .url
        .split_once('?')
        .map(|(_, q)| {
            q.split('&')
                .filter_map(|kv| kv.split('=').next())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let mut in_response = false;
    for block in blocks {
        match block {
            Block::Text(t) => {
                let plain = t.replace("**", "").replace("__", "");
                if ["返回结果", "返回示例", "返回数据", "响应示例", "返回参数", "返回说明"]
                    .iter()
                    .any(|m| plain.starts_with(m))
                {
                    in_response = true;
                }
                if let Some(rate) = rate_limit(&plain) {
                    pe.rate_limit.get_or_insert(rate);
                }
            }
            Block::Code { text, .. } if text.trim_start().starts_with('{') => {
                let slot = if in_response {
                    &mut pe.response_json
                } else {
                    &mut pe.request_json
                };
                if slot.is_none() {
                    *slot = Some(text.clone());
                } else if in_response {
                    let todo = "the page shows more than one response example; the first is used";
                    if !pe.todos.iter().any(|t| t == todo) {
                        pe.todos.push(todo.to_owned());
                    }
                }
            }
            Block::Table { header, rows } => {
                if column(header, &["错误码"]).is_some() {
                    for r in rows {
                        if let (Some(code), Some(doc)) = (r.first(), r.get(1)) {
                            pe.errcodes.push((code.clone(), doc.replace('\n', " ")));
                        }
                    }
                    continue;
                }
                let Some(name_col) = column(header, &["参数", "参数名", "字段", "名称", "参数名称"])
                else {
                    continue;
                };
                let required_col = column(header, &["必须", "是否必须", "必填", "是否必填"]);
                let type_col = column(header, &["类型", "数据类型"]);
                let doc_col = column(header, &["说明", "描述", "含义"]);
                let table_rows: Vec<Row> = rows
                    .iter()
                    .filter_map(|r| {
                        let cell = r.get(name_col)?;
                        // A few pages mark children with `└` as DingTalk does; invisible
                        // characters around a name are not part of it.
                        let depth = cell.chars().filter(|&c| c == '└').count();
                        let name: String = cell.chars().filter(|c| c.is_ascii_graphic() && *c != '└').collect();
                        (!name.is_empty()).then(|| Row {
                            name,
                            ty: type_col.and_then(|c| r.get(c)).cloned(),
                            required: required_col
                                .and_then(|c| r.get(c))
                                .map(|c| c.starts_with('是') || c.eq_ignore_ascii_case("true") || c == "必须"),
                            example: None,
                            doc: doc_col.and_then(|c| r.get(c)).cloned().unwrap_or_default(),
                            depth: (depth > 0).then_some(depth),
                        })
                    })
                    .collect();
                // A request table has a required column or comes before the response marker.
                let is_request = required_col.is_some()
                    || (!in_response
                        && pe.response_rows.is_empty()
                        && pe.body_rows.is_empty()
                        && pe.query_rows.is_empty());
                if is_request && pe.body_rows.is_empty() && pe.query_rows.is_empty() {
                    for row in table_rows {
                        if pe.method == "GET" || query_keys.contains(&row.name) {
                            pe.query_rows.push(row);
                        } else {
                            pe.body_rows.push(row);
                        }
                    }
                } else if !is_request && pe.response_rows.is_empty() {
                    pe.response_rows = table_rows;
                } else {
                    pe.todos.push(format!(
                        "the section has another parameter table (columns: {}); not imported",
                        header.join(", ")
                    ));
                }
            }
            _ => {}
        }
    }
    if pe.method == "GET" {
        let pairs: Vec<(String, String)> = pe
            .url
            .split_once('?')
            .map(|(_, q)| {
                q.split('&')
                    .filter_map(|kv| kv.split_once('='))
                    .filter(|(k, _)| *k != "access_token")
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        if !pairs.is_empty() {
            pe.request_query = Some(pairs);
        }
    }
}

/// `(calls, per)` from `接口调用频率限制为100次/分钟`.
pub fn rate_limit(text: &str) -> Option<(u32, String)> {
    let at = text.find("次/")?;
    let digits: String = text[..at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let calls = digits.parse().ok()?;
    let rest = &text[at + "次/".len()..];
    let per = [
        ("秒", "second"),
        ("分钟", "minute"),
        ("分", "minute"),
        ("小时", "hour"),
        ("天", "day"),
        ("日", "day"),
    ]
    .iter()
    .find(|(zh, _)| rest.starts_with(zh))?
    .1;
    Some((calls, per.to_owned()))
}
