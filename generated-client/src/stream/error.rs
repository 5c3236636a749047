//! [`StreamError`]: what went wrong on a Stream-mode connection, without the client secret or
//! the connection ticket (neither is ever part of a message here).

/// An error of [`super::EventStream`]. Terminal errors (the stream ends after them) are the ones
/// [`StreamError::is_terminal`] names; the others are reported and the client reconnects.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StreamError {
    /// The settings cannot work (a bad open URL, `wss://` without a TLS backend).
    #[error("stream settings: {0}")]
    Config(String),
    /// `connections/open` answered with an error status, `attempts` times in a row.
    #[error(
        "connections/open refused the credentials or request: HTTP {status}{}{} (after {attempts} attempts)",
        code.as_deref().map(|c| format!(", code {c}")).unwrap_or_default(),
        message.as_deref().map(|m| format!(": {m}")).unwrap_or_default()
    )]
    OpenRejected {
        /// The HTTP status.
        status: u16,
        /// DingTalk's error `code`, when the body had one.
        code: Option<String>,
        /// DingTalk's error `message`, when the body had one.
        message: Option<String>,
        /// How many opens were tried.
        attempts: u32,
    },
    /// `connections/open` or the WebSocket could not be reached, or answered something
    /// unusable, `attempts` times in a row.
    #[error("cannot connect to the DingTalk stream gateway after {attempts} attempts: {reason}")]
    Connect {
        /// The last failure, without URL or ticket.
        reason: String,
        /// How many connection attempts were made.
        attempts: u32,
    },
    /// The WebSocket handshake was refused (a wrong or expired ticket gets 401/403), `attempts`
    /// times in a row, each time with a fresh ticket.
    #[error("the stream gateway refused the WebSocket handshake: HTTP {status} (after {attempts} attempts)")]
    HandshakeRejected {
        /// The HTTP status of the refusal.
        status: u16,
        /// How many tickets were tried.
        attempts: u32,
    },
    /// A message larger than the frame cap arrived: it was not read into memory, the
    /// connection was dropped and is opened again (the gateway redelivers what was not
    /// acknowledged, so the same message may be refused again).
    #[error("a stream message over the {limit}-byte cap was refused")]
    FrameTooLarge {
        /// The cap, in bytes ([`super::StreamClientBuilder::max_frame_size`]).
        limit: usize,
    },
    /// A frame that is not the gateway's JSON data frame; it was skipped and not acknowledged.
    #[error("a stream frame was not understood: {0}")]
    BadFrame(String),
}

impl StreamError {
    /// Whether the stream ends after this error (retries spent, or settings that cannot work).
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            StreamError::Config(_)
                | StreamError::OpenRejected { .. }
                | StreamError::Connect { .. }
                | StreamError::HandshakeRejected { .. }
        )
    }
}
