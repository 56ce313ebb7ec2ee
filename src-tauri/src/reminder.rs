//! The daily reminder: at the time this device chose, an OS notification with the cards due, and
//! none on a day with nothing due. A thread looks at the clock at most a minute apart (so a
//! suspended laptop, or a clock set running by a test, is caught up with) and is woken at once
//! when the preferences change.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::AppState;

/// The longest the thread sleeps before looking at the clock again.
const LOOK_EVERY: Duration = Duration::from_secs(60);

/// Wakes the reminder's thread; held in the app's state.
#[derive(Default)]
pub struct Reminder {
    wake: Mutex<Option<Sender<()>>>,
}

impl Reminder {
    /// The preferences changed: reckon the next reminder again.
    pub fn changed(&self) {
        if let Some(wake) = self.wake.lock().expect("reminder lock").as_ref() {
            let _ = wake.send(());
        }
    }
}

/// Starts the reminder's thread for the app's life.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    let (wake, woken) = mpsc::channel();
    *app.state::<AppState>()
        .reminder
        .wake
        .lock()
        .expect("reminder lock") = Some(wake);
    let app = app.clone();
    std::thread::Builder::new()
        .name("reprise-reminder".into())
        .spawn(move || run(&app, &woken))
        .expect("the reminder's thread starts");
}

fn run<R: Runtime>(app: &AppHandle<R>, woken: &Receiver<()>) {
    let state = app.state::<AppState>();
    // The next reminder is the first one after this instant: when the thread started or the
    // preferences changed, then each time one is shown. Kept while waiting, so a reminder
    // passed during a wait (or a sleep of the computer) is shown, and shown once however many
    // days it slept.
    let mut after: Option<DateTime<FixedOffset>> = None;
    loop {
        let now = state.now();
        let from = *after.get_or_insert(now);
        let next = state
            .data_dir()
            .ok()
            .map(|dir| reprise::device::load(&dir))
            .and_then(|prefs| prefs.next_reminder(from));
        let wait = match next {
            Some(at) if at <= now => {
                remind(app);
                after = Some(now);
                continue;
            }
            Some(at) => (at - now).to_std().unwrap_or(LOOK_EVERY).min(LOOK_EVERY),
            None => LOOK_EVERY,
        };
        match woken.recv_timeout(wait) {
            // New preferences: the next reminder is reckoned from now.
            Ok(()) => after = None,
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Shows the notification, unless nothing is due.
fn remind<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let Ok(status) = state.with_collection(|c| c.status(state.now())) else {
        return;
    };
    let Some(text) = reprise::device::reminder_text(&status) else {
        return;
    };
    // Without a notification service there is no one to tell: nothing to fail.
    if let Err(e) = app
        .notification()
        .builder()
        .title("Time to review")
        .body(text)
        .show()
    {
        eprintln!("reprise: the daily reminder could not be shown: {e}");
    }
}
