//! How values travel, where the vendors differ from plain JSON.
//!
//! - Numbers and bools in responses may arrive as JSON strings (`"size": "100"`, `"sort": "0"`):
//!   [`lenient`] accepts both.
//! - Some numbers are documented to travel as strings: [`string_number`] sends them that way.
//! - Some lists travel as ONE string joined by `,` or `;`: [`comma`] and [`semicolon`].

use crate::{DateTime, Secret, UnixMillis, UnixSeconds};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// One item of a query string or of a delimited list.
pub trait WireAtom: Sized {
    /// Appends the wire text of `self`.
    fn write_atom(&self, out: &mut String);
    /// Parses the wire text; `None` when it is not a valid value.
    fn parse_atom(text: &str) -> Option<Self>;
}

macro_rules! atom_via_display {
    ($($t:ty),*) => {$(
        impl WireAtom for $t {
            fn write_atom(&self, out: &mut String) {
                use fmt::Write;
                let _ = write!(out, "{self}");
            }
            fn parse_atom(text: &str) -> Option<Self> {
                text.trim().parse().ok()
            }
        }
    )*};
}
atom_via_display!(i32, i64, u32, u64, f64, bool, DateTime);

impl WireAtom for String {
    fn write_atom(&self, out: &mut String) {
        out.push_str(self);
    }
    fn parse_atom(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
}

impl WireAtom for Secret {
    fn write_atom(&self, out: &mut String) {
        out.push_str(self.expose());
    }
    fn parse_atom(text: &str) -> Option<Self> {
        Some(Secret::new(text))
    }
}

impl WireAtom for UnixSeconds {
    fn write_atom(&self, out: &mut String) {
        self.0.write_atom(out)
    }
    fn parse_atom(text: &str) -> Option<Self> {
        i64::parse_atom(text).map(UnixSeconds)
    }
}

impl WireAtom for UnixMillis {
    fn write_atom(&self, out: &mut String) {
        self.0.write_atom(out)
    }
    fn parse_atom(text: &str) -> Option<Self> {
        i64::parse_atom(text).map(UnixMillis)
    }
}

/// A value decoded leniently: a number or bool, also from its JSON-string form.
pub trait Lenient: Sized {
    /// Decodes from either form.
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

/// `deserialize_with` target: decodes `T` from its JSON form or from a JSON string holding it.
pub fn lenient<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<T, D::Error> {
    T::lenient(d)
}

struct ScalarVisitor<T>(PhantomData<T>);

macro_rules! lenient_int {
    ($($t:ty),*) => {$(
        impl<'de> Visitor<'de> for ScalarVisitor<$t> {
            type Value = $t;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "{} as a number or a numeric string", stringify!($t))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<$t, E> {
                <$t>::try_from(v).map_err(|_| E::custom(format!("{v} is out of range for {}", stringify!($t))))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<$t, E> {
                <$t>::try_from(v).map_err(|_| E::custom(format!("{v} is out of range for {}", stringify!($t))))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<$t, E> {
                // Some endpoints send whole numbers as 10.0.
                if v.fract() == 0.0 && v >= <$t>::MIN as f64 && v <= <$t>::MAX as f64 {
                    Ok(v as $t)
                } else {
                    Err(E::custom(format!("{v} is not a whole {}", stringify!($t))))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<$t, E> {
                v.trim().parse().map_err(|_| E::custom(format!("'{}' is not a {}", v.chars().take(40).collect::<String>(), stringify!($t))))
            }
        }
        impl Lenient for $t {
            fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(ScalarVisitor::<$t>(PhantomData))
            }
        }
    )*};
}
lenient_int!(i32, i64, u32, u64);

impl<'de> Visitor<'de> for ScalarVisitor<f64> {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or a numeric string")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::custom(format!("'{}' is not a number", v.chars().take(40).collect::<String>())))
    }
}

impl Lenient for f64 {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor::<f64>(PhantomData))
    }
}

impl<'de> Visitor<'de> for ScalarVisitor<bool> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a bool or \"true\"/\"false\"")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        match v.trim() {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(E::custom(format!(
                "'{}' is not a bool",
                other.chars().take(40).collect::<String>()
            ))),
        }
    }
}

impl Lenient for bool {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor::<bool>(PhantomData))
    }
}

impl<T: Lenient> Lenient for Option<T> {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct OptVisitor<T>(PhantomData<T>);
        impl<'de, T: Lenient> Visitor<'de> for OptVisitor<T> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
                T::lenient(d).map(Some)
            }
        }
        d.deserialize_option(OptVisitor(PhantomData))
    }
}

