//! Adding, editing and deleting notes inside one transaction, through the writers of [`Tx`]
//! (so each is one undo step and, while sync is on, a `note` register write); putting a note
//! back as an undo step found it. Another device's version of a note: `synced.rs`.

use std::collections::BTreeMap;

use rusqlite::Connection;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::draft::NoteDraft;
use super::{NoteAdded, NoteEdited, NoteView, MY_CARDS, MY_CARDS_NAME};
use crate::collection::Tx;
use crate::content::Manifest;
use crate::error::{Error, Result};
use crate::ids::{CardId, NoteId, PackId};
use crate::store::notes::{self as kept, NoteRecord};
use crate::store::{self, tags};

pub(crate) use super::synced::{apply_synced, sync_value};

pub(super) fn unknown_note(note: NoteId) -> Error {
    Error::NotFound {
        what: "note",
        id: note.0.to_string(),
        within: String::new(),
        hint: "`reprise browse --json` lists each card's note_id",
    }
}

pub(super) fn object(json: &str, note: NoteId) -> Result<Map<String, Value>> {
    match serde_json::from_str(json) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(Error::corrupt(format!(
            "note {} has unreadable fields",
            note.0
        ))),
    }
}

/// The pack's personal-pack manifest for `name`.
pub(super) fn personal_manifest(id: &str, name: &str) -> Manifest {
    Manifest {
        format: crate::content::FORMAT_VERSION,
        id: id.to_owned(),
        name: name.to_owned(),
        version: "1.0.0".into(),
        author: String::new(),
        license: String::new(),
        description: "Cards written in Reprise.".into(),
    }
}

/// The pack new notes go to: `pack` (an id or name of a personal pack), a new personal pack of
/// that name, or My cards.
pub(crate) fn target_pack(tx: &mut Tx, pack: Option<&str>, now_ms: i64) -> Result<String> {
    let wanted = pack.map(str::trim).filter(|p| !p.is_empty());
    let Some(wanted) = wanted else {
        kept::create_personal_pack(
            tx.raw(crate::collection::Changes::PACKS),
            &personal_manifest(MY_CARDS, MY_CARDS_NAME),
            now_ms,
        )?;
        return Ok(MY_CARDS.to_owned());
    };
    for (id, name) in kept::personal_packs(tx)? {
        if id == wanted || name.eq_ignore_ascii_case(wanted) {
            return Ok(id);
        }
    }
    if store::packs::exists(tx, wanted)? {
        return Err(Error::invalid(
            "pack",
            format!(
                "'{wanted}' is an installed pack, not one of yours; notes go to My cards or a \
                 pack you make (name a new one to make it) — edit the pack's notes instead"
            ),
        ));
    }
    if wanted.chars().count() > 80 || wanted.chars().any(char::is_control) {
        return Err(Error::invalid(
            "pack",
            "a pack's name is 1 to 80 characters",
        ));
    }
    let slug = crate::content::slug(wanted, "pack");
    let mut id = format!("mine.{slug}");
    let mut n = 2;
    while store::packs::exists(tx, &id)? {
        id = format!("mine.{slug}-{n}");
        n += 1;
    }
    kept::create_personal_pack(
        tx.raw(crate::collection::Changes::PACKS),
        &personal_manifest(&id, wanted),
        now_ms,
    )?;
    Ok(id)
}

/// Adds a note made from `draft` to `pack`; its cards come before other new cards.
pub(crate) fn add(tx: &mut Tx, pack: &str, draft: NoteDraft, now_ms: i64) -> Result<NoteAdded> {
    let draft = draft.tidied();
    draft.check()?;
    let key = Uuid::now_v7().simple().to_string();
    let id = NoteId::derive(pack, &key);
    let stored = draft.to_stored(&key, None);
    let record = NoteRecord {
        id,
        pack_id: pack.to_owned(),
        key,
        kind: stored.kind.to_owned(),
        fields: Value::Object(stored.fields).to_string(),
        // In the order they were written (a pack's notes are listed and exported by position).
        position: now_ms,
        pack_text: None,
    };
    tx.put_note(&record)?;
    let mut card_ids = Vec::new();
    let first = kept::next_card_position(tx)?;
    for (position, template) in (first..).zip(&stored.templates) {
        card_ids.push(tx.add_note_card(id, template, position)?);
    }
    set_tags(tx, id, draft.tags())?;
    reindex(tx, id)?;
    Ok(NoteAdded {
        note_id: id,
        pack: PackId::from(pack),
        card_ids,
    })
}

