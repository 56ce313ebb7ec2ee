// A tiny in-memory stand-in for the Rust commands, installed at the IPC edge with mockIPC,
// so tests exercise the real api.ts and components.
import { mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import {
  DEFAULT_SETTINGS,
  MAX_BROWSE_ROWS,
  MAX_SET_DUE_DAYS,
  MAX_SPREAD_DAYS,
  MAX_TAG_CHARS,
  MIN_TRAINING_REVIEWS,
  RETENTIONS,
} from '../lib/bindings';
import { setClock } from '../lib/clock';
import { recorded } from './recorded';
import { CHANGES_EVENT, COMMANDS, type Command } from '../lib/commands';
import type {
  ActionReport,
  AnswerOutcome,
  AppError,
  Changes,
  Backlog,
  BackupInfo,
  BrowseFacets,
  BrowseQuery,
  BrowseRow,
  CardAction,
  CardDetail,
  CardState,
  Evaluation,
  ImportProgress,
  ImportReport,
  LessonPage,
  LessonQuestion,
  LibraryArea,
  OptimizeProgress,
  OptimizeReport,
  PackInfo,
  QuizPrompt,
  QuizResult,
  Rating,
  ReviewEntry,
  SearchHit,
  Settings,
  Skipped,
  Spread,
  Stats,
  Status,
  StudyCard,
  TablePreview,
  TermPage,
  UndoOutcome,
  Workload,
  WorkloadPoint,
} from '../lib/bindings';

export type Call = { cmd: string; args: Record<string, unknown> };
export type FakeCard = Omit<StudyCard, 'counts'>;
export type QuestionKind = QuizPrompt['kind'];

/** The pack every fake term and lesson lives in. */
export const PACK = 'test.pack';
/** When every fake quiz is taken. */
export const TAKEN_AT = '2025-03-01T09:30:00Z';

/** What a studied fake card's retrievability is (new cards have none). */
export const RECALL = 0.87;

export function makeCard(id: number, state: CardState = 'new'): FakeCard {
  return {
    retrievability: state === 'new' ? null : RECALL,
    card_id: id,
    state,
    direction: 'forward',
    prompt: `Prompt ${id}`,
    answer: `Answer ${id}`,
    detail: `Detail ${id}`,
    detail_html: `<p>Detail <code>${id}</code></p>`,
    prompt_html: null,
    answer_html: null,
    intervals: { again: 0.0007, hard: 0.007, good: 1, easy: 3 },
    interval_labels: { again: '1m', hard: '10m', good: '1d', easy: '3d' },
    quiz: null,
  };
}

function invalid(message: string, field?: string): AppError {
  return field === undefined ? { code: 'invalid', message } : { code: 'invalid', message, field };
}

/** The core's grading (check_quiz_card, check_lesson_answer, answer_quiz_card, finish_lesson):
 *  the picks, as a set, are exactly the right options. */
function sameSet(chosen: number[], correct: number[]): boolean {
  const norm = (xs: number[]) => JSON.stringify([...new Set(xs)].sort((a, b) => a - b));
  return norm(chosen) === norm(correct);
}

function isIndexList(value: unknown, count: number): value is number[] {
  return Array.isArray(value) && value.every((i) => Number.isInteger(i) && i >= 0 && i < count);
}

/** The error of an import stopped by cancel_import, as the core words it. */
export const CANCELLED: AppError = { code: 'cancelled', message: 'cancelled; nothing was changed' };

/** A fresh copy of the core's default settings, as get_settings answers them on a fresh collection. */
export function defaultSettings(): Settings {
  return recorded.settings();
}

const KNOWN_COMMANDS: ReadonlySet<string> = new Set(COMMANDS);

/** Whether the real backend answers `cmd`: one of its commands, or a plugin's. */
function isKnownCommand(cmd: string): cmd is Command | `plugin:${string}` {
  return KNOWN_COMMANDS.has(cmd) || cmd.startsWith('plugin:');
}

/** Commands a page sent that the backend does not have (see takeStrayCommands). */
const strayCommands: string[] = [];

/** The commands sent to a fake that are not in COMMANDS since last asked, and forgets them. The
 *  test setup fails any test that sent one: the fake must not answer what the app cannot. */
export function takeStrayCommands(): string[] {
  return strayCommands.splice(0);
}

/** The learner's "today" in the fake. */
export const TODAY = '2026-11-25';
/** The fake's fixed clock: noon UTC of TODAY, the same calendar day in every zone from UTC−11 to
 *  UTC+11, so no test depends on the date or zone it runs in. */
export const NOW = `${TODAY}T12:00:00Z`;

/** What a command's write changed, as the core's `Changes` would say it; null when it changed
 *  nothing (a read, an action that left every card as it was, nothing to undo). */
function changesOf(cmd: string, result: unknown): Partial<Changes> | null {
  switch (cmd) {
    case 'answer_card':
    case 'answer_quiz_card':
      return { cards: true, revlog: true };
    case 'undo':
      return result === null ? null : { cards: true, revlog: true };
    case 'card_action':
      return (result as ActionReport).changed > 0 ? { cards: true, notes: true } : null;
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
    default:
      return null;
  }
}

/** `date` (YYYY-MM-DD) plus `days`. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Where a fake card is: due today, answered today, or set aside by a card action. */
type Place = 'queue' | 'history' | 'suspended' | 'buried' | 'later';

/** One undoable step: the cards it changed as they were before, and settings it changed. */
type Step = {
  action: string;
  /** The card the step was about; null when it was about several. */
  cardId: number | null;
  saved: { card: FakeCard; place: Place; state: CardState; meta?: CardMeta }[];
  /** For a backlog spread: the overdue count and paused date before it. */
  backlog?: { overdue: number; pause_new_until: string | null };
  /** An answer counts in the review log; undoing it takes it out. */
  review?: boolean;
};

/** Whole numbers as serde reads a u32; anything else fails to deserialize, as Tauri reports it. */
function isU32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff;
}

function badArgs(cmd: string, key: string, why: string): string {
  return `invalid args \`${key}\` for command \`${cmd}\`: ${why}`;
}

/** The names each choice setting takes. */
const CHOICES: Partial<Record<keyof Settings, readonly string[]>> = {
  leech_action: ['tag', 'suspend'],
  new_card_order: ['lessons', 'random'],
  review_order: ['due', 'retrievability'],
};

/** Steps as the core reads them, minimally: "1m 10m 1h", "0.1h" (6 minutes), a bare number of
 *  minutes, "none" or nothing. */
function readSteps(key: string, text: string): number[] {
  if (text === '' || text.toLowerCase() === 'none') return [];
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((token) => {
      const match = /^(\d+(?:\.\d+)?)([mh]?)$/i.exec(token);
      const minutes = match ? Math.round(Number(match[1]) * (match[2].toLowerCase() === 'h' ? 60 : 1) * 1e6) / 1e6 : NaN;
      if (!Number.isInteger(minutes)) throw invalid(`${key} cannot be '${text}': '${token}' is not a whole number of minutes`, key);
      return minutes;
    });
}

