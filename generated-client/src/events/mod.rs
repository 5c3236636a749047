//! Decoding what the vendors push to an app's callback URL, once [`crate::callback`] has verified
//! and decrypted it: the text becomes one variant of the vendor's generated `Event` enum
//! (`workapi::wecom::Event::from_xml`, `workapi::dingtalk::Event::from_json`).
//!
//! The text is read into a JSON object first (WeCom's XML by the `xml` module, with the rules written
//! there), its discriminators picked out, then the object decoded into the event's generated
//! struct, so both vendors share one decoding path and one error type.

// WeCom pushes XML; DingTalk JSON only.
#[cfg(feature = "wecom")]
mod xml;

use serde::de::{self, DeserializeOwned, Deserializer};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// The longest push text accepted, in bytes (256 KiB). The vendors' pushes are a few KiB; a longer
/// text is refused before it is parsed, so hostile input cannot make decoding allocate without bound.
pub const MAX_EVENT_BYTES: usize = 256 * 1024;

/// The deepest element nesting an XML push may have (the vendors' use three or four levels).
pub const MAX_XML_DEPTH: usize = 32;

/// Why a push could not be decoded. A push whose event the spec does not list is not an error:
/// it decodes to the enum's `Unknown` variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EventError {
    /// The text is longer than [`MAX_EVENT_BYTES`]; it was not parsed.
    #[error("the push is {len} bytes, more than the {max} accepted")]
    TooLarge {
        /// Its length in bytes.
        len: usize,
        /// [`MAX_EVENT_BYTES`].
        max: usize,
    },
    /// The text is not a well-formed XML document or JSON object (truncated, a tag left open,
    /// nested deeper than [`MAX_XML_DEPTH`], a DOCTYPE, an entity that is not XML's own).
    #[error("the push is not a well-formed {format}: {reason}")]
    Malformed {
        /// `XML` or `JSON`.
        format: &'static str,
        /// What is wrong, and where when the parser said.
        reason: String,
    },
    /// The push names an event the spec lists, but a field of it does not decode as declared.
    #[error("event '{event}': field '{field}': {reason}")]
    Field {
        /// The event's spec id (`create_user`).
        event: &'static str,
        /// The field's path in the push (`Gender`, `ExtAttr.Item[1].Type`).
        field: String,
        /// What was wrong with its value.
        reason: String,
    },
}

/// A push whose discriminators the spec does not list, kept as it came.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnknownEvent {
    /// The discriminators found in it (`{"Event": "enter_agent"}`); a missing one is left out.
    pub discriminators: BTreeMap<String, String>,
    /// The push's text, unchanged.
    pub raw: String,
}

