#!/usr/bin/env bash
# Checks Reprise's packages as a user gets them (scripts/package.sh builds them).
#
#   tests/package/check.sh PACKAGE...     e.g. target/debug/bundle/deb/Reprise_0.1.0_amd64.deb
#
# A .deb: lists its control fields and contents; asserts /usr/bin/reprise and
# /usr/bin/reprise-desktop, a desktop entry in Education (valid, its Exec and Icon installed), the
# hicolor icons, valid AppStream metadata, and a Depends on WebKitGTK 4.1 and GTK 3. Then installs
# it (apt-get, as root or through sudo), runs `reprise --version` and `reprise-desktop --version`
# (no display), starts the installed app in a private X server (Xvfb) and D-Bus session with
# every folder it writes (REPRISE_DATA_DIR, HOME, XDG_*) in a temporary directory, and asserts
# within 20 s that a window named Reprise appears, the collection is created and the page draws;
# stops the app and removes the package, so later steps use the built tree. A package already
# installed here is left alone: the check refuses to run.
# An .rpm (not installable on Debian): its header and contents, the same files and Requires.
#
# A screenshot of the window and the app's output go to $REPRISE_PACKAGE_ARTIFACTS
# (default target/package-check/). Exit code 0 = every check passed.
set -euo pipefail
# The packages as given, from wherever this runs.
pkgs=()
for pkg in "$@"; do pkgs+=("$(realpath -m -- "$pkg")"); done
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

artifacts=${REPRISE_PACKAGE_ARTIFACTS:-$PWD/target/package-check}
timeout_s=20
# The icon sizes tauri.conf.json's bundle.icon lists, each in hicolor/<size>/apps.
icon_sizes=(32x32 64x64 128x128 256x256 512x512)

say() { printf '\033[1mcheck.sh: %s\033[0m\n' "$*" >&2; }
ok() { printf '  ok  %s\n' "$*" >&2; }
fail() {
  printf '\n\033[1;31mcheck.sh: FAILED: %s\033[0m\n' "$*" >&2
  exit 1
}
need() { command -v "$1" >/dev/null || fail "$1 not found: apt-get install $2 (scripts/setup.sh --test installs it)"; }

