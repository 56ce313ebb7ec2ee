//! Sync in the background: at start, when another device's segment lands in the sync folder
//! (file watching), half a minute after the learner changes something, on "Sync now", every few
//! minutes for an object store, and on close. A sync lends the collection only for its database
//! steps ([`reprise::sync::run`]), so the UI never waits on the folder or the network; what it
//! does is told to the UI as [`SYNC_EVENT`].

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};
use reprise::sync::SyncActivity;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::AppState;

/// The event the UI hears whenever what the background sync is doing changes.
pub const SYNC_EVENT: &str = "sync-activity";

/// How long after a change of the learner's a sync follows: answers come in bursts.
const AFTER_A_CHANGE: Duration = Duration::from_secs(30);
/// How long after a change in the folder: a sync tool delivers a file in pieces.
const AFTER_THE_FOLDER_CHANGES: Duration = Duration::from_secs(2);
/// How often an object store, which cannot be watched, is looked at.
const POLL_A_REMOTE: Duration = Duration::from_secs(300);
/// How long closing the app waits for its last sync.
const ON_CLOSE: Duration = Duration::from_secs(10);

enum Wake {
    /// "Sync now", start, or sync turned on.
    Now,
    /// The learner changed something.
    Changed,
    /// Another device's file arrived in the folder.
    Arrived,
    /// The app is closing: one last sync, then say so.
    Close(Sender<()>),
}

/// The background sync's handle, kept in [`AppState`].
#[derive(Default)]
pub struct Syncer {
    wake: Mutex<Option<Sender<Wake>>>,
    activity: Mutex<SyncActivity>,
    watching: Mutex<Option<(PathBuf, notify::RecommendedWatcher)>>,
}

impl Syncer {
    pub fn activity(&self) -> SyncActivity {
        lock(&self.activity).clone()
    }

    fn send(&self, wake: Wake) {
        if let Some(tx) = lock(&self.wake).as_ref() {
            let _ = tx.send(wake);
        }
    }

    /// Syncs as soon as it can.
    pub fn now(&self) {
        self.send(Wake::Now);
    }

    /// The learner changed something: sync soon.
    pub fn changed(&self) {
        self.send(Wake::Changed);
    }

