//! The token cache: one fetch for many concurrent callers, reuse until shortly before expiry.

use crate::support::{SECRET, calls, dingtalk_at, server_with_token};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};
use workapi::dingtalk::report::ReportGetunreadcountRequest;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_concurrent_calls_on_a_cold_cache_fetch_one_token() {
    let server = MockServer::start().await;
    Mock::given(path("/gettoken"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"errcode": 0, "access_token": "t", "expires_in": 7200}))
                // Slow enough that every caller arrives while the fetch is in flight.
                .set_delay(Duration::from_millis(200)),
        )
        .mount(&server)
        .await;
    Mock::given(path("/topapi/report/getunreadcount"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "count": 1})))
        .mount(&server)
        .await;
    let client = dingtalk_at(&server.uri());
    let callers = (0..500).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .report_getunreadcount(&ReportGetunreadcountRequest::new("u"))
                .await
        })
    });
    for r in futures::future::join_all(callers).await {
        assert_eq!(r.unwrap().unwrap().count, Some(1));
    }
    assert_eq!(calls(&server, "/gettoken").await, 1, "token requests the server saw");
    assert_eq!(calls(&server, "/topapi/report/getunreadcount").await, 500);
}

/// Time moves on tokio's clock, paused only between calls: a call's own I/O runs on real time,
/// and the token cache reads the clock that `advance` moves.
#[tokio::test]
async fn a_token_is_fetched_again_once_its_lifetime_runs_out() {
    let server = MockServer::start().await;
    Mock::given(path("/gettoken"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "access_token": "t", "expires_in": 7200})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/topapi/report/getunreadcount"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "count": 1})))
        .mount(&server)
        .await;
    let client = dingtalk_at(&server.uri());
    let req = ReportGetunreadcountRequest::new("u");
    client.report_getunreadcount(&req).await.unwrap();
    client.report_getunreadcount(&req).await.unwrap();
    assert_eq!(calls(&server, "/gettoken").await, 1, "reused while fresh");
    let skip = |d: Duration| async move {
        tokio::time::pause();
        tokio::time::advance(d).await;
        tokio::time::resume();
    };
    // A 7200 s token stops being handed out 300 s before it expires: at 6900 s.
    skip(Duration::from_secs(6890)).await;
    client.report_getunreadcount(&req).await.unwrap();
    assert_eq!(calls(&server, "/gettoken").await, 1, "still fresh at 6890 s");
    skip(Duration::from_secs(20)).await;
    client.report_getunreadcount(&req).await.unwrap();
    assert_eq!(calls(&server, "/gettoken").await, 2, "refreshed shortly before expiry");
}

#[tokio::test]
async fn a_body_over_the_cap_is_an_error_not_an_allocation() {
    let server = server_with_token("/gettoken").await;
    let huge = format!("{{\"errcode\":0,\"count\":1,\"pad\":\"{}\"}}", "x".repeat(64 * 1024));
    Mock::given(path("/topapi/report/getunreadcount"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(huge, "application/json"))
        .mount(&server)
        .await;
    let client = workapi::dingtalk::Client::builder()
        .credentials("k", SECRET)
        .base_url(workapi::dingtalk::Host::Oapi, server.uri())
        .max_response_bytes(16 * 1024)
        .build()
        .unwrap();
    let err = client
        .report_getunreadcount(&ReportGetunreadcountRequest::new("u"))
        .await
        .unwrap_err();
    assert!(matches!(err, workapi::Error::TooLarge { limit: 16384, .. }), "{err:?}");
}
