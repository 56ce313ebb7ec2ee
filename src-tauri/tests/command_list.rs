//! The one list of commands: the capability grants exactly them, and the UI's generated
//! `commands.ts` names exactly them.

use std::collections::BTreeSet;
use std::path::Path;

use reprise_desktop::{signatures, CHANGES_EVENT, COMMANDS, SYNC_EVENT};

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

/// `snake_case` → `camelCase`, as Tauri names a command's arguments on the JavaScript side.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The types of `bindings.ts` a TypeScript type text names.
fn named_types(ts: &str, into: &mut BTreeSet<String>) {
    for word in ts.split(|c: char| !c.is_ascii_alphanumeric() && c != '_') {
        let is_type = word.starts_with(|c: char| c.is_ascii_uppercase());
        if is_type && !["Array", "Channel", "Record"].contains(&word) {
            into.insert(word.to_owned());
        }
    }
}

/// `ui/src/lib/commands.ts` as generated from the list.
fn typescript() -> String {
    let signatures = signatures();
    let mut types = BTreeSet::new();
    let mut args = String::new();
    let mut replies = String::new();
    for s in &signatures {
        let fields: Vec<String> = s
            .args
            .iter()
            .map(|(name, ts)| format!("{}: {ts}", camel(name)))
            .collect();
        let taken = if fields.is_empty() {
            "Record<string, never>".to_owned()
        } else {
            format!("{{ {} }}", fields.join("; "))
        };
        named_types(&taken, &mut types);
        named_types(&s.reply, &mut types);
        args.push_str(&format!("  {}: {taken};\n", s.name));
        replies.push_str(&format!("  {}: {};\n", s.name, s.reply));
    }
    let mut out = String::from(
        "// Generated from src-tauri/src/command_list.rs (`UPDATE_BINDINGS=1 cargo test -p \
         reprise-desktop --test command_list`). Do not edit.\n\n\
         import type { Channel } from '@tauri-apps/api/core';\n",
    );
    let types: Vec<String> = types.into_iter().collect();
    out.push_str(&format!(
        "import type {{\n  {},\n}} from './bindings';\n\n",
        types.join(",\n  ")
    ));
    out.push_str("/** Every command the backend answers. */\nexport const COMMANDS = [\n");
    for command in COMMANDS {
        out.push_str(&format!("  '{command}',\n"));
    }
    out.push_str("] as const;\n\nexport type Command = (typeof COMMANDS)[number];\n\n");
    out.push_str(&format!(
        "/** What each command takes, as the UI sends it (camelCase). */\n\
         export type CommandArgs = {{\n{args}}};\n\n\
         /** What each command answers. */\nexport type CommandReply = {{\n{replies}}};\n\n"
    ));
    out.push_str(&format!(
        "/** The event the backend emits after every write, with what changed. */\n\
         export const CHANGES_EVENT = '{CHANGES_EVENT}';\n\n\
         /** The event the backend emits whenever what the background sync is doing changes, \
         with a SyncActivity. */\n\
         export const SYNC_EVENT = '{SYNC_EVENT}';\n"
    ));
    out
}

#[test]
fn every_declared_command_has_one_signature() {
    let names: Vec<&str> = signatures().iter().map(|s| s.name).collect();
    assert_eq!(names, COMMANDS);
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
