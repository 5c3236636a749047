//! Broken servers, one test per mode, against real servers on 127.0.0.1 (wiremock, or a raw
//! `TcpListener` where HTTP itself must break). Each asserts a typed error, returned within the
//! configured time limits (an outer timeout fails the test), with no token or secret in its
//! `Display` or `Debug`.

use crate::support::{SECRET, TOKEN, calls, fast_retries, server_with_token};
use serde_json::json;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};
use workapi::dingtalk::hrm::HrmEmployeesDismissionsRequest;
use workapi::dingtalk::report::{ReportCreateRequest, ReportGetunreadcountRequest};
use workapi::dingtalk::{self, Host};
use workapi::{Error, ErrorKind, TimeoutScope};

const READ: &str = "/topapi/report/getunreadcount";
const WRITE: &str = "/topapi/report/create";
const V1: &str = "/v1.0/hrm/employees/dismissions";
const ATTEMPT: Duration = Duration::from_millis(300);
const OPERATION: Duration = Duration::from_secs(3);
const TOKEN_LOAD: Duration = Duration::from_secs(2);
/// Past every configured limit: a call still running then is a failed test, not a hung one.
const OUTER: Duration = Duration::from_secs(30);
/// Token-shaped text a gateway page might echo: 40 opaque characters.
const OPAQUE: &str = "ZmFrZS1vcGFxdWUtdG9rZW4tMTIzNDU2Nzg5MGFi";

/// A builder with short limits, both hosts at `uri`.
fn builder(uri: &str) -> dingtalk::ClientBuilder {
    dingtalk::Client::builder()
        .credentials("app-key-1", SECRET)
        .base_url(Host::Oapi, uri)
        .base_url(Host::Api, uri)
        .retry_policy(fast_retries())
        .attempt_timeout(ATTEMPT)
        .operation_timeout(OPERATION)
        .token_load_timeout(TOKEN_LOAD)
}

fn client(uri: &str) -> dingtalk::Client {
    builder(uri).build().expect("client builds")
}

async fn within<T>(call: impl Future<Output = T>) -> T {
    tokio::time::timeout(OUTER, call)
        .await
        .expect("the call outlived every configured limit")
}

async fn read(c: &dingtalk::Client) -> Result<u32, Error> {
    within(c.report_getunreadcount(&ReportGetunreadcountRequest::new("u1")))
        .await
        .map(|r| r.count.unwrap_or_default() as u32)
}

/// No token, secret or `extra` text in the error's `Display` or `Debug`; returns the `Display`.
fn clean(err: &Error, extra: &[&str]) -> String {
    let shown = err.to_string();
    for out in [&shown, &format!("{err:?}")] {
        for s in [SECRET, TOKEN].iter().chain(extra) {
            assert!(!out.contains(s), "{s} leaked: {out}");
        }
    }
    shown
}

async fn answering(server: &MockServer, p: &str, answer: ResponseTemplate) {
    Mock::given(path(p)).respond_with(answer).mount(server).await;
}

#[tokio::test]
async fn an_html_page_that_echoes_the_url_is_an_error_without_the_token() {
    let server = server_with_token("/gettoken").await;
    let page = format!("<html><h1>blocked</h1>GET {READ}?access_token={TOKEN}&x=1 ref {OPAQUE}</html>");
    answering(&server, READ, ResponseTemplate::new(200).set_body_string(page.clone())).await;
    answering(&server, WRITE, ResponseTemplate::new(502).set_body_string(page)).await;
    let c = client(&server.uri());
    let err = read(&c).await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    let shown = clean(&err, &[OPAQUE]);
    assert!(
        shown.contains("<html><h1>blocked"),
        "the start of the page is kept: {shown}"
    );
    let source = std::error::Error::source(&err).expect("a decode error keeps its source");
    assert!(!source.to_string().contains(TOKEN));

    let req = ReportCreateRequest::new([], "tpl", false, "dd", "u1");
    let err = within(c.report_create(&req)).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 502, .. }), "{err:?}");
    clean(&err, &[OPAQUE]);
}

#[tokio::test]
async fn an_empty_body_is_a_decode_error() {
    let server = server_with_token("/gettoken").await;
    answering(&server, READ, ResponseTemplate::new(200)).await;
    let err = read(&client(&server.uri())).await.unwrap_err();
    assert!(matches!(err, Error::Decode { source: Some(_), .. }), "{err:?}");
    clean(&err, &[]);
}

