//! Packs between devices. A pack imported here travels as its file, stored in the target once
//! under its blake3 hash (`blobs/<hash>`), and a `pack` register that names it; disabling a
//! pack and removing one are register writes too. A device that reads a register naming a file
//! it has not imported fetches the file, checks its hash, and imports it as the learner would:
//! the same validation, the same ids, and then each of its cards is what its events fold to.
//! The built-in pack ships with the app and never travels.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::event::Scope;
use super::fold;
use crate::error::{Error, Result};
use crate::ids::{CardId, NoteId};
use crate::schedule::Scheduler;
use crate::store::packs::CARDS_OF_PACK;
use crate::store::{self, sync as stored, sync_packs};

/// Where a pack's file lives in the target.
pub fn blob_key(hash: &str) -> String {
    format!("blobs/{hash}")
}

/// What a `pack` register holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PackValue {
    /// Imported from this file.
    File { blob: String, file: String },
    /// Removed, its history kept or not.
    Removed { removed: bool, history: bool },
}

impl PackValue {
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).expect("a pack value serializes")
    }
}

/// The hash a pack's file is stored under.
pub fn hash_of(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// The largest pack file that travels (what an object store read accepts).
pub const MAX_FILE: u64 = 256 << 20;

/// The file that pack `pack`, just imported from `path`, travels as: the file itself, or for a
/// pack folder, the pack as the collection now holds it, zipped.
pub fn source_file(conn: &Connection, path: &Path, pack: &str) -> Result<(String, Vec<u8>)> {
    if path.is_dir() {
        return exported_file(conn, pack);
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(safe_file_name)
        .unwrap_or_else(|| {
            let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("zip");
            format!("{pack}.{extension}")
        });
    Ok((name, crate::import::file::read_capped(path, MAX_FILE)?))
}

/// Pack `pack` as the collection holds it, zipped: how a pack folder travels, and a pack
/// imported before sync was on (its file is not kept).
fn exported_file(conn: &Connection, pack: &str) -> Result<(String, Vec<u8>)> {
    let dir =
        std::env::temp_dir().join(format!("{STAGED_PREFIX}{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
    let staged = Staged { dir };
    let zip = staged.dir.join(format!("{pack}.zip"));
    crate::export::export_pack(conn, pack, &zip)?;
    let bytes = crate::import::file::read_capped(&zip, MAX_FILE)?;
    Ok((format!("{pack}.zip"), bytes))
}

/// The packs imported here that no `pack` register names: imported before sync was on, or too
/// large to travel. The built-in packs ship with the app, and personal packs travel note by note.
pub fn unregistered(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT id FROM packs WHERE personal = 0
           AND id NOT IN (SELECT key FROM sync_registers WHERE scope = ?1)
         ORDER BY id",
    )?;
    let ids = stmt.query_map([Scope::Pack.name()], |r| r.get::<_, String>(0))?;
    let ids = ids.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ids
        .into_iter()
        .filter(|id| !crate::content::source::is_builtin(id))
        .collect())
}

/// Sends the packs imported before sync was on, each as the pack the collection holds, zipped
/// (its cards' history travels as their events); a pack that cannot be made into a file that
/// imports again stays here, and each sync says so ([`unsent_notices`]).
pub(crate) fn send_unregistered(out: &mut super::record::Out, conn: &Connection) -> Result<()> {
    for pack in unregistered(conn)? {
        let Ok((file, bytes)) = exported_file(conn, &pack) else {
            continue;
        };
        let hash = hash_of(&bytes);
        sync_packs::keep_blob(conn, &hash, &file, &bytes)?;
        sync_packs::set_pack_source(conn, &pack, &hash, None)?;
        let value = PackValue::File { blob: hash, file };
        out.register(Scope::Pack, &pack, value.to_json(), true)?;
        if store::packs::is_disabled(conn, &pack)? {
            out.register(Scope::PackEnabled, &pack, Value::Bool(false), true)?;
        }
    }
    Ok(())
}

/// What a sync says of the packs that stay on this device.
pub fn unsent_notices(conn: &Connection) -> Result<Vec<String>> {
    Ok(unregistered(conn)?
        .into_iter()
        .map(|pack| {
            format!(
                "the pack '{pack}' is not sent to your other devices: its file is too large \
                 to travel, or it does not export as a pack that imports again (`reprise export \
                 pack {pack} FILE.zip` says why); import its file on each of them"
            )
        })
        .collect())
}

/// A pack another device imported from a file this device has not imported.
#[derive(Debug, Clone, PartialEq)]
pub struct Wanted {
    pub pack: String,
    pub hash: String,
    /// The file's name, made safe to write here.
    pub file: String,
}

/// The packs whose registers name a file this device has not imported (nor failed to).
pub fn wanted(conn: &Connection) -> Result<Vec<Wanted>> {
    let mut wanted = Vec::new();
    for (pack, value) in stored::registers_of(conn, Scope::Pack.name())? {
        let Ok(PackValue::File { blob, file }) = serde_json::from_str(&value) else {
            continue;
        };
        if sync_packs::pack_source(conn, &pack)?.is_some_and(|(hash, _)| hash == blob) {
            continue;
        }
        // Checked here so that nothing unsafe reaches the file system; a bad one is skipped.
        let Some(file) = safe_file_name(&file) else {
            continue;
        };
        if !is_hash(&blob) {
            continue;
        }
        wanted.push(Wanted {
            pack,
            hash: blob,
            file,
        });
    }
    Ok(wanted)
}

fn is_hash(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A file name from another device, safe to write in a folder of our own: one plain name (no
/// folder, no leading dot) of letters, digits, spaces and `-_.()+,`, with the extension of
/// a format the importer reads.
pub fn safe_file_name(name: &str) -> Option<String> {
    let name = name.trim();
    let ok = !name.is_empty()
        && name.len() <= 120
        && !name.starts_with('.')
        && name.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '(' | ')' | '+' | ',')
        });
    let extension = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let known = matches!(
        extension.as_deref(),
        Some("zip" | "apkg" | "colpkg" | "csv" | "tsv" | "txt")
    );
    (ok && known).then(|| name.to_owned())
}

/// The folders a pack's file is staged in: `reprise-pack-…`, in the system's temporary folder.
const STAGED_PREFIX: &str = "reprise-pack-";

/// Writes a fetched file where the importer can read it: a new folder of its own in the system's
/// temporary folder, removed when the returned guard goes.
pub fn stage(wanted: &Wanted, bytes: &[u8]) -> Result<Staged> {
    // What syncs killed while importing left.
    crate::import::file::sweep_stale(&std::env::temp_dir(), STAGED_PREFIX, "");
    let dir = std::env::temp_dir().join(format!(
        "{STAGED_PREFIX}{}-{}",
        &wanted.hash[..16],
        uuid::Uuid::now_v7().simple()
    ));
    std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
    let staged = Staged { dir };
    let path = staged.path(wanted);
    std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
    Ok(staged)
}

/// A fetched file's folder; removed on drop.
pub struct Staged {
    dir: PathBuf,
}

impl Staged {
    pub fn path(&self, wanted: &Wanted) -> PathBuf {
        self.dir.join(&wanted.file)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A pack from another device was just imported here: remembers its file, gives each of its
/// cards the schedule its events folded to, and applies what the registers say of its cards and notes.
pub fn installed(
    conn: &Connection,
    wanted: &Wanted,
    scheduler: &Scheduler,
    now_ms: i64,
) -> Result<()> {
    sync_packs::set_pack_source(conn, &wanted.pack, &wanted.hash, None)?;
    let cards: Vec<i64> = conn
        .prepare(CARDS_OF_PACK)?
        .query_map([&wanted.pack], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let reschedule = fold::Reschedule::latest(conn)?;
    for &card in &cards {
        fold::install_folded(conn, scheduler, reschedule, card)?;
        let key = card.to_string();
        for scope in [Scope::Suspended, Scope::Buried] {
            if let Some(r) = stored::register(conn, scope.name(), &key)? {
                let value = serde_json::from_str(&r.value).unwrap_or(Value::Null);
                super::pull::apply_card_register(conn, scope, CardId(card), &value, now_ms)?;
            }
        }
    }
    let notes: Vec<i64> = conn
        .prepare("SELECT id FROM notes WHERE pack_id = ?1")?
        .query_map([&wanted.pack], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for note in notes {
        // The learner's edits of this pack's notes, made on another device before it came here.
        if let Some(r) = stored::register(conn, Scope::Note.name(), &note.to_string())? {
            if let Ok(value) = serde_json::from_str::<Value>(&r.value) {
                crate::notes::write::apply_synced(conn, NoteId(note), &value, now_ms)?;
            }
        }
        let prefix = format!("{note} ");
        for (key, value) in stored::registers_with_prefix(conn, Scope::Tag.name(), &prefix)? {
            if let Ok(value) = serde_json::from_str::<Value>(&value) {
                super::pull::apply_tag(conn, NoteId(note), &key[prefix.len()..], &value)?;
            }
        }
    }
    if let Some(r) = stored::register(conn, Scope::PackEnabled.name(), &wanted.pack)? {
        if r.value == "false" {
            store::packs::set_enabled(conn, &wanted.pack, false)?;
        }
    }
    Ok(())
}

/// A pack's file could not be imported here: it is not tried again until another file is named.
pub fn failed(conn: &Connection, wanted: &Wanted, why: &str) -> Result<()> {
    sync_packs::set_pack_source(conn, &wanted.pack, &wanted.hash, Some(why))
}

/// Applies another device's `pack` or `pack_enabled` register write that won.
pub fn apply(conn: &Connection, scope: Scope, pack: &str, value: &Value) -> Result<()> {
    let installed = store::packs::stored_manifest(conn, pack)?.is_some();
    match scope {
        Scope::PackEnabled if installed => {
            store::packs::set_enabled(conn, pack, value.as_bool() != Some(false))?;
        }
        Scope::Pack => {
            if let Ok(PackValue::Removed {
                removed: true,
                history,
            }) = serde_json::from_value(value.clone())
            {
                sync_packs::forget_pack_source(conn, pack)?;
                if installed && !crate::content::source::is_builtin(pack) {
                    if !history {
                        sync_packs::forget_card_events(conn, CARDS_OF_PACK, pack)?;
                    }
                    crate::study::packs::remove(conn, pack, history)?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_plain_name_of_a_known_format_is_written() {
        assert_eq!(
            safe_file_name("My deck (v2).apkg").as_deref(),
            Some("My deck (v2).apkg")
        );
        assert_eq!(safe_file_name("terms.CSV").as_deref(), Some("terms.CSV"));
        for bad in [
            "../x.csv",
            "/etc/passwd.csv",
            "a/b.csv",
            "a\\b.csv",
            ".hidden.csv",
            "x.exe",
            "noextension",
            "",
            "x.csv\0",
        ] {
            assert_eq!(safe_file_name(bad), None, "{bad:?}");
        }
        assert!(is_hash(&hash_of(b"x")));
        assert!(!is_hash("../../etc"));
    }

    #[test]
    fn a_pack_value_reads_back_as_written() {
        let file = PackValue::File {
            blob: hash_of(b"x"),
            file: "a.csv".into(),
        };
        let removed = PackValue::Removed {
            removed: true,
            history: false,
        };
        for v in [file, removed] {
            assert_eq!(serde_json::from_value::<PackValue>(v.to_json()).unwrap(), v);
        }
    }
}
