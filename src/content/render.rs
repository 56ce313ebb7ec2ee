//! Markdown to HTML that is safe to put in the webview. Pack text is untrusted: the HTML from
//! pulldown-cmark passes through ammonia's allow-list, which drops scripts, event handlers,
//! `javascript:` links and anything else not on it.
//!
//! Images name files in the pack's media folder; they are inlined as `data:` URIs so lessons
//! render offline with no file access from the webview. An SVG shown through `<img>` cannot run
//! script, and the loader has already refused SVGs with active content.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use base64::Engine;
use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

/// Code block languages whose class survives sanitizing, so the UI can highlight them.
const CODE_LANGUAGES: [&str; 12] = [
    "language-yaml",
    "language-json",
    "language-toml",
    "language-sh",
    "language-bash",
    "language-shell",
    "language-console",
    "language-go",
    "language-python",
    "language-dockerfile",
    "language-markdown",
    "language-text",
];

pub fn markdown_to_safe_html(markdown: &str) -> String {
    markdown_with_media_to_safe_html(markdown, |_| None)
}

/// Like [`markdown_to_safe_html`], with images resolved by `media`: given a path such as
/// `media/loop.svg`, it returns the file's bytes. Images it cannot resolve are dropped.
pub fn markdown_with_media_to_safe_html<'m>(
    markdown: &str,
    mut media: impl FnMut(&str) -> Option<Cow<'m, [u8]>>,
) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let inlined = data_uri(&dest_url, &mut media).unwrap_or_default();
            Event::Start(Tag::Image {
                link_type,
                dest_url: CowStr::from(inlined),
                title,
                id,
            })
        }
        other => other,
    });
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .add_url_schemes(["data"])
        .add_allowed_classes("code", CODE_LANGUAGES)
        .attribute_filter(|element, attribute, value| {
            // `data:` only for the images inlined above, never for links.
            let inlined_image = element == "img" && attribute == "src";
            if is_data_url(value) && !(inlined_image && value.starts_with("data:image/")) {
                return None;
            }
            Some(value.into())
        })
        .clean(&unsafe_html)
        .to_string()
}

/// Markdown to HTML that still names its images by path (`media/x.png`), for the flash-card path
/// that inlines media and sanitizes: [`html_with_media_to_safe_html`]. Not safe on its own.
pub fn markdown_to_html_naming_media(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // Flash HTML names a media file without its folder (`<img src="x.png">`), as Anki does.
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: match dest_url.strip_prefix("media/") {
                Some(name) => CowStr::from(name.to_owned()),
                None => dest_url,
            },
            title,
            id,
        }),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut html, events);
    html
}

/// HTML from another app (an Anki field) made safe, with its media inlined: `<img src="x.png">`
/// and Anki's `[sound:x.mp3]` become `data:` URIs of the files `media` returns by name; media it
/// cannot resolve, remote URLs and every `data:` URI already in the text are dropped.
pub fn html_with_media_to_safe_html(
    html: &str,
    mut media: impl FnMut(&str) -> Option<Vec<u8>>,
) -> String {
    let with_audio = sounds_to_audio(html);
    // First pass: sanitize, and collect the media names the HTML shows.
    let names = Arc::new(Mutex::new(BTreeSet::new()));
    let collected = Arc::clone(&names);
    let clean = media_builder()
        .attribute_filter(move |element, attribute, value| {
            if is_media_src(element, attribute) {
                collected
                    .lock()
                    .expect("not poisoned")
                    .insert(value.to_owned());
            }
            Some(value.into())
        })
        .clean(&with_audio)
        .to_string();
    let names = std::mem::take(&mut *names.lock().expect("not poisoned"));
    let inlined: HashMap<String, String> = names
        .into_iter()
        .filter_map(|name| {
            let uri = data_uri(&name, &mut |n: &str| media(n).map(Cow::Owned))?;
            Some((name, uri))
        })
        .collect();
    // Second pass: media names become the data URIs, and nothing else may be a data URI.
    media_builder()
        .add_url_schemes(["data"])
        .attribute_filter(move |element, attribute, value| {
            if is_media_src(element, attribute) {
                return inlined.get(value).map(|uri| Cow::Owned(uri.clone()));
            }
            (!is_data_url(value)).then(|| value.into())
        })
        .clean(&clean)
        .to_string()
}

