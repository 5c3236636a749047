//! The example exchange of an imported endpoint: the page's JSON (read leniently, kept verbatim),
//! a request assembled from the tables' example values where the page has none, query pairs from
//! an example URL, and the nesting evidence of schema-like request bodies.

use super::PageEndpoint;
use super::endpoint::{Endpoint, Example};
use super::fields::Field;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Parses example JSON as the page wrote it; if that fails, once more without trailing commas and
/// `//` comments. Returns the value and, when it had to be corrected, the corrected text.
pub fn parse_lenient(text: &str) -> Result<(Value, Option<String>), String> {
    let text = dedent(text);
    match serde_json::from_str(&text) {
        Ok(v) => Ok((v, None)),
        Err(first) => {
            let fixed = without_trailing_commas(&text);
            serde_json::from_str(&fixed)
                .map(|v| (v, Some(fixed)))
                .map_err(|_| first.to_string())
        }
    }
}

/// Removes the common indentation and trailing spaces of a code block.
pub fn dedent(text: &str) -> String {
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let lines: Vec<&str> = text
        .lines()
        .map(|l| {
            if l.len() >= indent {
                l[indent..].trim_end()
            } else {
                l.trim()
            }
        })
        .collect();
    lines.join("\n").trim_matches('\n').to_owned()
}

fn without_trailing_commas(text: &str) -> String {
    let no_comments: Vec<&str> = text
        .lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains("http") && l[..i].matches('"').count() % 2 == 0 => l[..i].trim_end(),
            _ => l,
        })
        .collect();
    let s = no_comments.join("\n");
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut in_string = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' && (i == 0 || chars[i - 1] != '\\') {
            in_string = !in_string;
        }
        if c == ',' && !in_string {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}') | Some(']')) {
                i += 1;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Keys per object name of a schema-like body (`"atAll" : Boolean`); the root is `""`.
pub fn schema_keys(body: &str) -> HashMap<String, BTreeSet<String>> {
    let lines: Vec<String> = body
        .lines()
        .map(|l| match l.split_once(" : ").or_else(|| l.split_once(": ")) {
            Some((k, v)) if v.trim_start().starts_with(|c: char| c.is_ascii_alphabetic()) => {
                format!("{k} : null{}", if v.trim_end().ends_with(',') { "," } else { "" })
            }
            _ => l.to_owned(),
        })
        .collect();
    let mut out = HashMap::new();
    if let Ok((v, _)) = parse_lenient(&lines.join("\n")) {
        keys_by_name(&v, "", &mut out);
    }
    out
}

