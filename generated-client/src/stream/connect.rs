//! One connection: `POST /v1.0/gateway/connections/open` for an endpoint and a ticket, then the
//! WebSocket `endpoint?ticket=...` (plain for `ws://`, rustls with ring for `wss://`).
//! Every failure is classified here so the session knows whether a retry can help.

use serde::Deserialize;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::{self, client::IntoClientRequest, protocol::WebSocketConfig};

use super::StreamSettings;
use crate::Secret;

/// The byte stream under the WebSocket: TCP, or TLS over TCP.
pub(crate) trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// An open WebSocket to the gateway.
pub(crate) type Socket = WebSocketStream<Box<dyn Io>>;

/// Why one connection attempt failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The open request got an error status (wrong credentials, unknown app, ...).
    Rejected {
        status: u16,
        code: Option<String>,
        message: Option<String>,
    },
    /// The WebSocket handshake got an error status (a wrong or used ticket).
    Handshake { status: u16 },
    /// Network, timeout or an unusable answer.
    Transport(String),
    /// Settings that no retry can fix.
    Config(String),
}

/// The most of a `connections/open` answer read.
const OPEN_BODY_CAP: usize = 64 * 1024;

/// The answer of `connections/open`.
#[derive(Deserialize)]
struct Opened {
    endpoint: String,
    ticket: Secret,
}

/// DingTalk's error body on the new-style (`api.dingtalk.com`) APIs.
#[derive(Deserialize)]
struct OpenError {
    code: Option<String>,
    message: Option<String>,
}

/// Opens a connection: a fresh ticket, then the WebSocket.
pub(crate) async fn connect(settings: &StreamSettings) -> Result<Socket, Failure> {
    let opened = open(settings).await?;
    let mut url = reqwest::Url::parse(&opened.endpoint)
        .map_err(|e| Failure::Transport(format!("connections/open returned a bad endpoint: {e}")))?;
    let secure = match url.scheme() {
        "wss" => true,
        "ws" => false,
        other => {
            return Err(Failure::Transport(format!(
                "connections/open returned a `{other}:` endpoint"
            )));
        }
    };
    let host = url
        .host_str()
        .ok_or_else(|| Failure::Transport("connections/open returned an endpoint without host".into()))?
        .to_owned();
    let port = url.port_or_known_default().unwrap_or(if secure { 443 } else { 80 });
    tracing::debug!(endpoint = %url, "opening the DingTalk stream WebSocket");
    // Form-encoded as the Python SDK's `quote_plus`; the URL is not logged from here on.
    url.query_pairs_mut().append_pair("ticket", opened.ticket.expose());
    let request = url
        .as_str()
        .into_client_request()
        .map_err(|e| Failure::Transport(format!("cannot build the WebSocket request: {}", describe(&e))))?;

    let handshake = async {
        let tcp = tokio::net::TcpStream::connect((host.as_str(), port))
            .await
            .map_err(|e| Failure::Transport(format!("cannot reach the stream endpoint {host}:{port}: {e}")))?;
        let _ = tcp.set_nodelay(true);
        let io: Box<dyn Io> = if secure { tls(tcp, &host).await? } else { Box::new(tcp) };
        let config = WebSocketConfig::default()
            .max_message_size(Some(settings.max_frame_size))
            .max_frame_size(Some(settings.max_frame_size));
        tokio_tungstenite::client_async_with_config(request, io, Some(config))
            .await
            .map(|(socket, _)| socket)
            .map_err(|e| match e {
                tungstenite::Error::Http(response) => Failure::Handshake {
                    status: response.status().as_u16(),
                },
                other => Failure::Transport(format!("WebSocket handshake failed: {}", describe(&other))),
            })
    };
    tokio::time::timeout(settings.connect_timeout, handshake)
        .await
        .unwrap_or_else(|_| {
            Err(Failure::Transport(format!(
                "WebSocket handshake timed out after {:?}",
                settings.connect_timeout
            )))
        })
}

async fn open(settings: &StreamSettings) -> Result<Opened, Failure> {
    let subscriptions: Vec<_> = settings
        .subscriptions
        .iter()
        .map(|(kind, topic)| serde_json::json!({"type": kind, "topic": topic}))
        .collect();
    let body = serde_json::json!({
        "clientId": settings.client_id,
        "clientSecret": settings.client_secret.expose(),
        "subscriptions": subscriptions,
        "ua": settings.user_agent,
    });
    let mut response = settings
        .http
        .post(settings.open_url.clone())
        .header("accept", "application/json")
        .json(&body)
        .timeout(settings.connect_timeout)
        .send()
        .await
        .map_err(|e| Failure::Transport(format!("connections/open: {}", e.without_url())))?;
    let status = response.status();
    // The answer is a few hundred bytes: read at most OPEN_BODY_CAP, chunked or not.
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| Failure::Transport(format!("connections/open: {}", e.without_url())))?
    {
        if bytes.len() + chunk.len() > OPEN_BODY_CAP {
            return Err(Failure::Transport(format!(
                "connections/open answered {status} with a body over {OPEN_BODY_CAP} bytes"
            )));
        }
        bytes.extend_from_slice(&chunk);
    }
    if !status.is_success() {
        let error: Option<OpenError> = serde_json::from_slice(&bytes).ok();
        let (code, message) = error.map(|e| (e.code, e.message)).unwrap_or_default();
        return Err(Failure::Rejected {
            status: status.as_u16(),
            code,
            message,
        });
    }
    serde_json::from_slice(&bytes)
        .map_err(|e| Failure::Transport(format!("connections/open answered without endpoint and ticket: {e}")))
}

#[cfg(feature = "tls-ring")]
async fn tls(tcp: tokio::net::TcpStream, host: &str) -> Result<Box<dyn Io>, Failure> {
    use std::sync::Arc;
    let mut config = crate::runtime::tls::ring_config().map_err(|e| Failure::Config(e.to_string()))?;
    // The WebSocket upgrade is an HTTP/1.1 request.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let name = rustls::pki_types::ServerName::try_from(host.to_owned())
        .map_err(|e| Failure::Transport(format!("bad TLS server name {host}: {e}")))?;
    let stream = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .map_err(|e| Failure::Transport(format!("TLS with {host} failed: {e}")))?;
    Ok(Box::new(stream))
}

#[cfg(not(feature = "tls-ring"))]
async fn tls(_tcp: tokio::net::TcpStream, _host: &str) -> Result<Box<dyn Io>, Failure> {
    Err(Failure::Config(
        "a wss:// stream endpoint needs the `tls-ring` feature of workapi".into(),
    ))
}

/// A tungstenite error's text. Safe to show: its URL errors do not quote the URL, and no other
/// variant carries the request, so the ticket cannot appear.
fn describe(e: &tungstenite::Error) -> String {
    e.to_string()
}