#[tokio::test]
async fn wrong_types_are_a_decode_error_that_does_not_quote_a_token() {
    let server = server_with_token("/gettoken").await;
    let body = json!({"errcode": 0, "count": format!("{TOKEN}-{OPAQUE}")});
    answering(&server, READ, ResponseTemplate::new(200).set_body_json(body)).await;
    let err = read(&client(&server.uri())).await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    let shown = clean(&err, &[OPAQUE]);
    assert!(shown.contains("at count") && shown.contains("is not a"), "{shown}");
    let source = std::error::Error::source(&err).unwrap();
    assert!(!format!("{source} {source:?}").contains(TOKEN), "{source:?}");
}

#[tokio::test]
async fn a_body_over_the_cap_is_too_large() {
    let server = server_with_token("/gettoken").await;
    let huge = format!("{{\"errcode\":0,\"count\":1,\"pad\":\"{}\"}}", "x".repeat(64 * 1024));
    answering(
        &server,
        READ,
        ResponseTemplate::new(200).set_body_raw(huge, "application/json"),
    )
    .await;
    let c = builder(&server.uri()).max_response_bytes(4096).build().unwrap();
    let err = read(&c).await.unwrap_err();
    assert!(matches!(err, Error::TooLarge { limit: 4096, .. }), "{err:?}");
    clean(&err, &[]);
}

#[tokio::test]
async fn unknown_and_missing_errcodes_are_errors() {
    let server = server_with_token("/gettoken").await;
    answering(
        &server,
        READ,
        ResponseTemplate::new(200).set_body_json(json!({"errcode": 987654, "errmsg": format!("odd {OPAQUE}")})),
    )
    .await;
    let c = client(&server.uri());
    let err = read(&c).await.unwrap_err();
    assert!(matches!(&err, Error::Vendor(v) if v.errcode == 987654), "{err:?}");
    assert_eq!((err.kind(), err.attempts()), (ErrorKind::Other, 1), "not retried");
    clean(&err, &[OPAQUE]);

    let server = server_with_token("/gettoken").await;
    answering(
        &server,
        READ,
        ResponseTemplate::new(200).set_body_json(json!({"errmsg": "ok", "count": 3})),
    )
    .await;
    let err = read(&client(&server.uri())).await.unwrap_err();
    assert!(
        matches!(err, Error::Decode { .. }),
        "no errcode is not success: {err:?}"
    );
    assert!(clean(&err, &[]).contains("no errcode"));
}

#[tokio::test]
async fn a_redirect_is_an_error_and_the_other_server_sees_nothing() {
    let server = server_with_token("/gettoken").await;
    let elsewhere = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "count": 1})))
        .mount(&elsewhere)
        .await;
    let to = format!("{}/collect", elsewhere.uri());
    for p in [READ, WRITE, V1] {
        answering(
            &server,
            p,
            ResponseTemplate::new(307).insert_header("location", to.as_str()),
        )
        .await;
    }
    let c = client(&server.uri());
    let errors = [
        read(&c).await.unwrap_err(),
        within(c.report_create(&ReportCreateRequest::new([], "tpl", false, "dd", "u1")))
            .await
            .unwrap_err(),
        within(c.hrm_employees_dismissions(&HrmEmployeesDismissionsRequest::new().max_results(50)))
            .await
            .unwrap_err(),
    ];
    for err in &errors {
        assert!(
            matches!(err, Error::Redirect { status: 307, to: Some(o), attempts: 1, .. } if *o == elsewhere.uri()),
            "{err:?}"
        );
        clean(err, &[]);
    }
    let stolen = elsewhere.received_requests().await.unwrap();
    assert!(stolen.is_empty(), "the redirect target saw {} requests", stolen.len());

    // A caller's own client that follows redirects: the answer from elsewhere is never Ok.
    let following = builder(&server.uri())
        .http_client(
            workapi::http_client_builder()
                .unwrap()
                .redirect(reqwest::redirect::Policy::default())
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let err = read(&following).await.unwrap_err();
    assert!(matches!(err, Error::Redirect { status: 200, .. }), "{err:?}");
}

#[tokio::test]
async fn a_5xx_storm_is_retried_within_the_policy_and_the_budget() {
    let server = server_with_token("/gettoken").await;
    answering(&server, READ, ResponseTemplate::new(503).set_body_string("overloaded")).await;
    let c = client(&server.uri());
    let callers: Vec<_> = (0..200)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { read(&c).await })
        })
        .collect();
    for r in futures::future::join_all(callers).await {
        let err = r.unwrap().unwrap_err();
        assert!(matches!(err, Error::Http { status: 503, .. }), "{err:?}");
        assert!(err.attempts() <= fast_retries().max_attempts());
        clean(&err, &[]);
    }
    // Each caller sends once; retries draw on a budget of 500 at 5 each: 100 in all, not 400.
    let retries = fast_retries().retry_budget() as usize / 5;
    let seen = calls(&server, READ).await;
    eprintln!("requests for 200 callers of a 503 storm: {seen}");
    assert!((200..=200 + retries).contains(&seen), "{seen} requests");
}