/** The core's Settings::with_patch, minimally: each key's text read by the setting's type, the
 *  others kept. It reads, it does not judge: a test that needs the core's refusal of a value
 *  (out of range, say) sets it in `failures`. */
function applyPatch(settings: Settings, patch: unknown): Settings {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw badArgs('update_settings', 'patch', `invalid type: ${JSON.stringify(patch)}, expected a map`);
  }
  const next = structuredClone(settings) as Record<string, unknown>;
  for (const [key, raw] of Object.entries(patch)) {
    if (typeof raw !== 'string') throw badArgs('update_settings', 'patch', `invalid type: ${JSON.stringify(raw)}, expected a string`);
    if (!Object.prototype.hasOwnProperty.call(DEFAULT_SETTINGS, key)) throw invalid(`there is no setting '${key}'`, 'key');
    const text = raw.trim();
    const cannot = (why: string) => invalid(`${key} cannot be '${raw}': ${why}`, key);
    const kind = typeof DEFAULT_SETTINGS[key as keyof Settings];
    if (key === 'learning_steps_minutes' || key === 'relearning_steps_minutes') {
      next[key] = readSteps(key, text);
    } else if (key === 'fsrs_parameters') {
      next[key] = text === '' || text.toLowerCase() === 'none' ? [] : text.split(/[\s,]+/).filter(Boolean).map(Number);
    } else if (key === 'pause_new_until') {
      next[key] = text === '' || text.toLowerCase() === 'none' ? null : text;
    } else if (kind === 'boolean') {
      if (!['on', 'off'].includes(text.toLowerCase())) throw cannot('use on or off');
      next[key] = text.toLowerCase() === 'on';
    } else if (kind === 'number') {
      if (text === '' || !Number.isFinite(Number(text))) throw cannot('not a number');
      next[key] = Number(text);
    } else {
      const names = CHOICES[key as keyof Settings] ?? [];
      if (!names.includes(text.toLowerCase())) throw cannot(`choose ${names.join(' or ')}`);
      next[key] = text.toLowerCase();
    }
  }
  return next as Settings;
}

/** Parameters the fake optimizer fits: FSRS-6's 21. */
export const FITTED_PARAMETERS = [
  0.2172, 1.1771, 3.2602, 16.1507, 7.0114, 0.57, 2.0966, 0.0069, 1.5261, 0.112, 1.0178, 1.849, 0.1133, 0.3127, 2.2934,
  0.2191, 3.0004, 0.7536, 0.3332, 0.1437, 0.2,
];

/** The parameters FSRS uses when none are set, as old_parameters reports them. */
export const DEFAULT_PARAMETERS = [
  0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483,
  0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
];

export function makePack(id: string, name: string, notes: number, cards: number, builtin = false): PackInfo {
  return { id, name, version: '1.0.0', enabled: true, builtin, notes, cards };
}

export function makeReport(pack: string, name: string, added: number, skipped: Skipped[] = []): ImportReport {
  return { pack, name, format: 'csv', added, updated: 0, unchanged: 0, new_cards: added * 2, reviews: 0, kept: 0, skipped };
}

/** The parts of mockIPC's window.__TAURI_INTERNALS__ the fake uses to call back into the page. */
type Internals = { runCallback: (id: number, data: unknown) => void; callbacks: Map<number, unknown> };

function internals(): Internals {
  return (window as unknown as { __TAURI_INTERNALS__: Internals }).__TAURI_INTERNALS__;
}

/** The Rust end of a Channel: the page sends `__CHANNEL__:<id>` (Channel.toJSON), and Tauri
 *  delivers each message to the callback `id` as `{ index, message }`, then `{ index, end }`. */
function channel<T>(value: unknown): { send: (message: T) => void; end: () => void } {
  const match = /^__CHANNEL__:(\d+)$/.exec(String(value));
  const id = match ? Number(match[1]) : NaN;
  if (!internals().callbacks.has(id)) throw invalid(`expected a channel, got ${JSON.stringify(value)}`);
  let index = 0;
  return {
    send: (message) => internals().runCallback(id, { index: index++, message: viaJson(message) }),
    end: () => internals().runCallback(id, { index, end: true }),
  };
}

/** What crosses the IPC boundary is JSON: copy it, so neither side shares objects with the other. */
function viaJson<T>(value: T): T {
  return value === undefined ? (null as T) : (JSON.parse(JSON.stringify(value)) as T);
}

/** The browser's and statistics' view of a fake card, beyond what review shows. */
export type CardMeta = {
  pack: string;
  area: string;
  tags: string[];
  /** Lesson keys whose terms or questions the card belongs to. */
  lessons: string[];
  /** RFC 3339; null while new. */
  due: string | null;
  interval_days: number;
  stability: number | null;
  difficulty: number | null;
  lapses: number;
  /** The card's review log, oldest first. */
  reviews: ReviewEntry[];
};

/** A new card has no schedule; a studied one is due at noon today with a day's interval. */
export function defaultMeta(card: FakeCard): CardMeta {
  const studied = card.state !== 'new';
  return {
    pack: PACK,
    area: 'Testing',
    tags: [],
    lessons: [],
    due: studied ? `${TODAY}T12:00:00Z` : null,
    interval_days: studied ? 1 : 0,
    stability: studied ? 2.5 : null,
    difficulty: studied ? 5 : null,
    lapses: 0,
    reviews: [],
  };
}

function cloneMeta(meta: CardMeta): CardMeta {
  return { ...meta, tags: [...meta.tags], lessons: [...meta.lessons], reviews: meta.reviews.map((r) => ({ ...r })) };
}

/** A logged review on `date` (YYYY-MM-DD); the rest as a typical review of a review card. */
export function makeReview(date: string, rating: Rating = 'good', fields: Partial<ReviewEntry> = {}): ReviewEntry {
  return {
    id: `${date}-${rating}-${Math.random().toString(36).slice(2, 8)}`,
    reviewed_at: `${date}T10:00:00Z`,
    rating,
    elapsed_days: 3,
    interval_days: rating === 'again' ? 0.007 : 7,
    duration_ms: 8_000,
    state_before: 'review',
    state_after: rating === 'again' ? 'relearning' : 'review',
    stability_before: 3,
    difficulty_before: 5,
    stability_after: rating === 'again' ? 1.2 : 7.5,
    difficulty_after: 5,
    ...fields,
  };
}

/** A tag is one word of letters, digits, -, _, : or /, as the core checks it. */
const TAG = new RegExp(`^[\\p{L}\\p{N}\\-_:/]{1,${MAX_TAG_CHARS}}$`, 'u');

