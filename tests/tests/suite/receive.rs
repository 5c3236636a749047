//! `workapi::receive` end to end: its axum router served on 127.0.0.1, requests sealed and
//! signed by an encoder written here (not `CallbackCrypto::encrypt`), answers read back with
//! the same encoder. Handshakes, events, resends, refusals, the body cap, answering while the
//! application is slow, and the `receive` example's own server.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use workapi::callback::{CallbackCrypto, CallbackError};
use workapi::receive::{self, Deliveries, Delivery, ReceiveError, Receiver, ReceiverBuilder, Vendor};

const WECOM_TOKEN: &str = "wecomTok3n";
const WECOM_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const CORP_ID: &str = "ww0123456789abcdef";
const DINGTALK_TOKEN: &str = "dingTok3n";
const DINGTALK_KEY: &str = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut";
const APP_KEY: &str = "dingappkey0123";

mod example;
mod vendor;

use vendor::Sealer;

fn wecom_sealer() -> Sealer {
    Sealer::new(WECOM_TOKEN, WECOM_KEY, CORP_ID)
}

fn dingtalk_sealer() -> Sealer {
    Sealer::new(DINGTALK_TOKEN, DINGTALK_KEY, APP_KEY)
}

fn now_secs() -> String {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string()
}

fn now_millis() -> String {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis()
        .to_string()
}

fn nonce() -> String {
    static N: AtomicU64 = AtomicU64::new(1_000_000);
    N.fetch_add(1, Ordering::Relaxed).to_string()
}

/// Percent-encodes base64 for a query, as the vendors send it.
fn query_escape(value: &str) -> String {
    value.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D")
}

/// Both vendors' routers on a loopback port, what the application receives, and every
/// refusal the receivers reported.
struct Server {
    base: String,
    deliveries: Deliveries,
    refused: Arc<Mutex<Vec<ReceiveError>>>,
    http: reqwest::Client,
}

async fn serve(queue: usize, configure: impl Fn(ReceiverBuilder) -> ReceiverBuilder) -> Server {
    let refused = Arc::new(Mutex::new(Vec::new()));
    let (sender, deliveries) = receive::channel(queue);
    let setup = |builder: ReceiverBuilder| {
        let refused = Arc::clone(&refused);
        configure(builder.on_rejected(move |e| refused.lock().unwrap().push(e.clone())))
    };
    let wecom = setup(Receiver::wecom(
        CallbackCrypto::new(WECOM_TOKEN, WECOM_KEY, CORP_ID).unwrap(),
    ))
    .build(sender.clone());
    let dingtalk = setup(Receiver::dingtalk(
        CallbackCrypto::new(DINGTALK_TOKEN, DINGTALK_KEY, APP_KEY).unwrap(),
    ))
    .build(sender);
    let app = receive::axum::router("/wecom", wecom).merge(receive::axum::router("/dingtalk", dingtalk));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Server {
        base,
        deliveries,
        refused,
        http: workapi::http_client_builder().unwrap().build().unwrap(),
    }
}

async fn default_server() -> Server {
    serve(64, |b| b).await
}

impl Server {
    /// POSTs `xml` to `/wecom` as WeCom does: sealed into `<Encrypt>`, signed in the query.
    async fn wecom_post(&self, xml: &str, timestamp: &str) -> reqwest::Response {
        let sealer = wecom_sealer();
        let encrypted = sealer.seal(xml);
        let nonce = nonce();
        let signature = sealer.sign(timestamp, &nonce, &encrypted);
        let body = format!(
            "<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt>\
             <AgentID><![CDATA[1000002]]></AgentID></xml>"
        );
        self.post(
            &format!("/wecom?msg_signature={signature}&timestamp={timestamp}&nonce={nonce}"),
            body,
        )
        .await
    }

