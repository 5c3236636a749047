//! The mock as a test kit for users: scripted pages end a paging stream, scripted vendor errors
//! reach `workapi::Error` with their code, a rejected token costs exactly one refetch, a delay
//! meets the client's timeout, and `requests_to` reads back what the client sent.

use crate::support::spec;
use futures::StreamExt;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Duration;
use workapi::dingtalk::hrm::HrmEmployeesDismissionsRequest;
use workapi::dingtalk::report::{ReportGetunreadcountRequest, ReportListRequest};
use workapi::{ClientBuilder, Error, ErrorKind, RetryPolicy, dingtalk, wecom};
use workapi_mock::{MASKED, MockServer};

/// A DingTalk client whose hosts all point at `mock`, with the mock's credentials.
fn dingtalk_builder(mock: &MockServer) -> ClientBuilder<dingtalk::Client> {
    let (id, secret) = MockServer::credentials("dingtalk");
    dingtalk::Client::builder()
        .credentials(id, secret)
        .base_url(dingtalk::Host::Oapi, mock.uri())
        .base_url(dingtalk::Host::Api, mock.uri())
        .retry_policy(RetryPolicy::none())
}

fn wecom_client(mock: &MockServer) -> wecom::Client {
    let (id, secret) = MockServer::credentials("wecom");
    wecom::Client::builder()
        .credentials(id, secret)
        .base_url(wecom::Host::Qyapi, mock.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn report_list_request() -> ReportListRequest {
    ReportListRequest::new(
        workapi::UnixMillis(1_700_000_000_000),
        workapi::UnixMillis(1_700_500_000_000),
        0,
        2,
    )
}

#[tokio::test]
async fn scripted_pages_end_each_paging_stream_with_every_item_in_order() {
    let mock = MockServer::start().await.unwrap();
    let client = dingtalk_builder(&mock).build().unwrap();

    // Payload under `result`, cursor style, ends on has_more false.
    mock.on("report_list").respond_pages([
        json!({"data_list": [{"report_id": "r1"}, {"report_id": "r2"}], "has_more": true, "next_cursor": 2}),
        json!({"data_list": [{"report_id": "r3"}, {"report_id": "r4"}], "has_more": true, "next_cursor": 4}),
        json!({"data_list": [{"report_id": "r5"}], "has_more": false}),
    ]);
    let mut reports = Box::pin(client.report_list_items(report_list_request()));
    let mut ids = Vec::new();
    while let Some(report) = reports.next().await {
        ids.push(report.unwrap().report_id.unwrap());
    }
    assert_eq!(ids, ["r1", "r2", "r3", "r4", "r5"]);
    assert_eq!(mock.calls("report_list"), 3, "one call per page, none after the end");

    // The v1.0 host: the payload is the whole body, nextToken in the query.
    mock.on("hrm_employees_dismissions").respond_pages([
        json!({"userIdList": ["u1", "u2"], "nextToken": 7, "hasMore": true}),
        json!({"userIdList": ["u3"], "hasMore": false}),
    ]);
    let users: Vec<String> = client
        .hrm_employees_dismissions_items(HrmEmployeesDismissionsRequest::new().max_results(2))
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(users, ["u1", "u2", "u3"]);
    let tokens: Vec<Option<String>> = mock
        .requests_to("hrm_employees_dismissions")
        .iter()
        .map(|r| r.query.get("nextToken").cloned())
        .collect();
    assert_eq!(tokens, [None, Some("7".to_owned())]);

    // WeCom: payload at the top level beside errcode, offset style, ends when next == total.
    let wecom = wecom_client(&mock);
    mock.on("externalcontact_groupchat_statistic").respond_pages([
        json!({"total": 3, "next_offset": 2, "items": [{"owner": "o1"}, {"owner": "o2"}]}),
        json!({"total": 3, "next_offset": 3, "items": [{"owner": "o3"}]}),
    ]);
    let first = serde_json::from_value(
        json!({"day_begin_time": 1600272000, "owner_filter": {"userid_list": ["a"]}, "limit": 2}),
    )
    .unwrap();
    let owners: Vec<String> = wecom
        .externalcontact_groupchat_statistic_items(first)
        .map(|r| r.unwrap().owner.unwrap())
        .collect()
        .await;
    assert_eq!(owners, ["o1", "o2", "o3"]);
}

#[tokio::test]
async fn after_the_last_scripted_page_the_last_page_answers_again() {
    let mock = MockServer::start().await.unwrap();
    let client = dingtalk_builder(&mock).build().unwrap();
    // A last page without an end signal: the client sees its cursor handed back twice.
    mock.on("report_list").respond_pages([
        json!({"data_list": [{"report_id": "r1"}], "has_more": true, "next_cursor": 1}),
        json!({"data_list": [{"report_id": "r2"}], "has_more": true, "next_cursor": 2}),
    ]);
    let pages: Vec<_> = client.report_list_pages(report_list_request()).collect().await;
    let ids: Vec<_> = pages
        .iter()
        .map(|p| {
            p.as_ref()
                .ok()
                .map(|p| p.data_list.clone().unwrap()[0].report_id.clone().unwrap())
        })
        .collect();
    assert_eq!(
        ids,
        [
            Some("r1".to_owned()),
            Some("r2".to_owned()),
            Some("r2".to_owned()),
            None
        ],
        "{pages:?}"
    );
    assert!(matches!(pages[3], Err(Error::Paging { .. })), "{:?}", pages[3]);
    assert_eq!(mock.calls("report_list"), 3);
}

/// The unread count of the docs' example answer of `report_getunreadcount`.
fn example_unread_count() -> Option<i64> {
    let dingtalk = spec().vendors.iter().find(|v| v.name.as_str() == "dingtalk").unwrap();
    let example = dingtalk
        .endpoints()
        .find(|(_, e)| e.id.as_str() == "report_getunreadcount")
        .and_then(|(_, e)| e.example_payload(&dingtalk.envelope))
        .expect("report_getunreadcount has an example");
    example["count"].as_i64()
}

#[tokio::test]
async fn scripts_answer_in_order_and_a_new_script_replaces_an_open_ended_one() {
    let mock = MockServer::start().await.unwrap();
    let client = dingtalk_builder(&mock).build().unwrap();
    let count = || async {
        client
            .report_getunreadcount(&ReportGetunreadcountRequest::new("u1"))
            .await
            .unwrap()
            .count
    };
    let example = example_unread_count();
    assert!(
        ![Some(11), Some(12), Some(13)].contains(&example),
        "pick other counts than the example's {example:?}"
    );

    mock.on("report_getunreadcount").respond_json(json!({"count": 11}));
    assert_eq!((count().await, count().await), (Some(11), Some(11)));
    // The open-ended script is replaced; the `times(1)` one answers before the next.
    mock.on("report_getunreadcount")
        .times(1)
        .respond_json(json!({"count": 12}));
    mock.on("report_getunreadcount").respond_json(json!({"count": 13}));
    assert_eq!(
        (count().await, count().await, count().await),
        (Some(12), Some(13), Some(13))
    );
    // Replaced again, and once its one answer is used, the default answers.
    mock.on("report_getunreadcount")
        .times(1)
        .respond_json(json!({"count": 11}));
    assert_eq!((count().await, count().await), (Some(11), example));
}

#[tokio::test]
async fn a_scripted_errcode_reaches_the_typed_error_on_an_envelope_host() {
    let mock = MockServer::start().await.unwrap();
    let client = dingtalk_builder(&mock).build().unwrap();
    // A code the spec documents, so its kind comes from the spec too.
    let dingtalk = spec().vendors.iter().find(|v| v.name.as_str() == "dingtalk").unwrap();
    let quota = dingtalk
        .errcodes
        .iter()
        .find(|c| c.kind == workapi_codegen::model::ErrorKind::Quota)
        .expect("dingtalk documents a quota errcode")
        .code;
    mock.on("report_getunreadcount")
        .times(1)
        .fail_with_errcode(quota, "quota used up");
    let err = client
        .report_getunreadcount(&ReportGetunreadcountRequest::new("u1"))
        .await
        .unwrap_err();
    let Error::Vendor(e) = &err else {
        panic!("expected a vendor error, got {err:?}")
    };
    assert_eq!((e.errcode, e.errmsg.as_str()), (quota, "quota used up"));
    assert_eq!(e.kind, ErrorKind::Quota);
    assert_eq!(err.request_id(), Some("mock-request"));

    // `times(1)` used up: the next call gets the default answer, the docs' example.
    let answer = client
        .report_getunreadcount(&ReportGetunreadcountRequest::new("u1"))
        .await
        .unwrap();
    assert_eq!(answer.count, example_unread_count());

    // WeCom's envelope has no request id, so its error has none either.
    let wecom = wecom_client(&mock);
    mock.on("journal_get_stat_list")
        .fail_with_errcode(301025, "no such template");
    let req: wecom::journal::JournalGetStatListRequest =
        serde_json::from_value(json!({"template_id": "t", "starttime": 1604160000, "endtime": 1606363092})).unwrap();
    let err = wecom.journal_get_stat_list(&req).await.unwrap_err();
    assert_eq!(err.errcode(), Some(301025), "{err:?}");
    assert_eq!(err.request_id(), None);
    assert!(err.to_string().contains("no such template"), "{err}");
}

#[tokio::test]
async fn a_scripted_code_reaches_the_typed_error_on_the_v1_host() {
    let mock = MockServer::start().await.unwrap();
    let client = dingtalk_builder(&mock).build().unwrap();
    let dingtalk = spec().vendors.iter().find(|v| v.name.as_str() == "dingtalk").unwrap();
    // A documented code answers with its documented status; another with 400.
    let documented = dingtalk.http_errors.last().expect("dingtalk documents HTTP errors");
    mock.on("hrm_employees_dismissions")
        .times(1)
        .fail_with_errcode(documented.code.as_str(), "documented");
    mock.on("hrm_employees_dismissions")
        .fail_with_errcode("InvalidParameter.Mock", "not documented");
    for (status, code, message) in [
        (documented.status, documented.code.as_str(), "documented"),
        (400, "InvalidParameter.Mock", "not documented"),
    ] {
        let err = client
            .hrm_employees_dismissions(&HrmEmployeesDismissionsRequest::new())
            .await
            .unwrap_err();
        let Error::Api(e) = &err else {
            panic!("expected an API error, got {err:?}")
        };
        assert_eq!((e.status, e.code.as_str(), e.message.as_str()), (status, code, message));
        assert_eq!(e.request_id.as_deref(), Some("mock-request"));
    }
}

#[tokio::test]
async fn a_rejected_token_costs_exactly_one_refetch() {
    let mock = MockServer::start().await.unwrap();
    let client = dingtalk_builder(&mock).build().unwrap();
    client
        .report_getunreadcount(&ReportGetunreadcountRequest::new("u1"))
        .await
        .unwrap();
    assert_eq!(mock.tokens_issued(), 1);

    // The envelope host (errcode 88 / sub_code 40014), then the v1.0 host (HTTP 400).
    mock.reject_next_token();
    client
        .report_getunreadcount(&ReportGetunreadcountRequest::new("u1"))
        .await
        .unwrap();
    assert_eq!(mock.tokens_issued(), 2, "one refetch");
    assert_eq!(
        mock.calls("report_getunreadcount"),
        3,
        "the rejected call was sent once more"
    );

    mock.reject_next_token();
    client
        .hrm_employees_dismissions(&HrmEmployeesDismissionsRequest::new())
        .await
        .unwrap();
    assert_eq!(mock.tokens_issued(), 3, "one refetch");
    assert_eq!(mock.calls("hrm_employees_dismissions"), 2);
    assert!(
        mock.requests_to("hrm_employees_dismissions")
            .iter()
            .all(|r| r.token_sent)
    );
}

#[tokio::test]
async fn a_delay_longer_than_the_clients_timeout_is_a_timeout_error() {
    let mock = MockServer::start().await.unwrap();
    let http = workapi::http_client_builder()
        .unwrap()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let client = dingtalk_builder(&mock).http_client(http).build().unwrap();
    mock.on("report_getunreadcount")
        .delay(Duration::from_secs(30))
        .respond_example();
    let err = client
        .report_getunreadcount(&ReportGetunreadcountRequest::new("u1"))
        .await
        .unwrap_err();
    match &err {
        Error::Transport { source, .. } => assert!(source.is_timeout(), "{err:?}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(
        mock.calls("report_getunreadcount"),
        1,
        "no retry under RetryPolicy::none"
    );
}

#[tokio::test]
async fn requests_to_reads_back_exactly_what_was_sent() {
    let mock = MockServer::start().await.unwrap();
    let client = dingtalk_builder(&mock).build().unwrap();
    mock.on("report_list")
        .respond_json(json!({"data_list": [], "has_more": false}));
    client
        .report_list(&report_list_request().userid("manager01"))
        .await
        .unwrap();
    client
        .hrm_employees_dismissions(&HrmEmployeesDismissionsRequest::new().max_results(50))
        .await
        .unwrap();

    let [post] = mock.requests_to("report_list").try_into().unwrap();
    assert_eq!(
        (post.method.as_str(), post.path.as_str()),
        ("POST", "/topapi/report/list")
    );
    assert_eq!(post.query, BTreeMap::new(), "the token is left out of the query");
    assert!(post.token_sent);
    assert_eq!(
        post.body,
        Some(
            json!({"start_time": 1_700_000_000_000_i64, "end_time": 1_700_500_000_000_i64,
                    "userid": "manager01", "cursor": 0, "size": 2})
        )
    );
    assert_eq!(
        post.headers.get("content-type").map(String::as_str),
        Some("application/json")
    );

    let [get] = mock.requests_to("hrm_employees_dismissions").try_into().unwrap();
    assert_eq!((get.method.as_str(), get.body.as_ref()), ("GET", None));
    assert_eq!(get.query, BTreeMap::from([("maxResults".to_owned(), "50".to_owned())]));
    assert!(get.token_sent);
    let dingtalk = spec().vendors.iter().find(|v| v.name.as_str() == "dingtalk").unwrap();
    let token_header = dingtalk
        .token
        .header
        .clone()
        .expect("the v1.0 host takes the token in a header");
    assert!(!get.headers.contains_key(&token_header), "{:?}", get.headers);
    assert!(!format!("{get:?}").contains("mock-token"), "{get:?}");

    // The token endpoint: the app key as sent, the secret masked.
    let [fetch] = mock.requests_to("dingtalk/gettoken").try_into().unwrap();
    let (id, _) = MockServer::credentials("dingtalk");
    assert_eq!(
        fetch.query,
        BTreeMap::from([("appkey".to_owned(), id), ("appsecret".to_owned(), MASKED.to_owned())])
    );
    assert!(!fetch.token_sent);
}

#[tokio::test]
#[should_panic(expected = "no endpoint of the spec has the id `report_lsit`")]
async fn a_mistyped_id_stops_the_test_where_it_is_written() {
    let mock = MockServer::start().await.unwrap();
    mock.on("report_lsit").respond_json(Value::Null);
}

#[tokio::test]
#[should_panic(
    expected = "several vendors have an endpoint `gettoken`; name one: `dingtalk/gettoken`, `wecom/gettoken`"
)]
async fn an_id_of_several_vendors_must_name_the_vendor() {
    let mock = MockServer::start().await.unwrap();
    let _ = mock.requests_to("gettoken");
}

#[tokio::test]
#[should_panic(expected = "reports errors as an HTTP status and a code string")]
async fn an_errcode_for_the_v1_host_is_refused_when_scripted() {
    let mock = MockServer::start().await.unwrap();
    mock.on("hrm_employees_dismissions").fail_with_errcode(88, "x");
}