export class FakeBackend {
  calls: Call[] = [];
  queue: FakeCard[];
  history: FakeCard[] = [];
  nextDue: string | null = null;
  /** The library: term pages by key; search matches names by prefix. */
  terms = new Map<string, TermPage>();
  /** The library overview answered by get_library. */
  library: LibraryArea[] = [];
  /** Lesson pages by lesson key (all in PACK); search matches titles by prefix. */
  lessons = new Map<string, LessonPage>();
  /** Each lesson's quiz cards, kept out of the queue until the lesson is first finished; then
   *  they go to the front of the queue, as the core puts them first among the new cards. */
  lockedQuizCards = new Map<string, FakeCard[]>();
  /** The installed packs, as list_packs answers them. */
  packs: PackInfo[] = [];
  /** The files import_file can take in, by path, and its report for each; any other path fails. */
  importable = new Map<string, ImportReport>();
  /** The rolling backups, newest first; restore_backup takes one of these paths. */
  backups: BackupInfo[] = [];
  /** The paths restore_backup was asked to restore, in order. */
  restored: string[] = [];
  /** What the file dialog (plugin:dialog|open) picks; null as when it is closed without a choice. */
  dialogPath: string | null = null;
  /** Commands that should fail with the given AppError. */
  failures = new Map<string, AppError>();
  /** The stored settings, as get_settings answers them. */
  settings: Settings = defaultSettings();
  /** Cards set aside by card actions (and leeches suspended), by id. */
  aside = new Map<number, { card: FakeCard; place: Exclude<Place, 'queue' | 'history'> }>();
  /** Cards whose next lapse makes them leeches (answer_card with Again reports leech: true). */
  leeches = new Set<number>();
  /** Reviews in the log the optimizer can train on; each answer adds one. */
  reviews = 0;
  /** How the parameters in use and the fitted ones predict the log (lower is better). */
  evaluations: { old: Evaluation; new: Evaluation } = {
    old: { log_loss: 0.3412, rmse_bins: 0.0523 },
    new: { log_loss: 0.3187, rmse_bins: 0.0341 },
  };
  /** Cards the workload simulation counts (studied ones plus new ones to come). */
  workloadCards = 500;
  /** Review cards due before today. */
  overdue = 0;
  /** What the browser and the statistics know of each card beyond what review shows: its pack,
   *  area, tags, schedule and history. A card without an entry has defaultMeta's. */
  meta = new Map<number, CardMeta>();
  /** What get_stats answers: the core's reply on a fresh collection (nothing studied) unless a
   *  test sets its own, derived from that reply. */
  stats: Stats = recorded.stats();
  /** Undoable steps, oldest first. */
  private steps: Step[] = [];
  /** Set by cancel_optimize; the optimizer notices it at its next progress report. */
  private cancelOptimize = false;
  /** Wakes a held optimize, to go on or to notice it was cancelled. */
  private wakeOptimize: (() => void) | null = null;
  /** Commands whose reply is held until release() is called. */
  held = new Set<string>();
  private waiting: (() => void)[] = [];
  /** Set by cancel_import; the running import notices it at its next progress report. */
  private cancelRequested = false;
  /** Wakes a held import_file, to go on or to notice it was cancelled. */
  private wakeImport: (() => void) | null = null;
  /** Event listeners (plugin:event|listen): callback id → event name. */
  private listeners = new Map<number, string>();

  constructor(cards: FakeCard[]) {
    this.queue = [...cards];
    mockIPC((cmd, args) => this.handle(cmd, (args ?? {}) as Record<string, unknown>));
    // As the app does at start: "now" is the backend's.
    setClock(NOW);
    // getCurrentWebview() (file drops) reads the window and webview labels.
    mockWindows('main');
  }

  callsTo(cmd: string): Call[] {
    return this.calls.filter((c) => c.cmd === cmd);
  }

  release() {
    this.waiting.splice(0).forEach((go) => go());
  }

  /** How many listeners wait for `event` (e.g. 'tauri://drag-drop'). */
  listenersOf(event: string): number {
    return [...this.listeners.values()].filter((e) => e === event).length;
  }

  /** Drops files on the window, as the webview reports it to the drag-drop listeners. */
  dropFiles(paths: string[]) {
    for (const [id, event] of this.listeners) {
      if (event === 'tauri://drag-drop') {
        internals().runCallback(id, { event, id, payload: { type: 'drop', paths, position: { x: 10, y: 10 } } });
      }
    }
  }

  /** Adds a lesson page, and the quiz cards its first finish queues. */
  addLesson(page: LessonPage, quizCards: FakeCard[] = []) {
    this.lessons.set(page.summary.key, page);
    if (quizCards.length) this.lockedQuizCards.set(page.summary.key, quizCards);
  }

  status(): Status {
    const count = (s: CardState[]) => this.queue.filter((c) => s.includes(c.state)).length;
    const locked = [...this.lockedQuizCards.values()].reduce((n, cards) => n + cards.length, 0);
    return {
      new: count(['new']),
      learning: count(['learning', 'relearning']),
      review: count(['review']),
      total_cards: this.queue.length + this.history.length + this.aside.size + locked,
      next_due: this.nextDue,
    };
  }

  /** Where card `id` is now; null for a card not in the collection. */
  placeOf(id: number): Place | null {
    if (this.queue.some((c) => c.card_id === id)) return 'queue';
    if (this.history.some((c) => c.card_id === id)) return 'history';
    return this.aside.get(id)?.place ?? null;
  }

  /** The last undoable step's action, or null when there is nothing to undo. */
  lastStep(): string | null {
    return this.steps[this.steps.length - 1]?.action ?? null;
  }

  private find(id: number): FakeCard | undefined {
    return this.queue.find((c) => c.card_id === id) ?? this.history.find((c) => c.card_id === id) ?? this.aside.get(id)?.card;
  }

  /** Moves a card to `place`; back in the queue it goes last, as a card undone or unburied. */
  private move(card: FakeCard, place: Place) {
    this.queue = this.queue.filter((c) => c !== card);
    this.history = this.history.filter((c) => c !== card);
    this.aside.delete(card.card_id);
    if (place === 'queue') this.queue.push(card);
    else if (place === 'history') this.history.push(card);
    else this.aside.set(card.card_id, { card, place });
  }

  private saved(card: FakeCard): Step['saved'][number] {
    const meta = this.meta.get(card.card_id);
    return { card, place: this.placeOf(card.card_id) ?? 'queue', state: card.state, meta: meta && cloneMeta(meta) };
  }

  private studyCard(card: FakeCard): StudyCard {
    const { new: n, learning, review } = this.status();
    return { ...card, counts: { new: n, learning, review } };
  }

