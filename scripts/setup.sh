#!/usr/bin/env bash
# Installs what Reprise needs on a Debian/Ubuntu machine, skipping what is already there.
# Sourced by scripts/run.sh and scripts/test.sh; safe to run on its own.
#   scripts/setup.sh          what running the app needs
#   scripts/setup.sh --test   plus what the tests need (Xvfb, WebKitWebDriver, tauri-driver, the
#                             package check's tools) and the S3/WebDAV test servers (moto,
#                             wsgidav in target/test-venv)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

want_tests=0
[[ "${1:-}" == "--test" ]] && want_tests=1

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

# libdbus-1-dev: the OS keyring (Secret Service) that keeps sync servers' keys.
apt_packages=(build-essential pkg-config libwebkit2gtk-4.1-dev libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev libdbus-1-dev)
if (( want_tests )); then
  apt_packages+=(webkit2gtk-driver xvfb xauth dbus dbus-x11 curl imagemagick strace)
  # The package check (tests/package/check.sh): windows (xwininfo, xprop), the desktop entry and
  # AppStream metadata validators, and rpm to read the .rpm.
  apt_packages+=(x11-utils desktop-file-utils appstream rpm)
  # A notification service for the daily reminder's end-to-end test (tests/e2e/device.test.mjs).
  apt_packages+=(dunst)
  # A real Secret Service for the keyring test (tests/sync_keyring.rs), on a bus of its own.
  apt_packages+=(gnome-keyring)
  # A venv for the sync tests' S3 and WebDAV servers (below).
  apt_packages+=(python3 python3-venv)
fi

missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if (( ${#missing[@]} )); then
  command -v apt-get >/dev/null || die "missing packages (${missing[*]}) and no apt-get: install them by hand"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "missing packages (${missing[*]}); run as root or install sudo"
    sudo="sudo"
  fi
  say "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v cargo >/dev/null || die "Rust is not installed: install it from rustup (cargo, rustc), then run this again"
command -v npm >/dev/null || die "Node.js 20+ and npm are not installed: install them, then run this again"

install_npm() {
  local dir=$1
  if [[ ! -d "$dir/node_modules" || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    say "Installing npm packages in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
install_npm ui
if (( want_tests )); then
  install_npm tests/e2e
  if ! command -v tauri-driver >/dev/null && [[ ! -x "$HOME/.cargo/bin/tauri-driver" ]]; then
    say "Installing tauri-driver"
    cargo install tauri-driver --locked --version '^2'
  fi
  # The S3 and WebDAV servers tests/sync_remote.rs starts on loopback, in a venv of their own
  # (found there by the tests) so neither the system's Python nor the user's packages change.
  venv=target/test-venv
  if ! "$venv/bin/python3" -c 'import moto.server, flask, wsgidav, cheroot' 2>/dev/null; then
    say "Installing the sync test servers (moto, wsgidav) in $venv"
    python3 -m venv "$venv" || die "python3 -m venv failed: install python3-venv, then run this again"
    "$venv/bin/python3" -m pip install -q --disable-pip-version-check \
      'moto[server]>=5,<6' 'wsgidav>=4,<5' 'cheroot>=10'
  fi
fi
