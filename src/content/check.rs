//! The checks a pack's parts must pass: the manifest, each term and lesson, SVG pictures and
//! media references. Each adds what it finds to the problems, with file and line.

use std::collections::{BTreeMap, HashSet};

use super::lesson::LessonFront;
use super::parse::{stem, valid_id, valid_pack_id, Document, TermFront, MANIFEST};
use super::{Manifest, Problem, FORMAT_VERSION};

/// An SVG is drawn inside the app, so it must be a picture and nothing more.
pub(super) fn check_svg(file: &str, text: &str, problems: &mut Vec<Problem>) {
    let lower = text.to_ascii_lowercase();
    let mut found: Vec<(usize, &str)> = [
        "<script",
        "foreignobject",
        "javascript:",
        "<iframe",
        "<use",
        "href=\"http",
        "href='http",
    ]
    .iter()
    .filter_map(|needle| lower.find(needle).map(|at| (at, *needle)))
    .collect();
    if let Some(at) = event_handler_at(&lower) {
        found.push((at, "an on… event handler"));
    }
    for (at, what) in found {
        problems.push(Problem {
            file: file.into(),
            line: lower[..at].matches('\n').count() + 1,
            message: format!(
                "SVG contains {what}; diagrams may hold only shapes and text, with no scripts, \
                 links or embedded content"
            ),
        });
    }
}

/// Where an attribute such as onclick= or onload = starts in lowercase markup.
fn event_handler_at(lower: &str) -> Option<usize> {
    lower
        .match_indices(" on")
        .find(|(i, _)| {
            let rest = &lower[i + 3..];
            let name_len = rest.chars().take_while(|c| c.is_ascii_alphabetic()).count();
            name_len > 0 && rest[name_len..].trim_start().starts_with('=')
        })
        .map(|(at, _)| at)
}

/// What makes raw HTML in a pack's Markdown active or not offline, if anything: it is kept as
/// written, so it must be inert before it is stored, not only once sanitized for display.
pub(crate) fn active_html(html: &str) -> Option<&'static str> {
    let lower = html.to_ascii_lowercase();
    let squeezed: String = lower.split_whitespace().collect();
    const ACTIVE: [(&str, &str); 11] = [
        ("<script", "a script"),
        ("<iframe", "an embedded page"),
        ("<object", "an embedded object"),
        ("<embed", "an embedded object"),
        ("<style", "a style sheet"),
        ("javascript:", "a javascript: link"),
        ("src=\"http", "a remote resource"),
        ("src='http", "a remote resource"),
        ("src=http", "a remote resource"),
        ("src=\"//", "a remote resource"),
        ("url(", "a style that loads a resource"),
    ];
    if let Some((_, what)) = ACTIVE.iter().find(|(needle, _)| squeezed.contains(needle)) {
        return Some(what);
    }
    if squeezed.contains("srcset=") {
        return Some("a srcset (images must be media/<file>)");
    }
    event_handler_at(&lower).map(|_| "an on… event handler")
}

/// Checks every image and relative link in Markdown: it must be a file in media/.
pub(super) fn check_media_refs(
    file: &str,
    first_line: usize,
    markdown: &str,
    media: &BTreeMap<String, Vec<u8>>,
    problems: &mut Vec<Problem>,
) {
    use pulldown_cmark::{Event, Parser, Tag};
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        if let Event::Html(html) | Event::InlineHtml(html) = &event {
            if let Some(what) = active_html(html) {
                problems.push(Problem {
                    file: file.into(),
                    line: first_line + markdown[..range.start].matches('\n').count(),
                    message: format!(
                        "the HTML here holds {what}; HTML in a pack may only lay out text \
                         offline (images are Markdown images of media/<file>)"
                    ),
                });
            }
            continue;
        }
        let (dest, is_image) = match event {
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
            _ => continue,
        };
        let external = dest.starts_with("https://") || dest.starts_with("http://");
        if external && !is_image {
            continue;
        }
        let line = first_line + markdown[..range.start].matches('\n').count();
        let ok = dest.starts_with("media/")
            && !dest.split('/').any(|part| part == ".." || part.is_empty())
            && media.contains_key(dest.as_ref());
        if !ok {
            problems.push(Problem {
                file: file.into(),
                line,
                message: format!(
                    "'{dest}' is not a file in this pack's media folder; images must be \
                     media/<file> (offline, no '..'), links must be https:// or media/<file>"
                ),
            });
        }
    }
}

pub(super) fn check_manifest(m: &Manifest, text: &str, problems: &mut Vec<Problem>) {
    let doc = Document {
        file: MANIFEST,
        front: text,
        body: "",
        body_line: 1,
    };
    // The manifest has no `+++` line, so its lines are one lower than a front matter's.
    let mut problem = |key: &str, message: String| {
        let mut p = doc.problem(key, message);
        p.line = p.line.saturating_sub(1).max(1);
        problems.push(p);
    };
    if m.format != FORMAT_VERSION {
        problem(
            "format",
            format!(
                "pack format {} is not supported; this version of Reprise reads format {FORMAT_VERSION}",
                m.format
            ),
        );
    }
    if !valid_pack_id(&m.id) {
        problem(
            "id",
            format!(
                "pack id '{}' must be dot-separated parts of lowercase letters, digits and '-', \
                 e.g. 'example.my-pack'",
                m.id
            ),
        );
    }
    for (key, value) in [("name", &m.name), ("version", &m.version)] {
        if value.trim().is_empty() {
            problem(key, format!("`{key}` must not be empty"));
        }
    }
}

