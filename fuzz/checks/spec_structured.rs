//! `spec_structured`: a vendor folder written as YAML from a tree of choices the fuzzer makes
//! (vendor, hosts, modules, types, enums, endpoints, fields, paging, examples), mostly sensible
//! and sometimes hostile (keywords, shadowed names, colliding names, invisible characters, quoted
//! flags, deep nesting). Checked: loading never panics, and a spec it accepts emits Rust that
//! passes [`super::emitted::check`].

use arbitrary::{Result, Unstructured};
use serde_json::{Value, json};
use std::fmt::Write as _;
use workapi_codegen::spec::load::{RawVendor, parse_module, parse_vendor};

/// Names a person or an importer might write, most of them sensible.
const GOOD_NAMES: &[&str] = &[
    "user_id",
    "userid",
    "dept_id_list",
    "size",
    "cursor",
    "next_cursor",
    "has_more",
    "list",
    "items",
    "total",
    "start_time",
    "end_time",
    "title",
    "status",
    "report_list",
    "report_get",
    "name",
    "value",
    "remark",
];
/// Names that broke the checker or the generated code before, or might.
const HOSTILE_NAMES: &[&str] = &[
    "userId",
    "UserId",
    "type",
    "self",
    "Self",
    "match",
    "crate",
    "super",
    "_",
    "",
    "1st_choice",
    "a\u{200b}",
    "名字",
    "new",
    "with_new",
    "user-id",
    "user id",
    "String",
    "Vec",
    "Option",
    "Result",
    "Client",
    "Host",
    "ClientBuilder",
    "serde",
    "std",
    "all",
    "core",
    "runtime",
    "default",
    "endpoint_ids",
    "secret_env",
    "builder",
    "from_env",
    "call_json",
    "api_v2",
    "api_v_2",
    "no1",
    "no_1",
    "unknown",
    "result",
    "errcode",
    "access_token",
    "expires_in",
    "x\ny",
    "\"q\"",
    "```",
    "Report",
    "ReportPage",
    "report_page",
    "r#type",
    "a__b",
    "b_",
    "ÄÖ",
    "\u{feff}id",
    "code",
    "as_str",
    "fmt",
    "clone",
    "GETTOKEN",
    "gettoken",
    "fuzzv_profile",
];
const BUILTINS: &[&str] = &[
    "string",
    "bool",
    "int32",
    "int64",
    "uint32",
    "uint64",
    "float64",
    "unix_seconds",
    "unix_millis",
    "datetime",
    "json",
];
const ENUM_WIRES: &[&str] = &["int32", "int64", "uint32", "uint64", "string"];
/// How deep the generator nests objects and lists, so an input cannot recurse without bound.
const MAX_DEPTH: u32 = 4;

/// Runs the target on one input; true if the spec was accepted (and its output checked).
pub fn check(data: &[u8]) -> bool {
    let mut u = Unstructured::new(data);
    let Ok(folder) = folder(&mut u) else {
        return false;
    };
    let Ok(vendor) = parse_vendor("spec/fuzzv/vendor.yaml", &folder.vendor) else {
        return false;
    };
    let mut modules = Vec::new();
    for (file, text) in &folder.modules {
        match parse_module(file, text) {
            Ok(m) => modules.push((file.clone(), m)),
            Err(_) => return false,
        }
    }
    let raw = RawVendor {
        file: "spec/fuzzv/vendor.yaml".into(),
        vendor,
        modules,
    };
    match workapi_codegen::model::resolve(&[raw]) {
        Ok(spec) => {
            super::emitted::check(&spec);
            true
        }
        Err(_) => false,
    }
}

/// The generated folder: `vendor.yaml`, then `(file, text)` per module.
pub struct Folder {
    /// `vendor.yaml`.
    pub vendor: String,
    /// The module files.
    pub modules: Vec<(String, String)>,
}

