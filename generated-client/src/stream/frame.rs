//! The gateway's wire format: the data frames it sends (`SYSTEM`, `EVENT`, `CALLBACK`), the
//! acknowledgement frames the client answers with, and [`StreamEvent`], what the application
//! gets. The DingTalk pages show only the SDKs' calls; the field names and the ack shape follow
//! the official SDKs (dingtalk-stream-sdk-go `payload/data_frame.go`, -python `frames.py`).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::UnixMillis;

/// A frame from the gateway: `{"specVersion", "type", "headers": {..}, "data": "<json text>"}`.
#[derive(Debug, Deserialize)]
pub(crate) struct DataFrame {
    #[serde(rename = "type", default)]
    pub(crate) kind: String,
    #[serde(default)]
    pub(crate) headers: BTreeMap<String, Value>,
    /// JSON text inside the JSON frame (the SDKs decode it a second time).
    #[serde(default)]
    pub(crate) data: Option<String>,
}

impl DataFrame {
    /// A header as text: the gateway sends strings, `time` sometimes as a number.
    pub(crate) fn header(&self, name: &str) -> Option<String> {
        match self.headers.get(name)? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }
}

/// The acknowledgement of one message: `{"code": 200, "headers": {"contentType", "messageId"},
/// "message": "OK", "data": "<json text>"}`, as the SDKs send it.
pub(crate) fn ack(message_id: &str, data: &str) -> String {
    serde_json::json!({
        "code": 200,
        "headers": {"contentType": "application/json", "messageId": message_id},
        "message": "OK",
        "data": data,
    })
    .to_string()
}

/// The data of an `EVENT` ack: the SDKs' `EventAckStatus.SUCCESS` (the gateway redelivers a
/// `LATER`, which this client never sends: the event is already in the application's buffer).
pub(crate) const EVENT_ACK_DATA: &str = r#"{"status":"SUCCESS","message":"success"}"#;

/// The data of a `CALLBACK` ack: an empty `response` (the application answers a bot or card
/// callback with an API call of its own; the Stream seam here only receives).
pub(crate) const CALLBACK_ACK_DATA: &str = r#"{"response":{}}"#;

/// Which kind of subscription a message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MessageKind {
    /// An open-platform event (`EVENT`: the events of the 事件订阅 pages).
    Event,
    /// A callback (`CALLBACK`: a robot message, an interactive-card callback, ...).
    Callback,
}

/// One event or callback from the Stream gateway: its headers and its JSON data.
///
/// The typed DingTalk event is made from [`StreamEvent::event_type`] and [`StreamEvent::data`]
/// (the same seam as an HTTP-push delivery); unknown types stay readable as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamEvent {
    pub(crate) kind: MessageKind,
    pub(crate) message_id: String,
    pub(crate) topic: Option<String>,
    pub(crate) event_id: Option<String>,
    pub(crate) event_type: Option<String>,
    pub(crate) born_time: Option<UnixMillis>,
    pub(crate) corp_id: Option<String>,
    pub(crate) headers: BTreeMap<String, String>,
    pub(crate) raw_data: String,
    pub(crate) data: Value,
}

impl StreamEvent {
    /// `EVENT` or `CALLBACK`.
    pub fn kind(&self) -> MessageKind {
        self.kind
    }
    /// The gateway's `messageId`, different for each delivery of the same event.
    pub fn message_id(&self) -> &str {
        &self.message_id
    }
    /// The `topic` header: `*`-subscribed events carry their event type, callbacks their path
    /// (`/v1.0/im/bot/messages/get`).
    pub fn topic(&self) -> Option<&str> {
        self.topic.as_deref()
    }
    /// The `eventId` header, the same in every redelivery of the event.
    pub fn event_id(&self) -> Option<&str> {
        self.event_id.as_deref()
    }
    /// The `eventType` header (`user_add_org`, `bpms_instance_change`, ...).
    pub fn event_type(&self) -> Option<&str> {
        self.event_type.as_deref()
    }
    /// The `eventBornTime` header: when DingTalk made the event.
    pub fn born_time(&self) -> Option<UnixMillis> {
        self.born_time
    }
    /// The `eventCorpId` header: the corp the event belongs to.
    pub fn corp_id(&self) -> Option<&str> {
        self.corp_id.as_deref()
    }
    /// Every header as the gateway sent it (numbers as their JSON text).
    pub fn headers(&self) -> &BTreeMap<String, String> {
        &self.headers
    }
    /// The data as JSON; a string holding the raw text if the text was not JSON.
    pub fn data(&self) -> &Value {
        &self.data
    }
    /// The data as the gateway sent it (JSON text).
    pub fn raw_data(&self) -> &str {
        &self.raw_data
    }

    /// The event typed by the spec's DingTalk events (`dingtalk::Event`, `Unknown` for a type the
    /// spec does not list): the data, with the `eventType` header as its `EventType` field as an
    /// HTTP push carries it. `None` for a callback, or data that is not a JSON object.
    #[cfg(feature = "dingtalk")]
    pub fn dingtalk_event(&self) -> Option<Result<crate::dingtalk::Event, crate::events::EventError>> {
        if self.kind != MessageKind::Event {
            return None;
        }
        let mut object = self.data.as_object()?.clone();
        if let Some(event_type) = &self.event_type {
            object
                .entry("EventType")
                .or_insert_with(|| Value::from(event_type.as_str()));
        }
        let text = serde_json::to_string(&Value::Object(object)).ok()?;
        Some(crate::dingtalk::Event::from_json(&text))
    }

    /// The key redeliveries are recognised by: the `eventId` (stable across redeliveries) for
    /// events, else the `messageId`.
    pub(crate) fn dedup_key(&self) -> String {
        match (&self.kind, &self.event_id) {
            (MessageKind::Event, Some(id)) => format!("event:{id}"),
            _ => format!("message:{}", self.message_id),
        }
    }

    /// An `EVENT` or `CALLBACK` frame as the application sees it; `None` for a frame with no
    /// `messageId` (it cannot be acknowledged, so it is refused as a bad frame).
    pub(crate) fn from_frame(kind: MessageKind, frame: &DataFrame) -> Option<StreamEvent> {
        let message_id = frame.header("messageId")?;
        let raw_data = frame.data.clone().unwrap_or_default();
        let data = if raw_data.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&raw_data).unwrap_or_else(|_| Value::String(raw_data.clone()))
        };
        Some(StreamEvent {
            kind,
            message_id,
            topic: frame.header("topic"),
            event_id: frame.header("eventId"),
            event_type: frame.header("eventType"),
            born_time: frame
                .header("eventBornTime")
                .and_then(|t| t.parse().ok())
                .map(UnixMillis),
            corp_id: frame.header("eventCorpId"),
            headers: frame
                .headers
                .keys()
                .filter_map(|k| Some((k.clone(), frame.header(k)?)))
                .collect(),
            raw_data,
            data,
        })
    }
}
