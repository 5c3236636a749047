//! `workapi-codegen openapi`: each vendor's document is read back by an OpenAPI 3.1 parser (oas3),
//! has one operation per endpoint of the spec, resolves every `$ref`, holds only schemas that are
//! valid JSON Schema 2020-12 (jsonschema's meta-schema), and every example in it, the docs' and
//! the tables', validates against its schema. A snapshot locks the document of one small module.

use crate::support;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use workapi_codegen::model::{Method, Spec, Vendor};
use workapi_codegen::openapi::{self, OpenApiError};

/// Every vendor with its document.
fn documents(spec: &Spec) -> Vec<(&Vendor, Value)> {
    spec.vendors
        .iter()
        .map(|v| (v, openapi::document(v).unwrap_or_else(|e| panic!("{}: {e}", v.name))))
        .collect()
}

/// A validator for `schema`, a schema inside `doc`: its `#/components/...` refs resolve against
/// a root that holds the document's components.
fn validator(doc: &Value, schema: &Value) -> jsonschema::Validator {
    let root = json!({"components": doc["components"], "allOf": [schema]});
    jsonschema::draft202012::new(&root).unwrap_or_else(|e| panic!("schema does not compile: {e}\n{schema:#}"))
}

/// The errors of `value` against `schema`, one line each with the place in the value.
fn errors(doc: &Value, schema: &Value, value: &Value) -> Vec<String> {
    validator(doc, schema)
        .iter_errors(value)
        .map(|e| format!("at '{}': {e}", e.instance_path()))
        .collect()
}

