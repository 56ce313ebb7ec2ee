// The settings as the form edits them, and back: steps as text ("1m 10m"), numbers checked.
import type { LeechAction, NewCardOrder, ReviewOrder, Settings } from './bindings';

export const MIN_RETENTION = 0.7;
export const MAX_RETENTION = 0.99;

/** The editable settings; `fsrs_parameters` and `pause_new_until` are not edited here. Number
 *  fields are null while empty (Svelte binds an empty number input to null). */
export type SettingsForm = {
  desired_retention: number | null;
  new_per_day: number | null;
  reviews_per_day: number | null;
  rollover_hour: number | null;
  maximum_interval_days: number | null;
  learning_steps: string;
  relearning_steps: string;
  fuzz: boolean;
  learn_ahead_minutes: number | null;
  bury_siblings: boolean;
  leech_threshold: number | null;
  leech_action: LeechAction;
  new_card_order: NewCardOrder;
  review_order: ReviewOrder;
};

export type FormField = keyof SettingsForm;

/** The settings the form sets; the others are kept as they are. */
export type EditedSettings = Omit<Settings, 'fsrs_parameters' | 'pause_new_until'>;

export type Checked = { ok: true; value: EditedSettings } | { ok: false; field: FormField; message: string };

/** "1m 10m", "1h", "none": minutes shown in the largest whole unit. */
export function formatSteps(minutes: readonly number[]): string {
  if (minutes.length === 0) return 'none';
  return minutes.map((m) => (m >= 60 && m % 60 === 0 ? `${m / 60}h` : `${m}m`)).join(' ');
}

/** Reads steps typed as "1m 10m", "1, 10", "1.5h" or "none" (or nothing) into whole minutes; a
 *  number without a unit is minutes. Returns the reason instead when a step cannot be read. */
export function parseSteps(text: string): number[] | string {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'none') return [];
  const steps: number[] = [];
  for (const token of trimmed.split(/[\s,]+/).filter(Boolean)) {
    const match = /^(\d+(?:\.\d+)?)\s*([mh]?)$/i.exec(token);
    if (!match) return `'${token}' is not a step: write minutes like 10m or hours like 1h`;
    const minutes = Number(match[1]) * (match[2].toLowerCase() === 'h' ? 60 : 1);
    // Rounding undoes float noise (0.1h is 6.000000000000001 minutes) before the whole-minute check.
    const rounded = Math.round(minutes * 1e6) / 1e6;
    if (!Number.isInteger(rounded)) return `'${token}' is not a whole number of minutes`;
    steps.push(rounded);
  }
  return steps;
}

export function toForm(s: Settings): SettingsForm {
  return {
    desired_retention: s.desired_retention,
    new_per_day: s.new_per_day,
    reviews_per_day: s.reviews_per_day,
    rollover_hour: s.rollover_hour,
    maximum_interval_days: s.maximum_interval_days,
    learning_steps: formatSteps(s.learning_steps_minutes),
    relearning_steps: formatSteps(s.relearning_steps_minutes),
    fuzz: s.fuzz,
    learn_ahead_minutes: s.learn_ahead_minutes,
    bury_siblings: s.bury_siblings,
    leech_threshold: s.leech_threshold,
    leech_action: s.leech_action,
    new_card_order: s.new_card_order,
    review_order: s.review_order,
  };
}

/** What each whole-number field is called in messages. */
const COUNTS = {
  new_per_day: 'New cards a day',
  reviews_per_day: 'Reviews a day',
  rollover_hour: 'The hour the next day starts',
  maximum_interval_days: 'Maximum interval',
  learn_ahead_minutes: 'Learn ahead',
  leech_threshold: 'Leech threshold',
} as const;

/** Checks what the backend cannot be sent at all (empty or fractional counts, unreadable steps)
 *  and the retention range; the backend checks the rest and says why in its own words. */
export function fromForm(form: SettingsForm): Checked {
  const r = form.desired_retention;
  if (r === null || !Number.isFinite(r) || r < MIN_RETENTION || r > MAX_RETENTION) {
    return {
      ok: false,
      field: 'desired_retention',
      message: 'Desired retention must be from 0.70 to 0.99 (70% to 99%).',
    };
  }
  const counts = {} as Record<keyof typeof COUNTS, number>;
  for (const [field, name] of Object.entries(COUNTS) as [keyof typeof COUNTS, string][]) {
    const value = form[field];
    if (value === null || !Number.isInteger(value) || value < 0) {
      return { ok: false, field, message: `${name} must be a whole number, 0 or more.` };
    }
    counts[field] = value;
  }
  const learning = parseSteps(form.learning_steps);
  if (typeof learning === 'string') return { ok: false, field: 'learning_steps', message: `Learning steps: ${learning}.` };
  const relearning = parseSteps(form.relearning_steps);
  if (typeof relearning === 'string') {
    return { ok: false, field: 'relearning_steps', message: `Relearning steps: ${relearning}.` };
  }
  return {
    ok: true,
    value: {
      desired_retention: r,
      ...counts,
      learning_steps_minutes: learning,
      relearning_steps_minutes: relearning,
      fuzz: form.fuzz,
      bury_siblings: form.bury_siblings,
      leech_action: form.leech_action,
      new_card_order: form.new_card_order,
      review_order: form.review_order,
    },
  };
}

/** 0.9 → "90%", 0.905 → "90.5%". */
export function formatPercent(fraction: number, digits = 1): string {
  return `${Number((fraction * 100).toFixed(digits))}%`;
}
