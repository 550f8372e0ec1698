//! Decoding bytes from the web to UTF-8.
//!
//! Order of evidence, strongest first: a byte-order mark, the HTTP
//! `Content-Type` charset, `<meta charset>` / `http-equiv` in the first
//! kilobytes, the XML declaration, then statistical detection (chardetng).
//! A declaration is only trusted when the bytes decode under it without
//! errors; otherwise detection decides, because wires lie about encodings.
//! Bytes that are valid UTF-8 and not plain ASCII are read as UTF-8 whatever
//! is declared: single-byte encodings such as ISO-8859-1 decode anything
//! "cleanly", so a UTF-8 feed declared Latin-1 would otherwise turn to
//! mojibake, while legacy text that happens to be valid UTF-8 is vanishingly
//! rare. For the same reason a single-byte declaration loses to detection
//! when the detector reads the bytes as a CJK encoding they decode under
//! without errors (GBK templates that say ISO-8859-1). Invalid bytes are
//! replaced, never an error.

use encoding_rs::Encoding;
use std::borrow::Cow;

/// How many leading bytes are searched for a declared charset.
const PRESCAN_BYTES: usize = 4096;

/// The body decoded to UTF-8, and the encoding it was read as.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> (String, &'static Encoding) {
    let (text, encoding) = decode_borrowed(bytes, content_type);
    (text.into_owned(), encoding)
}

/// [`decode`] for a body the caller owns: when the bytes already are the
/// text (UTF-8 and ASCII pages, most of the web) they become the `String`
/// in place instead of being copied.
pub fn decode_owned(bytes: Vec<u8>, content_type: Option<&str>) -> (String, &'static Encoding) {
    // Multi-byte UTF-8 without a BOM is validated once, as it is taken.
    let bytes = if Encoding::for_bom(&bytes).is_none() && !bytes.is_ascii() {
        match String::from_utf8(bytes) {
            Ok(text) => return (text, encoding_rs::UTF_8),
            Err(invalid) => invalid.into_bytes(),
        }
    } else {
        bytes
    };
    let (copied, encoding) = {
        let (text, encoding) = decode_borrowed(&bytes, content_type);
        let copied = match text {
            Cow::Borrowed(same) if same.len() == bytes.len() => None,
            text => Some(text.into_owned()),
        };
        (copied, encoding)
    };
    let text = copied.unwrap_or_else(|| {
        // Valid: the decoder handed back the very bytes as text.
        String::from_utf8(bytes)
            .unwrap_or_else(|invalid| String::from_utf8_lossy(invalid.as_bytes()).into_owned())
    });
    (text, encoding)
}

/// The decoding, borrowed from `bytes` when they are already the text.
fn decode_borrowed<'b>(
    bytes: &'b [u8],
    content_type: Option<&str>,
) -> (Cow<'b, str>, &'static Encoding) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return (text, encoding);
    }
    if let Some(text) = (!bytes.is_ascii())
        .then(|| std::str::from_utf8(bytes).ok())
        .flatten()
    {
        return (Cow::Borrowed(text), encoding_rs::UTF_8);
    }
    let declared = content_type
        .and_then(charset_from_content_type)
        .or_else(|| declared_in_document(bytes));
    if let Some(encoding) = declared.map(widen) {
        // A declaration that decodes cleanly is believed, unless it is a
        // single-byte one over bytes that read as CJK text.
        if let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(bytes) {
            if let Some(cjk) = cjk_behind_single_byte(encoding, bytes) {
                let (text, _) = cjk.decode_without_bom_handling(bytes);
                return (text, cjk);
            }
            return (text, encoding);
        }
        // Pages in the legacy CJK encodings often hold a stray byte or a
        // character the declared table lacks; a handful of bad sequences
        // does not make the declaration a lie (a UTF-8 page mislabelled GBK
        // fails on most of its characters).
        if is_legacy_multibyte(encoding) {
            let (text, _) = encoding.decode_without_bom_handling(bytes);
            let bad = text.matches('\u{FFFD}').count();
            if bad * 200 <= text.chars().count() {
                return (text, encoding);
            }
        }
    }
    let encoding = detect(bytes);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    (text, encoding)
}

