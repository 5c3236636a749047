//! Errors keep what a caller needs (errcode, sub_code, request id, status) and never a secret; a
//! rejected token is refreshed and the call retried exactly once.

use crate::support::{SECRET, TOKEN, calls, dingtalk_at, token_server, wecom_at};
use serde_json::json;
use wiremock::matchers::{path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workapi::ErrorKind;
use workapi::dingtalk::hrm::HrmEmployeesDismissionsRequest;
use workapi::dingtalk::report::ReportGetunreadcountRequest;
use workapi::wecom::checkin::CheckinGetcheckinDaydataRequest;

#[tokio::test]
async fn a_vendor_error_keeps_errcode_sub_code_and_request_id() {
    let server = token_server("t", "/gettoken").await;
    Mock::given(path("/topapi/report/getunreadcount"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "errcode": 90018, "errmsg": "当前企业调用该接口超过每秒调用次数上限", "request_id": "req-42"})))
        .mount(&server)
        .await;
    let err = dingtalk_at(&server.uri())
        .report_getunreadcount(&ReportGetunreadcountRequest::new("u1"))
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(90018));
    assert_eq!(err.request_id(), Some("req-42"));
    assert_eq!(err.kind(), ErrorKind::Throttle);
    assert!(err.is_retryable());
    assert!(
        err.to_string()
            .contains("report_getunreadcount: dingtalk errcode 90018"),
        "{err}"
    );
}

#[tokio::test]
async fn a_rejected_token_is_refreshed_and_the_call_retried_once() {
    let server = token_server("t", "/gettoken").await;
    // The first token is refused (88 / sub_code 40014); the second works.
    Mock::given(path("/topapi/report/getunreadcount"))
        .and(query_param("access_token", "t1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"errcode": 88, "sub_code": "40014", "errmsg": "鉴权异常", "sub_msg": "不合法的access_token"}),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/topapi/report/getunreadcount"))
        .and(query_param("access_token", "t2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "count": 2})))
        .mount(&server)
        .await;
    let client = dingtalk_at(&server.uri());
    let answer = client
        .report_getunreadcount(&ReportGetunreadcountRequest::new("u1"))
        .await
        .unwrap();
    assert_eq!(answer.count, Some(2));
    assert_eq!(calls(&server, "/gettoken").await, 2, "tokens fetched");
    assert_eq!(
        calls(&server, "/topapi/report/getunreadcount").await,
        2,
        "calls: one rejected, one retried"
    );
}

#[tokio::test]
async fn a_token_that_keeps_being_rejected_is_not_a_loop() {
    let server = token_server("w", "/cgi-bin/gettoken").await;
    Mock::given(path("/cgi-bin/checkin/getcheckin_daydata"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"errcode": 42001, "errmsg": "access_token expired"})),
        )
        .mount(&server)
        .await;
    let client = wecom_at(&server.uri());
    let req = CheckinGetcheckinDaydataRequest::new(
        workapi::UnixSeconds(1599062400),
        workapi::UnixSeconds(1599062400),
        ["u".to_owned()],
    );
    let err = client.checkin_getcheckin_daydata(&req).await.unwrap_err();
    assert!(err.is_token_error());
    assert_eq!(err.errcode(), Some(42001));
    assert_eq!(
        calls(&server, "/cgi-bin/checkin/getcheckin_daydata").await,
        2,
        "one call and exactly one retry"
    );
    assert_eq!(calls(&server, "/cgi-bin/gettoken").await, 2);
}

#[tokio::test]
async fn the_v1_api_reports_http_errors_and_refreshes_on_invalid_authentication() {
    let server = token_server("t", "/gettoken").await;
    Mock::given(path("/v1.0/hrm/employees/dismissions"))
        .and(wiremock::matchers::header("x-acs-dingtalk-access-token", "t1"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"code": "InvalidAuthentication", "message": "token invalid", "requestid": "r1"})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/hrm/employees/dismissions"))
        .and(wiremock::matchers::header("x-acs-dingtalk-access-token", "t2"))
        .respond_with(ResponseTemplate::new(403).set_body_json(
            json!({"code": "Forbidden.AccessDenied.QpsLimitForApi", "message": "qps", "requestid": "r2"}),
        ))
        .mount(&server)
        .await;
    let err = dingtalk_at(&server.uri())
        .hrm_employees_dismissions(&HrmEmployeesDismissionsRequest::new().max_results(50))
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(403));
    assert_eq!(err.kind(), ErrorKind::Throttle);
    assert_eq!(err.request_id(), Some("r2"));
    let q = server.received_requests().await.unwrap();
    let calls: Vec<_> = q.iter().filter(|r| r.url.path().starts_with("/v1.0")).collect();
    // One rejected token, then three throttled attempts with the fresh one.
    assert_eq!((calls.len(), err.attempts()), (4, 4));
    assert_eq!(
        calls[1].url.query(),
        Some("maxResults=50"),
        "the token travels in the header only"
    );
}

