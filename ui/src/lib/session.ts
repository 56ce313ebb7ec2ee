import type { Rating } from './bindings';

/** One answer given in the current review session (kept so undo can take it back). */
export type Answer = { cardId: number; rating: Rating; ms: number };

export const RATINGS: readonly Rating[] = ['again', 'hard', 'good', 'easy'];

export const RATING_LABELS: Record<Rating, string> = { again: 'Again', hard: 'Hard', good: 'Good', easy: 'Easy' };

export function tally(answers: readonly Answer[]): Record<Rating, number> {
  const counts: Record<Rating, number> = { again: 0, hard: 0, good: 0, easy: 0 };
  for (const a of answers) counts[a.rating] += 1;
  return counts;
}
