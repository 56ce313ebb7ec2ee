/** Quizzes left unfinished (Escape, another screen): kept for the rest of the session, so that
 *  reopening one goes on where the learner left it instead of throwing their answers away. */

export interface QuizProgress {
  /** The question shown, its choice, and whether it was checked. */
  index: number;
  chosen: number[];
  checked: boolean;
  /** The answers checked so far, and whether each was right as the core graded it. */
  answers: number[][];
  verdicts: boolean[];
  /** How many questions the quiz had: a quiz that changed since starts over. */
  questions: number;
}

const kept = new Map<string, QuizProgress>();

const keyOf = (pack: string, lesson: string) => `${pack}\u0000${lesson}`;

/** The quiz of `lesson` as it was left, if it was left with something chosen. */
export function resume(pack: string, lesson: string, questions: number): QuizProgress | null {
  const progress = kept.get(keyOf(pack, lesson));
  return progress && progress.questions === questions ? progress : null;
}

/** Keeps the quiz as it is now; nothing is kept before anything is chosen. */
export function keep(pack: string, lesson: string, progress: QuizProgress): void {
  if (progress.answers.length === 0 && progress.chosen.length === 0) kept.delete(keyOf(pack, lesson));
  else kept.set(keyOf(pack, lesson), progress);
}

/** The quiz was finished: the next one starts over. */
export function forget(pack: string, lesson: string): void {
  kept.delete(keyOf(pack, lesson));
}

/** Forgets every quiz left unfinished (the app starts afresh; tests). */
export function forgetAll(): void {
  kept.clear();
}
