//! Paging streams follow each documented style and end signal, and a repeated cursor ends the
//! stream with an error instead of a loop.

use crate::support::{dingtalk_at, server_with_token, wecom_at};
use futures::StreamExt;
use serde_json::{Value, json};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server_with(
    token_path: &str,
    endpoint: &str,
    answer: impl Fn(&Value, &Request) -> Value + Send + Sync + 'static,
) -> MockServer {
    let server = server_with_token(token_path).await;
    Mock::given(path(endpoint))
        .respond_with(move |r: &Request| {
            let body: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
            ResponseTemplate::new(200).set_body_json(answer(&body, r))
        })
        .mount(&server)
        .await;
    server
}

async fn sent(server: &MockServer, endpoint: &str) -> Vec<Value> {
    let reqs = server.received_requests().await.unwrap();
    reqs.iter()
        .filter(|r| r.url.path() == endpoint)
        .map(|r| serde_json::from_slice(&r.body).unwrap_or(Value::Null))
        .collect()
}

#[tokio::test]
async fn cursor_paging_follows_next_cursor_until_has_more_is_false() {
    const EP: &str = "/topapi/report/list";
    let server = server_with("/gettoken", EP, |body, _| {
        let cursor = body["cursor"].as_i64().unwrap();
        json!({"errcode": 0, "result": {
            "data_list": [{"report_id": format!("r{cursor}")}, {"report_id": format!("r{}", cursor + 1)}],
            "has_more": cursor < 20, "next_cursor": cursor + 10, "size": 2}})
    })
    .await;
    let client = dingtalk_at(&server.uri());
    let first = workapi::dingtalk::report::ReportListRequest::new(workapi::UnixMillis(0), workapi::UnixMillis(1), 0, 2);
    let ids: Vec<String> = client
        .report_list_items(first)
        .map(|r| r.unwrap().report_id.unwrap())
        .collect::<Vec<_>>()
        .await;
    assert_eq!(ids, ["r0", "r1", "r10", "r11", "r20", "r21"]);
    let cursors: Vec<i64> = sent(&server, EP)
        .await
        .iter()
        .map(|b| b["cursor"].as_i64().unwrap())
        .collect();
    assert_eq!(
        cursors,
        [0, 10, 20],
        "stopped on has_more false although next_cursor was given"
    );
}

#[tokio::test]
async fn offset_paging_ends_when_next_offset_equals_total() {
    const EP: &str = "/cgi-bin/externalcontact/groupchat/statistic";
    let server = server_with("/cgi-bin/gettoken", EP, |body, _| {
        let offset = body["offset"].as_i64().unwrap_or(0);
        let next = (offset + 2).min(5);
        let items: Vec<Value> = (offset..next).map(|i| json!({"owner": format!("o{i}")})).collect();
        json!({"errcode": 0, "total": 5, "next_offset": next, "items": items})
    })
    .await;
    let client = wecom_at(&server.uri());
    let first: workapi::wecom::externalcontact::ExternalcontactGroupchatStatisticRequest = serde_json::from_value(
        json!({"day_begin_time": 1600272000, "owner_filter": {"userid_list": ["a"]}, "limit": 2}),
    )
    .unwrap();
    let owners: Vec<String> = client
        .externalcontact_groupchat_statistic_items(first)
        .map(|r| r.unwrap().owner.unwrap())
        .collect()
        .await;
    assert_eq!(owners, ["o0", "o1", "o2", "o3", "o4"]);
    let offsets: Vec<Value> = sent(&server, EP).await.iter().map(|b| b["offset"].clone()).collect();
    assert_eq!(
        offsets,
        [Value::Null, json!(2), json!(4)],
        "the first page leaves offset unset"
    );
}

#[tokio::test]
async fn paging_ends_when_the_next_cursor_is_absent() {
    const EP: &str = "/topapi/smartwork/hrm/employee/querypreentry";
    let server = server_with("/gettoken", EP, |body, _| {
        let offset = body["offset"].as_i64().unwrap();
        if offset == 0 {
            json!({"errcode": 0, "result": {"data_list": ["a", "b"], "next_cursor": 2}})
        } else {
            json!({"errcode": 0, "result": {"data_list": ["c"]}})
        }
    })
    .await;
    let client = dingtalk_at(&server.uri());
    let req = workapi::dingtalk::hrm::HrmEmployeeQuerypreentryRequest::new(0, 2);
    let pages: Vec<_> = client.hrm_employee_querypreentry_pages(req).collect().await;
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[1].as_ref().unwrap().data_list, Some(vec!["c".to_owned()]));
}

