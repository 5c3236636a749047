//! One page endpoint to one spec endpoint: id, host, path, token placement, request (query, body,
//! wrap), response (`at`, payload), paging, errcodes, rate limit and the example exchange. The
//! [`ModuleBuilder`] collects a module's endpoints and the enums and type names they share.

use super::fields::{self, Ctx, Enum, Field};
use super::nest::{self, Evidence, Node, Shape};
use super::{PageEndpoint, Vendor};
use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A module ready to write.
#[derive(Debug, Clone)]
pub struct Module {
    /// The vendor (its folder).
    pub vendor: Vendor,
    /// snake_case module name.
    pub name: String,
    /// The module's title.
    pub title: String,
    /// Enums made from value lists.
    pub enums: Vec<Enum>,
    /// The endpoints, in import order.
    pub endpoints: Vec<Endpoint>,
}

/// How an endpoint pages, as guessed from its field names.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// `cursor`, `offset`, `page` or `next_token`.
    pub style: String,
    /// Request field with the position.
    pub request: String,
    /// Request field with the page size.
    pub size: Option<String>,
    /// Response field with the next position.
    pub next: String,
    /// Response field with the items.
    pub items: String,
    /// End signals.
    pub end: Vec<String>,
    /// The has-more flag, when an end signal names it.
    pub has_more: Option<String>,
    /// The total, when an end signal names it.
    pub total: Option<String>,
}

/// The example exchange.
#[derive(Debug, Clone, Default)]
pub struct Example {
    /// `doc` or `table`.
    pub source: String,
    /// What was assembled or corrected.
    pub note: Option<String>,
    /// Query parameters, in order.
    pub query: Vec<(String, Value)>,
    /// Request body JSON text.
    pub request: Option<String>,
    /// Response body JSON text.
    pub response: Option<String>,
}

/// One endpoint ready to write. `todos` are endpoint-level; fields carry their own.
#[derive(Debug, Clone, Default)]
pub struct Endpoint {
    /// snake_case id.
    pub id: String,
    /// Page title.
    pub title: String,
    /// Page link.
    pub doc_url: String,
    /// Page summary.
    pub doc: Option<String>,
    /// `GET` or `POST` (or what the page says, with a TODO).
    pub method: String,
    /// Host key.
    pub host: String,
    /// URL path.
    pub path: String,
    /// `Some("none")` when the page sends no token.
    pub token: Option<String>,
    /// Guessed from the method and the path's verb.
    pub idempotent: bool,
    /// `(calls, per)`.
    pub rate_limit: Option<(u32, String)>,
    /// The body's wrapper object.
    pub wrap: Option<String>,
    /// Query fields.
    pub query: Vec<Field>,
    /// Body fields.
    pub body: Vec<Field>,
    /// `result` or `top`.
    pub response_at: String,
    /// The payload (its `name` is unused).
    pub response: Field,
    /// Paging, if guessed.
    pub paging: Option<Paging>,
    /// Numeric errcodes.
    pub errcodes: Vec<(i64, String)>,
    /// The example exchange.
    pub example: Option<Example>,
    /// Endpoint-level guesses and things the spec cannot hold.
    pub todos: Vec<String>,
    /// Guesses about the paging block.
    pub paging_todos: Vec<String>,
}

/// `(id, module)` from a request URL: prefixes (`cgi-bin`, `topapi`, `v1.0`) and umbrella segments
/// (`oa`, `smartwork`) dropped, path parameters left out, each segment snake_case.
pub fn id_and_module(url: &str) -> (String, String) {
    let (_, path) = host_and_path(url);
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .filter(|s| !matches!(*s, "cgi-bin" | "topapi" | "v1.0" | "v2.0"))
        .map(|s| s.replace(['.', '-'], "_").to_snake_case())
        .collect();
    let skip = usize::from(segments.len() > 2 && matches!(segments[0].as_str(), "oa" | "smartwork"));
    let segments = &segments[skip..];
    let module = segments.first().cloned().unwrap_or_else(|| "imported".to_owned());
    (segments.join("_"), module)
}

