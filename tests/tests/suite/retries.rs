//! Retries: transient failures are retried with backoff up to the policy's bound; writes that are
//! not idempotent are never resent once they may have reached the server.

use crate::support::{calls, dingtalk_at, fast_retries, server_with_token};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::path;
use wiremock::{Mock, ResponseTemplate};
use workapi::dingtalk::report::{ReportCreateRequest, ReportGetunreadcountRequest};

const READ: &str = "/topapi/report/getunreadcount";
const WRITE: &str = "/topapi/report/create";

fn read() -> ReportGetunreadcountRequest {
    ReportGetunreadcountRequest::new("u1")
}

fn write() -> ReportCreateRequest {
    ReportCreateRequest::new([], "tpl", false, "workapi", "u1")
}

#[tokio::test]
async fn a_busy_vendor_is_retried_until_it_answers() {
    let server = server_with_token("/gettoken").await;
    Mock::given(path(READ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": -1, "errmsg": "系统繁忙"})))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(path(READ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "count": 5})))
        .mount(&server)
        .await;
    let answer = dingtalk_at(&server.uri()).report_getunreadcount(&read()).await.unwrap();
    assert_eq!(answer.count, Some(5));
    assert_eq!(calls(&server, READ).await, 3, "two busy answers, then success");
}

#[tokio::test]
async fn retries_are_bounded_by_the_policy() {
    let server = server_with_token("/gettoken").await;
    Mock::given(path(READ))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let err = dingtalk_at(&server.uri())
        .report_getunreadcount(&read())
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(503));
    assert_eq!(err.attempts(), 3);
    assert_eq!(calls(&server, READ).await, 3);

    let once = workapi::dingtalk::Client::builder()
        .credentials("k", "s")
        .base_url(workapi::dingtalk::Host::Oapi, server.uri())
        .retry_policy(workapi::RetryPolicy::none())
        .build()
        .unwrap();
    assert_eq!(once.report_getunreadcount(&read()).await.unwrap_err().attempts(), 1);
    assert_eq!(calls(&server, READ).await, 4);
}

#[tokio::test]
async fn quota_and_parameter_errors_are_not_retried() {
    let server = server_with_token("/gettoken").await;
    Mock::given(path(READ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 90020, "errmsg": "quota"})))
        .mount(&server)
        .await;
    let err = dingtalk_at(&server.uri())
        .report_getunreadcount(&read())
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.is_retryable(), err.attempts()),
        (workapi::ErrorKind::Quota, false, 1)
    );
    assert_eq!(calls(&server, READ).await, 1);
}

#[tokio::test]
async fn a_write_is_not_resent_after_a_server_error_but_is_after_throttling() {
    let server = server_with_token("/gettoken").await;
    Mock::given(path(WRITE))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let client = dingtalk_at(&server.uri());
    let err = client.report_create(&write()).await.unwrap_err();
    assert_eq!((err.http_status(), err.attempts()), (Some(502), 1));
    assert_eq!(
        calls(&server, WRITE).await,
        1,
        "a 502 may hide a report that was created"
    );

    // Throttling is the vendor saying it did not act: safe to resend even a write.
    Mock::given(path(WRITE))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 90018, "errmsg": "qps"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(WRITE))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "result": "report-1"})))
        .mount(&server)
        .await;
    assert_eq!(client.report_create(&write()).await.unwrap(), "report-1");
    assert_eq!(calls(&server, WRITE).await, 3);
}

#[tokio::test]
async fn a_write_that_timed_out_is_not_resent_and_a_read_is() {
    let server = server_with_token("/gettoken").await;
    let slow = ResponseTemplate::new(200)
        .set_body_json(json!({"errcode": 0, "count": 1}))
        .set_delay(Duration::from_millis(400));
    Mock::given(path(WRITE)).respond_with(slow.clone()).mount(&server).await;
    Mock::given(path(READ)).respond_with(slow).mount(&server).await;
    let http = workapi::http_client_builder()
        .unwrap()
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let client = workapi::dingtalk::Client::builder()
        .credentials("k", "s")
        .base_url(workapi::dingtalk::Host::Oapi, server.uri())
        .http_client(http)
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let err = client.report_create(&write()).await.unwrap_err();
    assert!(matches!(err, workapi::Error::Transport { .. }), "{err:?}");
    assert_eq!(calls(&server, WRITE).await, 1, "the write may have landed: not resent");
    let err = client.report_getunreadcount(&read()).await.unwrap_err();
    assert_eq!(
        (err.attempts(), calls(&server, READ).await),
        (3, 3),
        "a read is safe to resend"
    );
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_a_write() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = dingtalk_at(&format!("http://127.0.0.1:{port}"));
    let err = client.report_create(&write()).await.unwrap_err();
    assert!(matches!(err, workapi::Error::Transport { .. }), "{err:?}");
    // Nothing listens: the first request (the token fetch) never connects and is retried by the
    // policy, as a never-connected request is safe to resend whatever the endpoint.
    assert_eq!(err.attempts(), 3);
}

#[tokio::test]
async fn the_rate_limiter_holds_calls_to_the_documented_limit() {
    // DingTalk documents 20 calls a second per app and API; the 21st call must wait for the window.
    let server = server_with_token("/gettoken").await;
    Mock::given(path(READ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "count": 1})))
        .mount(&server)
        .await;
    let client = workapi::dingtalk::Client::builder()
        .credentials("k", "s")
        .base_url(workapi::dingtalk::Host::Oapi, server.uri())
        .rate_limit(true)
        .build()
        .unwrap();
    let start = std::time::Instant::now();
    for _ in 0..21 {
        client.report_getunreadcount(&read()).await.unwrap();
    }
    assert!(
        start.elapsed() >= Duration::from_millis(950),
        "21 calls took only {:?}",
        start.elapsed()
    );
    assert_eq!(calls(&server, READ).await, 21);
}
