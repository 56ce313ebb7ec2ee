//! Sync between devices, as [`Collection`] offers it: turning it on, syncing, and the steps
//! `sync::run` lends the collection for (docs/SYNC.md).

use std::path::Path;

use chrono::{DateTime, FixedOffset};

use super::{Changes, Collection, Op};
use crate::error::Result;
use crate::import;
use crate::schedule::Scheduler;
use crate::store::{self, BigWrite};
use crate::sync::{self, SyncReport, SyncStatus};

impl Collection {
    /// Turns sync on through `target` (a folder, `s3://…` or `webdav+https://…`; or moves it
    /// there), names this device, records this collection's history as this device's events,
    /// and syncs.
    pub fn sync_to(
        &mut self,
        target: &str,
        name: Option<&str>,
        now: DateTime<FixedOffset>,
    ) -> Result<SyncReport> {
        self.sync_connect(target, name, now)?;
        self.sync(now)
    }

    /// Turns sync on through `target` as [`Collection::sync_to`] does, without syncing yet (a
    /// front end syncs in the background).
    pub fn sync_connect(
        &mut self,
        target: &str,
        name: Option<&str>,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        let target = sync::normalize_target(target)?;
        let collection = sync::folder_collection(&*sync::open_target(&target)?)?;
        let before = sync::target(self.store.conn())?;
        // The collection's whole history becomes events: a big write.
        self.in_bulk(BigWrite::Import, |col| {
            col.transact(Op::not_undoable("sync_on"), |tx| {
                sync::connect(tx, collection, &target, name, now)
            })
        })?;
        // A key kept for the target left behind is not needed any more.
        #[cfg(feature = "remote")]
        if let Some(before) = before.filter(|b| *b != target) {
            let _ = sync::secrets::forget(&before);
        }
        #[cfg(not(feature = "remote"))]
        let _ = before;
        Ok(())
    }

    /// [`Collection::sync_connect`] to a target on a server, first keeping `secret` (its key)
    /// in the OS keyring; if the target cannot be reached with it, the keyring is left as it
    /// was and sync as it was.
    #[cfg(feature = "remote")]
    pub fn sync_connect_with(
        &mut self,
        target: &str,
        name: Option<&str>,
        secret: &sync::secrets::SyncSecret,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        let target = sync::normalize_target(target)?;
        let kept = sync::secrets::load(&target);
        sync::secrets::save(&target, secret)?;
        let connected = self.sync_connect(&target, name, now);
        if connected.is_err() {
            let _ = match &kept {
                Some(kept) => sync::secrets::save(&target, kept),
                None => sync::secrets::forget(&target),
            };
        }
        connected
    }

    /// Reads the other devices' changes, merges them, and writes this device's out.
    pub fn sync(&mut self, now: DateTime<FixedOffset>) -> Result<SyncReport> {
        self.sync_with_progress(now, &mut |_| {})
    }

    pub fn sync_with_progress(
        &mut self,
        now: DateTime<FixedOffset>,
        progress: &mut dyn FnMut(sync::SyncProgress),
    ) -> Result<SyncReport> {
        sync::run(&mut &mut *self, now, progress)
    }

    // The steps of [`sync::run`] that touch the database, for a front end that lends the
    // collection only for them.

    pub fn sync_plan(&self) -> Result<sync::pull::Plan> {
        sync::pull::plan(self.store.conn())
    }

    pub fn sync_ingest(
        &mut self,
        pulled: sync::pull::Pulled,
        now: DateTime<FixedOffset>,
        progress: &mut dyn FnMut(sync::SyncProgress),
    ) -> Result<SyncReport> {
        let big = pulled.is_big();
        let merge = |col: &mut Self| {
            col.transact(Op::not_undoable("sync"), |tx| {
                sync::pull::ingest(tx, pulled, &col.scheduler, now, progress)
            })
        };
        let ((report, settings), _) = match big {
            true => self.in_bulk(BigWrite::Merge, merge)?,
            false => merge(self)?,
        };
        if let Some(settings) = settings {
            self.scheduler = Scheduler::new(&settings)?;
        }
        Ok(report)
    }

    /// The packs other devices imported from files this device has not imported.
    pub fn sync_packs_wanted(&self) -> Result<Vec<sync::packs::Wanted>> {
        sync::packs::wanted(self.store.conn())
    }

