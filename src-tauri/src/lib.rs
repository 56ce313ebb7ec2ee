//! The Reprise desktop shell: opens the collection, registers the commands and starts the
//! window. No study logic lives here; it is all in the `reprise` core.

#[macro_use]
mod command_list;
pub mod commands;
mod device;
mod reminder;
mod signatures;
pub mod startup;
pub mod syncer;

pub use signatures::{signatures, Signature};
pub use syncer::SYNC_EVENT;

/// Every command the UI may call, by name ([`command_list`]).
pub const COMMANDS: &[&str] = with_commands!(command_names);

/// The handler of every command in the list.
macro_rules! handlers {
    ($($section:ident {
        $($name:ident ($($arg:ident : $ty:ty),* $(; $chan:ident : $cty:ty)?) -> $reply:ty),* $(,)?
    })*) => {
        tauri::generate_handler![$($(commands::$name),*),*]
    };
}

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, OnceLock};

use reprise::error::AppError;
use reprise::store::Upgrade;
use reprise::{Changes, Clock, Collection};
use tauri::{Builder, Emitter, Manager, RunEvent, Runtime};

/// The event the UI hears after every write, with what kinds of things changed.
pub const CHANGES_EVENT: &str = "collection-changed";

type Emit = Box<dyn Fn(Changes) + Send + Sync>;

/// The collection and where it lives. If opening failed (say, a file from a newer version is in
/// the way), each command tries again, so the user can fix the cause and retry without a restart.
pub struct AppState {
    /// Where "now" comes from: the system, or `--now`/REPRISE_NOW for a session in another time.
    clock: Clock,
    data_dir: Result<PathBuf, AppError>,
    collection: Arc<Mutex<Result<Collection, AppError>>>,
    /// The schema upgrade the collection goes through on its own thread, while it does: the
    /// window opens meanwhile and says so, instead of staying away for seconds at 1M cards.
    upgrading: Arc<Mutex<Option<Upgrade>>>,
    /// Set by `cancel_import` without the collection lock, which the import holds.
    cancel_import: AtomicBool,
    /// Likewise for `cancel_optimize`.
    cancel_optimize: AtomicBool,
    /// Tells the UI what changed; set once the app runs.
    emit: OnceLock<Emit>,
    /// Syncs in the background.
    syncer: syncer::Syncer,
    /// The daily reminder's thread, woken when the preferences change.
    reminder: reminder::Reminder,
}

impl AppState {
    pub fn open(data_dir: Result<PathBuf, AppError>, clock: Clock) -> AppState {
        // Whatever cannot be read here, opening reports.
        let upgrade = (data_dir.as_ref().ok())
            .and_then(|dir| reprise::store::pending_upgrade(dir).ok().flatten());
        let (collection, upgrading) = match upgrade {
            None => (
                Arc::new(Mutex::new(open_in(&data_dir, clock))),
                Arc::default(),
            ),
            Some(upgrade) => {
                let collection = Arc::new(Mutex::new(Err(upgrading_error(upgrade))));
                let upgrading = Arc::new(Mutex::new(Some(upgrade)));
                let (slot, flag, dir) = (collection.clone(), upgrading.clone(), data_dir.clone());
                std::thread::spawn(move || {
                    let opened = open_in(&dir, clock);
                    startup::mark("collection upgraded");
                    // The collection is in place before the upgrade is said to be over.
                    *lock(&slot) = opened;
                    *lock(&flag) = None;
                });
                (collection, upgrading)
            }
        };
        AppState {
            clock,
            data_dir,
            collection,
            upgrading,
            cancel_import: AtomicBool::new(false),
            cancel_optimize: AtomicBool::new(false),
            emit: OnceLock::new(),
            syncer: syncer::Syncer::default(),
            reminder: reminder::Reminder::default(),
        }
    }

    /// Runs `f` on the collection, opening it first if the last attempt failed. A change it
    /// makes is synced soon.
    pub(crate) fn with_collection<T>(
        &self,
        f: impl FnOnce(&mut Collection) -> reprise::Result<T>,
    ) -> Result<T, AppError> {
        let (result, changed) = self.locked(f)?;
        if changed {
            self.syncer.changed();
        }
        result.map_err(|e| AppError::from(&e))
    }

