// Generated from src-tauri/src/command_list.rs (`UPDATE_BINDINGS=1 cargo test -p reprise-desktop --test command_list`). Do not edit.

import type { Channel } from '@tauri-apps/api/core';
import type {
  About,
  ActionReport,
  AnswerOutcome,
  Backlog,
  BackupInfo,
  BrowseFacets,
  BrowseQuery,
  BrowseRow,
  CardAction,
  CardDetail,
  CardId,
  CardPreview,
  CurriculumArea,
  DevicePrefs,
  ImportProgress,
  ImportReport,
  LessonPage,
  LibraryArea,
  NoteAdded,
  NoteDraft,
  NoteEdited,
  NoteId,
  NoteView,
  OptimizeProgress,
  OptimizeReport,
  PackId,
  PackInfo,
  PersonalPack,
  QuizResult,
  Rating,
  SearchHit,
  Settings,
  Spread,
  Stats,
  Status,
  StudyCard,
  SyncActivity,
  SyncSecret,
  SyncStatus,
  TablePreview,
  TermPage,
  UndoOutcome,
  Upgrade,
  Workload,
} from './bindings';

/** Every command the backend answers. */
export const COMMANDS = [
  'get_clock',
  'get_upgrade',
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
  'cancel_import',
  'list_packs',
  'get_curriculum',
  'set_pack_enabled',
  'remove_pack',
  'list_backups',
  'restore_backup',
  'get_settings',
  'update_settings',
  'card_action',
  'cancel_optimize',
  'get_backlog',
  'spread_backlog',
  'browse_cards',
  'browse_rows',
  'browse_facets',
  'get_card_detail',
  'get_sync_status',
  'get_sync_activity',
  'sync_now',
  'sync_off',
  'get_about',
  'get_device_prefs',
  'add_note',
  'edit_note',
  'delete_note',
  'get_note',
  'preview_note',
  'personal_packs',
  'add_image',
  'import_file',
  'optimize',
  'back_up_now',
  'get_stats',
  'simulate_workload',
  'set_sync_target',
  'set_device_prefs',
  'get_start_at_login',
  'show_window',
  'set_start_at_login',
  'preview_table',
] as const;

export type Command = (typeof COMMANDS)[number];

/** What each command takes, as the UI sends it (camelCase). */
export type CommandArgs = {
  get_clock: Record<string, never>;
  get_upgrade: Record<string, never>;
  get_status: Record<string, never>;
  next_card: Record<string, never>;
  answer_card: { cardId: CardId; rating: Rating; durationMs: number };
  undo: Record<string, never>;
  search: { text: string };
  get_term: { pack: PackId; key: string };
  answer_quiz_card: { cardId: CardId; chosen: Array<number>; rating: Rating | null; durationMs: number };
  check_quiz_card: { cardId: CardId; chosen: Array<number> };
  check_lesson_answer: { pack: PackId; key: string; question: number; chosen: Array<number> };
  get_library: Record<string, never>;
  get_lesson: { pack: PackId; key: string };
  finish_lesson: { pack: PackId; key: string; answers: Array<Array<number>> };
  cancel_import: Record<string, never>;
  list_packs: Record<string, never>;
  get_curriculum: Record<string, never>;
  set_pack_enabled: { id: PackId; enabled: boolean };
  remove_pack: { id: PackId; keepHistory: boolean };
  list_backups: Record<string, never>;
  restore_backup: { path: string };
  get_settings: Record<string, never>;
  update_settings: { patch: { [key in string]: string } };
  card_action: { action: CardAction; cardIds: Array<CardId> };
  cancel_optimize: Record<string, never>;
  get_backlog: Record<string, never>;
  spread_backlog: { days: number };
  browse_cards: { query: BrowseQuery };
  browse_rows: { ids: Array<CardId> };
  browse_facets: Record<string, never>;
  get_card_detail: { cardId: CardId };
  get_sync_status: Record<string, never>;
  get_sync_activity: Record<string, never>;
  sync_now: Record<string, never>;
  sync_off: Record<string, never>;
  get_about: Record<string, never>;
  get_device_prefs: Record<string, never>;
  add_note: { pack: string | null; draft: NoteDraft };
  edit_note: { noteId: NoteId; draft: NoteDraft };
  delete_note: { noteId: NoteId };
  get_note: { noteId: NoteId };
  preview_note: { pack: string | null; draft: NoteDraft };
  personal_packs: Record<string, never>;
  add_image: { pack: string | null; bytes: Array<number> };
  import_file: { path: string; progress: Channel<ImportProgress> };
  optimize: { progress: Channel<OptimizeProgress> };
  back_up_now: Record<string, never>;
  get_stats: Record<string, never>;
  simulate_workload: { progress: Channel<[number, number]> };
  set_sync_target: { target: string; name: string | null; secret: SyncSecret | null };
  set_device_prefs: { prefs: DevicePrefs };
  get_start_at_login: Record<string, never>;
  show_window: Record<string, never>;
  set_start_at_login: { on: boolean };
  preview_table: { path: string };
};

/** What each command answers. */
export type CommandReply = {
  get_clock: string | null;
  get_upgrade: Upgrade | null;
  get_status: Status;
  next_card: StudyCard | null;
  answer_card: AnswerOutcome;
  undo: UndoOutcome | null;
  search: Array<SearchHit>;
  get_term: TermPage;
  answer_quiz_card: AnswerOutcome;
  check_quiz_card: boolean;
  check_lesson_answer: boolean;
  get_library: Array<LibraryArea>;
  get_lesson: LessonPage;
  finish_lesson: QuizResult;
  cancel_import: null;
  list_packs: Array<PackInfo>;
  get_curriculum: Array<CurriculumArea>;
  set_pack_enabled: null;
  remove_pack: null;
  list_backups: Array<BackupInfo>;
  restore_backup: string | null;
  get_settings: Settings;
  update_settings: number;
  card_action: ActionReport;
  cancel_optimize: null;
  get_backlog: Backlog;
  spread_backlog: Spread;
  browse_cards: Array<CardId>;
  browse_rows: Array<BrowseRow>;
  browse_facets: BrowseFacets;
  get_card_detail: CardDetail;
  get_sync_status: SyncStatus;
  get_sync_activity: SyncActivity;
  sync_now: null;
  sync_off: null;
  get_about: About;
  get_device_prefs: DevicePrefs;
  add_note: NoteAdded;
  edit_note: NoteEdited;
  delete_note: number;
  get_note: NoteView;
  preview_note: Array<CardPreview>;
  personal_packs: Array<PersonalPack>;
  add_image: string;
  import_file: ImportReport;
  optimize: OptimizeReport;
  back_up_now: Array<BackupInfo>;
  get_stats: Stats;
  simulate_workload: Workload;
  set_sync_target: SyncStatus;
  set_device_prefs: DevicePrefs;
  get_start_at_login: boolean;
  show_window: null;
  set_start_at_login: boolean;
  preview_table: TablePreview;
};

/** The event the backend emits after every write, with what changed. */
export const CHANGES_EVENT = 'collection-changed';

/** The event the backend emits whenever what the background sync is doing changes, with a SyncActivity. */
export const SYNC_EVENT = 'sync-activity';
