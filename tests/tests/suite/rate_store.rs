//! Rate stores: clients that share one count the vendor's per-app limit together, across
//! processes with Redis. Each client stands in for a worker process with its own connection.

use crate::redis_server::start_redis;
use crate::support::{fast_retries, server_with_token};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wiremock::matchers::path;
use wiremock::{Mock, Request, Respond, ResponseTemplate};
use workapi::dingtalk::report::ReportGetunreadcountRequest;

const READ: &str = "/topapi/report/getunreadcount";
/// DingTalk's documented limit, which the spec gives every oapi endpoint: 20 calls a second per
/// app and API.
const LIMIT: usize = 20;

/// Answers ok and notes when each request arrived.
#[derive(Clone, Default)]
struct Arrivals(Arc<Mutex<Vec<Instant>>>);

impl Respond for Arrivals {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.0.lock().unwrap().push(Instant::now());
        ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "count": 1}))
    }
}

impl Arrivals {
    /// The shortest time in which `LIMIT + 1` requests arrived.
    fn tightest_window(&self) -> Option<Duration> {
        let mut times = self.0.lock().unwrap().clone();
        times.sort();
        times.windows(LIMIT + 1).map(|w| w[LIMIT] - w[0]).min()
    }
}

fn worker(uri: &str, store: Arc<dyn workapi::RateStore>) -> workapi::dingtalk::Client {
    workapi::dingtalk::Client::builder()
        .credentials("app-key-1", "app-secret-1")
        .base_url(workapi::dingtalk::Host::Oapi, uri)
        .retry_policy(fast_retries())
        .rate_store(store)
        .build()
        .unwrap()
}

/// `workers` clients send `each` calls at once; returns how long all took.
async fn burst(workers: &[workapi::dingtalk::Client], each: usize) -> Duration {
    let start = Instant::now();
    let req = ReportGetunreadcountRequest::new("u");
    let calls = workers
        .iter()
        .flat_map(|w| (0..each).map(move |_| w))
        .map(|w| w.report_getunreadcount(&req));
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    start.elapsed()
}

#[tokio::test]
async fn workers_sharing_redis_hold_the_per_app_limit_between_them() {
    let Some(redis) = start_redis() else { return };
    let server = server_with_token("/gettoken").await;
    let arrivals = Arrivals::default();
    Mock::given(path(READ))
        .respond_with(arrivals.clone())
        .mount(&server)
        .await;
    let mut workers = Vec::new();
    for _ in 0..3 {
        let store = workapi::RedisRateStore::connect(&redis.url).await.unwrap();
        workers.push(worker(&server.uri(), Arc::new(store)));
    }
    // 30 calls: each worker alone stays under 20 a second, together they do not.
    let took = burst(&workers, 10).await;
    assert_eq!(arrivals.0.lock().unwrap().len(), 30);
    assert!(
        took >= Duration::from_millis(950),
        "30 calls between three workers took only {took:?}"
    );
    // At the server: no 21 requests inside one second (less what a request spends between the
    // limiter and the server, which a loaded machine can stretch).
    let tightest = arrivals.tightest_window().unwrap();
    assert!(
        tightest >= Duration::from_millis(500),
        "21 requests arrived within {tightest:?}"
    );
}

#[tokio::test]
async fn clients_sharing_a_memory_store_share_its_limit() {
    let server = server_with_token("/gettoken").await;
    let arrivals = Arrivals::default();
    Mock::given(path(READ))
        .respond_with(arrivals.clone())
        .mount(&server)
        .await;
    let store: Arc<dyn workapi::RateStore> = Arc::new(workapi::MemoryRateStore::default());
    let workers = [worker(&server.uri(), store.clone()), worker(&server.uri(), store)];
    let took = burst(&workers, 11).await;
    assert!(
        took >= Duration::from_millis(950),
        "22 calls between two clients took only {took:?}"
    );
    assert!(arrivals.tightest_window().unwrap() >= Duration::from_millis(500));
}

#[tokio::test]
async fn a_rate_store_that_cannot_be_reached_is_a_typed_error() {
    let Some(redis) = start_redis() else { return };
    let server = server_with_token("/gettoken").await;
    let store = workapi::RedisRateStore::connect(&redis.url).await.unwrap();
    let client = worker(&server.uri(), Arc::new(store));
    drop(redis);
    let err = client
        .report_getunreadcount(&ReportGetunreadcountRequest::new("u"))
        .await
        .unwrap_err();
    assert!(matches!(err, workapi::Error::RateStore { .. }), "{err:?}");
    assert_eq!(err.kind(), workapi::ErrorKind::Busy);
    assert!(!format!("{err} {err:?}").contains("app-secret-1"));
}
