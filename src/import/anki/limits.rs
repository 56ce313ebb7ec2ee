//! What the Anki importer accepts from a file: sizes, depths and numeric ranges. Every number
//! read from a package is checked against these before it is used in arithmetic; a value out of
//! range leaves out what it belongs to (a note, a review-log row) or makes its card new, and is
//! reported, so the rest of a valid deck is still imported.

use std::ops::RangeInclusive;

use super::collection::{Card, Notetype, Review};
use crate::import::archive::Limits;

/// Anki packages carry a whole collection and its media: larger caps than a pack's.
pub const LIMITS: Limits = Limits {
    max_entries: 200_000,
    max_total: 2 << 30,
    max_ratio: 100,
};
/// A zstd collection expanding past this many times its size is refused as a bomb.
pub const MAX_COLLECTION_RATIO: u64 = 100;
/// A zstd media file past [`RATIO_FLOOR`] expanding past this many times its size is refused as
/// a bomb: images and sounds are compressed already, and shrink little.
pub const MAX_MEDIA_RATIO: u64 = 20;
/// Small zstd data may compress very well; only larger output is ratio-checked.
pub const RATIO_FLOOR: u64 = 1 << 20;
/// A media file larger than this is left out.
pub const MAX_MEDIA_FILE: u64 = 100 << 20;
/// All media together, unpacked; past it the package is refused.
pub const MAX_MEDIA_TOTAL: u64 = 1 << 30;
/// The unpacked media list of a current package.
pub const MAX_MEDIA_LIST: u64 = 16 << 20;

/// A field larger than this leaves its note out (a term is a paragraph, not a book).
pub const MAX_FIELD_BYTES: usize = crate::import::MAX_FIELD_BYTES;
/// A note's fields, tags and id together; a larger note is left out without being read.
pub const MAX_NOTE_BYTES: i64 = 256 << 10;
/// The text of all the notes read; past it the package is refused.
pub const MAX_NOTES_TEXT: u64 = 256 << 20;
/// A field after sanitizing: its HTML may not grow much past the field cap.
pub const MAX_CLEAN_BYTES: usize = 2 * MAX_FIELD_BYTES;
/// A card's `data` JSON (FSRS memory, last review); larger is ignored.
pub const MAX_CARD_DATA_BYTES: i64 = 4 << 10;
/// A note's id (guid): Anki's are 10 characters.
pub const MAX_GUID_BYTES: usize = 100;
/// Names of note types, fields, templates and decks.
pub const MAX_NAME_BYTES: usize = 1 << 10;
/// A card template (question or answer format).
pub const MAX_TEMPLATE_BYTES: usize = 1 << 20;
/// Fields and card templates of one note type.
pub const MAX_FIELDS: usize = 500;
/// The largest value SQLite may build while reading the collection (`SQLITE_LIMIT_LENGTH`):
/// room for schema-11 note types, which are one JSON value.
pub const MAX_VALUE_BYTES: i32 = 16 << 20;
/// Tables and indexes in the collection's schema (Anki's have about 30).
pub const MAX_SCHEMA_ENTRIES: i64 = 200;

/// The latest time accepted, unix seconds: 2100-01-01.
pub const MAX_TIME: i64 = 4_102_444_800;
/// Anki's longest interval, in days (100 years).
pub const MAX_INTERVAL_DAYS: i64 = 36_500;
/// The longest same-day step, logged as negative seconds: a year.
pub const MAX_STEP_SECS: i64 = 365 * 86_400;
/// Answers or lapses of one card.
pub const MAX_COUNT: i64 = 100_000;
/// A card's template ordinal (a cloze number minus one).
pub const MAX_ORD: i64 = 10_000;
/// A new card's position; larger ones are clamped (the order is kept among the rest).
pub const MAX_POSITION: i64 = 1_000_000_000;

fn outside(field: &str, value: i64, range: RangeInclusive<i64>) -> Option<String> {
    (!range.contains(&value)).then(|| {
        format!(
            "{field} {value} is outside {}..={}",
            range.start(),
            range.end()
        )
    })
}

