//! Token stores: clients that share a store and a credential share one token, across processes
//! with Redis. The Redis tests run against a real `redis-server` on a free loopback port; outside
//! CI they skip with a notice when it is not installed, under CI they fail. Clients sharing a store
//! also fetch one token at a time between them (the store's lease).

use crate::redis_server::start_redis;
use crate::support::{calls, dingtalk_at, fast_retries, token_server};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use wiremock::matchers::{path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workapi::dingtalk::report::ReportGetunreadcountRequest;

const EP: &str = "/topapi/report/getunreadcount";

fn client(uri: &str, store: Arc<dyn workapi::TokenStore>) -> workapi::dingtalk::Client {
    workapi::dingtalk::Client::builder()
        .credentials("app-key-1", "app-secret-1")
        .base_url(workapi::dingtalk::Host::Oapi, uri)
        .retry_policy(fast_retries())
        .token_store(store)
        .build()
        .unwrap()
}

async fn answering(server: &MockServer) {
    Mock::given(path(EP))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "count": 1})))
        .mount(server)
        .await;
}

#[tokio::test]
async fn clients_sharing_a_memory_store_share_one_token() {
    let server = token_server("t", "/gettoken").await;
    answering(&server).await;
    let store: Arc<dyn workapi::TokenStore> = Arc::new(workapi::MemoryTokenStore::default());
    let (a, b) = (client(&server.uri(), store.clone()), client(&server.uri(), store));
    let req = ReportGetunreadcountRequest::new("u");
    a.report_getunreadcount(&req).await.unwrap();
    b.report_getunreadcount(&req).await.unwrap();
    assert_eq!(calls(&server, "/gettoken").await, 1);
    // A client with its own cache fetches its own.
    dingtalk_at(&server.uri()).report_getunreadcount(&req).await.unwrap();
    assert_eq!(calls(&server, "/gettoken").await, 2);
}

#[tokio::test]
async fn clients_sharing_redis_share_one_token_and_its_replacement() {
    let Some(redis) = start_redis() else { return };
    let server = token_server("t", "/gettoken").await;
    // t1 is rejected once it has been replaced; t2 works.
    Mock::given(path(EP))
        .and(query_param("access_token", "t1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"errcode": 88, "sub_code": "42001", "errmsg": "expired"})),
        )
        .mount(&server)
        .await;
    Mock::given(path(EP))
        .and(query_param("access_token", "t2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "count": 2})))
        .mount(&server)
        .await;
    // Each client stands for a process: its own local copy, one Redis behind both.
    let store_a: Arc<dyn workapi::TokenStore> = Arc::new(workapi::RedisTokenStore::connect(&redis.url).await.unwrap());
    let store_b: Arc<dyn workapi::TokenStore> = Arc::new(workapi::RedisTokenStore::connect(&redis.url).await.unwrap());
    let (a, b) = (client(&server.uri(), store_a.clone()), client(&server.uri(), store_b));
    let req = ReportGetunreadcountRequest::new("u");

    // A fetches t1 (rejected), discards it in Redis, fetches t2 and stores it.
    assert_eq!(a.report_getunreadcount(&req).await.unwrap().count, Some(2));
    // B finds t2 in Redis: no token request of its own.
    assert_eq!(b.report_getunreadcount(&req).await.unwrap().count, Some(2));
    assert_eq!(calls(&server, "/gettoken").await, 2, "token requests for two clients");

    // The key names the credential, never the secret.
    let stored = store_a.load("workapi:token:dingtalk:app-key-1:missing").await.unwrap();
    assert!(stored.is_none());
    let mut conn =
        std::net::TcpStream::connect(redis.url.trim_start_matches("redis://").trim_end_matches('/')).unwrap();
    use std::io::{Read, Write};
    conn.write_all(b"KEYS *\r\n").unwrap();
    let mut buf = [0u8; 512];
    let n = conn.read(&mut buf).unwrap();
    let keys = String::from_utf8_lossy(&buf[..n]);
    assert!(keys.contains("workapi:token:dingtalk:app-key-1:"), "{keys}");
    assert!(!keys.contains("app-secret-1"), "{keys}");
}

/// `n` clients (each its own store connection, standing for a process) call at once on a cold
/// cache, against a token endpoint slow enough that all of them arrive while the first fetches.
async fn cold_start(stores: Vec<Arc<dyn workapi::TokenStore>>) -> usize {
    let server = MockServer::start().await;
    Mock::given(path("/gettoken"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"errcode": 0, "access_token": "shared", "expires_in": 7200}))
                .set_delay(Duration::from_millis(300)),
        )
        .mount(&server)
        .await;
    answering(&server).await;
    let calls_made: Vec<_> = stores
        .into_iter()
        .map(|store| {
            let c = client(&server.uri(), store);
            tokio::spawn(async move {
                let req = ReportGetunreadcountRequest::new("u");
                tokio::time::timeout(Duration::from_secs(20), c.report_getunreadcount(&req)).await
            })
        })
        .collect();
    for r in futures::future::join_all(calls_made).await {
        assert_eq!(r.unwrap().expect("in time").unwrap().count, Some(1));
    }
    calls(&server, "/gettoken").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_sharing_a_memory_store_fetch_one_token_between_them() {
    let store: Arc<dyn workapi::TokenStore> = Arc::new(workapi::MemoryTokenStore::default());
    assert_eq!(cold_start(vec![store; 8]).await, 1, "token requests for 8 clients");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processes_sharing_redis_fetch_one_token_between_them() {
    let Some(redis) = start_redis() else { return };
    let mut stores: Vec<Arc<dyn workapi::TokenStore>> = Vec::new();
    for _ in 0..6 {
        stores.push(Arc::new(workapi::RedisTokenStore::connect(&redis.url).await.unwrap()));
    }
    assert_eq!(cold_start(stores).await, 1, "token requests for 6 processes");
}