#[tokio::test]
async fn a_body_that_does_not_fit_is_a_decode_error_with_the_path_and_the_body() {
    let server = token_server("t", "/gettoken").await;
    Mock::given(path("/topapi/report/getunreadcount"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "count": "many"})))
        .mount(&server)
        .await;
    Mock::given(path("/topapi/report/create"))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>"))
        .mount(&server)
        .await;
    let client = dingtalk_at(&server.uri());
    let err = client
        .report_getunreadcount(&ReportGetunreadcountRequest::new("u1"))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, workapi::Error::Decode { .. }), "{err:?}");
    assert!(text.contains("count") && text.contains("\"many\""), "{text}");

    let req = workapi::dingtalk::report::ReportCreateRequest::new([], "t", true, "dd", "u");
    let err = client.report_create(&req).await.unwrap_err();
    assert_eq!(err.http_status(), Some(502));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn no_secret_or_token_in_errors_or_debug_output() {
    let server = MockServer::start().await;
    Mock::given(path("/gettoken"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "access_token": TOKEN, "expires_in": 7200})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/topapi/report/getunreadcount"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 40035, "errmsg": "缺少参数"})))
        .mount(&server)
        .await;
    let client = dingtalk_at(&server.uri());
    let vendor_err = client
        .report_getunreadcount(&ReportGetunreadcountRequest::new("u1"))
        .await
        .unwrap_err();

    // A reqwest error: the server is gone; its URL would carry the token in the query.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let gone = dingtalk_at(&format!("http://127.0.0.1:{port}"));
    let transport_err = gone
        .report_getunreadcount(&ReportGetunreadcountRequest::new("u1"))
        .await
        .unwrap_err();

    // The token endpoint answering garbage must not echo its body either.
    let server = MockServer::start().await;
    Mock::given(path("/gettoken"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!("not json {TOKEN} {SECRET}")))
        .mount(&server)
        .await;
    let token_err = dingtalk_at(&server.uri())
        .report_getunreadcount(&ReportGetunreadcountRequest::new("u1"))
        .await
        .unwrap_err();

    let builder_debug = format!(
        "{:?}",
        workapi::dingtalk::Client::builder().credentials("app-key-1", SECRET)
    );
    let mut outputs = vec![format!("{client:?}"), format!("{gone:?}"), builder_debug];
    for e in [&vendor_err, &transport_err, &token_err] {
        outputs.push(e.to_string());
        outputs.push(format!("{e:?}"));
    }
    for out in &outputs {
        assert!(!out.contains(SECRET), "secret leaked: {out}");
        assert!(!out.contains(TOKEN), "token leaked: {out}");
    }
    assert!(
        matches!(transport_err, workapi::Error::Transport { .. }),
        "{transport_err:?}"
    );
    assert!(matches!(token_err, workapi::Error::Decode { .. }), "{token_err:?}");
}

#[test]
fn missing_configuration_is_a_config_error_naming_what_to_set() {
    let err = workapi::wecom::Client::builder().build().unwrap_err();
    assert!(
        err.to_string().contains("WECOM_CORP_ID") && err.to_string().contains("WECOM_SECRET"),
        "{err}"
    );
    let err = workapi::dingtalk::Client::builder()
        .credentials("k", "s")
        .base_url(workapi::dingtalk::Host::Oapi, "not a url")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("oapi"), "{err}");
    assert_eq!(
        err.kind(),
        ErrorKind::Config,
        "a configuration error is not an auth error"
    );
    let source = std::error::Error::source(&err).expect("the URL parser's error is kept");
    assert!(!source.to_string().is_empty());
    let err = workapi::dingtalk::Client::builder()
        .credentials("k", "s")
        .attempt_timeout(std::time::Duration::ZERO)
        .build()
        .unwrap_err();
    assert!(
        matches!(err, workapi::Error::Config { .. }) && err.to_string().contains("attempt_timeout"),
        "{err}"
    );
}

#[test]
fn a_token_store_error_keeps_its_source() {
    let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
    let err = workapi::Error::token_store("redis", Some(Box::new(io)));
    assert_eq!(
        (err.kind(), err.to_string().as_str()),
        (ErrorKind::Busy, "token store: redis")
    );
    assert_eq!(std::error::Error::source(&err).unwrap().to_string(), "refused");
}

/// The tracing check runs in a process of its own: tracing caches per callsite whether anyone
/// listens, globally, so a subscriber installed by one test races with the others running beside
/// it. The child process is this test binary, running only [`tracing_child`].
#[test]
fn no_secret_or_token_in_tracing_output() {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "errors::tracing_child",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("WORKAPI_TRACING_CHILD", "1")
        .output()
        .unwrap();
    let logs = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "child failed: {logs}");
    // One span per call with the endpoint id; events with attempt, errcode, status and latency.
    for expected in [
        "workapi.call",
        "endpoint=\"report_getunreadcount\"",
        "attempt=1",
        "errcode=40035",
        "latency_ms=",
        "retrying",
    ] {
        assert!(logs.contains(expected), "tracing output lacks {expected}: {logs}");
    }
    assert!(!logs.contains(SECRET), "secret in tracing output");
    assert!(!logs.contains(TOKEN), "token in tracing output");
}

/// Only run by [`no_secret_or_token_in_tracing_output`], in its own process.
#[test]
#[ignore = "run by no_secret_or_token_in_tracing_output in a child process"]
fn tracing_child() {
    assert!(
        std::env::var_os("WORKAPI_TRACING_CHILD").is_some(),
        "run through no_secret_or_token_in_tracing_output"
    );
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(std::io::stdout)
        .init();
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let server = MockServer::start().await;
        Mock::given(path("/gettoken"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"errcode": 0, "access_token": TOKEN, "expires_in": 7200})),
            )
            .mount(&server)
            .await;
        Mock::given(path("/topapi/report/getunreadcount"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 40035, "errmsg": "缺少参数"})))
            .mount(&server)
            .await;
        let client = dingtalk_at(&server.uri());
        client
            .report_getunreadcount(&ReportGetunreadcountRequest::new("u1"))
            .await
            .unwrap_err();
        let gone = dingtalk_at("http://127.0.0.1:9");
        gone.report_getunreadcount(&ReportGetunreadcountRequest::new("u1"))
            .await
            .unwrap_err();
    });
}
