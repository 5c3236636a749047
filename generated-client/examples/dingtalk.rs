//! Typed calls to DingTalk, as an application writes them: a list that pages, a create, and an
//! error handled by its kind.
//!
//! `cargo run -p workapi --example dingtalk`
//!
//! It runs against `workapi-mock` on 127.0.0.1, which answers with the docs' examples, scripted
//! here where a real tenant's answer would differ; no credentials needed. Against the real API,
//! build the client with the app's key and secret and no `base_url`:
//! `dingtalk::Client::builder().credentials(app_key, app_secret).build()?`.

use workapi::ErrorKind;
use workapi::dingtalk::{self, blackboard, report};
use workapi::futures::StreamExt;
use workapi::serde_json::json;
use workapi_mock::MockServer;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockServer::start().await?;
    let (app_key, app_secret) = MockServer::credentials("dingtalk");
    let client = dingtalk::Client::builder()
        .credentials(app_key, app_secret)
        .base_url(dingtalk::Host::Oapi, mock.uri())
        .base_url(dingtalk::Host::Api, mock.uri())
        .build()?;

    // A list that pages: every announcement id. `blackboard_listids_items` asks for page 1, 2, ...
    // and ends after the first page shorter than the page size.
    mock.on("blackboard_listids")
        .respond_pages([json!(["a1", "a2"]), json!(["a3"])]);
    let mut ids = client.blackboard_listids_items(blackboard::BlackboardListidsRequest::new("manager01", 2, 1));
    while let Some(id) = ids.next().await {
        println!("announcement {}", id?);
    }

    // A create: required fields in `new` (here a nested receiver), the optional ones by setter.
    let receiver = blackboard::BlackboardReceiver::new().userid_list(["zhangsan", "lisi"]);
    let request = blackboard::BlackboardCreateRequest::new("manager01", receiver, "周五团建", "下午三点出发");
    let created = client.blackboard_create(&request).await?;
    println!("announcement created: {created:?}");

    // An error, handled by its kind: 90020 is a used-up quota, which retrying soon does not help.
    mock.on("report_getunreadcount")
        .times(1)
        .fail_with_errcode(90020, "quota used up");
    match client
        .report_getunreadcount(&report::ReportGetunreadcountRequest::new("manager01"))
        .await
    {
        Ok(unread) => println!("unread reports: {:?}", unread.count),
        Err(e) if e.kind() == ErrorKind::Quota => println!("quota used up, wait for the next period: {e}"),
        Err(e) if e.is_retryable() => println!("try again later: {e}"),
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
