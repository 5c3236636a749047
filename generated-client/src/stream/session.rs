//! The background task behind an [`super::EventStream`]: connect, read frames, answer pings,
//! hand events to the application's buffer and acknowledge them, skip redeliveries, and
//! reconnect with capped, jittered backoff after a drop or a `disconnect` message.

use std::collections::{HashSet, VecDeque};
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::{self, Message};

use super::connect::{Failure, Socket, connect};
use super::frame::{self, DataFrame, MessageKind, StreamEvent};
use super::{StreamError, StreamSettings};

type Sender = mpsc::Sender<Result<StreamEvent, StreamError>>;

/// Why a connection ended.
enum Ended {
    /// The gateway asked for a new connection (`disconnect`): reconnect at once.
    Disconnect,
    /// The connection broke or went silent: reconnect after a backoff.
    Dropped,
    /// The application dropped the stream: stop.
    Closed,
}

/// Runs until the application drops its stream or a terminal error.
pub(crate) async fn run(settings: StreamSettings, tx: Sender) {
    let mut seen = Seen::new(settings.dedup_capacity);
    let mut failures: u32 = 0;
    loop {
        let socket = tokio::select! {
            result = connect(&settings) => result,
            () = tx.closed() => return,
        };
        let socket = match socket {
            Ok(socket) => {
                failures = 0;
                socket
            }
            Err(failure) => {
                failures += 1;
                let last = failures >= settings.max_attempts;
                if let Failure::Config(message) = failure {
                    let _ = tx.send(Err(StreamError::Config(message))).await;
                    return;
                }
                if last {
                    let _ = tx.send(Err(terminal(failure, failures))).await;
                    return;
                }
                tracing::warn!(attempt = failures, error = ?failure, "DingTalk stream connection failed; retrying");
                if !pause(&settings, failures, &tx).await {
                    return;
                }
                continue;
            }
        };
        tracing::info!("DingTalk stream connected");
        match serve(socket, &settings, &tx, &mut seen).await {
            Ended::Closed => return,
            Ended::Disconnect => tracing::info!("DingTalk stream gateway asked to reconnect"),
            Ended::Dropped => {
                // Counted as one failure, so a gateway that drops every connection at once
                // still meets the backoff (and the attempt cap leaves it to the application).
                failures += 1;
                if !pause(&settings, failures, &tx).await {
                    return;
                }
            }
        }
    }
}

/// The terminal error after the last failed attempt.
fn terminal(failure: Failure, attempts: u32) -> StreamError {
    match failure {
        Failure::Rejected { status, code, message } => StreamError::OpenRejected {
            status,
            code,
            message,
            attempts,
        },
        Failure::Handshake { status } => StreamError::HandshakeRejected { status, attempts },
        Failure::Transport(reason) => StreamError::Connect { reason, attempts },
        Failure::Config(message) => StreamError::Config(message),
    }
}

/// Sleeps the backoff before attempt `failures + 1`; `false` if the application left meanwhile.
async fn pause(settings: &StreamSettings, failures: u32, tx: &Sender) -> bool {
    let delay = backoff(settings.initial_backoff, settings.max_backoff, failures);
    tokio::select! {
        () = tokio::time::sleep(delay) => true,
        () = tx.closed() => false,
    }
}

