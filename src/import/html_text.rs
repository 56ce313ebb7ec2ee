//! The plain text of a field that may hold HTML, for search and for lists that show text.
//!
//! A full HTML parse (html5ever, through ammonia) is right for any input but took a fifth of a
//! 100k-note import, where nearly every field is text with a few formatting tags. Such fields
//! take a fast path: tags from a short list, without quoted attributes, are dropped as the parser
//! would drop them. Anything else (comments, raw-text elements, tables, which the parser may
//! reorder, a `<` it would read otherwise) goes to the parser, and a property test holds the two
//! to the same text.

use std::sync::LazyLock;

/// The text of a field that may hold HTML: tags dropped (scripts with their content), entities
/// decoded. The result is plain text, shown as text.
pub(crate) fn html_to_text(field: &str) -> String {
    if !field.contains(['<', '&']) {
        return field.to_owned();
    }
    let stripped = strip_simple_tags(field).unwrap_or_else(|| parsed_text(field));
    html_escape::decode_html_entities(&stripped).into_owned()
}

/// The text as the HTML parser leaves it, entities still escaped.
fn parsed_text(field: &str) -> String {
    static TEXT_ONLY: LazyLock<ammonia::Builder<'static>> = LazyLock::new(ammonia::Builder::empty);
    TEXT_ONLY.clean(field).to_string()
}

/// Tags whose only effect on the text is to be dropped: no raw text, no reordering by the
/// parser, no newline eaten after them (as `<pre>` does).
const SIMPLE_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "big",
    "blockquote",
    "br",
    "center",
    "cite",
    "code",
    "del",
    "dfn",
    "div",
    "em",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// `field` without its tags, if every tag is a simple one and nothing else needs the parser;
/// `None` sends the field to the parser.
fn strip_simple_tags(field: &str) -> Option<String> {
    // The parser turns CR LF into LF and NUL into U+FFFD; an entity it reads without its `;`
    // may differ from the decoder's reading.
    if field.contains(['\r', '\0']) || !entities_terminated(field) {
        return None;
    }
    let mut out = String::with_capacity(field.len());
    let mut rest = field;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_start = after.strip_prefix('/').unwrap_or(after);
        if !name_start.starts_with(|c: char| c.is_ascii_alphabetic()) {
            // `<` before a space or digit is text; `<!`, `<?`, `</ ` are comments to the parser.
            if after.starts_with(['!', '?', '/']) {
                return None;
            }
            out.push('<');
            rest = after;
            continue;
        }
        let name_len = name_start
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .unwrap_or(name_start.len());
        let name = name_start[..name_len].to_ascii_lowercase();
        if SIMPLE_TAGS.binary_search(&name.as_str()).is_err() {
            return None;
        }
        let tag = &name_start[name_len..];
        let close = tag.find('>')?;
        // A quote may hide a `>`; a `<` inside a tag is read in ways not worth copying.
        if !plain_attributes(&tag[..close]) {
            return None;
        }
        rest = &tag[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// Whether a tag's attributes are `name=value` pairs without quotes or `<`.
fn plain_attributes(attrs: &str) -> bool {
    !attrs.contains(['"', '\'', '<', '`'])
}

/// Whether every `&` starts a reference both readers read alike: a number, or one of the
/// common names, closed by `;` (the parser also reads `&copyright;` as `©right;`).
fn entities_terminated(field: &str) -> bool {
    field.match_indices('&').all(|(at, _)| {
        let reference = &field[at + 1..];
        let Some((name, _)) = reference.split_once(';') else {
            return false;
        };
        let numeric = match name.strip_prefix('#') {
            Some(n) => match n.strip_prefix(['x', 'X']) {
                Some(hex) => !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()),
                None => !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()),
            },
            None => false,
        };
        numeric || matches!(name, "amp" | "lt" | "gt" | "quot" | "apos" | "nbsp")
    })
}

/// Inline tags the sanitizer keeps as they are when written plainly: no attributes, closed in
/// order. Block tags are left out: the parser closes a `<p>` at a `<div>`, an `<li>` at the next.
const KEPT_INLINE: &[&str] = &[
    "b", "code", "div", "em", "i", "mark", "s", "small", "span", "strong", "sub", "sup", "u",
];

/// Whether sanitizing would give `html` back unchanged: tags from [`KEPT_INLINE`] without
/// attributes, opened and closed in order, `<br>`, text without `>`, and only the references the
/// serializer writes back as they are. Most fields of most decks are like this; the rest go
/// through the sanitizer.
pub(crate) fn sanitizes_to_itself(html: &str) -> bool {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = html;
    loop {
        let text_end = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..text_end];
        if text.contains(['>', '\r', '\0']) || !text_references_kept(text) {
            return false;
        }
        if text_end == rest.len() {
            return open.is_empty();
        }
        let Some(close) = rest[text_end..].find('>') else {
            return false;
        };
        let tag = &rest[text_end + 1..text_end + close];
        rest = &rest[text_end + close + 1..];
        if tag == "br" {
            continue;
        }
        match tag.strip_prefix('/') {
            Some(name) => {
                if open.pop() != Some(name) {
                    return false;
                }
            }
            None if KEPT_INLINE.binary_search(&tag).is_ok() => open.push(tag),
            None => return false,
        }
    }
}