struct LenientSeed<T>(PhantomData<T>);

impl<'de, T: Lenient> de::DeserializeSeed<'de> for LenientSeed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::lenient(d)
    }
}

impl<T: Lenient> Lenient for Vec<T> {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct SeqVisitor<T>(PhantomData<T>);
        impl<'de, T: Lenient> Visitor<'de> for SeqVisitor<T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some(v) = seq.next_element_seed(LenientSeed::<T>(PhantomData))? {
                    out.push(v);
                }
                Ok(out)
            }
        }
        d.deserialize_seq(SeqVisitor(PhantomData))
    }
}

/// Values that can be written as a JSON string: a scalar, or an optional one.
pub trait StringForm {
    /// The string form, or `None` for an absent value.
    fn string_form(&self) -> Option<String>;
}

impl<T: WireAtom> StringForm for T {
    fn string_form(&self) -> Option<String> {
        let mut s = String::new();
        self.write_atom(&mut s);
        Some(s)
    }
}

/// Numbers that travel as JSON strings: sent as `"1"`, read from `"1"` or `1`.
pub mod string_number {
    use super::*;

    /// Writes the number as a JSON string.
    pub fn serialize<S: Serializer, T: StringNumber>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        match v.as_string() {
            Some(text) => s.serialize_str(&text),
            None => s.serialize_none(),
        }
    }

    /// Reads the number from either form.
    pub fn deserialize<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<T, D::Error> {
        T::lenient(d)
    }

    /// A number, bool or integer enum, or an optional one, with a string form.
    pub trait StringNumber {
        /// The string form.
        fn as_string(&self) -> Option<String>;
    }

    // Every atom has its query-string text, which is also its JSON-string form: `1` for an
    // integer enum's `code()`, `true` for a bool.
    impl<T: WireAtom> StringNumber for T {
        fn as_string(&self) -> Option<String> {
            self.string_form()
        }
    }

    impl<T: WireAtom> StringNumber for Option<T> {
        fn as_string(&self) -> Option<String> {
            self.as_ref().and_then(|v| v.string_form())
        }
    }
}

/// A list that travels as one string; implemented for `Vec<T>` and `Option<Vec<T>>`.
pub trait Delimited: Sized {
    /// Joins the items with `sep`; `None` for an absent list.
    fn join(&self, sep: char) -> Option<String>;
    /// Splits a string (or accepts an array, which some responses send instead).
    fn split<E: de::Error>(value: Option<StrOrList>, sep: char) -> Result<Self, E>;
}

/// What a delimited field can arrive as.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum StrOrList {
    /// The documented form: one string.
    Str(String),
    /// An array of items.
    List(Vec<serde_json::Value>),
}

fn split_items<T: WireAtom, E: de::Error>(value: StrOrList, sep: char) -> Result<Vec<T>, E> {
    let pieces: Vec<String> = match value {
        StrOrList::Str(s) if s.is_empty() => return Ok(Vec::new()),
        StrOrList::Str(s) => s.split(sep).map(str::to_owned).collect(),
        StrOrList::List(items) => items
            .into_iter()
            .map(|v| match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            })
            .collect(),
    };
    pieces
        .iter()
        .map(|p| {
            T::parse_atom(p).ok_or_else(|| {
                E::custom(format!(
                    "'{}' is not a valid item",
                    p.chars().take(40).collect::<String>()
                ))
            })
        })
        .collect()
}

impl<T: WireAtom> Delimited for Vec<T> {
    fn join(&self, sep: char) -> Option<String> {
        let mut out = String::new();
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(sep);
            }
            item.write_atom(&mut out);
        }
        Some(out)
    }
    fn split<E: de::Error>(value: Option<StrOrList>, sep: char) -> Result<Self, E> {
        match value {
            Some(v) => split_items(v, sep),
            None => Err(E::custom("expected a delimited string, found null")),
        }
    }
}

impl<T: WireAtom> Delimited for Option<Vec<T>> {
    fn join(&self, sep: char) -> Option<String> {
        self.as_ref().and_then(|v| v.join(sep))
    }
    fn split<E: de::Error>(value: Option<StrOrList>, sep: char) -> Result<Self, E> {
        value.map(|v| split_items(v, sep)).transpose()
    }
}

fn serialize_delimited<S: Serializer, T: Delimited>(v: &T, s: S, sep: char) -> Result<S::Ok, S::Error> {
    match v.join(sep) {
        Some(text) => s.serialize_str(&text),
        None => s.serialize_none(),
    }
}

