//! Markdown to HTML that is safe to put in the webview. Pack text is untrusted: the HTML from
//! pulldown-cmark passes through ammonia's allow-list, which drops scripts, event handlers,
//! `javascript:` links and anything else not on it.

use pulldown_cmark::{html, Options, Parser};

pub fn markdown_to_safe_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(&unsafe_html)
        .to_string()
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

#[cfg(test)]
mod tests {
    use super::{markdown_to_safe_html, markdown_to_text};

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