/// Full jitter (as smithy-rs and the AWS architecture blog): a random delay in
/// `[0, min(cap, initial * 2^(n-1))]`, so many clients dropped together do not return together.
pub(crate) fn backoff(initial: Duration, cap: Duration, failures: u32) -> Duration {
    let exp = initial
        .saturating_mul(1u32 << failures.saturating_sub(1).min(20))
        .min(cap);
    // A random u64 from std's per-process SipHash keys: no RNG dependency for a jitter.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(failures);
    let fraction = (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64;
    exp.mul_f64(fraction)
}

/// Reads one connection until it ends.
async fn serve(mut socket: Socket, settings: &StreamSettings, tx: &Sender, seen: &mut Seen) -> Ended {
    let mut ping_sent = false;
    loop {
        let next = tokio::select! {
            next = tokio::time::timeout(settings.keepalive, socket.next()) => next,
            () = tx.closed() => {
                let _ = socket.close(None).await;
                return Ended::Closed;
            }
        };
        let message = match next {
            // Silent for a keepalive period: ping once, and drop the connection if the next
            // period is silent too (the Go SDK pings after 120 s idle and waits 5 s).
            Err(_) if !ping_sent => {
                ping_sent = true;
                if socket.send(Message::Ping(Vec::new().into())).await.is_err() {
                    return Ended::Dropped;
                }
                continue;
            }
            Err(_) => {
                tracing::warn!("DingTalk stream connection silent after a ping; reconnecting");
                return Ended::Dropped;
            }
            Ok(None) => return Ended::Dropped,
            Ok(Some(Err(tungstenite::Error::Capacity(e)))) => {
                tracing::warn!(error = %e, "DingTalk stream message over the cap; reconnecting");
                report(
                    tx,
                    StreamError::FrameTooLarge {
                        limit: settings.max_frame_size,
                    },
                );
                return Ended::Dropped;
            }
            Ok(Some(Err(e))) => {
                tracing::warn!(error = %e, "DingTalk stream connection broke; reconnecting");
                return Ended::Dropped;
            }
            Ok(Some(Ok(message))) => message,
        };
        ping_sent = false;
        let text = match message {
            Message::Text(text) => text,
            Message::Close(_) => return Ended::Dropped,
            // Pongs are answered by tungstenite; binary frames are not part of the protocol.
            _ => continue,
        };
        let frame: DataFrame = match serde_json::from_str(text.as_str()) {
            Ok(frame) => frame,
            Err(e) => {
                report(tx, StreamError::BadFrame(format!("not a JSON data frame: {e}")));
                continue;
            }
        };
        let reply = match frame.kind.as_str() {
            "SYSTEM" => match frame.header("topic").as_deref() {
                Some("ping") => {
                    // Echo the ping's data, as every SDK does.
                    let id = frame.header("messageId").unwrap_or_default();
                    Some(frame::ack(&id, frame.data.as_deref().unwrap_or_default()))
                }
                Some("disconnect") => {
                    let _ = socket.close(None).await;
                    return Ended::Disconnect;
                }
                other => {
                    tracing::debug!(topic = ?other, "DingTalk stream system message ignored");
                    None
                }
            },
            "EVENT" => match deliver(MessageKind::Event, &frame, tx, seen).await {
                Delivered::Ack(ack) => Some(ack),
                Delivered::Skip => None,
                Delivered::Closed => return Ended::Closed,
            },
            "CALLBACK" => match deliver(MessageKind::Callback, &frame, tx, seen).await {
                Delivered::Ack(ack) => Some(ack),
                Delivered::Skip => None,
                Delivered::Closed => return Ended::Closed,
            },
            other => {
                report(tx, StreamError::BadFrame(format!("unknown frame type `{other}`")));
                None
            }
        };
        if let Some(reply) = reply
            && socket.send(Message::text(reply)).await.is_err()
        {
            return Ended::Dropped;
        }
    }
}

enum Delivered {
    Ack(String),
    Skip,
    Closed,
}

/// Hands an event to the application (unless it is a redelivery) and returns its ack. The ack
/// is made only once the event sits in the buffer: an event the gateway considers acknowledged
/// is one the application will read.
async fn deliver(kind: MessageKind, frame: &DataFrame, tx: &Sender, seen: &mut Seen) -> Delivered {
    let Some(event) = StreamEvent::from_frame(kind, frame) else {
        report(tx, StreamError::BadFrame("a data frame without messageId".into()));
        return Delivered::Skip;
    };
    let data = match kind {
        MessageKind::Event => frame::EVENT_ACK_DATA,
        MessageKind::Callback => frame::CALLBACK_ACK_DATA,
    };
    let ack = frame::ack(event.message_id(), data);
    let key = event.dedup_key();
    if seen.contains(&key) {
        tracing::debug!(key, "DingTalk stream redelivery acknowledged, not delivered again");
        return Delivered::Ack(ack);
    }
    // Waits while the buffer is full: the gateway then sees no ack and redelivers later, which
    // is the back-pressure the protocol has.
    if tx.send(Ok(event)).await.is_err() {
        return Delivered::Closed;
    }
    seen.insert(key);
    Delivered::Ack(ack)
}

/// Reports a non-terminal error if there is room; never waits (the events matter more).
fn report(tx: &Sender, error: StreamError) {
    tracing::warn!(%error, "DingTalk stream");
    let _ = tx.try_send(Err(error));
}

/// The keys of the last delivered events, oldest first, at most `capacity` of them.
struct Seen {
    capacity: usize,
    keys: HashSet<String>,
    order: VecDeque<String>,
}

impl Seen {
    fn new(capacity: usize) -> Self {
        Seen {
            capacity: capacity.max(1),
            keys: HashSet::new(),
            order: VecDeque::new(),
        }
    }

    fn contains(&self, key: &str) -> bool {
        self.keys.contains(key)
    }

    fn insert(&mut self, key: String) {
        while self.order.len() >= self.capacity {
            if let Some(oldest) = self.order.pop_front() {
                self.keys.remove(&oldest);
            }
        }
        if self.keys.insert(key.clone()) {
            self.order.push_back(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_capped_and_jittered() {
        let (initial, cap) = (Duration::from_millis(100), Duration::from_secs(5));
        for n in 1..40 {
            let d = backoff(initial, cap, n);
            assert!(d <= cap && d <= initial * 2u32.pow(n.min(20) - 1).max(1), "{n}: {d:?}");
        }
        let delays: HashSet<_> = (0..20).map(|_| backoff(initial, cap, 10)).collect();
        assert!(delays.len() > 1, "no jitter: {delays:?}");
    }

    #[test]
    fn seen_keeps_the_newest_keys() {
        let mut seen = Seen::new(3);
        for i in 0..10 {
            seen.insert(format!("k{i}"));
        }
        assert!(!seen.contains("k6"));
        assert!((7..10).all(|i| seen.contains(&format!("k{i}"))));
        assert_eq!(seen.order.len(), 3);
    }
}
