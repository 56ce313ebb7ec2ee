//! A note's HTML made inert before it is stored, and the nesting that would make it costly to
//! read: elements and clozes nested deeper than any real note are found in one linear pass,
//! before an HTML parser or the cloze parser sees the text.

use super::collection::Notetype;
use super::limits::{MAX_CLEAN_BYTES, MAX_FIELD_BYTES};
use super::notetype::Shape;
use crate::content::flash::{cloze_depth, FlashKind, MAX_CLOZE_DEPTH};
use crate::content::render::{html_depth, MAX_NESTING as MAX_HTML_DEPTH};
use crate::import::sanitize_html as sanitize;

/// Field `index` of the note, checked and made inert; the reason it cannot be, to leave the
/// note out.
fn side(fields: &[&str], index: Option<usize>, nt: &Notetype) -> Result<String, String> {
    let Some((i, raw)) = index.and_then(|i| Some((i, *fields.get(i)?))) else {
        return Ok(String::new());
    };
    let name = nt.fields.get(i).map_or("?", String::as_str);
    if raw.len() > MAX_FIELD_BYTES {
        return Err(format!(
            "field '{name}' is {} KiB, more than the {} KiB a field may be; it was left out (move \
             large content, such as an embedded image, into a media file in Anki)",
            raw.len() >> 10,
            MAX_FIELD_BYTES >> 10
        ));
    }
    if html_depth(raw, MAX_HTML_DEPTH) > MAX_HTML_DEPTH {
        return Err(format!(
            "field '{name}' nests HTML elements more than {MAX_HTML_DEPTH} deep; it was left out \
             (simplify its formatting in Anki)"
        ));
    }
    let clean = sanitize(raw);
    if clean.len() > MAX_CLEAN_BYTES {
        return Err(format!(
            "field '{name}' grows past {} KiB when its HTML is made safe; it was left out",
            MAX_CLEAN_BYTES >> 10
        ));
    }
    Ok(clean)
}

/// What the note asks and answers, as inert HTML, by the shape of its note type; the reason it
/// cannot be imported otherwise.
pub fn note_sides(
    fields: &str,
    nt: &Notetype,
    shape: &Shape,
) -> Result<(FlashKind, String, String), String> {
    let fields: Vec<&str> = fields.split('\u{1f}').collect();
    let (kind, front, back) = match shape {
        Shape::Cloze { text, extra } => (FlashKind::Cloze, Some(*text), *extra),
        Shape::Basic { front, back, .. } => (FlashKind::Basic, Some(*front), *back),
    };
    let front = side(&fields, front, nt)?;
    let back = side(&fields, back, nt)?;
    if kind == FlashKind::Cloze && cloze_depth(&front) > MAX_CLOZE_DEPTH {
        return Err(format!(
            "its clozes nest more than {MAX_CLOZE_DEPTH} deep ({{{{c1::… {{{{c2::…}}}} …}}}}); it \
             was left out (un-nest them in Anki)"
        ));
    }
    Ok((kind, front, back))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_resources_are_stripped() {
        for (html, gone) in [
            ("<img src=\"http://e.example/x.png\">", "e.example"),
            ("<img src=\"//e.example/x.png\">", "e.example"),
            ("<img src=\" /\t/e.example/x.png\">", "e.example"),
            ("<img src=\"\\\\e.example\\x.png\">", "e.example"),
            ("<img srcset=\"https://e.example/x.png 2x\">", "e.example"),
            (
                "<div style=\"background:url(https://e.example/x)\">a</div>",
                "e.example",
            ),
            (
                "<style>b{background:url(//e.example/x)}</style>b",
                "e.example",
            ),
            ("<a href=\"//e.example/\">a</a>", "e.example"),
        ] {
            let clean = sanitize(html);
            assert!(!clean.contains(gone), "{html} -> {clean}");
        }
        assert_eq!(sanitize("<img src=\"cat.png\">"), "<img src=\"cat.png\">");
    }
}
