// The only module that talks to the Rust backend. Every failure leaves here as an ApiError.
import { Channel, invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import { getCurrentWindow } from '@tauri-apps/api/window';
import { open as openDialog } from '@tauri-apps/plugin-dialog';
import { openUrl } from '@tauri-apps/plugin-opener';
import type {
  About,
  ActionReport,
  AnswerOutcome,
  AppError,
  Backlog,
  BackupInfo,
  BrowseFacets,
  BrowseQuery,
  BrowseRow,
  CardAction,
  CardDetail,
  CardId,
  CardPreview,
  Changes,
  DevicePrefs,
  ErrorCode,
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
  CurriculumArea,
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
import { MAX_BROWSE_ROWS } from './bindings';
import { CHANGES_EVENT, SYNC_EVENT, type Command, type CommandArgs, type CommandReply } from './commands';

/** Backend error codes, plus `internal` for failures that never produced an AppError
 *  (IPC unavailable, unknown command, argument mismatch, a bug in the UI). */
export type ApiErrorCode = ErrorCode | 'internal';

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  /** For `invalid`: the field or setting at fault, so a form can mark it. */
  readonly field: string | null;

  constructor(code: ApiErrorCode, message: string, field: string | null = null) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.field = field;
  }
}

function isAppError(value: unknown): value is AppError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AppError).code === 'string' &&
    typeof (value as AppError).message === 'string'
  );
}

/** Normalise anything thrown (AppError object, Tauri's plain-string IPC errors, JS errors). */
export function toApiError(value: unknown): ApiError {
  if (value instanceof ApiError) return value;
  if (isAppError(value)) return new ApiError(value.code, value.message, typeof value.field === 'string' ? value.field : null);
  if (value instanceof Error) return new ApiError('internal', value.message);
  if (typeof value === 'string') return new ApiError('internal', value);
  return new ApiError('internal', `Unexpected error: ${String(value)}`);
}

function requireBackend() {
  // Without this, opening the dev server in a plain browser fails with an opaque TypeError.
  if (!('__TAURI_INTERNALS__' in window)) {
    throw new ApiError('internal', 'The Reprise backend is not available. Open the UI through the desktop app.');
  }
}

/** A command's arguments, left out when it takes none. */
type ArgsOf<C extends Command> = CommandArgs[C] extends Record<string, never> ? [] : [args: CommandArgs[C]];

/** Every backend call goes through here, typed by the signatures generated from the Rust command
 *  list (commands.ts): a misspelt command, a wrong argument or a misread reply fails the
 *  type-check (api.test.ts checks the names at run time too). */
async function call<C extends Command>(cmd: C, ...args: ArgsOf<C>): Promise<CommandReply[C]> {
  requireBackend();
  try {
    return await invoke<CommandReply[C]>(cmd, args[0]);
  } catch (err) {
    throw toApiError(err);
  }
}

/** The backend's fixed "now" (RFC 3339) when it runs with `--now` or REPRISE_NOW; null when it
 *  follows the system clock. */
/** Asks `keep()` whenever the learner closes the window: while it answers true the window stays
 *  open and `ask(close)` is called, `close` closing it for good once the learner has chosen.
 *  Returns how to stop listening. */
export async function onCloseRequested(keep: () => boolean, ask: (close: () => void) => void): Promise<() => void> {
  if (!('__TAURI_INTERNALS__' in window)) return () => {};
  const win = getCurrentWindow();
  try {
    return await win.onCloseRequested((event) => {
      if (!keep()) return;
      event.preventDefault();
      ask(() => void win.destroy());
    });
  } catch (err) {
    throw toApiError(err);
  }
}

/** The window's title, where the desktop shows which screen is open. */
export function setWindowTitle(title: string): Promise<void> {
  return getCurrentWindow().setTitle(title);
}

/** Shows the window, hidden until the first screen is drawn. */
export async function showWindow(): Promise<void> {
  await call('show_window');
}

/** The schema upgrade the collection is going through at start, while it is (else null). */
export function getUpgrade(): Promise<Upgrade | null> {
  return call('get_upgrade');
}

export function getClock(): Promise<string | null> {
  return call('get_clock');
}

export function getStatus(): Promise<Status> {
  return call('get_status');
}

export function nextCard(): Promise<StudyCard | null> {
  return call('next_card');
}

export function answerCard(cardId: CardId, rating: Rating, durationMs: number): Promise<AnswerOutcome> {
  // The backend takes an integer; timers give fractional milliseconds.
  return call('answer_card', { cardId, rating, durationMs: Math.max(0, Math.round(durationMs)) });
}

