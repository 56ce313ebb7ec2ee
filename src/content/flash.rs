//! Flashcards brought in from other apps (Anki): a note of HTML fields — front and back, or a
//! cloze text and its extra — and the cards it makes. The HTML was sanitized on import and is
//! sanitized again when shown, after its media are inlined.

use serde::{Deserialize, Serialize};

/// What a flash note's cards ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlashKind {
    /// Front → back, and for a reversed card back → front.
    Basic,
    /// One card per cloze number in `front`; `back` is the extra shown with every answer.
    Cloze,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlashNote {
    pub kind: FlashKind,
    /// The note type it came from, e.g. "Basic (and reversed card)".
    pub notetype: String,
    /// HTML: the front, or the cloze text.
    pub front: String,
    /// HTML: the back, or the extra of a cloze.
    pub back: String,
    /// The deck it came from, levels joined by "::".
    pub deck: String,
    pub tags: Vec<String>,
    /// How `front` and `back` are written: HTML (imported from Anki) or Markdown (written in
    /// Reprise).
    #[serde(default, skip_serializing_if = "TextFormat::is_html")]
    pub format: TextFormat,
}

/// The markup of a flash note's fields.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum TextFormat {
    /// Sanitized HTML, as other apps store it.
    #[default]
    Html,
    /// Markdown, rendered (and sanitized) as lessons are.
    Markdown,
}

impl TextFormat {
    pub fn is_html(&self) -> bool {
        *self == TextFormat::Html
    }
}

/// A flash note in a pack (`flash/*.toml`): its key, the note, and which cards it has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlashEntry {
    /// Unique in the pack; the note's stable id derives from it.
    pub key: String,
    pub note: FlashNote,
    /// Card templates: "forward" and/or "reverse" for a basic note, "c1", "c2"… for a cloze.
    pub cards: Vec<String>,
}

impl FlashEntry {
    /// What is wrong with the entry, if anything: a card the note cannot show, an empty front.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.key.trim().is_empty() || self.key.len() > 200 {
            out.push("`key` must be 1 to 200 characters".into());
        }
        if crate::import::html_to_text(&self.note.front)
            .trim()
            .is_empty()
            && !self.note.front.contains("<img")
        {
            out.push("`front` is empty".into());
        }
        for (name, field) in [("front", &self.note.front), ("back", &self.note.back)] {
            if field.len() > crate::import::MAX_FIELD_BYTES {
                out.push(format!(
                    "`{name}` is longer than {} KiB; a card is a fact, not a document",
                    crate::import::MAX_FIELD_BYTES >> 10
                ));
            }
        }
        // (HTML nesting is checked before the fields are sanitized: the loader does it.)
        let depth = cloze_depth(&self.note.front);
        if self.note.kind == FlashKind::Cloze && depth > MAX_CLOZE_DEPTH {
            out.push(format!(
                "clozes in `front` nest {depth} levels deep; at most {MAX_CLOZE_DEPTH}"
            ));
        }
        if self.cards.is_empty() {
            out.push("`cards` lists no card".into());
        }
        for card in &self.cards {
            if self.note.face(card).is_none() {
                out.push(match self.note.kind {
                    FlashKind::Basic => {
                        format!("card '{card}' is not one of \"forward\" and \"reverse\"")
                    }
                    FlashKind::Cloze => {
                        format!("card '{card}' asks no cloze of `front` ({{{{c1::…}}}} is c1)")
                    }
                });
            }
        }
        out
    }
}

/// The template of the card asking cloze `n`.
pub fn cloze_template(n: u32) -> String {
    format!("c{n}")
}

/// One side of a flash card, as HTML still naming its media files.
pub struct FlashFace {
    pub prompt: String,
    pub answer: String,
}

impl FlashNote {
    /// The card `template` of this note, or `None` if the note has no such card.
    pub fn face(&self, template: &str) -> Option<FlashFace> {
        if self.format == TextFormat::Markdown {
            // Clozes read the same in Markdown and in the HTML it renders to.
            let html = FlashNote {
                front: crate::content::render::markdown_to_html_naming_media(&self.front),
                back: crate::content::render::markdown_to_html_naming_media(&self.back),
                format: TextFormat::Html,
                ..self.clone()
            };
            return html.face(template);
        }
        match (self.kind, template) {
            (FlashKind::Basic, "forward") => Some(FlashFace {
                prompt: self.front.clone(),
                answer: self.back.clone(),
            }),
            (FlashKind::Basic, "reverse") => Some(FlashFace {
                prompt: self.back.clone(),
                answer: self.front.clone(),
            }),
            (FlashKind::Cloze, t) => {
                let n: u32 = t.strip_prefix('c')?.parse().ok()?;
                let parts = parse_cloze(&self.front);
                if !cloze_numbers(&parts).contains(&n) {
                    return None;
                }
                let mut prompt = String::new();
                render_cloze(&parts, n, Side::Front, &mut prompt);
                let mut answer = String::new();
                render_cloze(&parts, n, Side::Back, &mut answer);
                if !self.back.trim().is_empty() {
                    answer.push_str("<hr>");
                    answer.push_str(&self.back);
                }
                Some(FlashFace { prompt, answer })
            }
            _ => None,
        }
    }
}