fn host_and_path(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    }
}

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

/// Collects a module's endpoints, with the names and enums they share.
pub struct ModuleBuilder {
    vendor: Vendor,
    name: String,
    title: Option<String>,
    names: BTreeSet<String>,
    enums: Vec<Enum>,
    endpoints: Vec<Endpoint>,
}

impl ModuleBuilder {
    /// An empty module.
    pub fn new(vendor: Vendor, name: &str, title: Option<String>) -> ModuleBuilder {
        ModuleBuilder {
            vendor,
            name: name.to_owned(),
            title,
            names: BTreeSet::new(),
            enums: Vec::new(),
            endpoints: Vec::new(),
        }
    }

    /// The module, endpoints in the order they were added.
    pub fn finish(self) -> Module {
        Module {
            vendor: self.vendor,
            title: self.title.unwrap_or_else(|| self.name.clone()),
            name: self.name,
            enums: self.enums,
            endpoints: self.endpoints,
        }
    }

    /// Imports one page endpoint as `id`.
    pub fn add(&mut self, pe: &PageEndpoint, id: String) {
        let mut ids: BTreeSet<String> = self.endpoints.iter().map(|e| e.id.clone()).collect();
        let id = fields::unique(&mut ids, id);
        let vendor = self.vendor;
        let (host_name, path) = host_and_path(&pe.url);
        let mut e = Endpoint {
            id: id.clone(),
            title: pe.title.clone(),
            doc_url: pe.doc_url.clone(),
            doc: pe.doc.clone(),
            method: pe.method.clone(),
            path: path.to_owned(),
            rate_limit: pe.rate_limit.clone(),
            todos: pe.todos.clone(),
            ..Endpoint::default()
        };
        e.host = match host_name {
            "qyapi.weixin.qq.com" => "qyapi",
            "oapi.dingtalk.com" => "oapi",
            "api.dingtalk.com" => "api",
            other => {
                e.todos.push(format!("host {other} is not one of the vendor's hosts"));
                other
            }
        }
        .to_owned();
        if !matches!(e.method.as_str(), "GET" | "POST") {
            e.todos.push(format!(
                "the page's method is {}; the spec knows GET and POST only",
                e.method
            ));
        }
        if e.rate_limit.is_some() {
            e.todos.push("rate_limit read from the page's text".to_owned());
        }
        let is_token = |n: &str| n == "access_token" || n.eq_ignore_ascii_case("x-acs-dingtalk-access-token");
        let has_token =
            pe.url.contains("access_token=") || pe.query_rows.iter().chain(&pe.header_rows).any(|r| is_token(&r.name));
        if !has_token {
            e.token = Some("none".to_owned());
            e.todos
                .push("the page shows no access token; `token: none` assumed".to_owned());
        }
        for r in pe.header_rows.iter().filter(|r| !is_token(&r.name)) {
            e.todos.push(format!(
                "header `{}` ({}) is not expressible in the spec",
                r.name,
                r.doc.replace('\n', " ")
            ));
        }
        for r in &pe.path_rows {
            e.todos.push(format!(
                "path parameter `{}` ({}) is not expressible in the spec; the path keeps its placeholder",
                r.name,
                r.doc.replace('\n', " ")
            ));
        }
        e.idempotent = e.method == "GET" || reads(&id);
        if e.method != "GET" {
            e.todos
                .push(format!("idempotent: {} guessed from the path's verb", e.idempotent));
        }

        let module_camel = self.name.to_upper_camel_case();
        let id_camel = id.to_upper_camel_case();
        let mut ctx = Ctx {
            vendor,
            module_camel,
            id_camel,
            request: true,
            names: &mut self.names,
            enums: &mut self.enums,
        };

        // Request.
        let request = pe.request_json.as_deref().map(parse_lenient);
        let request_value = request.as_ref().and_then(|r| r.as_ref().ok()).map(|(v, _)| v.clone());
        let request_shape = request_value.as_ref().map(Shape::of);
        let evidence = Evidence {
            json: request_shape.clone(),
            by_name: pe.sdk_keys.clone(),
            top_level: Vec::new(),
        };
        let container = |r: &super::Row| fields::is_container(vendor, r);
        let mut body_nodes = nest::nest(pe.body_rows.clone(), &evidence, &container);
        if let Some(shape) = &request_shape {
            nest::add_example_only(&mut body_nodes, shape, &[]);
        }
        let mut body_shape = request_shape.clone();
        if let [only] = body_nodes.as_slice() {
            let list = only
                .row
                .as_ref()
                .and_then(|r| r.ty.as_deref())
                .is_some_and(|t| t.ends_with("[]") || t.starts_with("Array"));
            if !only.children.is_empty() && !list {
                e.wrap = Some(only.name.clone());
                body_shape = body_shape.and_then(|s| s.keys.get(&only.name).cloned());
                body_nodes = only.children.clone();
            }
        }
        e.body = fields::fields(&body_nodes, body_shape.as_ref(), &mut ctx);
        let query_rows: Vec<_> = pe.query_rows.iter().filter(|r| !is_token(&r.name)).cloned().collect();
        let query_nodes = nest::nest(query_rows, &Evidence::default(), &container);
        e.query = fields::fields(&query_nodes, None, &mut ctx);

        // Response.
        ctx.request = false;
        let response = pe.response_json.as_deref().map(parse_lenient);
        let response_shape = response
            .as_ref()
            .and_then(|r| r.as_ref().ok())
            .map(|(v, _)| Shape::of(v));
        let top_level = vendor.envelope().iter().map(|s| (*s).to_owned()).collect();
        let evidence = Evidence {
            json: response_shape.clone(),
            by_name: HashMap::new(),
            top_level,
        };
        let mut nodes = nest::nest(pe.response_rows.clone(), &evidence, &container);
        let envelope = vendor.envelope();
        if let Some(shape) = &response_shape {
            nest::add_example_only(&mut nodes, shape, envelope);
        }
        nodes.retain(|n| !envelope.contains(&n.name.as_str()));
        response_payload(&mut e, nodes, response_shape.as_ref(), &mut ctx);

        paging(&mut e);
        for (code, doc) in &pe.errcodes {
            match code.parse::<i64>() {
                Ok(c) => e.errcodes.push((c, doc.clone())),
                Err(_) => e.todos.push(format!(
                    "the page lists error `{code}` ({doc}); only numeric errcodes fit `errcodes:`"
                )),
            }
        }
        e.example = example(&e, pe, request, response);
        self.endpoints.push(e);
    }
}