/// Whether a URL is a `data:` URL as a browser reads it: leading spaces and controls dropped,
/// tabs and newlines anywhere removed (`d&#9;ata:` is `data:`), the scheme in any case.
fn is_data_url(value: &str) -> bool {
    let mut scheme = value
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .skip_while(|c| *c <= ' ');
    "data:"
        .chars()
        .all(|want| scheme.next().is_some_and(|c| c.eq_ignore_ascii_case(&want)))
}

fn is_media_src(element: &str, attribute: &str) -> bool {
    matches!(element, "img" | "audio") && attribute == "src"
}

fn media_builder() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .link_rel(Some("noopener noreferrer"))
        .add_tags(["audio"])
        .add_tag_attributes("audio", ["src", "controls"])
        .add_allowed_classes("span", ["cloze"])
        .add_allowed_classes("code", CODE_LANGUAGES);
    builder
}

/// Anki's `[sound:name]` as an audio player of that file.
fn sounds_to_audio(html: &str) -> Cow<'_, str> {
    if !html.contains("[sound:") {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 32);
    let mut rest = html;
    while let Some(start) = rest.find("[sound:") {
        let after = &rest[start + 7..];
        let Some(end) = after.find(']') else { break };
        out.push_str(&rest[..start]);
        let name = html_escape::encode_double_quoted_attribute(&after[..end]);
        out.push_str(&format!("<audio controls src=\"{name}\"></audio>"));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn data_uri<'m>(
    path: &str,
    media: &mut impl FnMut(&str) -> Option<Cow<'m, [u8]>>,
) -> Option<String> {
    let mime = match path.rsplit('.').next()?.to_ascii_lowercase().as_str() {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "ogg" | "oga" => "audio/ogg",
        "m4a" => "audio/mp4",
        "flac" => "audio/flac",
        "webm" => "audio/webm",
        _ => return None,
    };
    let bytes = media(path)?;
    let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
    Some(format!("data:{mime};base64,{encoded}"))
}

/// The words of a Markdown text without its markup, for indexing and snippets.
pub fn markdown_to_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, TagEnd};
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock,
            ) => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// Markup nested deeper than this is refused on import: sanitizing and laying out a tree costs
/// more than linear time in its depth (10k levels took seconds), and no card or lesson needs it.
pub const MAX_NESTING: usize = 64;

/// Elements that never hold others, and elements whose end tag a parser implies when the next
/// one starts (`<p>a<p>b` is two paragraphs, not one inside the other): neither nests.
const NOT_NESTING: [&str; 29] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "p", "li", "dt", "dd", "tr", "td", "th", "tbody", "thead", "tfoot",
    "option", "optgroup", "rt", "rp",
];

/// How deep the elements of `html` nest, counting to `cap + 1` at most, in one pass before any
/// HTML parser sees it. Unclosed elements count as open; an end tag closes the innermost open
/// element of its name and is ignored if none is open, as an HTML parser does.
pub fn html_depth(html: &str, cap: usize) -> usize {
    let bytes = html.as_bytes();
    let mut open: Vec<&str> = Vec::new();
    let mut deepest = 0;
    let mut i = 0;
    while let Some(at) = bytes[i..].iter().position(|&b| b == b'<') {
        i += at + 1;
        if bytes[i..].starts_with(b"!--") {
            match html[i..].find("-->") {
                Some(end) => i += end + 3,
                None => break,
            }
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let start = i + usize::from(closing);
        let len = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if len == 0 || !bytes[start].is_ascii_alphabetic() {
            continue;
        }
        let name = &html[start..start + len];
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(bytes.len(), |e| start + e);
        i = end.min(bytes.len());
        if closing {
            if let Some(k) = open.iter().rposition(|o| o.eq_ignore_ascii_case(name)) {
                open.truncate(k);
            }
        } else if !NOT_NESTING.iter().any(|n| n.eq_ignore_ascii_case(name))
            && !html[start..i].ends_with('/')
        {
            open.push(name);
            deepest = deepest.max(open.len());
            if deepest > cap {
                break;
            }
        }
    }
    deepest
}

/// How deep Markdown nests: its lists, quotes and emphasis, and the HTML written in it.
pub fn markdown_depth(markdown: &str) -> usize {
    let (mut depth, mut deepest, mut html) = (0usize, 0usize, String::new());
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(_) => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Html(text) | Event::InlineHtml(text) => html.push_str(&text),
            _ => {}
        }
    }
    deepest.max(html_depth(&html, MAX_NESTING))
}

