//! A note as the learner writes it, checked field by field, and its conversion to and from the
//! fields a pack's note stores (a term's, or a flash note's).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use super::MAX_CLOZE_NUMBER;
use crate::content::flash::{cloze_numbers_of, cloze_template, FlashKind, FlashNote, TextFormat};
use crate::content::{Level, Term};
use crate::error::{Error, Result};
use crate::import::MAX_FIELD_BYTES;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoteDraft {
    Term(TermDraft),
    Basic(BasicDraft),
    Cloze(ClozeDraft),
}

/// A glossary entry: term → definition and definition → term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TermDraft {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// One sentence.
    pub definition: String,
    /// Markdown.
    #[serde(default)]
    pub explanation: String,
    /// The area it belongs to: a pack's area id, or any label for the learner's own.
    #[serde(default)]
    pub area: String,
    #[serde(default = "beginner")]
    #[ts(type = "\"beginner\" | \"intermediate\" | \"advanced\"")]
    pub level: Level,
    /// Term ids of the same pack, or `<pack id>/<term id>`.
    #[serde(default)]
    pub see_also: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
}

fn beginner() -> Level {
    Level::Beginner
}

/// Front → back, and back → front too when `reverse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BasicDraft {
    pub front: String,
    pub back: String,
    #[serde(default)]
    pub reverse: bool,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Markdown for notes written here; HTML for notes imported from other apps.
    #[serde(default = "markdown")]
    pub format: TextFormat,
}

/// A text with deletions `{{c1::answer}}` or `{{c1::answer::hint}}`: a card per number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ClozeDraft {
    pub text: String,
    /// Shown with every answer.
    #[serde(default)]
    pub extra: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default = "markdown")]
    pub format: TextFormat,
}

fn markdown() -> TextFormat {
    TextFormat::Markdown
}

/// What a draft stores: the note's kind, its fields and the templates of its cards.
pub(crate) struct Stored {
    pub kind: &'static str,
    pub fields: Map<String, Value>,
    pub templates: Vec<String>,
}