/// Every `(json pointer, value)` of a `key` anywhere in `v`.
fn find_key<'a>(v: &'a Value, key: &str, at: String, out: &mut Vec<(String, &'a Value)>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                if k == key {
                    out.push((here.clone(), x));
                }
                find_key(x, key, here, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                find_key(x, key, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Every schema of the document: the components, the parameters' and bodies' schemas, and the
/// schemas nested in them (properties, items, allOf, a delimited string's `x-items`).
fn schemas(doc: &Value) -> Vec<(String, &Value)> {
    fn nested<'a>(s: &'a Value, at: String, out: &mut Vec<(String, &'a Value)>) {
        out.push((at.clone(), s));
        if let Some(props) = s.get("properties").and_then(Value::as_object) {
            for (k, p) in props {
                nested(p, format!("{at}/properties/{k}"), out);
            }
        }
        for key in ["items", "x-items"] {
            if let Some(i) = s.get(key) {
                nested(i, format!("{at}/{key}"), out);
            }
        }
        for (i, part) in s
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            nested(part, format!("{at}/allOf/{i}"), out);
        }
    }
    let mut out = Vec::new();
    for (k, s) in doc["components"]["schemas"].as_object().expect("components.schemas") {
        nested(s, format!("/components/schemas/{k}"), &mut out);
    }
    let mut media = Vec::new();
    find_key(&doc["paths"], "schema", "/paths".into(), &mut media);
    for (at, s) in media {
        nested(s, at, &mut out);
    }
    out
}

#[test]
fn every_document_parses_as_openapi_3_1_with_one_operation_per_endpoint() {
    let spec = support::spec();
    let mut operations = 0;
    for (v, doc) in documents(spec) {
        let text = openapi::to_text(&doc);
        let parsed = oas3::from_json(&text).unwrap_or_else(|e| panic!("{}: oas3 does not parse it: {e}", v.name));
        let version = parsed.validate_version().expect("an OpenAPI 3.1 version");
        assert_eq!((version.major, version.minor), (3, 1));
        assert_eq!(parsed.operations().count(), v.endpoints().count(), "{}", v.name);
        operations += parsed.operations().count();

        for (m, e) in v.endpoints() {
            let (path, method, op) = parsed
                .operations()
                .find(|(_, _, op)| op.operation_id.as_deref() == Some(e.id.as_str()))
                .unwrap_or_else(|| panic!("{}: no operation {}", v.name, e.id));
            let want = match e.method {
                Method::Get => "GET",
                Method::Post => "POST",
            };
            assert_eq!((path.as_str(), method.as_str()), (e.path.as_str(), want), "{}", e.id);
            assert_eq!(op.tags, [m.name.as_str()], "{}", e.id);
            assert_eq!(
                op.external_docs.as_ref().map(|d| d.url.as_str()),
                Some(e.doc_url.as_str())
            );
            // The parser resolves what the operation refers to.
            let params = op.parameters(&parsed).expect("parameters resolve");
            let query = m
                .request(e)
                .fields
                .iter()
                .filter(|f| f.place == workapi_codegen::model::FieldPlace::Query);
            assert_eq!(params.len(), query.count(), "{}: one parameter per query field", e.id);
            let body = op.request_body(&parsed).expect("the request body resolves");
            assert_eq!(body.is_some(), e.method == Method::Post, "{}", e.id);
            assert!(op.responses(&parsed).contains_key("200"), "{}", e.id);
            // The host is the path item's server; the token endpoint alone takes no token.
            let item = &doc["paths"][e.path.as_str()];
            assert_eq!(item["servers"][0]["url"], v.host(e.host).base_url.as_str(), "{}", e.id);
            let security = &item[want.to_lowercase()]["security"];
            let is_token_endpoint = e.id == v.token_endpoint().id;
            assert_eq!(
                security == &json!([]),
                is_token_endpoint,
                "{}: security {security}",
                e.id
            );
        }
        // One tag per module; a WeCom module's tag names the app secret its token needs.
        let tags = doc["tags"].as_array().expect("tags");
        assert_eq!(tags.len(), v.modules.len() + 1, "{}: the modules and core", v.name);
        for m in &v.modules {
            let tag = tags
                .iter()
                .find(|t| t["name"] == m.name.as_str())
                .expect("a tag per module");
            assert_eq!(tag.get("x-secret-env").and_then(Value::as_str), m.secret_env.as_deref());
        }
        let schemes = parsed.components.as_ref().map(|c| c.security_schemes.len());
        let placements: BTreeSet<_> = v
            .endpoints()
            .filter_map(|(_, e)| openapi::paths::security_scheme(e.token))
            .collect();
        assert_eq!(
            schemes,
            Some(placements.len()),
            "{}: one scheme per token placement",
            v.name
        );
    }
    let endpoints: usize = spec.vendors.iter().map(|v| v.endpoints().count()).sum();
    assert_eq!(operations, endpoints);
}

/// The fixed fields of the OpenAPI 3.1 objects the documents use, with the required ones
/// first (`required` of them); any other key must be an `x-` extension. oas3 ignores unknown
/// keys, so this catches a misspelt field name it would let through.
struct Fields {
    required: usize,
    /// The field names, separated by spaces.
    names: &'static str,
}

const ROOT: Fields = Fields {
    required: 2,
    names: "openapi info jsonSchemaDialect servers paths webhooks components security tags externalDocs",
};
const INFO: Fields = Fields {
    required: 2,
    names: "title version summary description termsOfService contact license",
};
const PATH_ITEM: Fields = Fields {
    required: 0,
    names: "$ref summary description get put post delete options head patch trace servers parameters",
};
const OPERATION: Fields = Fields {
    required: 0,
    names: "tags summary description externalDocs operationId parameters requestBody responses callbacks deprecated security servers",
};
const PARAMETER: Fields = Fields {
    required: 2,
    names: "name in description required deprecated allowEmptyValue style explode allowReserved schema example examples content",
};
const REQUEST_BODY: Fields = Fields {
    required: 1,
    names: "content description required",
};
const RESPONSE: Fields = Fields {
    required: 1,
    names: "description headers content links",
};
const MEDIA_TYPE: Fields = Fields {
    required: 0,
    names: "schema example examples encoding",
};
const EXAMPLE: Fields = Fields {
    required: 0,
    names: "summary description value externalValue",
};
const SERVER: Fields = Fields {
    required: 1,
    names: "url description variables",
};
const TAG: Fields = Fields {
    required: 1,
    names: "name description externalDocs",
};
const EXTERNAL_DOCS: Fields = Fields {
    required: 1,
    names: "url description",
};
const COMPONENTS: Fields = Fields {
    required: 0,
    names: "schemas responses parameters examples requestBodies headers securitySchemes links callbacks pathItems",
};
const API_KEY: Fields = Fields {
    required: 3,
    names: "type name in description",
};

fn fields(v: &Value, f: &Fields, at: &str, problems: &mut Vec<String>) {
    let Some(o) = v.as_object() else {
        problems.push(format!("{at}: not an object"));
        return;
    };
    let names: Vec<&str> = f.names.split_whitespace().collect();
    for k in o
        .keys()
        .filter(|k| !k.starts_with("x-") && !names.contains(&k.as_str()))
    {
        problems.push(format!("{at}: '{k}' is not a field of this OpenAPI 3.1 object"));
    }
    for k in names[..f.required].iter().filter(|k| !o.contains_key(**k)) {
        problems.push(format!("{at}: required field '{k}' is missing"));
    }
}

fn entries(v: &Value) -> impl Iterator<Item = (&String, &Value)> {
    v.as_object().into_iter().flatten()
}

#[test]
fn every_key_is_an_openapi_3_1_field() {
    for (v, doc) in documents(support::spec()) {
        let mut p = Vec::new();
        fields(&doc, &ROOT, "", &mut p);
        fields(&doc["info"], &INFO, "info", &mut p);
        fields(&doc["externalDocs"], &EXTERNAL_DOCS, "externalDocs", &mut p);
        for t in doc["tags"].as_array().into_iter().flatten() {
            fields(t, &TAG, "tags", &mut p);
        }
        fields(&doc["components"], &COMPONENTS, "components", &mut p);
        for (name, s) in entries(&doc["components"]["securitySchemes"]) {
            fields(s, &API_KEY, &format!("securitySchemes/{name}"), &mut p);
            assert_eq!(s["type"], "apiKey");
        }
        for (path, item) in entries(&doc["paths"]) {
            fields(item, &PATH_ITEM, path, &mut p);
            for s in item["servers"].as_array().into_iter().flatten() {
                fields(s, &SERVER, &format!("{path} servers"), &mut p);
            }
            for (method, op) in entries(item).filter(|(k, _)| ["get", "post"].contains(&k.as_str())) {
                let at = format!("{path} {method}");
                fields(op, &OPERATION, &at, &mut p);
                fields(&op["externalDocs"], &EXTERNAL_DOCS, &at, &mut p);
                for param in op["parameters"].as_array().into_iter().flatten() {
                    fields(param, &PARAMETER, &format!("{at} parameter"), &mut p);
                    for (_, x) in entries(&param["examples"]) {
                        fields(x, &EXAMPLE, &format!("{at} parameter example"), &mut p);
                    }
                }
                let mut media: Vec<&Value> = Vec::new();
                if let Some(body) = op.get("requestBody") {
                    fields(body, &REQUEST_BODY, &format!("{at} requestBody"), &mut p);
                    media.extend(entries(&body["content"]).map(|(_, m)| m));
                }
                for (status, r) in entries(&op["responses"]) {
                    fields(r, &RESPONSE, &format!("{at} {status}"), &mut p);
                    media.extend(entries(&r["content"]).map(|(_, m)| m));
                }
                for m in media {
                    fields(m, &MEDIA_TYPE, &format!("{at} media"), &mut p);
                    for (_, x) in entries(&m["examples"]) {
                        fields(x, &EXAMPLE, &format!("{at} example"), &mut p);
                    }
                }
            }
        }
        assert!(p.is_empty(), "{}:\n{}", v.name, p.join("\n"));
    }
}

#[test]
fn every_ref_resolves_and_every_component_is_used() {
    for (v, doc) in documents(support::spec()) {
        let mut refs = Vec::new();
        find_key(&doc, "$ref", String::new(), &mut refs);
        assert!(!refs.is_empty(), "{}: the document refers to its components", v.name);
        let mut used = BTreeSet::new();
        for (at, r) in &refs {
            let r = r.as_str().unwrap_or_else(|| panic!("{at}: $ref is not a string"));
            let pointer = r
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("{at}: {r} is not a local ref"));
            assert!(doc.pointer(pointer).is_some(), "{}: {at}: {r} does not resolve", v.name);
            used.insert(pointer.to_owned());
        }
        for key in doc["components"]["schemas"].as_object().expect("schemas").keys() {
            let pointer = format!("/components/schemas/{key}");
            assert!(
                used.contains(&pointer),
                "{}: component {key} is never referred to",
                v.name
            );
        }
    }
}

