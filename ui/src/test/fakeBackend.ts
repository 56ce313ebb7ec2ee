// A tiny in-memory stand-in for the Rust commands, installed at the IPC edge with mockIPC,
// so tests exercise the real api.ts and components.
import { mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import type {
  AnswerOutcome,
  AppError,
  BackupInfo,
  CardState,
  ImportProgress,
  ImportReport,
  LessonPage,
  LessonQuestion,
  LibraryArea,
  PackInfo,
  QuizPrompt,
  QuizResult,
  Rating,
  SearchHit,
  Skipped,
  Status,
  StudyCard,
  TablePreview,
  TermPage,
  UndoOutcome,
} from '../lib/bindings';

export type Call = { cmd: string; args: Record<string, unknown> };
export type FakeCard = Omit<StudyCard, 'counts'>;
export type QuestionKind = QuizPrompt['kind'];

/** The pack every fake term and lesson lives in. */
export const PACK = 'test.pack';
/** When every fake quiz is taken. */
export const TAKEN_AT = '2025-03-01T09:30:00Z';

export function makeCard(id: number, state: CardState = 'new'): FakeCard {
  return {
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

function invalid(message: string): AppError {
  return { code: 'invalid_input', message };
}

/** The core's grading: the picks, as a set, are exactly the right options. Deliberately not
 *  choices.ts, so the UI's grading is checked against an independent one. */
function sameSet(chosen: number[], correct: number[]): boolean {
  const norm = (xs: number[]) => JSON.stringify([...new Set(xs)].sort((a, b) => a - b));
  return norm(chosen) === norm(correct);
}

function isIndexList(value: unknown, count: number): value is number[] {
  return Array.isArray(value) && value.every((i) => Number.isInteger(i) && i >= 0 && i < count);
}

/** The error of an import stopped by cancel_import, as the core words it. */
export const CANCELLED: AppError = { code: 'cancelled', message: 'cancelled; nothing was changed' };

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
      total_cards: this.queue.length + this.history.length + locked,
      next_due: this.nextDue,
    };
  }

  private async handle(cmd: string, args: Record<string, unknown>): Promise<unknown> {
    this.calls.push({ cmd, args: viaJson(args) });
    // An import reports progress before it can be held: see importFile.
    if (cmd === 'import_file') return viaJson(await this.importFile(viaJson(args)));
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
    if (index < 0) throw { code: 'unknown_card', message: `No card ${String(cardId)}` } satisfies AppError;
    return this.queue[index];
  }

  private record(card: FakeCard, rating: Rating, right: boolean): AnswerOutcome {
    this.queue.splice(this.queue.indexOf(card), 1);
    this.history.push(card);
    return {
      card_id: card.card_id,
      rating,
      state: right ? 'review' : 'learning',
      due: '',
      interval_days: right ? 1 : 0,
    };
  }

  private answer(cmd: string, args: Record<string, unknown>): unknown {
    switch (cmd) {
      case 'get_status':
        return this.status();
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
        if (!head) return null;
        const { new: n, learning, review } = this.status();
        return { ...head, counts: { new: n, learning, review } } satisfies StudyCard;
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
      case 'undo': {
        const card = this.history.pop();
        if (!card) return null;
        // Requeued at the back: the UI must show the card undo returns, not whatever is next.
        this.queue.push(card);
        const { new: n, learning, review } = this.status();
        return {
          card_id: card.card_id,
          status: this.status(),
          card: { ...card, counts: { new: n, learning, review } },
        } satisfies UndoOutcome;
      }
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
