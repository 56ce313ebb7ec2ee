//! The Reprise desktop shell: opens the collection, registers the commands and starts the
//! window. No study logic lives here; it is all in the `reprise` core.

pub mod commands;

use std::path::PathBuf;
use std::sync::Mutex;

use reprise::error::AppError;
use reprise::Collection;
use tauri::{Builder, Runtime};

/// The open collection, or why it could not be opened (shown to the user by every command).
pub struct AppState(pub Mutex<Result<Collection, AppError>>);

/// The data directory: `--data-dir DIR` on the command line, then `REPRISE_DATA_DIR`, then the
/// OS data directory.
fn data_dir() -> Result<PathBuf, AppError> {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--data-dir" {
            if let Some(dir) = args.next() {
                return Ok(PathBuf::from(dir));
            }
        } else if let Some(dir) = arg.strip_prefix("--data-dir=") {
            return Ok(PathBuf::from(dir));
        }
    }
    if let Some(dir) = std::env::var_os("REPRISE_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    reprise::store::default_data_dir().map_err(|e| AppError::from(&e))
}

pub fn open_collection() -> Result<Collection, AppError> {
    let dir = data_dir()?;
    Collection::open(&dir, chrono::Local::now().fixed_offset()).map_err(|e| AppError::from(&e))
}

/// The app as both `run` and the tests build it.
pub fn app_builder<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    builder
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::get_status,
            commands::next_card,
            commands::answer_card,
            commands::undo
        ])
}

pub fn run() {
    let state = AppState(Mutex::new(open_collection()));
    app_builder(tauri::Builder::default(), state)
        .run(tauri::generate_context!())
        .expect("error while running Reprise");
}
