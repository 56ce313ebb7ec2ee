//! Installing a validated pack into the store: notes and cards are upserted by their stable
//! ids, so progress survives updates. Notes a newer version drops are kept with their history.

use chrono::{DateTime, Utc};
use rusqlite::Transaction;

use super::render::markdown_to_text;
use super::Pack;
use crate::error::Result;
use crate::ids::{CardId, NoteId};
use crate::import::Step;
use crate::store::install::{self, NoteText, Part};
use crate::store::Batch;
use crate::store::{self, search_index, NewQueue};

/// The templates of a term note, in the order their new cards are shown: every term → definition
/// card comes before any definition → term card, so a card never gives its sibling away.
pub const TERM_TEMPLATES: [&str; 2] = ["forward", "reverse"];

/// The template of a quiz question's one card.
pub const QUIZ_TEMPLATE: &str = "quiz";

/// The note key of a lesson's quiz question, unique within its pack.
pub fn question_key(lesson: &str, question: &str) -> String {
    format!("quiz:{lesson}/{question}")
}

/// What a quiz question's note holds: the question and where it comes from.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QuestionNote {
    pub lesson: String,
    pub lesson_title: String,
    pub question: super::Question,
}

/// What an install changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Installed {
    pub notes: usize,
    pub new_cards: usize,
    /// False when the same version of the pack was already installed.
    pub changed: bool,
}

pub fn install(tx: &Transaction, pack: &Pack, now: DateTime<Utc>) -> Result<Installed> {
    install_with_progress(tx, pack, now, &mut |_, _, _| Ok(()))
}

/// How often an install reports progress (and can be cancelled), in terms.
const PROGRESS_EVERY: usize = 200;

/// [`install`], calling `progress(step, done, total)` every few hundred terms, then as the cards
/// are indexed for search; an error from it (a cancel) stops the install, and the caller's
/// transaction rolls everything back.
pub fn install_with_progress(
    tx: &Transaction,
    pack: &Pack,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(Step, usize, usize) -> Result<()>,
) -> Result<Installed> {
    let id = &pack.manifest.id;
    if store::packs::content_hash(tx, id)?.as_deref() == Some(pack.content_hash.as_str()) {
        return Ok(Installed::default());
    }
    store::packs::record(tx, &pack.manifest, &pack.content_hash, now)?;
    // The learner's edits of the pack's notes outlive the update.
    let edited = store::notes::edited_in_pack(tx, id)?;
    let kept = install::Kept::of_pack(tx, id)?;
    let count = pack.terms.len() as i64;
    let mut new_cards = 0;
    let mut batch = Batch::new(tx);
    for (ordinal, term) in pack.terms.iter().enumerate() {
        if ordinal % PROGRESS_EVERY == 0 {
            progress(Step::SavingTerms, ordinal, pack.terms.len())?;
        }
        let note = NoteId::derive(id, &term.id);
        let fields = serde_json::to_string(term).expect("terms serialize");
        let row = NoteText {
            key: &term.id,
            kind: "term",
            fields: &fields,
            position: ordinal as i64,
        };
        install::upsert_note(&mut batch, &kept, note, row)?;
        for (t, template) in TERM_TEMPLATES.iter().enumerate() {
            let card = CardId::derive(note, template);
            let position = t as i64 * count + ordinal as i64;
            let queue = NewQueue::Normal;
            if !kept.is_retired(card, note)
                && install::insert_new_card(&mut batch, card, note, template, position, queue)?
            {
                new_cards += 1;
            } else {
                install::reorder_card(&mut batch, card, position)?;
            }
        }
    }
    new_cards += install_lessons(tx, pack, &kept)?;
    new_cards += install_flash(tx, pack, &kept, count)?;
    crate::notes::write::keep_edits(tx, &edited)?;
    // New cards of a disabled pack stay hidden with the rest of it.
    install::hide_if_disabled(tx, id)?;
    install_areas(tx, pack)?;
    install::replace_media(
        tx,
        id,
        pack.media
            .iter()
            .map(|(path, data)| (path, data.as_slice())),
    )?;
    index_for_search(tx, pack)?;
    crate::browse::index::index_cards(tx, Some(&pack.manifest.id), &mut |done, total| {
        progress(Step::IndexingCards, done, total)
    })?;
    // Search finds an edited term by the learner's text, and a deleted one not at all.
    for note in edited.iter().map(|n| n.id).chain(
        store::notes::deleted_in_pack(tx, id)?
            .into_iter()
            .map(NoteId),
    ) {
        crate::study::search::index_note(tx, note)?;
    }
    Ok(Installed {
        notes: pack.terms.len()
            + pack.flash.len()
            + pack
                .lessons
                .iter()
                .map(|l| l.questions.len())
                .sum::<usize>(),
        new_cards,
        changed: true,
    })
}