  private async handle(cmd: string, args: Record<string, unknown>): Promise<unknown> {
    // Only what the real backend answers: a command the app no longer has (or never had) fails
    // here as it would there, and fails the test (see takeStrayCommands).
    if (!isKnownCommand(cmd)) {
      strayCommands.push(cmd);
      throw `command ${cmd} not found: it is not in COMMANDS (lib/commands.ts)`;
    }
    const result = await this.run(cmd, args);
    // As the app does after every command: say what the write changed, if anything.
    const changes = changesOf(cmd, result);
    if (changes) this.emitChanges(changes);
    return result;
  }

  /** Runs the CHANGES_EVENT (`collection-changed`) listeners with `changes` (the kinds not named are false). */
  emitChanges(changes: Partial<Changes>) {
    const payload: Changes = { cards: false, notes: false, revlog: false, settings: false, packs: false, lessons: false, ...changes };
    for (const [id, event] of this.listeners) {
      if (event === CHANGES_EVENT) internals().runCallback(id, { event, id, payload });
    }
  }

  private async run(cmd: string, args: Record<string, unknown>): Promise<unknown> {
    this.calls.push({ cmd, args: viaJson(args) });
    // These report progress before they can be held: see importFile, optimize and simulate.
    if (cmd === 'import_file') return viaJson(await this.importFile(viaJson(args)));
    if (cmd === 'optimize') return viaJson(await this.optimize(viaJson(args)));
    if (cmd === 'simulate_workload') return viaJson(await this.simulate(viaJson(args)));
    if (this.held.has(cmd)) await new Promise<void>((go) => this.waiting.push(go));
    const failure = this.failures.get(cmd);
    if (failure) throw failure;
    return viaJson(this.answer(cmd, viaJson(args)));
  }

  /** Like the core: a progress report, then a look at whether to stop, at every step. Held, it
   *  waits after saving half the notes, so a test can see the progress and cancel. */
  private async importFile(args: Record<string, unknown>): Promise<ImportReport> {
    const path = String(args.path);
    const progress = channel<ImportProgress>(args.progress);
    this.cancelRequested = false;
    const step = (stage: ImportProgress['stage'], done: number, total: number) => {
      progress.send({ stage, done, total });
      if (this.cancelRequested) throw CANCELLED;
    };

    step('reading', 0, 0);
    const failure = this.failures.get('import_file');
    if (failure) throw failure;
    const report = this.importable.get(path);
    if (!report) throw { code: 'import', message: `cannot import ${path}: no such file or directory — nothing was imported` } satisfies AppError;
    if (this.packs.some((p) => p.builtin && p.id === report.pack)) {
      throw { code: 'import', message: `cannot import ${path}: '${report.pack}' is the built-in pack — nothing was imported` } satisfies AppError;
    }
    const total = report.added + report.updated + report.unchanged;
    step('saving', 0, total);
    step('saving', Math.floor(total / 2), total);
    if (this.held.has('import_file')) {
      await new Promise<void>((go) => {
        this.wakeImport = go;
        this.waiting.push(go);
      });
      this.wakeImport = null;
      if (this.cancelRequested) throw CANCELLED;
    }
    step('saving', total, total);
    step('done', total, total);
    progress.end();

    const installed = this.packs.find((p) => p.id === report.pack);
    if (installed) {
      installed.name = report.name;
      installed.notes += report.added;
      installed.cards += report.new_cards;
    } else {
      this.packs.push(makePack(report.pack, report.name, total, report.new_cards));
    }
    return report;
  }

  /** Like the core: reading, training (held halfway when `optimize` is held, so a test can see
   *  the progress and cancel), evaluating, and saving if the fitted parameters are better. */
  private async optimize(args: Record<string, unknown>): Promise<OptimizeReport> {
    const progress = channel<OptimizeProgress>(args.progress);
    this.cancelOptimize = false;
    const step = (stage: string, done: number, total: number) => {
      progress.send({ stage, done, total });
      if (this.cancelOptimize) throw CANCELLED;
    };
    step('reading', 0, 0);
    const failure = this.failures.get('optimize');
    if (failure) throw failure;
    if (this.reviews < MIN_TRAINING_REVIEWS) {
      throw {
        code: 'not_enough_history',
        message:
          `not enough review history to optimize: ${this.reviews} reviews of cards answered on an earlier day, and the ` +
          `optimizer needs ${MIN_TRAINING_REVIEWS}; about ${MIN_TRAINING_REVIEWS - this.reviews} more are needed (keep ` +
          'reviewing for a few weeks) — your parameters were not changed',
      } satisfies AppError;
    }
    const epochs = 10;
    for (let done = 0; done <= epochs; done++) {
      step('training', done, epochs);
      if (done === epochs / 2 && this.held.has('optimize')) {
        await new Promise<void>((go) => {
          this.wakeOptimize = go;
          this.waiting.push(go);
        });
        this.wakeOptimize = null;
        if (this.cancelOptimize) throw CANCELLED;
      }
    }
    step('evaluating', 0, 2);
    step('evaluating', 1, 2);
    step('evaluating', 2, 2);
    const { old, new: fitted } = this.evaluations;
    const adopted = fitted.log_loss < old.log_loss;
    const oldParameters = this.settings.fsrs_parameters.length ? this.settings.fsrs_parameters : DEFAULT_PARAMETERS;
    let rescheduled = 0;
    if (adopted) {
      step('saving', 0, 1);
      this.settings = { ...this.settings, fsrs_parameters: [...FITTED_PARAMETERS] };
      rescheduled = this.reviewCards();
    }
    progress.end();
    return {
      reviews: this.reviews,
      cards: Math.ceil(this.reviews / 6),
      old,
      new: fitted,
      old_parameters: [...oldParameters],
      new_parameters: [...FITTED_PARAMETERS],
      adopted,
      rescheduled,
    };
  }

  /** Like the core: a point per retention in RETENTIONS, progress after each; held halfway. */
  private async simulate(args: Record<string, unknown>): Promise<Workload> {
    const progress = channel<[number, number]>(args.progress);
    const failure = this.failures.get('simulate_workload');
    if (failure) throw failure;
    const cards = this.workloadCards;
    const points: WorkloadPoint[] = [];
    for (const [i, r] of RETENTIONS.entries()) {
      // More retention costs ever more reviews (about 1/(1-r)) and keeps more cards in memory.
      const reviews = cards ? Math.round((this.settings.new_per_day + (cards / 40) * (0.1 / (1 - r))) * 10) / 10 : 0;
      points.push({
        desired_retention: r,
        reviews_per_day: reviews,
        minutes_per_day: Math.round(((reviews * 8) / 60) * 10) / 10,
        memorized: cards ? Math.round(cards * (0.55 + 0.4 * r)) : 0,
      });
      progress.send([i + 1, RETENTIONS.length]);
      if (i === RETENTIONS.length / 2 - 1 && this.held.has('simulate_workload')) {
        await new Promise<void>((go) => this.waiting.push(go));
      }
    }
    progress.end();
    return { days: 365, cards, new_per_day: this.settings.new_per_day, points };
  }

