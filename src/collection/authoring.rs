//! Writing and editing notes, as [`Collection`] offers it ([`crate::notes`]).

use chrono::{DateTime, FixedOffset};
use serde_json::Value;

use super::{Changes, Collection, Op};
use crate::error::{Error, Result};
use crate::ids::NoteId;
use crate::notes::{
    self, write, CardPreview, NoteAdded, NoteDraft, NoteEdited, NoteView, PersonalPack,
};
use crate::store::{self, NoteRow};
use crate::study::card_view;

impl Collection {
    /// Adds a note to `pack` (a personal pack's id or name; a new name makes that pack; `None`:
    /// My cards). One undo step.
    pub fn add_note(
        &mut self,
        pack: Option<&str>,
        draft: NoteDraft,
        now: DateTime<FixedOffset>,
    ) -> Result<NoteAdded> {
        // Checked before the pack is made, so a bad draft makes nothing.
        draft.clone().tidied().check()?;
        self.transact(Op::undoable("add_note").at(now), |tx| {
            let pack = write::target_pack(tx, pack, now.timestamp_millis())?;
            write::add(tx, &pack, draft, now.timestamp_millis())
        })
        .map(|(added, _)| added)
    }

    /// Gives a note the text of `draft`; one undo step.
    pub fn edit_note(
        &mut self,
        id: NoteId,
        draft: NoteDraft,
        now: DateTime<FixedOffset>,
    ) -> Result<NoteEdited> {
        self.transact(Op::undoable("edit_note").at(now), |tx| {
            write::edit(tx, id, draft)
        })
        .map(|(edited, _)| edited)
    }

    /// Sets fields of a note by name (`definition`, `tags`, `reverse`…), from text: lists are
    /// comma-separated, flags `true` or `false`. One undo step for all of them.
    pub fn edit_note_fields(
        &mut self,
        id: NoteId,
        fields: &[(String, String)],
        now: DateTime<FixedOffset>,
    ) -> Result<NoteEdited> {
        let view = self.note(id)?;
        let mut json = serde_json::to_value(&view.draft).expect("drafts serialize");
        let known: Vec<String> = json
            .as_object()
            .map(|m| m.keys().filter(|k| *k != "kind").cloned().collect())
            .unwrap_or_default();
        for (name, text) in fields {
            let value = match json.get(name) {
                Some(Value::Array(_)) => Value::Array(
                    text.split(',')
                        .map(|s| Value::String(s.trim().to_owned()))
                        .collect(),
                ),
                Some(Value::Bool(_)) => match text.trim() {
                    "true" | "yes" | "on" => Value::Bool(true),
                    "false" | "no" | "off" => Value::Bool(false),
                    _ => {
                        return Err(Error::invalid(
                            name.as_str(),
                            format!("`{name}` is true or false, not '{text}'"),
                        ))
                    }
                },
                Some(_) if name != "kind" => Value::String(text.clone()),
                _ => {
                    return Err(Error::invalid(
                        name.as_str(),
                        format!(
                            "a {} note has no field '{name}'; its fields are {}",
                            view.draft.kind_name(),
                            known.join(", ")
                        ),
                    ))
                }
            };
            json[name.as_str()] = value;
        }
        let draft: NoteDraft =
            serde_json::from_value(json).map_err(|e| Error::invalid("fields", e.to_string()))?;
        self.edit_note(id, draft, now)
    }

    /// Deletes a note; its cards leave study and their answers stay in the statistics. One
    /// undo step. Returns how many cards left study.
    pub fn delete_note(&mut self, id: NoteId, now: DateTime<FixedOffset>) -> Result<u32> {
        self.transact(Op::undoable("delete_note").at(now), |tx| {
            write::delete(tx, id)
        })
        .map(|(cards, _)| cards)
    }

    /// A note as the editor shows it.
    pub fn note(&self, id: NoteId) -> Result<NoteView> {
        write::view(self.store.conn(), id)
    }

    /// The cards `draft` would make, as review shows them. `pack` (a pack id) resolves images
    /// pasted into it; `None`: My cards.
    pub fn preview_note(&self, pack: Option<&str>, draft: NoteDraft) -> Result<Vec<CardPreview>> {
        let draft = draft.tidied();
        draft.check()?;
        let stored = draft.to_stored("preview", None);
        let note = NoteRow {
            id: NoteId(0),
            pack_id: pack.unwrap_or(notes::MY_CARDS).to_owned(),
            kind: stored.kind.to_owned(),
            fields: Value::Object(stored.fields).to_string(),
        };
        stored
            .templates
            .iter()
            .map(|template| {
                let shown = card_view::shown(self.store.conn(), &note, template)?;
                Ok(CardPreview {
                    template: template.clone(),
                    prompt: shown.face.prompt,
                    answer: shown.face.answer,
                    prompt_html: shown.prompt_html,
                    answer_html: shown.answer_html,
                    detail_html: shown.detail_html,
                })
            })
            .collect()
    }

    /// The packs new notes can go to (My cards is made with the first note).
    pub fn personal_packs(&self) -> Result<Vec<PersonalPack>> {
        Ok(store::notes::personal_packs(self.store.conn())?
            .into_iter()
            .map(|(id, name)| PersonalPack {
                id: id.into(),
                name,
            })
            .collect())
    }

    /// Stores an image for a note of `pack` (`None`: My cards, made if needed) and returns the
    /// path Markdown names it by (`media/mine-<hash>.png`).
    pub fn add_image(
        &mut self,
        pack: Option<&str>,
        bytes: &[u8],
        now: DateTime<FixedOffset>,
    ) -> Result<String> {
        let ext = notes::image_extension(bytes)?;
        let hash = blake3::hash(bytes).to_hex();
        let path = format!("media/mine-{}.{ext}", &hash[..16]);
        self.transact(Op::not_undoable("add_image").at(now), |tx| {
            let pack = match pack {
                Some(id) if store::packs::exists(tx, id)? => id.to_owned(),
                other => write::target_pack(tx, other, now.timestamp_millis())?,
            };
            store::notes::add_media(tx.raw(Changes::NOTES), &pack, &path, bytes)
        })?;
        Ok(path)
    }
}
