//! `events`: the generated event decoders on any text, as a push either vendor could send (the
//! first byte picks the vendor: even WeCom XML, odd DingTalk JSON; the rest is the text). Checked:
//! no panic; a push the spec does not list comes back `Unknown` with the text unchanged; a decoded
//! event serialises to JSON; decoding is deterministic.

use workapi::events::{EventError, MAX_EVENT_BYTES};
use workapi::{dingtalk, wecom};

/// Runs the target on one input; true if the text decoded to an event the spec lists.
pub fn check(data: &[u8]) -> bool {
    let Some((&selector, rest)) = data.split_first() else {
        return false;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return false;
    };
    let (known, unknown_raw, json) = if selector % 2 == 0 {
        let first = wecom::Event::from_xml(text);
        assert_eq!(first, wecom::Event::from_xml(text), "decoding is deterministic");
        outcome(first, |e| match e {
            wecom::Event::Unknown(u) => Err(u.raw.clone()),
            e => Ok(serde_json::to_value(e).expect("an event serialises")),
        })
    } else {
        let first = dingtalk::Event::from_json(text);
        assert_eq!(first, dingtalk::Event::from_json(text), "decoding is deterministic");
        outcome(first, |e| match e {
            dingtalk::Event::Unknown(u) => Err(u.raw.clone()),
            e => Ok(serde_json::to_value(e).expect("an event serialises")),
        })
    };
    if let Some(raw) = unknown_raw {
        assert_eq!(raw, text, "Unknown keeps the push's text unchanged");
    }
    if let Some(json) = json {
        assert!(json.is_object(), "an event serialises as an object of its fields");
    }
    known
}

/// (decoded a listed event, the raw text of an `Unknown`, the JSON of a listed event).
fn outcome<E>(
    result: Result<E, EventError>,
    split: impl Fn(&E) -> Result<serde_json::Value, String>,
) -> (bool, Option<String>, Option<serde_json::Value>) {
    match result {
        Ok(e) => match split(&e) {
            Ok(json) => (true, None, Some(json)),
            Err(raw) => (false, Some(raw), None),
        },
        Err(EventError::TooLarge { len, max }) => {
            assert!(len > max && max == MAX_EVENT_BYTES, "TooLarge only past the cap");
            (false, None, None)
        }
        Err(e) => {
            // Error texts stay short whatever the input (no echo of a whole push).
            assert!(
                e.to_string().len() < 4096,
                "error text is bounded: {} bytes",
                e.to_string().len()
            );
            (false, None, None)
        }
    }
}