fn deserialize_delimited<'de, D: Deserializer<'de>, T: Delimited>(d: D, sep: char) -> Result<T, D::Error> {
    let value = Option::<StrOrList>::deserialize(d)?;
    T::split(value, sep)
}

/// Lists sent as one `,`-joined string (`"2,3,5,-1"`).
pub mod comma {
    use super::*;
    /// Joins with `,`.
    pub fn serialize<S: Serializer, T: Delimited>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        serialize_delimited(v, s, ',')
    }
    /// Splits on `,`.
    pub fn deserialize<'de, D: Deserializer<'de>, T: Delimited>(d: D) -> Result<T, D::Error> {
        deserialize_delimited(d, ',')
    }
}

/// Lists sent as one `;`-joined string.
pub mod semicolon {
    use super::*;
    /// Joins with `;`.
    pub fn serialize<S: Serializer, T: Delimited>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        serialize_delimited(v, s, ';')
    }
    /// Splits on `;`.
    pub fn deserialize<'de, D: Deserializer<'de>, T: Delimited>(d: D) -> Result<T, D::Error> {
        deserialize_delimited(d, ';')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Probe {
        #[serde(deserialize_with = "lenient")]
        n: i64,
        #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
        o: Option<u32>,
        #[serde(with = "string_number")]
        s: i32,
        #[serde(with = "comma")]
        c: Vec<i32>,
        #[serde(default, with = "semicolon", skip_serializing_if = "Option::is_none")]
        sc: Option<Vec<String>>,
    }

    #[test]
    fn numbers_decode_from_either_form_and_lists_from_one_string() {
        let p: Probe = serde_json::from_str(r#"{"n":"12","o":"7","s":"3","c":"2,3,-1","sc":"a;b"}"#).unwrap();
        assert_eq!(
            p,
            Probe {
                n: 12,
                o: Some(7),
                s: 3,
                c: vec![2, 3, -1],
                sc: Some(vec!["a".into(), "b".into()])
            }
        );
        let back = serde_json::to_value(&p).unwrap();
        assert_eq!(back, serde_json::json!({"n":12,"o":7,"s":"3","c":"2,3,-1","sc":"a;b"}));
        let p: Probe = serde_json::from_str(r#"{"n":12,"o":null,"s":3,"c":""}"#).unwrap();
        assert_eq!((p.o, p.c, p.sc), (None, vec![], None));
    }

    /// What the codegen writes for an integer enum (its `code()` as the atom, decoded leniently).
    #[derive(Debug, Clone, Copy, PartialEq)]
    struct Code(i64);

    impl WireAtom for Code {
        fn write_atom(&self, out: &mut String) {
            self.0.write_atom(out)
        }
        fn parse_atom(text: &str) -> Option<Self> {
            i64::parse_atom(text).map(Code)
        }
    }

    impl<'de> Deserialize<'de> for Code {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            lenient::<D, i64>(d).map(Code)
        }
    }

    /// A field with `wire: string` of an integer enum type, as emitted.
    #[derive(serde::Serialize, Deserialize, Debug, PartialEq)]
    struct EnumProbe {
        #[serde(serialize_with = "string_number::serialize")]
        c: Code,
        #[serde(
            default,
            serialize_with = "string_number::serialize",
            skip_serializing_if = "Option::is_none"
        )]
        o: Option<Code>,
    }

    #[test]
    fn an_integer_enum_field_with_wire_string_is_sent_as_a_string() {
        let p: EnumProbe = serde_json::from_str(r#"{"c":1,"o":"2"}"#).unwrap();
        assert_eq!(
            p,
            EnumProbe {
                c: Code(1),
                o: Some(Code(2))
            }
        );
        assert_eq!(serde_json::to_value(&p).unwrap(), serde_json::json!({"c":"1","o":"2"}));
        let p: EnumProbe = serde_json::from_str(r#"{"c":"3"}"#).unwrap();
        assert_eq!(serde_json::to_value(&p).unwrap(), serde_json::json!({"c":"3"}));
    }

    #[test]
    fn bad_values_are_errors_not_panics() {
        for bad in [
            r#"{"n":"x","s":1,"c":""}"#,
            r#"{"n":1.5,"s":1,"c":""}"#,
            r#"{"n":1,"o":-1,"s":1,"c":""}"#,
            r#"{"n":1,"s":1,"c":"1,zz"}"#,
            r#"{"n":99999999999999999999,"s":1,"c":""}"#,
        ] {
            assert!(serde_json::from_str::<Probe>(bad).is_err(), "{bad}");
        }
    }
}