/** Takes back the last answer or card action (or backlog spread); null when there is nothing to undo. */
export function undo(): Promise<UndoOutcome | null> {
  return call('undo');
}

/** Suspends, unsuspends, buries, resets, sets the due date of or tags cards, as one undoable step. */
export function cardAction(action: CardAction, cardIds: CardId[]): Promise<ActionReport> {
  return call('card_action', { action, cardIds });
}

export function search(text: string): Promise<SearchHit[]> {
  return call('search', { text });
}

export function getTerm(pack: PackId, key: string): Promise<TermPage> {
  return call('get_term', { pack, key });
}

/** Answers a quiz card with the options chosen (0-based). The backend grades it: wrong is
 *  Again whatever `rating` says; right is `rating` (Hard or Easy) or Good when null. */
export function answerQuizCard(
  cardId: CardId,
  chosen: number[],
  rating: Exclude<Rating, 'again'> | null,
  durationMs: number,
): Promise<AnswerOutcome> {
  return call('answer_quiz_card', {
    cardId,
    chosen,
    rating,
    durationMs: Math.max(0, Math.round(durationMs)),
  });
}

/** Whether `chosen` (0-based options) answers quiz card `cardId` right, as the core grades it;
 *  records nothing (answerQuizCard does). */
export function checkQuizCard(cardId: CardId, chosen: number[]): Promise<boolean> {
  return call('check_quiz_card', { cardId, chosen });
}

export function getLibrary(): Promise<LibraryArea[]> {
  return call('get_library');
}

export function getLesson(pack: PackId, key: string): Promise<LessonPage> {
  return call('get_lesson', { pack, key });
}

/** Whether `chosen` (0-based options) answers question `question` (0-based) of a lesson's quiz
 *  right, as the core grades it; records nothing (finishLesson does). */
export function checkLessonAnswer(pack: PackId, key: string, question: number, chosen: number[]): Promise<boolean> {
  return call('check_lesson_answer', { pack, key, question, chosen });
}

/** Grades and records a taken quiz; `answers[i]` are the options chosen for question i. */
export function finishLesson(pack: PackId, key: string, answers: number[][]): Promise<QuizResult> {
  return call('finish_lesson', { pack, key, answers });
}

/** Opens an https link from lesson text in the system browser, never inside the app. */
export async function openExternal(url: string): Promise<void> {
  if (!url.startsWith('https://')) {
    throw new ApiError('invalid', `Only https links open from lessons, not ${url}`);
  }
  requireBackend();
  try {
    await openUrl(url);
  } catch (err) {
    throw toApiError(err);
  }
}

/** How a .csv/.tsv table would import (delimiter, header, first rows, rows left out); imports nothing. */
export function previewTable(path: string): Promise<TablePreview> {
  return call('preview_table', { path });
}

/** The rolling backups of the collection, newest first. */
export function listBackups(): Promise<BackupInfo[]> {
  return call('list_backups');
}

/** Backs the collection up now; answers the backups, newest first. */
export function backUpNow(): Promise<BackupInfo[]> {
  return call('back_up_now');
}

/** Replaces the collection with a backup; answers where the replaced collection was saved. */
export function restoreBackup(path: string): Promise<string | null> {
  return call('restore_backup', { path });
}

/** Imports a pack folder, .zip, Anki .apkg, .csv or .tsv; `onProgress` hears how far it has got. */
export function importFile(path: string, onProgress: (p: ImportProgress) => void): Promise<ImportReport> {
  requireBackend();
  const progress = new Channel<ImportProgress>();
  progress.onmessage = onProgress;
  return call('import_file', { path, progress });
}

/** Stops the running import; it then fails with code `cancelled` and changes nothing. */
export async function cancelImport(): Promise<void> {
  await call('cancel_import');
}

export function getSettings(): Promise<Settings> {
  return call('get_settings');
}

/** Settings to change, by name, each as text read as `reprise config set KEY VALUE` reads it:
 *  numbers ("0.85", "20"), switches "on"/"off", steps ("1m 10m 1h", "none"), choices by name,
 *  "none" for no value. */
export type SettingsPatch = Partial<Record<keyof Settings, string>>;

/** Changes the settings in `patch`; the others stay as stored. The core reads and checks each
 *  value, failing with `invalid` and the setting at fault in `field`. Answers how many review
 *  cards a change of retention or parameters rescheduled. */
export function updateSettings(patch: SettingsPatch): Promise<number> {
  return call('update_settings', { patch });
}

/** Fits FSRS parameters to the review history, adopting them if they predict it better;
 *  `onProgress` hears each stage. Fails with `not_enough_history` when there is too little. */
