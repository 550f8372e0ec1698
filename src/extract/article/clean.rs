//! Cleaning: marks what is never article text, and reads once what each
//! element's class and id say.
//!
//! Hard removals (scripts, styles, ruby readings, form controls, hidden
//! elements) always apply. Soft ones (navigation, headers, footers, asides,
//! forms, and class or id names that mean boilerplate) are vetoed when the
//! element holds most of the page's text: ASP.NET pages wrap the whole page
//! in a `<form>`, and some themes put the story inside a `header` class.
//!
//! Class and id names are matched by one Aho-Corasick automaton (ASCII case
//! folded) that sets [`ClassFlags`]; every later pass reads the flags.

pub use super::dom::ClassFlags;
use super::dom::{Dom, ElementRef, Kind};
use aho_corasick::{AhoCorasick, AhoCorasickKind};
use std::sync::LazyLock;

/// Words found anywhere in a class or id, and the flags they set. Includes
/// the pinyin abbreviations Chinese sites use (`xgxw` 相关新闻, `tjyd`
/// 推荐阅读, `fenxiang` 分享, `pinglun` 评论, `daohang` 导航, `dqwz` 当前位置 ...).
const NAME_WORDS: &[(&str, u16)] = {
    const S: u16 = ClassFlags::STRONG_NEGATIVE;
    const C: u16 = ClassFlags::STRONG_NEGATIVE | ClassFlags::COMMENTS;
    const W: u16 = ClassFlags::WEAK_NEGATIVE;
    const P: u16 = ClassFlags::POSITIVE;
    const CAP: u16 = ClassFlags::CAPTION;
    &[
        ("comment", C),
        ("disqus", C),
        ("reply", C),
        ("pinglun", C),
        ("share", S),
        ("social", S),
        ("related", S),
        ("recommend", S),
        ("crumb", S),
        ("newsletter", S),
        ("subscribe", S),
        ("signup", S),
        ("sponsor", S),
        ("advert", S),
        ("popular", S),
        ("trending", S),
        ("mostread", S),
        ("most-read", S),
        ("outbrain", S),
        ("taboola", S),
        ("promo", S),
        ("cookie", S),
        ("gdpr", S),
        ("consent", S),
        ("paywall", S | ClassFlags::PAYWALL),
        ("toolbar", S),
        ("tool-bar", S),
        ("pagination", S),
        ("pager", S),
        // Links to the previous and next article (WordPress `post-navigation`,
        // `nav-previous`, `prev-next` blocks).
        ("prev-next", S),
        ("next-prev", S),
        ("prevnext", S),
        ("nextprev", S),
        ("post-navigation", S),
        ("nav-previous", S),
        ("nav-next", S),
        ("previous-post", S),
        ("next-post", S),
        ("dateline", ClassFlags::BYLINE),
        ("xgxw", S),
        ("xgwz", S),
        ("xgyd", S),
        ("tjyd", S),
        ("tuijian", S),
        ("fenxiang", S),
        ("bdshare", S),
        ("jiathis", S),
        ("erweima", S),
        ("qrcode", S),
        ("paihang", S),
        ("hotnews", S),
        ("hot-news", S),
        ("hot_news", S),
        ("copyright", S),
        ("banquan", S),
        ("banner", W),
        ("combx", W),
        ("community", W),
        ("cover-wrap", W),
        ("extra", W),
        ("footer", W),
        ("header", W),
        ("legends", W),
        ("menu", W),
        ("remark", W),
        ("rss", W),
        ("shoutbox", W),
        ("sidebar", W),
        ("skyscraper", W),
        ("supplemental", W),
        ("agegate", W),
        ("popup", W),
        ("masthead", W),
        ("navbar", W),
        ("navigation", W),
        ("site-nav", W),
        ("topbar", W),
        ("widget", W),
        ("login", W),
        ("modal", W),
        // Audio and video players: their text is button labels.
        ("player", W),
        ("daohang", W),
        ("weizhi", W),
        ("dqwz", W),
        ("dangqian", W),
        // The same roles named in Spanish, Portuguese, French, Italian,
        // German and romanised Japanese, as sites in those languages name
        // their blocks (`comentarios`, `noticias-relacionadas`, `leia-tambem`,
        // `a-lire-aussi`, `kanren` 関連, `materia-conteudo`, `cuerpo-nota`).
        ("comentario", C),
        ("commentaire", C),
        ("commenti", C),
        ("kommentar", C),
        ("relacionad", S),
        ("correlat", S),
        ("tambem", S),
        ("tambien", S),
        ("lire-aussi", S),
        ("lireaussi", S),
        ("voir-aussi", S),
        ("voiraussi", S),
        ("leggi-anche", S),
        ("mas-leid", S),
        ("masleid", S),
        ("mais-lid", S),
        ("maislid", S),
        ("plus-lus", S),
        ("compartir", S),
        ("compartilh", S),
        ("partage", S),
        ("condivid", S),
        ("publicidad", S),
        ("publicite", S),
        ("pubblicita", S),
        ("anuncio", S),
        ("werbung", S),
        ("kanren", S),
        ("osusume", S),
        ("cabecera", W),
        ("cabecalho", W),
        ("rodape", W),
        ("barra-lateral", W),
        ("noticia", P),
        ("materia", P),
        ("artigo", P),
        ("articulo", P),
        ("articolo", P),
        ("artikel", P),
        ("cuerpo", P),
        ("contenido", P),
        ("conteudo", P),
        ("contenu", P),
        ("inhalt", P),
        ("honbun", P),
        ("article", P),
        ("body", P),
        ("content", P),
        ("entry", P),
        ("main", P),
        ("page", P),
        ("post", P),
        ("text", P),
        ("blog", P),
        ("story", P),
        ("zhengwen", P),
        ("neirong", P),
        ("caption", CAP),
        ("pic_txt", CAP),
        ("pictxt", CAP),
        ("pictext", CAP),
        ("img_desc", CAP),
        ("imgdesc", CAP),
        ("image-desc", CAP),
        ("photo-desc", CAP),
        ("picinfo", CAP),
        ("tuzhu", CAP),
        ("img_title", CAP),
        ("byline", ClassFlags::BYLINE),
    ]
};