    /// Syncs one last time before the app closes, waiting at most [`ON_CLOSE`].
    pub fn close(&self) {
        let (done, finished) = mpsc::channel();
        self.send(Wake::Close(done));
        let _ = finished.recv_timeout(ON_CLOSE);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Starts the background sync; it syncs at once if sync is on.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    let (tx, rx) = mpsc::channel();
    *lock(&app.state::<AppState>().syncer.wake) = Some(tx.clone());
    let app = app.clone();
    std::thread::spawn(move || {
        let mut due = Some(Instant::now());
        loop {
            let wait = due.map_or(POLL_A_REMOTE, |d| {
                d.saturating_duration_since(Instant::now())
            });
            let soon = |after: Duration, due: Option<Instant>| {
                let at = Instant::now() + after;
                Some(due.map_or(at, |d| d.min(at)))
            };
            match rx.recv_timeout(wait) {
                Ok(Wake::Now) => due = Some(Instant::now()),
                Ok(Wake::Changed) => due = soon(AFTER_A_CHANGE, due),
                Ok(Wake::Arrived) => due = soon(AFTER_THE_FOLDER_CHANGES, due),
                Ok(Wake::Close(done)) => {
                    sync_once(&app, &tx);
                    let _ = done.send(());
                    return;
                }
                Err(RecvTimeoutError::Timeout) => {
                    sync_once(&app, &tx);
                    due = None;
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    });
}

/// One sync, if sync is on, told to the UI as it goes.
fn sync_once<R: Runtime>(app: &AppHandle<R>, wake: &Sender<Wake>) {
    let state = app.state::<AppState>();
    // The first sync of a start that upgrades the collection waits for it, rather than find
    // no collection and wait for the next poll.
    while state.upgrading().is_some() {
        std::thread::sleep(Duration::from_millis(100));
    }
    let Ok(Some(target)) = state.with_collection(|c| Ok(c.sync_status(state.now())?.target)) else {
        return;
    };
    watch(&state, &target, wake);
    let tell = |update: &dyn Fn(&mut SyncActivity)| {
        let mut activity = lock(&state.syncer.activity);
        update(&mut activity);
        let _ = app.emit(SYNC_EVENT, activity.clone());
    };
    tell(&|a| {
        a.running = true;
        a.progress = None;
    });
    let mut last_told = Instant::now();
    let result = reprise::sync::run(&mut Lender(&state), state.now(), &mut |p| {
        // A few updates a second are plenty for a progress bar.
        if last_told.elapsed() > Duration::from_millis(200) {
            last_told = Instant::now();
            tell(&|a: &mut SyncActivity| a.progress = Some(p.clone()));
        }
    });
    tell(&|a| {
        a.running = false;
        a.progress = None;
        match &result {
            Ok(report) => {
                a.last = Some(report.clone());
                a.error = None;
            }
            Err(e) => a.error = Some(e.to_string()),
        }
    });
}

/// Lends the shared collection for one database step of a sync at a time.
struct Lender<'a>(&'a AppState);

impl reprise::sync::Lend for Lender<'_> {
    fn lend<T>(
        &mut self,
        step: impl FnOnce(&mut reprise::Collection) -> reprise::Result<T>,
    ) -> reprise::Result<T> {
        self.0.lend(step)
    }
}

/// Watches a sync folder (an object store cannot be watched: it is polled). Only other devices'
/// segments wake a sync: this device's own writes, and device files, do not.
fn watch(state: &AppState, target: &str, wake: &Sender<Wake>) {
    let mut watching = lock(&state.syncer.watching);
    if target.contains("://") {
        *watching = None;
        return;
    }
    let folder = PathBuf::from(target);
    if watching.as_ref().is_some_and(|(at, _)| *at == folder) {
        return;
    }
    let own = state
        .with_collection(|c| Ok(c.sync_status(state.now())?.device.map(|d| d.id)))
        .ok()
        .flatten()
        .unwrap_or_default();
    let wake = wake.clone();
    let log = folder.join("log");
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if event.paths.iter().any(|p| is_others_segment(p, &log, &own)) {
            let _ = wake.send(Wake::Arrived);
        }
    });
    *watching = match watcher {
        Ok(mut watcher) => match watcher.watch(&folder, RecursiveMode::Recursive) {
            Ok(()) => Some((folder, watcher)),
            // Not watchable (gone, or too many watches): the next change of the learner's, or
            // "Sync now", still syncs.
            Err(_) => None,
        },
        Err(_) => None,
    };
}

/// Whether `path` is a segment another device wrote (`log/<other>/…rseg`).
fn is_others_segment(path: &Path, log: &Path, own: &str) -> bool {
    let Ok(rest) = path.strip_prefix(log) else {
        return false;
    };
    let mut parts = rest.components();
    let device = parts.next().and_then(|c| c.as_os_str().to_str());
    let name = parts.next().and_then(|c| c.as_os_str().to_str());
    matches!((device, name), (Some(d), Some(n)) if d != own && n.contains(".rseg") && !n.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::is_others_segment;
    use std::path::Path;

    #[test]
    fn only_other_devices_segments_wake_a_sync() {
        let log = Path::new("/s/log");
        assert!(is_others_segment(
            Path::new("/s/log/bbb/0000000001.rseg"),
            log,
            "aaa"
        ));
        assert!(is_others_segment(
            Path::new("/s/log/bbb/0000000001.sync-conflict-x.rseg"),
            log,
            "aaa"
        ));
        assert!(!is_others_segment(
            Path::new("/s/log/aaa/0000000001.rseg"),
            log,
            "aaa"
        ));
        assert!(!is_others_segment(
            Path::new("/s/log/bbb/.0000000001.rseg.tmp"),
            log,
            "aaa"
        ));
        assert!(!is_others_segment(
            Path::new("/s/devices/bbb.json"),
            log,
            "aaa"
        ));
        assert!(!is_others_segment(Path::new("/s/log/bbb"), log, "aaa"));
    }
}
