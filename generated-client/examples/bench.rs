//! The runtime's costs, side by side with a hand-written `reqwest` + `serde_json` client in one run
//! against one local server: call latency (sequential, interleaved), throughput (32 in flight),
//! allocations per call, decoding of large answers, and a cold-cache stampede. Numbers for
//! `BENCHMARKS.md`:
//!
//! `cargo run --release -p workapi --example bench`
//!
//! The server is a minimal HTTP/1.1 responder on 127.0.0.1 in its own thread, so its work is the
//! same for both clients; allocations are counted on the clients' thread only.

use serde::Deserialize;
use serde_json::{Value, json};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use workapi::dingtalk::{self, report::ReportListRequest, report::ReportPage};
use workapi::futures::{StreamExt, stream};
use workapi::wecom::{self, journal::JournalGetStatListRequest, journal::JournalGetStatListResponse};

// ---- allocation counting, on the thread that runs the clients ----

struct Counting;
thread_local! { static COUNTING: Cell<bool> = const { Cell::new(false) }; }
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` above, i.e. from the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

// ---- the server ----

struct Bodies {
    report_page: Vec<u8>,
    journal: Vec<u8>,
    tokens: AtomicUsize,
}

/// A server answering `report_list` with `report_page` and the journal with `journal`.
fn server(report_page: Vec<u8>, journal: Vec<u8>) -> (Arc<Bodies>, String) {
    let bodies = Arc::new(Bodies {
        report_page,
        journal,
        tokens: AtomicUsize::new(0),
    });
    let base = serve(bodies.clone());
    (bodies, base)
}

/// The clients' runtime: one thread, the one whose allocations are counted.
fn client_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

fn serve(bodies: Arc<Bodies>) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("a loopback port");
            tx.send(format!("http://{}", listener.local_addr().expect("an address")))
                .expect("main waits");
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    continue;
                };
                tokio::spawn(connection(socket, bodies.clone()));
            }
        });
    });
    rx.recv().expect("the server starts")
}

async fn connection(mut socket: tokio::net::TcpStream, bodies: Arc<Bodies>) {
    // One write per answer and no Nagle delay, so latency is the clients', not TCP's.
    let _ = socket.set_nodelay(true);
    let mut buf = Vec::with_capacity(8192);
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let mut chunk = [0u8; 8192];
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        while buf.len() < head_end + len {
            let mut chunk = [0u8; 8192];
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
        buf.drain(..head_end + len);
        let token = br#"{"errcode":0,"errmsg":"ok","access_token":"bench-token","expires_in":7200}"#;
        let body: &[u8] = if path.starts_with("/gettoken") || path.starts_with("/cgi-bin/gettoken") {
            bodies.tokens.fetch_add(1, Ordering::Relaxed);
            token
        } else if path.starts_with("/cgi-bin/oa/journal") {
            &bodies.journal
        } else {
            &bodies.report_page
        };
        let mut answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        answer.extend_from_slice(body);
        if socket.write_all(&answer).await.is_err() {
            return;
        }
    }
}

// ---- the spec's examples, grown to size ----

fn example(vendor: &str, id: &str) -> Value {
    let spec = workapi_codegen::load(&workapi_mock::spec_dir()).expect("the spec loads");
    let v = spec.vendors.iter().find(|v| v.name.as_str() == vendor).expect("vendor");
    let (_, e) = v.endpoints().find(|(_, e)| e.id.as_str() == id).expect("endpoint");
    e.example
        .as_ref()
        .and_then(|x| x.response.clone())
        .expect("an example response")
}

/// Copies the first element of every array under `key` until it holds `n`.
fn grow(v: &mut Value, key: &str, n: usize) {
    match v {
        Value::Object(o) => {
            for (k, child) in o.iter_mut() {
                if k == key
                    && let Value::Array(a) = child
                    && let Some(first) = a.first().cloned()
                {
                    a.resize(n, first);
                }
                grow(child, key, n);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|c| grow(c, key, n)),
        _ => {}
    }
}

// ---- the hand-written client ----

#[derive(Deserialize)]
struct Envelope<T> {
    errcode: i64,
    #[serde(default)]
    errmsg: String,
    result: Option<T>,
}

async fn hand_report(http: &reqwest::Client, base: &str) -> ReportPage {
    let body = json!({"start_time": 1_700_000_000_000_i64, "end_time": 1_700_500_000_000_i64, "cursor": 0, "size": 20});
    let bytes = http
        .post(format!("{base}/topapi/report/list?access_token=bench-token"))
        .json(&body)
        .send()
        .await
        .expect("sent")
        .bytes()
        .await
        .expect("read");
    let env: Envelope<ReportPage> = serde_json::from_slice(&bytes).expect("decoded");
    assert_eq!(env.errcode, 0, "{}", env.errmsg);
    env.result.expect("a result")
}

async fn hand_value(http: &reqwest::Client, url: &str) -> Value {
    let bytes = http
        .post(url)
        .json(&json!({}))
        .send()
        .await
        .expect("sent")
        .bytes()
        .await
        .expect("read");
    serde_json::from_slice(&bytes).expect("decoded")
}

async fn hand_journal(http: &reqwest::Client, base: &str) -> JournalGetStatListResponse {
    let bytes = http
        .post(format!(
            "{base}/cgi-bin/oa/journal/get_stat_list?access_token=bench-token"
        ))
        .json(&json!({"template_id": "t", "starttime": 1_700_000_000, "endtime": 1_700_500_000}))
        .send()
        .await
        .expect("sent")
        .bytes()
        .await
        .expect("read");
    serde_json::from_slice(&bytes).expect("decoded")
}

fn report_request() -> ReportListRequest {
    ReportListRequest::new(
        workapi::UnixMillis(1_700_000_000_000),
        workapi::UnixMillis(1_700_500_000_000),
        0,
        20,
    )
}

fn dingtalk_client(base: &str) -> dingtalk::Client {
    dingtalk::Client::builder()
        .credentials("bench-key", "bench-secret")
        .base_url(dingtalk::Host::Oapi, base)
        .base_url(dingtalk::Host::Api, base)
        .build()
        .expect("a client")
}

/// Runs `f` `n` times one after another; the total time.
async fn sequential<F: Future<Output = ()>>(n: usize, mut f: impl FnMut() -> F) -> Duration {
    let t = Instant::now();
    for _ in 0..n {
        f().await;
    }
    t.elapsed()
}

/// `rounds` of `a` and `b`, alternating which goes first so drift on the machine hits both alike;
/// their total times.
async fn interleaved<A, B, Fa, Fb>(rounds: usize, mut a: A, mut b: B) -> (Duration, Duration)
where
    A: FnMut() -> Fa,
    B: FnMut() -> Fb,
    Fa: Future<Output = Duration>,
    Fb: Future<Output = Duration>,
{
    let (mut ta, mut tb) = (Duration::ZERO, Duration::ZERO);
    for round in 0..rounds {
        if round % 2 == 0 {
            ta += a().await;
            tb += b().await;
        } else {
            tb += b().await;
            ta += a().await;
        }
    }
    (ta, tb)
}

/// Runs `f` `n` times, 32 at a time; the total time.
async fn in_flight<F: Future<Output = ()>>(n: usize, f: impl Fn() -> F) -> Duration {
    let t = Instant::now();
    stream::iter(0..n)
        .map(|_| f())
        .buffer_unordered(32)
        .collect::<Vec<()>>()
        .await;
    t.elapsed()
}

async fn allocations<F: Future<Output = ()>>(n: usize, mut f: impl FnMut() -> F) -> f64 {
    ALLOCS.store(0, Ordering::Relaxed);
    COUNTING.with(|c| c.set(true));
    for _ in 0..n {
        f().await;
    }
    COUNTING.with(|c| c.set(false));
    ALLOCS.load(Ordering::Relaxed) as f64 / n as f64
}

fn main() {
    let mut small = example("dingtalk", "report_list");
    grow(&mut small, "data_list", 2);
    let mut big_reports = example("dingtalk", "report_list");
    grow(&mut big_reports, "data_list", 1000);
    let mut journal = example("wecom", "journal_get_stat_list");
    grow(&mut journal, "user_list", 10_000);
    grow(&mut journal, "stat_list", 5);
    let big_reports = serde_json::to_vec(&big_reports).expect("json");
    let journal = serde_json::to_vec(&journal).expect("json");
    let small = serde_json::to_vec(&small).expect("json");
    let (small_len, big_len, journal_len) = (small.len(), big_reports.len(), journal.len());
    let (_bodies, base) = server(small.clone(), Vec::new());

    let rt = client_runtime();
    rt.block_on(async {
        let client = dingtalk_client(&base);
        let http = workapi::http_client_builder().expect("TLS").build().expect("reqwest");
        // Warm both: token, connections.
        client.report_list(&report_request()).await.expect("warm");
        hand_report(&http, &base).await;

        println!("## Calls: `report_list` ({small_len} B answer), warm token, one client thread\n");
        println!("| measure | workapi | hand-written | ratio |\n|---|---:|---:|---:|");
        let (rounds, n) = (60, 50);
        let w = || async {
            client.report_list(&report_request()).await.expect("ok");
        };
        let h = || async {
            hand_report(&http, &base).await;
        };
        let (a, b) = interleaved(rounds, || sequential(n, w), || sequential(n, h)).await;
        let calls = (rounds * n) as f64;
        let (la, lb) = (a.as_secs_f64() * 1e6 / calls, b.as_secs_f64() * 1e6 / calls);
        println!(
            "| latency, sequential ({} calls each) | {la:.1} µs | {lb:.1} µs | {:.3} |",
            rounds * n,
            la / lb
        );
        let (a, b) = interleaved(rounds, || in_flight(n * 2, w), || in_flight(n * 2, h)).await;
        let calls = (rounds * n * 2) as f64;
        let (ta, tb) = (calls / a.as_secs_f64(), calls / b.as_secs_f64());
        println!(
            "| throughput, 32 in flight ({} calls each) | {ta:.0}/s | {tb:.0}/s | {:.3} |",
            rounds * n * 2,
            ta / tb
        );
        let aa = allocations(500, || async {
            client.report_list(&report_request()).await.expect("ok");
        })
        .await;
        let ab = allocations(500, || async {
            hand_report(&http, &base).await;
        })
        .await;
        println!(
            "| allocations per call (mean of 500) | {aa:.1} | {ab:.1} | {:.3} |",
            aa / ab
        );
    });
    drop(rt);

    // Decoding: the same bytes through workapi, through serde_json into the same generated types,
    // and into `serde_json::Value`; the transport is the same for all three.
    let (_bodies, base) = server(big_reports, journal);
    let rt = client_runtime();
    rt.block_on(async {
        let ding = dingtalk_client(&base);
        let wecom = wecom::Client::builder()
            .credentials("bench-corp", "bench-secret")
            .base_url(wecom::Host::Qyapi, base.as_str())
            .max_response_bytes(64 << 20)
            .build()
            .expect("a client");
        let http = workapi::http_client_builder().expect("TLS").build().expect("reqwest");
        ding.report_list(&report_request()).await.expect("warm");
        let journal_request = JournalGetStatListRequest::new("t", workapi::UnixSeconds(1_700_000_000), workapi::UnixSeconds(1_700_500_000));
        wecom.journal_get_stat_list(&journal_request).await.expect("warm");
        println!("\n## Decoding large answers (MB/s of body, transport included and equal for all three)\n");
        println!("| answer | size | workapi | serde_json into the generated types | serde_json::Value | workapi / plain |\n|---|---:|---:|---:|---:|---:|");
        let n = 40;
        let report_url = format!("{base}/topapi/report/list?access_token=bench-token");
        let journal_url = format!("{base}/cgi-bin/oa/journal/get_stat_list?access_token=bench-token");
        let row = |name: &str, len: usize, w: Duration, p: Duration, v: Duration| {
            let mbs = |d: Duration| (len * n) as f64 / 1e6 / d.as_secs_f64();
            println!("| {name} | {:.2} MB | {:.0} | {:.0} | {:.0} | {:.3} |", len as f64 / 1e6, mbs(w), mbs(p), mbs(v), mbs(w) / mbs(p));
        };
        let (mut w, mut p, mut v) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
        for _ in 0..n {
            w += sequential(1, || async { ding.report_list(&report_request()).await.expect("ok"); }).await;
            p += sequential(1, || async { hand_report(&http, &base).await; }).await;
            v += sequential(1, || async { hand_value(&http, &report_url).await; }).await;
        }
        row("DingTalk report list, 1,000 reports", big_len, w, p, v);
        let (mut w, mut p, mut v) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
        for _ in 0..n {
            w += sequential(1, || async { wecom.journal_get_stat_list(&journal_request).await.expect("ok"); }).await;
            p += sequential(1, || async { hand_journal(&http, &base).await; }).await;
            v += sequential(1, || async { hand_value(&http, &journal_url).await; }).await;
        }
        row("WeCom journal stat_list, 10,000 users", journal_len, w, p, v);
    });
    drop(rt);

    // Stampede: 1,000 concurrent calls on a cold cache, then the same on the warm cache.
    let (bodies, base) = server(small, Vec::new());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let request = report_request();
        let (mut colds, mut warms, mut tokens) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..5 {
            let client = dingtalk_client(&base);
            let burst = || async {
                let t = Instant::now();
                let calls = (0..1000).map(|_| client.report_list(&request));
                for r in workapi::futures::future::join_all(calls).await {
                    r.expect("ok");
                }
                t.elapsed()
            };
            let before = bodies.tokens.load(Ordering::Relaxed);
            colds.push(burst().await);
            tokens.push(bodies.tokens.load(Ordering::Relaxed) - before);
            warms.push(burst().await);
        }
        colds.sort();
        warms.sort();
        let (cold, warm) = (colds[2], warms[2]);
        println!("\n## Token stampede: 1,000 concurrent calls (median of 5 fresh clients)\n");
        println!("| cold cache | warm cache | ratio | token requests per client |\n|---:|---:|---:|---:|");
        println!(
            "| {:.1} ms | {:.1} ms | {:.3} | {tokens:?} |",
            cold.as_secs_f64() * 1e3,
            warm.as_secs_f64() * 1e3,
            cold.as_secs_f64() / warm.as_secs_f64()
        );
    });
}