/// The text without Anki's `[sound:file]` tags, for a plain-text rendering.
pub fn strip_sounds(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[sound:") {
        let Some(end) = rest[start..].find(']') else {
            break;
        };
        out.push_str(&rest[..start]);
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

/// A piece of a cloze text.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Cloze {
        n: u32,
        content: Vec<Piece>,
        hint: Option<String>,
    },
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Front,
    Back,
}

/// The cloze numbers a text asks, sorted: `{{c2::…}}` asks 2.
pub fn cloze_numbers_of(text: &str) -> Vec<u32> {
    cloze_numbers(&parse_cloze(text))
}

fn cloze_numbers(pieces: &[Piece]) -> Vec<u32> {
    fn walk(pieces: &[Piece], out: &mut Vec<u32>) {
        for piece in pieces {
            if let Piece::Cloze { n, content, .. } = piece {
                out.push(*n);
                walk(content, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(pieces, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

/// `{{cN::` at the start of `s`: the number and the length of the opener.
fn opener(s: &str) -> Option<(u32, usize)> {
    let rest = s.strip_prefix("{{c")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || !rest[digits..].starts_with("::") {
        return None;
    }
    let n = rest[..digits].parse().ok()?;
    Some((n, 3 + digits + 2))
}

/// Clozes nested deeper than this are kept as text (and refused on import): real notes nest one
/// or two, and each level is one more render of the same text.
pub const MAX_CLOZE_DEPTH: usize = 8;

/// A matched `{{cN::…}}`: where its content ends (the `}}`) and where its hint starts.
struct Span {
    n: u32,
    content: usize,
    close: usize,
    /// The last `::` directly inside it: what follows is the hint.
    hint: Option<usize>,
}

/// Every matched cloze of `text` by the offset of its opener, and the deepest nesting seen.
/// One pass with a stack, so the cost is linear however the clozes nest; an opener without its
/// `}}` stays text.
fn spans(text: &str) -> (std::collections::HashMap<usize, Span>, usize) {
    struct Open {
        at: usize,
        n: u32,
        content: usize,
        hint: Option<usize>,
    }
    let mut found = std::collections::HashMap::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut deepest = 0;
    // Only ASCII bytes are matched, and they never occur inside a multi-byte character, so
    // every offset kept is a character boundary.
    let bytes = text.as_bytes();
    let pair = |i: usize, b: u8| bytes[i] == b && bytes.get(i + 1) == Some(&b);
    let mut i = 0;
    while i < bytes.len() {
        if pair(i, b'{') {
            if let Some((n, len)) = opener(&text[i..]) {
                stack.push(Open {
                    at: i,
                    n,
                    content: i + len,
                    hint: None,
                });
                i += len;
                continue;
            }
        } else if pair(i, b'}') {
            if let Some(open) = stack.pop() {
                deepest = deepest.max(stack.len() + 1);
                found.insert(
                    open.at,
                    Span {
                        n: open.n,
                        content: open.content,
                        close: i,
                        hint: open.hint,
                    },
                );
                i += 2;
                continue;
            }
        } else if pair(i, b':') {
            if let Some(open) = stack.last_mut() {
                open.hint = Some(i);
            }
            i += 2;
            continue;
        }
        i += 1;
    }
    (found, deepest)
}

/// How deep the clozes of `text` nest: 0 without clozes, 1 for `{{c1::…}}`.
pub fn cloze_depth(text: &str) -> usize {
    spans(text).1
}

/// Parses Anki's cloze syntax, nested clozes included (up to [`MAX_CLOZE_DEPTH`]). Text that
/// only looks like a cloze (an unclosed `{{c1::`) stays text.
fn parse_cloze(text: &str) -> Vec<Piece> {
    let (spans, _) = spans(text);
    let mut pieces = Vec::new();
    parse_range(text, 0, text.len(), &spans, 0, &mut pieces);
    pieces
}

/// The pieces of `text[start..end]`, clozes `depth` deep; each byte is visited once.
fn parse_range(
    text: &str,
    start: usize,
    end: usize,
    spans: &std::collections::HashMap<usize, Span>,
    depth: usize,
    out: &mut Vec<Piece>,
) {
    let mut plain = start;
    let mut i = start;
    while i < end {
        match spans.get(&i) {
            Some(span) if span.close <= end && depth < MAX_CLOZE_DEPTH => {
                if plain < i {
                    out.push(Piece::Text(text[plain..i].to_owned()));
                }
                let content_end = span.hint.unwrap_or(span.close);
                let mut content = Vec::new();
                parse_range(
                    text,
                    span.content,
                    content_end,
                    spans,
                    depth + 1,
                    &mut content,
                );
                out.push(Piece::Cloze {
                    n: span.n,
                    content,
                    hint: span.hint.map(|h| text[h + 2..span.close].to_owned()),
                });
                i = span.close + 2;
                plain = i;
            }
            _ => i += 1,
        }
    }
    if plain < end {
        out.push(Piece::Text(text[plain..end].to_owned()));
    }
}

fn render_cloze(pieces: &[Piece], asked: u32, side: Side, out: &mut String) {
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Cloze { n, content, hint } if *n == asked => {
                out.push_str("<span class=\"cloze\">");
                match side {
                    Side::Front => {
                        out.push('[');
                        out.push_str(hint.as_deref().unwrap_or("..."));
                        out.push(']');
                    }
                    Side::Back => render_cloze(content, asked, side, out),
                }
                out.push_str("</span>");
            }
            Piece::Cloze { content, .. } => render_cloze(content, asked, side, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cloze(text: &str, extra: &str) -> FlashNote {
        FlashNote {
            kind: FlashKind::Cloze,
            notetype: "Cloze".into(),
            front: text.into(),
            back: extra.into(),
            deck: "Science".into(),
            tags: vec![],
            format: Default::default(),
        }
    }

    #[test]
    fn each_cloze_number_is_one_card_and_the_others_show_their_text() {
        let note = cloze(
            "Water boils at {{c1::100}} °C at {{c2::sea level}}.",
            "extra",
        );
        assert_eq!(cloze_numbers_of(&note.front), vec![1, 2]);
        let one = note.face("c1").unwrap();
        assert_eq!(
            one.prompt,
            "Water boils at <span class=\"cloze\">[...]</span> °C at sea level."
        );
        assert_eq!(
            one.answer,
            "Water boils at <span class=\"cloze\">100</span> °C at sea level.<hr>extra"
        );
        let two = note.face("c2").unwrap();
        assert_eq!(
            two.prompt,
            "Water boils at 100 °C at <span class=\"cloze\">[...]</span>."
        );
        assert!(note.face("c3").is_none());
        assert!(note.face("forward").is_none());
    }

    #[test]
    fn hints_replace_the_dots_and_nested_clozes_open_one_at_a_time() {
        let note = cloze("Gold is {{c1::Au::symbol}}.", "");
        assert_eq!(
            note.face("c1").unwrap().prompt,
            "Gold is <span class=\"cloze\">[symbol]</span>."
        );
        assert_eq!(
            note.face("c1").unwrap().answer,
            "Gold is <span class=\"cloze\">Au</span>."
        );
        let nested = cloze("{{c1::The {{c2::mitochondrion}} makes ATP}}.", "");
        assert_eq!(cloze_numbers_of(&nested.front), vec![1, 2]);
        assert_eq!(
            nested.face("c2").unwrap().prompt,
            "The <span class=\"cloze\">[...]</span> makes ATP."
        );
        assert_eq!(
            nested.face("c1").unwrap().answer,
            "<span class=\"cloze\">The mitochondrion makes ATP</span>."
        );
    }

    #[test]
    fn text_that_only_looks_like_a_cloze_stays_text() {
        let note = cloze("a {{c1::unclosed, {{c::x and c1::y", "");
        assert!(cloze_numbers_of(&note.front).is_empty());
        let pieces = parse_cloze(&note.front);
        assert_eq!(pieces, vec![Piece::Text(note.front.clone())]);
    }

    #[test]
    fn deep_and_unclosed_clozes_cost_time_in_proportion_to_the_text() {
        // 100k levels deep, or 100k openers never closed: both were quadratic (and the first
        // overflowed the stack). Now each byte is looked at a bounded number of times.
        let deep = format!("{}x{}", "{{c1::".repeat(100_000), "}}".repeat(100_000));
        assert_eq!(cloze_depth(&deep), 100_000);
        let pieces = parse_cloze(&deep);
        let mut depth = 0;
        let mut level = &pieces;
        while let [Piece::Cloze { content, .. }] = level.as_slice() {
            depth += 1;
            level = content;
        }
        assert_eq!(depth, MAX_CLOZE_DEPTH, "deeper clozes stay text");
        let unclosed = "{{c1::a ".repeat(100_000);
        assert_eq!(cloze_depth(&unclosed), 0);
        assert_eq!(parse_cloze(&unclosed), vec![Piece::Text(unclosed.clone())]);
        let note = cloze(&deep, "");
        let entry = FlashEntry {
            key: "k".into(),
            note,
            cards: vec!["c1".into()],
        };
        let problems = entry.problems();
        assert!(
            problems
                .iter()
                .any(|p| p.contains("nest 100000 levels deep; at most 8")),
            "{problems:?}"
        );
    }

    #[test]
    fn clozes_split_on_characters_of_any_width() {
        let note = cloze("日本 {{c1::東京::首都}} é", "");
        assert_eq!(
            note.face("c1").unwrap().prompt,
            "日本 <span class=\"cloze\">[首都]</span> é"
        );
    }

    #[test]
    fn basic_notes_ask_both_ways() {
        let note = FlashNote {
            kind: FlashKind::Basic,
            notetype: "Basic".into(),
            front: "rojo".into(),
            back: "red".into(),
            deck: "Vocab".into(),
            tags: vec![],
            format: Default::default(),
        };
        assert_eq!(note.face("forward").unwrap().prompt, "rojo");
        assert_eq!(note.face("reverse").unwrap().prompt, "red");
        assert!(note.face("c1").is_none());
    }
}
