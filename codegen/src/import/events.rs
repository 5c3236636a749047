//! DingTalk event pages (事件订阅 > 组织关系 > 通讯录 > 企业增加员工事件 ...): the event's English
//! name, title, 功能描述 and "HTTP推送" example become an `events:` entry. The pages have no field
//! tables, so the fields and their types come from the example's keys and values, each marked
//! `TODO(import)`; the vendor's header fields (vendor.yaml `events.header`) are left to the header.

use serde_json::Value;

/// The header fields of DingTalk's HTTP push (spec/dingtalk/vendor.yaml `events.header`).
const DINGTALK_HEADER: &[&str] = &["EventType", "EventTime", "CorpId", "BizId", "eventId"];

/// An event read from its page.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedEvent {
    /// The English name (`user_add_org`): the id and the `EventType` value.
    pub id: String,
    /// The page title.
    pub title: String,
    /// The page's `source_url`.
    pub doc_url: String,
    /// The 功能描述 text.
    pub doc: Option<String>,
    /// `(wire name, spec type)` of each field of the example that is not a header field, in the
    /// example's order.
    pub fields: Vec<(String, String)>,
    /// The HTTP push example as the page writes it.
    pub payload: String,
    /// Guesses for a reviewer.
    pub todos: Vec<String>,
}

/// Whether a page documents a pushed event (it names the event's 英文名称) rather than an endpoint.
pub fn is_event_page(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("| 英文名称 |"))
}

/// Reads a DingTalk event page; `None` when it names no event or has no HTTP push example.
pub fn read_dingtalk(text: &str) -> Option<ImportedEvent> {
    let lines: Vec<&str> = text.lines().collect();
    let cell = |l: &str| l.split('|').nth(2).map(|c| c.trim().replace("\\_", "_"));
    let id = lines
        .iter()
        .find(|l| l.starts_with("| 英文名称 |"))
        .and_then(|l| cell(l))?;
    let title = lines.iter().find_map(|l| l.strip_prefix("# "))?.trim().to_owned();
    let doc_url = lines
        .iter()
        .find_map(|l| l.strip_prefix("source_url:"))
        .map(|u| u.trim().trim_matches('"').to_owned())
        .unwrap_or_default();
    let doc = section(&lines, "功能描述");
    let payload = http_example(&lines)?;
    let mut todos = Vec::new();
    let fields = match serde_json::from_str::<Value>(&payload) {
        Ok(Value::Object(map)) => {
            let mut keys: Vec<(&String, &Value)> = map
                .iter()
                .filter(|(k, _)| !DINGTALK_HEADER.contains(&k.as_str()))
                .collect();
            // The example's order, which the parsed map does not keep.
            keys.sort_by_key(|(k, _)| payload.find(&format!("\"{k}\"")).unwrap_or(usize::MAX));
            keys.into_iter().map(|(k, v)| (k.clone(), spec_type(v))).collect()
        }
        _ => {
            todos.push("the HTTP push example is not a JSON object; fields not imported".to_owned());
            Vec::new()
        }
    };
    if fields.iter().any(|(_, t)| t == "json") {
        todos.push("a field holds an object: give it a named type under `types:`".to_owned());
    }
    Some(ImportedEvent {
        id,
        title,
        doc_url,
        doc,
        fields,
        payload,
        todos,
    })
}

/// The paragraphs under `## {name}`, joined, or `None`.
fn section(lines: &[&str], name: &str) -> Option<String> {
    let start = lines.iter().position(|l| l.starts_with("## ") && l.contains(name))? + 1;
    let text: Vec<String> = lines[start..]
        .iter()
        .take_while(|l| !l.starts_with('#'))
        .map(|l| l.trim_start_matches('>').trim())
        .filter(|l| !l.is_empty())
        .map(|l| l.replace("说明：", ""))
        .collect();
    (!text.is_empty()).then(|| text.join(""))
}

/// The first fenced block after the line `HTTP推送`.
fn http_example(lines: &[&str]) -> Option<String> {
    let after = lines.iter().position(|l| l.trim() == "HTTP推送")?;
    let open = after + lines[after..].iter().position(|l| l.trim_start().starts_with("```"))?;
    let body: Vec<&str> = lines[open + 1..]
        .iter()
        .take_while(|l| !l.trim_start().starts_with("```"))
        .copied()
        .collect();
    Some(body.join("\n") + "\n")
}

/// The spec type an example value suggests.
fn spec_type(v: &Value) -> String {
    match v {
        Value::String(_) => "string".to_owned(),
        Value::Bool(_) => "bool".to_owned(),
        Value::Number(n) if n.is_i64() || n.is_u64() => "int64".to_owned(),
        Value::Number(_) => "float64".to_owned(),
        Value::Array(items) => match items.first() {
            Some(first) => format!("list<{}>", spec_type(first)),
            None => "list<string>".to_owned(),
        },
        Value::Object(_) | Value::Null => "json".to_owned(),
    }
}
