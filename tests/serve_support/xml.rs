//! A strict XML reader for tests: enough of a DOM to check feeds, and a
//! failure on anything a strict parser would refuse.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// A parsed XML element: enough of a DOM for the checks below.
#[derive(Debug, Default, Clone)]
pub struct Node {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Node>,
}

impl Node {
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    pub fn all(&self, name: &str) -> Vec<&Node> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
    pub fn one(&self, name: &str) -> &Node {
        let found = self.all(name);
        assert_eq!(found.len(), 1, "<{}> needs exactly one <{name}>", self.name);
        found[0]
    }
}

fn start(e: &BytesStart<'_>) -> Node {
    let mut node = Node {
        name: e.name().as_ref().to_string(),
        ..Node::default()
    };
    for attr in e.attributes() {
        let attr = attr.unwrap_or_else(|err| panic!("bad attribute: {err}"));
        node.attrs.push((
            attr.key.as_ref().to_string(),
            attr.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .expect("attribute value unescapes")
                .into_owned(),
        ));
    }
    node
}

/// Parses strictly; panics on any well-formedness problem, on unknown
/// entities and on characters XML 1.0 forbids.
pub fn parse_strict(xml: &str) -> Node {
    for (i, c) in xml.char_indices() {
        let illegal = matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}');
        assert!(
            !illegal,
            "XML-illegal character U+{:04X} at byte {i}",
            c as u32
        );
    }
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    reader.config_mut().check_comments = true;
    let mut stack = vec![Node::default()];
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed at {}: {e}", reader.buffer_position()));
        match event {
            Event::Start(e) => stack.push(start(&e)),
            Event::Empty(e) => {
                let node = start(&e);
                stack.last_mut().unwrap().children.push(node);
            }
            Event::End(_) => {
                let node = stack.pop().unwrap();
                stack.last_mut().expect("balanced").children.push(node);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.xml10_content()),
            Event::CData(t) => stack.last_mut().unwrap().text.push_str(&t),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().expect("valid char ref") {
                    Some(c) => c,
                    None => match &*r.xml10_content() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("undefined entity &{other};"),
                    },
                };
                stack.last_mut().unwrap().text.push(c);
            }
            Event::Eof => break,
            Event::Decl(_) | Event::Comment(_) => {}
            other => panic!("unexpected XML event {other:?}"),
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut root = stack.pop().unwrap();
    assert_eq!(root.children.len(), 1, "one root element");
    root.children.pop().unwrap()
}
