//! What the application receives: a [`Delivery`] per accepted event, through a bounded
//! [`channel`] whose sending side never waits, so the vendor is answered at once.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use serde_json::{Map, Value};
use sha1::{Digest, Sha1};
use tokio::sync::mpsc;

use super::error::ReceiveError;
use super::xml;

/// Who pushed the event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Vendor {
    /// 企业微信: XML messages and events.
    WeCom,
    /// 钉钉 HTTP push: JSON events.
    DingTalk,
}

impl Vendor {
    /// `"wecom"` or `"dingtalk"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Vendor::WeCom => "wecom",
            Vendor::DingTalk => "dingtalk",
        }
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What identifies one event across the vendor's resends, as the vendors document it:
///
/// - WeCom messages: `MsgId` (接收消息与事件 概述: "有msgid的消息推荐使用msgid排重").
/// - WeCom events: `FromUserName` + `CreateTime` ("事件类型消息推荐使用FromUserName + CreateTime
///   排重"), with the event type and `ChangeType` added, so two different events of one user in
///   one second are not taken for a resend (a resend repeats all four).
/// - DingTalk: `eventId`, the event's unique id (the HTTP push examples carry it; the Stream
///   SDK names it "事件唯一Id").
/// - Otherwise (WeCom third-party instruction callbacks such as `suite_ticket`, DingTalk events
///   without `eventId`): the SHA-1 of the decrypted message, which a resend repeats exactly.
///
/// Keys longer than 128 bytes are kept as their SHA-1, so the window's memory stays bounded.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DedupKey(String);

impl DedupKey {
    const MAX_LEN: usize = 128;

    fn new(vendor: Vendor, kind: &str, parts: &[&str]) -> Self {
        // Each part is length-prefixed, so ("a:b", "c") and ("a", "b:c") differ.
        let mut key = format!("{vendor}:{kind}");
        for part in parts {
            key.push_str(&format!(":{}:{part}", part.len()));
        }
        if key.len() > Self::MAX_LEN {
            key = format!("{vendor}:{kind}:sha1:{}", hex_sha1(key.as_bytes()));
        }
        DedupKey(key)
    }

    fn of_payload(vendor: Vendor, payload: &str) -> Self {
        DedupKey(format!("{vendor}:payload:sha1:{}", hex_sha1(payload.as_bytes())))
    }

    /// The key as text, e.g. `wecom:msgid:19:4561255354251345929`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn hex_sha1(bytes: &[u8]) -> String {
    Sha1::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// One accepted event, verified and decrypted, handed to the application.
///
/// `Debug` shows the vendor, the event type and the dedup key, not the payload: some events
/// carry credentials (`SuiteTicket`, `AuthCode`, `suite_ticket`).
#[derive(Clone, PartialEq, Eq)]
pub struct Delivery {
    vendor: Vendor,
    payload: String,
    event_type: Option<String>,
    change_type: Option<String>,
    dedup_key: DedupKey,
    /// A WeCom third-party instruction callback (`InfoType`, no `MsgType`), which must be
    /// answered `success`.
    wecom_instruction: bool,
}

impl Delivery {
    /// Reads a decrypted WeCom message: its type, and its dedup key.
    ///
    /// The type is `Event` for events (`MsgType` `event`), else `MsgType` for messages
    /// (`text`, `image`, ...), else `InfoType` for third-party instruction callbacks.
    pub(crate) fn wecom(payload: String) -> Result<Self, ReceiveError> {
        let (_, children) = xml::parse_document(&payload).map_err(|reason| ReceiveError::Payload {
            vendor: Vendor::WeCom,
            reason,
        })?;
        let text = |name| xml::child_text(&children, name).filter(|t| !t.is_empty());
        let msg_type = text("MsgType");
        let event_type = match msg_type {
            Some("event") => text("Event"),
            Some(other) => Some(other),
            None => text("InfoType"),
        };
        let change_type = text("ChangeType");
        let wecom_instruction = msg_type.is_none() && text("InfoType").is_some();
        let dedup_key = if let Some(id) = text("MsgId") {
            DedupKey::new(Vendor::WeCom, "msgid", &[id])
        } else if let (Some(from), Some(at)) = (text("FromUserName"), text("CreateTime")) {
            DedupKey::new(
                Vendor::WeCom,
                "from",
                &[from, at, event_type.unwrap_or(""), change_type.unwrap_or("")],
            )
        } else {
            DedupKey::of_payload(Vendor::WeCom, &payload)
        };
        let event_type = event_type.map(str::to_owned);
        let change_type = change_type.map(str::to_owned);
        Ok(Delivery {
            vendor: Vendor::WeCom,
            payload,
            event_type,
            change_type,
            dedup_key,
            wecom_instruction,
        })
    }

    /// Reads a decrypted DingTalk event: `EventType`, and `eventId` for the dedup key.
    pub(crate) fn dingtalk(payload: String) -> Result<Self, ReceiveError> {
        let object = dingtalk_object(&payload)?;
        let text = |name| object.get(name).and_then(Value::as_str).filter(|t| !t.is_empty());
        let event_type = text("EventType").map(str::to_owned);
        let dedup_key = match text("eventId") {
            Some(id) => DedupKey::new(Vendor::DingTalk, "eventid", &[id]),
            None => DedupKey::of_payload(Vendor::DingTalk, &payload),
        };
        Ok(Delivery {
            vendor: Vendor::DingTalk,
            payload,
            event_type,
            change_type: None,
            dedup_key,
            wecom_instruction: false,
        })
    }