/// Gives note `id` the text of `draft` (of the note's kind). A pack's note keeps the pack's
/// text of each field that now differs from it.
pub(crate) fn edit(tx: &mut Tx, id: NoteId, draft: NoteDraft) -> Result<NoteEdited> {
    let draft = draft.tidied();
    let note = kept::get(tx, id)?.ok_or_else(|| unknown_note(id))?;
    let current = view(tx, id)?;
    if current.draft.kind_name() != draft.kind_name() {
        return Err(Error::invalid(
            "kind",
            format!(
                "note {} is a {} note and stays one; add a {} note instead",
                id.0,
                current.draft.kind_name(),
                draft.kind_name()
            ),
        ));
    }
    draft.check()?;
    let fields = object(&note.fields, id)?;
    let mut stored = draft.to_stored(&note.key, Some(&fields));
    let pack_text = if kept::is_personal(tx, &note.pack_id)? {
        None
    } else {
        // The pack's text: today's fields with the pack's values of those edited before.
        let mut original = fields.clone();
        if let Some(before) = &note.pack_text {
            original.extend(object(before, id)?);
        }
        // A field the learner left alone may differ from the pack's only by the blanks the
        // editor trims: it stays the pack's, to follow its updates.
        for (key, value) in stored.fields.iter_mut() {
            if let Some(theirs) = original.get(key) {
                if same_but_blanks(theirs, value) {
                    *value = theirs.clone();
                }
            }
        }
        let differs: Map<String, Value> = original
            .into_iter()
            .filter(|(k, v)| stored.fields.get(k) != Some(v))
            .collect();
        (!differs.is_empty()).then(|| Value::Object(differs).to_string())
    };
    let fields = Value::Object(stored.fields).to_string();
    if fields != note.fields || pack_text != note.pack_text {
        tx.put_note(&NoteRecord {
            fields,
            pack_text,
            ..note
        })?;
    }
    let (added, retired) = match_cards(tx, id, &stored.templates)?;
    set_tags(tx, id, draft.tags())?;
    reindex(tx, id)?;
    let mut live = kept::cards_of(tx, id)?.live;
    live.sort_by_key(|(_, t)| template_order(t));
    Ok(NoteEdited {
        note_id: id,
        card_ids: live.into_iter().map(|(c, _)| c).collect(),
        added,
        retired,
    })
}