    /// Lends the collection to one step of a sync.
    pub(crate) fn lend<T>(
        &self,
        f: impl FnOnce(&mut Collection) -> reprise::Result<T>,
    ) -> reprise::Result<T> {
        match self.locked(f) {
            Ok((result, _)) => result,
            Err(unopened) => Err(reprise::Error::io(
                self.data_dir.clone().unwrap_or_default(),
                std::io::Error::other(unopened.message),
            )),
        }
    }

    /// Runs `f` on the collection and tells the UI what it changed; whether it changed anything.
    /// Fails if the collection cannot be opened.
    fn locked<T>(
        &self,
        f: impl FnOnce(&mut Collection) -> reprise::Result<T>,
    ) -> Result<(reprise::Result<T>, bool), AppError> {
        if let Some(upgrade) = self.upgrading() {
            return Err(upgrading_error(upgrade));
        }
        let mut guard = lock(&self.collection);
        if guard.is_err() {
            *guard = open_in(&self.data_dir, self.clock);
        }
        let collection = guard.as_mut().map_err(|e| e.clone())?;
        let result = f(collection);
        // Whatever the command was, the UI hears what it changed and refreshes that.
        let changes = collection.take_changes();
        if let (false, Some(emit)) = (changes.is_empty(), self.emit.get()) {
            emit(changes);
        }
        Ok((result, !changes.is_empty()))
    }
}

/// A panic while holding a lock leaves what it guards consistent (every write to the collection
/// is one transaction), so carry on with it.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What a command meets while the collection is being upgraded.
fn upgrading_error(upgrade: Upgrade) -> AppError {
    AppError::new(
        reprise::ErrorCode::Database,
        format!(
            "the collection is being upgraded for this version of Reprise (schema {} to {}); \
             try again when it is done",
            upgrade.from, upgrade.to
        ),
    )
}

impl AppState {
    /// The schema upgrade under way, if the collection is still being upgraded.
    pub(crate) fn upgrading(&self) -> Option<Upgrade> {
        *lock(&self.upgrading)
    }

    pub(crate) fn now(&self) -> chrono::DateTime<chrono::FixedOffset> {
        self.clock.now()
    }

    pub(crate) fn data_dir(&self) -> Result<PathBuf, AppError> {
        self.data_dir.clone()
    }

    /// Restores a backup: the collection is closed for it (restoring refuses a file that is
    /// open) and opened again afterwards, whether the restore worked or not.
    pub(crate) fn restore(&self, backup: &std::path::Path) -> Result<Option<String>, AppError> {
        let dir = self.data_dir()?;
        let mut guard = lock(&self.collection);
        *guard = Err(AppError::new(
            reprise::ErrorCode::Io,
            "the collection is being restored",
        ));
        let restored = reprise::store::backup::restore(&dir, backup, self.now().to_utc());
        *guard = open_in(&self.data_dir, self.clock);
        if let Some(emit) = self.emit.get() {
            // Everything may differ in the restored collection.
            emit(Changes::CONTENT.with(Changes::SETTINGS));
        }
        let saved = restored.map_err(|e| AppError::from(&e))?;
        Ok(saved.map(|p| p.display().to_string()))
    }
}

fn open_in(data_dir: &Result<PathBuf, AppError>, clock: Clock) -> Result<Collection, AppError> {
    let dir = data_dir.as_ref().map_err(Clone::clone)?;
    Collection::open(dir, clock.now()).map_err(|e| AppError::from(&e))
}

/// The value of `--NAME VALUE` or `--NAME=VALUE` on the command line.
fn arg_value(name: &str) -> Option<String> {
    let flag = format!("--{name}");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == flag {
            return args.next();
        }
        if let Some(value) = arg.strip_prefix(&format!("{flag}=")) {
            return Some(value.to_string());
        }
    }
    None
}

/// The clock: `--now RFC3339` on the command line, then `REPRISE_NOW`, then the system's.
pub fn clock_from_env() -> reprise::Result<Clock> {
    let clock = Clock::from_arg_or_env(arg_value("now").as_deref())?;
    // `--clock-runs` sets that instant running, for a test of what time brings (the daily
    // reminder) on any date.
    let runs = std::env::args().skip(1).any(|a| a == "--clock-runs");
    Ok(if runs { clock.running() } else { clock })
}

