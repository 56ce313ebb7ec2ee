// The only module that talks to the Rust backend. Every failure leaves here as an ApiError.
import { Channel, invoke, type InvokeArgs } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import { open as openDialog } from '@tauri-apps/plugin-dialog';
import { openUrl } from '@tauri-apps/plugin-opener';
import type {
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
  Changes,
  ErrorCode,
  ImportProgress,
  ImportReport,
  LessonPage,
  LibraryArea,
  OptimizeProgress,
  OptimizeReport,
  PackInfo,
  QuizResult,
  Rating,
  SearchHit,
  Settings,
  Spread,
  Stats,
  Status,
  StudyCard,
  TablePreview,
  TermPage,
  UndoOutcome,
  Workload,
} from './bindings';
import { MAX_BROWSE_ROWS } from './bindings';
import { CHANGES_EVENT, type Command } from './commands';

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

/** Every backend call goes through here. `cmd` is typed by the generated command list, so a
 *  misspelt or removed command fails the type-check (api.test.ts checks it at run time too). */
async function call<T>(cmd: Command, args?: InvokeArgs): Promise<T> {
  requireBackend();
  try {
    return await invoke<T>(cmd, args);
  } catch (err) {
    throw toApiError(err);
  }
}

/** The backend's fixed "now" (RFC 3339) when it runs with `--now` or REPRISE_NOW; null when it
 *  follows the system clock. */
export function getClock(): Promise<string | null> {
  return call<string | null>('get_clock');
}

export function getStatus(): Promise<Status> {
  return call<Status>('get_status');
}

export function nextCard(): Promise<StudyCard | null> {
  return call<StudyCard | null>('next_card');
}

export function answerCard(cardId: number, rating: Rating, durationMs: number): Promise<AnswerOutcome> {
  // The backend takes an integer; timers give fractional milliseconds.
  return call<AnswerOutcome>('answer_card', { cardId, rating, durationMs: Math.max(0, Math.round(durationMs)) });
}

/** Takes back the last answer or card action (or backlog spread); null when there is nothing to undo. */
export function undo(): Promise<UndoOutcome | null> {
  return call<UndoOutcome | null>('undo');
}

/** Suspends, unsuspends, buries, resets, sets the due date of or tags cards, as one undoable step. */
export function cardAction(action: CardAction, cardIds: number[]): Promise<ActionReport> {
  return call<ActionReport>('card_action', { action, cardIds });
}

export function search(text: string): Promise<SearchHit[]> {
  return call<SearchHit[]>('search', { text });
}

export function getTerm(pack: string, key: string): Promise<TermPage> {
  return call<TermPage>('get_term', { pack, key });
}

/** Answers a quiz card with the options chosen (0-based). The backend grades it: wrong is
 *  Again whatever `rating` says; right is `rating` (Hard or Easy) or Good when null. */
export function answerQuizCard(
  cardId: number,
  chosen: number[],
  rating: Exclude<Rating, 'again'> | null,
  durationMs: number,
): Promise<AnswerOutcome> {
  return call<AnswerOutcome>('answer_quiz_card', {
    cardId,
    chosen,
    rating,
    durationMs: Math.max(0, Math.round(durationMs)),
  });
}

/** Whether `chosen` (0-based options) answers quiz card `cardId` right, as the core grades it;
 *  records nothing (answerQuizCard does). */
export function checkQuizCard(cardId: number, chosen: number[]): Promise<boolean> {
  return call<boolean>('check_quiz_card', { cardId, chosen });
}

export function getLibrary(): Promise<LibraryArea[]> {
  return call<LibraryArea[]>('get_library');
}

export function getLesson(pack: string, key: string): Promise<LessonPage> {
  return call<LessonPage>('get_lesson', { pack, key });
}

/** Whether `chosen` (0-based options) answers question `question` (0-based) of a lesson's quiz
 *  right, as the core grades it; records nothing (finishLesson does). */
export function checkLessonAnswer(pack: string, key: string, question: number, chosen: number[]): Promise<boolean> {
  return call<boolean>('check_lesson_answer', { pack, key, question, chosen });
}

/** Grades and records a taken quiz; `answers[i]` are the options chosen for question i. */
export function finishLesson(pack: string, key: string, answers: number[][]): Promise<QuizResult> {
  return call<QuizResult>('finish_lesson', { pack, key, answers });
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
  return call<TablePreview>('preview_table', { path });
}

/** The rolling backups of the collection, newest first. */
export function listBackups(): Promise<BackupInfo[]> {
  return call<BackupInfo[]>('list_backups');
}

/** Backs the collection up now; answers the backups, newest first. */
export function backUpNow(): Promise<BackupInfo[]> {
  return call<BackupInfo[]>('back_up_now');
}

