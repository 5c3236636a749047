//! Scalars read strictly: a flag is the bare word `true` or `false`, never `"yes"`, `"true"` or
//! `on`, and a count is a bare number, never `"5"`. YAML 1.1 and quoting make those look alike to
//! a lenient reader, and `idempotent: "no"` read as a string would mean something else.

use serde::Deserializer;
use serde::de::{Error, Unexpected, Visitor};
use std::fmt;

/// `#[serde(deserialize_with)]` for a flag: only an unquoted `true` or `false`.
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    struct Flag;

    impl Visitor<'_> for Flag {
        type Value = bool;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("true or false, unquoted")
        }

        fn visit_bool<E: Error>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }
    }

    // `deserialize_any` lets the parser say what the scalar is; a quoted one is a string.
    d.deserialize_any(Flag)
}

/// An integer type a count or code is read into, with its range for messages.
pub trait Count: TryFrom<i128> {
    /// The range, as a person reads it.
    const RANGE: &'static str;
}

impl Count for u16 {
    const RANGE: &'static str = "from 0 to 65535";
}
impl Count for u32 {
    const RANGE: &'static str = "from 0 to 4294967295";
}
impl Count for u64 {
    const RANGE: &'static str = "of 0 or more";
}
impl Count for i64 {
    const RANGE: &'static str = "that fits int64";
}

/// `#[serde(deserialize_with)]` for a count or code: only an unquoted integer that fits `T`.
pub fn int<'de, D: Deserializer<'de>, T: Count>(d: D) -> Result<T, D::Error> {
    struct Int<T>(std::marker::PhantomData<T>);

    impl<T: Count> Visitor<'_> for Int<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "an unquoted whole number {}", T::RANGE)
        }

        fn visit_i64<E: Error>(self, v: i64) -> Result<T, E> {
            T::try_from(v.into()).map_err(|_| E::invalid_value(Unexpected::Signed(v), &self))
        }

        fn visit_u64<E: Error>(self, v: u64) -> Result<T, E> {
            T::try_from(v.into()).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
        }
    }

    d.deserialize_any(Int(std::marker::PhantomData))
}

/// An integer read with [`int`], for places that also keep its location (`Spanned<Int<u64>>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Int<T>(pub T);

impl<'de, T: Count> serde::Deserialize<'de> for Int<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        int(d).map(Int)
    }
}

/// `#[serde(deserialize_with)]` for text that becomes rustdoc (`title`, `doc`, `en`, `note`).
pub fn doc<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = <String as serde::Deserialize>::deserialize(d)?;
    match code_block(&text) {
        Some(why) => Err(D::Error::custom(format!(
            "this text holds {why}, which rustdoc reads as a code block and `cargo test` compiles as Rust; unindent it or drop the fence"
        ))),
        None => Ok(text),
    }
}

/// [`doc`] for an optional key (with `#[serde(default)]`).
pub fn doc_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    doc(d).map(Some)
}

/// Why Markdown would read part of `text` as a code block, if it would: a fence, or an indented
/// line after a blank one (the text is trimmed before it is emitted, so its first line is not).
fn code_block(text: &str) -> Option<&'static str> {
    let mut after_blank = false;
    for line in text.trim().lines() {
        let unindented = line.trim_start_matches(' ');
        if line.len() - unindented.len() <= 3 && (unindented.starts_with("```") || unindented.starts_with("~~~")) {
            return Some("a ``` or ~~~ fence");
        }
        if after_blank && (line.starts_with("    ") || line.starts_with('\t')) {
            return Some("a line indented by four spaces or a tab after a blank line");
        }
        after_blank = line.trim().is_empty();
    }
    None
}
