// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

const HELP: &str = "\
Reprise: spaced repetition for learning system design (the desktop app)

Usage: reprise-desktop [--data-dir DIR] [--now RFC3339]

Options:
      --data-dir DIR   Where the collection lives [env: REPRISE_DATA_DIR]
                       [default: ~/.local/share/reprise]
      --now RFC3339    Study as if it were then [env: REPRISE_NOW]
  -h, --help           Print help
  -V, --version        Print version

The command line `reprise` does everything the app does: see `reprise --help`.
";

/// What the command line asks for before any window: the version or the help, answered without
/// a display, or `None` to start the app. The values of `--data-dir` and `--now` are skipped,
/// so a folder named `-V` is still a folder.
fn early_answer(args: impl IntoIterator<Item = String>) -> Option<String> {
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--version" | "-V" => {
                return Some(format!("reprise-desktop {}\n", env!("CARGO_PKG_VERSION")))
            }
            "--help" | "-h" => return Some(HELP.to_string()),
            "--data-dir" | "--now" => {
                args.next();
            }
            "--" => break,
            _ => {}
        }
    }
    None
}

fn main() {
    if let Some(text) = early_answer(std::env::args().skip(1)) {
        print!("{text}");
        return;
    }
    // WebKitGTK's accelerated compositing holds about 80 MiB more for these plain pages (307 vs
    // 226 MiB PSS after start, scripts/startup.py) and starts no faster; it is also the usual
    // cause of blank windows on some GPUs. WEBKIT_DISABLE_COMPOSITING_MODE=0 turns it back on.
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    reprise_desktop::run();
}

#[cfg(test)]
mod tests {
    use super::early_answer;

    fn answer(args: &[&str]) -> Option<String> {
        early_answer(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn version_and_help_are_answered_without_starting_the_app() {
        let version = format!("reprise-desktop {}\n", env!("CARGO_PKG_VERSION"));
        assert_eq!(answer(&["--version"]), Some(version.clone()));
        assert_eq!(answer(&["-V"]), Some(version.clone()));
        assert_eq!(
            answer(&["--now", "2027-01-01T00:00:00Z", "-V"]),
            Some(version)
        );
        assert!(answer(&["--help"]).unwrap().starts_with("Reprise: "));
        assert!(answer(&["-h"]).unwrap().contains("--data-dir DIR"));
    }

    #[test]
    fn anything_else_starts_the_app() {
        assert_eq!(answer(&[]), None);
        assert_eq!(answer(&["--data-dir", "/tmp/r"]), None);
        assert_eq!(answer(&["--data-dir", "-V"]), None);
        assert_eq!(answer(&["--now", "--help"]), None);
        assert_eq!(answer(&["--", "--version"]), None);
    }
}
