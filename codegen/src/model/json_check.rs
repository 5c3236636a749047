//! Type-checking JSON values against resolved types: the docs' example requests and responses.

use super::types::Type;
use super::*;
use serde_json::Value;

/// The structs and enums of one module, for looking up named types.
pub struct Types<'a> {
    /// Structs.
    pub structs: &'a [Struct],
    /// Enums.
    pub enums: &'a [Enum],
}

impl Types<'_> {
    /// Checks `v` against `ty`; `wire_string` numbers must be JSON strings; `request` makes
    /// required fields mandatory in objects. Problems go to `errs` with a JSON path.
    pub fn check(&self, ty: &Type, wire_string: bool, request: bool, v: &Value, path: &str, errs: &mut Vec<String>) {
        let mismatch = |errs: &mut Vec<String>, want: &str| {
            errs.push(format!("{path}: expected {want}, found {}", short(v)));
        };
        if v.is_null() {
            errs.push(format!(
                "{path}: null; the client leaves absent values off when it re-encodes, so an example leaves the field out instead"
            ));
            return;
        }
        // What the runtime decodes in a response (`wire::lenient`): numbers, bools and times as
        // JSON strings too, and `wire: string` values in either form. Requests stay exact: they
        // show what the client sends.
        let lenient = !request;
        match ty {
            Type::String => {
                if !v.is_string() {
                    mismatch(errs, "a string")
                }
            }
            Type::Bool if wire_string || lenient => {
                let text_ok = matches!(v.as_str(), Some("true" | "false"));
                if !(text_ok || (lenient && v.is_boolean())) {
                    mismatch(errs, "\"true\" or \"false\" (wire: string)")
                }
            }
            Type::Bool => {
                if !v.is_boolean() {
                    mismatch(errs, "a bool")
                }
            }
            Type::Int(w) => {
                let as_number = v.as_i64().map(i128::from).or_else(|| v.as_u64().map(i128::from));
                let as_text = v.as_str().map(str::trim).and_then(|s| s.parse().ok());
                let n: Option<i128> = match (wire_string, lenient) {
                    (_, true) => as_number.or(as_text),
                    (true, false) => as_text,
                    (false, false) => as_number,
                };
                match n {
                    Some(n) if w.fits(n) => {}
                    _ if wire_string => mismatch(errs, &format!("a {} in a JSON string (wire: string)", w.spec_name())),
                    _ => mismatch(errs, &format!("an integer that fits {}", w.spec_name())),
                }
            }
            Type::Float64 => {
                let text_ok = v.as_str().map(str::trim).is_some_and(|s| s.parse::<f64>().is_ok());
                let ok = match (wire_string, lenient) {
                    (_, true) => v.is_number() || text_ok,
                    (true, false) => text_ok,
                    (false, false) => v.is_number(),
                };
                if !ok {
                    mismatch(errs, "a number")
                }
            }
            Type::UnixSeconds | Type::UnixMillis => {
                let text_ok = lenient && v.as_str().map(str::trim).is_some_and(|s| s.parse::<i64>().is_ok());
                if v.as_i64().is_none() && !text_ok {
                    mismatch(errs, "an integer timestamp")
                }
            }
            Type::DateTime => {
                if !v.as_str().is_some_and(is_datetime) {
                    mismatch(errs, "a \"yyyy-MM-dd HH:mm:ss\" string")
                }
            }
            Type::Json => {}
            Type::Enum(id) => {
                if let Some(e) = self.enums.get(id.0) {
                    let n = &e.name;
                    let as_string = wire_string || e.wire_string;
                    let ok = match e.wire {
                        // Integer enums decode from a number or a string in responses.
                        EnumWire::Int(w) if lenient => v
                            .as_i64()
                            .or_else(|| v.as_str().and_then(|s| s.trim().parse::<i64>().ok()))
                            .is_some_and(|i| w.fits(i.into())),
                        EnumWire::Int(w) if as_string => v
                            .as_str()
                            .and_then(|s| s.parse::<i64>().ok())
                            .is_some_and(|i| w.fits(i.into())),
                        EnumWire::Int(w) => v.as_i64().is_some_and(|i| w.fits(i.into())),
                        EnumWire::String => v.is_string(),
                    };
                    if !ok && as_string {
                        mismatch(errs, &format!("a value of enum {n} in a JSON string (wire: string)"));
                    } else if !ok {
                        mismatch(errs, &format!("a value of enum {n}"));
                    }
                }
            }
            Type::Struct(id) => {
                if let Some(s) = self.structs.get(id.0) {
                    self.check_struct(s, None, request, v, path, errs)
                }
            }
            Type::List(t) => match v.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.check(t, false, request, item, &format!("{path}[{i}]"), errs);
                    }
                }
                None => mismatch(errs, "an array"),
            },
            Type::Delimited(sep, t) => match v.as_str() {
                Some("") => {}
                Some(s) => {
                    for (i, piece) in s.split(*sep).enumerate() {
                        let as_json = match t.as_ref() {
                            Type::String => Value::String(piece.to_owned()),
                            _ => piece.parse::<Value>().unwrap_or(Value::String(piece.to_owned())),
                        };
                        self.check(t, false, request, &as_json, &format!("{path}[{i}]"), errs);
                    }
                }
                None => mismatch(errs, &format!("ONE string of items joined by '{sep}'")),
            },
        }
    }

    /// Checks an object against a struct's fields (only those in `place`, when given).
    pub fn check_struct(
        &self,
        s: &Struct,
        place: Option<FieldPlace>,
        request: bool,
        v: &Value,
        path: &str,
        errs: &mut Vec<String>,
    ) {
        let Some(obj) = v.as_object() else {
            errs.push(format!("{path}: expected an object ({}), found {}", s.name, short(v)));
            return;
        };
        let fields: Vec<&Field> = s.fields.iter().filter(|f| place.is_none_or(|p| f.place == p)).collect();
        for (k, val) in obj {
            match fields.iter().find(|f| &f.wire == k) {
                Some(f) => self.check(&f.ty, f.wire_string, request, val, &format!("{path}.{k}"), errs),
                None => errs.push(format!("{path}: field '{k}' is not declared in {}", s.name)),
            }
        }
        for f in fields {
            if f.required && !obj.contains_key(f.wire.as_str()) {
                errs.push(format!("{path}: required field '{}' of {} is missing", f.wire, s.name));
            }
        }
    }
}

