//! Documented limits of a field: ranges, list lengths, string lengths (at least and at most), and
//! the limits of each item of a list (`items:`), each on the type it applies to.

use super::super::types::Type;
use super::super::*;
use super::ModuleCtx;
use crate::spec::raw;
use crate::spec::strict::Int;
use serde_saphyr::Spanned;

/// The limit keys as written, on a field or under its `items:`.
struct Keys<'a> {
    /// How messages name a key: `` for the field's own, `items: ` for those of each item.
    prefix: &'static str,
    /// What the keys limit, in messages: `the field` or `each item`.
    subject: &'static str,
    min: Option<&'a Spanned<serde_json::Value>>,
    max: Option<&'a Spanned<serde_json::Value>>,
    min_items: Option<&'a Spanned<Int<u64>>>,
    max_items: Option<&'a Spanned<Int<u64>>>,
    min_bytes: Option<&'a Spanned<Int<u64>>>,
    max_bytes: Option<&'a Spanned<Int<u64>>>,
    min_chars: Option<&'a Spanned<Int<u64>>>,
    max_chars: Option<&'a Spanned<Int<u64>>>,
}

impl<'a> Keys<'a> {
    fn of_field(f: &'a raw::Field) -> Self {
        Keys {
            prefix: "",
            subject: "the field",
            min: f.min.as_ref(),
            max: f.max.as_ref(),
            min_items: f.min_items.as_ref(),
            max_items: f.max_items.as_ref(),
            min_bytes: f.min_bytes.as_ref(),
            max_bytes: f.max_bytes.as_ref(),
            min_chars: f.min_chars.as_ref(),
            max_chars: f.max_chars.as_ref(),
        }
    }

    fn is_empty(&self) -> bool {
        let ranges = [self.min, self.max];
        let lengths = [
            self.min_items,
            self.max_items,
            self.min_bytes,
            self.max_bytes,
            self.min_chars,
            self.max_chars,
        ];
        ranges.iter().all(Option::is_none) && lengths.iter().all(Option::is_none)
    }

    fn of_items(i: &'a raw::ItemLimits) -> Self {
        Keys {
            prefix: "items: ",
            subject: "each item",
            min: i.min.as_ref(),
            max: i.max.as_ref(),
            min_items: None,
            max_items: None,
            min_bytes: i.min_bytes.as_ref(),
            max_bytes: i.max_bytes.as_ref(),
            min_chars: i.min_chars.as_ref(),
            max_chars: i.max_chars.as_ref(),
        }
    }
}

/// The field's limits; each one on a type it does not apply to, or that contradicts another, is
/// reported at its key.
pub(super) fn check_limits(cx: &mut ModuleCtx, wire: &Spanned<String>, f: &raw::Field, ty: &Type) -> Limits {
    let mut limits = check_keys(cx, &wire.value, &f.ty.value, &Keys::of_field(f), ty);
    if let Some(items) = &f.items {
        match ty {
            Type::List(inner) | Type::Delimited(_, inner) => {
                let keys = Keys::of_items(&items.value);
                if keys.is_empty() {
                    cx.r.at(
                        &items.referenced,
                        format!("field '{}': `items:` names no limit", wire.value),
                    );
                }
                let each = check_keys(cx, &wire.value, element_text(&f.ty.value), &keys, inner);
                if !each.is_empty() {
                    limits.each_item = Some(Box::new(each));
                }
            }
            _ => cx.r.at(
                &items.referenced,
                format!(
                    "field '{}': `items:` limits each item of a list and the field is {}",
                    wire.value, f.ty.value
                ),
            ),
        }
    }
    limits
}

/// `string` of `list<string>`: the element's spelling, for messages.
fn element_text(ty: &str) -> &str {
    match (ty.find('<'), ty.rfind('>')) {
        (Some(a), Some(b)) if a < b => &ty[a + 1..b],
        _ => ty,
    }
}

/// The limits of one value of type `ty` (named `name`, spelled `ty_text` in the spec).
fn check_keys(cx: &mut ModuleCtx, name: &str, ty_text: &str, keys: &Keys, ty: &Type) -> Limits {
    let (prefix, subject) = (keys.prefix, keys.subject);
    let mut limits = Limits::default();
    let int_width = match ty {
        Type::Int(w) => Some(*w),
        _ => None,
    };
    let int_limit = |cx: &mut ModuleCtx, v: Option<&Spanned<serde_json::Value>>, which: &str| -> Option<i64> {
        let v = v?;
        let Some(w) = int_width else {
            cx.r.at(
                &v.referenced,
                format!("field '{name}': `{prefix}{which}` is a numeric range and {subject} is {ty_text}"),
            );
            return None;
        };
        match v.value.as_i64() {
            Some(i) if w.fits(i.into()) => Some(i),
            _ => {
                cx.r.at(
                    &v.referenced,
                    format!(
                        "field '{name}': {prefix}{which} {} is not an integer that fits {}",
                        v.value,
                        w.spec_name()
                    ),
                );
                None
            }
        }
    };
    limits.min = int_limit(cx, keys.min, "min");
    limits.max = int_limit(cx, keys.max, "max");
    if let (Some(lo), Some(hi)) = (limits.min, limits.max)
        && lo > hi
        && let Some(m) = keys.max
    {
        cx.r.at(
            &m.referenced,
            format!("field '{name}': {prefix}max {hi} is below min {lo}"),
        );
    }

    let is_list = matches!(ty, Type::List(_) | Type::Delimited(..));
    let lengths = [
        (keys.min_items, keys.max_items, "items", is_list, "lists"),
        (keys.min_bytes, keys.max_bytes, "bytes", *ty == Type::String, "strings"),
        (keys.min_chars, keys.max_chars, "chars", *ty == Type::String, "strings"),
    ];
    let mut found = [(None, None); 3];
    for (slot, (lo, hi, unit, applies, what)) in found.iter_mut().zip(lengths) {
        let mut take = |v: Option<&Spanned<Int<u64>>>, which: String| -> Option<u64> {
            let v = v?;
            if !applies {
                let hint = if is_list && what == "strings" {
                    format!("; a limit on each item goes under `items: {{{which}: {}}}`", v.value.0)
                } else {
                    String::new()
                };
                cx.r.at(
                    &v.referenced,
                    format!("field '{name}': `{prefix}{which}` is for {what} and {subject} is {ty_text}{hint}"),
                );
                return None;
            }
            Some(v.value.0)
        };
        let min = take(lo, format!("min_{unit}"));
        let max = take(hi, format!("max_{unit}"));
        if let (Some(v), Some(0)) = (hi, max) {
            cx.r.at(
                &v.referenced,
                format!("field '{name}': {prefix}max_{unit} 0 would forbid every value"),
            );
        }
        if let (Some(v), Some(0)) = (lo, min) {
            cx.r.at(
                &v.referenced,
                format!("field '{name}': {prefix}min_{unit} 0 is no limit; leave it out"),
            );
        }
        if let (Some(a), Some(b), Some(v)) = (min, max, hi)
            && a > b
        {
            cx.r.at(
                &v.referenced,
                format!("field '{name}': {prefix}max_{unit} {b} is below min_{unit} {a}"),
            );
        }
        *slot = (min.filter(|n| *n > 0), max.filter(|n| *n > 0));
    }
    [
        (limits.min_items, limits.max_items),
        (limits.min_bytes, limits.max_bytes),
        (limits.min_chars, limits.max_chars),
    ] = found;
    limits
}