export function optimize(onProgress: (p: OptimizeProgress) => void): Promise<OptimizeReport> {
  requireBackend();
  const progress = new Channel<OptimizeProgress>();
  progress.onmessage = onProgress;
  return call('optimize', { progress });
}

/** Stops the running optimization; it then fails with code `cancelled` and changes nothing. */
export async function cancelOptimize(): Promise<void> {
  await call('cancel_optimize');
}

/** The workload of the next year at a range of desired retentions; `onProgress(done, total)`
 *  after each retention simulated. */
export function simulateWorkload(onProgress: (done: number, total: number) => void): Promise<Workload> {
  requireBackend();
  const progress = new Channel<[number, number]>();
  progress.onmessage = ([done, total]) => onProgress(done, total);
  return call('simulate_workload', { progress });
}

/** How many review cards are overdue, and until when new cards are paused. */
export function getBacklog(): Promise<Backlog> {
  return call('get_backlog');
}

/** Spreads the overdue cards over `days` days (1 to MAX_SPREAD_DAYS), most at risk first, pausing new cards. */
export function spreadBacklog(days: number): Promise<Spread> {
  return call('spread_backlog', { days });
}

export function listPacks(): Promise<PackInfo[]> {
  return call('list_packs');
}

/** The built-in areas to choose from, each on or off; `setPackEnabled` switches one. */
export function getCurriculum(): Promise<CurriculumArea[]> {
  return call('get_curriculum');
}

export async function setPackEnabled(id: PackId, enabled: boolean): Promise<void> {
  await call('set_pack_enabled', { id, enabled });
}

export async function removePack(id: PackId, keepHistory: boolean): Promise<void> {
  await call('remove_pack', { id, keepHistory });
}

/** Asks the learner for a file (or, with `folder`, a pack folder) to import; null if cancelled. */
export async function pickImport(folder: boolean): Promise<string | null> {
  requireBackend();
  try {
    const picked = await openDialog({
      directory: folder,
      multiple: false,
      title: folder ? 'Import a pack folder' : 'Import a pack, an Anki package or a table',
      filters: folder
        ? undefined
        : [{ name: 'Packs, Anki packages and tables', extensions: ['zip', 'apkg', 'colpkg', 'csv', 'tsv', 'txt'] }],
    });
    return typeof picked === 'string' ? picked : null;
  } catch (err) {
    throw toApiError(err);
  }
}

/** The folder the learner picks to sync through, or null if the dialog is closed without one. */
export async function pickSyncFolder(): Promise<string | null> {
  requireBackend();
  try {
    const picked = await openDialog({ directory: true, multiple: false, title: 'Choose the sync folder' });
    return typeof picked === 'string' ? picked : null;
  } catch (err) {
    throw toApiError(err);
  }
}

/** Calls `onDrop` with the paths of files dropped on the window; returns how to stop. */
export async function onFilesDropped(onDrop: (paths: string[]) => void): Promise<() => void> {
  if (!('__TAURI_INTERNALS__' in window)) return () => {};
  return getCurrentWebview().onDragDropEvent((event) => {
    if (event.payload.type === 'drop') onDrop(event.payload.paths);
  });
}

/** What kinds of things a write to the collection changed, as the backend's CHANGES_EVENT
 *  says after every write. */
export type { Changes };

/** Calls `handler` with what changed after each write to the collection; returns how to stop. */
export async function onCollectionChanged(handler: (changes: Changes) => void): Promise<() => void> {
  if (!('__TAURI_INTERNALS__' in window)) return () => {};
  try {
    return await listen<Changes>(CHANGES_EVENT, (event) => handler(event.payload));
  } catch (err) {
    throw toApiError(err);
  }
}

/** Statistics: the review heatmap, forecast, true retention, card counts, distributions, buttons. */
export function getStats(): Promise<Stats> {
  return call('get_stats');
}

/** The ids of every card matching the browser's query, in its order. */
export function browseCards(query: BrowseQuery): Promise<CardId[]> {
  return call('browse_cards', { query });
}

/** The browser's rows for `ids`, in that order; ids of cards that no longer exist are left out. */
export async function browseRows(ids: CardId[]): Promise<BrowseRow[]> {
  if (ids.length <= MAX_BROWSE_ROWS) return call('browse_rows', { ids });
  // The core reads at most MAX_BROWSE_ROWS at once: ask page by page.
  const pages: Promise<BrowseRow[]>[] = [];
  for (let i = 0; i < ids.length; i += MAX_BROWSE_ROWS) {
    pages.push(call('browse_rows', { ids: ids.slice(i, i + MAX_BROWSE_ROWS) }));
  }
  return (await Promise.all(pages)).flat();
}

