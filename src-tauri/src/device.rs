//! This device's preferences put to work: the main window's zoom, now and at every start.

use reprise::device::DevicePrefs;
use tauri::{AppHandle, Manager, Runtime};

use crate::AppState;

/// Applies `prefs` to the running app.
pub fn apply<R: Runtime>(app: &AppHandle<R>, prefs: &DevicePrefs) {
    if let Some(window) = app.get_webview_window("main") {
        // A zoom the webview refuses leaves the page as it was: nothing worth an error.
        let _ = window.set_zoom(prefs.zoom);
    }
}

/// At start: the preferences saved on this device, applied to the window made from the config.
pub fn restore<R: Runtime>(app: &AppHandle<R>) {
    if let Ok(dir) = app.state::<AppState>().data_dir() {
        apply(app, &reprise::device::load(&dir));
    }
}