impl NoteDraft {
    pub fn kind_name(&self) -> &'static str {
        match self {
            NoteDraft::Term(_) => "term",
            NoteDraft::Basic(_) => "basic",
            NoteDraft::Cloze(_) => "cloze",
        }
    }

    pub fn tags(&self) -> &[String] {
        match self {
            NoteDraft::Term(d) => &d.tags,
            NoteDraft::Basic(d) => &d.tags,
            NoteDraft::Cloze(d) => &d.tags,
        }
    }

    /// The draft with surrounding blanks trimmed and empty list entries dropped.
    pub fn tidied(mut self) -> NoteDraft {
        fn list(items: &mut Vec<String>) {
            for item in items.iter_mut() {
                *item = item.trim().to_owned();
            }
            items.retain(|i| !i.is_empty());
        }
        match &mut self {
            NoteDraft::Term(d) => {
                d.name = d.name.trim().to_owned();
                d.definition = d.definition.trim().to_owned();
                d.explanation = d.explanation.trim_end().to_owned();
                d.area = d.area.trim().to_owned();
                list(&mut d.aliases);
                list(&mut d.see_also);
                list(&mut d.tags);
            }
            NoteDraft::Basic(d) => {
                d.front = d.front.trim().to_owned();
                d.back = d.back.trim().to_owned();
                list(&mut d.tags);
            }
            NoteDraft::Cloze(d) => {
                d.text = d.text.trim().to_owned();
                d.extra = d.extra.trim().to_owned();
                list(&mut d.tags);
            }
        }
        self
    }

    /// Checks every field; the first problem names its field.
    pub fn check(&self) -> Result<()> {
        for tag in self.tags() {
            crate::store::tags::parse(tag).map_err(|e| Error::invalid("tags", e.to_string()))?;
        }
        match self {
            NoteDraft::Term(d) => {
                required("name", &d.name)?;
                required("definition", &d.definition)?;
                short("name", &d.name, 200)?;
                short("area", &d.area, 100)?;
                text("definition", &d.definition, Markup::Plain)?;
                text("explanation", &d.explanation, Markup::Markdown)?;
                for alias in &d.aliases {
                    short("aliases", alias, 200)?;
                    text("aliases", alias, Markup::Plain)?;
                }
                unique("aliases", &d.aliases)?;
                for link in &d.see_also {
                    short("see_also", link, 200)?;
                    if link.chars().any(char::is_whitespace) {
                        return Err(Error::invalid(
                            "see_also",
                            format!(
                                "'{link}' is not a term id; name a term by its id, or \
                                 <pack id>/<term id> for another pack's"
                            ),
                        ));
                    }
                }
                unique("see_also", &d.see_also)?;
                text("name", &d.name, Markup::Plain)
            }
            NoteDraft::Basic(d) => {
                required("front", &d.front)?;
                required("back", &d.back)?;
                text("front", &d.front, d.format.into())?;
                text("back", &d.back, d.format.into())
            }
            NoteDraft::Cloze(d) => {
                required("text", &d.text)?;
                text("text", &d.text, d.format.into())?;
                text("extra", &d.extra, d.format.into())?;
                let numbers = cloze_numbers_of(&d.text);
                if numbers.is_empty() {
                    return Err(Error::invalid(
                        "text",
                        "the text has no cloze deletion; mark what to recall as {{c1::…}} \
                         (a hint after a second ::, as in {{c1::Paris::city}})",
                    ));
                }
                if let Some(&n) = numbers.iter().find(|&&n| n == 0 || n > MAX_CLOZE_NUMBER) {
                    return Err(Error::invalid(
                        "text",
                        format!("cloze numbers go from c1 to c{MAX_CLOZE_NUMBER}; c{n} is not one"),
                    ));
                }
                Ok(())
            }
        }
    }

    /// The fields this draft stores, over `base` (the note's fields as they are, which keep
    /// what the draft does not show: a term's lessons and sources, a flash note's deck).
    pub(crate) fn to_stored(&self, key: &str, base: Option<&Map<String, Value>>) -> Stored {
        let mut fields = base.cloned().unwrap_or_default();
        let mut set = |name: &str, value: Value| {
            fields.insert(name.to_owned(), value);
        };
        match self {
            NoteDraft::Term(d) => {
                if base.is_none() {
                    let term = Term {
                        id: key.to_owned(),
                        name: String::new(),
                        aliases: Vec::new(),
                        definition: String::new(),
                        explanation: String::new(),
                        area: String::new(),
                        level: Level::Beginner,
                        lessons: Vec::new(),
                        see_also: Vec::new(),
                        sources: Vec::new(),
                        tags: Vec::new(),
                    };
                    if let Value::Object(m) = serde_json::to_value(term).expect("terms serialize") {
                        for (k, v) in m {
                            set(&k, v);
                        }
                    }
                }
                set("name", d.name.clone().into());
                set("aliases", d.aliases.clone().into());
                set("definition", d.definition.clone().into());
                set("explanation", d.explanation.clone().into());
                set("area", d.area.clone().into());
                set(
                    "level",
                    serde_json::to_value(d.level).expect("levels serialize"),
                );
                set("see_also", d.see_also.clone().into());
                Stored {
                    kind: "term",
                    fields,
                    templates: crate::content::install::TERM_TEMPLATES
                        .iter()
                        .map(|t| t.to_string())
                        .collect(),
                }
            }
            NoteDraft::Basic(d) => {
                let notetype = if d.reverse {
                    "Basic (and reversed card)"
                } else {
                    "Basic"
                };
                flash_base(&mut fields, FlashKind::Basic, notetype, d.format);
                fields.insert("front".into(), d.front.clone().into());
                fields.insert("back".into(), d.back.clone().into());
                let mut templates = vec!["forward".to_owned()];
                if d.reverse {
                    templates.push("reverse".to_owned());
                }
                Stored {
                    kind: "flash",
                    fields,
                    templates,
                }
            }
            NoteDraft::Cloze(d) => {
                flash_base(&mut fields, FlashKind::Cloze, "Cloze", d.format);
                fields.insert("front".into(), d.text.clone().into());
                fields.insert("back".into(), d.extra.clone().into());
                Stored {
                    kind: "flash",
                    fields,
                    templates: cloze_numbers_of(&d.text)
                        .into_iter()
                        .map(cloze_template)
                        .collect(),
                }
            }
        }
    }

    /// The draft of a stored note (`reverse`: whether a basic note asks its reverse card).
    /// `None` for notes the editor does not write (quiz questions).
    pub(crate) fn from_stored(
        kind: &str,
        fields: &str,
        tags: Vec<String>,
        reverse: bool,
    ) -> Option<NoteDraft> {
        match kind {
            "term" => {
                let t: Term = serde_json::from_str(fields).ok()?;
                Some(NoteDraft::Term(TermDraft {
                    name: t.name,
                    aliases: t.aliases,
                    definition: t.definition,
                    explanation: t.explanation,
                    area: t.area,
                    level: t.level,
                    see_also: t.see_also,
                    tags,
                }))
            }
            "flash" => {
                let f: FlashNote = serde_json::from_str(fields).ok()?;
                Some(match f.kind {
                    FlashKind::Basic => NoteDraft::Basic(BasicDraft {
                        front: f.front,
                        back: f.back,
                        reverse,
                        tags,
                        format: f.format,
                    }),
                    FlashKind::Cloze => NoteDraft::Cloze(ClozeDraft {
                        text: f.front,
                        extra: f.back,
                        tags,
                        format: f.format,
                    }),
                })
            }
            _ => None,
        }
    }

    /// The draft's name for a stored field (`front` of a cloze is its `text`).
    pub(crate) fn field_name(&self, stored: &str) -> String {
        match (self, stored) {
            (NoteDraft::Cloze(_), "front") => "text".into(),
            (NoteDraft::Cloze(_), "back") => "extra".into(),
            _ => stored.into(),
        }
    }
}

