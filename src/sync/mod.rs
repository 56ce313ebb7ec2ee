//! Sync between devices through a folder the learner's own sync tool keeps in step, or an
//! object store (docs/SYNC.md). Each device writes its changes as events into immutable segments
//! of its own (`log/<device>/<seq>.rseg`) and reads everyone else's; answers are merged by the
//! union of their ids and each card's state is the fold of its events ([`fold`]); suspension,
//! tags and settings are last-writer-wins registers. Nothing is ever overwritten, so nothing is
//! lost, and the learner never chooses a side.
//!
//! A sync ([`run`]) holds the collection only while it reads or writes the database: listing,
//! reading and writing the target happen outside, so a front end stays responsive.

pub mod event;
pub mod fold;
pub mod folder;
pub mod hlc;
mod join;
pub mod media;
pub mod packs;
pub mod pull;
pub mod push;
pub mod record;
#[cfg(feature = "remote")]
pub mod remote;
pub mod reschedule;
#[cfg(feature = "remote")]
pub mod secrets;
pub mod segment;

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::clock::instant_text;
use crate::error::{Error, Result};
use crate::store::sync as stored;
use crate::Collection;
use folder::{Backend, Folder};
#[cfg(feature = "remote")]
use remote::Remote;

pub(crate) use join::{connect, default_name, folder_collection, send_packs, send_unset_settings};

