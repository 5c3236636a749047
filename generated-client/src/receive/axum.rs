//! The [`Receiver`] as an axum handler: reads the body up to the receiver's cap, then answers
//! as [`Receiver::respond`] does.

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::any;
use http::header;
use http_body_util::{BodyExt as _, LengthLimitError, Limited};

use super::error::ReceiveError;
use super::handler::Receiver;

/// A router serving `receiver` on `path` (every method: the receiver answers 405 itself).
/// Merge several into one app:
///
/// ```no_run
/// # async fn demo(wecom: workapi::receive::Receiver, dingtalk: workapi::receive::Receiver) -> std::io::Result<()> {
/// use workapi::receive::axum::router;
///
/// let app = router("/wecom", wecom).merge(router("/dingtalk", dingtalk));
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8787").await?;
/// axum::serve(listener, app).await
/// # }
/// ```
pub fn router(path: &str, receiver: Receiver) -> Router {
    Router::new().route(path, any(handle)).with_state(receiver)
}

/// The axum handler, for routers you build yourself (`State` is the [`Receiver`]).
pub async fn handle(State(receiver): State<Receiver>, request: Request) -> Response {
    let max = receiver.max_body_len();
    let vendor = receiver.vendor();
    let (parts, body) = request.into_parts();
    // A declared length over the cap is refused before anything is read.
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if let Some(len) = declared.filter(|&len| len > max) {
        return receiver
            .reject(&ReceiveError::BodyTooLarge { vendor, len, max })
            .map(Body::from);
    }
    let bytes = match Limited::new(body, max).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) => {
            let error = if error.downcast_ref::<LengthLimitError>().is_some() {
                ReceiveError::BodyTooLarge {
                    vendor,
                    len: max.saturating_add(1),
                    max,
                }
            } else {
                ReceiveError::BodyUnreadable { vendor }
            };
            return receiver.reject(&error).map(Body::from);
        }
    };
    let request = Request::from_parts(parts, bytes);
    receiver.respond(&request).map(Body::from)
}
