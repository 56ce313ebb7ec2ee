#!/usr/bin/env bash
# Builds Reprise's Linux packages with Tauri's own bundler (`tauri bundle`, from the npm package
# @tauri-apps/cli in ui/): a .deb and an .rpm, each holding the desktop app
# (/usr/bin/reprise-desktop), the command line (/usr/bin/reprise), the icons, a desktop entry and
# the AppStream metadata (src-tauri/tauri.conf.json, "bundle"; src-tauri/packaging/).
#
#   scripts/package.sh           release build, packages in target/release/bundle/{deb,rpm}/
#   scripts/package.sh --debug   the debug build (what scripts/test.sh builds anyway; quick, big)
#
# Progress goes to stderr; the paths of the packages, one a line, to stdout. Then:
#   sudo apt install ./target/release/bundle/deb/Reprise_0.1.0_amd64.deb
#   tests/package/check.sh target/release/bundle/deb/Reprise_0.1.0_amd64.deb  # installs, runs, removes
#
# REPRISE_BUNDLES=deb makes only the .deb (default: deb,rpm). Tauri's AppImage bundler needs
# downloads at build time, so it is not offered.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"

usage() { sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; }
step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\npackage.sh: ERROR: %s\n' "$*" >&2; exit 1; }

profile=release
case "${1:-}" in
'') ;;
--debug) profile=debug ;;
-h | --help) usage; exit 0 ;;
*) usage; exit 2 ;;
esac
[[ $# -le 1 ]] || { usage; exit 2; }
bundles=${REPRISE_BUNDLES:-deb,rpm}
cargo_profile=()
tauri_profile=()
if [[ $profile == release ]]; then
  cargo_profile=(--release)
else
  tauri_profile=(--debug)
fi

scripts/setup.sh >&2
tauri=$PWD/ui/node_modules/.bin/tauri
[[ -x $tauri ]] || die "$tauri is missing: run (cd ui && npm ci) (it comes with the npm package @tauri-apps/cli)"
target_dir=${CARGO_TARGET_DIR:-$PWD/target}
[[ $target_dir == /* ]] || target_dir=$PWD/$target_dir
bundle_dir=$target_dir/$profile/bundle
start=$(date +%s)

step "UI: build (the app embeds ui/dist)"
(cd ui && npm run build --silent) >&2

# Both binaries in one cargo run, with the app's features (as scripts/run.sh and scripts/test.sh
# build it): the CLI then reuses the app's build of the core and its dependencies. Built alone
# (cargo build -p reprise), it would resolve their features differently and compile a second
# copy of most of them (measured: 5 min more on 2 cores for --debug).
step "App and command line: cargo build -p reprise-desktop -p reprise --bins${cargo_profile[*]:+ ${cargo_profile[*]}}"
cargo build -p reprise-desktop -p reprise --bins --features reprise-desktop/custom-protocol \
  "${cargo_profile[@]}" --locked
cli=$target_dir/$profile/reprise
[[ -x $cli && -x $target_dir/$profile/reprise-desktop ]] || die "cargo built no $cli or reprise-desktop"

# Old packages (another version, another profile's run) must not pass for this run's.
rm -rf "$bundle_dir/deb" "$bundle_dir/rpm"

# `tauri bundle` packages what cargo built, compiling nothing. The CLI goes in at
# /usr/bin/reprise from this profile's build (tauri.conf.json names the release one).
# --no-binary-patching leaves target/*/reprise-desktop exactly as cargo built it (the patch only
# records the package type, for Tauri's updater, which Reprise does not use).
files_override=$(printf '{"bundle":{"linux":{"deb":{"files":{"/usr/bin/reprise":"%s"}},"rpm":{"files":{"/usr/bin/reprise":"%s"}}}}}' "$cli" "$cli")
step "Packages: tauri bundle${tauri_profile[*]:+ ${tauri_profile[*]}} --bundles $bundles"
(cd src-tauri && "$tauri" bundle "${tauri_profile[@]}" --ci --bundles "$bundles" \
  --features custom-protocol --no-binary-patching --config "$files_override") >&2
# The bundler's staging trees hold a second copy of everything (hundreds of MB in debug).
find "$bundle_dir/deb" "$bundle_dir/rpm" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} + 2>/dev/null || true

shopt -s nullglob
packages=("$bundle_dir"/deb/*.deb "$bundle_dir"/rpm/*.rpm)
shopt -u nullglob
[[ ${#packages[@]} -gt 0 ]] || die "tauri bundle made no package in $bundle_dir"
step "Packages ($profile build, $(($(date +%s) - start)) s)"
for pkg in "${packages[@]}"; do
  printf '  %s  (%s)\n' "$pkg" "$(du -h "$pkg" | cut -f1)" >&2
  printf '%s\n' "$pkg"
done
