// Every command the UI may call, declared once with what it takes and what it answers. `build.rs`
// makes a permission of each, the app registers each as a handler and checks at compile time that
// each `commands::` function has this signature, a test checks that the capability grants exactly
// these, and the UI's typed `commands.ts` is generated from them. Included by `build.rs` and `lib.rs`.
//
// The arguments are the ones the UI sends, by their Rust names (Tauri takes them in camelCase); a
// channel the command reports progress on comes last, after `;`. Every reply is the `Ok` of a
// `Result<_, AppError>`. Sections by what Tauri gives the function first:
// - `state`: `State<'_, AppState>`, run on the IPC thread (quick work on the collection);
// - `app`: `AppHandle<R>`, async (slow work moved off the main thread);
// - `free`: nothing, async.

/// Calls `$then!` with every command, by section.
macro_rules! with_commands {
    ($then:ident) => {
        $then! {
            state {
                get_clock() -> Option<String>,
                get_upgrade() -> Option<Upgrade>,
                get_status() -> Status,
                next_card() -> Option<StudyCard>,
                answer_card(card_id: CardId, rating: Rating, duration_ms: u32) -> AnswerOutcome,
                undo() -> Option<UndoOutcome>,
                search(text: String) -> Vec<SearchHit>,
                get_term(pack: PackId, key: String) -> TermPage,
                answer_quiz_card(
                    card_id: CardId,
                    chosen: Vec<u32>,
                    rating: Option<Rating>,
                    duration_ms: u32
                ) -> AnswerOutcome,
                check_quiz_card(card_id: CardId, chosen: Vec<u32>) -> bool,
                check_lesson_answer(pack: PackId, key: String, question: u32, chosen: Vec<u32>) -> bool,
                get_library() -> Vec<LibraryArea>,
                get_lesson(pack: PackId, key: String) -> LessonPage,
                finish_lesson(pack: PackId, key: String, answers: Vec<Vec<u32>>) -> QuizResult,
                cancel_import() -> (),
                list_packs() -> Vec<PackInfo>,
                get_curriculum() -> Vec<CurriculumArea>,
                set_pack_enabled(id: PackId, enabled: bool) -> (),
                remove_pack(id: PackId, keep_history: bool) -> (),
                list_backups() -> Vec<BackupInfo>,
                restore_backup(path: String) -> Option<String>,
                get_settings() -> Settings,
                update_settings(patch: BTreeMap<String, String>) -> u32,
                card_action(action: CardAction, card_ids: Vec<CardId>) -> ActionReport,
                cancel_optimize() -> (),
                get_backlog() -> Backlog,
                spread_backlog(days: u32) -> Spread,
                browse_cards(query: BrowseQuery) -> Vec<CardId>,
                browse_rows(ids: Vec<CardId>) -> Vec<BrowseRow>,
                browse_facets() -> BrowseFacets,
                get_card_detail(card_id: CardId) -> CardDetail,
                get_sync_status() -> SyncStatus,
                get_sync_activity() -> SyncActivity,
                sync_now() -> (),
                sync_off() -> (),
                get_about() -> About,
                get_device_prefs() -> DevicePrefs,
                add_note(pack: Option<String>, draft: NoteDraft) -> NoteAdded,
                edit_note(note_id: NoteId, draft: NoteDraft) -> NoteEdited,
                delete_note(note_id: NoteId) -> u32,
                get_note(note_id: NoteId) -> NoteView,
                preview_note(pack: Option<String>, draft: NoteDraft) -> Vec<CardPreview>,
                personal_packs() -> Vec<PersonalPack>,
                add_image(pack: Option<String>, bytes: Vec<u8>) -> String,
            }
            app {
                import_file(path: String; progress: ImportProgress) -> ImportReport,
                optimize(; progress: OptimizeProgress) -> OptimizeReport,
                back_up_now() -> Vec<BackupInfo>,
                get_stats() -> Stats,
                simulate_workload(; progress: [u32; 2]) -> Workload,
                set_sync_target(target: String, name: Option<String>, secret: Option<SyncSecret>) -> SyncStatus,
                set_device_prefs(prefs: DevicePrefs) -> DevicePrefs,
                get_start_at_login() -> bool,
                show_window() -> (),
                set_start_at_login(on: bool) -> bool,
            }
            free {
                preview_table(path: String) -> TablePreview,
            }
        }
    };
}

/// The names, as text.
macro_rules! command_names {
    ($($section:ident {
        $($name:ident ($($arg:ident : $ty:ty),* $(; $chan:ident : $cty:ty)?) -> $reply:ty),* $(,)?
    })*) => {
        &[$($(stringify!($name)),*),*]
    };
}
