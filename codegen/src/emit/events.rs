//! Pushed events: in a module file, one struct per event (with the structs its fields introduce);
//! in the vendor's root, the `Event` enum of every event of the enabled modules plus `Unknown`,
//! and its decoding entry point (`from_xml` or `from_json`), which the runtime's `events` module
//! does the work of.

use super::Section;
use super::docs;
use super::vendor::feature;
use crate::model::{Event, EventFormat, Module, PushFormat, Vendor};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// One section per event of a module: its struct first, then the structs its fields made.
pub fn module_sections(v: &Vendor, m: &Module) -> Vec<Section> {
    let Some(format) = &v.events else {
        return Vec::new();
    };
    m.events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut items = vec![event_struct(v, format, m, e)];
            let introduced = m.structs().filter(|(id, s)| s.event == Some(i) && *id != e.strukt);
            items.extend(introduced.map(|(_, s)| super::types::emit_struct(m, s)));
            Section {
                title: format!("event {}: {}", e.id, on_text(e)),
                items,
            }
        })
        .collect()
}

/// `Event=change_contact, ChangeType=create_user`.
fn on_text(e: &Event) -> String {
    e.on.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The event's struct, its rustdoc led by the page's title and link.
fn event_struct(v: &Vendor, format: &EventFormat, m: &Module, e: &Event) -> TokenStream {
    let entry = match format.format {
        PushFormat::Xml => "from_xml",
        PushFormat::Json => "from_json",
    };
    let lead = [
        docs::escape(&e.title),
        format!("[Vendor documentation]({}).", e.doc_url),
        format!(
            "Pushed with {}; [`super::Event::{entry}`] decodes it as `Event::{}`. The first fields ({}) are those every {} event carries.",
            e.on.iter()
                .map(|(k, v)| format!("`{k}` = `{v}`"))
                .collect::<Vec<_>>()
                .join(", "),
            e.variant,
            format
                .header
                .iter()
                .map(|h| format!("`{h}`"))
                .collect::<Vec<_>>()
                .join(", "),
            v.title
        ),
    ];
    let lead = docs::attrs(&lead.join("\n\n"));
    let body = super::types::emit_struct(m, m.strukt(e.strukt));
    // A blank doc line: the struct's own docs (the page's description) are a paragraph of their own.
    quote! { #lead #[doc = ""] #body }
}

/// The vendor's `Event` enum, its decoding entry point, and `EVENT_IDS`.
pub fn vendor_items(v: &Vendor) -> Vec<TokenStream> {
    let Some(format) = &v.events else {
        return Vec::new();
    };
    let all: Vec<(&Module, &Event)> = v
        .modules
        .iter()
        .flat_map(|m| m.events.iter().map(move |e| (m, e)))
        .collect();
    let variants = all.iter().map(|(m, e)| {
        let f = feature(v, m);
        let (var, module, strukt) = (&e.variant, &m.name, &m.strukt(e.strukt).name);
        let doc = docs::attrs(&format!(
            "{} (`{}`: {}; module `{}`, feature `{f}`).",
            docs::escape(&e.title),
            e.id,
            on_text(e),
            m.name
        ));
        // Boxed: events differ a lot in size, and the enum should not be as large as the largest.
        quote! {
            #doc
            #[cfg(feature = #f)]
            #var(Box<#module::#strukt>),
        }
    });
    let n = format.discriminators.len();
    let idx = (0..n).map(proc_macro2::Literal::usize_unsuffixed);
    let arms = all.iter().map(|(m, e)| {
        let f = feature(v, m);
        let var = &e.variant;
        let id = e.id.as_str();
        let pats = format
            .discriminators
            .iter()
            .map(|d| match e.on.iter().find(|(k, _)| k == d) {
                Some((_, val)) => quote!(Some(#val)),
                None => quote!(_),
            });
        quote! {
            #[cfg(feature = #f)]
            [#(#pats),*] => push.decode(#id).map(|e| Event::#var(Box::new(e))),
        }
    });
    let id_arms = all.iter().map(|(m, e)| {
        let f = feature(v, m);
        let var = &e.variant;
        let id = e.id.as_str();
        quote! {
            #[cfg(feature = #f)]
            Event::#var(_) => Some(#id),
        }
    });
    let ids: Vec<&str> = all.iter().map(|(_, e)| e.id.as_str()).collect();
    let discriminators = &format.discriminators;
    let (entry, parse, what) = match format.format {
        PushFormat::Xml => (
            format_ident!("from_xml"),
            quote!(from_xml),
            "XML document (`<xml>...</xml>`)",
        ),
        PushFormat::Json => (format_ident!("from_json"), quote!(from_json), "JSON object"),
    };
    let enum_doc = docs::attrs(&format!(
        "An event {title} pushes to the app's callback URL, decoded: one variant per event of the spec whose module's cargo feature is on, and `Unknown` for any other push.\n\nRead one with [`Event::{entry}`] from the decrypted {what}. It serialises as the push's own fields (wire names), so `serde_json::to_string(&event)` prints it as JSON.",
        title = v.title
    ));
    let entry_doc = docs::attrs(&format!(
        "Decodes a decrypted push (a {what}, at most [`crate::events::MAX_EVENT_BYTES`]).\n\nThe discriminators ({}) pick the event. A push whose discriminators the spec does not list (or whose module's feature is off) is `Event::Unknown` with the raw text, never an error. A listed event whose fields do not decode is [`crate::events::EventError::Field`], naming the event and the field; text that is not a {what} is [`crate::events::EventError::Malformed`].",
        discriminators
            .iter()
            .map(|d| format!("`{d}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let id_doc = docs::attrs(&format!(
        "The event's spec id (`Some(\"{}\")`), or `None` for `Unknown`.",
        all.first().map_or("id", |(_, e)| e.id.as_str())
    ));
    let ids_doc = docs::attrs(&format!(
        "Every event id of {} in spec order, whether or not its module's feature is on.",
        v.title
    ));
    vec![
        quote! {
            #enum_doc
            #[derive(Clone, Debug, PartialEq, serde::Serialize)]
            #[serde(untagged)]
            #[non_exhaustive]
            pub enum Event {
                #(#variants)*
                /// A push the spec does not list (or whose module's feature is off): its discriminators
                /// as found, and the raw text.
                Unknown(crate::events::UnknownEvent),
            }
        },
        quote! {
            impl Event {
                #entry_doc
                pub fn #entry(text: &str) -> Result<Event, crate::events::EventError> {
                    let push = crate::events::Push::#parse(text, &[#(#discriminators),*])?;
                    match [#(push.discriminator(#idx)),*] {
                        #(#arms)*
                        _ => Ok(Event::Unknown(push.into_unknown())),
                    }
                }

                #id_doc
                pub fn id(&self) -> Option<&'static str> {
                    match self {
                        #(#id_arms)*
                        Event::Unknown(_) => None,
                    }
                }
            }
        },
        quote! {
            #ids_doc
            pub const EVENT_IDS: &[&str] = &[#(#ids),*];
        },
    ]
}
