//! The tour: every endpoint of the spec, called once through the generated client.
//!
//! `cargo run -p workapi --example tour`
//!
//! With no environment it starts `workapi-mock` on 127.0.0.1 and points both clients at it. With
//! `WORKAPI_*_BASE_URL` or vendor credentials in the environment it uses those instead (see the
//! README). Each call sends the docs' example request and prints one line; the response's shape is
//! printed, never its values, so no token reaches the terminal. Exits non-zero if any call fails.

use serde_json::Value;
use std::process::ExitCode;
use workapi::{dingtalk, wecom};
use workapi_codegen::model::Vendor;
use workapi_mock::MockServer;

/// Where the clients point, and with which credentials.
enum Target {
    Mock(MockServer),
    Environment,
}

/// Whether the environment names a vendor: any base-URL or credential-id variable of the spec.
fn env_configured(spec: &workapi_codegen::model::Spec) -> bool {
    spec.vendors
        .iter()
        .flat_map(|v| v.hosts.iter().map(|h| h.env.as_str()).chain([v.token.id_env.as_str()]))
        .any(|var| std::env::var_os(var).is_some())
}

fn dingtalk_client(target: &Target) -> Result<dingtalk::Client, workapi::Error> {
    match target {
        Target::Mock(mock) => {
            let (id, secret) = MockServer::credentials("dingtalk");
            dingtalk::Client::builder()
                .credentials(id, secret)
                .base_url(dingtalk::Host::Oapi, mock.uri())
                .base_url(dingtalk::Host::Api, mock.uri())
                .build()
        }
        Target::Environment => dingtalk::Client::from_env(),
    }
}

/// A WeCom client for one app: the module's own secret when the environment has it.
fn wecom_client(target: &Target, secret_env: Option<&str>) -> Result<wecom::Client, workapi::Error> {
    match target {
        Target::Mock(mock) => {
            let (id, secret) = MockServer::credentials("wecom");
            wecom::Client::builder()
                .credentials(id, secret)
                .base_url(wecom::Host::Qyapi, mock.uri())
                .build()
        }
        Target::Environment => {
            let builder = wecom::Client::builder().load_env()?;
            match secret_env.and_then(|v| std::env::var(v).ok()) {
                Some(secret) => {
                    let corp = std::env::var("WECOM_CORP_ID").unwrap_or_default();
                    builder.credentials(corp, secret).build()
                }
                None => builder.build(),
            }
        }
    }
}

/// The keys of a JSON value, with list lengths: the shape of an answer, without its values.
fn shape(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let keys: Vec<String> = m
                .iter()
                .map(|(k, v)| match v {
                    Value::Array(a) => format!("{k}[{}]", a.len()),
                    _ => k.clone(),
                })
                .collect();
            format!("{{{}}}", keys.join(", "))
        }
        Value::Array(a) => format!("[{} items]", a.len()),
        Value::String(_) => "a string".into(),
        Value::Bool(_) => "a bool".into(),
        Value::Number(_) => "a number".into(),
        Value::Null => "nothing".into(),
    }
}

/// The request for an endpoint: the docs' example, but the token endpoint gets the client's own
/// credentials (its example holds placeholders).
fn request_for(vendor: &Vendor, id: &str, example: Option<Value>, credentials: (String, String)) -> Value {
    if id == vendor.token_endpoint().id.as_str() {
        let mut m = serde_json::Map::new();
        m.insert(vendor.token.id_param.clone(), Value::String(credentials.0));
        m.insert(vendor.token.secret_param.clone(), Value::String(credentials.1));
        return Value::Object(m);
    }
    example.unwrap_or_else(|| Value::Object(Default::default()))
}

#[tokio::main]
async fn main() -> ExitCode {
    let spec = match workapi_codegen::load(&workapi_mock::spec_dir()) {
        Ok(s) => s,
        Err(problems) => {
            eprintln!("the spec does not load:\n{problems}");
            return ExitCode::FAILURE;
        }
    };
    let target = if env_configured(&spec) {
        println!("Using the vendors named by the environment.");
        Target::Environment
    } else {
        let mock = MockServer::start_with(spec.clone()).await;
        println!(
            "No WORKAPI_* or credential variables set: calling workapi-mock at {}.",
            mock.uri()
        );
        Target::Mock(mock)
    };

    // One client per vendor app, as an application would hold them: tokens are fetched once and
    // reused. WeCom needs one per app secret.
    let dingtalk = dingtalk_client(&target);
    let mut wecom_apps: std::collections::BTreeMap<Option<String>, Result<wecom::Client, workapi::Error>> =
        Default::default();

    let (mut ok, mut failed) = (0, 0);
    for vendor in &spec.vendors {
        for (module, endpoint) in vendor.endpoints() {
            let method = match endpoint.method {
                workapi_codegen::model::Method::Get => "GET ",
                workapi_codegen::model::Method::Post => "POST",
            };
            let label = format!("{}.{}", vendor.name, endpoint.id);
            // The token endpoint is called with the client's own credentials, not the docs'
            // placeholders: the mock's, or the ones the environment names in vendor.yaml.
            let credentials = match &target {
                Target::Mock(_) => MockServer::credentials(&vendor.name),
                Target::Environment => (
                    std::env::var(&vendor.token.id_env).unwrap_or_default(),
                    std::env::var(&vendor.token.secret_env).unwrap_or_default(),
                ),
            };
            let request = request_for(vendor, &endpoint.id, endpoint.example_request(), credentials);
            let result = match vendor.name.as_str() {
                "dingtalk" => match &dingtalk {
                    Ok(c) => c.call_json(&endpoint.id, request).await.map_err(|e| e.to_string()),
                    Err(e) => Err(e.to_string()),
                },
                "wecom" => match wecom_apps
                    .entry(module.secret_env.clone())
                    .or_insert_with(|| wecom_client(&target, module.secret_env.as_deref()))
                {
                    Ok(c) => c.call_json(&endpoint.id, request).await.map_err(|e| e.to_string()),
                    Err(e) => Err(e.to_string()),
                },
                other => {
                    println!("skip {other}: this tour knows no client for it");
                    continue;
                }
            };
            match result {
                Ok(answer) => {
                    ok += 1;
                    println!("ok   {label:<56} {method} {:<48} -> {}", endpoint.path, shape(&answer));
                }
                Err(e) => {
                    failed += 1;
                    println!("FAIL {label:<56} {method} {:<48} -> {e}", endpoint.path);
                }
            }
        }
    }
    if let Target::Mock(mock) = &target {
        println!(
            "The mock issued {} token(s) for {} calls.",
            mock.tokens_issued(),
            ok + failed
        );
    }
    println!("{ok} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