/** What the browser's filters can choose from: packs, areas, tags and lessons. */
export function browseFacets(): Promise<BrowseFacets> {
  return call('browse_facets');
}

/** A card's content, memory state, review history and tags, for the browser's detail pane. */
export function getCardDetail(cardId: CardId): Promise<CardDetail> {
  return call('get_card_detail', { cardId });
}

/** Adds a note written in the editor to `pack`: a personal pack's id or name (a name not taken
 *  makes that pack), or null for My cards. One undo step (`add_note`). A draft the core refuses
 *  fails with `invalid` and the draft's field at fault in `field`. */
export function addNote(pack: string | null, draft: NoteDraft): Promise<NoteAdded> {
  return call('add_note', { pack, draft });
}

/** Gives note `noteId` the text of `draft` (of the note's kind); cards added or retired as it
 *  asks. One undo step (`edit_note`). */
export function editNote(noteId: NoteId, draft: NoteDraft): Promise<NoteEdited> {
  return call('edit_note', { noteId, draft });
}

/** Deletes a note: its cards leave study, their reviews stay in the statistics. One undo step
 *  (`delete_note`). Answers how many cards left study. */
export function deleteNote(noteId: NoteId): Promise<number> {
  return call('delete_note', { noteId });
}

/** A note as the editor shows it, with the pack's text of the fields the learner changed. */
export function getNote(noteId: NoteId): Promise<NoteView> {
  return call('get_note', { noteId });
}

/** The cards `draft` would make, as review shows them; refused as addNote would refuse it. */
export function previewNote(pack: string | null, draft: NoteDraft): Promise<CardPreview[]> {
  return call('preview_note', { pack, draft });
}

/** The learner's own packs, which new notes can go to. */
export function personalPacks(): Promise<PersonalPack[]> {
  return call('personal_packs');
}

/** Stores an image pasted or dropped into a note of `pack` (as addNote names it); answers the
 *  path Markdown names it by (`media/mine-….png`). */
export function addImage(pack: string | null, bytes: Uint8Array): Promise<string> {
  return call('add_image', { pack, bytes: Array.from(bytes) });
}

/** Where and with whom this collection syncs; `target` is null while sync is off. */
export function getSyncStatus(): Promise<SyncStatus> {
  return call('get_sync_status');
}

/** What the background sync is doing, and what its last sync did (SYNC_EVENT tells each change). */
export function getSyncActivity(): Promise<SyncActivity> {
  return call('get_sync_activity');
}

/** Starts a sync in the background and answers at once; SYNC_EVENT follows it. */
export async function syncNow(): Promise<void> {
  await call('sync_now');
}

/** Turns sync off; what was recorded is kept for when it comes back on. */
export async function syncOff(): Promise<void> {
  await call('sync_off');
}

/** Turns sync on through `target` (a folder's path, `s3://BUCKET/PREFIX` or
 *  `webdav+https://HOST/PATH`), this device named `name` (null: the computer's name), then
 *  syncs in the background. A target the core refuses fails with `invalid` and field `target`. */
/** Turns sync on through `target`; a server's `secret` (its key) goes to the OS keyring. */
export function setSyncTarget(target: string, name: string | null, secret: SyncSecret | null = null): Promise<SyncStatus> {
  return call('set_sync_target', { target, name, secret });
}

/** Calls `handler` whenever what the background sync is doing changes (SYNC_EVENT); returns how
 *  to stop. */
export async function onSyncActivity(handler: (activity: SyncActivity) => void): Promise<() => void> {
  if (!('__TAURI_INTERNALS__' in window)) return () => {};
  try {
    return await listen<SyncActivity>(SYNC_EVENT, (event) => handler(event.payload));
  } catch (err) {
    throw toApiError(err);
  }
}

/** The app's version and its data folder. */
export function getAbout(): Promise<About> {
  return call('get_about');
}

/** This device's own preferences (zoom, daily reminder), never synced. */
export function getDevicePrefs(): Promise<DevicePrefs> {
  return call('get_device_prefs');
}

/** Saves and applies this device's preferences (the window's zoom at once); one out of range
 *  fails with `invalid` and its field. */
export function setDevicePrefs(prefs: DevicePrefs): Promise<DevicePrefs> {
  return call('set_device_prefs', { prefs });
}

/** Whether Reprise starts when the learner logs in. */
export function getStartAtLogin(): Promise<boolean> {
  return call('get_start_at_login');
}

/** Adds or removes the OS's autostart entry; answers whether it is there now. */
export function setStartAtLogin(on: boolean): Promise<boolean> {
  return call('set_start_at_login', { on });
}
