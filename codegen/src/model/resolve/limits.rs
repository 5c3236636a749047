//! Documented limits of a field: ranges, list lengths, string lengths, each on the right type.

use super::super::types::Type;
use super::super::*;
use super::ModuleCtx;
use crate::spec::raw;
use serde_saphyr::Spanned;

pub(super) fn check_limits(cx: &mut ModuleCtx, wire: &Spanned<String>, f: &raw::Field, ty: &Type) -> Limits {
    let name = &wire.value;
    let mut limits = Limits::default();
    let int_width = match ty {
        Type::Int(w) => Some(*w),
        _ => None,
    };
    let int_limit = |cx: &mut ModuleCtx, v: &Option<Spanned<serde_json::Value>>, which: &str| -> Option<i64> {
        let v = v.as_ref()?;
        let Some(w) = int_width else {
            cx.r.at(
                &v.referenced,
                format!(
                    "field '{name}': `{which}` is a numeric range and the field is {}",
                    f.ty.value
                ),
            );
            return None;
        };
        match v.value.as_i64() {
            Some(i) if w.fits(i.into()) => Some(i),
            _ => {
                cx.r.at(
                    &v.referenced,
                    format!(
                        "field '{name}': {which} {} is not an integer that fits {}",
                        v.value,
                        w.spec_name()
                    ),
                );
                None
            }
        }
    };
    limits.min = int_limit(cx, &f.min, "min");
    limits.max = int_limit(cx, &f.max, "max");
    if let (Some(lo), Some(hi)) = (limits.min, limits.max)
        && lo > hi
        && let Some(m) = &f.max
    {
        cx.r.at(&m.referenced, format!("field '{name}': max {hi} is below min {lo}"));
    }
    let is_list = matches!(ty, Type::List(_) | Type::Delimited(..));
    for (v, which, slot) in [
        (&f.min_items, "min_items", &mut limits.min_items),
        (&f.max_items, "max_items", &mut limits.max_items),
    ] {
        if let Some(v) = v {
            if is_list {
                *slot = Some(v.value.0);
            } else {
                cx.r.at(
                    &v.referenced,
                    format!("field '{name}': `{which}` is for lists and the field is {}", f.ty.value),
                );
            }
        }
    }
    if let (Some(lo), Some(hi)) = (limits.min_items, limits.max_items)
        && lo > hi
        && let Some(m) = &f.max_items
    {
        cx.r.at(
            &m.referenced,
            format!("field '{name}': max_items {hi} is below min_items {lo}"),
        );
    }
    if let Some(m) = &f.max_items
        && m.value.0 == 0
    {
        cx.r.at(
            &m.referenced,
            format!("field '{name}': max_items 0 would forbid every value"),
        );
    }
    for (v, which, slot) in [
        (&f.max_bytes, "max_bytes", &mut limits.max_bytes),
        (&f.max_chars, "max_chars", &mut limits.max_chars),
    ] {
        if let Some(v) = v {
            if *ty.innermost() != Type::String {
                cx.r.at(
                    &v.referenced,
                    format!(
                        "field '{name}': `{which}` is for strings and the field is {}",
                        f.ty.value
                    ),
                );
            } else if v.value.0 == 0 {
                cx.r.at(
                    &v.referenced,
                    format!("field '{name}': {which} 0 would forbid every value"),
                );
            } else {
                *slot = Some(v.value.0);
            }
        }
    }
    limits
}
