// A tiny in-memory stand-in for the Rust commands, installed at the IPC edge with mockIPC,
// so tests exercise the real api.ts and components.
import { mockIPC } from '@tauri-apps/api/mocks';
import type {
  AppError,
  CardState,
  Rating,
  SearchHit,
  Status,
  StudyCard,
  TermPage,
  UndoOutcome,
} from '../lib/bindings';

export type Call = { cmd: string; args: Record<string, unknown> };

export function makeCard(id: number, state: CardState = 'new'): Omit<StudyCard, 'counts'> {
  return {
    card_id: id,
    state,
    direction: 'forward',
    prompt: `Prompt ${id}`,
    answer: `Answer ${id}`,
    detail: `Detail ${id}`,
    detail_html: `<p>Detail <code>${id}</code></p>`,
    intervals: { again: 0.0007, hard: 0.007, good: 1, easy: 3 },
    interval_labels: { again: '1m', hard: '10m', good: '1d', easy: '3d' },
    quiz: null,
  };
}

export class FakeBackend {
  calls: Call[] = [];
  queue: Omit<StudyCard, 'counts'>[];
  history: Omit<StudyCard, 'counts'>[] = [];
  nextDue: string | null = null;
  /** The library: term pages by key; search matches names by prefix. */
  terms = new Map<string, TermPage>();
  /** Commands that should fail with the given AppError. */
  failures = new Map<string, AppError>();
  /** Commands whose reply is held until release() is called. */
  held = new Set<string>();
  private waiting: (() => void)[] = [];

  constructor(cards: Omit<StudyCard, 'counts'>[]) {
    this.queue = [...cards];
    mockIPC((cmd, args) => this.handle(cmd, (args ?? {}) as Record<string, unknown>));
  }

  callsTo(cmd: string): Call[] {
    return this.calls.filter((c) => c.cmd === cmd);
  }

  release() {
    this.waiting.splice(0).forEach((go) => go());
  }

  status(): Status {
    const count = (s: CardState[]) => this.queue.filter((c) => s.includes(c.state)).length;
    return {
      new: count(['new']),
      learning: count(['learning', 'relearning']),
      review: count(['review']),
      total_cards: this.queue.length + this.history.length,
      next_due: this.nextDue,
    };
  }

  private async handle(cmd: string, args: Record<string, unknown>): Promise<unknown> {
    this.calls.push({ cmd, args });
    if (this.held.has(cmd)) await new Promise<void>((go) => this.waiting.push(go));
    const failure = this.failures.get(cmd);
    if (failure) throw failure;
    switch (cmd) {
      case 'get_status':
        return this.status();
      case 'next_card': {
        const head = this.queue[0];
        if (!head) return null;
        const { new: n, learning, review } = this.status();
        return { ...head, counts: { new: n, learning, review } } satisfies StudyCard;
      }
      case 'answer_card': {
        const index = this.queue.findIndex((c) => c.card_id === args.cardId);
        if (index < 0) throw { code: 'unknown_card', message: `No card ${String(args.cardId)}` } satisfies AppError;
        const [card] = this.queue.splice(index, 1);
        this.history.push(card);
        return { card_id: card.card_id, rating: args.rating as Rating, state: 'review', due: '', interval_days: 1 };
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
        return [...this.terms.values()]
          .filter((t) => t.name.toLowerCase().startsWith(text))
          .map((t) => ({ kind: 'term', pack: t.pack, key: t.key, title: t.name, snippet: t.definition }) satisfies SearchHit);
      }
      case 'get_term': {
        const page = this.terms.get(String(args.key));
        if (!page) throw { code: 'invalid_input', message: `no term '${String(args.key)}'` } satisfies AppError;
        return page;
      }
      default:
        throw `command ${cmd} not found`;
    }
  }
}

export function makeTerm(key: string, name: string, seeAlso: string[] = []): TermPage {
  return {
    pack: 'test.pack',
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