/// Whether two field values differ at most by surrounding blanks (of a text, or of a list's
/// items, with empty items dropped).
pub(super) fn same_but_blanks(a: &Value, b: &Value) -> bool {
    fn items(v: &[Value]) -> Vec<&str> {
        v.iter()
            .filter_map(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    }
    match (a, b) {
        (Value::String(a), Value::String(b)) => a.trim() == b.trim(),
        (Value::Array(a), Value::Array(b)) => items(a) == items(b),
        _ => a == b,
    }
}

/// Deletes note `id`: its cards leave study, its answers stay in the review log.
pub(crate) fn delete(tx: &mut Tx, id: NoteId) -> Result<u32> {
    if kept::get(tx, id)?.is_none() {
        return Err(unknown_note(id));
    }
    let cards = kept::cards_of(tx, id)?.live.len() as u32;
    tx.delete_note(id)?;
    reindex(tx, id)?;
    Ok(cards)
}

/// Makes the note's live cards exactly `templates`: missing ones added (or brought back from
/// retirement), others retired. Returns the cards added and retired.
pub(super) fn match_cards(
    tx: &mut Tx,
    id: NoteId,
    templates: &[String],
) -> Result<(Vec<CardId>, Vec<CardId>)> {
    let cards = kept::cards_of(tx, id)?;
    let mut retired = Vec::new();
    for (card, template) in &cards.live {
        if !templates.contains(template) {
            tx.retire_card(id, *card)?;
            retired.push(*card);
        }
    }
    let mut added = Vec::new();
    let mut position = kept::next_card_position(tx)?;
    for template in templates {
        if !cards.live.iter().any(|(_, t)| t == template) {
            added.push(tx.add_note_card(id, template, position)?);
            position += 1;
        }
    }
    Ok((added, retired))
}

/// Gives the note exactly `wanted` tags.
pub(super) fn set_tags(tx: &mut Tx, id: NoteId, wanted: &[String]) -> Result<()> {
    let now = tags::of_note(tx, id)?;
    for tag in now.iter().filter(|t| !wanted.contains(t)) {
        tx.remove_tag(id, tag)?;
    }
    for tag in wanted.iter().filter(|t| !now.contains(t)) {
        tx.add_tag(id, tag)?;
    }
    Ok(())
}

/// Indexes the note's cards again for the browser, and a term for search as you type.
pub(crate) fn reindex(tx: &Connection, id: NoteId) -> Result<()> {
    crate::browse::index::index_note(tx, id)?;
    crate::study::search::index_note(tx, id)
}

/// Note `id` as the editor shows it.
pub(crate) fn view(conn: &Connection, id: NoteId) -> Result<NoteView> {
    let note = kept::get(conn, id)?.ok_or_else(|| unknown_note(id))?;
    let cards = kept::cards_of(conn, id)?;
    let reverse = cards.live.iter().any(|(_, t)| t == "reverse");
    let tags = tags::of_note(conn, id)?;
    let not_editable = || {
        Error::invalid(
            "kind",
            format!(
                "note {} is a lesson's quiz question; it is edited in its pack's lesson file",
                id.0
            ),
        )
    };
    let draft = NoteDraft::from_stored(&note.kind, &note.fields, tags.clone(), reverse)
        .ok_or_else(not_editable)?;
    let (pack_draft, edited) = match &note.pack_text {
        Some(text) => {
            let edits = object(text, id)?;
            let mut original = object(&note.fields, id)?;
            let edited = edits.keys().map(|k| draft.field_name(k)).collect();
            original.extend(edits);
            let original = Value::Object(original).to_string();
            (
                NoteDraft::from_stored(&note.kind, &original, tags, reverse),
                edited,
            )
        }
        None => (None, Vec::new()),
    };
    let mut card_ids: Vec<(String, CardId)> = cards.live.into_iter().map(|(c, t)| (t, c)).collect();
    card_ids.sort_by_key(|(t, _)| template_order(t));
    let pack = store::packs::stored_manifest(conn, &note.pack_id)?;
    Ok(NoteView {
        note_id: id,
        pack: PackId::from(note.pack_id.as_str()),
        pack_name: pack.map(|m| m.0).unwrap_or_default(),
        personal: kept::is_personal(conn, &note.pack_id)?,
        draft,
        pack_draft,
        edited,
        card_ids: card_ids.into_iter().map(|(_, c)| c).collect(),
    })
}

/// Sorts `forward`, `reverse`, then cloze cards by number.
pub(super) fn template_order(template: &str) -> (u8, u32) {
    match template {
        "forward" => (0, 0),
        "reverse" => (1, 0),
        t => (2, t.trim_start_matches('c').parse().unwrap_or(u32::MAX)),
    }
}

/// A note as an undo step keeps it.
#[derive(serde::Serialize, serde::Deserialize)]
struct Snapshot {
    note: NoteRecord,
    deleted: bool,
    live: Vec<CardId>,
    retired: Vec<CardId>,
}

/// Note `id` as it is now, as JSON; `None` if it does not exist.
pub(crate) fn snapshot(conn: &Connection, id: NoteId) -> Result<Option<String>> {
    let (note, deleted) = match kept::get(conn, id)? {
        Some(note) => (note, false),
        None => match kept::get_deleted(conn, id)? {
            Some((note, _)) => (note, true),
            None => return Ok(None),
        },
    };
    let cards = kept::cards_of(conn, id)?;
    let snapshot = Snapshot {
        note,
        deleted,
        live: cards.live.into_iter().map(|(c, _)| c).collect(),
        retired: cards.retired.into_iter().map(|(c, _)| c).collect(),
    };
    Ok(Some(
        serde_json::to_string(&snapshot).expect("snapshots serialize"),
    ))
}

/// Puts note `id` back as `before` (a [`snapshot`]) kept it: its row, whether it was deleted,
/// and which of its cards were live or retired. Cards the step made are deleted.
pub(crate) fn restore(conn: &Connection, id: NoteId, before: Option<&str>) -> Result<()> {
    let Some(before) = before else {
        // Made by the step: it goes, with its cards and its place in search.
        if let Some(note) = kept::get(conn, id)? {
            store::search_index::remove_entry(conn, "term", &note.pack_id, &note.key)?;
        }
        return kept::purge(conn, id);
    };
    let before: Snapshot = serde_json::from_str(before)
        .map_err(|e| Error::corrupt(format!("an undo step's note {} cannot be read: {e}", id.0)))?;
    let row = rebased(conn, &before.note)?;
    if !before.deleted {
        if let Some((_, tags)) = kept::get_deleted(conn, id)? {
            kept::put(conn, &row)?;
            let mut batch = store::Batch::new(conn);
            for tag in &tags {
                tags::add(&mut batch, id, tag)?;
            }
            kept::forget_deleted(conn, id)?;
        } else {
            kept::put(conn, &row)?;
        }
    }
    let now = kept::cards_of(conn, id)?;
    for (card, _) in &now.live {
        if before.retired.contains(card) {
            kept::retire_card(conn, *card)?;
        } else if !before.live.contains(card) {
            // Made by the step, or by a pack update since (and maybe studied since: then it
            // keeps its schedule aside). match_text below brings it back if the text asks it.
            if kept::is_studied(conn, *card)? {
                kept::retire_card(conn, *card)?;
            } else {
                kept::delete_card(conn, *card)?;
            }
        }
    }
    for (card, _) in &now.retired {
        if before.live.contains(card) {
            kept::restore_card(conn, *card)?;
        } else if !before.retired.contains(card) {
            kept::delete_card(conn, *card)?;
        }
    }
    if before.deleted && kept::get(conn, id)?.is_some() {
        let tags = tags::of_note(conn, id)?;
        kept::move_to_deleted(conn, id, &tags)?;
    }
    // A pack update since the step may ask cards the step never saw: the note asks what its
    // text says (with no update in between, this changes nothing).
    match_text(conn, id, store::NewQueue::Normal)?;
    reindex(conn, id)
}

/// A pack's note as an undo step kept it, over the pack's text of today: a pack update since
/// the step keeps its text of every field the learner had not changed then. The learner's own
/// notes come back exactly as they were.
pub(super) fn rebased(conn: &Connection, was: &NoteRecord) -> Result<NoteRecord> {
    let now = match kept::get(conn, was.id)? {
        Some(now) => now,
        None => match kept::get_deleted(conn, was.id)? {
            Some((now, _)) => now,
            None => return Ok(was.clone()),
        },
    };
    if kept::is_personal(conn, &was.pack_id)? {
        return Ok(was.clone());
    }
    let mut pack = object(&now.fields, was.id)?;
    if let Some(text) = &now.pack_text {
        pack.extend(object(text, was.id)?);
    }
    let mine = object(&was.fields, was.id)?;
    let edited = match &was.pack_text {
        Some(text) => object(text, was.id)?,
        None => Map::new(),
    };
    let mut fields = pack.clone();
    let mut pack_text = Map::new();
    for key in edited.keys() {
        if let (Some(my_value), Some(pack_value)) = (mine.get(key), pack.get(key)) {
            if my_value != pack_value {
                fields.insert(key.clone(), my_value.clone());
                pack_text.insert(key.clone(), pack_value.clone());
            }
        }
    }
    Ok(NoteRecord {
        fields: Value::Object(fields).to_string(),
        pack_text: (!pack_text.is_empty()).then(|| Value::Object(pack_text).to_string()),
        ..was.clone()
    })
}

/// After a pack update: each note the learner edited keeps their text of the fields they
/// changed, over the pack's new text of the others. `before` holds those notes as they were.
pub(crate) fn keep_edits(conn: &Connection, before: &[NoteRecord]) -> Result<()> {
    for was in before {
        let Some(now) = kept::get(conn, was.id)? else {
            continue;
        };
        let Some(text) = &was.pack_text else { continue };
        let edited = object(text, was.id)?;
        let mine = object(&was.fields, was.id)?;
        let mut fields = object(&now.fields, was.id)?;
        let mut pack_text = BTreeMap::new();
        for k in edited.keys() {
            if let (Some(pack_value), Some(my_value)) = (fields.get(k).cloned(), mine.get(k)) {
                if &pack_value != my_value {
                    pack_text.insert(k.clone(), pack_value);
                    fields.insert(k.clone(), my_value.clone());
                }
            }
        }
        kept::put(
            conn,
            &NoteRecord {
                fields: Value::Object(fields).to_string(),
                pack_text: (!pack_text.is_empty())
                    .then(|| serde_json::to_string(&pack_text).expect("maps serialize")),
                ..now
            },
        )?;
        // The pack may have added a cloze number the learner's text does not ask.
        match_text(conn, was.id, store::NewQueue::Normal)?;
    }
    Ok(())
}

/// Makes a note's live cards those its text asks: a card it no longer asks retires (keeping its
/// history), one it asks comes back from retirement or is made new in `queue`. For writes undo
/// does not record (pack updates, undo itself, sync); edits go through [`match_cards`].
pub(super) fn match_text(conn: &Connection, id: NoteId, queue: store::NewQueue) -> Result<()> {
    let Some(note) = kept::get(conn, id)? else {
        return Ok(());
    };
    let cards = kept::cards_of(conn, id)?;
    let reverse = cards.live.iter().any(|(_, t)| t == "reverse");
    let Some(draft) = NoteDraft::from_stored(&note.kind, &note.fields, Vec::new(), reverse) else {
        return Ok(());
    };
    let wanted = draft
        .to_stored(&note.key, Some(&object(&note.fields, id)?))
        .templates;
    for (card, template) in &cards.live {
        if !wanted.contains(template) {
            kept::retire_card(conn, *card)?;
        }
    }
    let mut position = kept::next_card_position(conn)?;
    let mut batch = store::Batch::new(conn);
    for template in &wanted {
        if cards.live.iter().any(|(_, t)| t == template) {
            continue;
        }
        let card = CardId::derive(id, template);
        kept::restore_card(conn, card)?;
        if store::install::insert_new_card(&mut batch, card, id, template, position, queue)? {
            kept::match_pack_bit(conn, card)?;
            position += 1;
        }
    }
    Ok(())
}