/// Builds a folder from the fuzzer's choices.
pub fn folder(u: &mut Unstructured) -> Result<Folder> {
    let mut g = Gen {
        u,
        types: Vec::new(),
        enums: Vec::new(),
        objects: 0,
    };
    let vendor = g.vendor()?;
    let mut modules = Vec::new();
    for i in 0..g.u.int_in_range(0..=3u8)? {
        let name = if g.rare()? { g.name()? } else { format!("mod{i}") };
        // The file is named after the module, as the checker requires; a name that is no file
        // name gets one that is, and the mismatch is the checker's to find.
        let stem: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let stem = if stem.is_empty() { format!("m{i}") } else { stem };
        let file = format!("spec/fuzzv/{stem}.yaml");
        if modules.iter().any(|(f, _)| *f == file) {
            continue;
        }
        modules.push((file, g.module(&name)?));
    }
    Ok(Folder { vendor, modules })
}

struct Gen<'a, 'b> {
    u: &'a mut Unstructured<'b>,
    /// Type and enum names declared in the module being written.
    types: Vec<String>,
    enums: Vec<String>,
    /// Inline objects written so far in the module, for unique default names.
    objects: u32,
}

/// A YAML scalar for any text: JSON's quoting is valid YAML.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

impl Gen<'_, '_> {
    /// True about one time in sixteen: a hostile choice. An exhausted input chooses the sensible one.
    fn rare(&mut self) -> Result<bool> {
        Ok(self.u.arbitrary::<u8>()? >= 240)
    }

