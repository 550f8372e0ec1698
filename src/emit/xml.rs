//! The few quick-xml helpers the XML writers share.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::io;

/// The writer every XML format uses: UTF-8 into memory, indented.
pub(crate) type W = Writer<Vec<u8>>;

/// Runs `body` after an XML declaration and returns the document.
pub(crate) fn document(body: impl FnOnce(&mut W) -> io::Result<()>) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let result = w
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))
        .and_then(|()| body(&mut w));
    // Writing to a Vec cannot fail; a failure would be a bug in quick-xml.
    result.expect("writing XML to memory");
    String::from_utf8(w.into_inner()).expect("quick-xml writes UTF-8")
}

/// `<name>escaped value</name>`.
pub(crate) fn text(w: &mut W, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}
