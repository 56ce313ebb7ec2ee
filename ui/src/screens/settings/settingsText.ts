// What the settings screen says about the optimizer, the workload and the backlog.
import { MAX_SPREAD_DAYS, type OptimizeProgress } from '../../lib/bindings';

/** "1 card", "12 cards". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const STAGES: Record<string, string> = {
  reading: 'Reading your review history…',
  training: 'Fitting parameters to your reviews…',
  evaluating: 'Comparing the fitted parameters with the ones in use…',
  saving: 'Saving the new parameters and rescheduling…',
};

/** What the optimizer is doing; while training, how far it has got. */
export function stageText(p: OptimizeProgress): string {
  const text = STAGES[p.stage] ?? `${p.stage}…`;
  return p.stage === 'training' && p.total > 0 ? `${text} ${Math.round((p.done / p.total) * 100)}%` : text;
}

/** Whether two retentions are the same setting (they travel as f32). */
export function sameRetention(a: number, b: number): boolean {
  return Math.abs(a - b) < 0.0005;
}

/** Why the backlog cannot be spread over `days`, or null when it can. */
export function spreadDaysError(days: number | null): string | null {
  if (days === null || !Number.isInteger(days) || days < 1 || days > MAX_SPREAD_DAYS) {
    return `Choose a whole number of days from 1 to ${MAX_SPREAD_DAYS}.`;
  }
  return null;
}