    fn pick<'s>(&mut self, good: &[&'s str], bad: &[&'s str]) -> Result<&'s str> {
        if !bad.is_empty() && self.rare()? {
            Ok(*self.u.choose(bad)?)
        } else {
            Ok(*self.u.choose(good)?)
        }
    }

    /// A name: from the pools, or (rarely) any short text.
    fn name(&mut self) -> Result<String> {
        Ok(match self.u.int_in_range(0..=31u8)? {
            0..=27 => (*self.u.choose(GOOD_NAMES)?).to_owned(),
            28..=30 => (*self.u.choose(HOSTILE_NAMES)?).to_owned(),
            _ => self.u.arbitrary::<String>()?.chars().take(24).collect(),
        })
    }

    /// A snake_case-looking name, sometimes hostile.
    fn snake(&mut self) -> Result<String> {
        if self.rare()? {
            self.name()
        } else {
            Ok((*self.u.choose(GOOD_NAMES)?).to_owned())
        }
    }

    /// An UpperCamelCase name, sometimes hostile.
    fn camel(&mut self) -> Result<String> {
        if self.rare()? {
            return self.name();
        }
        let base = *self
            .u
            .choose(&["Report", "Page", "Item", "Dept", "User", "Record", "Summary"])?;
        Ok(format!("{base}{}", self.u.int_in_range(0..=3u8)?))
    }

    /// A flag; one in 64 is a word a lenient reader would take for one. A spec has many flags,
    /// and one bad one refuses the whole file.
    fn flag(&mut self) -> Result<&'static str> {
        if self.u.arbitrary::<u8>()? >= 252 {
            return Ok(*self.u.choose(&["\"true\"", "yes", "on", "1", "~", "True"])?);
        }
        Ok(*self.u.choose(&["true", "false"])?)
    }

    fn vendor(&mut self) -> Result<String> {
        let name = if self.rare()? { self.name()? } else { "fuzzv".to_owned() };
        let base = self.pick(
            &["https://api.example.invalid", "https://api.example.invalid:8443/v1"],
            &[
                "http://api.example.invalid",
                "https://api.example.invalid/",
                "https://a_b.example.invalid",
                "https://x?y=1",
                "https://",
                "ftp://x",
                "https://h:0",
            ],
        )?;
        let token = self.pick(&["query", "header"], &["none", "cookie"])?;
        let header = self.pick(&["x-acs-token"], &["x token", "", "x\u{0}y"])?;
        let mut out = format!(
            "vendor: {}\ntitle: 模糊\ndoc_url: https://example.invalid\nhosts:\n",
            q(&name)
        );
        let _ = writeln!(
            out,
            "  main:\n    base_url: {}\n    env: FUZZ_BASE\n    token: {token}\n    errors: envelope",
            q(base)
        );
        if self.u.arbitrary()? {
            let id = if self.rare()? { self.name()? } else { "other".to_owned() };
            let _ = writeln!(
                out,
                "  {}:\n    base_url: https://other.example.invalid\n    env: FUZZ_OTHER\n    token: header\n    errors: http",
                q(&id)
            );
        }
        let _ = writeln!(
            out,
            "token:\n  endpoint: gettoken\n  query_param: access_token\n  header: {}\n  id: {{param: appkey, env: FUZZ_KEY}}\n  secret: {{param: appsecret, env: FUZZ_SECRET}}\n  token_field: access_token\n  expires_field: expires_in",
            q(header)
        );
        out.push_str("envelope: [errcode, errmsg]\n");
        if self.u.arbitrary()? {
            let calls = self.u.int_in_range(0..=50u32)?;
            let per = self.pick(&["second", "minute"], &["fortnight"])?;
            let _ = writeln!(out, "rate_limit: {{calls: {calls}, per: {per}}}");
        }
        out.push_str(
            "endpoints:\n  - id: gettoken\n    title: 凭证\n    doc_url: https://example.invalid\n    method: GET\n    host: main\n    path: /gettoken\n    token: none\n    idempotent: true\n    request:\n      query:\n        appkey: {type: string, required: true}\n        appsecret: {type: string, required: true, secret: true}\n    response:\n      at: top\n      type: object\n      fields:\n        access_token: {type: string, required: true, secret: true}\n        expires_in: {type: int64, required: true}\n    example:\n      source: doc\n      query: {appkey: k, appsecret: s}\n      response: '{\"errcode\": 0, \"access_token\": \"t\", \"expires_in\": 7200}'\n",
        );
        self.types.clear();
        self.enums.clear();
        for _ in 0..self.u.int_in_range(0..=2u8)? {
            out.push_str(&self.endpoint()?);
        }
        Ok(out)
    }

    fn module(&mut self, name: &str) -> Result<String> {
        self.types.clear();
        self.enums.clear();
        self.objects = 0;
        let mut out = format!("module: {}\ntitle: 模块\n", q(name));
        if self.rare()? {
            out.push_str("secret_env: FUZZ_APP_SECRET\n");
        }
        // Names first, so fields can refer to any of them (and to themselves: cycles).
        for _ in 0..self.u.int_in_range(0..=2u8)? {
            let n = self.camel()?;
            self.enums.push(n);
        }
        for _ in 0..self.u.int_in_range(0..=3u8)? {
            let n = self.camel()?;
            self.types.push(n);
        }
        if !self.enums.is_empty() {
            out.push_str("enums:\n");
            for n in self.enums.clone() {
                let wire = self.pick(ENUM_WIRES, &["float64", "int8"])?;
                let _ = writeln!(out, "  {}:\n    type: {wire}\n    values:", q(&n));
                for i in 0..self.u.int_in_range(0..=3u8)? {
                    let value = match (wire, self.rare()?) {
                        ("string", false) => q(&format!("v{i}")),
                        (_, false) => i.to_string(),
                        (_, true) => (*self.u.choose(&["\"1\"", "3000000000", "-1", "1.5", "x", "0"])?).to_owned(),
                    };
                    let vname = if self.rare()? {
                        self.name()?
                    } else {
                        format!("value_{i}")
                    };
                    let _ = writeln!(out, "      - {{value: {value}, name: {}, doc: 值}}", q(&vname));
                }
            }
        }
        if !self.types.is_empty() {
            out.push_str("types:\n");
            for n in self.types.clone() {
                let _ = writeln!(out, "  {}:\n    doc: 类型\n    fields:", q(&n));
                let (fields, _) = self.fields(6, 3, 0)?;
                out.push_str(&fields);
            }
        }
        out.push_str("endpoints:\n");
        for _ in 0..self.u.int_in_range(0..=3u8)? {
            out.push_str(&self.endpoint()?);
        }
        Ok(out)
    }

    /// A type expression, its inline `fields:` (if object, for keys at indent `level`), and an
    /// example value for it; `depth` counts the nesting so far.
    fn ty(&mut self, depth: u32, level: u32) -> Result<(String, Option<String>, Value)> {
        let choice = if depth >= MAX_DEPTH {
            0
        } else {
            self.u.int_in_range(0..=9u8)?
        };
        Ok(match choice {
            0..=3 => {
                let b = *self.u.choose(BUILTINS)?;
                (b.to_owned(), None, example_of(b))
            }
            4 if !self.types.is_empty() => (self.u.choose(&self.types)?.clone(), None, json!({})),
            5 if !self.enums.is_empty() => (self.u.choose(&self.enums)?.clone(), None, json!(0)),
            6 => {
                let (inner, fields, ex) = self.ty(depth + 1, level)?;
                (format!("list<{inner}>"), fields, json!([ex]))
            }
            7 => {
                let b = *self.u.choose(&["string", "int64", "uint32"])?;
                (
                    format!("comma_list<{b}>"),
                    None,
                    json!(if b == "string" { "a,b" } else { "1,2" }),
                )
            }
            8 => {
                let (fields, ex) = self.fields(4, level, depth + 1)?;
                ("object".to_owned(), Some(fields), ex)
            }
            _ if self.rare()? => {
                let raw = *self.u.choose(&[
                    "list<string",
                    "map<string,string>",
                    "",
                    "comma_list<object>",
                    "list<list<list<list<list<list<list<list<list<int32>>>>>>>>>",
                    "Object",
                    "integer",
                ])?;
                (raw.to_owned(), None, Value::Null)
            }
            _ => ("string".to_owned(), None, json!("x")),
        })
    }

    /// Up to `max` field entries with keys at indent `level` (two spaces each), nested `depth`
    /// deep, and an example object of them.
    fn fields(&mut self, max: u8, level: u32, depth: u32) -> Result<(String, Value)> {
        let pad = "  ".repeat(level as usize);
        let mut out = String::new();
        let mut example = serde_json::Map::new();
        let mut seen = Vec::new();
        for _ in 0..self.u.int_in_range(0..=max)? {
            let wire = self.name()?;
            // YAML refuses a key given twice; that is a YAML error, found by other inputs.
            if seen.contains(&wire) {
                continue;
            }
            seen.push(wire.clone());
            let (ty, nested, ex) = self.ty(depth, level + 2)?;
            let _ = write!(out, "{pad}{}:\n{pad}  type: {}\n", q(&wire), q(&ty));
            if self.u.arbitrary()? {
                let _ = writeln!(out, "{pad}  required: {}", self.flag()?);
            }
            if let Some(nested) = nested {
                self.objects += 1;
                let name = if self.rare()? {
                    self.name()?
                } else {
                    format!("Inline{}", self.objects)
                };
                let _ = writeln!(out, "{pad}  name: {}\n{pad}  fields:", q(&name));
                if nested.is_empty() {
                    let _ = writeln!(out, "{pad}    {{}}");
                }
                out.push_str(&nested);
            }
            if self.rare()? {
                out.push_str(&self.extras(&pad)?);
            }
            if !ex.is_null() {
                example.insert(wire, ex);
            }
        }
        Ok((out, Value::Object(example)))
    }

    /// Limits, wire forms, secrets, rust names and docs, any of which may not fit the type.
    fn extras(&mut self, pad: &str) -> Result<String> {
        let mut out = String::new();
        let key = *self.u.choose(&[
            "min",
            "max",
            "min_items",
            "max_items",
            "max_bytes",
            "max_chars",
            "wire",
            "secret",
            "rust",
            "doc",
            "note",
            "default",
            "example",
        ])?;
        let value = match key {
            "min" | "max" => self.u.int_in_range(-5..=5i64)?.to_string(),
            "wire" => "string".to_owned(),
            "secret" => self.flag()?.to_owned(),
            "rust" => q(&self.name()?),
            "doc" | "note" => q(self.pick(&["说明", "[link] <b> `code`"], &["a\n\n    indented", "```\ncode\n```"])?),
            "default" | "example" => "1".to_owned(),
            _ => self.u.int_in_range(0..=3u8)?.to_string(),
        };
        let _ = writeln!(out, "{pad}  {key}: {value}");
        Ok(out)
    }

    fn endpoint(&mut self) -> Result<String> {
        let id = if self.rare()? {
            self.name()?
        } else {
            format!("{}_{}", self.u.choose(GOOD_NAMES)?, self.u.int_in_range(0..=9u8)?)
        };
        let method = self.pick(&["POST", "GET"], &["post", "PUT"])?;
        let host = self.pick(&["main"], &["other", "nohost"])?;
        let path = self.pick(
            &["/topapi/fuzz/get", "/v1.0/fuzz/{id}"],
            &["fuzz", "/a?b=1", "/a b", "/a\\b", "/a\n"],
        )?;
        let mut out = format!(
            "  - id: {}\n    title: 接口\n    doc_url: https://example.invalid\n    method: {method}\n    host: {host}\n    path: {}\n    idempotent: {}\n",
            q(&id),
            q(path),
            self.flag()?
        );
        if self.rare()? {
            let _ = writeln!(out, "    token: {}", self.pick(&["none", "query"], &["bearer"])?);
        }
        // Request: query (GET) or body (POST) fields.
        let place = if method == "GET" { "query" } else { "body" };
        let (fields, request_example) = self.fields(5, 4, 0)?;
        let has_fields = !fields.is_empty();
        if has_fields {
            let _ = writeln!(out, "    request:\n      {place}:");
            out.push_str(&fields);
        }
        // Response.
        let (ty, nested, payload) = if self.u.arbitrary()? {
            let (f, ex) = self.fields(5, 4, 0)?;
            ("object".to_owned(), Some(f), ex)
        } else {
            self.ty(0, 4)?
        };
        // Only an object can sit at the top level, beside the envelope.
        let at = if ty == "object" {
            self.pick(&["result", "top"], &["middle"])?
        } else {
            self.pick(&["result"], &["top"])?
        };
        let _ = writeln!(out, "    response:\n      at: {at}\n      type: {}", q(&ty));
        if let Some(nested) = nested {
            if self.rare()? {
                let _ = writeln!(out, "      name: {}", q(&self.camel()?));
            }
            out.push_str("      fields:\n");
            if nested.is_empty() {
                out.push_str("        {}\n");
            }
            out.push_str(&nested);
        }
        if self.rare()? {
            let style = self.pick(&["cursor", "offset"], &["bogus"])?;
            let end = self.pick(&["next_absent", "has_more_false"], &["never"])?;
            let _ = writeln!(
                out,
                "    paging: {{style: {style}, request: {}, next: {}, items: {}, end: [{end}], has_more: has_more}}",
                q(&self.snake()?),
                q(&self.snake()?),
                q(&self.snake()?)
            );
        }
        // The example: made from the declared fields, so a well-formed spec is often accepted.
        if has_fields || self.u.arbitrary()? {
            let body = match at {
                "top" => {
                    let mut top = payload.as_object().cloned().unwrap_or_default();
                    top.insert("errcode".into(), json!(0));
                    Value::Object(top)
                }
                _ => json!({"errcode": 0, "result": payload}),
            };
            out.push_str("    example:\n      source: doc\n");
            if method == "GET" {
                let _ = writeln!(out, "      query: {}", request_example);
            } else {
                let _ = writeln!(out, "      request: {}", q(&request_example.to_string()));
            }
            let _ = writeln!(out, "      response: {}", q(&body.to_string()));
        }
        Ok(out)
    }
}

/// An example value of a builtin type.
fn example_of(builtin: &str) -> Value {
    match builtin {
        "string" => json!("x"),
        "bool" => json!(true),
        "float64" => json!(1.5),
        "unix_seconds" => json!(1_700_000_000),
        "unix_millis" => json!(1_700_000_000_000_i64),
        "datetime" => json!("2024-01-02 03:04:05"),
        "json" => json!({"any": 1}),
        _ => json!(1),
    }
}