  /** Overdue cards once something reschedules (a new retention, adopted parameters). */
  overdueAfterReschedule: number | null = null;

  /** Review cards, as the core counts those a new retention or parameters reschedule; the
   *  overdue count follows `overdueAfterReschedule` when set. */
  private reviewCards(): number {
    if (this.overdueAfterReschedule !== null) this.overdue = this.overdueAfterReschedule;
    return [...this.queue, ...this.history, ...[...this.aside.values()].map((a) => a.card)].filter((c) => c.state === 'review')
      .length;
  }

  private updateSettings(args: Record<string, unknown>): number {
    const next = applyPatch(this.settings, args.patch);
    const before = this.settings;
    this.settings = next;
    const rescheduling =
      Math.fround(next.desired_retention) !== Math.fround(before.desired_retention) ||
      JSON.stringify(next.fsrs_parameters) !== JSON.stringify(before.fsrs_parameters);
    return rescheduling ? this.reviewCards() : 0;
  }

  /** The core's card actions: cards they would not change are left out; one undo step. */
  private cardAction(args: Record<string, unknown>): ActionReport {
    const action = args.action as CardAction;
    const kinds = ['suspend', 'unsuspend', 'bury', 'reset', 'set_due', 'tag', 'untag'];
    if (typeof action !== 'object' || action === null || !kinds.includes(action.kind)) {
      throw badArgs('card_action', 'action', `expected internally tagged enum CardAction, got ${JSON.stringify(action)}`);
    }
    if (action.kind === 'set_due' && !isU32(action.days)) {
      throw badArgs('card_action', 'action', `invalid type: ${JSON.stringify(action.days)}, expected u32`);
    }
    if (!Array.isArray(args.cardIds) || !args.cardIds.every((id) => Number.isInteger(id))) {
      throw badArgs('card_action', 'cardIds', `expected a sequence of i64, got ${JSON.stringify(args.cardIds)}`);
    }
    if (action.kind === 'tag') return this.tagCards(args.cardIds as number[], action.tag, true);
    if (action.kind === 'untag') return this.tagCards(args.cardIds as number[], action.tag, false);
    if (action.kind === 'set_due' && action.days > MAX_SET_DUE_DAYS) {
      throw invalid(`a due date ${action.days} days away is too far; choose 0 (today) to ${MAX_SET_DUE_DAYS}`);
    }
    const targets: FakeCard[] = [];
    let newCards = 0;
    for (const id of args.cardIds as number[]) {
      const card = this.find(id);
      if (!card) throw { code: 'not_found', message: `no card with id ${id}; \`reprise next\` shows a card that exists` } satisfies AppError;
      const place = this.placeOf(id);
      const applies = {
        suspend: place !== 'suspended',
        unsuspend: place === 'suspended',
        bury: place !== 'buried' && place !== 'suspended',
        reset: card.state !== 'new',
        set_due: true,
      }[action.kind];
      // Like the core: new cards are left out of a due date, and refused only when all are new.
      if (action.kind === 'set_due' && card.state === 'new') {
        newCards += 1;
        continue;
      }
      if (applies) targets.push(card);
    }
    if (targets.length === 0 && newCards > 0) {
      const ids = args.cardIds as number[];
      const which = ids.length === 1 ? `card ${ids[0]} is new and has` : 'these cards are new and have';
      throw invalid(`${which} no schedule to move; study them first, or leave them to come up with the new cards`);
    }
    if (targets.length === 0) return { action: action.kind, changed: 0 };
    this.steps.push({
      action: action.kind,
      cardId: targets.length === 1 ? targets[0].card_id : null,
      saved: targets.map((c) => this.saved(c)),
    });
    for (const card of targets) {
      switch (action.kind) {
        case 'suspend':
          this.move(card, 'suspended');
          break;
        case 'unsuspend':
          this.move(card, 'queue');
          break;
        case 'bury':
          this.move(card, 'buried');
          break;
        case 'reset':
          card.state = 'new';
          card.retrievability = null;
          Object.assign(this.editMeta(card), { due: null, interval_days: 0, stability: null, difficulty: null, lapses: 0 });
          this.move(card, 'queue');
          break;
        case 'set_due':
          card.state = 'review';
          this.editMeta(card).due = `${addDays(TODAY, action.days)}T04:00:00Z`;
          this.move(card, action.days === 0 ? 'queue' : 'later');
          break;
      }
    }
    return { action: action.kind, changed: targets.length };
  }

  private undo(): UndoOutcome | null {
    const step = this.steps.pop();
    if (!step) return null;
    for (const { card, place, state, meta } of step.saved) {
      card.state = state;
      if (meta) this.meta.set(card.card_id, meta);
      else this.meta.delete(card.card_id);
      if (state !== 'new' && card.retrievability === null) card.retrievability = RECALL;
      this.move(card, place);
    }
    if (step.backlog) {
      this.overdue = step.backlog.overdue;
      this.settings = { ...this.settings, pause_new_until: step.backlog.pause_new_until };
    }
    if (step.review) this.reviews -= 1;
    const card = step.cardId === null ? undefined : this.queue.find((c) => c.card_id === step.cardId);
    return {
      action: step.action,
      card_id: step.cardId,
      cards: step.backlog ? step.backlog.overdue : step.saved.length,
      status: this.status(),
      card: card ? this.studyCard(card) : null,
    };
  }

  private backlog(): Backlog {
    const until = this.settings.pause_new_until;
    return { overdue: this.overdue, new_paused_until: until !== null && until > TODAY ? until : null };
  }

  private spreadBacklog(args: Record<string, unknown>): Spread {
    const days = args.days;
    if (!isU32(days)) throw badArgs('spread_backlog', 'days', `invalid type: ${JSON.stringify(days)}, expected u32`);
    if (days < 1 || days > MAX_SPREAD_DAYS) {
      throw invalid(`the backlog can be spread over 1 to ${MAX_SPREAD_DAYS} days, not ${days}`);
    }
    if (this.overdue === 0) throw invalid('there is no backlog to spread: no review card is overdue');
    this.steps.push({
      action: 'spread_backlog',
      cardId: null,
      saved: [],
      backlog: { overdue: this.overdue, pause_new_until: this.settings.pause_new_until },
    });
    const cards = this.overdue;
    const until = addDays(TODAY, days);
    this.overdue = 0;
    this.settings = { ...this.settings, pause_new_until: until };
    return { cards, days, new_paused_until: until };
  }

  private pack(id: unknown): PackInfo {
    const pack = this.packs.find((p) => p.id === id);
    if (!pack) throw invalid(`no pack '${String(id)}' in the collection`);
    return pack;
  }

  private lesson(args: Record<string, unknown>): LessonPage {
    const page = args.pack === PACK ? this.lessons.get(String(args.key)) : undefined;
    if (!page) throw invalid(`no lesson '${String(args.key)}' in pack '${String(args.pack)}'`);
    return page;
  }