#[tokio::test]
async fn next_token_paging_on_the_v1_api() {
    const EP: &str = "/v1.0/hrm/employees/dismissions";
    let server = server_with("/gettoken", EP, |_, r| {
        let token: Option<i64> = r
            .url
            .query_pairs()
            .find(|(k, _)| k == "nextToken")
            .map(|(_, v)| v.parse().unwrap());
        match token {
            None => json!({"nextToken": 7, "hasMore": true, "userIdList": ["u1"]}),
            Some(7) => json!({"nextToken": 9, "hasMore": false, "userIdList": ["u2"]}),
            Some(other) => panic!("unexpected nextToken {other}"),
        }
    })
    .await;
    let client = dingtalk_at(&server.uri());
    let users: Vec<String> = client
        .hrm_employees_dismissions_items(workapi::dingtalk::hrm::HrmEmployeesDismissionsRequest::new().max_results(50))
        .map(|r| r.unwrap())
        .collect()
        .await;
    assert_eq!(users, ["u1", "u2"]);
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_with_an_error() {
    const EP: &str = "/topapi/checkin/record/get";
    let server = server_with(
        "/gettoken",
        EP,
        |_, _| json!({"errcode": 0, "result": {"page_list": [{"userid": "u"}], "next_cursor": 5}}),
    )
    .await;
    let client = dingtalk_at(&server.uri());
    let req = workapi::dingtalk::checkin::CheckinRecordGetRequest::new(
        ["u".to_owned()],
        workapi::UnixMillis(0),
        workapi::UnixMillis(1),
        0,
        10,
    );
    let pages: Vec<_> = client.checkin_record_get_pages(req).collect().await;
    assert_eq!(pages.len(), 3, "pages at cursor 0 and 5, then the error");
    assert!(pages[..2].iter().all(|p| p.is_ok()));
    let err = pages[2].as_ref().unwrap_err();
    assert!(matches!(err, workapi::Error::Paging { .. }), "{err:?}");
    assert!(err.to_string().contains("position 5"), "{err}");
    assert_eq!(sent(&server, EP).await.len(), 2, "no request for the repeated cursor");
}

#[tokio::test]
async fn page_number_paging_counts_up_and_ends_on_a_short_page() {
    const EP: &str = "/topapi/blackboard/listids";
    // 5 ids in pages of 2: the third page holds one id, fewer than page_size, and is the last.
    let server = server_with("/gettoken", EP, |body, _| {
        let req = &body["query_request"];
        let (page, size) = (req["page"].as_i64().unwrap(), req["page_size"].as_i64().unwrap());
        let ids: Vec<String> = ((page - 1) * size..(page * size).min(5))
            .map(|i| format!("b{i}"))
            .collect();
        json!({"errcode": 0, "result": ids})
    })
    .await;
    let client = dingtalk_at(&server.uri());
    let first = workapi::dingtalk::blackboard::BlackboardListidsRequest::new("manager01", 2, 1);
    let ids: Vec<String> = client
        .blackboard_listids_items(first)
        .map(|r| r.unwrap())
        .collect()
        .await;
    assert_eq!(ids, ["b0", "b1", "b2", "b3", "b4"]);
    let pages: Vec<Value> = sent(&server, EP)
        .await
        .iter()
        .map(|b| b["query_request"]["page"].clone())
        .collect();
    assert_eq!(pages, [json!(1), json!(2), json!(3)], "no request after the short page");
}

#[tokio::test]
async fn computed_paging_ends_on_an_empty_page() {
    const EP: &str = "/topapi/blackboard/listids";
    // 4 ids in pages of 2: both pages are full, so only the empty third page ends the stream.
    let server = server_with("/gettoken", EP, |body, _| {
        let page = body["query_request"]["page"].as_i64().unwrap();
        let ids: Vec<String> = ((page - 1) * 2..(page * 2).min(4)).map(|i| format!("b{i}")).collect();
        json!({"errcode": 0, "result": ids})
    })
    .await;
    let client = dingtalk_at(&server.uri());
    let first = workapi::dingtalk::blackboard::BlackboardListidsRequest::new("manager01", 2, 1);
    let pages: Vec<Vec<String>> = client
        .blackboard_listids_pages(first)
        .map(|r| r.unwrap())
        .collect()
        .await;
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 0]);
    assert_eq!(sent(&server, EP).await.len(), 3);
}

#[tokio::test]
async fn cursor_paging_ends_on_an_empty_next_cursor() {
    const EP: &str = "/cgi-bin/user/list_id";
    // The page ends the list with `next_cursor: ""`, which must not be sent back as a position.
    let server = server_with("/cgi-bin/gettoken", EP, |body, _| {
        let (next, user) = match body["cursor"].as_str() {
            None => ("c1", "u0"),
            Some("c1") => ("c2", "u1"),
            Some("c2") => ("", "u2"),
            Some(other) => panic!("unexpected cursor {other:?}"),
        };
        json!({"errcode": 0, "next_cursor": next, "dept_user": [{"userid": user, "department": 1}]})
    })
    .await;
    let client = wecom_at(&server.uri());
    let users: Vec<String> = client
        .user_list_id_items(workapi::wecom::contact::UserListIdRequest::new().limit(1))
        .map(|r| r.unwrap().userid.unwrap())
        .collect()
        .await;
    assert_eq!(users, ["u0", "u1", "u2"]);
    let cursors: Vec<Value> = sent(&server, EP).await.iter().map(|b| b["cursor"].clone()).collect();
    assert_eq!(cursors, [Value::Null, json!("c1"), json!("c2")]);
}

