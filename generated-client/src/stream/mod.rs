//! DingTalk Stream mode: the app opens a WebSocket to DingTalk and receives its events and
//! callbacks there, so no public callback URL is needed (the vendor's recommended way; pages
//! 事件订阅 > 配置 Stream 推送 and 开发事件推送服务).
//!
//! [`StreamClient::builder`] takes the app's Client ID (AppKey) and Client Secret;
//! [`StreamClientBuilder::connect`] starts a background task and returns an [`EventStream`]
//! of [`StreamEvent`]s. The task opens the connection (`POST /v1.0/gateway/connections/open`
//! for an endpoint and a ticket), answers the gateway's pings, acknowledges each message once
//! it is in the stream's buffer, skips redeliveries of what was already delivered, and
//! reconnects (a fresh ticket each time) after a drop or the gateway's `disconnect`, with
//! capped, jittered backoff. The pages show only the SDKs; the wire behaviour follows the
//! official dingtalk-stream-sdk-go and -python (see `frame.rs`).
//!
//! ```no_run
//! # #[tokio::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use workapi::stream::StreamClient;
//!
//! let mut events = StreamClient::builder("client-id", "client-secret").connect()?;
//! while let Some(event) = events.next().await {
//!     let event = event?;
//!     println!("{:?} {:?} {}", event.event_type(), event.event_id(), event.data());
//! }
//! # Ok(()) }
//! ```

mod connect;
mod error;
mod frame;
mod session;

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::sync::mpsc;

pub use error::StreamError;
pub use frame::{MessageKind, StreamEvent};

use crate::Secret;

/// The production `connections/open` URL.
pub const OPEN_URL: &str = "https://api.dingtalk.com/v1.0/gateway/connections/open";
/// The largest message read by default (1 MiB); events are a few KiB.
pub const DEFAULT_MAX_FRAME_SIZE: usize = 1 << 20;
/// Events buffered for the application by default.
pub const DEFAULT_BUFFER: usize = 256;
/// Delivered events remembered for redelivery checks by default.
pub const DEFAULT_DEDUP_CAPACITY: usize = 10_000;
/// Failed connection attempts in a row before the stream ends with an error, by default.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 10;

/// Entry point of Stream mode; see the [module docs](self).
#[derive(Debug)]
#[non_exhaustive]
pub struct StreamClient;

impl StreamClient {
    /// Settings for the app with this Client ID (AppKey / SuiteKey) and Client Secret.
    /// Subscribes to all events (`EVENT *`) unless [`StreamClientBuilder::subscribe`] says otherwise.
    pub fn builder(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> StreamClientBuilder {
        StreamClientBuilder {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            open_url: OPEN_URL.to_owned(),
            http: None,
            subscriptions: Vec::new(),
            user_agent: concat!("workapi/", env!("CARGO_PKG_VERSION")).to_owned(),
            max_frame_size: DEFAULT_MAX_FRAME_SIZE,
            buffer: DEFAULT_BUFFER,
            dedup_capacity: DEFAULT_DEDUP_CAPACITY,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            keepalive: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(10),
        }
    }
}

/// Settings of a Stream-mode connection. `Debug` shows no secret.
#[derive(Debug, Clone)]
pub struct StreamClientBuilder {
    client_id: String,
    client_secret: Secret,
    open_url: String,
    http: Option<reqwest::Client>,
    subscriptions: Vec<(&'static str, String)>,
    user_agent: String,
    max_frame_size: usize,
    buffer: usize,
    dedup_capacity: usize,
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    keepalive: Duration,
    connect_timeout: Duration,
}

impl StreamClientBuilder {
    /// The `connections/open` URL (default [`OPEN_URL`]); a local gateway in tests.
    pub fn open_url(mut self, url: impl Into<String>) -> Self {
        self.open_url = url.into();
        self
    }

    /// The HTTP client for `connections/open` (default: one from [`crate::http_client_builder`]).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Adds a subscription: [`MessageKind::Event`] with a topic (`*` for all events) or
    /// [`MessageKind::Callback`] with a callback path (`/v1.0/im/bot/messages/get`).
    /// Without any, the client subscribes to `EVENT *`.
    pub fn subscribe(mut self, kind: MessageKind, topic: impl Into<String>) -> Self {
        let kind = match kind {
            MessageKind::Event => "EVENT",
            MessageKind::Callback => "CALLBACK",
        };
        self.subscriptions.push((kind, topic.into()));
        self
    }

    /// The `ua` sent with the open request (default `workapi/<version>`).
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }

    /// The largest message read (default [`DEFAULT_MAX_FRAME_SIZE`], at least 1 KiB); a larger one is refused
    /// before it is buffered, reported as [`StreamError::FrameTooLarge`], and the client reconnects.
    pub fn max_frame_size(mut self, bytes: usize) -> Self {
        self.max_frame_size = bytes.max(1024);
        self
    }

    /// Events buffered for the application (default [`DEFAULT_BUFFER`]). While it is full no
    /// message is acknowledged, and the gateway redelivers later.
    pub fn buffer(mut self, events: usize) -> Self {
        self.buffer = events.max(1);
        self
    }

    /// How many delivered events are remembered to recognise redeliveries (default
    /// [`DEFAULT_DEDUP_CAPACITY`]); the oldest is forgotten first.
    pub fn dedup_capacity(mut self, events: usize) -> Self {
        self.dedup_capacity = events.max(1);
        self
    }

    /// Failed connection attempts in a row before the stream ends with a terminal error
    /// (default [`DEFAULT_MAX_ATTEMPTS`]). A connection that is established resets the count;
    /// its drop counts as one failure (so the backoff grows if every new connection drops).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff between attempts: full jitter up to `initial * 2^(n-1)`, at most `max`
    /// (default 1 s and 60 s).
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// After this long without a frame the client pings; after as long again it reconnects
    /// (default 120 s, as the Go SDK).
    pub fn keepalive(mut self, idle: Duration) -> Self {
        self.keepalive = idle.max(Duration::from_millis(10));
        self
    }

    /// The time limit of the open request and of the WebSocket handshake (default 10 s).
    pub fn connect_timeout(mut self, limit: Duration) -> Self {
        self.connect_timeout = limit;
        self
    }

    /// Starts the connection task on the current Tokio runtime and returns its events.
    /// Errors only for settings that cannot work (a bad open URL, no TLS backend for https);
    /// connection problems arrive in the stream. Dropping the stream stops the task.
    pub fn connect(self) -> Result<EventStream, StreamError> {
        let open_url = reqwest::Url::parse(&self.open_url)
            .map_err(|e| StreamError::Config(format!("bad open URL {:?}: {e}", self.open_url)))?;
        let http = match self.http {
            Some(http) => http,
            None => crate::http_client_builder()
                .and_then(|b| {
                    b.build()
                        .map_err(|e| crate::Error::config_with("cannot build the HTTP client", e))
                })
                .map_err(|e| StreamError::Config(e.to_string()))?,
        };
        let mut subscriptions = self.subscriptions;
        if subscriptions.is_empty() {
            subscriptions.push(("EVENT", "*".to_owned()));
        }
        let settings = StreamSettings {
            client_id: self.client_id,
            client_secret: self.client_secret,
            open_url,
            http,
            subscriptions,
            user_agent: self.user_agent,
            max_frame_size: self.max_frame_size,
            dedup_capacity: self.dedup_capacity,
            max_attempts: self.max_attempts,
            initial_backoff: self.initial_backoff,
            max_backoff: self.max_backoff,
            keepalive: self.keepalive,
            connect_timeout: self.connect_timeout,
        };
        let (tx, rx) = mpsc::channel(self.buffer);
        let task = tokio::spawn(session::run(settings, tx));
        Ok(EventStream { rx, task })
    }
}

/// What the connection task needs, resolved.
#[derive(Debug)]
pub(crate) struct StreamSettings {
    pub(crate) client_id: String,
    pub(crate) client_secret: Secret,
    pub(crate) open_url: reqwest::Url,
    pub(crate) http: reqwest::Client,
    pub(crate) subscriptions: Vec<(&'static str, String)>,
    pub(crate) user_agent: String,
    pub(crate) max_frame_size: usize,
    pub(crate) dedup_capacity: usize,
    pub(crate) max_attempts: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) keepalive: Duration,
    pub(crate) connect_timeout: Duration,
}

/// The events of a Stream-mode connection, in the order they arrived; a `futures::Stream` and
/// an async [`EventStream::next`]. Each redelivered event is yielded once. `Err` items: see
/// [`StreamError::is_terminal`]; after a terminal one the stream ends. Dropping it stops the
/// connection task.
#[derive(Debug)]
pub struct EventStream {
    rx: mpsc::Receiver<Result<StreamEvent, StreamError>>,
    task: tokio::task::JoinHandle<()>,
}

impl EventStream {
    /// The next event; `None` once the stream has ended.
    pub async fn next(&mut self) -> Option<Result<StreamEvent, StreamError>> {
        self.rx.recv().await
    }
}

impl futures::Stream for EventStream {
    type Item = Result<StreamEvent, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx)
    }
}

impl Drop for EventStream {
    fn drop(&mut self) {
        self.task.abort();
    }
}
