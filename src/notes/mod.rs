//! Notes the learner writes and edits: a term (two cards, as built-in terms), a basic note
//! (front → back, optionally reversed) or a cloze (one card per number). A draft is checked as
//! a whole, then written in one undoable step ([`write`]); editing a pack's note keeps the
//! pack's text of each changed field, so a pack update leaves the learner's version alone.

mod draft;
mod synced;
pub(crate) mod write;

use serde::Serialize;
use ts_rs::TS;

pub use draft::{BasicDraft, ClozeDraft, NoteDraft, TermDraft};

use crate::ids::{CardId, NoteId, PackId};

/// The personal pack new notes go to unless the learner names another.
pub const MY_CARDS: &str = "mine.my-cards";
/// Its name.
pub const MY_CARDS_NAME: &str = "My cards";
/// The longest cloze number a note may ask: each number is a card.
pub const MAX_CLOZE_NUMBER: u32 = 100;
/// The largest image the learner may paste into a note, in bytes.
pub const MAX_IMAGE_BYTES: usize = 2 << 20;

/// A note added: its id and its cards'.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct NoteAdded {
    pub note_id: NoteId,
    pub pack: PackId,
    pub card_ids: Vec<CardId>,
}

/// A note edited: the cards it asks now, and those the edit added or retired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct NoteEdited {
    pub note_id: NoteId,
    pub card_ids: Vec<CardId>,
    pub added: Vec<CardId>,
    pub retired: Vec<CardId>,
}

/// A note as the editor shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct NoteView {
    pub note_id: NoteId,
    pub pack: PackId,
    pub pack_name: String,
    /// Whether the note is the learner's own (in a pack made in the app).
    pub personal: bool,
    pub draft: NoteDraft,
    /// For a pack's note the learner edited: the note as the pack has it.
    pub pack_draft: Option<NoteDraft>,
    /// The draft's fields that differ from the pack's text.
    pub edited: Vec<String>,
    /// The cards it asks, in template order.
    pub card_ids: Vec<CardId>,
}

/// A card of a draft as review would show it (as [`crate::study::StudyCard`] shows content).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CardPreview {
    /// `forward`, `reverse`, or `c1`, `c2`… for a cloze.
    pub template: String,
    /// Plain text of a term's card; a flash card's as text.
    pub prompt: String,
    pub answer: String,
    /// For a basic or cloze card: sanitized HTML with its images inlined.
    pub prompt_html: Option<String>,
    pub answer_html: Option<String>,
    /// The explanation shown with a term's answer (sanitized HTML; empty for others).
    pub detail_html: String,
}

/// A pack new notes can go to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PersonalPack {
    pub id: PackId,
    pub name: String,
}

/// The file extension of a pasted image, by its first bytes; other files are refused.
pub fn image_extension(bytes: &[u8]) -> crate::error::Result<&'static str> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(crate::error::Error::invalid(
            "image",
            format!(
                "the image is {} KiB; at most {} KiB — make it smaller",
                bytes.len() >> 10,
                MAX_IMAGE_BYTES >> 10
            ),
        ));
    }
    const KINDS: [(&[u8], &str); 5] = [
        (b"\x89PNG\r\n\x1a\n", "png"),
        (b"\xff\xd8\xff", "jpg"),
        (b"GIF87a", "gif"),
        (b"GIF89a", "gif"),
        (b"RIFF", "webp"),
    ];
    KINDS
        .iter()
        .find(|(magic, ext)| {
            bytes.starts_with(magic) && (*ext != "webp" || bytes.get(8..12) == Some(b"WEBP"))
        })
        .map(|(_, ext)| *ext)
        .ok_or_else(|| {
            crate::error::Error::invalid(
                "image",
                "only PNG, JPEG, GIF and WebP images can go into a card",
            )
        })
}