if [[ $# -eq 0 || $1 == -h || $1 == --help ]]; then
  sed -n '2,19s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  [[ $# -gt 0 ]] && exit 0
  exit 2
fi
for pkg in "${pkgs[@]}"; do [[ -f $pkg ]] || fail "no such package: $pkg (build it with scripts/package.sh)"; done

work=$(mktemp -d "${TMPDIR:-/tmp}/reprise-package-check.XXXXXX")
sudo=()
installed=""
xvfb_pid=""
app_pid=""
cleanup() {
  local rc=$?
  set +e
  if [[ -n $app_pid ]]; then
    kill -TERM -- "-$app_pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 -- "-$app_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$app_pid" 2>/dev/null
  fi
  [[ -n $xvfb_pid ]] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  if [[ -n $installed ]]; then
    say "removing the package $installed"
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get remove -y -qq "$installed" >"$work/apt.log" 2>&1 ||
      { cat "$work/apt.log"; printf 'check.sh: could not remove %s: apt-get remove %s\n' "$installed" "$installed"; } >&2
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The desktop entry's KEY=value (first match).
desktop_value() { sed -n "s/^$2=//p" "$1" | head -1; }

desktop="" # the desktop entry's path in the package, found by check_contents

# Asserts what a package's file list ($1: one absolute path a line) and Depends/Requires ($2) hold;
# $3 is a folder with the extracted desktop entry and metainfo.
check_contents() {
  local list=$1 depends=$2 tree=$3 path icon size
  for path in /usr/bin/reprise /usr/bin/reprise-desktop; do
    grep -Fqx "$path" "$list" || fail "$path is not in the package"
    ok "$path"
  done
  desktop=$(grep -E '^/usr/share/applications/[^/]+\.desktop$' "$list" | head -1) ||
    fail "no desktop entry in /usr/share/applications"
  local entry=$tree$desktop
  [[ $(desktop_value "$entry" Categories) == *Education* ]] ||
    fail "$desktop: Categories is '$(desktop_value "$entry" Categories)', not in Education"
  [[ $(desktop_value "$entry" Exec) == reprise-desktop* ]] ||
    fail "$desktop: Exec is '$(desktop_value "$entry" Exec)', not reprise-desktop"
  [[ $(desktop_value "$entry" Name) == Reprise ]] || fail "$desktop: Name is not Reprise"
  desktop-file-validate "$entry" >&2 || fail "$desktop does not validate (desktop-file-validate above)"
  ok "$desktop: Categories=$(desktop_value "$entry" Categories) Exec=$(desktop_value "$entry" Exec), valid"
  icon=$(desktop_value "$entry" Icon)
  for size in "${icon_sizes[@]}"; do
    grep -Fqx "/usr/share/icons/hicolor/$size/apps/$icon.png" "$list" ||
      fail "no /usr/share/icons/hicolor/$size/apps/$icon.png (the desktop entry's Icon=$icon)"
  done
  ok "icons $icon.png in hicolor ${icon_sizes[*]}"
  local metainfo=/usr/share/metainfo/app.reprise.desktop.metainfo.xml
  grep -Fqx "$metainfo" "$list" || fail "$metainfo is not in the package"
  grep -q "<launchable type=\"desktop-id\">$(basename "$desktop")</launchable>" "$tree$metainfo" ||
    fail "$metainfo does not launch $(basename "$desktop")"
  appstreamcli validate --no-net "$tree$metainfo" >&2 || fail "$metainfo does not validate (appstreamcli above)"
  ok "$metainfo, valid, launches $(basename "$desktop")"
  grep -q 'libwebkit2gtk-4\.1' <<<"$depends" || fail "the dependencies do not name WebKitGTK 4.1: $depends"
  grep -q 'libgtk-3' <<<"$depends" || fail "the dependencies do not name GTK 3: $depends"
  ok "depends on $(tr '\n' ' ' <<<"$depends")"
}

check_rpm() {
  local rpm=$1 tree=$work/rpm
  need rpm rpm
  need rpm2archive rpm
  say "$rpm"
  rpm -qip "$rpm" >&2
  rpm -qlvp "$rpm" >&2
  rpm -qlp "$rpm" >"$work/rpm.list"
  mkdir -p "$tree"
  rpm2archive - <"$rpm" | tar -xz -C "$tree" --wildcards '*usr/share/*'
  check_contents "$work/rpm.list" "$(rpm -qp --requires "$rpm")" "$tree"
  say "$(basename "$rpm"): contents pass"
}

check_deb() {
  local deb=$1 tree=$work/deb name version
  say "$deb"
  dpkg-deb -f "$deb" >&2
  dpkg-deb -c "$deb" >&2
  dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|; s|^\([^/]\)|/\1|; s|/$||' >"$work/deb.list"
  mkdir -p "$tree"
  # Only the small files: a debug build's binaries are hundreds of MB.
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tree" --wildcards '*usr/share/*'
  check_contents "$work/deb.list" "$(dpkg-deb -f "$deb" Depends)" "$tree"
  name=$(dpkg-deb -f "$deb" Package)
  version=$(dpkg-deb -f "$deb" Version)

  say "installing $deb"
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || fail "installing needs root: run as root or install sudo"
    sudo=(sudo)
  fi
  if dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q "install ok installed"; then
    fail "the package $name is already installed here; this check installs and removes it, so it
  leaves an installed one alone. Remove it first: apt-get remove $name"
  fi
  installed=$name
  # apt's and dpkg's chatter goes to a log, shown when they fail.
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "$deb" >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; fail "apt-get install $deb failed (above)"; }
  dpkg-query -W -f='${Status}' "$name" | grep -q "install ok installed" || fail "$name is not installed after apt-get install"
  ok "installed $name $version"
  local bin out
  for bin in /usr/bin/reprise /usr/bin/reprise-desktop; do
    [[ -x $bin ]] || fail "$bin is not an executable file after the install"
    if ldd "$bin" | grep -q 'not found'; then
      ldd "$bin" >&2
      fail "$bin misses shared libraries (above): the package's Depends is short"
    fi
    out=$(env -u DISPLAY -u WAYLAND_DISPLAY "$bin" --version) || fail "$bin --version failed (exit $?)"
    [[ $out == "$(basename "$bin") $version" ]] || fail "$bin --version printed '$out', not '$(basename "$bin") $version'"
    ok "$bin --version: $out (no display)"
  done
  out=$(env -u DISPLAY /usr/bin/reprise-desktop -V) || fail "reprise-desktop -V failed"
  [[ $out == "reprise-desktop $version" ]] || fail "reprise-desktop -V printed '$out'"
  env -u DISPLAY /usr/bin/reprise-desktop --help >/dev/null || fail "reprise-desktop --help failed"
  ok "/usr/bin/reprise-desktop -V, --help"

  start_installed_app "$tree"

  say "removing $name"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get remove -y -qq "$name" >"$work/apt.log" 2>&1 ||
    { cat "$work/apt.log" >&2; fail "apt-get remove $name failed (above)"; }
  installed=""
  [[ ! -e /usr/bin/reprise && ! -e /usr/bin/reprise-desktop ]] || fail "/usr/bin/reprise* are still there after apt-get remove"
  ok "removed; /usr/bin/reprise and /usr/bin/reprise-desktop are gone"
  say "$(basename "$deb"): contents, install, start and removal pass"
}

# Starts /usr/bin/reprise-desktop in a private X server and waits for its window and collection.
start_installed_app() {
  local tree=$1 home=$work/home data=$work/data display="" log=$artifacts/app.log
  need Xvfb xvfb
  need xwininfo x11-utils
  need xprop x11-utils
  need import imagemagick
  mkdir -p "$artifacts" "$home" "$data"
  rm -f "$artifacts/window.png" "$log"

  # -displayfd: Xvfb picks a free display and writes its number once it accepts clients.
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
  xvfb_pid=$!
  for _ in $(seq 1 100); do
    display=$(cat "$work/display" 2>/dev/null || true)
    [[ -n $display ]] && break
    kill -0 "$xvfb_pid" 2>/dev/null || { cat "$work/xvfb.log" >&2; fail "Xvfb did not start (above)"; }
    sleep 0.1
  done
  [[ -n $display ]] || fail "Xvfb gave no display within 10 s"
  export DISPLAY=:$display

  say "starting the installed app on $DISPLAY, data in $data"
  local bus=()
  command -v dbus-run-session >/dev/null && bus=(dbus-run-session --)
  # Its own process group (setsid), stopped as a whole by its own id. Every folder it may write
  # is under $work: never a real user's collection, settings or WebKit caches.
  HOME=$home XDG_CONFIG_HOME=$home/.config XDG_CACHE_HOME=$home/.cache \
    XDG_DATA_HOME=$home/.local/share XDG_STATE_HOME=$home/.local/state \
    REPRISE_DATA_DIR=$data NO_AT_BRIDGE=1 \
    setsid "${bus[@]}" /usr/bin/reprise-desktop >"$log" 2>&1 </dev/null &
  app_pid=$!

  local waited=0 window="" db=$data/reprise.sqlite3
  while ((waited < timeout_s * 10)); do
    if ! kill -0 "$app_pid" 2>/dev/null; then
      tail -40 "$log" >&2
      fail "the installed app exited within $((waited / 10)) s (its output above, in $log)"
    fi
    # Named "Reprise" (tauri.conf.json), or "<screen> · Reprise" once the UI names its screen.
    window=$(xwininfo -root -tree 2>/dev/null | grep -m1 -E '^ *0x[0-9a-f]+ "([^"]* )?Reprise":' || true)
    [[ -n $window && -s $db ]] && break
    sleep 0.1
    waited=$((waited + 1))
  done
  if [[ -z $window ]]; then
    import -window root "$artifacts/window.png" 2>/dev/null || true
    xwininfo -root -tree >&2 || true
    tail -40 "$log" >&2
    fail "no window named Reprise within $timeout_s s (the X tree, the app's output above; screen in $artifacts/window.png)"
  fi
  [[ -s $db ]] || fail "the app made no collection at $db within $timeout_s s (it has: $(ls -A "$data"))"
  ok "window up after $((waited / 10)).$((waited % 10)) s: ${window#"${window%%[! ]*}"}"
  ok "collection created: $db ($(du -h "$db" | cut -f1))"

  # The page drew something: a window that stays one flat colour means the web view failed
  # (WebKit's web process did not start, the UI was not embedded). Text has many shades.
  local wid colours=0
  wid=$(awk '{print $1}' <<<"$window")
  while ((waited < timeout_s * 10)); do
    import -window "$wid" "$artifacts/window.png" 2>/dev/null &&
      colours=$(identify -format '%k' "$artifacts/window.png" 2>/dev/null || echo 0)
    ((colours > 16)) && break
    kill -0 "$app_pid" 2>/dev/null || { tail -40 "$log" >&2; fail "the installed app exited (its output above)"; }
    sleep 0.5
    waited=$((waited + 5))
  done
  ((colours > 16)) || {
    tail -40 "$log" >&2
    fail "the window stayed blank ($colours colours) for $timeout_s s (the app's output above; $artifacts/window.png)"
  }
  ok "the page drew after $((waited / 10)).$((waited % 10)) s ($colours colours): $artifacts/window.png"

  # The dock ties the window to the desktop entry by StartupWMClass.
  local wm_class wanted
  wm_class=$(xprop -id "$wid" WM_CLASS 2>/dev/null || true)
  if [[ $wm_class != *'"'* ]]; then
    # The named window may be a child of the toplevel carrying the class: ask its ancestors.
    wm_class=$(xwininfo -root -tree | grep -i 'reprise' | awk '{print $1}' |
      while read -r w; do xprop -id "$w" WM_CLASS 2>/dev/null; done | grep -m1 '"' || true)
  fi
  wanted=$(desktop_value "$tree$desktop" StartupWMClass)
  if [[ -n $wanted ]]; then
    [[ $wm_class == *"\"$wanted\""* ]] ||
      fail "the window's $wm_class does not match the desktop entry's StartupWMClass=$wanted"
    ok "$wm_class matches StartupWMClass=$wanted"
  fi

  kill -TERM -- "-$app_pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 -- "-$app_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  app_pid=""
  kill "$xvfb_pid" 2>/dev/null || true
  wait "$xvfb_pid" 2>/dev/null || true
  xvfb_pid=""
  unset DISPLAY

  # The installed command line reads the collection the installed app made.
  local status
  status=$(/usr/bin/reprise --data-dir "$data" status) || fail "/usr/bin/reprise status on the app's collection failed"
  ok "/usr/bin/reprise status on it: $status"
}

need dpkg-deb dpkg
need appstreamcli appstream
need desktop-file-validate desktop-file-utils
for pkg in "${pkgs[@]}"; do
  case $pkg in
  *.deb) check_deb "$pkg" ;;
  *.rpm) check_rpm "$pkg" ;;
  *) fail "$pkg: neither a .deb nor an .rpm" ;;
  esac
done
say "all checks passed: $*"
