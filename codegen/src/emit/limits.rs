//! `CheckLimits` for request types: the spec's documented limits and spans as code.

use crate::model::{Field, Limits, Module, StructId, Type};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

fn opt_i128(v: Option<i64>) -> TokenStream {
    match v {
        Some(v) => {
            let l = Literal::i128_unsuffixed(v.into());
            quote!(Some(#l))
        }
        None => quote!(None),
    }
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(v) => {
            let l = Literal::u64_unsuffixed(v);
            quote!(Some(#l))
        }
        None => quote!(None),
    }
}

/// The checks of one scalar value `v` (a reference) named `name`: a range, string lengths.
fn scalar_checks(name: &TokenStream, ty: &Type, l: &Limits, secret: bool) -> Vec<TokenStream> {
    let mut out = Vec::new();
    match ty {
        Type::Int(_) if l.min.is_some() || l.max.is_some() => {
            let (min, max) = (opt_i128(l.min), opt_i128(l.max));
            out.push(quote!(check.range(#name, i128::from(*v), #min, #max);));
        }
        Type::String => {
            // A secret field is a `Secret`; only its length is checked and reported, never its text.
            let text = if secret { quote!(v.expose()) } else { quote!(v) };
            if l.min_bytes.is_some() || l.max_bytes.is_some() {
                let (min, max) = (opt_u64(l.min_bytes), opt_u64(l.max_bytes));
                out.push(quote!(check.bytes(#name, #text, #min, #max);));
            }
            if l.min_chars.is_some() || l.max_chars.is_some() {
                let (min, max) = (opt_u64(l.min_chars), opt_u64(l.max_chars));
                out.push(quote!(check.chars(#name, #text, #min, #max);));
            }
        }
        _ => {}
    }
    out
}

/// The checks of one value `v` (a reference) of field `f`; empty when nothing is documented.
fn value_checks(f: &Field) -> TokenStream {
    let wire = &f.wire;
    let l = &f.limits;
    let mut out = scalar_checks(&quote!(#wire), &f.ty, l, f.secret);
    match &f.ty {
        Type::Struct(_) => {
            out.push(quote!(check.nested(#wire, |check| crate::runtime::CheckLimits::check_limits(v, check));))
        }
        Type::List(inner) | Type::Delimited(_, inner) => {
            if l.min_items.is_some() || l.max_items.is_some() {
                let (min, max) = (opt_u64(l.min_items), opt_u64(l.max_items));
                out.push(quote!(check.items(#wire, v.len(), #min, #max);));
            }
            if let Type::Struct(_) = inner.as_ref() {
                out.push(quote! {
                    for (i, item) in v.iter().enumerate() {
                        check.nested(&format!("{}[{i}]", #wire), |check| crate::runtime::CheckLimits::check_limits(item, check));
                    }
                });
            } else if let Some(each) = &l.each_item {
                // The item's name is made only for lists whose items have documented limits.
                let checks = scalar_checks(&quote!(&name), inner, each, false);
                out.push(quote! {
                    for (i, v) in v.iter().enumerate() {
                        let name = format!("{}[{i}]", #wire);
                        #(#checks)*
                    }
                });
            }
        }
        _ => {}
    }
    quote!(#(#out)*)
}

/// `impl CheckLimits` for a struct that requests use: its fields' limits, and the spans of the
/// endpoints it is the request of. Nothing to check takes the trait's default, which checks nothing.
pub fn emit_limits(m: &Module, id: StructId) -> TokenStream {
    let s = m.strukt(id);
    let name = &s.name;
    let mut body = Vec::new();
    for f in &s.fields {
        let checks = value_checks(f);
        if checks.is_empty() {
            continue;
        }
        let n = &f.rust;
        body.push(if f.required {
            quote! { { let v = &self.#n; #checks } }
        } else {
            quote! { if let Some(v) = &self.#n { #checks } }
        });
    }
    for ep in m.endpoints.iter().filter(|e| e.request == id) {
        for span in &ep.spans {
            let get = |f: &Field| {
                let n = &f.rust;
                if f.required {
                    quote!(Some(&self.#n))
                } else {
                    quote!(self.#n.as_ref())
                }
            };
            let (from, to) = (m.field(span.from), m.field(span.to));
            let (a, b) = (get(from), get(to));
            let (from, to) = (&from.wire, &to.wire);
            let days = Literal::i64_unsuffixed(span.max_days.into());
            body.push(quote! {
                if let (Some(a), Some(b)) = (#a, #b) {
                    check.span(#from, #to, a, b, #days);
                }
            });
        }
    }
    if body.is_empty() {
        return quote!(impl crate::runtime::CheckLimits for #name {});
    }
    quote! {
        impl crate::runtime::CheckLimits for #name {
            fn check_limits(&self, check: &mut crate::runtime::LimitCheck) {
                #(#body)*
            }
        }
    }
}