fn flash_base(
    fields: &mut Map<String, Value>,
    kind: FlashKind,
    notetype: &str,
    format: TextFormat,
) {
    let was_kind = fields.get("kind").cloned();
    fields.insert(
        "kind".into(),
        serde_json::to_value(kind).expect("kinds serialize"),
    );
    // An imported note keeps its note type's name; a new one (or one changed kind) gets ours.
    if was_kind.as_ref() != fields.get("kind") || !fields.contains_key("notetype") {
        fields.insert("notetype".into(), notetype.into());
    }
    fields.entry("deck").or_insert_with(|| "".into());
    fields
        .entry("tags")
        .or_insert_with(|| Value::Array(Vec::new()));
    match format {
        TextFormat::Markdown => {
            fields.insert("format".into(), "markdown".into());
        }
        TextFormat::Html => {
            fields.remove("format");
        }
    }
}

fn required(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(
            field,
            format!("`{field}` is empty; write something"),
        ));
    }
    Ok(())
}

fn short(field: &str, value: &str, chars: usize) -> Result<()> {
    if value.chars().count() > chars {
        return Err(Error::invalid(
            field,
            format!("`{field}` is longer than {chars} characters; shorten it"),
        ));
    }
    Ok(())
}

/// How a field is written, for what counts as markup in it.
#[derive(Clone, Copy)]
enum Markup {
    /// Shown as text (a term's name and definition): only what looks like a tag is checked.
    Plain,
    Markdown,
    Html,
}

impl From<TextFormat> for Markup {
    fn from(format: TextFormat) -> Self {
        match format {
            TextFormat::Markdown => Markup::Markdown,
            TextFormat::Html => Markup::Html,
        }
    }
}

/// A text field: not too long, and no markup that would be active in the page. Prose and code
/// are never mistaken for markup: `let one = 1` or `url(` in a sentence or a code block is text.
fn text(field: &str, value: &str, markup: Markup) -> Result<()> {
    if value.len() > MAX_FIELD_BYTES {
        return Err(Error::invalid(
            field,
            format!(
                "`{field}` is longer than {} KiB; a card is a fact, not a document — split it",
                MAX_FIELD_BYTES >> 10
            ),
        ));
    }
    let deep = match markup {
        Markup::Markdown => crate::content::render::too_deep_markdown(value),
        Markup::Plain | Markup::Html => crate::content::render::too_deep(value),
    };
    if deep {
        return Err(Error::invalid(
            field,
            format!("`{field}` nests its markup too deeply to show; flatten it"),
        ));
    }
    let active = match markup {
        Markup::Markdown => active_in_markdown(value),
        Markup::Plain | Markup::Html => tags(value).find_map(crate::content::check::active_html),
    };
    if let Some(what) = active {
        return Err(Error::invalid(
            field,
            format!("`{field}` holds {what}; cards never run or load anything — remove it"),
        ));
    }
    Ok(())
}

/// Each `<…>` of a text: where HTML could be.
fn tags(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices('<').map(move |(at, _)| {
        let rest = &text[at..];
        rest.find('>').map_or(rest, |end| &rest[..=end])
    })
}

/// What in Markdown would be active once rendered: raw HTML that is, a script link, or an image
/// from elsewhere (images are pasted into the note instead).
fn active_in_markdown(markdown: &str) -> Option<&'static str> {
    use pulldown_cmark::{Event, Parser, Tag};
    let scheme = |url: &str| {
        let url = url.trim().to_ascii_lowercase();
        ["javascript:", "vbscript:", "data:"]
            .into_iter()
            .any(|s| url.starts_with(s))
    };
    Parser::new(markdown).find_map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => crate::content::check::active_html(&html),
        Event::Start(Tag::Link { dest_url, .. }) if scheme(&dest_url) => Some("a javascript: link"),
        Event::Start(Tag::Image { dest_url, .. })
            if scheme(&dest_url) || dest_url.contains("://") || dest_url.starts_with("//") =>
        {
            Some("an image from elsewhere (paste the image into the note instead)")
        }
        _ => None,
    })
}

fn unique(field: &str, values: &[String]) -> Result<()> {
    let mut seen = std::collections::BTreeSet::new();
    for v in values {
        if !seen.insert(v) {
            return Err(Error::invalid(
                field,
                format!("`{field}` lists '{v}' twice; keep one"),
            ));
        }
    }
    Ok(())
}
