// Generated from src-tauri/src/command_list.rs (`UPDATE_BINDINGS=1 cargo test -p reprise-desktop --test command_list`). Do not edit.

/** Every command the backend answers. */
export const COMMANDS = [
  'get_clock',
  'get_status',
  'next_card',
  'answer_card',
  'undo',
  'search',
  'get_term',
  'answer_quiz_card',
  'check_quiz_card',
  'check_lesson_answer',
  'get_library',
  'get_lesson',
  'finish_lesson',
  'import_file',
  'cancel_import',
  'list_packs',
  'set_pack_enabled',
  'remove_pack',
  'preview_table',
  'list_backups',
  'back_up_now',
  'restore_backup',
  'get_settings',
  'update_settings',
  'card_action',
  'optimize',
  'cancel_optimize',
  'simulate_workload',
  'get_backlog',
  'spread_backlog',
  'get_stats',
  'browse_cards',
  'browse_rows',
  'browse_facets',
  'get_card_detail',
] as const;

export type Command = (typeof COMMANDS)[number];

/** The event the backend emits after every write, with what changed. */
export const CHANGES_EVENT = 'collection-changed';
