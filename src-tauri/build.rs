fn main() {
    // Declaring the app's commands makes Tauri generate a permission for each, so the
    // capability file can grant exactly these and nothing else.
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "get_clock",
            "get_status",
            "next_card",
            "answer_card",
            "undo",
            "search",
            "get_term",
            "answer_quiz_card",
            "get_library",
            "get_lesson",
            "finish_lesson",
            "import_file",
            "cancel_import",
            "list_packs",
            "set_pack_enabled",
            "remove_pack",
            "preview_table",
            "list_backups",
            "back_up_now",
            "restore_backup",
            "get_settings",
            "set_settings",
            "card_action",
            "optimize",
            "cancel_optimize",
            "simulate_workload",
            "get_backlog",
            "spread_backlog",
            "get_stats",
            "browse_cards",
            "browse_rows",
            "browse_facets",
            "get_card_detail",
        ]),
    ))
    .expect("tauri build script");
}