#[tokio::test]
async fn an_integer_has_more_flag_ends_the_paging_on_0_and_not_on_an_empty_page() {
    const EP: &str = "/cgi-bin/kf/sync_msg";
    // 微信客服 says a page may be empty while `has_more` is 1 (不能通过判断msg_list是否空来停止拉取):
    // only `has_more: 0` ends it.
    let server = server_with("/cgi-bin/gettoken", EP, |body, _| {
        let (next, has_more, msgs) = match body["cursor"].as_str() {
            None => ("c1", 1, vec![json!({"msgid": "m0"})]),
            Some("c1") => ("c2", 1, vec![]),
            Some("c2") => ("c3", 0, vec![json!({"msgid": "m2"})]),
            Some(other) => panic!("unexpected cursor {other:?}"),
        };
        json!({"errcode": 0, "errmsg": "ok", "next_cursor": next, "has_more": has_more, "msg_list": msgs})
    })
    .await;
    let client = wecom_at(&server.uri());
    let ids: Vec<String> = client
        .kf_sync_msg_items(workapi::wecom::kf::KfSyncMsgRequest::new("wk1"))
        .map(|r| r.unwrap().msgid.unwrap())
        .collect()
        .await;
    assert_eq!(ids, ["m0", "m2"]);
    let cursors: Vec<Value> = sent(&server, EP).await.iter().map(|b| b["cursor"].clone()).collect();
    assert_eq!(
        cursors,
        [Value::Null, json!("c1"), json!("c2")],
        "has_more 0 ends the paging"
    );
}

#[tokio::test]
async fn a_done_flag_ends_the_paging_when_it_is_set() {
    const EP: &str = "/cgi-bin/oa/journal/get_record_list";
    // 汇报's `endflag`: 0代表还有数据, 1代表已无数据; a full page with endflag 1 is the last.
    let server = server_with("/cgi-bin/gettoken", EP, |body, _| {
        let cursor = body["cursor"].as_u64().unwrap();
        let endflag = u64::from(cursor >= 4);
        json!({"errcode": 0, "errmsg": "ok", "next_cursor": cursor + 2, "endflag": endflag,
               "journaluuid_list": [format!("j{cursor}"), format!("j{}", cursor + 1)]})
    })
    .await;
    let client = wecom_at(&server.uri());
    let request = workapi::wecom::journal::JournalGetRecordListRequest::new(
        workapi::UnixSeconds(1_606_230_000),
        workapi::UnixSeconds(1_606_361_304),
        0,
        2,
    );
    let ids: Vec<String> = client
        .journal_get_record_list_items(request)
        .map(|r| r.unwrap())
        .collect()
        .await;
    assert_eq!(ids, ["j0", "j1", "j2", "j3", "j4", "j5"]);
    let cursors: Vec<u64> = sent(&server, EP)
        .await
        .iter()
        .map(|b| b["cursor"].as_u64().unwrap())
        .collect();
    assert_eq!(cursors, [0, 2, 4], "endflag 1 ends the paging; a full page did not");
}

#[tokio::test]
async fn items_one_level_down_are_streamed_in_order() {
    const EP: &str = "/cgi-bin/wedrive/file_list";
    // 微盘's files sit in `file_list.item`, not in a list field of the page itself.
    let server = server_with("/cgi-bin/gettoken", EP, |body, _| {
        let start = body["start"].as_u64().unwrap();
        let item: Vec<Value> = (start..start + 2).map(|n| json!({"fileid": format!("f{n}")})).collect();
        json!({"errcode": 0, "errmsg": "ok", "has_more": start < 2, "next_start": start + 2,
               "file_list": {"item": item}})
    })
    .await;
    let client = wecom_at(&server.uri());
    let request = workapi::wecom::wedrive::WedriveFileListRequest::new(
        "s1",
        "s1",
        workapi::wecom::wedrive::WedriveSortType::NameAsc,
        0,
        2,
    );
    let ids: Vec<String> = client
        .wedrive_file_list_items(request)
        .map(|r| r.unwrap().fileid.unwrap())
        .collect()
        .await;
    assert_eq!(ids, ["f0", "f1", "f2", "f3"]);
    let starts: Vec<u64> = sent(&server, EP)
        .await
        .iter()
        .map(|b| b["start"].as_u64().unwrap())
        .collect();
    assert_eq!(starts, [0, 2]);
}
