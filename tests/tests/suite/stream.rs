//! `workapi::stream` against a DingTalk Stream gateway of the test's own on 127.0.0.1: wiremock
//! answers `connections/open` with `ws://127.0.0.1` endpoints and fresh tickets, and a
//! tokio-tungstenite server checks each ticket, sends the frames a test scripts, and reads the
//! client's acks back. Open + receive + ack, pings, a drop mid-run with redelivery (nothing lost,
//! nothing twice), `disconnect`, refused opens and tickets, and the frame cap.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};
use workapi::stream::{EventStream, MessageKind, StreamClient, StreamError, StreamEvent};

const OPEN_PATH: &str = "/v1.0/gateway/connections/open";
const CLIENT_ID: &str = "dingstreamclient01";
const CLIENT_SECRET: &str = "s3cret-Stream-Client-Secret-0123456789";
/// Long enough for a loaded 2-core machine, short enough to fail fast.
const WAIT: Duration = Duration::from_secs(10);

/// The local gateway: `connections/open` on wiremock, the WebSocket on a TcpListener.
struct Gateway {
    open: MockServer,
    /// Tickets handed out, in order.
    issued: Arc<Mutex<Vec<String>>>,
    /// Connections that passed the ticket check, for the test to drive.
    connections: mpsc::UnboundedReceiver<Conn>,
    /// Refuse every ticket (the "wrong ticket" case).
    refuse_tickets: Arc<AtomicBool>,
}

/// One accepted WebSocket and the ticket it came with.
struct Conn {
    ticket: String,
    ws: WebSocketStream<tokio::net::TcpStream>,
}

/// Hands out `ticket-1`, `ticket-2`, ... with the WebSocket endpoint.
struct Opener {
    endpoint: String,
    issued: Arc<Mutex<Vec<String>>>,
    count: AtomicU32,
}

impl Respond for Opener {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let ticket = format!("ticket-{}", self.count.fetch_add(1, Ordering::SeqCst) + 1);
        self.issued.lock().unwrap().push(ticket.clone());
        ResponseTemplate::new(200).set_body_json(json!({"endpoint": self.endpoint, "ticket": ticket}))
    }
}

impl Gateway {
    async fn start() -> Gateway {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("ws://{}/connect", listener.local_addr().unwrap());
        let issued = Arc::new(Mutex::new(Vec::new()));
        let refuse_tickets = Arc::new(AtomicBool::new(false));
        let (tx, connections) = mpsc::unbounded_channel();
        let (issued2, refuse) = (issued.clone(), refuse_tickets.clone());
        tokio::spawn(async move {
            let used = Arc::new(Mutex::new(Vec::<String>::new()));
            while let Ok((tcp, _)) = listener.accept().await {
                let (issued, used, refuse, tx) = (issued2.clone(), used.clone(), refuse.clone(), tx.clone());
                tokio::spawn(async move {
                    let mut ticket = String::new();
                    // The signature is tungstenite's handshake callback; its error is an HTTP response.
                    #[allow(clippy::result_large_err)]
                    let check = |request: &Request, response: Response| -> Result<Response, ErrorResponse> {
                        let query = request.uri().query().unwrap_or_default();
                        ticket = query.strip_prefix("ticket=").unwrap_or_default().to_owned();
                        let known = issued.lock().unwrap().contains(&ticket);
                        // A ticket is good for one connection, as the gateway's are.
                        let fresh = !used.lock().unwrap().contains(&ticket);
                        if refuse.load(Ordering::SeqCst) || !known || !fresh {
                            let mut refusal = ErrorResponse::new(Some("bad ticket".into()));
                            *refusal.status_mut() = http_status(401);
                            return Err(refusal);
                        }
                        used.lock().unwrap().push(ticket.clone());
                        Ok(response)
                    };
                    if let Ok(ws) = tokio_tungstenite::accept_hdr_async(tcp, check).await {
                        let _ = tx.send(Conn { ticket, ws });
                    }
                });
            }
        });
        let open = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(OPEN_PATH))
            .respond_with(Opener {
                endpoint,
                issued: issued.clone(),
                count: AtomicU32::new(0),
            })
            .mount(&open)
            .await;
        Gateway {
            open,
            issued,
            connections,
            refuse_tickets,
        }
    }

    fn client(&self) -> workapi::stream::StreamClientBuilder {
        StreamClient::builder(CLIENT_ID, CLIENT_SECRET)
            .open_url(format!("{}{OPEN_PATH}", self.open.uri()))
            .backoff(Duration::from_millis(5), Duration::from_millis(40))
            .max_attempts(3)
            .connect_timeout(Duration::from_secs(5))
    }

    async fn accept(&mut self) -> Conn {
        tokio::time::timeout(WAIT, self.connections.recv())
            .await
            .expect("the client did not connect")
            .unwrap()
    }

    async fn open_requests(&self) -> Vec<Value> {
        self.open
            .received_requests()
            .await
            .unwrap()
            .iter()
            .map(|r| serde_json::from_slice(&r.body).unwrap())
            .collect()
    }
}

