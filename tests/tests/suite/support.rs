//! Shared helpers: the loaded spec, and clients pointed at a loopback server.

use serde_json::json;
use std::sync::{Arc, Mutex, OnceLock};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workapi::{dingtalk, wecom};
use workapi_codegen::model::Spec;

/// The workspace spec, loaded once.
pub fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        workapi_codegen::load(&workapi_mock::spec_dir()).unwrap_or_else(|d| panic!("spec does not load:\n{d}"))
    })
}

/// `value` with every whole float (`1.0`) written as an integer (`1`): JSON has one number type, so a
/// `float64` field that the docs show as `1` and the client re-encodes as `1.0` has not changed. Used
/// where a test compares JSON that went through a typed struct.
pub fn whole_floats_as_integers(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => json!(f as i64),
            _ => Value::Number(n),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(whole_floats_as_integers).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(k, v)| (k, whole_floats_as_integers(v)))
                .collect(),
        ),
        other => other,
    }
}

pub const SECRET: &str = "s3cr3t-app-secret-value";
pub const TOKEN: &str = "tok-e2e-4f1c9a";

/// Three attempts with millisecond backoff, so retry tests stay fast.
pub fn fast_retries() -> workapi::RetryPolicy {
    workapi::RetryPolicy::new(
        3,
        std::time::Duration::from_millis(1),
        std::time::Duration::from_millis(5),
    )
}

pub fn dingtalk_at(uri: &str) -> dingtalk::Client {
    dingtalk::Client::builder()
        .retry_policy(fast_retries())
        .credentials("app-key-1", SECRET)
        .base_url(dingtalk::Host::Oapi, uri)
        .base_url(dingtalk::Host::Api, uri)
        .build()
        .expect("client builds")
}

pub fn wecom_at(uri: &str) -> wecom::Client {
    wecom::Client::builder()
        .credentials("corp-1", SECRET)
        .base_url(wecom::Host::Qyapi, uri)
        .build()
        .expect("client builds")
}

/// A loopback server whose token endpoint (`token_path`) always issues [`TOKEN`].
pub async fn server_with_token(token_path: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path(token_path))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "access_token": TOKEN, "expires_in": 7200})),
        )
        .mount(&server)
        .await;
    server
}

/// How many requests `server` received on `p`.
pub async fn calls(server: &MockServer, p: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == p)
        .count()
}

/// A loopback server whose token endpoint issues a new token each time: `{prefix}1`, `{prefix}2`, ...
pub async fn token_server(prefix: &str, token_path: &str) -> MockServer {
    let server = MockServer::start().await;
    // Every token request gets a new token: t1, t2, ...
    let n = Arc::new(Mutex::new(0));
    let prefix = prefix.to_owned();
    Mock::given(method("GET"))
        .and(path(token_path))
        .respond_with(move |_: &wiremock::Request| {
            let mut n = n.lock().unwrap();
            *n += 1;
            ResponseTemplate::new(200).set_body_json(
                json!({"errcode": 0, "errmsg": "ok", "access_token": format!("{prefix}{n}"), "expires_in": 7200}),
            )
        })
        .mount(&server)
        .await;
    server
}

/// Says on the terminal that `what` skipped and why. Written to stderr directly, not with
/// `eprintln!`, which the test harness captures and hides for a test that passes; `.ci/run` counts
/// these lines into its closing summary.
pub fn skipped(what: &str, why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "skipped: {what}: {why}");
}

/// Copies the folder `from` (a spec folder, say) to `to`, recursively.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("create the copy's folder");
    for entry in std::fs::read_dir(from).expect("read the folder") {
        let entry = entry.expect("a folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy a file");
        }
    }
}

/// Replaces the one occurrence of `from` in the file at `path` with `to`; fails when `from` is not
/// there exactly once, so an edit cannot silently miss or hit twice.
pub fn replace_once(path: &std::path::Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        text.matches(from).count(),
        1,
        "{}: the edit's anchor must occur once: {from:?}",
        path.display()
    );
    std::fs::write(path, text.replacen(from, to, 1)).expect("write the edited file");
}
