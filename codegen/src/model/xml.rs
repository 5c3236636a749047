//! The docs' example XML pushes read into JSON the way the runtime reads a push
//! (`workapi::events`): the root's children become an object, an element with children an object,
//! an element with only text its text as a string, and a name repeated among siblings an array.
//! The declared types then say which strings are numbers (`Types::read_text`).

use quick_xml::events::Event;
use quick_xml::reader::Reader;
use serde_json::{Map, Value};

/// Reads an XML document into JSON, or says what is wrong with it.
pub fn to_value(text: &str) -> Result<Value, String> {
    let mut reader = Reader::from_str(text);
    // One open element per level: its name, its children so far, its text so far.
    let mut stack: Vec<(String, Map<String, Value>, String, bool)> = Vec::new();
    let mut root: Option<Value> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(s) => {
                if root.is_some() {
                    return Err("content after the root element".to_owned());
                }
                let name = s.name().as_ref().to_owned();
                stack.push((name, Map::new(), String::new(), false));
            }
            Event::Empty(s) => {
                let name = s.name().as_ref().to_owned();
                match stack.last_mut() {
                    Some(parent) => {
                        parent.3 = true;
                        insert(&mut parent.1, name, Value::String(String::new()));
                    }
                    None => root = Some(Value::Object(Map::new())),
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.2.push_str(&t.xml10_content());
                } else if !t.xml10_content().trim().is_empty() {
                    return Err("text outside the root element".to_owned());
                }
            }
            Event::CData(c) => match stack.last_mut() {
                Some(top) => top.2.push_str(&c.into_inner()),
                None => return Err("CDATA outside the root element".to_owned()),
            },
            Event::GeneralRef(r) => {
                let Some(top) = stack.last_mut() else {
                    return Err("an entity reference outside the root element".to_owned());
                };
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref().ok().flatten().map(String::from)
                } else {
                    quick_xml::escape::resolve_predefined_entity(&r.xml10_content()).map(str::to_owned)
                };
                match resolved {
                    Some(s) => top.2.push_str(&s),
                    None => return Err(format!("unknown entity &{};", r.xml10_content())),
                }
            }
            Event::End(_) => {
                let Some((name, children, text, has_children)) = stack.pop() else {
                    return Err("a closing tag with no opening one".to_owned());
                };
                let value = if has_children {
                    Value::Object(children)
                } else {
                    Value::String(text)
                };
                match stack.last_mut() {
                    Some(parent) => {
                        parent.3 = true;
                        insert(&mut parent.1, name, value);
                    }
                    None => root = Some(Value::Object(children_or_empty(value))),
                }
            }
            Event::DocType(_) => return Err("a DOCTYPE is not accepted".to_owned()),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(format!("the document ends inside <{}>", stack[stack.len() - 1].0));
    }
    root.ok_or_else(|| "no root element".to_owned())
}

/// The root's fields: its children, or none when it holds only text.
fn children_or_empty(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// Adds a child; a name met again turns into an array of every occurrence.
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
