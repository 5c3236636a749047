//! Every endpoint, called through the client against wiremock on 127.0.0.1: the method, path,
//! query, token placement and exact JSON body the client sends, and the answer it decodes.

use crate::support::{SECRET, TOKEN, dingtalk_at, spec, wecom_at, whole_floats_as_integers};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workapi_codegen::model::{FieldPlace, Method, TokenPlacement};

#[tokio::test]
async fn every_endpoint_sends_what_the_spec_says_and_decodes_the_answer() {
    let mut checked = 0;
    for vendor in &spec().vendors {
        let token_ep = vendor.token_endpoint();
        for (module, ep) in vendor.endpoints() {
            let server = MockServer::start().await;
            let mut token_body = serde_json::Map::new();
            token_body.insert("errcode".into(), json!(0));
            token_body.insert(vendor.token.token_field.clone(), json!(TOKEN));
            token_body.insert(vendor.token.expires_field.clone(), json!(7200));
            Mock::given(method("GET"))
                .and(path(token_ep.path.as_str()))
                .respond_with(ResponseTemplate::new(200).set_body_json(Value::Object(token_body)))
                .mount(&server)
                .await;
            let answer = ep.example.as_ref().and_then(|x| x.response.clone()).unwrap();
            let verb = if ep.method == Method::Get { "GET" } else { "POST" };
            if ep.id != token_ep.id {
                Mock::given(method(verb))
                    .and(path(ep.path.as_str()))
                    .respond_with(ResponseTemplate::new(200).set_body_json(answer))
                    .expect(1)
                    .mount(&server)
                    .await;
            }
            let mut request = ep.example_request().unwrap_or_else(|| json!({}));
            if ep.id == token_ep.id {
                let creds = request.as_object_mut().unwrap();
                creds.insert(vendor.token.id_param.clone(), json!("id-1"));
                creds.insert(vendor.token.secret_param.clone(), json!(SECRET));
            }
            let result = match vendor.name.as_str() {
                "dingtalk" => dingtalk_at(&server.uri()).call_json(&ep.id, request.clone()).await,
                _ => wecom_at(&server.uri()).call_json(&ep.id, request.clone()).await,
            };
            let label = format!("{}.{}", vendor.name, ep.id);
            let got = result.unwrap_or_else(|e| panic!("{label}: {e}"));

            // The decoded answer is the example's payload (token endpoint: we answered our own).
            if ep.id != token_ep.id {
                assert_eq!(
                    whole_floats_as_integers(got),
                    whole_floats_as_integers(ep.example_payload(&vendor.envelope).unwrap()),
                    "{label}: decoded answer"
                );
            } else {
                assert_eq!(got[&vendor.token.token_field], TOKEN, "{label}");
            }

            let received = server.received_requests().await.unwrap();
            let call = received
                .iter()
                .rfind(|r| r.url.path() == ep.path)
                .expect("the endpoint was called");
            assert_eq!(call.method.as_str(), verb, "{label}: method");
            let query: BTreeMap<String, String> = call
                .url
                .query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();

            // Token placement: exactly where the spec says, and nowhere else.
            let in_query = query.get(&vendor.token.query_param).cloned();
            let in_header = vendor
                .token
                .header
                .as_ref()
                .and_then(|h| call.headers.get(h.as_str()))
                .map(|v| v.to_str().unwrap().to_owned());
            match ep.token {
                TokenPlacement::Query => {
                    assert_eq!((in_query.as_deref(), in_header), (Some(TOKEN), None), "{label}: token")
                }
                TokenPlacement::Header => {
                    assert_eq!((in_query, in_header.as_deref()), (None, Some(TOKEN)), "{label}: token")
                }
                TokenPlacement::None => assert_eq!((in_query, in_header), (None, None), "{label}: token"),
            }

            // Query: the example's query fields, as strings, plus the token.
            let req_struct = module.request(ep);
            let mut expected_query: BTreeMap<String, String> = BTreeMap::new();
            for f in req_struct.fields.iter().filter(|f| f.place == FieldPlace::Query) {
                if let Some(v) = request.get(f.wire.as_str()) {
                    expected_query.insert(
                        f.wire.to_string(),
                        v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()),
                    );
                }
            }
            if ep.token == TokenPlacement::Query {
                expected_query.insert(vendor.token.query_param.clone(), TOKEN.into());
            }
            assert_eq!(query, expected_query, "{label}: query");

            // Body: byte-for-byte the docs' example JSON (wrapper included), and none on GET.
            if ep.method == Method::Post {
                let body: Value =
                    serde_json::from_slice(&call.body).unwrap_or_else(|e| panic!("{label}: body is not JSON: {e}"));
                let expected = ep
                    .example
                    .as_ref()
                    .and_then(|x| x.request.clone())
                    .unwrap_or_else(|| json!({}));
                assert_eq!(body, expected, "{label}: body");
                assert_eq!(call.headers.get("content-type").unwrap(), "application/json", "{label}");
            } else {
                assert!(call.body.is_empty(), "{label}: a GET has no body");
            }
            checked += 1;
        }
    }
    // Counted from the spec, so a new endpoint is checked without touching this test.
    let endpoints: usize = spec().vendors.iter().map(|v| v.endpoints().count()).sum();
    assert!(endpoints > 0, "the spec has no endpoints");
    assert_eq!(checked, endpoints, "every endpoint of the spec is checked");
}

#[tokio::test]
async fn typed_requests_leave_unset_fields_off_and_join_comma_lists() {
    use workapi::dingtalk::blackboard::{BlackboardCreateRequest, BlackboardReceiver};
    use workapi::dingtalk::hrm::{EmployeeStatus, HrmEmployeeQueryonjobRequest};
    let server = MockServer::start().await;
    Mock::given(path("/gettoken"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "access_token": TOKEN, "expires_in": 7200})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/topapi/smartwork/hrm/employee/queryonjob"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "result": {"data_list": ["u1"]}})))
        .mount(&server)
        .await;
    Mock::given(path("/topapi/blackboard/create"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "result": true, "success": true})))
        .mount(&server)
        .await;
    let client = dingtalk_at(&server.uri());

    let page = client
        .hrm_employee_queryonjob(&HrmEmployeeQueryonjobRequest::new(
            [EmployeeStatus::Regular, EmployeeStatus::NoStatus],
            0,
            50,
        ))
        .await
        .unwrap();
    assert_eq!(page.data_list, Some(vec!["u1".to_owned()]));
    assert_eq!(page.next_cursor, None, "absent stays absent");

    let created = client
        .blackboard_create(
            &BlackboardCreateRequest::new(
                "manager01",
                BlackboardReceiver::new().userid_list(["u1".to_owned()]),
                "入职须知",
                "欢迎",
            )
            .ding(false),
        )
        .await
        .unwrap();
    assert!(created);

    let received = server.received_requests().await.unwrap();
    let bodies: Vec<Value> = received
        .iter()
        .filter(|r| r.url.path().starts_with("/topapi"))
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(bodies[0], json!({"status_list": "3,-1", "offset": 0, "size": 50}));
    assert_eq!(
        bodies[1],
        json!({"create_request": {"operation_userid": "manager01", "title": "入职须知", "content": "欢迎", "ding": false,
                                   "blackboard_receiver": {"userid_list": ["u1"]}}}),
        "wrapped, and no null for any unset field"
    );
}