/// A DFA rather than the default NFA: it is built once per process and
/// runs over every class and id of every page, where a DFA takes a few
/// instructions a byte and the NFA several times that.
static NAME_MATCHER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(AhoCorasickKind::DFA))
        .build(NAME_WORDS.iter().map(|(w, _)| w))
        .expect("static patterns")
});

/// Short class or id words that only count as whole words (`ad` must not
/// match `head`).
fn is_negative_word(word: &[u8]) -> bool {
    const WORDS: &[&str] = &[
        "ad",
        "ads",
        "adv",
        "advert",
        "gg",
        "guanggao",
        "nav",
        "tags",
        "tag",
        "foot",
        "share",
        "print",
        "author-bio",
        "bio",
        "meta",
        "rank",
        "ranking",
        "dhl",
    ];
    WORDS
        .iter()
        .any(|w| w.as_bytes().eq_ignore_ascii_case(word))
}

/// A class word that names an author (`author`, `post-author`, `author-name`).
fn is_author_word(word: &str) -> bool {
    let ends_with = |suffix: &str| {
        let (word, suffix) = (word.as_bytes(), suffix.as_bytes());
        word.len() >= suffix.len() && word[word.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    word.eq_ignore_ascii_case("author")
        || word.eq_ignore_ascii_case("author-name")
        || ends_with("-author")
        || ends_with("_author")
}

/// Reads what each element's class and id say, each distinct class
/// attribute once: pages repeat a few dozen class strings over hundreds of
/// elements, and reading one runs an automaton over it. Ids are unique,
/// so they are read as they come. The memo hashes with foldhash, seeded
/// per process so a hostile page cannot aim for collisions (SipHash cost a
/// few percent of cleaning), and starts at the size a page needs, so it is
/// not rehashed as it fills.
struct ClassReader {
    by_class: foldhash::HashMap<String, u16>,
}

impl Default for ClassReader {
    fn default() -> Self {
        ClassReader {
            by_class: foldhash::HashMap::with_capacity_and_hasher(256, Default::default()),
        }
    }
}

impl ClassReader {
    fn flags(&mut self, el: ElementRef<'_>) -> ClassFlags {
        let mut bits = el.attr("id").map_or(0, name_flags);
        if let Some(class) = el.attr("class") {
            bits |= match self.by_class.get(class) {
                Some(&known) => known,
                None => {
                    let read = name_flags(class);
                    self.by_class.insert(class.to_string(), read);
                    read
                }
            };
        }
        ClassFlags::from_bits(bits)
    }
}

/// What one class or id attribute value says.
fn name_flags(names: &str) -> u16 {
    let mut bits = 0u16;
    if names.is_empty() {
        return bits;
    }
    for m in NAME_MATCHER.find_overlapping_iter(names) {
        bits |= NAME_WORDS[m.pattern().as_usize()].1;
    }
    // Split at bytes: the words are ASCII, and each byte of a non-ASCII
    // character is a separator just as the character would be.
    for word in names.as_bytes().split(|b| !b.is_ascii_alphanumeric()) {
        if !word.is_empty() && is_negative_word(word) {
            bits |= ClassFlags::NEGATIVE_WORD;
        }
    }
    for word in names.split_ascii_whitespace() {
        if is_author_word(word) {
            bits |= ClassFlags::BYLINE;
        }
    }
    bits
}

/// Elements whose content is never text of the story.
fn is_hard_junk(el: ElementRef<'_>) -> bool {
    let name = el.name();
    if matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "head"
            | "title"
            | "select"
            | "option"
            | "button"
            | "input"
            | "textarea"
            | "rt"
            | "rp"
            | "audio"
            | "video"
            | "map"
            | "link"
            | "meta"
            | "dialog"
            | "xmp"
            | "noembed"
            | "noframes"
            | "plaintext"
    ) {
        return true;
    }
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") && name != "span" {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let has = |needle: &[u8]| {
            style
                .as_bytes()
                .windows(needle.len())
                .any(|w| w.eq_ignore_ascii_case(needle))
        };
        if has(b"none") || has(b"hidden") {
            let style: String = style
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            if style.contains("display:none") || style.contains("visibility:hidden") {
                return true;
            }
        }
    }
    false
}