/** Replaces the collection with a backup; answers where the replaced collection was saved. */
export function restoreBackup(path: string): Promise<string | null> {
  return call<string | null>('restore_backup', { path });
}

/** Imports a pack folder, .zip, Anki .apkg, .csv or .tsv; `onProgress` hears how far it has got. */
export function importFile(path: string, onProgress: (p: ImportProgress) => void): Promise<ImportReport> {
  requireBackend();
  const progress = new Channel<ImportProgress>();
  progress.onmessage = onProgress;
  return call<ImportReport>('import_file', { path, progress });
}

/** Stops the running import; it then fails with code `cancelled` and changes nothing. */
export function cancelImport(): Promise<void> {
  return call<void>('cancel_import');
}

export function getSettings(): Promise<Settings> {
  return call<Settings>('get_settings');
}

/** Settings to change, by name, each as text read as `reprise config set KEY VALUE` reads it:
 *  numbers ("0.85", "20"), switches "on"/"off", steps ("1m 10m 1h", "none"), choices by name,
 *  "none" for no value. */
export type SettingsPatch = Partial<Record<keyof Settings, string>>;

/** Changes the settings in `patch`; the others stay as stored. The core reads and checks each
 *  value, failing with `invalid` and the setting at fault in `field`. Answers how many review
 *  cards a change of retention or parameters rescheduled. */
export function updateSettings(patch: SettingsPatch): Promise<number> {
  return call<number>('update_settings', { patch });
}

/** Fits FSRS parameters to the review history, adopting them if they predict it better;
 *  `onProgress` hears each stage. Fails with `not_enough_history` when there is too little. */
export function optimize(onProgress: (p: OptimizeProgress) => void): Promise<OptimizeReport> {
  requireBackend();
  const progress = new Channel<OptimizeProgress>();
  progress.onmessage = onProgress;
  return call<OptimizeReport>('optimize', { progress });
}

/** Stops the running optimization; it then fails with code `cancelled` and changes nothing. */
export function cancelOptimize(): Promise<void> {
  return call<void>('cancel_optimize');
}

/** The workload of the next year at a range of desired retentions; `onProgress(done, total)`
 *  after each retention simulated. */
export function simulateWorkload(onProgress: (done: number, total: number) => void): Promise<Workload> {
  requireBackend();
  const progress = new Channel<[number, number]>();
  progress.onmessage = ([done, total]) => onProgress(done, total);
  return call<Workload>('simulate_workload', { progress });
}

/** How many review cards are overdue, and until when new cards are paused. */
export function getBacklog(): Promise<Backlog> {
  return call<Backlog>('get_backlog');
}

/** Spreads the overdue cards over `days` days (1 to MAX_SPREAD_DAYS), most at risk first, pausing new cards. */
export function spreadBacklog(days: number): Promise<Spread> {
  return call<Spread>('spread_backlog', { days });
}

export function listPacks(): Promise<PackInfo[]> {
  return call<PackInfo[]>('list_packs');
}

export function setPackEnabled(id: string, enabled: boolean): Promise<void> {
  return call<void>('set_pack_enabled', { id, enabled });
}

export function removePack(id: string, keepHistory: boolean): Promise<void> {
  return call<void>('remove_pack', { id, keepHistory });
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
  return call<Stats>('get_stats');
}

/** The ids of every card matching the browser's query, in its order. */
export function browseCards(query: BrowseQuery): Promise<number[]> {
  return call<number[]>('browse_cards', { query });
}

/** The browser's rows for `ids`, in that order; ids of cards that no longer exist are left out. */
export async function browseRows(ids: number[]): Promise<BrowseRow[]> {
  if (ids.length <= MAX_BROWSE_ROWS) return call<BrowseRow[]>('browse_rows', { ids });
  // The core reads at most MAX_BROWSE_ROWS at once: ask page by page.
  const pages: Promise<BrowseRow[]>[] = [];
  for (let i = 0; i < ids.length; i += MAX_BROWSE_ROWS) {
    pages.push(call<BrowseRow[]>('browse_rows', { ids: ids.slice(i, i + MAX_BROWSE_ROWS) }));
  }
  return (await Promise.all(pages)).flat();
}

/** What the browser's filters can choose from: packs, areas, tags and lessons. */
export function browseFacets(): Promise<BrowseFacets> {
  return call<BrowseFacets>('browse_facets');
}

/** A card's content, memory state, review history and tags, for the browser's detail pane. */
export function getCardDetail(cardId: number): Promise<CardDetail> {
  return call<CardDetail>('get_card_detail', { cardId });
}
