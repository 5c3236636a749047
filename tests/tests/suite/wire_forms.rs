//! Values whose wire form differs from their Rust type, end to end against a loopback server: an
//! integer enum that travels as a JSON string (`wire: string`, WeCom's `gender: "1"`).

use crate::support::{server_with_token, wecom_at};
use serde_json::{Value, json};
use wiremock::matchers::path;
use wiremock::{Mock, ResponseTemplate};
use workapi::wecom::contact::{Gender, UserCreateRequest, UserGetRequest};

#[tokio::test]
async fn an_integer_enum_with_wire_string_is_sent_as_a_string_and_read_from_either_form() {
    let server = server_with_token("/cgi-bin/gettoken").await;
    Mock::given(path("/cgi-bin/user/create"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "errmsg": "created"})))
        .mount(&server)
        .await;
    // Three members: the documented string form, a bare number, and a code the spec does not list.
    Mock::given(path("/cgi-bin/user/get"))
        .respond_with(|r: &wiremock::Request| {
            let userid = r
                .url
                .query_pairs()
                .find(|(k, _)| k == "userid")
                .map(|(_, v)| v.into_owned());
            let gender = match userid.as_deref() {
                Some("as_string") => json!("2"),
                Some("as_number") => json!(1),
                _ => json!("7"),
            };
            ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "userid": userid, "gender": gender}))
        })
        .mount(&server)
        .await;
    let client = wecom_at(&server.uri());

    client
        .user_create(&UserCreateRequest::new("zhangsan", "张三").gender(Gender::Male))
        .await
        .unwrap();
    let sent = server.received_requests().await.unwrap();
    let create = sent.iter().find(|r| r.url.path() == "/cgi-bin/user/create").unwrap();
    let body: Value = serde_json::from_slice(&create.body).unwrap();
    assert_eq!(
        body["gender"],
        json!("1"),
        "sent as the string the page shows, not the number 1"
    );

    let gender = |userid: &'static str| {
        let client = client.clone();
        async move { client.user_get(&UserGetRequest::new(userid)).await.unwrap().gender }
    };
    assert_eq!(gender("as_string").await, Some(Gender::Female));
    assert_eq!(gender("as_number").await, Some(Gender::Male));
    let unknown = gender("unlisted").await.unwrap();
    assert_eq!(unknown, Gender::Unknown(7));
    // An unknown code goes back as it came: a string.
    assert_eq!(serde_json::to_value(unknown).unwrap(), json!("7"));
}