    /// Whether the vendor must be answered `success` (WeCom instruction callbacks).
    pub(crate) fn is_wecom_instruction(&self) -> bool {
        self.wecom_instruction
    }

    /// Who pushed it.
    pub fn vendor(&self) -> Vendor {
        self.vendor
    }

    /// The decrypted message: WeCom XML, DingTalk JSON. Some events carry credentials
    /// (`SuiteTicket`, `AuthCode`): do not log it whole.
    pub fn payload(&self) -> &str {
        &self.payload
    }

    /// The event type: WeCom `Event` (events), `MsgType` (messages) or `InfoType`
    /// (third-party instruction callbacks); DingTalk `EventType`. `None` when the message has
    /// none.
    pub fn event_type(&self) -> Option<&str> {
        self.event_type.as_deref()
    }

    /// WeCom's `ChangeType` (`create_user`, `update_party`, ...) when the event has one.
    pub fn change_type(&self) -> Option<&str> {
        self.change_type.as_deref()
    }

    /// The WeCom push as its typed event, generated from the spec (`Event::Unknown` for a push the
    /// spec does not list); `None` for a DingTalk delivery.
    #[cfg(feature = "wecom")]
    pub fn wecom_event(&self) -> Option<Result<crate::wecom::Event, crate::events::EventError>> {
        (self.vendor == Vendor::WeCom).then(|| crate::wecom::Event::from_xml(&self.payload))
    }

    /// The DingTalk push as its typed event, generated from the spec (`Event::Unknown` for a push
    /// the spec does not list); `None` for a WeCom delivery.
    #[cfg(feature = "dingtalk")]
    pub fn dingtalk_event(&self) -> Option<Result<crate::dingtalk::Event, crate::events::EventError>> {
        (self.vendor == Vendor::DingTalk).then(|| crate::dingtalk::Event::from_json(&self.payload))
    }

    /// The key this event was deduplicated by.
    pub fn dedup_key(&self) -> &DedupKey {
        &self.dedup_key
    }

    /// The message's fields as JSON, untyped: WeCom's elements (text as strings, nested
    /// elements as objects, repeated ones as arrays), DingTalk's JSON object as it is.
    pub fn fields(&self) -> Map<String, Value> {
        match self.vendor {
            // Both parses succeeded when the delivery was made; the payload has not changed.
            Vendor::WeCom => xml::parse_document(&self.payload)
                .map(|(_, children)| xml::children_to_json(&children))
                .unwrap_or_default(),
            Vendor::DingTalk => dingtalk_object(&self.payload).unwrap_or_default(),
        }
    }
}

fn dingtalk_object(payload: &str) -> Result<Map<String, Value>, ReceiveError> {
    serde_json::from_str::<Map<String, Value>>(payload).map_err(|_| ReceiveError::Payload {
        vendor: Vendor::DingTalk,
        reason: "not a JSON object".to_owned(),
    })
}

impl fmt::Debug for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Delivery")
            .field("vendor", &self.vendor)
            .field("event_type", &self.event_type)
            .field("change_type", &self.change_type)
            .field("dedup_key", &self.dedup_key)
            .field("payload_len", &self.payload.len())
            .finish()
    }
}

/// A bounded queue of deliveries: give the sender to one or more
/// [`Receiver`](super::Receiver)s, read the [`Deliveries`] in the application.
///
/// The receivers never wait on it: when it is full they answer the vendor 503, and the vendor
/// resends later. Size it for a burst.
pub fn channel(capacity: usize) -> (DeliverySender, Deliveries) {
    let (tx, rx) = mpsc::channel(capacity.max(1));
    (DeliverySender(tx), Deliveries(rx))
}

/// The sending side of [`channel`]; cheap to clone.
#[derive(Clone, Debug)]
pub struct DeliverySender(mpsc::Sender<Delivery>);

impl DeliverySender {
    /// Hands `delivery` over without waiting.
    pub(crate) fn try_send(&self, delivery: Delivery) -> Result<(), ReceiveError> {
        let vendor = delivery.vendor;
        self.0.try_send(delivery).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => ReceiveError::QueueFull { vendor },
            mpsc::error::TrySendError::Closed(_) => ReceiveError::QueueClosed { vendor },
        })
    }
}

/// The application's side of [`channel`]: each accepted event once, in arrival order. Also a
/// [`futures::Stream`].
#[derive(Debug)]
pub struct Deliveries(mpsc::Receiver<Delivery>);

impl Deliveries {
    /// The next delivery; `None` once every sender is gone and the queue is empty.
    pub async fn recv(&mut self) -> Option<Delivery> {
        self.0.recv().await
    }

    /// The next delivery if one is waiting, without waiting.
    pub fn try_recv(&mut self) -> Option<Delivery> {
        self.0.try_recv().ok()
    }
}

impl futures::Stream for Deliveries {
    type Item = Delivery;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Delivery>> {
        self.0.poll_recv(cx)
    }
}
