//! RSS 0.90–2.0 and RDF/RSS 1.0 items.
//!
//! RSS 2.0 nests items in `<channel>`; RDF puts them beside it. Both are
//! searched, so a feed that mixes them up still yields its items. Field
//! sources, first found wins: link from `<link>` (text or `href`), then a
//! permalink `<guid>`, then `atom:link`; content from `content:encoded` or
//! `xhtml:body`; dates from `pubDate`, `dc:date`, `dcterms:issued`.

use super::text::{
    RepairedText, fix_double_escape, html_to_text, non_empty, person_name, push_unique,
};
use super::xml::{Element, Ns};
use super::{Context, Feed, FeedFormat, item_image};
use crate::model::IndexEntry;

/// Maps an `<rss>`, `<rdf:RDF>` or bare `<channel>` root to a [`Feed`].
pub fn parse(root: &Element, ctx: &Context<'_>, format: FeedFormat) -> Feed {
    let channel = if root.is_core("channel") {
        Some(root)
    } else {
        root.child(|e| e.is_core("channel"))
    };
    let title = channel
        .and_then(|c| c.child(|e| e.is_core("title")))
        .map(|t| html_to_text(&t.repaired_inner_html()))
        .and_then(non_empty);
    let link = channel
        .and_then(|c| c.elements().find(|e| e.is_core("link")))
        .and_then(|l| {
            l.attr("href")
                .map(str::to_string)
                .or_else(|| Some(l.repaired_text()))
        })
        // CDF writes the home page as `<CHANNEL HREF="...">`.
        .or_else(|| channel.and_then(|c| c.attr("href")).map(str::to_string))
        .and_then(|href| ctx.resolve(channel.unwrap_or(root), &href));
    let ctx = ctx.with_site(link.as_deref(), true);
    let channel_lang = channel
        .and_then(|c| {
            c.child(|e| e.is_core("language") || e.is(Ns::Dc, "language"))
                .map(|l| l.repaired_text().trim().to_string())
                .filter(|l| !l.is_empty())
                .or_else(|| c.lang.as_deref().map(str::to_string))
        })
        .or_else(|| root.lang.as_deref().map(str::to_string));
    // RSS 1.1 (<http://inamidst.com/rss1.1/>) nests the items in the
    // channel's `<items rdf:parseType="Collection">`; RSS 1.0's `<items>`
    // holds an `rdf:Seq` of references instead, so looking inside `<items>`
    // for `<item>` elements finds RSS 1.1's and nothing twice.
    let collections = channel
        .into_iter()
        .flat_map(|c| c.elements())
        .filter(|e| e.is_core("items"))
        .flat_map(|items| items.elements());
    let items = channel
        .into_iter()
        .flat_map(|c| c.elements())
        .chain(collections)
        .chain(
            if channel.is_some_and(|c| std::ptr::eq(c, root)) {
                None
            } else {
                Some(root.elements())
            }
            .into_iter()
            .flatten(),
        )
        .filter(|e| e.is_core("item"));
    let entries = items
        .map(|item| read_item(item, &ctx, channel_lang.as_deref()))
        .collect();
    Feed {
        format,
        title,
        link,
        lang: channel_lang,
        entries,
    }
}

