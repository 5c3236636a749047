//! Pushed events, over every event of the spec: its page's example decodes into its own variant
//! and every field of the example lands; a push the spec does not list is `Unknown` with its raw
//! text; hostile text (truncated, too large, too deep, wrong types) is a typed error.

use crate::support::spec;
use serde_json::Value;
use workapi::events::{EventError, MAX_EVENT_BYTES, UnknownEvent};
use workapi::{dingtalk, wecom};
use workapi_codegen::model::{Event, Module, PushFormat, Type, Vendor};

/// What decoding a push gave, in vendor-neutral terms.
#[derive(Debug)]
enum Decoded {
    Known { id: &'static str, json: Value },
    Unknown(UnknownEvent),
}

/// Decodes `text` with the vendor's generated entry point.
fn decode(vendor: &str, text: &str) -> Result<Decoded, EventError> {
    fn known(id: Option<&'static str>, json: Result<Value, serde_json::Error>) -> Decoded {
        Decoded::Known {
            id: id.expect("a listed event has an id"),
            json: json.expect("an event serialises"),
        }
    }
    match vendor {
        "wecom" => wecom::Event::from_xml(text).map(|e| match e {
            wecom::Event::Unknown(u) => Decoded::Unknown(u),
            e => known(e.id(), serde_json::to_value(&e)),
        }),
        "dingtalk" => dingtalk::Event::from_json(text).map(|e| match e {
            dingtalk::Event::Unknown(u) => Decoded::Unknown(u),
            e => known(e.id(), serde_json::to_value(&e)),
        }),
        other => panic!("vendor {other} has events: add its decoding entry point to tests/suite/events.rs"),
    }
}

/// Every event of the spec, with its vendor and module.
fn all_events() -> Vec<(&'static Vendor, &'static Module, &'static Event)> {
    let out: Vec<_> = spec()
        .vendors
        .iter()
        .filter(|v| v.events.is_some())
        .flat_map(|v| {
            v.modules
                .iter()
                .flat_map(move |m| m.events.iter().map(move |e| (v, m, e)))
        })
        .collect();
    assert!(!out.is_empty(), "the spec has events");
    out
}

#[test]
fn every_example_decodes_into_its_own_variant_with_every_field() {
    for (v, _, e) in all_events() {
        let decoded = decode(&v.name, &e.example.payload)
            .unwrap_or_else(|err| panic!("{} event {}: the page's example does not decode: {err}", v.name, e.id));
        let Decoded::Known { id, json } = decoded else {
            panic!("{} event {}: the example decoded as Unknown", v.name, e.id);
        };
        assert_eq!(id, e.id.as_str(), "{} event {} decoded as another event", v.name, e.id);
        // The example read by its types (numbers as numbers) is what the event serialises to:
        // every field landed, none was dropped or changed.
        assert_eq!(
            json, e.example.value,
            "{} event {}: fields lost or changed",
            v.name, e.id
        );
    }
}

#[test]
fn event_ids_list_every_event_of_the_spec_in_order() {
    for (vname, ids) in [("wecom", wecom::EVENT_IDS), ("dingtalk", dingtalk::EVENT_IDS)] {
        let spec_ids: Vec<&str> = all_events()
            .into_iter()
            .filter(|(v, _, _)| v.name == *vname)
            .map(|(_, _, e)| e.id.as_str())
            .collect();
        assert_eq!(ids, spec_ids.as_slice(), "{vname}::EVENT_IDS");
    }
}

#[test]
fn a_push_the_spec_does_not_list_is_unknown_with_its_raw_text() {
    for v in spec().vendors.iter().filter(|v| v.events.is_some()) {
        let format = v.events.as_ref().expect("filtered");
        let Some(e) = v.modules.iter().flat_map(|m| m.events.iter()).next() else {
            continue;
        };
        // The most specific discriminator gets a value no event has.
        let (name, value) = e.on.last().expect("an event has a discriminator");
        assert_eq!(
            e.example.payload.matches(value.as_str()).count(),
            1,
            "{value} appears once"
        );
        let text = e.example.payload.replace(value.as_str(), "not_in_the_spec");
        match decode(&v.name, &text) {
            Ok(Decoded::Unknown(u)) => {
                assert_eq!(u.raw, text, "{}: Unknown keeps the raw text", v.name);
                assert_eq!(u.discriminators.get(name).map(String::as_str), Some("not_in_the_spec"));
                for (k, want) in &e.on {
                    if k != name {
                        assert_eq!(
                            u.discriminators.get(k),
                            Some(want),
                            "{}: discriminator {k} kept",
                            v.name
                        );
                    }
                }
                let printed = serde_json::to_value(&u).unwrap();
                assert_eq!(printed["raw"], Value::String(text.clone()));
            }
            other => panic!("{}: an unlisted event gave {other:?}", v.name),
        }
        // A push without any discriminator is Unknown too, with none found.
        let bare = match format.format {
            PushFormat::Xml => "<xml><ToUserName>x</ToUserName></xml>",
            PushFormat::Json => r#"{"CorpId": "x"}"#,
        };
        match decode(&v.name, bare) {
            Ok(Decoded::Unknown(u)) => assert!(u.discriminators.is_empty()),
            other => panic!("{}: a push without discriminators gave {other:?}", v.name),
        }
    }
}

/// Replaces the value of top-level field `wire` of a push with `bad`.
fn with_field(format: PushFormat, text: &str, wire: &str, bad: &str) -> String {
    match format {
        PushFormat::Xml => {
            let (open, close) = (format!("<{wire}>"), format!("</{wire}>"));
            let start = text.find(&open).expect("the field is in the example") + open.len();
            let end = start + text[start..].find(&close).expect("closed");
            format!("{}{bad}{}", &text[..start], &text[end..])
        }
        PushFormat::Json => {
            let mut v: Value = serde_json::from_str(text).unwrap();
            v[wire] = Value::String(bad.to_owned());
            v.to_string()
        }
    }
}

#[test]
fn a_field_of_the_wrong_type_is_an_error_naming_the_event_and_the_field() {
    for (v, m, e) in all_events() {
        let format = v.events.as_ref().unwrap().format;
        let example = e.example.value.as_object().unwrap();
        // Every numeric field of the event that the example carries.
        let numeric: Vec<&str> = m
            .strukt(e.strukt)
            .fields
            .iter()
            .filter(|f| matches!(f.ty, Type::Int(_) | Type::UnixSeconds | Type::UnixMillis))
            .filter(|f| example.contains_key(f.wire.as_str()))
            .map(|f| f.wire.as_str())
            .collect();
        assert!(
            !numeric.is_empty(),
            "{} event {} has a numeric field to break",
            v.name,
            e.id
        );
        for wire in numeric {
            let text = with_field(format, &e.example.payload, wire, "twelve");
            match decode(&v.name, &text) {
                Err(EventError::Field { event, field, reason }) => {
                    assert_eq!(event, e.id.as_str());
                    assert_eq!(field, wire, "{} event {}", v.name, e.id);
                    assert!(reason.contains("twelve"), "the reason quotes the value: {reason}");
                }
                other => panic!("{} event {} with {wire} = twelve gave {other:?}", v.name, e.id),
            }
        }
    }
}

#[test]
fn hostile_text_is_a_typed_error() {
    for (v, _, e) in all_events() {
        let payload = e.example.payload.trim_end();
        // Cut anywhere before the end, the text is not a document.
        for cut in [payload.len() / 2, payload.len() - 1] {
            let cut = (0..=cut).rev().find(|i| payload.is_char_boundary(*i)).unwrap();
            match decode(&v.name, &payload[..cut]) {
                Err(EventError::Malformed { .. }) => {}
                other => panic!("{} event {} cut at {cut} gave {other:?}", v.name, e.id),
            }
        }
    }
    for (vendor, format) in [("wecom", PushFormat::Xml), ("dingtalk", PushFormat::Json)] {
        // Past the cap: refused before parsing, whatever it holds.
        let huge = "<".repeat(MAX_EVENT_BYTES + 1);
        let started = std::time::Instant::now();
        assert_eq!(
            decode(vendor, &huge).unwrap_err(),
            EventError::TooLarge {
                len: MAX_EVENT_BYTES + 1,
                max: MAX_EVENT_BYTES
            }
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        let hostile: Vec<String> = match format {
            PushFormat::Xml => vec![
                format!("<xml>{}</xml>", "<a>".repeat(10_000)),
                format!("<xml>{}{}</xml>", "<a>".repeat(100), "</a>".repeat(100)),
                "<!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><xml><Event>&b;</Event></xml>"
                    .to_owned(),
                "<xml><Event>&unknown;</Event></xml>".to_owned(),
                "<xml><Event>a</Event></xml><xml/>".to_owned(),
                "not xml at all".to_owned(),
                String::new(),
            ],
            PushFormat::Json => vec![
                format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
                "[1, 2]".to_owned(),
                "\"EventType\"".to_owned(),
                "{\"EventType\": \"user_add_org\"".to_owned(),
                String::new(),
            ],
        };
        for text in hostile {
            match decode(vendor, &text) {
                Err(EventError::Malformed { format: f, reason }) => {
                    assert!(!reason.is_empty());
                    assert_eq!(f, if format == PushFormat::Xml { "XML" } else { "JSON" });
                }
                other => panic!(
                    "{vendor}: {:?} gave {other:?}",
                    text.chars().take(60).collect::<String>()
                ),
            }
        }
    }
}

#[test]
fn the_codegen_checks_example_xml_by_the_runtimes_rules() {
    // The codegen keeps a copy of the runtime's XML reader (it does not depend on the runtime):
    // the two must read a push alike, or an example could pass the check and fail at run time.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let body = |path: &str| {
        let text = std::fs::read_to_string(root.join(path)).unwrap();
        let start = text
            .find("/// One element being read")
            .expect("the reader's first item");
        let end = text.find("\n#[cfg(test)]").unwrap_or(text.len());
        text[start..end].replace("pub(super) fn to_value", "pub fn to_value")
    };
    assert_eq!(
        body("generated-client/src/events/xml.rs"),
        body("codegen/src/model/xml.rs"),
        "codegen/src/model/xml.rs is no longer a copy of generated-client/src/events/xml.rs"
    );
}