  /** Takes an answered card out of the queue (undo brings it back). */
  private take(cardId: unknown): FakeCard {
    const index = this.queue.findIndex((c) => c.card_id === cardId);
    if (index < 0) throw { code: 'not_found', message: `No card ${String(cardId)}` } satisfies AppError;
    return this.queue[index];
  }

  private record(card: FakeCard, rating: Rating, right: boolean): AnswerOutcome {
    this.steps.push({ action: 'answer', cardId: card.card_id, saved: [this.saved(card)], review: true });
    this.reviews += 1;
    const leech = rating === 'again' && this.leeches.has(card.card_id);
    this.move(card, leech && this.settings.leech_action === 'suspend' ? 'suspended' : 'history');
    return {
      card_id: card.card_id,
      rating,
      state: right ? 'review' : 'learning',
      due: '',
      interval_days: right ? 1 : 0,
      leech,
      lapses: leech ? this.settings.leech_threshold : 0,
    };
  }

  private answer(cmd: string, args: Record<string, unknown>): unknown {
    switch (cmd) {
      case 'get_status':
        return this.status();
      case 'get_clock':
        return NOW;
      case 'preview_table': {
        const path = String(args.path);
        const report = this.importable.get(path);
        if (!report) throw { code: 'import', message: `cannot import ${path}: no such file or directory — nothing was imported` } satisfies AppError;
        const terms = report.added + report.updated + report.unchanged;
        return {
          pack: report.pack,
          name: report.name,
          delimiter: path.endsWith('.tsv') ? 'tab' : ';',
          header: false,
          terms,
          sample: Array.from({ length: Math.min(terms, 8) }, (_, i) => ({ term: `term ${i}`, definition: `definition ${i}`, tags: [] })),
          skipped: report.skipped,
        } satisfies TablePreview;
      }
      case 'list_backups':
        return this.backups;
      case 'back_up_now': {
        const created = `2026-11-25T1${this.backups.length}:00:00Z`;
        this.backups.unshift({ path: `/data/backups/reprise-${this.backups.length}.sqlite3`, created, bytes: 812_400 });
        return this.backups;
      }
      case 'restore_backup': {
        const path = String(args.path);
        if (!this.backups.some((b) => b.path === path)) throw { code: 'import', message: `cannot import ${path}: it is not a usable Reprise backup` } satisfies AppError;
        this.restored.push(path);
        return '/data/backups/reprise-before-restore.sqlite3';
      }
      case 'next_card': {
        const head = this.queue[0];
        return head ? this.studyCard(head) : null;
      }
      case 'answer_card': {
        const card = this.take(args.cardId);
        if (card.quiz) throw invalid(`card ${card.card_id} is a quiz question: answer it by choosing options`);
        return this.record(card, args.rating as Rating, args.rating !== 'again');
      }
      case 'answer_quiz_card': {
        const card = this.take(args.cardId);
        const quiz = card.quiz;
        if (!quiz) throw invalid(`card ${card.card_id} is not a quiz question`);
        if (!isIndexList(args.chosen, quiz.options.length) || args.chosen.length === 0) {
          throw invalid(`bad choice ${JSON.stringify(args.chosen)} for card ${card.card_id}`);
        }
        if (!Number.isInteger(args.durationMs)) throw invalid('durationMs must be an integer');
        const requested = args.rating as Rating | null | undefined;
        if (!sameSet(args.chosen, quiz.correct)) return this.record(card, 'again', false);
        if (requested === 'again') throw invalid('a right answer is rated hard, good or easy');
        return this.record(card, requested ?? 'good', true);
      }
      case 'check_quiz_card': {
        const card = typeof args.cardId === 'number' ? this.find(args.cardId) : undefined;
        if (!card) throw { code: 'not_found', message: `no card with id ${String(args.cardId)}` } satisfies AppError;
        if (!card.quiz) throw invalid(`card ${card.card_id} is not a quiz question`);
        if (!isIndexList(args.chosen, card.quiz.options.length)) {
          throw invalid(`bad choice ${JSON.stringify(args.chosen)} for card ${card.card_id}`);
        }
        return sameSet(args.chosen, card.quiz.correct);
      }
      case 'check_lesson_answer': {
        const page = this.lesson(args);
        const question = Number.isInteger(args.question) ? page.questions[args.question as number] : undefined;
        if (!question) throw invalid(`lesson '${page.summary.key}' has no question ${JSON.stringify(args.question)}`);
        if (!isIndexList(args.chosen, question.options.length)) throw invalid(`question ${Number(args.question) + 1} has no such option`);
        return sameSet(args.chosen, question.correct);
      }
      case 'undo':
        // A card comes back at the end of the queue: the UI must show the card undo returns,
        // not whatever is next.
        return this.undo();
      case 'get_settings':
        return this.settings;
      case 'update_settings':
        return this.updateSettings(args);
      case 'card_action':
        return this.cardAction(args);
      case 'cancel_optimize':
        this.cancelOptimize = true;
        this.wakeOptimize?.();
        return null;
      case 'get_backlog':
        return this.backlog();
      case 'get_stats':
        return this.stats;
      case 'browse_cards':
        return this.browse(args.query as BrowseQuery);
      case 'browse_rows':
        return this.browseRows(args.ids);
      case 'browse_facets':
        return this.facets();
      case 'get_card_detail':
        return this.cardDetail(args.cardId);
      case 'spread_backlog':
        return this.spreadBacklog(args);
      case 'search': {
        const text = String(args.text).toLowerCase();
        const terms = [...this.terms.values()]
          .filter((t) => t.name.toLowerCase().startsWith(text))
          .map((t) => ({ kind: 'term', pack: t.pack, key: t.key, title: t.name, snippet: t.definition }) satisfies SearchHit);
        const lessons = [...this.lessons.values()]
          .filter((l) => l.summary.title.toLowerCase().startsWith(text))
          .map(
            (l) =>
              ({ kind: 'lesson', pack: PACK, key: l.summary.key, title: l.summary.title, snippet: l.summary.summary }) satisfies SearchHit,
          );
        return [...terms, ...lessons];
      }
      case 'get_term': {
        const page = this.terms.get(String(args.key));
        if (!page) throw invalid(`no term '${String(args.key)}'`);
        return page;
      }
      case 'get_library':
        return this.library;
      case 'get_lesson':
        return this.lesson(args);
      case 'finish_lesson':
        return this.finishLesson(args);
      case 'plugin:opener|open_url':
        return null;
      case 'list_packs':
        return this.packs;
      case 'set_pack_enabled': {
        const pack = this.pack(args.id);
        if (typeof args.enabled !== 'boolean') throw invalid(`enabled must be true or false, not ${JSON.stringify(args.enabled)}`);
        pack.enabled = args.enabled;
        return null;
      }
      case 'remove_pack': {
        const pack = this.pack(args.id);
        if (typeof args.keepHistory !== 'boolean') {
          throw invalid(`keepHistory must be true or false, not ${JSON.stringify(args.keepHistory)}`);
        }
        if (pack.builtin) throw invalid(`'${pack.id}' is the built-in pack and comes back with every start; disable it instead`);
        this.packs.splice(this.packs.indexOf(pack), 1);
        return null;
      }
      case 'cancel_import':
        this.cancelRequested = true;
        this.wakeImport?.();
        return null;
      case 'plugin:dialog|open':
        return this.dialogPath;
      case 'plugin:event|listen':
        this.listeners.set(Number(args.handler), String(args.event));
        return args.handler;
      case 'plugin:event|unlisten':
        this.listeners.delete(Number(args.eventId));
        return null;
      default:
        throw `command ${cmd} not found`;
    }
  }