/// How sure we are that an element is boilerplate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Junk {
    /// Not boilerplate.
    No,
    /// Boilerplate unless it holds most of the page's text.
    Weak,
    /// Boilerplate, whatever it holds (navigation, comment threads).
    Strong,
}

/// Whether an element is boilerplate by its tag, ARIA role, class or id.
pub fn soft_junk(el: ElementRef<'_>, flags: ClassFlags) -> Junk {
    let name = el.name();
    if matches!(name, "html" | "body" | "article" | "main" | "a") {
        return Junk::No;
    }
    if let Some(role) = el.attr("role") {
        let role = role.trim();
        if [
            "navigation",
            "banner",
            "contentinfo",
            "complementary",
            "menu",
            "menubar",
            "search",
        ]
        .iter()
        .any(|r| r.eq_ignore_ascii_case(role))
        {
            return Junk::Weak;
        }
    }
    if matches!(name, "nav" | "aside" | "menu") {
        return Junk::Strong;
    }
    if matches!(name, "header" | "footer" | "form" | "fieldset") {
        return Junk::Weak;
    }
    // Metered sites mark the story paragraphs behind the gate with
    // `paywall`; the gate itself is a box, never a `<p>` of prose.
    if name == "p" && flags.has(ClassFlags::PAYWALL) {
        return Junk::No;
    }
    let positive = flags.has(ClassFlags::POSITIVE);
    if flags.has(ClassFlags::STRONG_NEGATIVE) {
        // Only comment threads are removed whatever they hold; a "share"
        // wrapper around the whole story is kept by the weak rule.
        return if flags.has(ClassFlags::COMMENTS) && !positive {
            Junk::Strong
        } else {
            Junk::Weak
        };
    }
    if flags.has(ClassFlags::NEGATIVE_WORD) || flags.has(ClassFlags::WEAK_NEGATIVE) && !positive {
        return Junk::Weak;
    }
    Junk::No
}

/// Bylines are short: a name, a date, a place (readability's limit is 100
/// characters).
const MAX_BYLINE_WEIGHT: u32 = 100;

/// Marks removed nodes, reads class flags, computes text weights.
pub fn clean(dom: &mut Dom) {
    let n = dom.nodes.len();
    let mut hard = vec![false; n];
    let mut classes = ClassReader::default();
    for i in 1..n {
        let inherited = dom.nodes[i].parent.is_some_and(|p| hard[p]);
        hard[i] = inherited
            || match &dom.nodes[i].kind {
                Kind::Element { .. } => dom.element(i).is_some_and(is_hard_junk),
                Kind::Text(_) => false,
                Kind::Other => true,
            };
        if hard[i] {
            continue;
        }
        match &dom.nodes[i].kind {
            Kind::Text(text) => dom.text_weight[i] = super::dom::text_weight(text),
            Kind::Element { attrs, .. } if attrs.0 < attrs.1 => {
                if let Some(el) = dom.element(i) {
                    dom.class_flags[i] = classes.flags(el);
                }
            }
            _ => {}
        }
    }
    dom.compute_weights(&hard);
    let body = dom.body();
    let page_weight = dom.weight[body].max(1);
    // Wrappers of the page's <article> or <main> are never boilerplate,
    // whatever their class says (`gallery--wrapper__with-sidebar`).
    let mut holds_article = vec![false; n];
    for (i, &is_hard) in hard.iter().enumerate() {
        if !is_hard && matches!(dom.tag(i), Some("article" | "main")) {
            let mut at = dom.nodes[i].parent;
            while let Some(p) = at {
                if holds_article[p] {
                    break;
                }
                holds_article[p] = true;
                at = dom.nodes[p].parent;
            }
        }
    }
    let mut removed = hard.clone();
    dom.hard = hard;
    for i in 0..n {
        if removed[i] {
            continue;
        }
        if dom.nodes[i].parent.is_some_and(|p| removed[p]) {
            removed[i] = true;
            continue;
        }
        if holds_article[i] {
            continue;
        }
        let Some(el) = dom.element(i) else { continue };
        // A byline (author and date line) is read by the metadata pass; in
        // the body it is noise. Short, so a wrapper of the story is kept.
        let byline = dom.class_flags[i].has(ClassFlags::BYLINE)
            || el.attr("rel").is_some_and(|r| r.contains("author"))
            || el.attr("itemprop").is_some_and(|p| p.contains("author"));
        if byline && dom.weight[i] < MAX_BYLINE_WEIGHT {
            removed[i] = true;
            continue;
        }
        match soft_junk(el, dom.class_flags[i]) {
            Junk::No => {}
            Junk::Strong => removed[i] = true,
            Junk::Weak => {
                // Most of the page's text inside one "boilerplate"
                // wrapper means the wrapper is not boilerplate.
                let holds_most = dom.weight[i] * 2 > page_weight && dom.weight[i] > 200;
                removed[i] = !holds_most;
            }
        }
    }
    dom.removed = removed;
    dom.refresh_weights();
}
