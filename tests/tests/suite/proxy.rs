//! The proxy option: every request (token and call) goes through the configured HTTP proxy, which
//! here is a wiremock server on 127.0.0.1 standing in for a forward proxy (for `http://` targets a
//! proxy receives each request in absolute form). The vendor's host does not resolve, so a call
//! succeeds only through the proxy.

use serde_json::json;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};
use workapi::dingtalk::report::ReportGetunreadcountRequest;

const VENDOR: &str = "http://oapi.vendor.invalid";

async fn forward_proxy() -> MockServer {
    let proxy = crate::support::server_with_token("/gettoken").await;
    Mock::given(path("/topapi/report/getunreadcount"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "count": 3})))
        .mount(&proxy)
        .await;
    proxy
}

#[tokio::test]
async fn every_request_goes_through_the_proxy_with_its_credentials() {
    let proxy = forward_proxy().await;
    let with_password = proxy.uri().replace("http://", "http://egress:proxy-pass-1@");
    let builder = workapi::dingtalk::Client::builder()
        .credentials("app-key-1", "app-secret-1")
        .base_url(workapi::dingtalk::Host::Oapi, VENDOR)
        .proxy(with_password);
    assert!(!format!("{builder:?}").contains("proxy-pass-1"), "{builder:?}");
    let client = builder.build().unwrap();
    let answer = client
        .report_getunreadcount(&ReportGetunreadcountRequest::new("u"))
        .await
        .unwrap();
    assert_eq!(answer.count, Some(3));
    let seen = proxy.received_requests().await.unwrap();
    assert_eq!(seen.len(), 2, "the token request and the call");
    for request in &seen {
        assert_eq!(request.url.host_str(), Some("oapi.vendor.invalid"), "{}", request.url);
        let auth = request
            .headers
            .get("proxy-authorization")
            .map(|v| v.to_str().unwrap().to_owned());
        // Basic base64("egress:proxy-pass-1")
        assert_eq!(auth.as_deref(), Some("Basic ZWdyZXNzOnByb3h5LXBhc3MtMQ=="));
    }
}

#[tokio::test]
async fn without_the_proxy_the_vendor_cannot_be_reached() {
    // The control: the same client without a proxy fails, so the test above proves the route.
    let client = workapi::dingtalk::Client::builder()
        .credentials("app-key-1", "app-secret-1")
        .base_url(workapi::dingtalk::Host::Oapi, VENDOR)
        .retry_policy(workapi::RetryPolicy::new(1, Default::default(), Default::default()))
        .build()
        .unwrap();
    let err = client
        .report_getunreadcount(&ReportGetunreadcountRequest::new("u"))
        .await
        .unwrap_err();
    assert!(matches!(err, workapi::Error::Transport { .. }), "{err:?}");
}

#[test]
fn a_bad_proxy_url_is_a_config_error_that_does_not_echo_it() {
    let err = workapi::wecom::Client::builder()
        .credentials("corp", "secret")
        .proxy("::not a url with pass-2::")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), workapi::ErrorKind::Config);
    assert!(!format!("{err} {err:?}").contains("pass-2"), "{err:?}");
    let both = workapi::wecom::Client::builder()
        .credentials("corp", "secret")
        .proxy("http://127.0.0.1:3128")
        .http_client(workapi::http_client_builder().unwrap().build().unwrap())
        .build()
        .unwrap_err();
    assert_eq!(both.kind(), workapi::ErrorKind::Config);
}
