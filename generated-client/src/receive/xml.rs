//! WeCom's XML, read with quick-xml: the POST envelope (`ToUserName`, `AgentID`, `Encrypt`) and
//! the decrypted message, as a small tree of elements. Depth and element count are bounded, so
//! no input can make this recurse deeply or build a huge tree.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use serde_json::{Map, Value};

/// Elements nested deeper than this are refused. WeCom's deepest events (approval state
/// changes) nest five levels.
const MAX_DEPTH: usize = 32;
/// More elements than this in one document are refused.
const MAX_ELEMENTS: usize = 10_000;

/// An element's content: its text (character data, CDATA and references joined), or its child
/// elements in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Text(String),
    Children(Vec<(String, Node)>),
}

impl Node {
    /// The element as JSON: text as a string, children as an object whose repeated names
    /// become arrays.
    pub(crate) fn to_json(&self) -> Value {
        match self {
            Node::Text(text) => Value::String(text.clone()),
            Node::Children(children) => Value::Object(children_to_json(children)),
        }
    }
}

/// Child elements as a JSON object; a name seen twice or more becomes an array of its values.
pub(crate) fn children_to_json(children: &[(String, Node)]) -> Map<String, Value> {
    let mut object = Map::new();
    for (name, node) in children {
        let value = node.to_json();
        match object.get_mut(name) {
            None => {
                object.insert(name.clone(), value);
            }
            // An element is a string or an object, so an array here was made by a repeat.
            Some(Value::Array(items)) => items.push(value),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, value]);
            }
        }
    }
    object
}

/// The text of the first child element called `name`, if it has text content.
pub(crate) fn child_text<'a>(children: &'a [(String, Node)], name: &str) -> Option<&'a str> {
    children.iter().find_map(|(n, node)| match node {
        Node::Text(text) if n == name => Some(text.as_str()),
        _ => None,
    })
}

/// Parses a document with one root element and returns the root's name and children. A root
/// holding only text has no children.
///
/// # Errors
/// A short description of the first problem: not well-formed, a DOCTYPE, an unknown entity,
/// too deep, too many elements, or not one root element.
pub(crate) fn parse_document(xml: &str) -> Result<(String, Vec<(String, Node)>), String> {
    let mut reader = Reader::from_str(xml);
    // Refuse `</a>` closing `<b>` and other malformed input rather than guessing.
    reader.config_mut().check_end_names = true;

    // The open elements: name, children so far, text pieces so far (with whether each came
    // from CDATA or a reference, which are kept even when all whitespace).
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<(String, Node)> = None;
    let mut elements = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("not well-formed XML at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(_) | Event::Empty(_) if root.is_some() => {
                return Err("more than one root element".to_owned());
            }
            Event::Start(start) => {
                elements += 1;
                if elements > MAX_ELEMENTS {
                    return Err(format!("more than {MAX_ELEMENTS} elements"));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(format!("elements nested deeper than {MAX_DEPTH}"));
                }
                stack.push(Open::new(start.name().into_inner().to_owned()));
            }
            Event::Empty(start) => {
                elements += 1;
                if elements > MAX_ELEMENTS {
                    return Err(format!("more than {MAX_ELEMENTS} elements"));
                }
                let element = (start.name().into_inner().to_owned(), Node::Text(String::new()));
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::End(_) => {
                // check_end_names makes the reader refuse an End without its Start.
                let Some(open) = stack.pop() else {
                    return Err("closing tag without an opening one".to_owned());
                };
                let element = open.finish();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::Text(text) => {
                let text = text.xml10_content();
                match stack.last_mut() {
                    Some(open) => open.text.push((text.into_owned(), false)),
                    None if text.trim().is_empty() => {}
                    None => return Err("text outside the root element".to_owned()),
                }
            }
            Event::CData(cdata) => match stack.last_mut() {
                Some(open) => open.text.push((cdata.xml10_content().into_owned(), true)),
                None => return Err("CDATA outside the root element".to_owned()),
            },
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => match resolve_predefined_entity(&reference) {
                        Some(s) => s.to_owned(),
                        None => return Err(format!("unknown entity &{};", &*reference)),
                    },
                    Err(_) => return Err(format!("bad character reference &{};", &*reference)),
                };
                match stack.last_mut() {
                    Some(open) => open.text.push((resolved, true)),
                    None => return Err("reference outside the root element".to_owned()),
                }
            }
            // Entities are never expanded; a DOCTYPE has no place in what the vendors send.
            Event::DocType(_) => return Err("a DOCTYPE is not accepted".to_owned()),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err("document ends inside an element".to_owned());
    }
    match root {
        Some((name, Node::Children(children))) => Ok((name, children)),
        Some((name, Node::Text(_))) => Ok((name, Vec::new())),
        None => Err("no root element".to_owned()),
    }
}

/// An element being read.
struct Open {
    name: String,
    children: Vec<(String, Node)>,
    /// Text pieces, each with whether it is significant even when it is all whitespace
    /// (CDATA and references are; character data between tags is layout).
    text: Vec<(String, bool)>,
}

impl Open {
    fn new(name: String) -> Self {
        Open {
            name,
            children: Vec::new(),
            text: Vec::new(),
        }
    }

    /// The element: its children when it has any (the whitespace between them is layout),
    /// else its text. `<A> <![CDATA[x]]></A>` is `x`: the space before the CDATA is layout too.
    fn finish(self) -> (String, Node) {
        if !self.children.is_empty() {
            return (self.name, Node::Children(self.children));
        }
        let has_significant = self.text.iter().any(|(_, significant)| *significant);
        let text = self
            .text
            .into_iter()
            .filter(|(piece, significant)| *significant || !has_significant || !piece.trim().is_empty())
            .map(|(piece, _)| piece)
            .collect();
        (self.name, Node::Text(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cdata_text_and_references_and_drops_layout() {
        let (root, children) = parse_document(
            "<?xml version=\"1.0\"?>\n<xml>\n <A><![CDATA[x y ]]></A>\n <B> <![CDATA[t]]></B>\n \
             <C>1 &lt; 2 &#x41;</C><D/><E><F>1</F><F>2</F></E></xml>",
        )
        .unwrap();
        assert_eq!(root, "xml");
        assert_eq!(child_text(&children, "A"), Some("x y "));
        assert_eq!(child_text(&children, "B"), Some("t"));
        assert_eq!(child_text(&children, "C"), Some("1 < 2 A"));
        assert_eq!(child_text(&children, "D"), Some(""));
        assert_eq!(
            Value::Object(children_to_json(&children))["E"],
            serde_json::json!({"F": ["1", "2"]})
        );
    }

    #[test]
    fn three_repeats_make_one_array() {
        let (_, children) = parse_document("<xml><F>1</F><F>2</F><F>3</F></xml>").unwrap();
        assert_eq!(
            Value::Object(children_to_json(&children)),
            serde_json::json!({"F": ["1", "2", "3"]})
        );
    }

    #[test]
    fn refuses_what_the_vendor_never_sends() {
        for bad in [
            "",
            "<xml>",
            "<xml></a>",
            "<xml/><xml/>",
            "text<xml/>",
            "<!DOCTYPE x [<!ENTITY e \"boom\">]><xml>&e;</xml>",
            "<xml>&e;</xml>",
        ] {
            assert!(parse_document(bad).is_err(), "{bad:?} was accepted");
        }
        let deep = format!("{}{}", "<a>".repeat(MAX_DEPTH + 1), "</a>".repeat(MAX_DEPTH + 1));
        assert!(parse_document(&deep).unwrap_err().contains("deeper"));
        let ok = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert!(parse_document(&ok).is_ok());
    }
}
