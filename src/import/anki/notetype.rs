//! What an Anki note type's cards ask, read from its templates rather than its (translated)
//! name: a standard type asks one field and answers with another, a reversed card the other way
//! round; a cloze type asks the clozes of one field.

use super::collection::{Notetype, NotetypeKind};

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// Cards ask `front` → `back`; `templates[ord]` says which way card `ord` asks, or `None`
    /// for a card that is neither way round.
    Basic {
        front: usize,
        back: Option<usize>,
        templates: Vec<Option<Direction>>,
        /// False when the templates did not say which fields are asked, so the first two are.
        understood: bool,
    },
    Cloze {
        text: usize,
        extra: Option<usize>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Forward,
    Reverse,
}

impl Direction {
    pub fn template(self) -> &'static str {
        match self {
            Direction::Forward => "forward",
            Direction::Reverse => "reverse",
        }
    }
}

/// The fields a template shows, in order: `{{Front}}`, `{{text:Front}}`, `{{cloze:Text}}`;
/// conditionals (`{{#X}}`, `{{^X}}`, `{{/X}}`) and `FrontSide` are not shown fields.
fn shown_fields(template: &str) -> Vec<(&str, Option<&str>)> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let tag = after[..end].trim();
        rest = &after[end + 2..];
        if tag.starts_with(['#', '^', '/', '!']) {
            continue;
        }
        let (filter, name) = match tag.rsplit_once(':') {
            Some((filters, name)) => (Some(filters.trim()), name.trim()),
            None => (None, tag),
        };
        if name != "FrontSide" {
            out.push((name, filter));
        }
    }
    out
}

fn index_of(notetype: &Notetype, name: &str) -> Option<usize> {
    notetype.fields.iter().position(|f| f == name)
}

/// The (asked, answer) fields of one template.
fn asks(notetype: &Notetype, qfmt: &str, afmt: &str) -> Option<(usize, Option<usize>)> {
    let asked = shown_fields(qfmt)
        .into_iter()
        .find_map(|(name, _)| index_of(notetype, name))?;
    let answer = shown_fields(afmt)
        .into_iter()
        .filter_map(|(name, _)| index_of(notetype, name))
        .find(|&i| i != asked);
    Some((asked, answer))
}

pub fn shape(notetype: &Notetype) -> Shape {
    if notetype.kind == NotetypeKind::Cloze {
        let cloze_field = notetype
            .templates
            .iter()
            .flat_map(|(q, _)| shown_fields(q))
            .find(|(_, filter)| filter.is_some_and(|f| f.split(':').any(|f| f == "cloze")))
            .and_then(|(name, _)| index_of(notetype, name));
        let text = cloze_field.unwrap_or(0);
        let extra = notetype
            .templates
            .iter()
            .flat_map(|(_, a)| shown_fields(a))
            .filter_map(|(name, _)| index_of(notetype, name))
            .find(|&i| i != text)
            .or_else(|| (0..notetype.fields.len()).find(|&i| i != text));
        return Shape::Cloze { text, extra };
    }
    let first_two = || {
        let back = (notetype.fields.len() > 1).then_some(1);
        (0, back)
    };
    let first = notetype
        .templates
        .first()
        .and_then(|(q, a)| asks(notetype, q, a));
    let understood = first.is_some_and(|(_, back)| back.is_some());
    let (front, back) = if understood {
        first.expect("checked above")
    } else {
        first_two()
    };
    let templates = notetype
        .templates
        .iter()
        .enumerate()
        .map(|(ord, (q, a))| {
            if !understood {
                return (ord == 0).then_some(Direction::Forward);
            }
            match asks(notetype, q, a) {
                Some((f, b)) if f == front && b == back => Some(Direction::Forward),
                Some((f, Some(b))) if Some(f) == back && b == front => Some(Direction::Reverse),
                _ => None,
            }
        })
        .collect();
    Shape::Basic {
        front,
        back,
        templates,
        understood,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notetype(kind: NotetypeKind, fields: &[&str], templates: &[(&str, &str)]) -> Notetype {
        Notetype {
            name: "t".into(),
            kind,
            fields: fields.iter().map(|f| f.to_string()).collect(),
            templates: templates
                .iter()
                .map(|(q, a)| (q.to_string(), a.to_string()))
                .collect(),
        }
    }

    const ANSWER: &str = "{{FrontSide}}\n\n<hr id=answer>\n\n";

    #[test]
    fn basic_reversed_and_optional_reversed_are_read_from_templates() {
        let basic = notetype(
            NotetypeKind::Standard,
            &["Front", "Back"],
            &[("{{Front}}", &format!("{ANSWER}{{{{Back}}}}"))],
        );
        assert_eq!(
            shape(&basic),
            Shape::Basic {
                front: 0,
                back: Some(1),
                templates: vec![Some(Direction::Forward)],
                understood: true
            }
        );
        let optional = notetype(
            NotetypeKind::Standard,
            &["Front", "Back", "Add Reverse"],
            &[
                ("{{Front}}", &format!("{ANSWER}{{{{Back}}}}")),
                (
                    "{{#Add Reverse}}{{Back}}{{/Add Reverse}}",
                    &format!("{ANSWER}{{{{Front}}}}"),
                ),
            ],
        );
        let Shape::Basic { templates, .. } = shape(&optional) else {
            panic!("not basic")
        };
        assert_eq!(
            templates,
            vec![Some(Direction::Forward), Some(Direction::Reverse)]
        );
        let typed = notetype(
            NotetypeKind::Standard,
            &["Front", "Back"],
            &[(
                "{{Front}}\n\n{{type:Back}}",
                "{{Front}}<hr id=answer>{{type:Back}}",
            )],
        );
        let Shape::Basic {
            front,
            back,
            understood,
            ..
        } = shape(&typed)
        else {
            panic!("not basic")
        };
        assert_eq!((front, back, understood), (0, Some(1), true));
    }

    #[test]
    fn cloze_types_find_their_cloze_field_and_extra() {
        let cloze = notetype(
            NotetypeKind::Cloze,
            &["Text", "Back Extra"],
            &[("{{cloze:Text}}", "{{cloze:Text}}<br>\n{{Back Extra}}")],
        );
        assert_eq!(
            shape(&cloze),
            Shape::Cloze {
                text: 0,
                extra: Some(1)
            }
        );
    }

    #[test]
    fn other_types_fall_back_to_their_first_two_fields() {
        let odd = notetype(
            NotetypeKind::Standard,
            &["Word", "Meaning", "Audio"],
            &[("static text", "{{Meaning}}"), ("{{Audio}}", "{{Word}}")],
        );
        assert_eq!(
            shape(&odd),
            Shape::Basic {
                front: 0,
                back: Some(1),
                templates: vec![Some(Direction::Forward), None],
                understood: false
            }
        );
    }
}
