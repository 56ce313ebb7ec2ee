// A scripted backend at the IPC edge (mockIPC), so tests exercise the real api.ts and components.
// It answers each command from a reply table: by default the real core's recorded replies
// (recorded.ts), else what the test scripts. It holds no rule of the core: what the core does
// with a command is tested against the core itself (src-tauri/tests, tests/).
import { mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import type {
  AnswerOutcome,
  AppError,
  CardState,
  Changes,
  SyncActivity,
  LessonQuestion,
  CardPreview,
  NoteDraft,
  NoteView,
  OptimizeReport,
  Rating,
  StudyCard,
  TermPage,
  UndoOutcome,
} from '../lib/bindings';
import { setClock } from '../lib/clock';
import { CHANGES_EVENT, COMMANDS, SYNC_EVENT } from '../lib/commands';
import { recorded } from './recorded';
import backlog from './recorded/get_backlog.json';

export type Args = Record<string, unknown>;
export type Call = { cmd: string; args: Args };
type Script = { replies: unknown[] } | { reply: (args: Args) => unknown };

/** The learner's "today" when the replies were recorded. */
export const TODAY = '2026-11-25';
/** The clock the replies were recorded at (recorded_replies.rs): noon UTC of TODAY, the same
 *  calendar day in every zone from UTC−11 to UTC+11, so no test depends on its date or zone. */
export const NOW = `${TODAY}T12:00:00Z`;

/** The error of an import or optimization stopped by its cancel command, as the core words it. */
export const CANCELLED: AppError = { code: 'cancelled', message: 'cancelled; nothing was changed' };

/** What each command answers unless a test scripts it: the core's replies on a fresh collection. */
const DEFAULTS: Record<string, () => unknown> = {
  get_clock: () => NOW,
  // No upgrade: the recorded collection is at this version's schema.
  get_upgrade: () => null,
  get_status: recorded.status,
  get_settings: recorded.settings,
  get_backlog: () => structuredClone(backlog),
  list_packs: recorded.packs,
  get_curriculum: recorded.curriculum,
  show_window: () => null,
  browse_facets: recorded.facets,
  get_stats: recorded.stats,
  get_library: recorded.library,
  get_lesson: recorded.lesson,
  get_term: recorded.term,
  next_card: recorded.termCard,
  finish_lesson: recorded.finishLesson,
  get_card_detail: recorded.cardDetail,
  // Sync is off on a fresh collection, and nothing has synced.
  get_sync_status: recorded.syncOff,
  get_device_prefs: () => ({ zoom: 1, reminder: null }),
  get_start_at_login: () => false,
  get_about: () => ({ version: '0.1.0', data_dir: '/home/learner/.local/share/reprise' }),
  // The window's title, set on every change of screen (App.test.ts reads what was set).
  'plugin:window|set_title': () => null,
  // Closing the window for good, once the learner has chosen (App.test.ts, Settings.test.ts).
  'plugin:window|destroy': () => null,
  get_sync_activity: recorded.syncIdle,
  // Nothing has been done on a fresh collection, so there is nothing to undo.
  undo: () => null,
  // Commands that answer nothing; a file dialog closed without a choice answers null too.
  cancel_import: () => null,
  cancel_optimize: () => null,
  set_pack_enabled: () => null,
  remove_pack: () => null,
  sync_now: () => null,
  sync_off: () => null,
  'plugin:opener|open_url': () => null,
  'plugin:dialog|open': () => null,
  // The note editor. A fresh collection has no pack of the learner's yet (My cards is made with
  // the first note). The other replies are made up: a test that reads them scripts its own.
  personal_packs: () => [],
  preview_note: () => [],
  add_note: () => ({ note_id: NOTE_ID, pack: MY_CARDS_PACK, card_ids: [NOTE_ID + 1] }),
  edit_note: () => ({ note_id: NOTE_ID, card_ids: [NOTE_ID + 1], added: [], retired: [] }),
  delete_note: () => 1,
  get_note: () => noteView({ kind: 'basic', front: 'Front', back: 'Back', reverse: false, tags: [], format: 'markdown' }),
  add_image: () => 'media/mine-0123456789abcdef.png',
};

/** What a write changed, as the app's command layer says it after the command (see
 *  every_write_tells_the_ui_what_changed_and_reads_tell_nothing in src-tauri/tests/commands.rs);
 *  null for a read, or a write that changed nothing. */
function changesOf(cmd: string, result: unknown): Partial<Changes> | null {
  switch (cmd) {
    case 'answer_card':
    case 'answer_quiz_card':
      return { cards: true, revlog: true };
    case 'undo':
      return result === null ? null : { cards: true, revlog: true };
    case 'card_action':
      return (result as { changed: number }).changed > 0 ? { cards: true, notes: true } : null;
    case 'update_settings':
      return { settings: true, cards: (result as number) > 0 };
    case 'spread_backlog':
      return { cards: true, settings: true };
    case 'finish_lesson':
      return { lessons: true, cards: true };
    case 'set_pack_enabled':
      return { packs: true, cards: true };
    case 'import_file':
    case 'remove_pack':
      return { cards: true, notes: true, revlog: true, packs: true, lessons: true };
    case 'restore_backup':
      return { cards: true, notes: true, revlog: true, settings: true, packs: true, lessons: true };
    case 'optimize':
      return (result as OptimizeReport).adopted ? { settings: true, cards: true } : null;
    // A note's text and its cards (added, retired); adding one may make the learner's pack.
    case 'add_note':
      return { cards: true, notes: true, packs: true };
    case 'edit_note':
    case 'delete_note':
      return { cards: true, notes: true };
    case 'add_image':
      return { notes: true };
    default:
      return null;
  }
}

const KNOWN: ReadonlySet<string> = new Set<string>(COMMANDS);
/** Commands sent that the backend does not have (see takeStrayCommands). */
const stray: string[] = [];
/** Commands sent with no reply recorded or scripted. */
const unscripted: string[] = [];

/** The commands not in COMMANDS sent since last asked, and forgets them. */
export function takeStrayCommands(): string[] {
  return stray.splice(0);
}

/** The commands sent with no reply recorded or scripted since last asked, and forgets them.
 *  setup.ts fails a test that sent any, or a stray one, even when the page coped with the error. */
export function takeUnscriptedCommands(): string[] {
  return unscripted.splice(0);
}

/** The parts of mockIPC's window.__TAURI_INTERNALS__ used to call back into the page. */
type Internals = { runCallback: (id: number, data: unknown) => void; callbacks: Map<number, unknown> };

function internals(): Internals {
  return (window as unknown as { __TAURI_INTERNALS__: Internals }).__TAURI_INTERNALS__;
}

/** What crosses the IPC boundary is JSON: copy it, so neither side shares objects with the other. */
function viaJson<T>(value: T): T {
  return value === undefined ? (null as T) : (JSON.parse(JSON.stringify(value)) as T);
}

/** The Rust end of a Channel argument: the page sends `__CHANNEL__:<id>` (Channel.toJSON), and
 *  Tauri delivers each message to callback `id` as `{ index, message }`, then `{ index, end }`. */
function channel(value: unknown): { send: (message: unknown) => void; end: () => void } | null {
  const id = Number(/^__CHANNEL__:(\d+)$/.exec(String(value))?.[1]);
  if (!internals().callbacks.has(id)) return null;
  let index = 0;
  return {
    send: (message) => internals().runCallback(id, { index: index++, message: viaJson(message) }),
    end: () => internals().runCallback(id, { index, end: true }),
  };
}

export class Scripted {
  calls: Call[] = [];
  /** Commands that fail with the given AppError, while set. */
  failures = new Map<string, AppError>();
  /** Commands whose reply waits for release(); one with progress waits halfway through it. */
  held = new Set<string>();
  /** Messages sent on a command's `progress` channel before it answers (import_file, optimize,
   *  simulate_workload). */
  progress = new Map<string, unknown[]>();
  /** What a write says it changed, instead of what the app would say for its reply. */
  changes = new Map<string, Partial<Changes> | null>();
  private scripts = new Map<string, Script>();
  private waiting: (() => void)[] = [];
  /** Event listeners (plugin:event|listen): callback id → event name. */
  private listeners = new Map<number, string>();

  constructor() {
    mockIPC((cmd, args) => this.handle(cmd, (args ?? {}) as Args));
    // As the app does at start: "now" is the backend's.
    setClock(NOW);
    // getCurrentWebview() (file drops) reads the window and webview labels.
    mockWindows('main');
  }

  /** Answers `cmd` with these replies in turn, the last one for every call after. */
  reply(cmd: string, ...replies: unknown[]): this {
    if (replies.length === 0) throw new Error(`no reply for ${cmd}`);
    this.scripts.set(cmd, { replies });
    return this;
  }

  /** Answers `cmd` with what `reply` makes of its (JSON) args; it may throw an AppError to fail. */
  replyWith(cmd: string, reply: (args: Args) => unknown): this {
    this.scripts.set(cmd, { reply });
    return this;
  }

  callsTo(cmd: string): Call[] {
    return this.calls.filter((c) => c.cmd === cmd);
  }

  /** Lets every held reply go. */
  release() {
    this.waiting.splice(0).forEach((go) => go());
  }

  /** How many listeners wait for `event` (e.g. 'tauri://drag-drop'). */
  listenersOf(event: string): number {
    return [...this.listeners.values()].filter((e) => e === event).length;
  }

  /** Drops files on the window, as the webview reports it to the drag-drop listeners. */
  dropFiles(paths: string[]) {
    this.emit('tauri://drag-drop', { type: 'drop', paths, position: { x: 10, y: 10 } });
  }

  /** The learner closes the window (the title bar's ×), as Tauri tells the page. */
  requestClose() {
    this.emit('tauri://close-requested', null);
  }

  /** Says `changes` on CHANGES_EVENT (`collection-changed`), the kinds not named false. */
  emitChanges(changes: Partial<Changes>) {
    const none: Changes = { cards: false, notes: false, revlog: false, settings: false, packs: false, lessons: false };
    this.emit(CHANGES_EVENT, { ...none, ...changes });
  }

  /** Says what the background sync is doing on SYNC_EVENT (`sync-activity`), as the shell's
   *  syncer does when a sync starts, goes on and ends. */
  emitSyncActivity(activity: SyncActivity) {
    this.emit(SYNC_EVENT, viaJson(activity));
  }

  private emit(event: string, payload: unknown) {
    for (const [id, name] of this.listeners) if (name === event) internals().runCallback(id, { event, id, payload });
  }

  private async handle(cmd: string, raw: Args): Promise<unknown> {
    if (cmd === 'plugin:event|listen') {
      this.listeners.set(Number(raw.handler), String(raw.event));
      return raw.handler;
    }
    if (cmd === 'plugin:event|unlisten') {
      this.listeners.delete(Number(raw.eventId));
      return null;
    }
    // Only what the real backend answers: a command it does not have fails here as it would there.
    if (!KNOWN.has(cmd) && !cmd.startsWith('plugin:')) {
      stray.push(cmd);
      throw `command ${cmd} not found: it is not in COMMANDS (lib/commands.ts)`;
    }
    const args = viaJson(raw);
    this.calls.push({ cmd, args });
    const progress = channel(args.progress);
    const messages = this.progress.get(cmd) ?? [];
    const half = Math.ceil(messages.length / 2);
    messages.slice(0, half).forEach((m) => progress?.send(m));
    if (this.held.has(cmd)) await new Promise<void>((go) => this.waiting.push(go));
    // A failure (say, CANCELLED, set while held) stops the progress where it is.
    const failure = this.failures.get(cmd);
    if (failure) throw failure;
    messages.slice(half).forEach((m) => progress?.send(m));
    const result = viaJson(await this.answer(cmd, args));
    progress?.end();
    const changes = this.changes.has(cmd) ? this.changes.get(cmd) : changesOf(cmd, result);
    if (changes) this.emitChanges(changes);
    return result;
  }

  private answer(cmd: string, args: Args): unknown {
    const script = this.scripts.get(cmd);
    if (script && 'reply' in script) return script.reply(args);
    if (script) return script.replies.length > 1 ? script.replies.shift() : script.replies[0];
    const fallback = DEFAULTS[cmd];
    if (fallback) return fallback();
    unscripted.push(cmd);
    throw `no reply scripted for ${cmd}`;
  }
}

/** A term card as next_card answers it (the recorded one), with made-up, checkable text. */
export function makeCard(id: number, state: CardState = 'new', fields: Partial<StudyCard> = {}): StudyCard {
  return {
    ...recorded.termCard(),
    card_id: id,
    state,
    retrievability: state === 'new' ? null : 0.87,
    prompt: `Prompt ${id}`,
    answer: `Answer ${id}`,
    detail: `Detail ${id}`,
    detail_html: `<p>Detail <code>${id}</code></p>`,
    intervals: { again: 0.0007, hard: 0.007, good: 1, easy: 3 },
    interval_labels: { again: '1m', hard: '10m', good: '1d', easy: '3d' },
    ...fields,
  };
}

/** The options of a made-up quiz question: True/False, or four lettered options. */
export function optionsFor(kind: LessonQuestion['kind']): string[] {
  return kind === 'true_false' ? ['True', 'False'] : ['Option A', 'Option B', 'Option C', 'Option D'];
}

/** A quiz card as next_card answers it (the recorded one) for lesson "Basics"; `correct` are
 *  its right options (0-based). */
export function makeQuizCard(id: number, correct: number[], kind: LessonQuestion['kind'] = 'single'): StudyCard {
  const options = optionsFor(kind);
  const card = recorded.quizCard();
  return {
    ...makeCard(id, 'new', { counts: card.counts }),
    direction: 'quiz',
    prompt: `Quiz question ${id}?`,
    answer: correct.map((i) => options[i]).join(', '),
    detail: `Because of ${id}.`,
    detail_html: `<p>Because of <em>${id}</em>.</p>`,
    quiz: { kind, options, correct, lesson_key: 'basics', lesson_title: 'Basics' },
  };
}

/** answer_card's (or answer_quiz_card's) reply: card `cardId` rated `rating`, no leech; the
 *  schedule as of a new card's first answer (the UI shows none of it). */
export function answered(cardId: number, rating: Rating, fields: Partial<AnswerOutcome> = {}): AnswerOutcome {
  const due = `${TODAY}T12:10:00Z`;
  return { card_id: cardId, rating, state: 'learning', due, interval_days: 0, leech: false, lapses: 0, ...fields };
}

/** answer_card's reply to `args`: the card rated as asked, no leech. */
export function answeredAsAsked(args: Args): AnswerOutcome {
  return answered(Number(args.cardId), args.rating as Rating);
}

/** undo's reply: `action` undone, bringing back `card` (null for a step about several cards). */
export function undone(action: string, card: StudyCard | null, fields: Partial<UndoOutcome> = {}): UndoOutcome {
  return { action, card_id: card?.card_id ?? null, cards: 1, status: recorded.status(), card, ...fields };
}

/** The learner's own pack new notes go to unless they name another. */
export const MY_CARDS_PACK = 'mine.my-cards';

/** The note of the made-up note replies. */
export const NOTE_ID = 9000;

/** get_note's reply for `draft`: a note of the learner's in My cards, unless `fields` say it is
 *  a pack's (with `pack_draft` and `edited` for one the learner changed). */
export function noteView(draft: NoteDraft, fields: Partial<NoteView> = {}): NoteView {
  const cards = draft.kind === 'basic' && draft.reverse ? 2 : draft.kind === 'term' ? 2 : 1;
  return {
    note_id: NOTE_ID,
    pack: MY_CARDS_PACK,
    pack_name: 'My cards',
    personal: true,
    draft,
    pack_draft: null,
    edited: [],
    card_ids: Array.from({ length: cards }, (_, i) => NOTE_ID + 1 + i),
    ...fields,
  };
}

/** A card of preview_note's reply: a flash card's HTML, or (with `html` false) a term card's text. */
export function cardPreview(template: string, prompt: string, answer: string, html = true): CardPreview {
  return {
    template,
    prompt,
    answer,
    prompt_html: html ? `<p>${prompt}</p>` : null,
    answer_html: html ? `<p>${answer}</p>` : null,
    detail_html: '',
  };
}

/** The pack of every made-up term (and lesson, in Lesson.test.ts). */
export const PACK = 'test.pack';

/** A term page (the recorded one) in PACK, with made-up, checkable text. */
export function makeTerm(key: string, name: string, seeAlso: string[] = []): TermPage {
  const page = recorded.term();
  return {
    ...page,
    pack: PACK,
    key,
    name,
    aliases: [],
    definition: `Definition of ${name}.`,
    explanation_html: `<p>About <code>${key}</code>.</p>`,
    area: 'Testing',
    level: 'beginner',
    lessons: [{ ...page.lessons[0], key: 'basics', title: 'Basics', summary: 'The basics.', best: null }],
    see_also: seeAlso.map((k) => ({
      pack: PACK,
      key: k,
      name: k.toUpperCase(),
      definition: `Definition of ${k}.`,
      level: 'beginner',
    })),
  };
}