/// Whether `html` nests deeper than [`MAX_NESTING`].
pub fn too_deep(html: &str) -> bool {
    html_depth(html, MAX_NESTING) > MAX_NESTING
}

/// Whether `markdown` nests deeper than [`MAX_NESTING`].
pub fn too_deep_markdown(markdown: &str) -> bool {
    markdown_depth(markdown) > MAX_NESTING
}

#[cfg(test)]
mod tests {
    use super::{
        html_depth, markdown_depth, markdown_to_safe_html, markdown_to_text, too_deep,
        too_deep_markdown, MAX_NESTING,
    };

    #[test]
    fn data_links_are_dropped_however_their_scheme_is_spelt() {
        for href in [
            "data:text/html,x",
            " DATA:text/html,x",
            "d&#9;ata:text/html,x",
            "da&#10;ta:x",
        ] {
            let html = markdown_to_safe_html(&format!("<a href=\"{href}\">x</a>"));
            assert!(
                !html.to_ascii_lowercase().contains("ata:"),
                "{href} -> {html}"
            );
        }
    }

    #[test]
    fn nesting_is_measured_as_written() {
        assert_eq!(html_depth("plain", 64), 0);
        assert_eq!(html_depth("<div><b>x</b><i>y</i></div>", 64), 2);
        // Void and self-closed elements, and those whose end tag is implied, add no level.
        assert_eq!(html_depth("<p>a<p>b<br><img src=x.png><li>c", 64), 0);
        assert_eq!(html_depth("<x/><y />", 64), 0);
        // An end tag closes its own element; a stray one is ignored; comments are skipped.
        assert_eq!(html_depth("<div><span></div><div><span></div>", 64), 2);
        assert_eq!(html_depth("<div></span><div></span><div>", 64), 3);
        assert_eq!(html_depth("<!-- <div><div> --><b>", 64), 1);
        assert_eq!(html_depth("a < b and <3", 64), 0);
        // Counting stops one past the cap, however deep the text goes.
        assert_eq!(html_depth(&"<div>".repeat(100_000), 64), 65);
        assert!(too_deep(&"<div>".repeat(10_000)));
        assert!(!too_deep("<div>".repeat(MAX_NESTING).as_str()));
        assert_eq!(markdown_depth("- a\n  - b\n"), 4, "list, item, list, item");
        let quotes = format!("{} x\n", ">".repeat(1_000));
        assert!(too_deep_markdown(&quotes));
        let list: String = (0..200)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect();
        assert!(too_deep_markdown(&list));
        assert!(!too_deep_markdown("Some *text* with <b>html</b>."));
    }

    #[test]
    fn markup_is_dropped_for_plain_text() {
        assert_eq!(
            markdown_to_text("The **kube-scheduler** reads\n`spec.nodeName`.\n\n- one\n"),
            "The kube-scheduler reads spec.nodeName.\none\n"
        );
    }

    #[test]
    fn markdown_renders_and_reflows() {
        let html = markdown_to_safe_html("A `Dockerfile` lists\nthe steps.\n\n- one\n- two\n");
        assert_eq!(
            html,
            "<p>A <code>Dockerfile</code> lists\nthe steps.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
        );
    }

    #[test]
    fn media_images_are_inlined_and_other_data_uris_dropped() {
        let svg = b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec();
        let html = super::markdown_with_media_to_safe_html(
            "![loop](media/loop.svg) ![gone](media/missing.png) \
             [x](data:text/html;base64,PHNjcmlwdD4=) <img src=\"data:text/html,hi\">\n\n\
             ```yaml\nkind: Pod\n```\n",
            |path| (path == "media/loop.svg").then(|| svg.as_slice().into()),
        );
        assert!(
            html.contains(r#"<img src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0naHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmcnLz4=" alt="loop">"#),
            "{html}"
        );
        assert!(!html.contains("media/missing.png"), "{html}");
        assert!(!html.contains("text/html"), "{html}");
        assert!(html.contains(r#"<code class="language-yaml">"#), "{html}");
    }

    #[test]
    fn script_and_handlers_are_removed() {
        let html = markdown_to_safe_html(
            "Hi <script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("Hi"), "{html}");
    }
}
