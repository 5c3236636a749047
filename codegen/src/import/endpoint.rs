//! One page endpoint to one spec endpoint: id, host, path, token placement, request (query, body,
//! wrap), response (`at`, payload), paging, errcodes and rate limit (the example exchange is in
//! `example.rs`). The [`ModuleBuilder`] collects a module's endpoints and the enums and type names
//! they share.

use super::example::{example, parse_lenient};
use super::fields::{self, Ctx, Enum, Field};
use super::nest::{self, Evidence, Node, Shape};
use super::{PageEndpoint, Vendor};
use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

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
    /// Pushed events, in import order.
    pub events: Vec<super::events::ImportedEvent>,
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

/// Collects a module's endpoints, with the names and enums they share.
pub struct ModuleBuilder {
    vendor: Vendor,
    name: String,
    title: Option<String>,
    names: BTreeSet<String>,
    enums: Vec<Enum>,
    endpoints: Vec<Endpoint>,
    events: Vec<super::events::ImportedEvent>,
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
            events: Vec::new(),
        }
    }

    /// Adds an event read from its page.
    pub fn add_event(&mut self, event: super::events::ImportedEvent) {
        self.events.push(event);
    }

    /// The module, endpoints in the order they were added.
    pub fn finish(self) -> Module {
        Module {
            vendor: self.vendor,
            title: self.title.unwrap_or_else(|| self.name.clone()),
            name: self.name,
            enums: self.enums,
            endpoints: self.endpoints,
            events: self.events,
        }
    }

    /// Imports one page endpoint as `id`. A request the module already has (same method and path:
    /// WeCom documents some URLs on two pages) is not imported twice; the first page's endpoint gets
    /// a TODO naming the other page, so a reviewer compares them.
    pub fn add(&mut self, pe: &PageEndpoint, id: String) {
        let path = host_and_path(&pe.url).1;
        if let Some(first) = self
            .endpoints
            .iter_mut()
            .find(|e| e.method == pe.method && e.path == path)
        {
            first.todos.push(format!(
                "the same request is also documented on {} ({}); only the first page was imported",
                pe.title, pe.doc_url
            ));
            return;
        }
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
            // A list is never a wrapper, whether the table says so or (without a type column) only
            // the example shows it (添加打卡记录's `records`).
            let list = only
                .row
                .as_ref()
                .and_then(|r| r.ty.as_deref())
                .is_some_and(|t| t.ends_with("[]") || t.starts_with("Array"))
                || request_shape
                    .as_ref()
                    .and_then(|s| s.keys.get(&only.name))
                    .is_some_and(|s| s.list);
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
    // Only DingTalk wraps payloads in `result`; a WeCom field named `result` (batch/getresult) is
    // payload like any other.
    let result = nodes
        .iter()
        .position(|n| n.name == "result")
        .filter(|_| ctx.vendor == Vendor::Dingtalk);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_documented_on_two_pages_is_one_endpoint_with_a_todo() {
        let page = |title: &str, doc_url: &str| PageEndpoint {
            title: title.to_owned(),
            doc_url: doc_url.to_owned(),
            method: "GET".to_owned(),
            url: "https://qyapi.weixin.qq.com/cgi-bin/auth/getuserinfo?access_token=ACCESS_TOKEN&code=CODE".to_owned(),
            ..PageEndpoint::default()
        };
        let mut b = ModuleBuilder::new(Vendor::Wecom, "auth", None);
        b.add(
            &page("获取访问用户身份", "https://example.com/91023"),
            "auth_getuserinfo".into(),
        );
        b.add(
            &page("获取用户登录身份", "https://example.com/98176"),
            "auth_getuserinfo".into(),
        );
        let m = b.finish();
        assert_eq!(m.endpoints.len(), 1, "one endpoint for one request");
        assert_eq!(m.endpoints[0].id, "auth_getuserinfo");
        assert_eq!(m.endpoints[0].title, "获取访问用户身份", "the first page wins");
        assert!(
            m.endpoints[0]
                .todos
                .iter()
                .any(|t| t.contains("获取用户登录身份") && t.contains("98176")),
            "{:?}",
            m.endpoints[0].todos
        );
    }

    #[test]
    fn an_untyped_list_row_is_a_body_field_not_a_wrapper() {
        // 添加打卡记录: no type column; `records` is followed by its items' rows, flat.
        let row = |name: &str| super::super::Row {
            name: name.to_owned(),
            required: Some(true),
            doc: name.to_owned(),
            ..super::super::Row::default()
        };
        let pe = PageEndpoint {
            title: "添加打卡记录".to_owned(),
            method: "POST".to_owned(),
            url: "https://qyapi.weixin.qq.com/cgi-bin/checkin/add_checkin_record?access_token=ACCESS_TOKEN".to_owned(),
            body_rows: vec![row("records"), row("userid"), row("checkin_time")],
            request_json: Some(r#"{"records": [{"userid": "a", "checkin_time": 1705899000}]}"#.to_owned()),
            ..PageEndpoint::default()
        };
        let mut b = ModuleBuilder::new(Vendor::Wecom, "checkin", None);
        b.add(&pe, "checkin_add_checkin_record".into());
        let m = b.finish();
        let e = &m.endpoints[0];
        assert_eq!(e.wrap, None, "a list is not a wrapper object");
        let names: Vec<_> = e.body.iter().map(|f| (f.name.as_str(), f.ty.as_str())).collect();
        assert_eq!(names.len(), 1, "{names:?}");
        assert_eq!(names[0].0, "records");
        assert!(names[0].1.starts_with("list<"), "{names:?}");
    }

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
}