/// Whether an id's verb reads (and so may be resent).
fn reads(id: &str) -> bool {
    let last = id.rsplit('_').next().unwrap_or(id);
    let writes = [
        "create",
        "add",
        "update",
        "delete",
        "del",
        "remove",
        "send",
        "set",
        "save",
        "submit",
        "upload",
        "apply",
        "cancel",
        "approve",
        "revoke",
        "batchdelete",
        "invite",
        "transfer",
        "recall",
        "modify",
        "edit",
        "close",
        "open",
        "start",
        "stop",
        "finish",
    ];
    let verb_reads = [
        "get",
        "list",
        "query",
        "search",
        "count",
        "stat",
        "statistic",
        "info",
        "detail",
        "simplelist",
        "listids",
        "getbyname",
    ];
    !writes.iter().any(|w| last.starts_with(w)) && (verb_reads.iter().any(|v| id.contains(v)))
}

fn response_payload(e: &mut Endpoint, nodes: Vec<Node>, shape: Option<&Shape>, ctx: &mut Ctx) {
    let result = nodes.iter().position(|n| n.name == "result");
    match result {
        Some(i) => {
            e.response_at = "result".to_owned();
            let others: Vec<String> = nodes
                .iter()
                .filter(|n| n.name != "result")
                .map(|n| format!("`{}`", n.name))
                .collect();
            if !others.is_empty() {
                e.todos.push(format!(
                    "the response has fields beside `result` ({}); `at: result` cannot hold them",
                    others.join(", ")
                ));
            }
            let mut root = fields::fields(&nodes[i..=i], shape, ctx).remove(0);
            root.todos.retain(|t| !t.contains("required"));
            e.response = root;
        }
        None => {
            e.response_at = "top".to_owned();
            e.response = Field {
                ty: "object".to_owned(),
                fields: fields::fields(&nodes, shape, ctx),
                ..Field::default()
            };
            if nodes.is_empty() {
                e.response
                    .todos
                    .push("the page lists no response fields besides the envelope".to_owned());
            }
        }
    }
}