/// A legacy CJK encoding that bytes declared in a single-byte encoding
/// really are in. Single-byte tables decode any bytes "cleanly", and
/// templates say ISO-8859-1 over GBK text often enough; when the detector
/// reads the bytes as a CJK encoding under which they decode without a
/// single error, the declaration is the lie.
fn cjk_behind_single_byte(declared: &'static Encoding, bytes: &[u8]) -> Option<&'static Encoding> {
    if !declared.is_single_byte() || bytes.is_ascii() {
        return None;
    }
    let guess = detect(bytes);
    (is_legacy_multibyte(guess)
        && guess
            .decode_without_bom_handling_and_without_replacement(bytes)
            .is_some())
    .then_some(guess)
}

/// The CJK multi-byte encodings, whose pages break in small places.
fn is_legacy_multibyte(encoding: &'static Encoding) -> bool {
    [
        encoding_rs::GB18030,
        encoding_rs::GBK,
        encoding_rs::BIG5,
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_JP,
        encoding_rs::EUC_KR,
    ]
    .contains(&encoding)
}

/// GB2312 and GBK pages routinely use GB18030 characters; the superset
/// decodes all of them the same way. Likewise for Latin-1 and windows-1252
/// (encoding_rs already maps ISO-8859-1 labels to windows-1252).
fn widen(encoding: &'static Encoding) -> &'static Encoding {
    if encoding == encoding_rs::GBK {
        encoding_rs::GB18030
    } else {
        encoding
    }
}

/// Non-ASCII bytes shown to the detector at most. A few thousand are
/// plenty to tell the legacy encodings apart, and this keeps detection cost
/// flat however large the body is (it dominates fetch CPU otherwise).
const DETECT_NON_ASCII_BUDGET: usize = 2 * 1024;

/// Statistical guess for undeclared or mis-declared bytes.
pub fn detect(bytes: &[u8]) -> &'static Encoding {
    if is_nearly_utf8(bytes) {
        return encoding_rs::UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(detection_sample(bytes), true);
    widen(detector.guess(None, chardetng::Utf8Detection::Allow))
}

/// The prefix of `bytes` holding about [`DETECT_NON_ASCII_BUDGET`]
/// non-ASCII bytes. It ends after two ASCII bytes in a row: in the CJK
/// double-byte encodings a trail byte may be ASCII, but a lead byte never
/// is, so no character is split there.
fn detection_sample(bytes: &[u8]) -> &[u8] {
    let mut seen = 0;
    for (i, pair) in bytes.windows(2).enumerate() {
        if !pair[0].is_ascii() {
            seen += 1;
        } else if pair[1].is_ascii() && seen >= DETECT_NON_ASCII_BUDGET {
            return &bytes[..i + 1];
        }
    }
    bytes
}

/// UTF-8 with a few broken sequences (a page cut mid-character, one pasted
/// Latin-1 byte) is still UTF-8; chardetng only says UTF-8 for flawless
/// input and would read the whole page as windows-1252.
fn is_nearly_utf8(bytes: &[u8]) -> bool {
    if std::str::from_utf8(bytes).is_ok() {
        return false; // flawless input: chardetng decides (pure ASCII too)
    }
    // What `String::from_utf8_lossy` would hold, counted without building
    // it: one U+FFFD for each invalid sequence plus those the page writes,
    // and the other non-ASCII characters, counted by their lead bytes
    // (0xC0 and up) rather than by decoding the page.
    let (mut bad, mut multibyte) = (0, 0);
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        let written = valid.matches('\u{FFFD}').count();
        bad += written + usize::from(!chunk.invalid().is_empty());
        multibyte += valid.bytes().filter(|&b| b >= 0xC0).count() - written;
    }
    multibyte >= 20 && bad * 50 <= multibyte
}

/// `text/html; charset=GBK` → GBK.
pub fn charset_from_content_type(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| Encoding::for_label(value.trim().trim_matches(['"', '\'']).as_bytes()))
            .flatten()
    })
}