#[tokio::test]
async fn retry_after_is_honoured_within_its_cap_and_a_v1_429_throttles() {
    let server = server_with_token("/gettoken").await;
    Mock::given(path(READ))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answering(
        &server,
        READ,
        ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "count": 4})),
    )
    .await;
    answering(
        &server,
        WRITE,
        ResponseTemplate::new(429).insert_header("retry-after", "3600"),
    )
    .await;
    let c = client(&server.uri());
    assert_eq!(read(&c).await.unwrap(), 4, "retried after the second asked for");
    let req = ReportCreateRequest::new([], "tpl", false, "dd", "u1");
    let err = within(c.report_create(&req)).await.unwrap_err();
    assert_eq!(
        (err.retry_after(), err.attempts(), calls(&server, WRITE).await),
        (Some(Duration::from_secs(3600)), 1, 1),
        "an hour is past the cap: returned at once, {err:?}"
    );

    answering(
        &server,
        V1,
        ResponseTemplate::new(429).set_body_json(json!({"code": "Brand.New.Limit", "message": "slow down"})),
    )
    .await;
    let err = within(c.hrm_employees_dismissions(&HrmEmployeesDismissionsRequest::new()))
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Api(a) if a.code == "Brand.New.Limit"), "{err:?}");
    assert_eq!((err.kind(), err.attempts()), (ErrorKind::Throttle, 3));
    clean(&err, &[]);
}

/// What a raw server does with calls other than the token endpoint's.
#[derive(Clone, Copy, PartialEq)]
enum Raw {
    /// Reads the request and never answers.
    Silent,
    /// Announces 100 bytes, sends 13 and closes.
    CutMidBody,
    /// A complete HTTP answer whose JSON stops halfway.
    Truncated,
    /// Not even the token endpoint answers.
    SilentToken,
}

/// A raw HTTP/1.1 server on 127.0.0.1; returns its URL and a count of the non-token requests.
async fn raw_server(mode: Raw) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(serve(socket, mode, counter.clone()));
        }
    });
    (url, hits)
}

async fn serve(mut socket: TcpStream, mode: Raw, hits: Arc<AtomicUsize>) {
    let mut buf = Vec::new();
    loop {
        // One request: headers up to a blank line (at most 64 KiB), then Content-Length bytes.
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let mut chunk = [0u8; 4096];
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) if buf.len() + n <= 64 * 1024 => buf.extend_from_slice(&chunk[..n]),
                Ok(_) => return,
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        while buf.len() < head_end + length.min(64 * 1024) {
            let mut chunk = [0u8; 4096];
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        buf.drain(..(head_end + length).min(buf.len()));
        let is_token = head.starts_with("get /gettoken");
        if !is_token {
            hits.fetch_add(1, Ordering::SeqCst);
        }
        let answer = |body: &str, announced: usize| {
            format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {announced}\r\n\r\n{body}")
        };
        let out = match (mode, is_token) {
            (Raw::SilentToken, true) | (Raw::Silent, false) => std::future::pending().await,
            (_, true) => {
                let body = json!({"errcode": 0, "access_token": TOKEN, "expires_in": 7200}).to_string();
                answer(&body, body.len())
            }
            (Raw::CutMidBody, false) => {
                let _ = socket.write_all(answer("{\"errcode\":0,", 100).as_bytes()).await;
                return;
            }
            (_, false) => answer("{\"errcode\":0,\"count\":", 21),
        };
        if socket.write_all(out.as_bytes()).await.is_err() {
            return;
        }
    }
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_per_attempt_and_per_operation() {
    let (url, hits) = raw_server(Raw::Silent).await;
    let err = read(&client(&url)).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                scope: TimeoutScope::Attempt,
                after: ATTEMPT,
                attempts: 3,
                ..
            }
        ),
        "{err:?}"
    );
    let shown = clean(&err, &[]);
    assert!(
        shown.contains("report_getunreadcount") && shown.contains("timed out after 300ms"),
        "{shown}"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 3, "a read is resent");

    let write = within(client(&url).report_create(&ReportCreateRequest::new([], "t", false, "dd", "u")))
        .await
        .unwrap_err();
    assert!(
        matches!(write, Error::Timeout { attempts: 1, .. }),
        "a write may have landed: {write:?}"
    );

    let short = builder(&url)
        .operation_timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let err = read(&short).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                scope: TimeoutScope::Operation,
                attempts: 1 | 2,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(clean(&err, &[]).contains("500ms"));
}