impl Types<'_> {
    /// An XML push read into JSON (every leaf a string) as its declared types read it: numbers,
    /// bools and timestamps parsed, a single element of a list made a list of one, fields walked
    /// into. A string that does not parse stays a string, for [`Types::check`] to report.
    pub fn read_text(&self, ty: &Type, v: Value) -> Value {
        match (ty, v) {
            (Type::Int(_) | Type::UnixSeconds | Type::UnixMillis, Value::String(s)) => match s.trim().parse::<i64>() {
                Ok(n) => Value::from(n),
                Err(_) => s.trim().parse::<u64>().map_or(Value::String(s), Value::from),
            },
            (Type::Float64, Value::String(s)) => {
                match s.trim().parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
                    Some(n) => Value::Number(n),
                    None => Value::String(s),
                }
            }
            (Type::Bool, Value::String(s)) => match s.trim() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::String(s),
            },
            (Type::Enum(id), Value::String(s))
                if self
                    .enums
                    .get(id.0)
                    .is_some_and(|e| e.wire != EnumWire::String && !e.wire_string) =>
            {
                s.trim().parse::<i64>().map_or(Value::String(s), Value::from)
            }
            (Type::List(t), Value::Array(items)) => {
                Value::Array(items.into_iter().map(|i| self.read_text(t, i)).collect())
            }
            (Type::List(t), one) => Value::Array(vec![self.read_text(t, one)]),
            (Type::Struct(id), Value::Object(fields)) => match self.structs.get(id.0) {
                Some(s) => Value::Object(
                    fields
                        .into_iter()
                        .map(|(k, v)| match s.fields.iter().find(|f| f.wire == *k.as_str()) {
                            // A number that travels as a string stays one.
                            Some(f) if f.wire_string => (k, v),
                            Some(f) => {
                                let v = self.read_text(&f.ty, v);
                                (k, v)
                            }
                            None => (k, v),
                        })
                        .collect(),
                ),
                None => Value::Object(fields),
            },
            (_, v) => v,
        }
    }
}

/// Whether `s` is `yyyy-MM-dd HH:mm:ss`.
pub fn is_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b' ',
            13 | 16 => *c == b':',
            _ => c.is_ascii_digit(),
        })
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        format!("{}...", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}