fn keys_by_name(v: &Value, name: &str, out: &mut HashMap<String, BTreeSet<String>>) {
    match v {
        Value::Object(map) => {
            out.entry(name.to_owned()).or_default().extend(map.keys().cloned());
            for (k, child) in map {
                keys_by_name(child, k, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| keys_by_name(i, name, out)),
        _ => {}
    }
}

pub(super) type Parsed = Option<Result<(Value, Option<String>), String>>;

pub(super) fn example(e: &Endpoint, pe: &PageEndpoint, request: Parsed, response: Parsed) -> Option<Example> {
    let mut ex = Example {
        source: "doc".to_owned(),
        ..Example::default()
    };
    let mut notes = Vec::new();
    match request {
        Some(Ok((_, fixed))) => {
            if fixed.is_some() {
                notes.push(
                    "the page's request example is not valid JSON (trailing commas or comments); they were removed",
                );
            }
            ex.request = Some(fixed.unwrap_or_else(|| dedent(pe.request_json.as_deref().unwrap_or_default())));
        }
        Some(Err(_)) | None if !e.body.is_empty() => {
            let mut body = assemble(&e.body);
            if let Some(w) = &e.wrap {
                body = Json::Obj(vec![(w.clone(), body)]);
            }
            ex.request = Some(body.render(0));
            ex.source = "table".to_owned();
            notes.push(if pe.request_json.is_some() {
                "the page's request example is not JSON; the request was assembled from the tables' example values"
            } else {
                "the page has no JSON request; it was assembled from the tables' example values"
            });
        }
        _ => {}
    }
    let query_types: BTreeMap<&str, &str> = e.query.iter().map(|f| (f.name.as_str(), f.ty.as_str())).collect();
    if let Some(pairs) = &pe.request_query {
        ex.query = pairs
            .iter()
            .filter(|(k, _)| query_types.contains_key(k.as_str()))
            .map(|(k, v)| {
                (
                    k.clone(),
                    typed_scalar(v, query_types.get(k.as_str()).copied().unwrap_or("string")),
                )
            })
            .collect();
    } else {
        ex.query = e
            .query
            .iter()
            .filter_map(|f| {
                let value = f.example.clone().or_else(|| f.required.then(|| placeholder(&f.ty)));
                value.map(|v| (f.name.clone(), v))
            })
            .collect();
        if !ex.query.is_empty() {
            ex.source = "table".to_owned();
            notes.push("the query was assembled from the tables' example values (placeholders where they give none)");
        }
    }
    match response {
        Some(Ok((_, fixed))) => {
            if fixed.is_some() {
                notes.push(
                    "the page's response example is not valid JSON (trailing commas or comments); they were removed",
                );
            }
            ex.response = Some(fixed.unwrap_or_else(|| dedent(pe.response_json.as_deref().unwrap_or_default())));
        }
        Some(Err(_)) => notes.push("the page's response example is not JSON; left out"),
        None => {}
    }
    if !notes.is_empty() {
        ex.note = Some(notes.join("; "));
    }
    (ex.request.is_some() || ex.response.is_some() || !ex.query.is_empty()).then_some(ex)
}

fn typed_scalar(v: &str, ty: &str) -> Value {
    if (ty.starts_with("int") || ty.starts_with("uint") || ty.starts_with("unix_"))
        && let Ok(n) = v.parse::<i64>()
    {
        return Value::from(n);
    }
    match v {
        "true" if ty == "bool" => Value::Bool(true),
        "false" if ty == "bool" => Value::Bool(false),
        _ => Value::String(v.to_owned()),
    }
}

/// JSON with keys in table order (serde_json's map sorts them).
enum Json {
    Obj(Vec<(String, Json)>),
    Arr(Vec<Json>),
    V(Value),
}

fn assemble(fields: &[Field]) -> Json {
    Json::Obj(
        fields
            .iter()
            .filter_map(|f| {
                let v = if !f.fields.is_empty() {
                    let inner = assemble(&f.fields);
                    if f.ty.starts_with("list<") {
                        Json::Arr(vec![inner])
                    } else {
                        inner
                    }
                } else {
                    Json::V(f.example.clone().or_else(|| f.required.then(|| placeholder(&f.ty)))?)
                };
                Some((f.name.clone(), v))
            })
            .collect(),
    )
}

fn placeholder(ty: &str) -> Value {
    match ty {
        t if t.starts_with("list<") => Value::Array(Vec::new()),
        "bool" => Value::Bool(false),
        "string" | "datetime" | "json" => Value::String(String::new()),
        t if t.starts_with("comma_list") => Value::String(String::new()),
        _ => Value::from(0),
    }
}

impl Json {
    fn render(&self, indent: usize) -> String {
        let pad = "  ".repeat(indent + 1);
        let close = "  ".repeat(indent);
        match self {
            Json::V(v) => v.to_string(),
            Json::Arr(items) if items.is_empty() => "[]".to_owned(),
            Json::Obj(items) if items.is_empty() => "{}".to_owned(),
            Json::Arr(items) => {
                let inner: Vec<String> = items.iter().map(|i| format!("{pad}{}", i.render(indent + 1))).collect();
                format!("[\n{}\n{close}]", inner.join(",\n"))
            }
            Json::Obj(items) => {
                let inner: Vec<String> = items
                    .iter()
                    .map(|(k, v)| format!("{pad}{}: {}", Value::String(k.clone()), v.render(indent + 1)))
                    .collect();
                format!("{{\n{}\n{close}}}", inner.join(",\n"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_json_drops_trailing_commas_only_when_needed() {
        assert!(parse_lenient("{\"a\": 1}").unwrap().1.is_none());
        let (v, fixed) = parse_lenient("{\"a\": [1,],\n \"b\": \"x,\",\n}").unwrap();
        assert_eq!(v, serde_json::json!({"a": [1], "b": "x,"}));
        assert!(fixed.is_some());
        assert!(parse_lenient("{a: 1}").is_err());
    }

    #[test]
    fn schema_bodies_give_keys_per_object() {
        let keys = schema_keys("{\n  \"a\" : \"String\",\n  \"opts\" : {\n    \"b\" : Boolean\n  }\n}");
        assert_eq!(keys[""], ["a".to_owned(), "opts".to_owned()].into());
        assert_eq!(keys["opts"], ["b".to_owned()].into());
    }
}