#[tokio::test]
async fn a_token_endpoint_that_never_answers_times_out_the_load() {
    let (url, hits) = raw_server(Raw::SilentToken).await;
    let c = builder(&url)
        .attempt_timeout(Duration::from_secs(5))
        .token_load_timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let err = read(&c).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                scope: TimeoutScope::TokenLoad,
                endpoint: "gettoken",
                ..
            }
        ),
        "{err:?}"
    );
    clean(&err, &[]);
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_connection_closed_mid_response_is_a_transport_error() {
    let (url, hits) = raw_server(Raw::CutMidBody).await;
    let err = read(&client(&url)).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(clean(&err, &[]).contains("reading the answer"), "{err}");
    assert_eq!((err.attempts(), hits.load(Ordering::SeqCst)), (3, 3));
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    let (url, _) = raw_server(Raw::Truncated).await;
    let err = read(&client(&url)).await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    clean(&err, &[]);
}

/// A token server whose `expires_in` is `lifetime` (`None`: left out).
async fn token_lifetime(lifetime: Option<serde_json::Value>) -> MockServer {
    let server = MockServer::start().await;
    let mut body = json!({"errcode": 0, "access_token": TOKEN});
    if let Some(l) = lifetime {
        body["expires_in"] = l;
    }
    answering(&server, "/gettoken", ResponseTemplate::new(200).set_body_json(body)).await;
    answering(
        &server,
        READ,
        ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "count": 1})),
    )
    .await;
    server
}

#[tokio::test]
async fn huge_and_zero_token_lifetimes_are_clamped_and_others_are_errors() {
    for clamped in [json!(18446744073709551615u64), json!(1e300), json!(0), json!("0")] {
        let server = token_lifetime(Some(clamped.clone())).await;
        let c = client(&server.uri());
        assert_eq!(read(&c).await.unwrap(), 1, "{clamped}");
        assert_eq!(read(&c).await.unwrap(), 1, "{clamped}");
        assert_eq!(
            calls(&server, "/gettoken").await,
            1,
            "{clamped}: one token for both calls"
        );
    }
    for bad in [
        Some(json!(-7200)),
        Some(json!("soon")),
        Some(json!(7.5)),
        Some(json!(null)),
        None,
    ] {
        let server = token_lifetime(bad.clone()).await;
        let err = read(&client(&server.uri())).await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::Decode {
                    endpoint: "gettoken",
                    ..
                }
            ),
            "{bad:?}: {err:?}"
        );
        assert!(clean(&err, &[]).contains("expires_in"), "{err}");
        assert_eq!(calls(&server, READ).await, 0, "{bad:?}: no call without a token");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_endpoint_down_under_a_thousand_callers_is_loaded_a_bounded_number_of_times() {
    for down in [
        ResponseTemplate::new(200).set_body_json(json!({"errcode": -1, "errmsg": "系统繁忙"})),
        ResponseTemplate::new(500).set_body_string("internal error"),
    ] {
        let server = MockServer::start().await;
        answering(&server, "/gettoken", down).await;
        let c = client(&server.uri());
        let callers: Vec<_> = (0..1000)
            .map(|_| {
                let c = c.clone();
                tokio::spawn(async move { read(&c).await })
            })
            .collect();
        for r in futures::future::join_all(callers).await {
            let err = r.unwrap().unwrap_err();
            assert!(
                matches!(&err, Error::Vendor(v) if v.errcode == -1) || matches!(err, Error::Http { status: 500, .. }),
                "{err:?}"
            );
            assert_eq!(err.kind(), ErrorKind::Busy);
            clean(&err, &[]);
        }
        // One load (with its retries) serves every waiter; late arrivals reuse its failure. Two
        // loads' worth leaves room for a caller scheduled after the reuse window.
        let bound = 2 * fast_retries().max_attempts() as usize;
        let fetches = calls(&server, "/gettoken").await;
        eprintln!("token requests for 1,000 callers: {fetches}");
        assert!(
            (1..=bound).contains(&fetches),
            "{fetches} token requests for 1,000 callers"
        );
        assert_eq!(calls(&server, READ).await, 0);
    }
}