  /** Adds `count` new cards with ids from `firstId` on, as a big collection for the browser. */
  addCards(count: number, firstId = 1): FakeCard[] {
    const added = Array.from({ length: count }, (_, i) => makeCard(firstId + i));
    for (const card of added) this.queue.push(card);
    return added;
  }

  /** Sets part of card `id`'s browser and statistics metadata. */
  setMeta(id: number, fields: Partial<CardMeta>) {
    const card = this.find(id);
    if (!card) throw new Error(`no fake card ${id}`);
    Object.assign(this.editMeta(card), fields);
  }

  metaOf(card: FakeCard): CardMeta {
    return this.meta.get(card.card_id) ?? defaultMeta(card);
  }

  private editMeta(card: FakeCard): CardMeta {
    let meta = this.meta.get(card.card_id);
    if (!meta) {
      meta = defaultMeta(card);
      this.meta.set(card.card_id, meta);
    }
    return meta;
  }

  /** Every card in the collection, with where it is. */
  private everyCard(): { card: FakeCard; place: Place }[] {
    return [
      ...this.queue.map((card) => ({ card, place: 'queue' as Place })),
      ...this.history.map((card) => ({ card, place: 'history' as Place })),
      ...[...this.aside.values()].map(({ card, place }) => ({ card, place: place as Place })),
    ];
  }

  /** The core's browse: filters, then the sort (cards without the value last), then by id. */
  private browse(q: BrowseQuery): number[] {
    if (typeof q !== 'object' || q === null) throw badArgs('browse_cards', 'query', 'expected struct BrowseQuery');
    const words = q.text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
    const tomorrow = `${addDays(TODAY, 1)}T00:00:00Z`;
    const todayStart = `${TODAY}T00:00:00Z`;
    const found = this.everyCard().filter(({ card, place }) => {
      const meta = this.metaOf(card);
      if (words.length) {
        const text = `${card.prompt} ${card.answer} ${card.detail}`.toLowerCase().split(/[^\p{L}\p{N}]+/u);
        if (!words.every((w) => text.some((t) => t.startsWith(w)))) return false;
      }
      if (q.state !== null && card.state !== q.state) return false;
      if (q.due === 'today' && !(card.state !== 'new' && meta.due !== null && meta.due < tomorrow)) return false;
      if (q.due === 'overdue' && !(card.state === 'review' && meta.due !== null && meta.due < todayStart)) return false;
      if (q.suspended !== null && (place === 'suspended') !== q.suspended) return false;
      if (q.leech && !meta.tags.includes('leech')) return false;
      if (q.area !== null && meta.area !== q.area) return false;
      if (q.pack !== null && meta.pack !== q.pack) return false;
      if (q.tag !== null && !meta.tags.includes(q.tag)) return false;
      if (q.lesson !== null && !meta.lessons.includes(q.lesson)) return false;
      return true;
    });
    const key = ({ card }: { card: FakeCard }): number | string | null => {
      const meta = this.metaOf(card);
      switch (q.sort) {
        case 'added':
          return `${meta.pack}\u0000${String(card.card_id).padStart(12, '0')}`;
        case 'due':
          return meta.due === null ? null : Date.parse(meta.due);
        case 'interval':
          return card.state === 'new' ? null : meta.interval_days;
        case 'stability':
          return meta.stability;
        case 'difficulty':
          return meta.difficulty;
        case 'retrievability':
          return card.retrievability;
        case 'lapses':
          return meta.lapses;
        case 'reviews':
          return meta.reviews.length;
        default:
          throw badArgs('browse_cards', 'query', `unknown variant \`${String(q.sort)}\``);
      }
    };
    const keyed = found.map((entry) => ({ id: entry.card.card_id, key: key(entry) }));
    const sign = q.descending ? -1 : 1;
    keyed.sort((a, b) => {
      if (a.key === null || b.key === null) {
        if (a.key !== b.key) return a.key === null ? 1 : -1;
      } else if (a.key !== b.key) {
        return (a.key < b.key ? -1 : 1) * sign;
      }
      return a.id - b.id;
    });
    return keyed.map((k) => k.id);
  }

  private browseRows(ids: unknown): BrowseRow[] {
    if (!Array.isArray(ids) || !ids.every((id) => Number.isInteger(id))) {
      throw badArgs('browse_rows', 'ids', `expected a sequence of i64, got ${JSON.stringify(ids)}`);
    }
    if (ids.length > MAX_BROWSE_ROWS) {
      throw invalid(`asked for ${ids.length} rows at once; read them in pages of at most ${MAX_BROWSE_ROWS}`);
    }
    const wanted = new Set<number>(ids);
    const found = new Map<number, BrowseRow>();
    for (const { card, place } of this.everyCard()) {
      if (!wanted.has(card.card_id)) continue;
      const meta = this.metaOf(card);
      found.set(card.card_id, {
        card_id: card.card_id,
        note_id: card.card_id,
        prompt: card.prompt,
        answer: card.answer,
        direction: card.direction,
        pack: meta.pack,
        area: meta.area,
        state: card.state,
        due: meta.due,
        interval_days: meta.interval_days,
        stability: meta.stability,
        difficulty: meta.difficulty,
        retrievability: card.retrievability,
        lapses: meta.lapses,
        reviews: meta.reviews.length,
        suspended: place === 'suspended',
        buried: place === 'buried',
        leech: meta.tags.includes('leech'),
      });
    }
    return (ids as number[]).flatMap((id) => found.get(id) ?? []);
  }

  private facets(): BrowseFacets {
    const metas = this.everyCard().map(({ card }) => this.metaOf(card));
    const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
    const packs = new Map(this.packs.map((p) => [p.id, p.name]));
    for (const m of metas) if (!packs.has(m.pack)) packs.set(m.pack, m.pack);
    const lessons = new Map([...this.lessons.values()].map((l) => [l.summary.key, l.summary.title]));
    for (const m of metas) for (const key of m.lessons) if (!lessons.has(key)) lessons.set(key, lessonTitle(key));
    return {
      packs: [...packs].sort((a, b) => a[1].localeCompare(b[1])),
      areas: sorted(metas.map((m) => m.area).filter(Boolean)),
      tags: sorted(metas.flatMap((m) => m.tags)),
      lessons: [...lessons],
    };
  }

