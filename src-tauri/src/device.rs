//! This device's preferences put to work: the main window's zoom, now and at every start, and
//! the daily reminder.

use reprise::device::DevicePrefs;
use reprise::error::{AppError, ErrorCode};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_autostart::ManagerExt;
use tauri_plugin_window_state::StateFlags;

use crate::AppState;

/// Applies `prefs` to the running app: the zoom at once, the reminder from its next time.
pub fn apply<R: Runtime>(app: &AppHandle<R>, prefs: &DevicePrefs) {
    if let Some(window) = app.get_webview_window("main") {
        // A zoom the webview refuses leaves the page as it was: nothing worth an error.
        let _ = window.set_zoom(prefs.zoom);
    }
    app.state::<AppState>().reminder.changed();
}

/// At start: the preferences saved on this device, applied to the window made from the config.
pub fn restore<R: Runtime>(app: &AppHandle<R>) {
    if let Ok(dir) = app.state::<AppState>().data_dir() {
        apply(app, &reprise::device::load(&dir));
    }
}

/// Whether the OS starts Reprise at login.
pub fn starts_at_login<R: Runtime>(app: &AppHandle<R>) -> Result<bool, AppError> {
    app.autolaunch().is_enabled().map_err(autostart_error)
}

/// Adds (`on`) or removes the OS's autostart entry for Reprise.
pub fn start_at_login<R: Runtime>(app: &AppHandle<R>, on: bool) -> Result<bool, AppError> {
    let launch = app.autolaunch();
    if on {
        launch.enable()
    } else {
        launch.disable()
    }
    .map_err(autostart_error)?;
    launch.is_enabled().map_err(autostart_error)
}

fn autostart_error(e: tauri_plugin_autostart::Error) -> AppError {
    AppError::new(
        ErrorCode::Io,
        format!("could not change whether Reprise starts at login: {e}"),
    )
}

/// What is kept of the window across starts: all but whether it is shown, which the app decides
/// (it shows the window once the page has loaded).
pub const WINDOW_STATE: StateFlags = StateFlags::all().difference(StateFlags::VISIBLE);

/// Shows the main window, if it is not shown yet. It starts hidden (tauri.conf.json) and the page
/// asks for it once Today's counts are drawn (`show_window`): a window painted before WebKit's
/// web process is up waits up to half a second for it, and shows a page without its counts.
pub fn show_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        if !window.is_visible().unwrap_or(false) {
            // Nothing to report to: a window that cannot be shown is the desktop's to explain.
            let _ = window.show();
            let _ = window.set_focus();
        }
    }
}

/// Shows the window after a while even if its page never asks, so a broken page still leaves a
/// window to close.
pub fn show_window_soon<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(3));
        show_window(&app);
    });
}

/// How long the window stays still before its place is saved.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(500);

/// The window moved or was resized: its place is saved once it has settled, so a session that
/// ends without closing the window (a crash, a logout) still opens where it was left.
pub fn window_changed<R: Runtime>(app: &AppHandle<R>) {
    use std::sync::atomic::{AtomicU64, Ordering};
    use tauri_plugin_window_state::AppHandleExt;
    static LATEST: AtomicU64 = AtomicU64::new(0);
    let ticket = LATEST.fetch_add(1, Ordering::SeqCst) + 1;
    let app = app.clone();
    std::thread::spawn(move || {
        std::thread::sleep(SETTLE);
        if LATEST.load(Ordering::SeqCst) == ticket {
            // The next close saves it anyway: nothing worth an error here.
            let _ = app.save_window_state(WINDOW_STATE);
        }
    });
}
