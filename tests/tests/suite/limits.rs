//! Documented limits are checked before sending: the error names the field, the value and the
//! limit, and nothing reaches the server. Callers can turn the check off.

use crate::support::{TOKEN, dingtalk_at, wecom_at};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};
use workapi::dingtalk::blackboard::{BlackboardCreateRequest, BlackboardReceiver};
use workapi::dingtalk::report::ReportListRequest;
use workapi::{UnixMillis, UnixSeconds};

async fn answering_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"errcode": 0, "access_token": TOKEN, "expires_in": 7200, "result": {}, "stat_list": []}),
        ))
        .mount(&server)
        .await;
    server
}

fn limit_error(err: workapi::Error) -> (String, String) {
    match err {
        workapi::Error::Limit { field, problem, .. } => (field, problem),
        other => panic!("expected a limit error, got {other:?}"),
    }
}

#[tokio::test]
async fn requests_that_break_documented_limits_are_not_sent() {
    let server = answering_server().await;
    let dingtalk = dingtalk_at(&server.uri());

    let day = 86_400_000;
    let too_big = ReportListRequest::new(UnixMillis(0), UnixMillis(day), 0, 21);
    let (field, problem) = limit_error(dingtalk.report_list(&too_big).await.unwrap_err());
    assert_eq!(
        (field.as_str(), problem.as_str()),
        ("size", "is 21, above the documented maximum 20")
    );

    let too_long = ReportListRequest::new(UnixMillis(0), UnixMillis(181 * day), 0, 20);
    let (field, problem) = limit_error(dingtalk.report_list(&too_long).await.unwrap_err());
    assert_eq!(field, "end_time");
    assert!(
        problem.contains("181.0 days after start_time") && problem.contains("180 days"),
        "{problem}"
    );

    let crowd = BlackboardReceiver::new().userid_list((0..1001).map(|i| format!("u{i}")));
    let err = dingtalk
        .blackboard_create(&BlackboardCreateRequest::new("m", crowd, "t", "c"))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert_eq!(
        text,
        "blackboard_create: field 'blackboard_receiver.userid_list' has 1001 items, more than the documented maximum 1000; not sent"
    );
    assert_eq!(err.kind(), workapi::ErrorKind::Param);

    let wecom = wecom_at(&server.uri());
    let req = workapi::wecom::journal::JournalGetStatListRequest::new("模".repeat(86), UnixSeconds(0), UnixSeconds(1));
    let (field, _) = limit_error(wecom.journal_get_stat_list(&req).await.unwrap_err());
    assert_eq!(
        field, "template_id",
        "258 bytes of UTF-8 is over 256 even though it is 86 characters"
    );

    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing was sent, not even a token request"
    );
}

#[tokio::test]
async fn the_check_can_be_turned_off() {
    let server = answering_server().await;
    let client = workapi::dingtalk::Client::builder()
        .credentials("k", "s")
        .base_url(workapi::dingtalk::Host::Oapi, server.uri())
        .check_limits(false)
        .build()
        .unwrap();
    let req = ReportListRequest::new(UnixMillis(0), UnixMillis(1), 0, 21);
    client.report_list(&req).await.unwrap();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 2, "the token request and the call");
}

#[tokio::test]
async fn minimum_lengths_and_the_limits_of_each_item_are_checked() {
    use workapi::wecom::checkin::CheckinGetcheckinDaydataRequest;
    use workapi::wecom::contact::UserCreateRequest;
    let server = answering_server().await;
    let wecom = wecom_at(&server.uri());

    // `长度为1~64个字节`: an empty userid is refused, as a 65-byte one is.
    let (field, problem) = limit_error(
        wecom
            .user_create(&UserCreateRequest::new("", "张三"))
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (field.as_str(), problem.as_str()),
        ("userid", "is 0 bytes long, fewer than the documented minimum 1")
    );
    // `长度为1~64个utf8字符`: counted in characters, so 64 Chinese characters (192 bytes) pass...
    let long_name = UserCreateRequest::new("zhangsan", "张".repeat(64)).alias("");
    let (field, problem) = limit_error(wecom.user_create(&long_name).await.unwrap_err());
    // ...and the optional alias, once set, must not be empty.
    assert_eq!(
        (field.as_str(), problem.as_str()),
        ("alias", "is 0 characters long, fewer than the documented minimum 1")
    );

    // `单个userid不少于1字节,不多于64字节`: each item of the list, named by its index.
    let ids = ["ok".to_owned(), "u".repeat(65)];
    let req = CheckinGetcheckinDaydataRequest::new(UnixSeconds(0), UnixSeconds(1), ids);
    let (field, problem) = limit_error(wecom.checkin_getcheckin_daydata(&req).await.unwrap_err());
    assert_eq!(
        (field.as_str(), problem.as_str()),
        ("useridlist[1]", "is 65 bytes long, more than the documented maximum 64")
    );
    let req = CheckinGetcheckinDaydataRequest::new(UnixSeconds(0), UnixSeconds(1), [""]);
    let (field, _) = limit_error(wecom.checkin_getcheckin_daydata(&req).await.unwrap_err());
    assert_eq!(field, "useridlist[0]");
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing was sent, not even a token request"
    );

    // Within every limit, both calls go out.
    wecom
        .user_create(&UserCreateRequest::new("zhangsan", "张".repeat(64)))
        .await
        .unwrap();
    let req = CheckinGetcheckinDaydataRequest::new(UnixSeconds(0), UnixSeconds(1), ["u".repeat(64)]);
    wecom.checkin_getcheckin_daydata(&req).await.unwrap();
}