    /// Imports a pack another device imported, from its file fetched to `path`, as the learner
    /// would; then its cards are what their events fold to. A file that cannot be imported is
    /// remembered as such (not tried again) and its error returned.
    pub fn sync_install_pack(
        &mut self,
        wanted: &sync::packs::Wanted,
        path: &Path,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        let result = import::load(path)
            .and_then(|loaded| {
                import::apply::prepare(loaded, path, &self.scheduler, now, &mut |_| Ok(()))
            })
            .and_then(|prepared| {
                self.in_bulk(BigWrite::Import, |col| {
                    col.transact(Op::not_undoable("sync"), |tx| {
                        let report = import::apply::write(tx, prepared, now, &mut |_| Ok(()))?;
                        if report.pack.as_str() != wanted.pack {
                            return Err(crate::Error::invalid(
                                "pack",
                                format!(
                                    "the file from another device holds pack '{}', not '{}'",
                                    report.pack, wanted.pack
                                ),
                            ));
                        }
                        sync::packs::installed(
                            tx.raw(Changes::CONTENT),
                            wanted,
                            &col.scheduler,
                            now.timestamp_millis(),
                        )
                    })
                })
            });
        if let Err(e) = &result {
            let why = e.to_string();
            self.transact(Op::not_undoable("sync"), |tx| {
                sync::packs::failed(tx, wanted, &why)
            })?;
        }
        result.map(|_| ())
    }

    /// The images other devices' notes show that this device lacks.
    pub fn sync_images_wanted(&self) -> Result<Vec<sync::media::WantedImage>> {
        sync::media::wanted(self.store.conn())
    }

    /// Stores an image fetched for a note from another device (checked by the caller).
    pub fn sync_install_image(
        &mut self,
        wanted: &sync::media::WantedImage,
        bytes: &[u8],
    ) -> Result<()> {
        self.transact(Op::not_undoable("sync"), |tx| {
            store::notes::add_media(tx.raw(Changes::NOTES), &wanted.pack, &wanted.path, bytes)
        })
        .map(|_| ())
    }

    /// The hashes of pack files imported here and not yet written to the target.
    pub fn sync_unsent_blobs(&self) -> Result<Vec<String>> {
        store::sync_packs::unsent_blobs(self.store.conn())
    }

    pub fn sync_blob(&self, hash: &str) -> Result<Option<Vec<u8>>> {
        store::sync_packs::blob(self.store.conn(), hash)
    }

    /// The file `hash` is in the target: it need not be kept here any more.
    pub fn sync_blob_sent(&mut self, hash: &str) -> Result<()> {
        self.transact(Op::not_undoable("sync"), |tx| {
            store::sync_packs::blob_sent(tx, hash)
        })
        .map(|_| ())
    }

    pub fn sync_next_segment(&self, last_in_target: i64) -> Result<Option<sync::push::Pending>> {
        sync::push::next_segment(self.store.conn(), last_in_target)
    }

    pub fn sync_mark_written(&mut self, written: &sync::push::Written) -> Result<u32> {
        self.transact(Op::not_undoable("sync"), |tx| {
            sync::push::mark_written(tx, written)
        })
        .map(|(sent, _)| sent)
    }

    /// Sends the packs imported before joining (once, after the first read of the target).
    pub fn sync_send_packs(&mut self, now: DateTime<FixedOffset>) -> Result<()> {
        self.transact(Op::not_undoable("sync"), |tx| {
            sync::send_packs(tx.raw(Changes::NONE), now)
        })
        .map(|_| ())
    }

    pub fn sync_finished(
        &mut self,
        plan: &sync::pull::Plan,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        self.transact(Op::not_undoable("sync"), |tx| {
            sync::push::finished(tx, plan, now)
        })
        .map(|_| ())
    }

    pub fn sync_status(&self, now: DateTime<FixedOffset>) -> Result<SyncStatus> {
        sync::status(self.store.conn(), now.offset())
    }

    /// Stops recording and syncing; turning it on again picks up where it stopped.
    /// Turns sync off, and forgets the key kept in the OS keyring for its target, if any.
    pub fn sync_off(&mut self) -> Result<()> {
        let target = sync::target(self.store.conn())?;
        self.transact(Op::not_undoable("sync_off"), |tx| sync::off(tx))?;
        #[cfg(feature = "remote")]
        if let Some(target) = target.filter(|t| t.contains("://")) {
            // Without a keyring to reach, nothing was kept there.
            let _ = sync::secrets::forget(&target);
        }
        #[cfg(not(feature = "remote"))]
        let _ = target;
        Ok(())
    }

    /// Folds every card from its events again and compares the result with the collection.
    pub fn sync_verify(&self) -> Result<sync::fold::Verified> {
        sync::fold::verify(self.store.conn(), &self.scheduler)
    }
}
