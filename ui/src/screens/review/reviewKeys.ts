// The review's keys, as a pure function from a key press and what the screen shows to what to do.
import type { CardAction, Rating } from '../../lib/bindings';
import { optionForKey } from '../../lib/choices';
import { isConfirm } from '../../lib/keys';

/** What the review screen shows, as far as its keys care. */
export type ReviewKeyState = {
  /** The "Set due" prompt is open. */
  settingDue: boolean;
  /** A card is shown (none before the first one loads, after a failure, or at the summary). */
  hasCard: boolean;
  /** A request is in flight. */
  busy: boolean;
  revealed: boolean;
  /** On a quiz card: how many options it has, and whether the choice checked was right. */
  quiz: { options: number; verdict: 'right' | 'wrong' | null } | null;
};

/** What a key asks the review to do. */
export type ReviewCommand =
  | { kind: 'close-set-due' }
  | { kind: 'undo' }
  | { kind: 'exit' }
  | { kind: 'act'; action: Extract<CardAction, { kind: 'bury' | 'suspend' }> }
  | { kind: 'add' }
  | { kind: 'edit' }
  | { kind: 'toggle'; option: number }
  | { kind: 'check' }
  | { kind: 'rate-quiz'; rating: Exclude<Rating, 'again'> }
  | { kind: 'continue' }
  | { kind: 'reveal' }
  | { kind: 'rate'; rating: Rating };

export type KeyPress = Pick<
  KeyboardEvent,
  'key' | 'repeat' | 'isComposing' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey' | 'target'
>;

/** 1–4 rate Again, Hard, Good and Easy. */
export const RATING_KEYS: Record<string, Rating> = { '1': 'again', '2': 'hard', '3': 'good', '4': 'easy' };

/** What key `e` asks for, or null when the review ignores it. A command means the key is the
 *  review's: the caller prevents its default action. */
export function reviewCommand(e: KeyPress, s: ReviewKeyState): ReviewCommand | null {
  // Holding a key must not reveal and rate a run of cards.
  if (e.repeat || e.isComposing) return null;
  // The days field of "Set due" takes digits and its own Escape.
  if (e.target instanceof HTMLInputElement) return null;
  if (s.settingDue) return e.key === 'Escape' ? { kind: 'close-set-due' } : null;
  const mod = e.ctrlKey || e.metaKey;
  if (mod && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'z') return { kind: 'undo' };
  if (mod || e.altKey) return null;
  if (e.key === 'Escape') return { kind: 'exit' };
  // `a` adds a note of the learner's, as everywhere in the app.
  if (e.key === 'a') return { kind: 'add' };
  if (!s.hasCard || s.busy) return null;
  // `e` edits the card's note; a lesson's quiz question is edited in its lesson file.
  if (e.key === 'e') return s.quiz ? null : { kind: 'edit' };
  // As in Anki: - buries the card, @ (Shift+2) suspends it.
  if (e.key === '-') return { kind: 'act', action: { kind: 'bury' } };
  if (e.key === '@') return { kind: 'act', action: { kind: 'suspend' } };
  const confirm = isConfirm(e.key, e.target);
  if (s.quiz) return quizCommand(e.key, confirm, s.quiz);
  if (!s.revealed) return confirm ? { kind: 'reveal' } : null;
  const rating = RATING_KEYS[e.key];
  return rating ? { kind: 'rate', rating } : null;
}

/** Keys on a quiz card: numbers pick, Space/Enter checks, then rates Good (right) or moves on. */
function quizCommand(key: string, confirm: boolean, quiz: NonNullable<ReviewKeyState['quiz']>): ReviewCommand | null {
  if (quiz.verdict === null) {
    const option = optionForKey(key, quiz.options);
    if (option !== null) return { kind: 'toggle', option };
    return confirm ? { kind: 'check' } : null;
  }
  if (quiz.verdict === 'right') {
    const rating = confirm ? 'good' : RATING_KEYS[key];
    return rating && rating !== 'again' ? { kind: 'rate-quiz', rating } : null;
  }
  return confirm ? { kind: 'continue' } : null;
}
