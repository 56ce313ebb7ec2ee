#!/usr/bin/env bash
# End-to-end tests for the Reprise desktop app.
#
# Usage: tests/e2e/run.sh PATH_TO_APP_BINARY
#   e.g. tests/e2e/run.sh target/release/reprise-desktop
#
# Stack: node --test + WebdriverIO 9  ->  tauri-driver (:4444)  ->  WebKitWebDriver (:4445)
#        -> the app, all inside a private X server (xvfb-run -a) and a private
#        D-Bus session (dbus-run-session), with NO_AT_BRIDGE=1.
#
# Environment (all optional):
#   SCREENSHOT_DIR   where screenshots and logs go (default: tests/e2e/artifacts)
#   E2E_PORT         tauri-driver port (default 4444)
#   E2E_NATIVE_PORT  WebKitWebDriver port (default 4445)
#   E2E_NO_XVFB=1    use the current $DISPLAY instead of xvfb-run (to watch the run)
#   E2E_KEEP_DATA=1  keep the temporary data directories (the test prints their paths)
#
# Exit code: the exit code of `node --test` (0 = all passed), or 2 for setup errors.
set -euo pipefail

die() {
  echo "run.sh: ERROR: $*" >&2
  exit 2
}
log() { echo "run.sh: $*" >&2; }

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCRIPT_PATH="$SCRIPT_DIR/$(basename "${BASH_SOURCE[0]}")"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

E2E_PORT="${E2E_PORT:-4444}"
E2E_NATIVE_PORT="${E2E_NATIVE_PORT:-4445}"
export E2E_PORT E2E_NATIVE_PORT

# Does $1 answer with HTTP 2xx?
http_ok() {
  if command -v curl >/dev/null; then
    curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null
  else
    node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"
  fi
}

# Is something accepting TCP connections on 127.0.0.1:$1 ?
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

check_ports_free() {
  local p
  for p in "$E2E_PORT" "$E2E_NATIVE_PORT"; do
    if port_in_use "$p"; then
      die "port $p is already in use (a leftover tauri-driver/WebKitWebDriver?)." \
        "It would silently take over the tests. Find it with: ss -ltnp 'sport = :$p' and stop it by its PID."
    fi
  done
}

