//! Typed calls to WeCom, as an application writes them: a list that pages, a create, and an error
//! handled by its errcode.
//!
//! `cargo run -p workapi --example wecom`
//!
//! It runs against `workapi-mock` on 127.0.0.1, which answers with the docs' examples, scripted
//! here where a real tenant's answer would differ; no credentials needed. Against the real API,
//! build the client with the contact app's secret and no `base_url`:
//! `wecom::Client::builder().credentials(corp_id, contact_secret).build()?`.

use workapi::futures::StreamExt;
use workapi::serde_json::json;
use workapi::wecom::{self, contact};
use workapi_mock::MockServer;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockServer::start().await?;
    let (corp_id, secret) = MockServer::credentials("wecom");
    let client = wecom::Client::builder()
        .credentials(corp_id, secret)
        .base_url(wecom::Host::Qyapi, mock.uri())
        .build()?;

    // A list that pages: every member's userid. `user_list_id_items` follows `next_cursor` from
    // page to page and yields the members; it ends on the page without a cursor.
    mock.on("user_list_id").respond_pages([
        json!({"next_cursor": "c2", "dept_user": [{"userid": "zhangsan", "department": 1}]}),
        json!({"dept_user": [{"userid": "lisi", "department": 2}]}),
    ]);
    let mut members = client.user_list_id_items(contact::UserListIdRequest::new().limit(100));
    while let Some(member) = members.next().await {
        let member = member?;
        println!(
            "member {} in department {}",
            member.userid.unwrap_or_default(),
            member.department.unwrap_or_default()
        );
    }

    // A create: required fields in `new`, the optional ones by setter.
    let request = contact::DepartmentCreateRequest::new("广州研发中心", 1).order(10);
    let created = client.department_create(&request).await?;
    println!("created department {:?}", created.id);

    // An error, handled by what it is: the vendor's errcode, or its kind.
    mock.on("user_get")
        .times(1)
        .fail_with_errcode(60111, "userid not found");
    match client.user_get(&contact::UserGetRequest::new("no-such-user")).await {
        Ok(user) => println!("found {:?}", user.name),
        Err(e) if e.errcode() == Some(60111) => println!("no such member: {e}"),
        // Busy or throttled after the client's own retries: try again later.
        Err(e) if e.is_retryable() => println!("try again later: {e}"),
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