/// The data directory: `--data-dir DIR` on the command line, then `REPRISE_DATA_DIR`, then the
/// OS data directory.
pub fn data_dir_from_env() -> Result<PathBuf, AppError> {
    if let Some(dir) = arg_value("data-dir") {
        return Ok(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("REPRISE_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    reprise::store::default_data_dir().map_err(|e| AppError::from(&e))
}

/// The app as both `run` and the tests build it.
pub fn app_builder<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    builder
        .manage(state)
        // Wired as the app is built (a plugin's setup runs then, the app's only once it runs).
        .plugin(
            tauri::plugin::Builder::<R, ()>::new("reprise-changes")
                .setup(|app, _| {
                    let handle = app.clone();
                    let emit: Emit = Box::new(move |changes| {
                        // No window to tell is no reason to fail the write that happened.
                        let _ = handle.emit(CHANGES_EVENT, changes);
                    });
                    let _ = app.state::<AppState>().emit.set(emit);
                    syncer::start(app);
                    Ok(())
                })
                .build(),
        )
        // Opens a lesson's https references in the system browser; the capability allows nothing else.
        .plugin(tauri_plugin_opener::init())
        // The file picker for imports; the capability grants only its open dialog.
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(with_commands!(handlers))
}

/// The daily backup compresses a copy of the whole file (some 15 s of one core at 1M cards): it
/// starts once the first page has loaded, so the first screen never waits for it, on its own
/// thread, and never fails the app.
fn daily_backup(dir: &std::path::Path, clock: Clock) {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        let dir = dir.to_owned();
        std::thread::spawn(move || {
            if let Err(e) = reprise::store::backup::backup_if_due(&dir, clock.now().to_utc()) {
                eprintln!("reprise: the daily backup failed: {e}");
            }
        });
    });
}

pub fn run() {
    startup::begin();
    let clock = match clock_from_env() {
        Ok(clock) => clock,
        Err(e) => {
            eprintln!("reprise: {e}");
            std::process::exit(2);
        }
    };
    let data_dir = data_dir_from_env();
    let backup_dir = data_dir.clone().ok();
    startup::mark("arguments read");
    let state = AppState::open(data_dir, clock);
    startup::mark("collection open");
    app_builder(tauri::Builder::default(), state)
        // The window from the config exists by now: give it this device's zoom.
        .setup(|app| {
            startup::mark("window made");
            device::show_window_soon(app.handle());
            device::restore(app.handle());
            reminder::start(app.handle());
            Ok(())
        })
        // The start-up log's steps inside WebKit: the page's load begun and finished.
        .on_page_load(move |_, payload| {
            startup::mark(match payload.event() {
                tauri::webview::PageLoadEvent::Started => "page load started",
                tauri::webview::PageLoadEvent::Finished => "page load finished",
            });
            if payload.event() == tauri::webview::PageLoadEvent::Finished {
                if let Some(dir) = &backup_dir {
                    daily_backup(dir, clock);
                }
            }
        })
        // Where the window was and how large, kept across starts (in the OS config folder).
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(device::WINDOW_STATE)
                .build(),
        )
        .on_window_event(|window, event| {
            if matches!(
                event,
                tauri::WindowEvent::Resized(_) | tauri::WindowEvent::Moved(_)
            ) {
                device::window_changed(window.app_handle());
            }
        })
        // The daily reminder's notification, sent from Rust: the page is granted nothing of it.
        .plugin(tauri_plugin_notification::init())
        // Start at login, switched by Reprise's own commands; the page gets none of the plugin's.
        .plugin(
            tauri_plugin_autostart::Builder::new()
                .app_name("Reprise")
                .build(),
        )
        .build(tauri::generate_context!())
        .expect("error while building Reprise")
        .run(|app, event| {
            // One last sync, so what was studied here is in the folder before the app is gone.
            if let RunEvent::Exit = event {
                app.state::<AppState>().syncer.close();
            }
        });
}