  private cardDetail(cardId: unknown): CardDetail {
    const card = typeof cardId === 'number' ? this.find(cardId) : undefined;
    if (!card) throw { code: 'not_found', message: `no card with id ${String(cardId)}` } satisfies AppError;
    const meta = this.metaOf(card);
    const last = meta.reviews[meta.reviews.length - 1];
    return {
      card: this.studyCard(card),
      info: {
        card_id: card.card_id,
        note_id: card.card_id,
        direction: card.direction,
        prompt: card.prompt,
        answer: card.answer,
        state: card.state,
        stability: meta.stability,
        difficulty: meta.difficulty,
        retrievability: card.retrievability,
        due: meta.due,
        interval_days: meta.interval_days,
        reps: meta.reviews.length,
        lapses: meta.lapses,
        last_review: last ? last.reviewed_at : null,
        reviews: meta.reviews,
      },
      tags: [...meta.tags].sort(),
    };
  }

  /** The core's tag action: checks the tag, tags each card's note (here, the card) once; one
   *  undo step naming every card; answers how many got the tag. */
  private tagCards(ids: number[], tag: unknown, add: boolean): ActionReport {
    const trimmed = String(tag ?? '').trim();
    if (!TAG.test(trimmed)) {
      throw invalid(`'${trimmed}' is not a tag; use one word of letters, digits, -, _, : or / (at most ${MAX_TAG_CHARS})`);
    }
    const cards = ids.map((id) => {
      const card = this.find(id);
      if (!card) throw { code: 'not_found', message: `no card with id ${id}; \`reprise next\` shows a card that exists` } satisfies AppError;
      return card;
    });
    const name = add ? 'tag' : 'untag';
    this.steps.push({ action: name, cardId: ids.length === 1 ? ids[0] : null, saved: cards.map((c) => this.saved(c)) });
    let changed = 0;
    for (const card of cards) {
      const meta = this.editMeta(card);
      const has = meta.tags.includes(trimmed);
      if (add && !has) {
        meta.tags.push(trimmed);
        changed += 1;
      } else if (!add && has) {
        meta.tags = meta.tags.filter((t) => t !== trimmed);
        changed += 1;
      }
    }
    return { action: name, changed };
  }

  private finishLesson(args: Record<string, unknown>): QuizResult {
    const page = this.lesson(args);
    const key = page.summary.key;
    const answers = args.answers;
    if (!Array.isArray(answers) || answers.length !== page.questions.length) {
      throw invalid(`lesson '${key}' has ${page.questions.length} questions; answer every question`);
    }
    const right = page.questions.map((q, i) => {
      if (!isIndexList(answers[i], q.options.length)) throw invalid(`question ${i + 1} has no such option`);
      return sameSet(answers[i] as number[], q.correct);
    });
    const score = { correct: right.filter(Boolean).length, total: right.length, taken_at: TAKEN_AT };

    page.attempts += 1;
    const best = page.summary.best;
    if (!best || score.correct / score.total > best.correct / best.total) {
      page.summary.best = score;
      for (const area of this.library) {
        for (const lesson of area.lessons) if (lesson.key === key) lesson.best = score;
      }
    }
    // The first finish unlocks the quiz cards, ahead of everything else.
    const unlocked = this.lockedQuizCards.get(key) ?? [];
    this.lockedQuizCards.delete(key);
    this.queue.unshift(...unlocked);
    return { score, right, cards_queued: unlocked.length };
  }
}

export function makeTerm(key: string, name: string, seeAlso: string[] = []): TermPage {
  return {
    pack: PACK,
    key,
    name,
    aliases: [],
    definition: `Definition of ${name}.`,
    explanation_html: `<p>About <code>${key}</code>.</p>`,
    area: 'Testing',
    level: 'beginner',
    lessons: [{ key: 'basics', title: 'Basics', summary: 'The basics.', level: 'beginner', tags: ['intro'], best: null }],
    see_also: seeAlso.map((k) => ({
      key: k,
      name: k.toUpperCase(),
      definition: `Definition of ${k}.`,
      level: 'beginner' as const,
    })),
  };
}

/** The options of a fake question: True/False, or four lettered options. */
export function optionsFor(kind: QuestionKind): string[] {
  return kind === 'true_false' ? ['True', 'False'] : ['Option A', 'Option B', 'Option C', 'Option D'];
}

/** "basics" → "Basics", "rolling-updates" → "Rolling updates". */
export function lessonTitle(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1).replace(/-/g, ' ');
}

/** A quiz card for a lesson question; `correct` are its right options (0-based). */
export function makeQuizCard(id: number, correct: number[], kind: QuestionKind = 'single', lessonKey = 'basics'): FakeCard {
  const options = optionsFor(kind);
  return {
    ...makeCard(id, 'new'),
    direction: 'quiz',
    prompt: `Quiz question ${id}?`,
    answer: correct.map((i) => options[i]).join(', '),
    detail: `Because of ${id}.`,
    detail_html: `<p>Because of <em>${id}</em>.</p>`,
    quiz: { kind, options, correct: [...correct].sort((a, b) => a - b), lesson_key: lessonKey, lesson_title: lessonTitle(lessonKey) },
  };
}

/** A lesson question; `correct` are its right options (0-based). */
export function makeQuestion(id: string, correct: number[], kind: QuestionKind = 'single'): LessonQuestion {
  return {
    id,
    kind,
    prompt: `Question ${id}?`,
    options: optionsFor(kind),
    correct: [...correct].sort((a, b) => a - b),
    explanation_html: `<p>Explained: <em>${id}</em>.</p>`,
  };
}

/** A lesson page in PACK, not yet finished. */
export function makeLesson(key: string, questions: LessonQuestion[]): LessonPage {
  const title = lessonTitle(key);
  return {
    summary: { key, title, summary: `What ${title} covers.`, level: 'beginner', tags: ['intro'], best: null },
    area: 'Testing',
    body_html: `<p>Read about <strong>${title}</strong>.</p>`,
    terms: [],
    questions,
    attempts: 0,
  };
}

/** A library area in PACK listing these lessons (in order) and terms. */
export function makeArea(lessons: LessonPage[], terms: TermPage[] = []): LibraryArea {
  return {
    pack: PACK,
    key: 'testing',
    name: 'Testing',
    description_html: '<p>All about <strong>tests</strong>.</p>',
    lessons: lessons.map((l) => ({ ...l.summary, tags: [...l.summary.tags] })),
    terms: terms.map((t) => ({ key: t.key, name: t.name, definition: t.definition, level: t.level })),
  };
}
