import type { QuizPrompt } from './bindings';

export type QuestionKind = QuizPrompt['kind'];

/** The options chosen after the learner picks `index`: a single-choice or true/false question
 *  keeps one pick; a multiple-choice question toggles it. */
export function toggleChoice(kind: QuestionKind, chosen: number[], index: number): number[] {
  if (kind !== 'multiple') return [index];
  return chosen.includes(index) ? chosen.filter((i) => i !== index) : [...chosen, index].sort((a, b) => a - b);
}

/** The option a number key picks (1 → 0), or null when the key is not one of the options. */
export function optionForKey(key: string, optionCount: number): number | null {
  if (!/^[1-9]$/.test(key)) return null;
  const index = Number(key) - 1;
  return index < optionCount ? index : null;
}