/// A push read into fields, before it is decoded as one event; the generated `Event` enums' work.
#[derive(Debug)]
pub(crate) struct Push {
    fields: Value,
    raw: String,
    discriminators: Vec<(&'static str, Option<String>)>,
}

impl Push {
    /// Reads a WeCom-style XML document: the root element's children are the fields.
    #[cfg(feature = "wecom")]
    pub fn from_xml(text: &str, discriminators: &[&'static str]) -> Result<Push, EventError> {
        check_size(text)?;
        let fields = xml::to_value(text).map_err(|reason| EventError::Malformed {
            format: "XML",
            reason: bounded(reason),
        })?;
        Ok(Push::new(Value::Object(fields), text, discriminators))
    }

    /// Reads a DingTalk-style JSON object.
    pub fn from_json(text: &str, discriminators: &[&'static str]) -> Result<Push, EventError> {
        check_size(text)?;
        let malformed = |reason: String| EventError::Malformed {
            format: "JSON",
            reason: bounded(reason),
        };
        // serde_json limits nesting to 128 levels by itself.
        let value: Value = serde_json::from_str(text).map_err(|e| malformed(e.to_string()))?;
        if !value.is_object() {
            return Err(malformed("the top level is not an object".to_owned()));
        }
        Ok(Push::new(value, text, discriminators))
    }

    fn new(fields: Value, raw: &str, discriminators: &[&'static str]) -> Push {
        let discriminators = discriminators
            .iter()
            .map(|d| (*d, fields.get(*d).and_then(Value::as_str).map(|s| s.trim().to_owned())))
            .collect();
        Push {
            fields,
            raw: raw.to_owned(),
            discriminators,
        }
    }

    /// The value of the `i`th discriminator, when the push has it as text.
    pub fn discriminator(&self, i: usize) -> Option<&str> {
        self.discriminators.get(i).and_then(|(_, v)| v.as_deref())
    }

    /// Decodes the fields as event `event`'s struct.
    pub fn decode<T: DeserializeOwned>(&self, event: &'static str) -> Result<T, EventError> {
        serde_path_to_error::deserialize(&self.fields).map_err(|e| {
            let field = e.path().to_string();
            EventError::Field {
                event,
                field: if field == "." {
                    "(the push)".to_owned()
                } else {
                    bounded(field)
                },
                reason: bounded(e.into_inner().to_string()),
            }
        })
    }

    /// The push as an event the spec does not list.
    pub fn into_unknown(self) -> UnknownEvent {
        UnknownEvent {
            discriminators: self
                .discriminators
                .into_iter()
                .filter_map(|(k, v)| Some((k.to_owned(), v?)))
                .collect(),
            raw: self.raw,
        }
    }
}

/// The longest reason or field path an [`EventError`] carries, in characters.
const MAX_REASON_CHARS: usize = 200;

/// A parser's message cut to [`MAX_REASON_CHARS`]: serde quotes a mistyped value whole, and a
/// push may hold a value (or an element name) of many KiB.
fn bounded(text: String) -> String {
    match text.char_indices().nth(MAX_REASON_CHARS) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text,
    }
}

fn check_size(text: &str) -> Result<(), EventError> {
    if text.len() > MAX_EVENT_BYTES {
        return Err(EventError::TooLarge {
            len: text.len(),
            max: MAX_EVENT_BYTES,
        });
    }
    Ok(())
}

/// A list field of an event: a JSON array, or (XML has no arrays) the one item itself when the
/// push holds a single `<Item>`.
pub(crate) trait OneOrMany: Sized {
    /// Decodes either form.
    fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

/// `deserialize_with` target for the list fields of event structs.
pub(crate) fn one_or_many<'de, D: Deserializer<'de>, T: OneOrMany>(d: D) -> Result<T, D::Error> {
    T::one_or_many(d)
}

impl<T: DeserializeOwned> OneOrMany for Vec<T> {
    fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ListVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: DeserializeOwned> de::Visitor<'de> for ListVisitor<T> {
            type Value = Vec<T>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list, or one item of it")
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                // The push is at most MAX_EVENT_BYTES, so its lists are short; no size hint is trusted.
                let mut out = Vec::new();
                while let Some(item) = seq.next_element()? {
                    out.push(item);
                }
                Ok(out)
            }

            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|one| vec![one])
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
                T::deserialize(de::value::StrDeserializer::<E>::new(v)).map(|one| vec![one])
            }
        }

        d.deserialize_any(ListVisitor(std::marker::PhantomData))
    }
}

impl<T: DeserializeOwned> OneOrMany for Option<Vec<T>> {
    fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <Vec<T>>::one_or_many(d).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_item_reads_as_a_list_of_one() {
        #[derive(serde::Deserialize)]
        struct Holder {
            #[serde(deserialize_with = "one_or_many")]
            items: Vec<BTreeMap<String, String>>,
        }
        let one: Holder = serde_json::from_str(r#"{"items": {"a": "1"}}"#).unwrap();
        assert_eq!(one.items.len(), 1);
        let two: Holder = serde_json::from_str(r#"{"items": [{"a": "1"}, {"a": "2"}]}"#).unwrap();
        assert_eq!(two.items.len(), 2);
    }

    #[test]
    fn error_texts_stay_short_whatever_the_push_holds() {
        let long = "x".repeat(100_000);
        let xml = format!("<xml><{long}>1</xml>");
        let err = Push::from_xml(&xml, &["Event"]).unwrap_err();
        assert!(err.to_string().len() < 1000, "{} bytes", err.to_string().len());
        let push = Push::from_json(&format!(r#"{{"items": "{long}"}}"#), &[]).unwrap();
        let err = push.decode::<BTreeMap<String, Vec<String>>>("probe").unwrap_err();
        assert!(err.to_string().len() < 1000, "{} bytes", err.to_string().len());
    }
}