fn http_status(code: u16) -> tokio_tungstenite::tungstenite::http::StatusCode {
    tokio_tungstenite::tungstenite::http::StatusCode::from_u16(code).unwrap()
}

impl Conn {
    async fn send(&mut self, frame: Value) {
        self.ws.send(Message::text(frame.to_string())).await.unwrap();
    }

    /// An `EVENT` frame as the gateway sends it (headers as strings, data as JSON text).
    async fn event(&mut self, message_id: &str, event_id: &str) {
        self.send(json!({
            "specVersion": "1.0",
            "type": "EVENT",
            "headers": {
                "messageId": message_id,
                "eventId": event_id,
                "eventType": "user_add_org",
                "eventBornTime": "1732350000000",
                "eventCorpId": "ding0corp",
                "topic": "user_add_org",
                "contentType": "application/json",
                "time": "1732350000123",
            },
            "data": json!({"eventId": event_id, "userId": ["u1"]}).to_string(),
        }))
        .await;
    }

    /// The next text frame from the client, as JSON; `None` if none comes within `within`.
    async fn read(&mut self, within: Duration) -> Option<Value> {
        loop {
            match tokio::time::timeout(within, self.ws.next()).await {
                Ok(Some(Ok(Message::Text(text)))) => return Some(serde_json::from_str(text.as_str()).unwrap()),
                Ok(Some(Ok(Message::Close(_)) | Err(_))) | Ok(None) | Err(_) => return None,
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    async fn ack(&mut self) -> Value {
        self.read(WAIT).await.expect("no ack from the client")
    }
}

async fn next_event(events: &mut EventStream) -> StreamEvent {
    match tokio::time::timeout(WAIT, events.next()).await {
        Ok(Some(Ok(event))) => event,
        other => panic!("expected an event, got {other:?}"),
    }
}

/// Checks an ack frame as the SDKs send it, for `message_id`; returns its data as JSON.
fn check_ack(ack: &Value, message_id: &str) -> Value {
    assert_eq!(ack["code"], 200, "{ack}");
    assert_eq!(ack["headers"]["messageId"], message_id, "{ack}");
    assert_eq!(ack["headers"]["contentType"], "application/json", "{ack}");
    serde_json::from_str(ack["data"].as_str().expect("data is JSON text")).unwrap()
}

#[tokio::test]
async fn opens_receives_and_acknowledges() {
    let mut gateway = Gateway::start().await;
    let mut events = gateway.client().connect().unwrap();
    let mut conn = gateway.accept().await;
    assert_eq!(conn.ticket, "ticket-1");

    let opens = gateway.open_requests().await;
    assert_eq!(opens.len(), 1);
    assert_eq!(opens[0]["clientId"], CLIENT_ID);
    assert_eq!(opens[0]["clientSecret"], CLIENT_SECRET);
    assert_eq!(opens[0]["subscriptions"], json!([{"type": "EVENT", "topic": "*"}]));
    assert!(opens[0]["ua"].as_str().unwrap().starts_with("workapi/"));

    conn.event("msg-1", "evt-1").await;
    let event = next_event(&mut events).await;
    assert_eq!(event.kind(), MessageKind::Event);
    assert_eq!(event.message_id(), "msg-1");
    assert_eq!(event.event_id(), Some("evt-1"));
    assert_eq!(event.event_type(), Some("user_add_org"));
    assert_eq!(event.topic(), Some("user_add_org"));
    assert_eq!(event.corp_id(), Some("ding0corp"));
    assert_eq!(event.born_time(), Some(workapi::UnixMillis(1_732_350_000_000)));
    assert_eq!(event.headers()["time"], "1732350000123");
    assert_eq!(event.data(), &json!({"eventId": "evt-1", "userId": ["u1"]}));
    // Typed by the spec's DingTalk events, the header's type standing in for `EventType`.
    match event.dingtalk_event() {
        Some(Ok(workapi::dingtalk::Event::UserAddOrg(added))) => assert_eq!(added.user_id, Some(vec!["u1".to_owned()])),
        other => panic!("not a typed user_add_org: {other:?}"),
    }
    let data = check_ack(&conn.ack().await, "msg-1");
    assert_eq!(data["status"], "SUCCESS");

    // A callback is delivered and acknowledged the same way, with a callback's ack data.
    conn.send(json!({
        "specVersion": "1.0",
        "type": "CALLBACK",
        "headers": {"messageId": "cb-1", "topic": "/v1.0/im/bot/messages/get", "contentType": "application/json"},
        "data": "{\"text\":{\"content\":\"hi\"}}",
    }))
    .await;
    let callback = next_event(&mut events).await;
    assert_eq!(callback.kind(), MessageKind::Callback);
    assert_eq!(callback.topic(), Some("/v1.0/im/bot/messages/get"));
    assert_eq!(callback.data()["text"]["content"], "hi");
    assert!(check_ack(&conn.ack().await, "cb-1").get("response").is_some());
}

#[tokio::test]
async fn pings_are_answered_with_their_data() {
    let mut gateway = Gateway::start().await;
    let mut events = gateway.client().connect().unwrap();
    let mut conn = gateway.accept().await;
    conn.send(json!({
        "specVersion": "1.0",
        "type": "SYSTEM",
        "headers": {"messageId": "ping-7", "topic": "ping", "contentType": "application/json"},
        "data": "{\"opaque\":\"a1b2\"}",
    }))
    .await;
    let pong = conn.ack().await;
    assert_eq!(check_ack(&pong, "ping-7"), json!({"opaque": "a1b2"}));

    // The ping was answered, not delivered: the next item is the next event.
    conn.event("msg-2", "evt-2").await;
    assert_eq!(next_event(&mut events).await.event_id(), Some("evt-2"));
}

#[tokio::test]
async fn a_drop_mid_run_loses_nothing_and_delivers_nothing_twice() {
    let mut gateway = Gateway::start().await;
    // Room for two events: the third cannot be handed over until the application reads.
    let mut events = gateway.client().buffer(2).connect().unwrap();
    let mut conn = gateway.accept().await;
    for i in 1..=3 {
        conn.event(&format!("m{i}"), &format!("e{i}")).await;
    }
    check_ack(&conn.ack().await, "m1");
    check_ack(&conn.ack().await, "m2");
    // e3 is not in the buffer yet, so it must not be acknowledged.
    assert_eq!(
        conn.read(Duration::from_millis(300)).await,
        None,
        "e3 acknowledged before hand-off"
    );
    // The gateway drops the connection with e3 unacknowledged (and, say, m2's ack lost).
    drop(conn);

    let mut got = Vec::new();
    for _ in 0..3 {
        got.push(next_event(&mut events).await.event_id().unwrap().to_owned());
    }

    // The client reconnects with a fresh ticket; the gateway redelivers e2 and e3 under new
    // message ids, then sends e4.
    let mut conn = gateway.accept().await;
    assert_eq!(conn.ticket, "ticket-2");
    conn.event("m2-again", "e2").await;
    conn.event("m3-again", "e3").await;
    conn.event("m4", "e4").await;
    // Redeliveries are acknowledged (so the gateway stops), just not delivered.
    for id in ["m2-again", "m3-again", "m4"] {
        check_ack(&conn.ack().await, id);
    }
    got.push(next_event(&mut events).await.event_id().unwrap().to_owned());
    assert_eq!(got, ["e1", "e2", "e3", "e4"]);
    let extra = tokio::time::timeout(Duration::from_millis(300), events.next()).await;
    assert!(extra.is_err(), "delivered twice: {extra:?}");
}

#[tokio::test]
async fn disconnect_leads_to_a_clean_reconnect() {
    let mut gateway = Gateway::start().await;
    let mut events = gateway.client().connect().unwrap();
    let mut conn = gateway.accept().await;
    conn.event("m1", "e1").await;
    assert_eq!(next_event(&mut events).await.event_id(), Some("e1"));
    check_ack(&conn.ack().await, "m1");

    conn.send(json!({
        "specVersion": "1.0",
        "type": "SYSTEM",
        "headers": {"messageId": "sys-1", "topic": "disconnect", "contentType": "application/json"},
        "data": "{\"reason\":\"gateway upgrade\"}",
    }))
    .await;
    // The client closes this connection ...
    assert_eq!(conn.read(WAIT).await, None);
    // ... and opens a new one with a new ticket; no error reaches the application.
    let mut conn = gateway.accept().await;
    assert_eq!(conn.ticket, "ticket-2");
    assert_eq!(gateway.open_requests().await.len(), 2);
    conn.event("m2", "e2").await;
    assert_eq!(next_event(&mut events).await.event_id(), Some("e2"));
    check_ack(&conn.ack().await, "m2");
}

#[tokio::test]
async fn a_silent_connection_is_pinged_then_replaced() {
    let mut gateway = Gateway::start().await;
    let mut events = gateway
        .client()
        .keepalive(Duration::from_millis(150))
        .connect()
        .unwrap();
    // This gateway stops reading: the client's WebSocket ping gets no pong.
    let silent = gateway.accept().await;
    let mut conn = gateway.accept().await;
    assert_eq!(conn.ticket, "ticket-2");
    drop(silent);
    conn.event("m1", "e1").await;
    assert_eq!(next_event(&mut events).await.event_id(), Some("e1"));
}

#[tokio::test]
async fn a_refused_open_is_a_typed_error_after_bounded_retries() {
    let open = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(OPEN_PATH))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"code": "InvalidAuthentication", "message": "clientId or clientSecret wrong"})),
        )
        .mount(&open)
        .await;
    let mut events = StreamClient::builder(CLIENT_ID, CLIENT_SECRET)
        .open_url(format!("{}{OPEN_PATH}", open.uri()))
        .backoff(Duration::from_millis(5), Duration::from_millis(20))
        .max_attempts(3)
        .connect()
        .unwrap();
    let error = match tokio::time::timeout(WAIT, events.next()).await {
        Ok(Some(Err(error))) => error,
        other => panic!("expected an error, got {other:?}"),
    };
    match &error {
        StreamError::OpenRejected {
            status: 401,
            code: Some(code),
            attempts: 3,
            ..
        } => assert_eq!(code, "InvalidAuthentication"),
        other => panic!("{other:?}"),
    }
    assert!(error.is_terminal());
    assert_eq!(open.received_requests().await.unwrap().len(), 3);
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(CLIENT_SECRET), "{text}");
    }
    assert!(error.to_string().contains("InvalidAuthentication"), "{error}");
    // The stream ends after a terminal error.
    assert!(tokio::time::timeout(WAIT, events.next()).await.unwrap().is_none());
}