/// When a card is due, unix seconds: learning dues are seconds already, review ones days since
/// the collection's creation. `None` past the accepted times.
pub fn due_secs(due: i64, created: i64) -> Option<i64> {
    let secs = if due > 1_000_000_000 {
        due
    } else {
        due.checked_mul(86_400)?.checked_add(created)?
    };
    (0..=MAX_TIME).contains(&secs).then_some(secs)
}

/// The due day a card uses: a card in a filtered deck keeps its own in `odue`.
pub fn due_of(card: &Card) -> i64 {
    if card.original_deck != 0 && card.original_due != 0 {
        card.original_due
    } else {
        card.due
    }
}

/// What makes a studied card's schedule unusable, if anything: the value, its field and range.
pub fn card_problem(card: &Card, created: i64) -> Option<String> {
    if !(1..=3).contains(&card.kind) {
        return None;
    }
    let due = due_of(card);
    if due_secs(due, created).is_none() {
        return Some(format!(
            "due {due} is not a day or time between 1970 and 2100"
        ));
    }
    outside("ivl", card.interval, -MAX_STEP_SECS..=MAX_INTERVAL_DAYS)
        .or_else(|| outside("reps", card.reps, 0..=MAX_COUNT))
        .or_else(|| outside("lapses", card.lapses, 0..=MAX_COUNT))
}

/// What makes a review-log row unusable, if anything.
pub fn review_problem(r: &Review) -> Option<String> {
    outside("id (time)", r.id, 0..=MAX_TIME * 1000)
        .or_else(|| outside("ease", r.ease, 0..=4))
        .or_else(|| outside("type", r.kind, 0..=5))
        .or_else(|| outside("ivl", r.interval, -MAX_STEP_SECS..=MAX_INTERVAL_DAYS))
        .or_else(|| {
            outside(
                "lastIvl",
                r.last_interval,
                -MAX_STEP_SECS..=MAX_INTERVAL_DAYS,
            )
        })
}

/// Refuses note types and decks larger than any Anki makes: their names are copied into every
/// note, and their templates read for each.
pub fn check_notetypes<'a>(
    notetypes: impl Iterator<Item = &'a Notetype>,
    decks: impl Iterator<Item = &'a String>,
) -> Result<(), String> {
    let long = |what: &str, name: &str, cap: usize| {
        let shown: String = name.chars().take(40).collect();
        format!(
            "{what} '{shown}…' is {} KiB long, more than the {} KiB Reprise reads; shorten it in \
             Anki and export again",
            name.len() >> 10,
            cap >> 10
        )
    };
    for nt in notetypes {
        if nt.name.len() > MAX_NAME_BYTES {
            return Err(long("note type name", &nt.name, MAX_NAME_BYTES));
        }
        if nt.fields.len() > MAX_FIELDS || nt.templates.len() > MAX_FIELDS {
            return Err(format!(
                "note type '{}' has {} fields and {} card types, more than the {MAX_FIELDS} \
                 Reprise reads",
                nt.name,
                nt.fields.len(),
                nt.templates.len()
            ));
        }
        if let Some(name) = nt.fields.iter().find(|f| f.len() > MAX_NAME_BYTES) {
            return Err(long("field name", name, MAX_NAME_BYTES));
        }
        let templates = nt.templates.iter().flat_map(|(q, a)| [q, a]);
        if let Some(t) = templates.into_iter().find(|t| t.len() > MAX_TEMPLATE_BYTES) {
            return Err(long("card template", t, MAX_TEMPLATE_BYTES));
        }
    }
    for deck in decks {
        if deck.len() > MAX_NAME_BYTES {
            return Err(long("deck name", deck, MAX_NAME_BYTES));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_dates_are_computed_without_overflow() {
        assert_eq!(due_secs(10, 1_700_000_000), Some(1_700_864_000));
        assert_eq!(due_secs(1_700_000_500, 0), Some(1_700_000_500));
        for due in [i64::MAX, i64::MIN, i64::MIN + 1, -1_000_000, 2_000_000] {
            assert_eq!(due_secs(due, 1_700_000_000), None, "{due}");
        }
        assert_eq!(due_secs(0, i64::MAX), None);
    }
}