/// A charset declared inside the first bytes: `<?xml ... encoding="...">`,
/// `<meta charset="...">` or `<meta http-equiv="Content-Type" content="...;charset=...">`.
pub fn declared_in_document(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    // Declarations are ASCII; a lossy view is enough to find them.
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    for marker in ["encoding=", "charset="] {
        let mut rest = head.as_str();
        while let Some(pos) = rest.find(marker) {
            let value = &rest[pos + marker.len()..];
            let value = value.trim_start_matches(['"', '\'', ' ']);
            let end = value
                .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')))
                .unwrap_or(value.len());
            if let Some(encoding) = Encoding::for_label(&value.as_bytes()[..end]) {
                // UTF-16 cannot be declared inside an ASCII-compatible document.
                if encoding != encoding_rs::UTF_16LE && encoding != encoding_rs::UTF_16BE {
                    return Some(encoding);
                }
            }
            rest = &rest[pos + marker.len()..];
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The count over the lossy decoding of the whole page, as it was
    /// written before the counts were taken chunk by chunk.
    fn nearly_utf8_by_lossy_text(bytes: &[u8]) -> bool {
        if std::str::from_utf8(bytes).is_ok() {
            return false;
        }
        let text = String::from_utf8_lossy(bytes);
        let bad = text.matches('\u{FFFD}').count();
        let multibyte = text
            .chars()
            .filter(|c| !c.is_ascii() && *c != '\u{FFFD}')
            .count();
        multibyte >= 20 && bad * 50 <= multibyte
    }

    #[test]
    fn nearly_utf8_counts_as_the_lossy_text_does() {
        let prose = "中文新闻报道，市场价格上涨。".repeat(5);
        let mut cases: Vec<Vec<u8>> = vec![prose.as_bytes().to_vec(), b"plain ascii \xff".to_vec()];
        // One stray Latin-1 byte, a cut character, written U+FFFD, and a
        // page that is mostly broken.
        let mut stray = prose.as_bytes().to_vec();
        stray.push(0xE9);
        cases.push(stray);
        let cut = prose.as_bytes()[..prose.len() - 1].to_vec();
        cases.push(cut);
        let mut written = format!("{prose}\u{FFFD}\u{FFFD}").into_bytes();
        written.extend_from_slice(b"\xC3");
        cases.push(written);
        cases.push([prose.as_bytes(), &[0xFF; 40]].concat());
        for bytes in &cases {
            assert_eq!(
                is_nearly_utf8(bytes),
                nearly_utf8_by_lossy_text(bytes),
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
        }
        assert!(is_nearly_utf8(&cases[2]));
        assert!(!is_nearly_utf8(&cases[5]));
    }

    #[test]
    fn owned_decoding_matches_borrowed_decoding() {
        let utf8 = "<meta charset=\"utf-8\"><p>Außenhandel wächst 长三角</p>"
            .as_bytes()
            .to_vec();
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(&utf8);
        let (gbk, _, _) =
            encoding_rs::GBK.encode("<meta charset=\"gbk\"><p>长三角产业创新发展大会</p>");
        let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode("<p>Le président à Genève</p>");
        let (utf16, _, _) = encoding_rs::UTF_16LE.encode("<p>x</p>");
        let mut broken = utf8.clone();
        broken.push(0xC3);
        let cases: Vec<(Vec<u8>, Option<&str>)> = vec![
            (utf8, None),
            (bom, None),
            (
                b"<p>plain ascii</p>".to_vec(),
                Some("text/html; charset=iso-8859-1"),
            ),
            (
                b"<p>plain ascii</p>".to_vec(),
                Some("text/html; charset=utf-16le"),
            ),
            (
                b"\x1b$B<p>".to_vec(),
                Some("text/html; charset=iso-2022-jp"),
            ),
            (gbk.into_owned(), None),
            (latin1.into_owned(), Some("text/html; charset=iso-8859-1")),
            (utf16.into_owned(), Some("text/html; charset=utf-16le")),
            (broken, None),
            (Vec::new(), None),
        ];
        for (bytes, content_type) in cases {
            let borrowed = decode(&bytes, content_type);
            assert_eq!(
                decode_owned(bytes.clone(), content_type),
                borrowed,
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn a_lying_declaration_loses_to_the_bytes() {
        let (gbk, _, _) = encoding_rs::GBK.encode(
            "<meta charset=\"utf-8\"><p>长三角产业创新发展大会在杭州举行，生物医药企业聚集。</p>",
        );
        let (text, encoding) = decode(&gbk, None);
        assert!(text.contains("长三角产业创新发展大会"), "{text}");
        assert_eq!(encoding, encoding_rs::GB18030);
    }

    #[test]
    fn long_bodies_are_detected_from_a_sample() {
        let para = "<p>台積電擴大高雄先進製程投資，預計明年下半年開始量產，帶動南部半導體供應鏈聚落發展。</p>\n";
        let page = para.repeat(2000);
        let (big5, _, _) = encoding_rs::BIG5.encode(&page);
        let sample = detection_sample(&big5);
        assert!(
            sample.len() < big5.len() / 10,
            "{} of {}",
            sample.len(),
            big5.len()
        );
        assert!(sample.last().is_some_and(u8::is_ascii));
        let (text, encoding) = decode(&big5, None);
        assert_eq!(encoding, encoding_rs::BIG5);
        assert!(text.ends_with(para));
    }

    #[test]
    fn utf8_bytes_declared_latin1_stay_utf8() {
        let feed =
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><title>Außenhandel wächst</title>";
        let (text, encoding) = decode(feed.as_bytes(), Some("text/xml; charset=iso-8859-1"));
        assert_eq!(text, feed);
        assert_eq!(encoding, encoding_rs::UTF_8);
        // Real Latin-1 bytes are still read as declared.
        let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode("Außenhandel wächst");
        let (text, encoding) = decode(&latin1, Some("text/plain; charset=iso-8859-1"));
        assert_eq!(
            (text.as_str(), encoding),
            ("Außenhandel wächst", encoding_rs::WINDOWS_1252)
        );
    }

    #[test]
    fn gbk_bytes_declared_latin1_are_read_as_gbk() {
        let (gbk, _, _) = encoding_rs::GBK.encode(
            "<meta charset=\"iso-8859-1\"><p>长三角产业创新发展大会在杭州举行，生物医药企业聚集，园区规模继续扩大。</p>",
        );
        let (text, encoding) = decode(&gbk, None);
        assert_eq!(encoding, encoding_rs::GB18030);
        assert!(text.contains("生物医药企业聚集"), "{text}");
        // Latin-1 prose keeps its declaration.
        let (latin1, _, _) = encoding_rs::WINDOWS_1252
            .encode("<meta charset=\"iso-8859-1\"><p>Le président a annoncé à Genève une réforme fiscale très attendue, été comme hiver.</p>");
        let (text, encoding) = decode(&latin1, None);
        assert_eq!(encoding, encoding_rs::WINDOWS_1252);
        assert!(text.contains("président a annoncé à Genève"), "{text}");
    }

    #[test]
    fn a_declared_cjk_page_with_one_stray_byte_keeps_its_declaration() {
        let mut bytes = b"<text encoding=\"gb2312\"><p>".to_vec();
        let story = "太行山上，电影简介。".repeat(20);
        let (gbk, _, _) = encoding_rs::GBK.encode(&story);
        bytes.extend_from_slice(&gbk);
        bytes.extend_from_slice(&[0x81, 0x20]); // not a GBK sequence
        bytes.extend_from_slice(b"</p></text>");
        let (text, encoding) = decode(&bytes, None);
        assert_eq!(encoding, encoding_rs::GB18030);
        assert!(text.contains("太行山上，电影简介。"), "{text}");
    }

    #[test]
    fn utf8_with_one_broken_byte_is_still_utf8() {
        let mut bytes = "<p>Sprzeciw wobec ataków na Fundację; Stowarzyszenie zabrało głos.</p>"
            .repeat(15)
            .into_bytes();
        bytes.push(0xC3); // a lead byte without its continuation
        bytes.extend_from_slice(b" end");
        let (text, encoding) = decode(&bytes, None);
        assert_eq!(encoding, encoding_rs::UTF_8);
        assert!(text.contains("Fundację"), "{text}");
    }

    #[test]
    fn header_meta_and_bom_are_read() {
        let (big5, _, _) = encoding_rs::BIG5.encode("中央社記者黃麗芸台北3日電");
        assert_eq!(
            decode(&big5, Some("text/html; charset=big5")).0,
            "中央社記者黃麗芸台北3日電"
        );
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("東京".as_bytes());
        assert_eq!(decode(&bom, Some("text/html; charset=shift_jis")).0, "東京");
        let page = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=euc-kr\">";
        assert_eq!(declared_in_document(page), Some(encoding_rs::EUC_KR));
    }
}