#[tokio::test]
async fn a_refused_ticket_is_a_typed_error_after_bounded_retries() {
    let gateway = Gateway::start().await;
    gateway.refuse_tickets.store(true, Ordering::SeqCst);
    let mut events = gateway.client().connect().unwrap();
    let error = match tokio::time::timeout(WAIT, events.next()).await {
        Ok(Some(Err(error))) => error,
        other => panic!("expected an error, got {other:?}"),
    };
    assert!(
        matches!(
            error,
            StreamError::HandshakeRejected {
                status: 401,
                attempts: 3
            }
        ),
        "{error:?}"
    );
    // A fresh ticket for every attempt, and none of them in the error.
    assert_eq!(*gateway.issued.lock().unwrap(), ["ticket-1", "ticket-2", "ticket-3"]);
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains("ticket-"), "{text}");
    }
}

#[tokio::test]
async fn an_oversized_frame_is_an_error_not_an_allocation() {
    let mut gateway = Gateway::start().await;
    let mut events = gateway.client().max_frame_size(4096).connect().unwrap();
    let mut conn = gateway.accept().await;
    // 1 MiB of data: refused by its length header, before it is read into memory.
    let big = "x".repeat(1 << 20);
    // The client may hang up mid-write: that is the point, so the send's result is not checked.
    let frame = json!({"type": "EVENT", "headers": {"messageId": "big"}, "data": big});
    let _ = conn.ws.send(Message::text(frame.to_string())).await;
    match tokio::time::timeout(WAIT, events.next()).await {
        Ok(Some(Err(error @ StreamError::FrameTooLarge { limit: 4096 }))) => assert!(!error.is_terminal()),
        other => panic!("expected FrameTooLarge, got {other:?}"),
    }
    // The client carries on over a new connection.
    let mut conn = gateway.accept().await;
    conn.event("m1", "e1").await;
    assert_eq!(next_event(&mut events).await.event_id(), Some("e1"));
}

