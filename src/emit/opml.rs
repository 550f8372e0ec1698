//! OPML 2.0 list of the named feeds, for importing into feed readers.

use super::rfc822;
use super::sanitize::{clean_text, one_line};
use super::xml::document;
use jiff::Timestamp;
use quick_xml::events::BytesText;

/// One feed listed in the OPML file.
#[derive(Debug, Clone, PartialEq)]
pub struct OpmlFeed {
    /// Title shown by readers.
    pub title: String,
    /// Description.
    pub description: String,
    /// Feed language (`mul` left out).
    pub language: String,
    /// Absolute URL of the feed document.
    pub xml_url: String,
    /// Absolute URL of the human page.
    pub html_url: String,
}

/// Writes an OPML 2.0 subscription list.
pub fn write(title: &str, created: Timestamp, feeds: &[OpmlFeed]) -> String {
    document(|w| {
        w.create_element("opml")
            .with_attribute(("version", "2.0"))
            .write_inner_content(|w| {
                w.create_element("head").write_inner_content(|w| {
                    w.create_element("title")
                        .write_text_content(BytesText::new(&one_line(title)))?;
                    w.create_element("dateCreated")
                        .write_text_content(BytesText::new(&rfc822(created)))?;
                    w.create_element("docs")
                        .write_text_content(BytesText::new("http://opml.org/spec2.opml"))?;
                    Ok(())
                })?;
                w.create_element("body").write_inner_content(|w| {
                    for feed in feeds {
                        let title = one_line(&feed.title);
                        let mut el = w
                            .create_element("outline")
                            .with_attribute(("type", "rss"))
                            .with_attribute(("text", title.as_str()))
                            .with_attribute(("title", title.as_str()))
                            .with_attribute(("xmlUrl", clean_text(&feed.xml_url).as_str()))
                            .with_attribute(("htmlUrl", clean_text(&feed.html_url).as_str()));
                        let description = one_line(&feed.description);
                        if !description.is_empty() {
                            el = el.with_attribute(("description", description.as_str()));
                        }
                        if feed.language != "mul" && !feed.language.is_empty() {
                            el = el.with_attribute(("language", feed.language.as_str()));
                        }
                        el.write_empty()?;
                    }
                    Ok(())
                })?;
                Ok(())
            })?;
        Ok(())
    })
}
