//! What the desktop tests share: the app on Tauri's mock runtime with its real config and
//! capability, a window, and a command call through the real IPC path.
// Each test binary uses some of these.
#![allow(dead_code)]

use reprise::Clock;
use reprise_desktop::{app_builder, AppState};
use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

/// The app on a collection in `dir`, its clock fixed at `now` (RFC 3339).
pub fn app_at(dir: std::path::PathBuf, now: &str) -> tauri::App<MockRuntime> {
    app(AppState::open(Ok(dir), Clock::parse(now).unwrap()))
}

/// The app with its real config and capability, on Tauri's mock runtime.
pub fn app(state: AppState) -> tauri::App<MockRuntime> {
    app_builder(mock_builder(), state)
        .build(tauri::generate_context!())
        .expect("app builds")
}

/// The main window, which the capability names.
pub fn window(app: &tauri::App<MockRuntime>) -> WebviewWindow<MockRuntime> {
    WebviewWindowBuilder::new(app, "main", Default::default())
        .build()
        .unwrap()
}

/// Calls `cmd` as the UI does; the reply, or the error as the UI receives it.
pub fn invoke(
    webview: &WebviewWindow<MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

/// The sync-activity events an app emits, in order.
pub fn sync_events(app: &tauri::App<MockRuntime>) -> std::sync::mpsc::Receiver<Value> {
    use tauri::Listener;
    let (tx, rx) = std::sync::mpsc::channel();
    app.listen_any(reprise_desktop::SYNC_EVENT, move |event| {
        let _ = tx.send(serde_json::from_str(event.payload()).unwrap());
    });
    rx
}

/// The event that ends the first background sync whose report passes `done` (none may fail).
pub fn sync_finished(
    events: &std::sync::mpsc::Receiver<Value>,
    done: impl Fn(&Value) -> bool,
) -> Value {
    loop {
        let event = events
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("a sync finishes within 30 s");
        assert_eq!(event["error"], Value::Null, "{event}");
        if event["running"] == false && done(&event["last"]) {
            return event;
        }
    }
}