###############################################################################
# Outer part: checks, dependencies, then re-exec inside xvfb-run + dbus-run-session
###############################################################################
if [[ "${REPRISE_E2E_INNER:-}" != "1" ]]; then
  if [[ $# -ne 1 || "$1" == "-h" || "$1" == "--help" ]]; then
    echo "Usage: $0 PATH_TO_APP_BINARY   (e.g. target/release/reprise-desktop)" >&2
    exit 2
  fi

  APP_ARG="$1"
  [[ -e "$APP_ARG" ]] || die "app binary '$APP_ARG' does not exist (build it with: cargo build --release --features custom-protocol)"
  [[ -f "$APP_ARG" && -x "$APP_ARG" ]] || die "app binary '$APP_ARG' is not an executable file"
  APP="$(cd "$(dirname "$APP_ARG")" && pwd)/$(basename "$APP_ARG")"
  export APP

  # --- tools -----------------------------------------------------------------
  command -v node >/dev/null || die "node not found in PATH (Node.js >= 20 is required)"
  command -v npm >/dev/null || die "npm not found in PATH"
  node_major="$(node -p 'process.versions.node.split(".")[0]')"
  [[ "$node_major" -ge 20 ]] || die "Node.js >= 20 is required (found $(node --version))"

  # --- node dependencies -----------------------------------------------------
  if [[ ! -f "$SCRIPT_DIR/node_modules/webdriverio/package.json" || ! -f "$SCRIPT_DIR/node_modules/axe-core/axe.min.js" ]]; then
    log "installing node dependencies in $SCRIPT_DIR ..."
    if [[ -f "$SCRIPT_DIR/package-lock.json" ]]; then
      (cd "$SCRIPT_DIR" && npm ci --ignore-scripts --no-audit --no-fund) || die "npm ci failed in $SCRIPT_DIR"
    else
      (cd "$SCRIPT_DIR" && npm install --ignore-scripts --no-audit --no-fund) || die "npm install failed in $SCRIPT_DIR"
    fi
  fi

  # --- tauri-driver ----------------------------------------------------------
  TAURI_DRIVER="$(command -v tauri-driver || true)"
  if [[ -z "$TAURI_DRIVER" && -x "$HOME/.cargo/bin/tauri-driver" ]]; then
    TAURI_DRIVER="$HOME/.cargo/bin/tauri-driver"
  fi
  if [[ -z "$TAURI_DRIVER" ]]; then
    command -v cargo >/dev/null || [[ -x "$HOME/.cargo/bin/cargo" ]] ||
      die "tauri-driver not found and cargo is not available to install it"
    CARGO="$(command -v cargo || echo "$HOME/.cargo/bin/cargo")"
    log "tauri-driver not found; installing it with: cargo install tauri-driver --locked"
    "$CARGO" install tauri-driver --locked || die "cargo install tauri-driver --locked failed"
    TAURI_DRIVER="$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")"
    [[ -x "$TAURI_DRIVER" ]] || die "tauri-driver still not found after cargo install"
  fi
  export TAURI_DRIVER

  # --- WebKitWebDriver -------------------------------------------------------
  WEBKIT_DRIVER="$(command -v WebKitWebDriver || true)"
  if [[ -z "$WEBKIT_DRIVER" && -x /usr/bin/WebKitWebDriver ]]; then
    WEBKIT_DRIVER=/usr/bin/WebKitWebDriver
  fi
  [[ -n "$WEBKIT_DRIVER" ]] || die "WebKitWebDriver not found (Debian/Ubuntu: apt-get install webkit2gtk-driver)"
  export WEBKIT_DRIVER

  # --- X server and D-Bus ----------------------------------------------------
  command -v dbus-run-session >/dev/null || die "dbus-run-session not found (apt-get install dbus-x11 / dbus)"
  if [[ "${E2E_NO_XVFB:-}" != "1" ]]; then
    command -v xvfb-run >/dev/null || die "xvfb-run not found (apt-get install xvfb)"
  else
    [[ -n "${DISPLAY:-}" ]] || die "E2E_NO_XVFB=1 but DISPLAY is not set"
  fi

  # --- artifacts -------------------------------------------------------------
  SCREENSHOT_DIR="${SCREENSHOT_DIR:-$SCRIPT_DIR/artifacts}"
  mkdir -p "$SCREENSHOT_DIR" || die "cannot create SCREENSHOT_DIR '$SCREENSHOT_DIR'"
  SCREENSHOT_DIR="$(cd "$SCREENSHOT_DIR" && pwd)"
  # Remove pictures of an earlier run so they cannot be mistaken for this one.
  rm -f "$SCREENSHOT_DIR"/review.png "$SCREENSHOT_DIR"/today.png "$SCREENSHOT_DIR"/failure-*.png
  export SCREENSHOT_DIR

  check_ports_free

  log "app:             $APP"
  log "tauri-driver:    $TAURI_DRIVER"
  log "WebKitWebDriver: $WEBKIT_DRIVER"
  log "artifacts:       $SCREENSHOT_DIR"

  export REPRISE_E2E_INNER=1
  export NO_AT_BRIDGE=1
  if [[ "${E2E_NO_XVFB:-}" == "1" ]]; then
    exec dbus-run-session -- bash "$SCRIPT_PATH" "$APP"
  else
    exec xvfb-run -a -s "-screen 0 960x720x24" dbus-run-session -- bash "$SCRIPT_PATH" "$APP"
  fi
fi

###############################################################################
# Inner part: runs inside the X server and the D-Bus session
###############################################################################
: "${APP:?}" "${TAURI_DRIVER:?}" "${WEBKIT_DRIVER:?}" "${SCREENSHOT_DIR:?}"
export NO_AT_BRIDGE=1
# Make sure a REPRISE_DATA_DIR from the caller's shell cannot leak into the app.
unset REPRISE_DATA_DIR
# A home of its own: what the app and the webview keep outside the data folder (the window's
# place, WebKit's storage, the autostart entry under ~/.config/autostart) never touches the
# real user's.
E2E_HOME="$(mktemp -d "${TMPDIR:-/tmp}/reprise-e2e-home.XXXXXX")"
export HOME="$E2E_HOME" XDG_CONFIG_HOME="$E2E_HOME/.config" XDG_DATA_HOME="$E2E_HOME/.local/share" \
  XDG_CACHE_HOME="$E2E_HOME/.cache"

check_ports_free

DRIVER_LOG="$SCREENSHOT_DIR/tauri-driver.log"
: >"$DRIVER_LOG"
DRIVER_PID=""

cleanup() {
  local rc=$?
  [[ -n "${E2E_HOME:-}" && "${E2E_KEEP_DATA:-}" != "1" ]] && rm -rf "$E2E_HOME"
  if [[ -n "$DRIVER_PID" ]]; then
    # tauri-driver runs in its own process group (setsid) together with
    # WebKitWebDriver and any app it launched: stop that group only.
    kill -TERM -- "-$DRIVER_PID" 2>/dev/null || kill -TERM "$DRIVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 -- "-$DRIVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$DRIVER_PID" 2>/dev/null || true
    DRIVER_PID=""
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "starting tauri-driver on port $E2E_PORT (log: $DRIVER_LOG)"
setsid "$TAURI_DRIVER" --port "$E2E_PORT" --native-port "$E2E_NATIVE_PORT" \
  --native-driver "$WEBKIT_DRIVER" >>"$DRIVER_LOG" 2>&1 </dev/null &
DRIVER_PID=$!

driver_failed() {
  echo "----- last lines of $DRIVER_LOG -----" >&2
  tail -n 40 "$DRIVER_LOG" >&2 || true
  echo "-------------------------------------" >&2
  die "$*"
}

# The intermediary answers before WebKitWebDriver listens: wait for both.
ready=0
for _ in $(seq 1 300); do # up to ~30 s
  kill -0 "$DRIVER_PID" 2>/dev/null || driver_failed "tauri-driver (pid $DRIVER_PID) exited during startup"
  if port_in_use "$E2E_NATIVE_PORT" && http_ok "http://127.0.0.1:$E2E_PORT/status"; then
    ready=1
    break
  fi
  sleep 0.1
done
[[ "$ready" == 1 ]] || driver_failed "tauri-driver did not answer http://127.0.0.1:$E2E_PORT/status within 30 s"
kill -0 "$DRIVER_PID" 2>/dev/null || driver_failed "tauri-driver (pid $DRIVER_PID) died right after startup"
log "tauri-driver is ready (pid $DRIVER_PID)"

shopt -s nullglob
TEST_FILES=("$SCRIPT_DIR"/*.test.mjs)
shopt -u nullglob
[[ ${#TEST_FILES[@]} -gt 0 ]] || die "no test files matching $SCRIPT_DIR/*.test.mjs"

set +e
# E2E_PATTERN runs only the tests whose names match it (node --test-name-pattern).
(cd "$REPO_ROOT" && node --test --test-concurrency=1 ${E2E_PATTERN:+--test-name-pattern="$E2E_PATTERN"} "${TEST_FILES[@]}")
TEST_RC=$?
set -e

if [[ "$TEST_RC" -ne 0 ]]; then
  echo "----- last lines of $DRIVER_LOG -----" >&2
  tail -n 40 "$DRIVER_LOG" >&2 || true
  echo "-------------------------------------" >&2
  log "FAILED (node --test exit code $TEST_RC); screenshots and logs in $SCREENSHOT_DIR"
else
  log "passed; screenshots in $SCREENSHOT_DIR"
fi
exit "$TEST_RC"