/// Whether each reference in `text` is one the serializer writes back as it is.
fn text_references_kept(text: &str) -> bool {
    text.match_indices('&').all(|(at, _)| {
        let reference = &text[at..];
        ["&amp;", "&lt;", "&gt;", "&nbsp;"]
            .iter()
            .any(|kept| reference.starts_with(kept))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tags_and_entities() {
        assert_eq!(html_to_text("<b>bold</b> &amp; <i>it</i>"), "bold & it");
        assert_eq!(html_to_text("x<script>alert(1)</script>y"), "xy");
        assert_eq!(html_to_text("1 < 2"), "1 < 2");
        assert_eq!(html_to_text("a<br>b<div>c</div>"), "abc");
        assert_eq!(html_to_text("<a href=x.html>link</a>"), "link");
    }

    #[test]
    fn the_fast_path_leaves_hard_fields_to_the_parser() {
        for field in [
            "<!-- x -->y",
            "<table><tr><td>a</td></tr>b</table>",
            "<pre>\nx</pre>",
            "<span title=\"a>b\">c</span>",
            "AT&T",
            "a\r\nb<b>c</b>",
            "</ x>",
        ] {
            assert_eq!(strip_simple_tags(field), None, "{field}");
        }
        assert_eq!(
            strip_simple_tags("<b>x</b> &lt; y").as_deref(),
            Some("x &lt; y")
        );
    }

    /// Pieces that fields from other apps are made of, the awkward ones among them.
    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "word",
            " ",
            "é",
            "1 < 2",
            "a<3",
            "<b>",
            "</b>",
            "<i>",
            "</i>",
            "<br>",
            "<br/>",
            "<div>",
            "</div>",
            "<span class=x>",
            "</span>",
            "<a href=y.html>",
            "</a>",
            "<img src=p.png>",
            "&amp;",
            "&lt;",
            "&gt;",
            "&nbsp;",
            "&#39;",
            "&#x41;",
            "&copy",
            "AT&T",
            "<script>",
            "</script>",
            "<style>",
            "<!--",
            "-->",
            "<table>",
            "<td>",
            "<pre>",
            "\n",
            "\r\n",
            "<",
            ">",
            "\"",
            "'",
            "<p>",
            "</p>",
            "<unknown>",
            "</>",
            "<b title=\"q>r\">",
            "<<",
            "&",
            ";",
        ])
    }

    #[test]
    fn plain_markup_sanitizes_to_itself() {
        for html in [
            "a <b>short</b> sentence",
            "x<br>y",
            "<div><i>a</i> &amp; b</div>",
            "1 &lt; 2",
        ] {
            assert!(sanitizes_to_itself(html), "{html}");
            assert_eq!(crate::import::sanitize_html(html), html);
        }
        for html in [
            "<b>open",
            "<b><i>x</b></i>",
            "<p>x",
            "a > b",
            "&#39;",
            "<b class=x>y</b>",
            "<br/>",
        ] {
            assert!(!sanitizes_to_itself(html), "{html}");
        }
    }

    proptest! {
        /// What the fast check lets through, the sanitizer gives back unchanged.
        #[test]
        fn what_sanitizes_to_itself_does(pieces in prop::collection::vec(piece(), 0..24)) {
            let html = pieces.concat();
            if sanitizes_to_itself(&html) {
                prop_assert_eq!(ammonia_clean(&html), html);
            }
        }

        #[test]
        fn plain_inline_markup_sanitizes_to_itself(
            pieces in prop::collection::vec(prop::sample::select(vec![
                "word", " ", "é", "&amp;", "&lt;", "&nbsp;", "<br>", "\n", "\"", "'",
            ]), 0..12),
            tags in prop::collection::vec(prop::sample::select(KEPT_INLINE.to_vec()), 0..4),
        ) {
            let text = pieces.concat();
            let html = tags.iter().map(|t| format!("<{t}>")).collect::<String>()
                + &text
                + &tags.iter().rev().map(|t| format!("</{t}>")).collect::<String>();
            prop_assert!(sanitizes_to_itself(&html), "{}", html);
            prop_assert_eq!(ammonia_clean(&html), html);
        }
    }

    /// The sanitizer's own output, without the fast check.
    fn ammonia_clean(html: &str) -> String {
        ammonia::Builder::default()
            .url_schemes(Default::default())
            .clean(html)
            .to_string()
    }

    proptest! {
        /// The fast path gives the parser's text, whatever the field (a field without `<` or
        /// `&` is text as it is, on either path).
        #[test]
        fn the_fast_path_reads_as_the_parser_does(
            pieces in prop::collection::vec(piece(), 0..24)
        ) {
            let field = pieces.concat();
            let parsed = match field.contains(['<', '&']) {
                true => html_escape::decode_html_entities(&parsed_text(&field)).into_owned(),
                false => field.clone(),
            };
            prop_assert_eq!(html_to_text(&field), parsed, "field: {:?}", field);
        }

        /// Fields of the common kind take the fast path, and read as parsed.
        #[test]
        fn common_fields_take_the_fast_path(
            pieces in prop::collection::vec(prop::sample::select(vec![
                "word", " ", "é", "1 < 2", "<b>", "</b>", "<br>", "<div>", "</div>",
                "<span class=x>", "</span>", "&amp;", "&#39;", "&nbsp;", "\n", "<p>", "</p>",
            ]), 1..24)
        ) {
            let field = pieces.concat() + "<i>";
            prop_assert!(strip_simple_tags(&field).is_some(), "field: {:?}", field);
            let parsed = html_escape::decode_html_entities(&parsed_text(&field)).into_owned();
            prop_assert_eq!(html_to_text(&field), parsed, "field: {:?}", field);
        }
    }
}
