//! Images the learner pasted into their notes, between devices. A note's register names each
//! image its text shows (`media/mine-<hash prefix>.<ext>`) with the blake3 hash of its bytes;
//! the bytes travel as a file of the target (`blobs/<hash>`), as imported packs' files do. A
//! device that lacks one fetches it, checks its hash, its name and that it is an image of the
//! kind its name says, and only then stores it.

use std::collections::BTreeMap;

use rusqlite::Connection;
use serde_json::Value;

use super::event::Scope;
use crate::error::Result;
use crate::store::{self, sync as stored, sync_packs};

/// The learner's images a note's fields show: path → blake3 hash of the bytes held here. Markdown
/// names them `media/mine-….png`, HTML (a note imported from Anki) `mine-….png`.
pub fn of_note(conn: &Connection, pack: &str, fields: &str) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut rest = fields;
    while let Some(at) = rest.find("mine-") {
        let tail = &rest[at..];
        let len = tail
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.')))
            .map_or(tail.len(), |(i, _)| i);
        let path = format!("media/{}", tail[..len].trim_end_matches('.'));
        if is_image_path(&path) {
            if let Some(bytes) = store::media_at(conn, pack, &path) {
                found.insert(path, blake3::hash(&bytes).to_hex().to_string());
            }
        }
        rest = &tail[len.max(1)..];
    }
    found
}

/// `media/mine-<16 hex>.<png|jpg|gif|webp>`: the only names pasted images get.
fn is_image_path(path: &str) -> bool {
    let Some(name) = path.strip_prefix("media/mine-") else {
        return false;
    };
    let Some((hex, ext)) = name.split_once('.') else {
        return false;
    };
    hex.len() == 16
        && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && matches!(ext, "png" | "jpg" | "gif" | "webp")
}

/// Keeps the bytes of each image in `media` until they are written to the target.
pub fn keep_for_target(
    conn: &Connection,
    pack: &str,
    media: &BTreeMap<String, String>,
) -> Result<()> {
    for (path, hash) in media {
        if let Some(bytes) = store::media_at(conn, pack, path) {
            let name = path.trim_start_matches("media/");
            sync_packs::keep_blob(conn, hash, name, &bytes)?;
        }
    }
    Ok(())
}

/// An image another device's note shows that this device lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WantedImage {
    pub pack: String,
    pub path: String,
    pub hash: String,
}

/// The images the notes' registers name that are not stored here (for packs installed here).
pub fn wanted(conn: &Connection) -> Result<Vec<WantedImage>> {
    let mut wanted = Vec::new();
    for (key, value) in stored::registers_of(conn, Scope::Note.name())? {
        // Only for notes this device took (a register it refused names nothing to fetch).
        let live = match key.parse::<i64>() {
            Ok(note) => store::notes::get(conn, crate::ids::NoteId(note))?.is_some(),
            Err(_) => false,
        };
        let Ok(value) = serde_json::from_str::<Value>(&value) else {
            continue;
        };
        if !live {
            continue;
        }
        let (Some(pack), Some(Value::Object(media))) = (value["pack"].as_str(), value.get("media"))
        else {
            continue;
        };
        if !store::packs::exists(conn, pack)? {
            continue;
        }
        for (path, hash) in media {
            let Some(hash) = hash.as_str() else { continue };
            if accepts_name(path, hash) && store::media_at(conn, pack, path).is_none() {
                wanted.push(WantedImage {
                    pack: pack.to_owned(),
                    path: path.clone(),
                    hash: hash.to_owned(),
                });
            }
        }
    }
    Ok(wanted)
}

/// Whether `path` is a pasted image's name made from `hash`.
fn accepts_name(path: &str, hash: &str) -> bool {
    is_image_path(path)
        && hash.len() == 64
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && path["media/mine-".len()..].starts_with(&hash[..16])
}

/// Whether fetched `bytes` are the image `wanted` names: its hash, and an image of its kind.
pub fn accepts(wanted: &WantedImage, bytes: &[u8]) -> bool {
    let kind = crate::notes::image_extension(bytes).ok();
    accepts_name(&wanted.path, &wanted.hash)
        && blake3::hash(bytes).to_hex().as_str() == wanted.hash
        && kind.is_some_and(|ext| wanted.path.ends_with(&format!(".{ext}")))
}