const TARGET_KEY: &str = "target";
const COLLECTION_KEY: &str = "collection";
const NAME_KEY: &str = "name";
const LAST_SYNC_KEY: &str = "last_sync";
const FOLDER_FILE: &str = "reprise-sync.json";

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct SyncReport {
    /// Events of this device written out.
    pub sent: u32,
    /// Events of other devices read in.
    pub received: u32,
    /// Cards whose state was folded again from their events.
    pub cards_merged: u32,
    /// Segments not complete yet (a sync tool still delivering them): read next time.
    pub waiting: u32,
    /// Packs other devices imported, imported here.
    pub packs: u32,
    /// Things the learner should know; never a choice to make.
    pub notices: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DeviceInfo {
    pub id: String,
    pub name: String,
    pub version: String,
    /// When it last wrote its changes out, RFC 3339.
    pub last_seen: Option<String>,
    pub this_device: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SyncStatus {
    /// Where this collection syncs; null when sync is off.
    pub target: Option<String>,
    pub device: Option<DeviceInfo>,
    /// The other devices seen.
    pub devices: Vec<DeviceInfo>,
    /// RFC 3339; null before the first sync.
    pub last_sync: Option<String>,
    /// Changes of this device not written out yet.
    pub pending: u32,
}

/// How far a sync has got: `reading` segments, `merging` them, `folding` cards, `sending`
/// segments.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SyncProgress {
    pub stage: String,
    pub done: u32,
    pub total: u32,
}

impl SyncProgress {
    pub fn new(stage: &str, done: u32, total: u32) -> SyncProgress {
        SyncProgress {
            stage: stage.into(),
            done,
            total,
        }
    }
}

/// What a front end's background sync is doing, as it tells its UI whenever that changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct SyncActivity {
    pub running: bool,
    /// How far the running sync has got.
    pub progress: Option<SyncProgress>,
    /// What the last sync did; null before the first.
    pub last: Option<SyncReport>,
    /// Why the last sync failed (it is tried again); null if it did not.
    pub error: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct FolderFile {
    format: u32,
    collection: Uuid,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct DeviceFile {
    name: String,
    version: String,
    last_flush: i64,
}

/// The sync target as the learner names it: a folder, `s3://BUCKET/PREFIX`, or
/// `webdav+https://HOST/PATH` (`webdav+http://` too). Credentials come from the environment
/// (docs/SYNC.md): the target is remembered, so it may hold none.
pub fn open_target(target: &str) -> Result<Box<dyn Backend>> {
    let Some((scheme, rest)) = target.split_once("://") else {
        return Ok(Box::new(Folder::new(&PathBuf::from(target))?));
    };
    let bad = |why: &str| Error::invalid("target", format!("'{target}': {why}"));
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    if authority.contains('@') {
        // Not repeated: what is before the `@` is likely a password.
        return Err(Error::invalid(
            "target",
            format!(
                "'{scheme}://…@…': put no user name or password in the target, which is \
                 remembered; set them in the environment instead (docs/SYNC.md)"
            ),
        ));
    }
    if rest.contains(['?', '#']) || rest.chars().any(char::is_control) {
        return Err(bad("a sync target has no query (?) or fragment (#)"));
    }
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    if parts
        .iter()
        .any(|p| *p == "." || *p == ".." || p.contains(['\\', '%']))
    {
        return Err(bad(
            "the path may not contain '.', '..', '\\' or %-escapes; write names as they are",
        ));
    }
    let path = parts.join("/");
    let supported = "a sync target is a folder, s3://BUCKET/PREFIX, or webdav+https://HOST/PATH";
    match scheme {
        "s3" => {
            if authority.is_empty() {
                return Err(bad("name the bucket: s3://BUCKET/PREFIX"));
            }
            if !authority
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
            {
                return Err(bad("that is not an S3 bucket name"));
            }
            s3(target, authority, &path)
        }
        "webdav+https" | "webdav+http" => {
            if authority.is_empty()
                || !authority
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
            {
                return Err(bad("name the server: webdav+https://HOST/PATH"));
            }
            webdav(target, scheme == "webdav+https", authority, &path)
        }
        "webdav" | "http" | "https" | "dav" | "davs" => Err(bad(&format!(
            "{supported}; for a WebDAV server write webdav+https://{rest}"
        ))),
        _ => Err(bad(supported)),
    }
}

#[cfg(feature = "remote")]
fn s3(target: &str, bucket: &str, prefix: &str) -> Result<Box<dyn Backend>> {
    Ok(Box::new(Remote::s3(target, bucket, prefix)?))
}

#[cfg(feature = "remote")]
fn webdav(target: &str, https: bool, host: &str, path: &str) -> Result<Box<dyn Backend>> {
    Ok(Box::new(Remote::webdav(target, https, host, path)?))
}

#[cfg(not(feature = "remote"))]
fn s3(target: &str, _: &str, _: &str) -> Result<Box<dyn Backend>> {
    Err(without_remote(target))
}

#[cfg(not(feature = "remote"))]
fn webdav(target: &str, _: bool, _: &str, _: &str) -> Result<Box<dyn Backend>> {
    Err(without_remote(target))
}

/// A build without the `remote` feature (the fuzz targets) syncs through folders only.
#[cfg(not(feature = "remote"))]
fn without_remote(target: &str) -> Error {
    Error::invalid(
        "target",
        format!("'{target}': this build of Reprise syncs through folders only"),
    )
}

/// The target as it is remembered: a folder by its absolute path (`~/` is the home folder), so
/// a later sync from another working directory finds it.
pub fn normalize_target(target: &str) -> Result<String> {
    let target = target.trim();
    if target.is_empty() {
        return Err(Error::invalid("target", "give the folder to sync through"));
    }
    if target.contains("://") {
        return Ok(target.to_owned());
    }
    let expanded = match (target.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(target),
    };
    let path = std::path::absolute(&expanded).map_err(|e| Error::io(target, e))?;
    path.to_str().map(str::to_owned).ok_or_else(|| {
        Error::invalid(
            "target",
            format!("{}: the folder's name is not valid Unicode", path.display()),
        )
    })
}

/// Refuses a folder given by a relative path where there is no working directory to start from
/// (the app): the learner would not know where it went.
pub fn require_full_path(target: &str) -> Result<()> {
    let target = target.trim();
    let full =
        target.contains("://") || target.starts_with("~/") || Path::new(target).is_absolute();
    if full || target.is_empty() {
        return Ok(());
    }
    Err(Error::invalid(
        "target",
        format!("'{target}' is not a full path; give the folder's full path, such as /home/you/Sync/Reprise or ~/Sync/Reprise"),
    ))
}

/// Whether sync is on, and where to.
pub fn target(conn: &Connection) -> Result<Option<String>> {
    stored::state(conn, TARGET_KEY)
}

/// The collection a sync works on, lent for each step: a front end that shares it (behind a
/// lock) lends it only for as long as a step touches the database.
pub trait Lend {
    fn lend<T>(&mut self, step: impl FnOnce(&mut Collection) -> Result<T>) -> Result<T>;
}

impl Lend for &mut Collection {
    fn lend<T>(&mut self, step: impl FnOnce(&mut Collection) -> Result<T>) -> Result<T> {
        step(self)
    }
}

/// Syncs: reads the other devices' new segments and merges them, then writes this device's
/// waiting changes out and tells the others it was here.
pub fn run(
    collection: &mut impl Lend,
    now: DateTime<FixedOffset>,
    progress: &mut dyn FnMut(SyncProgress),
) -> Result<SyncReport> {
    let plan = collection.lend(|c| c.sync_plan())?;
    let backend = open_target(&plan.target)?;
    let pulled = pull::fetch(&plan, &*backend, progress)?;
    let last_in_target = pulled.own_last_seq;
    let mut report = collection.lend(|c| c.sync_ingest(pulled, now, progress))?;
    install_packs(collection, &*backend, now, &mut report, progress)?;
    install_images(collection, &*backend, &mut report)?;
    collection.lend(|c| c.sync_send_packs(now))?;
    report
        .notices
        .extend(collection.lend(|c| packs::unsent_notices(c.store().conn()))?);
    // Pack files first: a device that reads a segment naming one finds it there.
    for hash in collection.lend(|c| c.sync_unsent_blobs())? {
        if let Some(bytes) = collection.lend(|c| c.sync_blob(&hash))? {
            backend.put_if_absent(&packs::blob_key(&hash), &bytes)?;
        }
        collection.lend(|c| c.sync_blob_sent(&hash))?;
    }
    while let Some(pending) = collection.lend(|c| c.sync_next_segment(last_in_target))? {
        let written = push::put(&*backend, pending)?;
        report.sent += collection.lend(|c| c.sync_mark_written(&written))?;
        progress(SyncProgress::new("sending", report.sent, report.sent));
    }
    // Read again: merging may have given this device a new identity.
    let plan = collection.lend(|c| c.sync_plan())?;
    push::announce(&*backend, &plan, now)?;
    collection.lend(|c| c.sync_finished(&plan, now))?;
    Ok(report)
}

/// Imports the packs other devices imported: each file fetched outside the database, checked
/// against its hash, and imported as the learner would import it.
fn install_packs(
    collection: &mut impl Lend,
    backend: &dyn Backend,
    now: DateTime<FixedOffset>,
    report: &mut SyncReport,
    progress: &mut dyn FnMut(SyncProgress),
) -> Result<()> {
    let wanted = collection.lend(|c| c.sync_packs_wanted())?;
    let total = wanted.len() as u32;
    for (done, wanted) in wanted.into_iter().enumerate() {
        progress(SyncProgress::new("packs", done as u32, total));
        let bytes = backend
            .get(&packs::blob_key(&wanted.hash))?
            .filter(|bytes| packs::hash_of(bytes) == wanted.hash);
        // Not there yet, or still being written by the sync tool: read at the next sync.
        let Some(bytes) = bytes else {
            report.notices.push(format!(
                "the pack '{}' from another device is still arriving",
                wanted.pack
            ));
            continue;
        };
        let staged = packs::stage(&wanted, &bytes)?;
        match collection.lend(|c| c.sync_install_pack(&wanted, &staged.path(&wanted), now)) {
            Ok(()) => report.packs += 1,
            Err(e) => report.notices.push(format!(
                "the pack '{}' from another device could not be imported here: {e}",
                wanted.pack
            )),
        }
    }
    Ok(())
}

/// Stores the images other devices' notes show, each fetched and checked before it is kept.
fn install_images(
    collection: &mut impl Lend,
    backend: &dyn Backend,
    report: &mut SyncReport,
) -> Result<()> {
    for wanted in collection.lend(|c| c.sync_images_wanted())? {
        let bytes = backend
            .get(&packs::blob_key(&wanted.hash))?
            .filter(|bytes| media::accepts(&wanted, bytes));
        match bytes {
            Some(bytes) => collection.lend(|c| c.sync_install_image(&wanted, &bytes))?,
            // Not there yet, or not what its name says: looked for again at the next sync.
            None => report.notices.push(format!(
                "an image of a note from another device ({}) is still arriving",
                wanted.path
            )),
        }
    }
    Ok(())
}

pub(crate) fn sync_off() -> Error {
    Error::invalid(
        "sync",
        "sync is off; turn it on with `reprise sync --to FOLDER`",
    )
}

pub(crate) fn status(conn: &Connection, offset: &FixedOffset) -> Result<SyncStatus> {
    let me = record::device(conn)?;
    let when =
        |ms: i64| DateTime::<Utc>::from_timestamp_millis(ms).map(|t| instant_text(t, offset));
    let mut device = me.map(|id| DeviceInfo {
        id: id.simple().to_string(),
        name: String::new(),
        version: env!("CARGO_PKG_VERSION").into(),
        last_seen: None,
        this_device: true,
    });
    let mut devices = Vec::new();
    for d in stored::devices(conn)? {
        let info = DeviceInfo {
            id: d.id.simple().to_string(),
            name: d.name,
            version: d.version,
            last_seen: when(d.last_seen),
            this_device: Some(d.id) == me,
        };
        if info.this_device {
            device = Some(info);
        } else {
            devices.push(info);
        }
    }
    // This device as named here, even before its first sync.
    if let (Some(device), Some(name)) = (&mut device, stored::state(conn, NAME_KEY)?) {
        device.name = name;
    }
    Ok(SyncStatus {
        target: target(conn)?,
        device,
        devices,
        last_sync: stored::state(conn, LAST_SYNC_KEY)?
            .and_then(|v| v.parse().ok())
            .and_then(when),
        pending: stored::outbox_len(conn)?,
    })
}

/// Turns sync off: nothing more is recorded; what was is kept for when it comes back on.
pub(crate) fn off(conn: &Connection) -> Result<()> {
    stored::clear_state(conn, TARGET_KEY)
}

#[cfg(test)]
mod tests {
    use super::{normalize_target, require_full_path};

    #[test]
    fn a_folder_is_remembered_by_its_full_path() {
        let home = std::env::var("HOME").unwrap();
        assert_eq!(
            normalize_target(" ~/Sync/Reprise ").unwrap(),
            format!("{home}/Sync/Reprise")
        );
        assert_eq!(normalize_target("/srv/sync").unwrap(), "/srv/sync");
        assert_eq!(normalize_target("s3://b/p").unwrap(), "s3://b/p");
        assert!(normalize_target("  ").is_err());
        assert!(require_full_path("~/Sync").is_ok());
        assert!(require_full_path("/srv/sync").is_ok());
        assert!(require_full_path("webdav+https://h/p").is_ok());
        assert!(require_full_path("Sync/Reprise").is_err());
    }
}
