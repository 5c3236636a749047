//! The docs' example XML pushes read into JSON by the rules the runtime reads a push with
//! (`generated-client/src/events/xml.rs`, of which this is a copy less its tests: the codegen does
//! not depend on the runtime crate). `Types::read_text` then reads the texts by the declared types.

use quick_xml::events::Event;
use quick_xml::reader::Reader;
use serde_json::{Map, Value};

/// As deep as the runtime accepts (`workapi::events::MAX_XML_DEPTH`).
const MAX_XML_DEPTH: usize = 32;

/// One element being read: its name, its child elements so far, its text so far.
struct Open {
    name: String,
    children: Map<String, Value>,
    text: Text,
    has_children: bool,
}

/// The text of an element as read: its CDATA sections, and its other text in pieces.
#[derive(Default)]
struct Text {
    pieces: Vec<(bool, String)>,
    cdata: bool,
}

impl Text {
    fn push(&mut self, piece: &str) {
        // Text between two CDATA sections is one piece, however many references it holds.
        match self.pieces.last_mut() {
            Some((false, last)) => last.push_str(piece),
            _ => self.pieces.push((false, piece.to_owned())),
        }
    }

    fn push_cdata(&mut self, piece: &str) {
        self.cdata = true;
        self.pieces.push((true, piece.to_owned()));
    }

    /// The element's text. Beside a CDATA section, text that is only whitespace is the layout of
    /// the document (`<Name>\n  <![CDATA[x]]>\n</Name>`), not part of the value.
    fn finish(self) -> String {
        let cdata = self.cdata;
        self.pieces
            .into_iter()
            .filter(|(is_cdata, piece)| !cdata || *is_cdata || !piece.trim().is_empty())
            .map(|(_, piece)| piece)
            .collect()
    }
}

/// Reads `text` into the root element's fields, or says what is wrong with it.
// The caller has checked `text` against MAX_EVENT_BYTES.
pub fn to_value(text: &str) -> Result<Map<String, Value>, String> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Map<String, Value>> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("at byte {}: {e}", reader.error_position()))?;
        let at = reader.buffer_position();
        match event {
            Event::Start(s) => {
                if root.is_some() {
                    return Err(format!("at byte {at}: an element after the root element"));
                }
                if stack.len() >= MAX_XML_DEPTH {
                    return Err(format!("at byte {at}: elements nested deeper than {MAX_XML_DEPTH}"));
                }
                stack.push(Open {
                    name: s.name().as_ref().to_owned(),
                    children: Map::new(),
                    text: Text::default(),
                    has_children: false,
                });
            }
            Event::Empty(s) => match stack.last_mut() {
                Some(parent) => {
                    parent.has_children = true;
                    insert(
                        &mut parent.children,
                        s.name().as_ref().to_owned(),
                        Value::String(String::new()),
                    );
                }
                None if root.is_none() => root = Some(Map::new()),
                None => return Err(format!("at byte {at}: an element after the root element")),
            },
            Event::Text(t) => match stack.last_mut() {
                Some(open) => open.text.push(&t.xml10_content()),
                None if t.xml10_content().trim().is_empty() => {}
                None => return Err(format!("at byte {at}: text outside the root element")),
            },
            Event::CData(c) => match stack.last_mut() {
                Some(open) => open.text.push_cdata(&c.into_inner()),
                None => return Err(format!("at byte {at}: CDATA outside the root element")),
            },
            Event::GeneralRef(r) => {
                let Some(open) = stack.last_mut() else {
                    return Err(format!("at byte {at}: an entity reference outside the root element"));
                };
                let name = r.xml10_content();
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref().ok().flatten().map(String::from)
                } else {
                    quick_xml::escape::resolve_predefined_entity(&name).map(str::to_owned)
                };
                match resolved {
                    Some(s) => open.text.push(&s),
                    None => return Err(format!("at byte {at}: unknown entity or character reference &{name};")),
                }
            }
            Event::End(_) => {
                // The reader checks that end tags match their start tags.
                let Some(open) = stack.pop() else {
                    return Err(format!("at byte {at}: a closing tag with no opening one"));
                };
                let value = if open.has_children {
                    Value::Object(open.children)
                } else {
                    Value::String(open.text.finish())
                };
                match (stack.last_mut(), value) {
                    (Some(parent), value) => {
                        parent.has_children = true;
                        insert(&mut parent.children, open.name, value);
                    }
                    (None, Value::Object(fields)) => root = Some(fields),
                    // A root with only text has no fields.
                    (None, _) => root = Some(Map::new()),
                }
            }
            Event::DocType(_) => return Err(format!("at byte {at}: a DOCTYPE is not accepted in a push")),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!("the text ends inside <{}>", open.name));
    }
    root.ok_or_else(|| "no root element".to_owned())
}

/// Adds a child; a name met again becomes an array of every occurrence.
fn insert(map: &mut Map<String, Value>, name: String, value: Value) {
    match map.get_mut(&name) {
        None => {
            map.insert(name, value);
        }
        Some(Value::Array(items)) => items.push(value),
        Some(first) => {
            let first = first.take();
            map.insert(name, Value::Array(vec![first, value]));
        }
    }
}