fn find<'a>(fields: &'a [Field], names: &[&str]) -> Option<&'a Field> {
    names.iter().find_map(|n| fields.iter().find(|f| f.name == *n))
}

fn paging(e: &mut Endpoint) {
    let request: Vec<Field> = e.query.iter().chain(&e.body).cloned().collect();
    let position = find(
        &request,
        &[
            "cursor",
            "offset",
            "nextToken",
            "next_token",
            "pageNumber",
            "page",
            "pageNo",
            "page_no",
            "pageIndex",
        ],
    );
    let Some(position) = position else { return };
    let size = find(
        &request,
        &[
            "size",
            "limit",
            "maxResults",
            "max_results",
            "pageSize",
            "page_size",
            "count",
        ],
    )
    .map(|f| f.name.clone());
    let payload = &e.response.fields;
    let next = find(
        payload,
        &[
            "next_cursor",
            "nextCursor",
            "nextToken",
            "next_token",
            "next_offset",
            "nextOffset",
        ],
    );
    let has_more = find(payload, &["has_more", "hasMore"]).map(|f| f.name.clone());
    let total = find(payload, &["total", "totalCount"]).map(|f| f.name.clone());
    let items = payload
        .iter()
        .find(|f| f.ty.starts_with("list<"))
        .map(|f| f.name.clone());
    let (Some(next), Some(items)) = (next, items) else {
        e.todos.push(format!(
            "the request pages with `{}` but the response names no next position or no list; the spec cannot express computed positions (offset + size, page + 1) yet",
            position.name
        ));
        return;
    };
    let style = match position.name.as_str() {
        "cursor" => "cursor",
        "offset" => "offset",
        "nextToken" | "next_token" => "next_token",
        _ => "page",
    };
    let mut end = Vec::new();
    if has_more.is_some() {
        end.push("has_more_false".to_owned());
    }
    if total.is_some() && next.name.contains("offset") {
        end.push("next_equals_total".to_owned());
    }
    if end.is_empty() {
        end.push("next_absent".to_owned());
    }
    let total = total.filter(|_| end.iter().any(|s| s == "next_equals_total"));
    e.paging_todos
        .push("paging guessed from the field names; check the end signal against the page's text".to_owned());
    e.paging = Some(Paging {
        style: style.to_owned(),
        request: position.name.clone(),
        size,
        next: next.name.clone(),
        items,
        end,
        has_more,
        total,
    });
}

type Parsed = Option<Result<(Value, Option<String>), String>>;

fn example(e: &Endpoint, pe: &PageEndpoint, request: Parsed, response: Parsed) -> Option<Example> {
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
    fn ids_follow_the_hand_written_spec() {
        assert_eq!(
            id_and_module("https://qyapi.weixin.qq.com/cgi-bin/oa/journal/get_stat_list?access_token=X"),
            ("journal_get_stat_list".into(), "journal".into())
        );
        assert_eq!(
            id_and_module("https://oapi.dingtalk.com/topapi/smartwork/hrm/employee/querypreentry"),
            ("hrm_employee_querypreentry".into(), "hrm".into())
        );
        assert_eq!(
            id_and_module("https://api.dingtalk.com/v1.0/hrm/employees/dismissions"),
            ("hrm_employees_dismissions".into(), "hrm".into())
        );
        assert_eq!(
            id_and_module("https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ID"),
            ("gettoken".into(), "gettoken".into())
        );
    }

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