    /// POSTs `event` to `/dingtalk` as DingTalk does: `{"encrypt": ...}`, signed in the query.
    async fn dingtalk_post(&self, event: &Value, timestamp: &str) -> reqwest::Response {
        let sealer = dingtalk_sealer();
        let encrypted = sealer.seal(&event.to_string());
        let nonce = nonce();
        let signature = sealer.sign(timestamp, &nonce, &encrypted);
        self.post(
            &format!("/dingtalk?msg_signature={signature}&timestamp={timestamp}&nonce={nonce}"),
            json!({ "encrypt": encrypted }).to_string(),
        )
        .await
    }

    async fn post(&self, path_and_query: &str, body: String) -> reqwest::Response {
        self.http
            .post(format!("{}{path_and_query}", self.base))
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// The next delivery, waiting a little for it.
    async fn next(&mut self) -> Delivery {
        tokio::time::timeout(Duration::from_secs(5), self.deliveries.recv())
            .await
            .expect("a delivery within 5 s")
            .expect("the queue is open")
    }

    fn refused(&self) -> Vec<ReceiveError> {
        self.refused.lock().unwrap().clone()
    }
}

/// Checks DingTalk's answer: `{"msg_signature","timeStamp","nonce","encrypt"}` signed with the
/// token, and `encrypt` opening to `success`.
async fn assert_dingtalk_success(response: reqwest::Response) {
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let field = |name: &str| {
        body[name]
            .as_str()
            .unwrap_or_else(|| panic!("{name} in {body}"))
            .to_owned()
    };
    let sealer = dingtalk_sealer();
    assert_eq!(
        field("msg_signature"),
        sealer.sign(&field("timeStamp"), &field("nonce"), &field("encrypt"))
    );
    assert_eq!(sealer.open(&field("encrypt")), "success");
}

fn user_add_org(event_id: &str) -> Value {
    json!({
        "EventType": "user_add_org",
        "TimeStamp": "1685501863357",
        "CorpId": "ding9f50b15bxxxx16741",
        "UserId": ["manager1"],
        "eventId": event_id,
    })
}

fn change_contact(user: &str, create_time: &str) -> String {
    format!(
        "<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>\
         <CreateTime>{create_time}</CreateTime><MsgType><![CDATA[event]]></MsgType>\
         <Event><![CDATA[change_contact]]></Event><ChangeType>create_user</ChangeType>\
         <UserID><![CDATA[{user}]]></UserID><Name><![CDATA[张三 & co]]></Name>\
         <Department><![CDATA[1,2]]></Department></xml>"
    )
}

#[tokio::test]
async fn wecom_url_check_answers_the_decrypted_echostr() {
    let server = default_server().await;
    let sealer = wecom_sealer();
    let echostr = sealer.seal("6171474628421651302");
    let (timestamp, nonce) = (now_secs(), nonce());
    let signature = sealer.sign(&timestamp, &nonce, &echostr);
    let response = server
        .http
        .get(format!(
            "{}/wecom?msg_signature={signature}&timestamp={timestamp}&nonce={nonce}&echostr={}",
            server.base,
            query_escape(&echostr)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // As is: no quotes, no BOM, no newline.
    assert_eq!(response.bytes().await.unwrap(), "6171474628421651302".as_bytes());
    assert!(server.refused().is_empty());
}

#[tokio::test]
async fn wecom_event_is_answered_empty_and_delivered_with_its_type_and_fields() {
    let mut server = default_server().await;
    let response = server
        .wecom_post(&change_contact("zhangsan", "1700000000"), &now_secs())
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().await.unwrap().len(), 0, "WeCom: an empty 200");

    let delivery = server.next().await;
    assert_eq!(delivery.vendor(), Vendor::WeCom);
    assert_eq!(delivery.event_type(), Some("change_contact"));
    assert_eq!(delivery.change_type(), Some("create_user"));
    assert_eq!(delivery.payload(), change_contact("zhangsan", "1700000000"));
    let fields = delivery.fields();
    assert_eq!(fields["UserID"], "zhangsan");
    assert_eq!(fields["Name"], "张三 & co");
    assert_eq!(fields["CreateTime"], "1700000000");
    assert!(delivery.dedup_key().as_str().starts_with("wecom:from:"));
    // Debug never shows the payload.
    assert!(!format!("{delivery:?}").contains("zhangsan"));
}

#[tokio::test]
async fn wecom_instruction_callback_is_answered_success() {
    let mut server = default_server().await;
    let ticket = "<xml><SuiteId><![CDATA[ww4asffe99e54c0f]]></SuiteId><InfoType> <![CDATA[suite_ticket]]></InfoType>\
                  <TimeStamp>1403610513</TimeStamp><SuiteTicket><![CDATA[asdfasfdasdfasdf]]></SuiteTicket></xml>";
    let response = server.wecom_post(ticket, &now_secs()).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "success");
    let delivery = server.next().await;
    assert_eq!(delivery.event_type(), Some("suite_ticket"));
    assert!(delivery.dedup_key().as_str().starts_with("wecom:payload:sha1:"));
}

#[tokio::test]
async fn dingtalk_check_url_is_answered_with_encrypted_success_and_not_delivered() {
    let mut server = default_server().await;
    let response = server
        .dingtalk_post(&json!({"EventType": "check_url"}), &now_millis())
        .await;
    assert_dingtalk_success(response).await;
    // The older query name `signature`, with a timestamp in seconds as the HTTP 回调概述 shows.
    let sealer = dingtalk_sealer();
    let encrypted = sealer.seal(r#"{"EventType":"check_url"}"#);
    let (timestamp, nonce) = (now_secs(), nonce());
    let signature = sealer.sign(&timestamp, &nonce, &encrypted);
    let response = server
        .post(
            &format!("/dingtalk?signature={signature}&timestamp={timestamp}&nonce={nonce}"),
            json!({ "encrypt": encrypted }).to_string(),
        )
        .await;
    assert_dingtalk_success(response).await;
    assert!(server.deliveries.try_recv().is_none(), "URL checks are not events");
    assert!(server.refused().is_empty());
}

#[tokio::test]
async fn dingtalk_event_is_answered_and_delivered_as_sent() {
    let mut server = default_server().await;
    let event = user_add_org("c7c7120f2c07419ebdba0318c8");
    assert_dingtalk_success(server.dingtalk_post(&event, &now_millis()).await).await;
    let delivery = server.next().await;
    assert_eq!(delivery.vendor(), Vendor::DingTalk);
    assert_eq!(delivery.event_type(), Some("user_add_org"));
    assert_eq!(delivery.change_type(), None);
    assert_eq!(Value::Object(delivery.fields()), event);
    assert_eq!(
        delivery.dedup_key().as_str(),
        "dingtalk:eventid:26:c7c7120f2c07419ebdba0318c8"
    );
}

#[tokio::test]
async fn a_resent_event_is_answered_every_time_and_delivered_once() {
    let mut server = default_server().await;
    // Each resend is sealed afresh (new random prefix, nonce), as the vendors do.
    let text = |id: &str| {
        format!(
            "<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[lisi]]></FromUserName>\
             <CreateTime>1700000001</CreateTime><MsgType><![CDATA[text]]></MsgType>\
             <Content><![CDATA[hi]]></Content><MsgId>{id}</MsgId><AgentID>1</AgentID></xml>"
        )
    };
    for _ in 0..3 {
        assert_eq!(server.wecom_post(&text("777"), &now_secs()).await.status(), 200);
    }
    for _ in 0..3 {
        assert_dingtalk_success(server.dingtalk_post(&user_add_org("e-1"), &now_millis()).await).await;
    }
    // Events by FromUserName + CreateTime: the same user and second, another event type, is not a resend.
    for _ in 0..2 {
        assert_eq!(
            server
                .wecom_post(&change_contact("u1", "1700000002"), &now_secs())
                .await
                .status(),
            200
        );
    }
    let other = change_contact("u1", "1700000002").replace("change_contact", "enter_agent");
    assert_eq!(server.wecom_post(&other, &now_secs()).await.status(), 200);
    // Another id is another message.
    assert_eq!(server.wecom_post(&text("778"), &now_secs()).await.status(), 200);

    let mut got = Vec::new();
    for _ in 0..5 {
        let d = server.next().await;
        got.push((d.vendor(), d.event_type().unwrap().to_owned()));
    }
    assert_eq!(
        got,
        [
            (Vendor::WeCom, "text".to_owned()),
            (Vendor::DingTalk, "user_add_org".to_owned()),
            (Vendor::WeCom, "change_contact".to_owned()),
            (Vendor::WeCom, "enter_agent".to_owned()),
            (Vendor::WeCom, "text".to_owned()),
        ]
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(server.deliveries.try_recv().is_none(), "no second copy of anything");
}

#[tokio::test]
async fn a_bad_signature_is_refused_with_403_and_a_typed_error_without_secrets() {
    let mut server = default_server().await;
    let sealer = wecom_sealer();
    let encrypted = sealer.seal(&change_contact("u", "1"));
    let timestamp = now_secs();
    // Signed with another token.
    let forged = Sealer::new("not-the-token", WECOM_KEY, CORP_ID).sign(&timestamp, "1", &encrypted);
    let response = server
        .post(
            &format!("/wecom?msg_signature={forged}&timestamp={timestamp}&nonce=1"),
            format!("<xml><Encrypt>{encrypted}</Encrypt></xml>"),
        )
        .await;
    assert_eq!(response.status(), 403);
    let body = response.text().await.unwrap();
    assert_eq!(body, "bad signature");

    let dingtalk = dingtalk_sealer();
    let encrypted = dingtalk.seal(&user_add_org("x").to_string());
    let response = server
        .post(
            &format!(
                "/dingtalk?msg_signature={}&timestamp={}&nonce=1",
                "0".repeat(40),
                now_millis()
            ),
            json!({ "encrypt": encrypted }).to_string(),
        )
        .await;
    assert_eq!(response.status(), 403);

    let refused = server.refused();
    assert_eq!(refused.len(), 2);
    for (error, vendor) in refused.iter().zip([Vendor::WeCom, Vendor::DingTalk]) {
        assert_eq!(
            error,
            &ReceiveError::Callback {
                vendor,
                source: CallbackError::SignatureMismatch
            }
        );
        let shown = format!("{error} {error:?}");
        for secret in [WECOM_TOKEN, WECOM_KEY, DINGTALK_TOKEN, DINGTALK_KEY] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }
    assert!(server.deliveries.try_recv().is_none());
}

#[tokio::test]
async fn a_stale_timestamp_is_refused_even_when_signed() {
    let server = default_server().await;
    let hour_ago = (SystemTime::now() - Duration::from_secs(3600))
        .duration_since(UNIX_EPOCH)
        .unwrap();
    let response = server
        .wecom_post(&change_contact("u", "1"), &hour_ago.as_secs().to_string())
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(response.text().await.unwrap(), "timestamp out of range");
    let response = server
        .dingtalk_post(&user_add_org("y"), &hour_ago.as_millis().to_string())
        .await;
    assert_eq!(response.status(), 403);
    let refused = server.refused();
    assert_eq!(refused.len(), 2);
    for error in refused {
        assert!(
            matches!(
                &error,
                ReceiveError::Callback {
                    source: CallbackError::StaleTimestamp { age, .. },
                    ..
                } if *age >= Duration::from_secs(3600)
            ),
            "{error:?}"
        );
    }
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_413_declared_or_streamed() {
    let server = serve(8, |b| b.max_body_len(4096)).await;
    // Declared by Content-Length.
    let response = server
        .post("/wecom?msg_signature=a&timestamp=1&nonce=1", "x".repeat(4097))
        .await;
    assert_eq!(response.status(), 413);
    assert_eq!(response.text().await.unwrap(), "body too large");
    // Chunked, with no length declared: refused once the cap is passed.
    let mut stream = TcpStream::connect(server.base.trim_start_matches("http://"))
        .await
        .unwrap();
    stream
        .write_all(b"POST /dingtalk?msg_signature=a&timestamp=1&nonce=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n")
        .await
        .unwrap();
    for _ in 0..5 {
        stream.write_all(b"400\r\n").await.unwrap();
        stream.write_all(&[b'x'; 0x400]).await.unwrap();
        stream.write_all(b"\r\n").await.unwrap();
    }
    stream.write_all(b"0\r\n\r\n").await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    // The default cap follows the ciphertext cap: 1 MiB of base64 and 4 KiB of envelope.
    let default = default_server().await;
    let response = default
        .post(
            "/dingtalk?msg_signature=a&timestamp=1&nonce=1",
            "x".repeat((1 << 20) + 4097),
        )
        .await;
    assert_eq!(response.status(), 413);
    let refused = server.refused();
    assert!(
        refused
            .iter()
            .all(|e| matches!(e, ReceiveError::BodyTooLarge { max: 4096, .. })),
        "{refused:?}"
    );
    assert_eq!(refused.len(), 2);
}

#[tokio::test]
async fn bad_envelopes_methods_and_missing_parameters_are_400_405() {
    let server = default_server().await;
    let timestamp = now_secs();
    let cases = [
        (
            "POST",
            "/wecom?msg_signature=a&timestamp=1&nonce=1",
            "<xml><ToUserName>x</ToUserName></xml>",
            400,
        ),
        ("POST", "/wecom?msg_signature=a&timestamp=1&nonce=1", "not xml", 400),
        (
            "POST",
            "/wecom?timestamp=1&nonce=1",
            "<xml><Encrypt>a</Encrypt></xml>",
            400,
        ),
        (
            "POST",
            "/dingtalk?msg_signature=a&timestamp=1&nonce=1",
            "[\"encrypt\"]",
            400,
        ),
        ("GET", "/dingtalk", "", 405),
        ("PUT", "/wecom", "", 405),
    ];
    for (method, path, body, status) in cases {
        let path = path.replace("timestamp=1", &format!("timestamp={timestamp}"));
        let response = server
            .http
            .request(method.parse().unwrap(), format!("{}{path}", server.base))
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{method} {path} {body}");
    }
    assert_eq!(server.refused().len(), cases.len());
}

#[tokio::test]
async fn answers_come_at_once_while_the_application_is_slow() {
    let mut server = default_server().await;
    let mut deliveries = std::mem::replace(&mut server.deliveries, receive::channel(1).1);
    // The application: 1.5 s per event, as long as DingTalk's whole deadline.
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(delivery) = deliveries.recv().await {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            let _ = done_tx.send(delivery.event_type().map(str::to_owned));
        }
    });
    // Three events answered in less time than the application spends on one.
    let started = Instant::now();
    for id in ["slow-1", "slow-2"] {
        assert_dingtalk_success(server.dingtalk_post(&user_add_org(id), &now_millis()).await).await;
    }
    assert_eq!(
        server.wecom_post(&change_contact("v", "2"), &now_secs()).await.status(),
        200
    );
    let answered = started.elapsed();
    assert!(answered < Duration::from_secs(1), "three answers took {answered:?}");
    // And the application still gets every event, in order.
    let mut handled = Vec::new();
    for _ in 0..3 {
        let got = tokio::time::timeout(Duration::from_secs(10), done_rx.recv())
            .await
            .unwrap();
        handled.push(got.unwrap().unwrap());
    }
    assert_eq!(handled, ["user_add_org", "user_add_org", "change_contact"]);
}

#[tokio::test]
async fn a_full_queue_is_503_and_the_resend_is_delivered_later() {
    let mut server = serve(1, |b| b).await;
    assert_dingtalk_success(server.dingtalk_post(&user_add_org("q-1"), &now_millis()).await).await;
    let response = server.dingtalk_post(&user_add_org("q-2"), &now_millis()).await;
    assert_eq!(response.status(), 503);
    assert_eq!(
        server.refused(),
        [ReceiveError::QueueFull {
            vendor: Vendor::DingTalk
        }]
    );
    // The application catches up; the vendor's resend of q-2 is delivered, not taken as a duplicate.
    assert_eq!(server.next().await.fields()["eventId"], "q-1");
    assert_dingtalk_success(server.dingtalk_post(&user_add_org("q-2"), &now_millis()).await).await;
    assert_eq!(server.next().await.fields()["eventId"], "q-2");
}
