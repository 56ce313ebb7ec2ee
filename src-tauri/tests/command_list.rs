//! The one list of commands: the capability grants exactly them, and the UI's generated
//! `commands.ts` names exactly them.

use std::collections::BTreeSet;
use std::path::Path;

use reprise_desktop::{CHANGES_EVENT, COMMANDS};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_capability_grants_exactly_the_declared_commands_and_nothing_else_of_the_app() {
    let text = std::fs::read_to_string(root().join("capabilities/default.json")).unwrap();
    let capability: serde_json::Value = serde_json::from_str(&text).unwrap();
    let granted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        // The app's own permissions have no plugin prefix.
        .filter(|p| !p.contains(':'))
        .map(str::to_owned)
        .collect();
    let declared: BTreeSet<String> = COMMANDS
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    assert_eq!(granted, declared);
    assert_eq!(
        COMMANDS.len(),
        declared.len(),
        "no command is declared twice"
    );
}

/// `ui/src/lib/commands.ts` as generated from the list.
fn typescript() -> String {
    let mut out = String::from(
        "// Generated from src-tauri/src/command_list.rs (`UPDATE_BINDINGS=1 cargo test -p \
         reprise-desktop --test command_list`). Do not edit.\n\n\
         /** Every command the backend answers. */\nexport const COMMANDS = [\n",
    );
    for command in COMMANDS {
        out.push_str(&format!("  '{command}',\n"));
    }
    out.push_str("] as const;\n\nexport type Command = (typeof COMMANDS)[number];\n\n");
    out.push_str(&format!(
        "/** The event the backend emits after every write, with what changed. */\n\
         export const CHANGES_EVENT = '{CHANGES_EVENT}';\n"
    ));
    out
}

#[test]
fn the_ui_names_exactly_the_declared_commands() {
    let path = root().join("../ui/src/lib/commands.ts");
    let generated = typescript();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "ui/src/lib/commands.ts is out of date with the command list; regenerate it with \
         `UPDATE_BINDINGS=1 cargo test -p reprise-desktop --test command_list`.\n{generated}"
    );
}
