//! Structs and enums: the data types of one module, each with its impls.

use super::docs;
use crate::model::types::IntWidth;
use crate::model::{EnumLiteral, EnumWire, Field, FieldPlace, Module, Struct, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The Rust type of a value of `ty` (not wrapped in `Option`).
pub fn rust_type(m: &Module, ty: &Type, secret: bool) -> TokenStream {
    rust_type_in(m, ty, secret, &quote!())
}

/// Like [`rust_type`], with the module's named types behind `prefix` (`report::`).
pub fn rust_type_in(m: &Module, ty: &Type, secret: bool, prefix: &TokenStream) -> TokenStream {
    match ty {
        Type::String if secret => quote!(crate::Secret),
        Type::String => quote!(String),
        Type::Bool => quote!(bool),
        Type::Int(w) => {
            let i = format_ident!("{}", w.rust_name());
            quote!(#i)
        }
        Type::Float64 => quote!(f64),
        Type::UnixSeconds => quote!(crate::UnixSeconds),
        Type::UnixMillis => quote!(crate::UnixMillis),
        Type::DateTime => quote!(crate::DateTime),
        Type::Json => quote!(serde_json::Value),
        Type::Struct(id) => {
            let i = &m.strukt(*id).name;
            quote!(#prefix #i)
        }
        Type::Enum(id) => {
            let i = &m.enumeration(*id).name;
            quote!(#prefix #i)
        }
        Type::List(t) | Type::Delimited(_, t) => {
            let t = rust_type_in(m, t, false, prefix);
            quote!(Vec<#t>)
        }
    }
}

/// The field's type as declared: `Option<T>` unless required.
pub fn field_type(m: &Module, f: &Field) -> TokenStream {
    let t = rust_type(m, &f.ty, f.secret);
    if f.required { t } else { quote!(Option<#t>) }
}

fn field_attrs(f: &Field, s: &Struct) -> TokenStream {
    let mut serde = Vec::new();
    if f.rust.as_str() != f.wire.as_str() {
        let w = &f.wire;
        serde.push(quote!(rename = #w));
    }
    if !f.required {
        serde.push(quote!(default));
    }
    if f.place == FieldPlace::Query {
        // Query fields travel in the URL; the body leaves them out.
        serde.push(quote!(skip_serializing));
    } else if !f.required {
        serde.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    match &f.ty {
        Type::Delimited(',', _) => serde.push(quote!(with = "crate::wire::comma")),
        Type::Delimited(_, _) => serde.push(quote!(with = "crate::wire::semicolon")),
        // An integer enum decodes either form by itself; only its encoding changes.
        Type::Enum(_) if f.wire_string => serde.push(quote!(serialize_with = "crate::wire::string_number::serialize")),
        _ if f.wire_string => serde.push(quote!(with = "crate::wire::string_number")),
        t if t.has_lenient_scalar() && (s.usage.response || s.usage.event) => {
            serde.push(quote!(deserialize_with = "crate::wire::lenient"))
        }
        // XML has no arrays: one `<Item>` of a list reads as the item itself.
        Type::List(_) if s.usage.event => serde.push(quote!(deserialize_with = "crate::events::one_or_many")),
        _ => {}
    }
    if serde.is_empty() {
        quote!()
    } else {
        quote!(#[serde(#(#serde),*)])
    }
}

/// A struct, with a constructor and setters when requests use it, and its limit checks.
pub fn emit_struct(m: &Module, s: &Struct) -> TokenStream {
    let name = &s.name;
    let mut paras = docs::paragraphs(&s.docs);
    if paras.is_empty() {
        paras.push(format!("`{}`", s.name));
    }
    let doc = docs::attrs(&paras.join("\n\n"));
    let has_required = s.fields.iter().any(|f| f.required);
    let default = if has_required { quote!() } else { quote!(Default,) };
    let fields = s.fields.iter().map(|f| {
        let doc = docs::attrs(&docs::field(f));
        let attrs = field_attrs(f, s);
        let n = &f.rust;
        let t = field_type(m, f);
        quote! { #doc #attrs pub #n: #t, }
    });
    let builder = if s.usage.request { emit_builder(m, s) } else { quote!() };
    quote! {
        #doc
        #[derive(Clone, Debug, #default PartialEq, serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub struct #name { #(#fields)* }
        #builder
    }
}

/// Argument type and conversion for a constructor or setter parameter.
fn param(m: &Module, f: &Field) -> (TokenStream, TokenStream) {
    let n = &f.rust;
    match (&f.ty, f.secret) {
        (Type::String, true) => (quote!(impl Into<crate::Secret>), quote!(#n.into())),
        (Type::String, false) => (quote!(impl Into<String>), quote!(#n.into())),
        // `["a", "b"]` works for a list of strings, as `impl Into<String>` does for one.
        (Type::List(inner) | Type::Delimited(_, inner), _) if **inner == Type::String => (
            quote!(impl IntoIterator<Item = impl Into<String>>),
            quote!(#n.into_iter().map(Into::into).collect()),
        ),
        (Type::List(inner) | Type::Delimited(_, inner), _) => {
            let item = rust_type(m, inner, false);
            (
                quote!(impl IntoIterator<Item = #item>),
                quote!(#n.into_iter().collect()),
            )
        }
        _ => {
            let t = rust_type(m, &f.ty, f.secret);
            (quote!(#t), quote!(#n))
        }
    }
}

fn emit_builder(m: &Module, s: &Struct) -> TokenStream {
    let name = &s.name;
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let params = required.iter().map(|f| {
        let n = &f.rust;
        let (t, _) = param(m, f);
        quote!(#n: #t)
    });
    let inits = s.fields.iter().map(|f| {
        let n = &f.rust;
        if f.required {
            let (_, conv) = param(m, f);
            if n.as_str() == conv.to_string() {
                quote!(#n)
            } else {
                quote!(#n: #conv)
            }
        } else {
            quote!(#n: None)
        }
    });
    let new_doc = if required.is_empty() {
        format!("An empty `{}`; set what you need with the setters.", s.name)
    } else {
        let names: Vec<String> = required.iter().map(|f| format!("`{}`", f.rust)).collect();
        format!(
            "A `{}` with its required fields {}; the optional ones start unset.",
            s.name,
            names.join(", ")
        )
    };
    let new_doc = docs::attrs(&new_doc);
    // Clippy's threshold; past it the constructor mirrors the vendor's required fields anyway.
    let allow = if required.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    let setters = s.fields.iter().filter(|f| !f.required).map(|f| {
        let n = &f.rust;
        // `new` is the constructor; resolution refuses a field `with_new` beside a field `new`.
        let setter = if f.rust == *"new" {
            format_ident!("with_new")
        } else {
            format_ident!("{}", f.rust.as_str())
        };
        let (t, conv) = param(m, f);
        let doc = docs::attrs(&format!("Sets `{}` (`{}` on the wire).", f.rust, f.wire));
        quote! {
            #doc
            #[must_use]
            pub fn #setter(mut self, #n: #t) -> Self {
                self.#n = Some(#conv);
                self
            }
        }
    });
    quote! {
        impl #name {
            #new_doc
            #allow
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
            #(#setters)*
        }
    }
}

/// An enum with an `Unknown` variant, and its wire impls.
pub fn emit_enum(e: &crate::model::Enum) -> TokenStream {
    let name = &e.name;
    let mut paras = docs::paragraphs(&e.docs);
    if paras.is_empty() {
        paras.push(format!("`{}`", e.name));
    }
    let values: Vec<String> = e
        .values
        .iter()
        .map(|v| {
            let lit = match &v.value {
                EnumLiteral::Int(i) if e.wire_string => format!("\"{i}\""),
                EnumLiteral::Int(i) => i.to_string(),
                EnumLiteral::Str(s) => format!("\"{s}\""),
            };
            format!("`{lit}` {}", v.variant)
        })
        .collect();
    paras.push(format!(
        "Values: {}. A value the spec does not list decodes to `Unknown` and is sent back unchanged.",
        values.join(", ")
    ));
    if e.wire_string {
        paras.push("An integer that travels as a JSON string: sent as `\"1\"`, read from `\"1\"` or `1`.".to_owned());
    }
    let doc = docs::attrs(&paras.join("\n\n"));
    let variants = e.values.iter().map(|v| {
        let var = &v.variant;
        let d = docs::attrs(&docs::paragraphs(&v.docs).join("\n\n"));
        quote!(#d #var,)
    });
    match e.wire {
        EnumWire::Int(w) => {
            let int = format_ident!(
                "{}",
                match w {
                    IntWidth::I32 | IntWidth::I64 | IntWidth::U32 => "i64",
                    IntWidth::U64 => "u64",
                }
            );
            let to = e.values.iter().map(|v| {
                let var = &v.variant;
                let EnumLiteral::Int(i) = v.value else { unreachable!() };
                let lit = proc_macro2::Literal::i64_unsuffixed(i);
                quote!(#name::#var => #lit,)
            });
            let from = e.values.iter().map(|v| {
                let var = &v.variant;
                let EnumLiteral::Int(i) = v.value else { unreachable!() };
                let lit = proc_macro2::Literal::i64_unsuffixed(i);
                quote!(#lit => #name::#var,)
            });
            let serialize = if e.wire_string {
                quote!(serializer.collect_str(&self.code()))
            } else {
                quote!(serde::Serialize::serialize(&self.code(), serializer))
            };
            quote! {
                #doc
                #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    /// A value the spec does not list, kept as it came.
                    Unknown(#int),
                }
                impl #name {
                    /// The value on the wire.
                    pub const fn code(self) -> #int {
                        match self { #(#to)* #name::Unknown(v) => v }
                    }
                }
                impl From<#int> for #name {
                    fn from(code: #int) -> Self {
                        match code { #(#from)* other => #name::Unknown(other) }
                    }
                }
                impl crate::wire::WireAtom for #name {
                    fn write_atom(&self, out: &mut String) {
                        crate::wire::WireAtom::write_atom(&self.code(), out)
                    }
                    fn parse_atom(text: &str) -> Option<Self> {
                        <#int as crate::wire::WireAtom>::parse_atom(text).map(Self::from)
                    }
                }
                impl serde::Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        #serialize
                    }
                }
                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        crate::wire::lenient::<D, #int>(deserializer).map(Self::from)
                    }
                }
            }
        }
        EnumWire::String => {
            let to = e.values.iter().map(|v| {
                let var = &v.variant;
                let EnumLiteral::Str(s) = &v.value else { unreachable!() };
                quote!(#name::#var => #s,)
            });
            let from = e.values.iter().map(|v| {
                let var = &v.variant;
                let EnumLiteral::Str(s) = &v.value else { unreachable!() };
                quote!(#s => #name::#var,)
            });
            quote! {
                #doc
                #[derive(Clone, Debug, PartialEq, Eq, Hash)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    /// A value the spec does not list, kept as it came.
                    Unknown(String),
                }
                impl #name {
                    /// The value on the wire.
                    pub fn as_str(&self) -> &str {
                        match self { #(#to)* #name::Unknown(v) => v }
                    }
                }
                impl From<&str> for #name {
                    fn from(code: &str) -> Self {
                        match code { #(#from)* other => #name::Unknown(other.to_owned()) }
                    }
                }
                impl crate::wire::WireAtom for #name {
                    fn write_atom(&self, out: &mut String) {
                        out.push_str(self.as_str())
                    }
                    fn parse_atom(text: &str) -> Option<Self> {
                        Some(Self::from(text))
                    }
                }
                impl serde::Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.serialize_str(self.as_str())
                    }
                }
                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let s = <String as serde::Deserialize>::deserialize(deserializer)?;
                        Ok(Self::from(s.as_str()))
                    }
                }
            }
        }
    }
}