fn read_item(item: &Element, ctx: &Context<'_>, channel_lang: Option<&str>) -> IndexEntry {
    // Core elements share the item's namespace (RSS 2.0 put in a custom
    // namespace still works) or have none; a same-named element of another
    // vocabulary (`foo:description`) is not the item's description.
    let core = |e: &Element, name: &str| {
        (e.ns == item.ns || matches!(e.ns, Ns::None | Ns::Rss10))
            && e.name.eq_ignore_ascii_case(name)
    };
    let mut entry = IndexEntry::default();
    let mut link = None;
    let mut permalink = None;
    let mut atom_link = None;
    let mut orig_link = None;
    let mut published = None;
    let mut dc_date = None;
    let mut updated = None;
    for child in item.elements() {
        if child.name.eq_ignore_ascii_case("origLink") {
            // FeedBurner's `feedburner:origLink`: the publisher's own URL
            // behind a tracking redirect.
            if orig_link.is_none() {
                orig_link = ctx.resolve(child, &child.repaired_text());
            }
        } else if child.is(Ns::Atom, "link") {
            let rel = child.attr("rel").unwrap_or("alternate");
            if atom_link.is_none() && rel.eq_ignore_ascii_case("alternate") {
                atom_link = child.attr("href").and_then(|h| ctx.resolve(child, h));
            }
        } else if child.is(Ns::Atom, "updated") {
            updated = updated.or_else(|| ctx.date(&child.repaired_text()));
        } else if core(child, "title") {
            if entry.title.is_none() {
                entry.title = non_empty(html_to_text(&child.repaired_inner_html()));
            }
        } else if core(child, "link") {
            if link.is_none() {
                let href = child
                    .attr("href")
                    .map(str::to_string)
                    .unwrap_or_else(|| child.repaired_text());
                link = ctx.resolve(child, &href);
            }
        } else if core(child, "guid") {
            let guid = child.repaired_text().trim().to_string();
            let is_permalink = !child
                .attr("isPermaLink")
                .is_some_and(|p| p.trim().eq_ignore_ascii_case("false"));
            if is_permalink && permalink.is_none() && guid.starts_with("http") {
                permalink = ctx.resolve(child, &guid);
            }
            if entry.id.is_none() && !guid.is_empty() {
                entry.id = Some(guid);
            }
        } else if core(child, "description") {
            if entry.summary_html.is_none() {
                entry.summary_html = non_empty(
                    ctx.absolutize(child, fix_double_escape(child.repaired_inner_html())),
                );
            }
        } else if child.is(Ns::Content, "encoded") {
            if entry.content_html.is_none() {
                entry.content_html = non_empty(
                    ctx.absolutize(child, fix_double_escape(child.repaired_inner_html())),
                );
            }
        } else if child.is(Ns::Xhtml, "body") || core(child, "body") {
            if entry.content_html.is_none() {
                entry.content_html = non_empty(ctx.absolutize(child, child.inner_xml()));
            }
        } else if core(child, "pubdate") {
            published = published.or_else(|| ctx.date(&child.repaired_text()));
        } else if child.is(Ns::Dc, "date")
            || child.is(Ns::DcTerms, "issued")
            || child.is(Ns::DcTerms, "created")
            || child.is(Ns::DcTerms, "date")
        {
            dc_date = dc_date.or_else(|| ctx.date(&child.repaired_text()));
        } else if child.is(Ns::DcTerms, "modified") {
            updated = updated.or_else(|| ctx.date(&child.repaired_text()));
        } else if core(child, "author")
            || child.is(Ns::Dc, "creator")
            || child.is(Ns::Itunes, "author")
        {
            let name = child
                .child(|e| core(e, "name"))
                .map(Element::text)
                .unwrap_or_else(|| child.repaired_text());
            push_unique(&mut entry.authors, person_name(&name));
        } else if core(child, "category")
            || child.is(Ns::Dc, "subject")
            || child.is(Ns::Media, "category")
        {
            let label = child
                .attr("label")
                .map(str::to_string)
                .unwrap_or_else(|| child.repaired_text());
            push_unique(&mut entry.categories, non_empty(html_to_text(&label)));
        } else if child.is(Ns::Dc, "language") || core(child, "language") {
            entry.lang = entry.lang.or_else(|| non_empty(child.repaired_text()));
        }
    }
    entry.url = orig_link
        .or(link)
        .or(permalink)
        .or(atom_link)
        .unwrap_or_default();
    entry.published = published.or(dc_date);
    entry.updated = updated;
    entry.image = item_image(item, ctx);
    entry.lang = entry
        .lang
        .or_else(|| item.lang.as_deref().map(str::to_string))
        .or_else(|| channel_lang.map(str::to_string));
    entry
}