#[tokio::test]
async fn a_wss_endpoint_speaks_tls_with_ring_and_refuses_an_untrusted_certificate() {
    let (port, seen) = crate::tls::self_signed_server().await;
    let open = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(OPEN_PATH))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"endpoint": format!("wss://localhost:{port}/connect"), "ticket": "tls-ticket-1"}),
            ),
        )
        .mount(&open)
        .await;
    let mut events = StreamClient::builder(CLIENT_ID, CLIENT_SECRET)
        .open_url(format!("{}{OPEN_PATH}", open.uri()))
        .max_attempts(1)
        .connect()
        .unwrap();
    let error = match tokio::time::timeout(WAIT, events.next()).await {
        Ok(Some(Err(error))) => error,
        other => panic!("expected an error, got {other:?}"),
    };
    assert!(
        matches!(&error, StreamError::Connect { reason, attempts: 1 } if reason.contains("TLS")),
        "{error:?}"
    );
    assert!(!format!("{error} {error:?}").contains("tls-ticket-1"), "{error:?}");
    // The server logs once its side of the failed handshake is over, which may be after ours.
    let deadline = tokio::time::Instant::now() + WAIT;
    while seen.lock().unwrap().is_empty() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].server_name.as_deref(), Some("localhost"));
    // The WebSocket upgrade is HTTP/1.1, so that is all the client offers.
    assert_eq!(seen[0].alpn, [b"http/1.1".to_vec()]);
    assert!(!seen[0].handshake_completed);
}

#[test]
fn the_settings_do_not_show_the_secret() {
    let builder = StreamClient::builder(CLIENT_ID, CLIENT_SECRET);
    let text = format!("{builder:?}");
    assert!(text.contains(CLIENT_ID) && !text.contains(CLIENT_SECRET), "{text}");
}