#[test]
fn every_schema_is_valid_json_schema_2020_12() {
    for (v, doc) in documents(support::spec()) {
        let all = schemas(&doc);
        // One component per named type (less GET requests, whose fields are parameters, and the
        // types only pushed events use), and the vendor's envelope or error body.
        let named: usize = std::iter::once(&v.core)
            .chain(&v.modules)
            .map(|m| {
                let get = m.endpoints.iter().filter(|e| e.method == Method::Get).count();
                let event_only = m
                    .structs
                    .iter()
                    .filter(|s| s.usage.event && !s.usage.request && !s.usage.response)
                    .count();
                m.enums.len() + m.structs.len() - get - event_only
            })
            .sum();
        let styles: BTreeSet<_> = v.hosts.iter().map(|h| format!("{:?}", h.errors)).collect();
        let components = doc["components"]["schemas"].as_object().map_or(0, |o| o.len());
        assert_eq!(components, named + styles.len(), "{}", v.name);
        for (at, s) in all {
            if let Err(e) = jsonschema::draft202012::meta::validate(s) {
                panic!("{}: {at} is not a JSON Schema 2020-12: {e}\n{s:#}", v.name);
            }
        }
    }
}

#[test]
fn every_docs_example_validates_against_its_schema() {
    let spec = support::spec();
    let (mut requests, mut responses, mut queries) = (0, 0, 0);
    let mut problems = Vec::new();
    for (v, doc) in documents(spec) {
        for (m, e) in v.endpoints() {
            let Some(ex) = &e.example else { continue };
            let op = &doc["paths"][e.path.as_str()][if e.method == Method::Get { "get" } else { "post" }];
            if let Some(q) = ex.query.as_ref().and_then(Value::as_object) {
                let params = op["parameters"].as_array().expect("a query example has parameters");
                for p in params.iter().filter(|p| p["required"] == true) {
                    let name = p["name"].as_str().unwrap_or_default();
                    assert!(q.contains_key(name), "{}: the example query leaves out {name}", e.id);
                }
                for (name, value) in q {
                    let p = params
                        .iter()
                        .find(|p| p["name"] == name.as_str())
                        .unwrap_or_else(|| panic!("{}: example query parameter {name} is undeclared", e.id));
                    // `style: form, explode: false`: the URL holds the items joined by commas.
                    let value = match (p.get("explode"), value.as_str()) {
                        (Some(Value::Bool(false)), Some(s)) => Value::Array(
                            s.split(',')
                                .map(|x| x.parse().unwrap_or(Value::String(x.into())))
                                .collect(),
                        ),
                        _ => value.clone(),
                    };
                    for err in errors(&doc, &p["schema"], &value) {
                        problems.push(format!("{} query {name}: {err}", e.id));
                    }
                    queries += 1;
                }
            }
            if let Some(body) = &ex.request {
                let schema = &op["requestBody"]["content"]["application/json"]["schema"];
                for err in errors(&doc, schema, body) {
                    problems.push(format!("{} request: {err}", e.id));
                }
                requests += 1;
            }
            if let Some(body) = &ex.response {
                let schema = &op["responses"]["200"]["content"]["application/json"]["schema"];
                for err in errors(&doc, schema, body) {
                    problems.push(format!("{}.{} response: {err}", m.name, e.id));
                }
                responses += 1;
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} example problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    // Every example of the spec was checked, and there are some.
    let examples = |f: fn(&workapi_codegen::model::Example) -> usize| -> usize {
        spec.vendors
            .iter()
            .flat_map(|v| v.endpoints())
            .filter_map(|(_, e)| e.example.as_ref().map(f))
            .sum()
    };
    assert_eq!(requests, examples(|x| usize::from(x.request.is_some())));
    assert_eq!(responses, examples(|x| usize::from(x.response.is_some())));
    let query_values = examples(|x| x.query.as_ref().and_then(Value::as_object).map_or(0, |q| q.len()));
    assert_eq!(queries, query_values);
    assert!(requests > 0 && responses > 0 && queries > 0);
}

#[test]
fn every_field_example_validates_against_its_field_schema() {
    let spec = support::spec();
    let mut checked = 0;
    let mut problems = Vec::new();
    for (v, doc) in documents(spec) {
        for (at, s) in schemas(&doc) {
            for x in s.get("examples").and_then(Value::as_array).into_iter().flatten() {
                for err in errors(&doc, s, x) {
                    problems.push(format!("{}: {at}: {err}", v.name));
                }
                checked += 1;
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    // Each field's example is in the schema of its struct's component, or of its parameter.
    let with_example = spec
        .vendors
        .iter()
        .flat_map(|v| std::iter::once(&v.core).chain(&v.modules))
        .flat_map(|m| {
            let get_requests: Vec<_> = m
                .endpoints
                .iter()
                .filter(|e| e.method == Method::Get)
                .map(|e| e.request)
                .collect();
            m.structs()
                .filter(move |(id, _)| !get_requests.contains(id))
                .flat_map(|(_, s)| s.fields.iter())
                .chain(
                    m.endpoints
                        .iter()
                        .flat_map(|e| m.request(e).fields.iter())
                        .filter(|f| f.place == workapi_codegen::model::FieldPlace::Query),
                )
                .filter(|f| f.example.is_some())
                .collect::<Vec<_>>()
        })
        .count();
    assert_eq!(checked, with_example);
}

#[test]
fn documents_are_stable_and_sorted() {
    for v in &support::spec().vendors {
        let a = openapi::to_text(&openapi::document(v).expect("document"));
        let b = openapi::to_text(&openapi::document(v).expect("document"));
        assert_eq!(a, b);
        let doc: Value = serde_json::from_str(&a).expect("the text is JSON");
        let mut objects = Vec::new();
        find_key(&doc, "properties", String::new(), &mut objects);
        for (at, o) in objects {
            let keys: Vec<&String> = o.as_object().map(|o| o.keys().collect()).unwrap_or_default();
            assert!(keys.is_sorted(), "{}: {at}: keys are not sorted: {keys:?}", v.name);
        }
    }
}

#[test]
fn a_path_on_two_hosts_or_twice_is_a_typed_error() {
    let dingtalk = support::spec()
        .vendors
        .iter()
        .find(|v| v.name.as_str() == "dingtalk")
        .expect("dingtalk");
    let api = dingtalk.hosts.iter().position(|h| h.id == "api").expect("the api host");

    // Move one oapi endpoint onto the path of another endpoint of the api host.
    let mut v = dingtalk.clone();
    let target = v
        .endpoints()
        .find(|(_, e)| e.host.0 == api)
        .map(|(_, e)| e.path.clone())
        .expect("an api endpoint");
    let moved = v
        .modules
        .iter_mut()
        .flat_map(|m| m.endpoints.iter_mut())
        .find(|e| e.host.0 != api)
        .expect("an oapi endpoint");
    moved.path = target.clone();
    let err = openapi::document(&v).expect_err("one path, two hosts");
    assert!(
        matches!(&err, OpenApiError::PathOnTwoHosts { path, .. } if *path == target),
        "{err}"
    );
    assert!(
        err.to_string().contains("host 'api'") && err.to_string().contains("host 'oapi'"),
        "{err}"
    );

    // Two endpoints with one method and path on one host.
    let mut v = dingtalk.clone();
    let report = v
        .modules
        .iter_mut()
        .find(|m| {
            m.endpoints.len() >= 2
                && m.endpoints[0].method == m.endpoints[1].method
                && m.endpoints[0].host == m.endpoints[1].host
        })
        .expect("a module with two alike endpoints");
    report.endpoints[1].path = report.endpoints[0].path.clone();
    let err = openapi::document(&v).expect_err("one method and path, twice");
    assert!(matches!(err, OpenApiError::SameOperation { .. }), "{err}");
}

#[test]
fn snapshot_of_the_hrm_module() {
    // DingTalk with only its hrm module (the token endpoint stays: the security schemes name it).
    let mut v = support::spec()
        .vendors
        .iter()
        .find(|v| v.name.as_str() == "dingtalk")
        .expect("dingtalk")
        .clone();
    v.modules.retain(|m| m.name.as_str() == "hrm");
    assert_eq!(v.modules.len(), 1, "the spec has a dingtalk hrm module");
    let mut doc = openapi::document(&v).expect("document");
    // The version follows the crate's; the snapshot should not.
    doc["info"]["version"] = json!("[version]");
    insta::assert_snapshot!("openapi_dingtalk_hrm", openapi::to_text(&doc));
}