pub(super) fn check_term(
    doc: &Document,
    term: &TermFront,
    areas: &HashSet<String>,
    terms: &BTreeMap<&str, &str>,
    lessons: &BTreeMap<&str, &[String]>,
    problems: &mut Vec<Problem>,
) {
    let mut problem = |key: &str, message: String| problems.push(doc.problem(key, message));
    if !valid_id(&term.id) {
        problem(
            "id",
            format!(
                "term id '{}' must be lowercase letters, digits and '-'",
                term.id
            ),
        );
    } else if stem(doc.file) != term.id {
        problem(
            "id",
            format!(
                "term id '{}' does not match the file name; rename the file to {}.md",
                term.id, term.id
            ),
        );
    }
    if term.name.trim().is_empty() {
        problem("name", "`name` must not be empty".into());
    }
    let definition = term.definition.trim();
    if definition.is_empty() {
        problem(
            "definition",
            "`definition` must not be empty: say in a sentence what the term is".into(),
        );
    }
    if !areas.contains(&term.area) {
        problem(
            "area",
            format!(
                "unknown area '{}'; add areas/{}.md or use an existing area id",
                term.area, term.area
            ),
        );
    }
    for other in &term.see_also {
        if let Some((pack, key)) = other.split_once('/') {
            // Another pack's term: its form is checked here, whether it resolves when the
            // packs are checked together (`check_together`).
            if !valid_pack_id(pack) || !valid_id(key) {
                problem(
                    "see_also",
                    format!(
                        "'{other}' in see_also is neither a term id nor '<pack id>/<term id>', \
                         such as \"reprise.networking-apis/dns\""
                    ),
                );
            }
        } else if other == &term.id {
            problem(
                "see_also",
                format!("term '{other}' lists itself in see_also"),
            );
        } else if !terms.contains_key(other.as_str()) {
            problem(
                "see_also",
                format!("unknown term '{other}' in see_also; add terms/{other}.md or fix the id"),
            );
        }
    }
    for (key, list) in [("see_also", &term.see_also), ("sources", &term.sources)] {
        let mut seen = HashSet::new();
        for item in list {
            if !seen.insert(item) {
                problem(
                    key,
                    format!("'{item}' is listed twice in `{key}`; keep one"),
                );
            }
        }
    }
    for source in &term.sources {
        if !is_https_url(source) {
            problem(
                "sources",
                format!("source '{source}' must be a whole https:// address, without spaces"),
            );
        }
    }
    for lesson in &term.lessons {
        match lessons.get(lesson.as_str()) {
            None => problem(
                "lessons",
                format!("unknown lesson '{lesson}'; add lessons/{lesson}.md or fix the id"),
            ),
            Some(taught) if !taught.contains(&term.id) => problem(
                "lessons",
                format!(
                    "lesson '{lesson}' does not list this term; add \"{}\" to its `terms` \
                     so the link works both ways",
                    term.id
                ),
            ),
            Some(_) => {}
        }
    }
    for (lesson, taught) in lessons {
        if taught.contains(&term.id) && !term.lessons.iter().any(|l| l == lesson) {
            problem(
                "lessons",
                format!(
                    "lesson '{lesson}' lists this term; add \"{lesson}\" to `lessons` so the \
                     link works both ways"
                ),
            );
        }
    }
}

pub(super) fn check_lesson(
    doc: &Document,
    lesson: &LessonFront,
    terms: &BTreeMap<&str, &[String]>,
    has_quiz: bool,
    problems: &mut Vec<Problem>,
) {
    let mut problem = |key: &str, message: String| problems.push(doc.problem(key, message));
    if !valid_id(&lesson.id) || stem(doc.file) != lesson.id {
        problem(
            "id",
            format!(
                "lesson id '{}' must be lowercase letters, digits and '-', and match the file name",
                lesson.id
            ),
        );
    }
    if lesson.title.trim().is_empty() {
        problem("title", "`title` must not be empty".into());
    }
    if lesson.summary.trim().is_empty() || lesson.summary.contains('\n') {
        problem("summary", "`summary` must be one line".into());
    }
    for tag in &lesson.tags {
        if !valid_id(tag) {
            problem(
                "tags",
                format!("tag '{tag}' must be lowercase letters, digits and '-'"),
            );
        }
    }
    if lesson.terms.is_empty() {
        problem(
            "terms",
            "a lesson must list the terms it teaches in `terms`".into(),
        );
    }
    for term in &lesson.terms {
        if !terms.contains_key(term.as_str()) {
            problem(
                "terms",
                format!("unknown term '{term}'; add terms/{term}.md or fix the id"),
            );
        }
    }
    if !has_quiz {
        problem(
            "id",
            format!(
                "lesson '{}' has no quiz; add lessons/{}.quiz.toml",
                lesson.id, lesson.id
            ),
        );
    }
}

/// A source or link a learner can open: `https://` and a host, nothing that could run or hide —
/// no user name before the host (`https://kubernetes.io@elsewhere.example` goes elsewhere) and
/// no invisible or direction-changing characters that would make its text read as another.
pub(super) fn is_https_url(text: &str) -> bool {
    let hidden = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
    };
    let Some(rest) = text.strip_prefix("https://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    !authority.is_empty() && !authority.contains('@') && !text.chars().any(hidden)
}