/// Stores the lessons and makes a note and a card for each quiz question. A question's card
/// waits until its lesson is finished; one added to a lesson already finished is ready at once.
/// Returns how many cards were new.
fn install_lessons(tx: &Transaction, pack: &Pack, kept: &install::Kept) -> Result<usize> {
    let id = &pack.manifest.id;
    // Negative positions: once unlocked, a lesson's questions come before its terms' cards.
    let total: i64 = pack.lessons.iter().map(|l| l.questions.len() as i64).sum();
    let mut ordinal = 0;
    let mut new_cards = 0;
    let mut batch = Batch::new(tx);
    for lesson in &pack.lessons {
        let queue = if store::lessons::was_taken(tx, id, &lesson.id)? {
            NewQueue::First
        } else {
            NewQueue::Locked
        };
        for question in &lesson.questions {
            let key = question_key(&lesson.id, &question.id);
            let note = NoteId::derive(id, &key);
            let fields = QuestionNote {
                lesson: lesson.id.clone(),
                lesson_title: lesson.title.clone(),
                question: question.clone(),
            };
            let fields = serde_json::to_string(&fields).expect("questions serialize");
            let position = ordinal - total;
            let row = NoteText {
                key: &key,
                kind: "question",
                fields: &fields,
                position,
            };
            install::upsert_note(&mut batch, kept, note, row)?;
            let card = CardId::derive(note, QUIZ_TEMPLATE);
            let template = QUIZ_TEMPLATE;
            if !kept.is_retired(card, note)
                && install::insert_new_card(&mut batch, card, note, template, position, queue)?
            {
                new_cards += 1;
            } else {
                install::reorder_card(&mut batch, card, position)?;
            }
            ordinal += 1;
        }
    }
    for (position, lesson) in pack.lessons.iter().enumerate() {
        let lesson_id = NoteId::derive(id, &format!("lesson:{}", lesson.id));
        let fields = serde_json::to_string(lesson).expect("lessons serialize");
        let (key, position) = (&lesson.id, position as i64);
        install::upsert_part(tx, Part::Lesson, lesson_id, id, key, &fields, position)?;
    }
    Ok(new_cards)
}

/// Stores the flash notes and their cards, after the terms' cards in the new-card order.
/// Returns how many cards were new.
fn install_flash(tx: &Transaction, pack: &Pack, kept: &install::Kept, after: i64) -> Result<usize> {
    let id = &pack.manifest.id;
    let mut new_cards = 0;
    let base = 2 * after;
    let mut batch = Batch::new(tx);
    for (ordinal, entry) in pack.flash.iter().enumerate() {
        let note = NoteId::derive(id, &entry.key);
        let fields = serde_json::to_string(&entry.note).expect("flash notes serialize");
        let position = base + ordinal as i64;
        let row = NoteText {
            key: &entry.key,
            kind: "flash",
            fields: &fields,
            position,
        };
        install::upsert_note(&mut batch, kept, note, row)?;
        for template in &entry.cards {
            let card = CardId::derive(note, template);
            let queue = NewQueue::Normal;
            let added = !kept.is_retired(card, note)
                && install::insert_new_card(&mut batch, card, note, template, position, queue)?;
            new_cards += usize::from(added);
        }
    }
    Ok(new_cards)
}

fn install_areas(tx: &Transaction, pack: &Pack) -> Result<()> {
    let id = &pack.manifest.id;
    for (position, area) in pack.areas.iter().enumerate() {
        let area_id = NoteId::derive(id, &format!("area:{}", area.id));
        let fields = serde_json::to_string(area).expect("areas serialize");
        let position = position as i64;
        install::upsert_part(tx, Part::Area, area_id, id, &area.id, &fields, position)?;
    }
    Ok(())
}

/// Replaces the pack's rows in the search index with its current terms and lessons.
fn index_for_search(tx: &Transaction, pack: &Pack) -> Result<()> {
    let id = &pack.manifest.id;
    search_index::clear_entries(tx, id)?;
    let mut batch = Batch::new(tx);
    for term in &pack.terms {
        let (title, body) = crate::study::search::term_entry(term);
        search_index::add_entry(&mut batch, "term", &term.id, id, &term.name, &title, &body)?;
    }
    for lesson in &pack.lessons {
        let body = format!("{}\n\n{}", lesson.summary, markdown_to_text(&lesson.body));
        let title = &lesson.title;
        search_index::add_entry(&mut batch, "lesson", &lesson.id, id, title, title, &body)?;
    }
    Ok(())
}
