// Every command the UI may call, declared once. `build.rs` makes a permission of each, the app
// registers each as a handler, a test checks that the capability grants exactly these, and the
// UI's `commands.ts` is generated from them. Included by `build.rs` and `lib.rs`.

/// Calls `$then!` with the name of every command.
macro_rules! with_commands {
    ($then:ident) => {
        $then! {
            get_clock,
            get_status,
            next_card,
            answer_card,
            undo,
            search,
            get_term,
            answer_quiz_card,
            check_quiz_card,
            check_lesson_answer,
            get_library,
            get_lesson,
            finish_lesson,
            import_file,
            cancel_import,
            list_packs,
            set_pack_enabled,
            remove_pack,
            preview_table,
            list_backups,
            back_up_now,
            restore_backup,
            get_settings,
            update_settings,
            card_action,
            optimize,
            cancel_optimize,
            simulate_workload,
            get_backlog,
            spread_backlog,
            get_stats,
            browse_cards,
            browse_rows,
            browse_facets,
            get_card_detail,
        }
    };
}

/// The names, as text.
macro_rules! command_names {
    ($($name:ident),* $(,)?) => {
        &[$(stringify!($name)),*]
    };
}
