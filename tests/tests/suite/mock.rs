//! The spec-built mock checks what the vendors check, in their own error shapes.

use serde_json::{Value, json};
use workapi_mock::MockServer;

async fn post(url: String, body: Value) -> Value {
    workapi::http_client_builder()
        .unwrap()
        .build()
        .unwrap()
        .post(url)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_mock_issues_tokens_and_rejects_what_the_vendor_rejects() {
    let mock = MockServer::start().await.unwrap();
    let http = workapi::http_client_builder().unwrap().build().unwrap();
    let (id, secret) = MockServer::credentials("dingtalk");

    let bad: Value = http
        .get(format!("{}/gettoken?appkey={id}&appsecret=wrong", mock.uri()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(bad["errcode"], 40096);
    let good: Value = http
        .get(format!("{}/gettoken?appkey={id}&appsecret={secret}", mock.uri()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = good["access_token"].as_str().unwrap().to_owned();
    assert_eq!(mock.tokens_issued(), 1);

    let no_token = post(
        format!("{}/topapi/report/getunreadcount", mock.uri()),
        json!({"userid": "u"}),
    )
    .await;
    assert_eq!(
        (no_token["errcode"].as_i64(), no_token["sub_code"].as_str()),
        (Some(88), Some("40000"))
    );

    let missing = post(
        format!("{}/topapi/report/getunreadcount?access_token={token}", mock.uri()),
        json!({}),
    )
    .await;
    assert_eq!(missing["errcode"], 40035);
    assert!(missing["errmsg"].as_str().unwrap().contains("userid"));

    let unwrapped = post(
        format!("{}/topapi/blackboard/create?access_token={token}", mock.uri()),
        json!({"title": "x"}),
    )
    .await;
    assert!(
        unwrapped["errmsg"].as_str().unwrap().contains("create_request"),
        "{unwrapped}"
    );

    let ok = post(
        format!("{}/topapi/report/getunreadcount?access_token={token}", mock.uri()),
        json!({"userid": "u"}),
    )
    .await;
    assert_eq!(ok["errcode"], 0);

    // The v1.0 API wants the token in a header, not the query.
    let v1 = http
        .get(format!(
            "{}/v1.0/hrm/employees/dismissions?access_token={token}",
            mock.uri()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(v1.status(), 400);
    assert_eq!(v1.json::<Value>().await.unwrap()["code"], "InvalidAuthentication");

    mock.revoke_tokens();
    let revoked = post(
        format!("{}/topapi/report/getunreadcount?access_token={token}", mock.uri()),
        json!({"userid": "u"}),
    )
    .await;
    assert_eq!(revoked["sub_code"], "40014");
    assert_eq!(mock.calls("report_getunreadcount"), 4);
}

#[tokio::test]
async fn the_client_recovers_when_the_mock_revokes_its_token() {
    let mock = MockServer::start().await.unwrap();
    let (id, secret) = MockServer::credentials("wecom");
    let client = workapi::wecom::Client::builder()
        .credentials(id, secret)
        .base_url(workapi::wecom::Host::Qyapi, mock.uri())
        .build()
        .unwrap();
    let req: workapi::wecom::journal::JournalGetStatListRequest =
        serde_json::from_value(json!({"template_id": "t", "starttime": 1604160000, "endtime": 1606363092})).unwrap();
    client.journal_get_stat_list(&req).await.unwrap();
    client.journal_get_stat_list(&req).await.unwrap();
    assert_eq!(mock.tokens_issued(), 1, "the token is reused");
    mock.revoke_tokens();
    client.journal_get_stat_list(&req).await.unwrap();
    assert_eq!(mock.tokens_issued(), 2, "a revoked token is replaced once");
    assert_eq!(mock.calls("journal_get_stat_list"), 4);
}
