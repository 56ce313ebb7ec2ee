//! Applying another device's version of a note, and what this device tells the others of one.

use rusqlite::Connection;
use serde_json::{Map, Value};

use super::draft::NoteDraft;
use super::write::*;
use super::MY_CARDS_NAME;
use crate::error::Result;
use crate::ids::{CardId, NoteId};
use crate::store::notes::{self as kept, NoteRecord};
use crate::store::{self, tags};
/// What other devices learn of note `id`: the learner's own note whole, a pack's note as the
/// fields the learner changed, the cards it asks — or that it is gone.
pub(crate) fn sync_value(conn: &Connection, id: NoteId) -> Result<Value> {
    let Some(note) = kept::get(conn, id)? else {
        let pack = kept::get_deleted(conn, id)?.map(|(n, _)| n.pack_id);
        return Ok(serde_json::json!({ "deleted": true, "pack": pack }));
    };
    let mut cards: Vec<String> = kept::cards_of(conn, id)?
        .live
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    cards.sort_by_key(|t| template_order(t));
    let mut value = serde_json::json!({
        "pack": note.pack_id,
        "key": note.key,
        "kind": note.kind,
        "cards": cards,
    });
    let media = crate::sync::media::of_note(conn, &note.pack_id, &note.fields);
    if !media.is_empty() {
        crate::sync::media::keep_for_target(conn, &note.pack_id, &media)?;
        value["media"] = serde_json::to_value(&media).expect("maps serialize");
    }
    if kept::is_personal(conn, &note.pack_id)? {
        let name = store::packs::stored_manifest(conn, &note.pack_id)?.map(|m| m.0);
        value["pack_name"] = name.into();
        value["fields"] = Value::Object(object(&note.fields, id)?);
        value["position"] = note.position.into();
    } else {
        let fields = object(&note.fields, id)?;
        let edited = match &note.pack_text {
            Some(text) => object(text, id)?,
            None => Map::new(),
        };
        let edits: Map<String, Value> = edited
            .keys()
            .filter_map(|k| Some((k.clone(), fields.get(k)?.clone())))
            .collect();
        value["edits"] = Value::Object(edits);
    }
    Ok(value)
}

/// Applies another device's version of note `id` (a [`sync_value`]) that won its register.
/// A pack's note not installed here waits for its pack.
pub(crate) fn apply_synced(conn: &Connection, id: NoteId, value: &Value, at_ms: i64) -> Result<()> {
    if value["deleted"] == Value::Bool(true) {
        if kept::get(conn, id)?.is_some() {
            for (card, _) in kept::cards_of(conn, id)?.live {
                kept::retire_card(conn, card)?;
            }
            let tags = tags::of_note(conn, id)?;
            kept::move_to_deleted(conn, id, &tags)?;
            reindex(conn, id)?;
        }
        return Ok(());
    }
    let (Some(pack), Some(key), Some(kind)) = (
        value["pack"].as_str(),
        value["key"].as_str(),
        value["kind"].as_str(),
    ) else {
        return Ok(());
    };
    // Ids derive from the pack and key: a value naming another note is refused.
    if NoteId::derive(pack, key) != id || !matches!(kind, "term" | "flash") {
        return Ok(());
    }
    // Deleted here and edited on another device since: it comes back (once the value passes).
    let deleted = kept::get_deleted(conn, id)?;
    let existing = match kept::get(conn, id)? {
        Some(n) => Some(n),
        None => deleted.as_ref().map(|(n, _)| n.clone()),
    };
    let record = if let Value::Object(fields) = &value["fields"] {
        // The learner's own packs, and only those, have ids of their own kind.
        if !pack.starts_with("mine.") {
            return Ok(());
        }
        let name = value["pack_name"]
            .as_str()
            .filter(|n| !n.trim().is_empty() && n.chars().count() <= 80)
            .unwrap_or(MY_CARDS_NAME);
        kept::create_personal_pack(conn, &personal_manifest(pack, name), at_ms)?;
        if !kept::is_personal(conn, pack)? {
            return Ok(());
        }
        NoteRecord {
            id,
            pack_id: pack.to_owned(),
            key: key.to_owned(),
            kind: kind.to_owned(),
            fields: Value::Object(fields.clone()).to_string(),
            position: value["position"].as_i64().unwrap_or(0),
            pack_text: None,
        }
    } else {
        let Some(note) = existing else { return Ok(()) };
        let edits = match &value["edits"] {
            Value::Object(m) => m.clone(),
            _ => Map::new(),
        };
        let mut original = object(&note.fields, id)?;
        if let Some(text) = &note.pack_text {
            original.extend(object(text, id)?);
        }
        let mut fields = original.clone();
        let mut pack_text = Map::new();
        for (k, v) in edits {
            if let Some(was) = original.get(&k) {
                pack_text.insert(k.clone(), was.clone());
                fields.insert(k, v);
            }
        }
        NoteRecord {
            fields: Value::Object(fields).to_string(),
            pack_text: (!pack_text.is_empty()).then(|| Value::Object(pack_text).to_string()),
            ..note
        }
    };
    // What it stores must read as its kind does and pass the checks the editor makes (no
    // active markup, no oversized field), or it is not taken. Its cards are those its text
    // makes (the value only says whether a basic note is reversed).
    let reverse = value["cards"]
        .as_array()
        .is_some_and(|cards| cards.iter().any(|t| t == "reverse"));
    let Some(draft) = NoteDraft::from_stored(&record.kind, &record.fields, Vec::new(), reverse)
    else {
        return Ok(());
    };
    if draft.check().is_err() {
        return Ok(());
    }
    if let Some((was, tags)) = deleted {
        kept::put(conn, &was)?;
        let mut batch = store::Batch::new(conn);
        for tag in &tags {
            tags::add(&mut batch, id, tag)?;
        }
        kept::forget_deleted(conn, id)?;
    }
    kept::put(conn, &record)?;
    // A basic note's reverse card is the one thing its text does not say.
    let has_reverse = kept::cards_of(conn, id)?
        .live
        .iter()
        .any(|(_, t)| t == "reverse");
    if has_reverse != reverse {
        let card = CardId::derive(id, "reverse");
        if reverse {
            kept::restore_card(conn, card)?;
            let position = kept::next_card_position(conn)?;
            store::install::insert_new_card(
                &mut store::Batch::new(conn),
                card,
                id,
                "reverse",
                position,
                store::NewQueue::First,
            )?;
            kept::match_pack_bit(conn, card)?;
        } else {
            kept::retire_card(conn, card)?;
        }
    }
    match_text(conn, id, store::NewQueue::First)?;
    reindex(conn, id)
}
