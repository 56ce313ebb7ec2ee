//! What the desktop tests share: the app on Tauri's mock runtime with its real config and
//! capability, a window, and a command call through the real IPC path.

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
