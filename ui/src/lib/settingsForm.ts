// The settings as the form edits them, and the text it sends for those the learner changed. The
// core reads that text (as `reprise config set` does) and is the one judge of what is valid.
import type { SettingsPatch } from './api';
import type { LeechAction, NewCardOrder, ReviewOrder, Settings } from './bindings';

/** The editable settings; `fsrs_parameters` and `pause_new_until` are not edited here. Number
 *  fields are null while empty (Svelte binds an empty number input to null); steps are the text
 *  typed. */
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

/** The setting each form field edits. */
const SETTING_OF: Record<FormField, keyof Settings> = {
  desired_retention: 'desired_retention',
  new_per_day: 'new_per_day',
  reviews_per_day: 'reviews_per_day',
  rollover_hour: 'rollover_hour',
  maximum_interval_days: 'maximum_interval_days',
  learning_steps: 'learning_steps_minutes',
  relearning_steps: 'relearning_steps_minutes',
  fuzz: 'fuzz',
  learn_ahead_minutes: 'learn_ahead_minutes',
  bury_siblings: 'bury_siblings',
  leech_threshold: 'leech_threshold',
  leech_action: 'leech_action',
  new_card_order: 'new_card_order',
  review_order: 'review_order',
};

const FIELDS = Object.keys(SETTING_OF) as FormField[];

/** "1m 10m", "1h", "none": minutes shown in the largest whole unit. */
export function formatSteps(minutes: readonly number[]): string {
  if (minutes.length === 0) return 'none';
  return minutes.map((m) => (m >= 60 && m % 60 === 0 ? `${m / 60}h` : `${m}m`)).join(' ');
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

/** A field's value as the text the core reads: a number as typed (empty when the input is
 *  empty or unreadable, which the core refuses), a switch "on"/"off", steps and choices as
 *  they are. */
export function fieldText(form: SettingsForm, field: FormField): string {
  const value = form[field];
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (value === null) return '';
  return String(value);
}

/** The settings the learner changed from `initial`, by setting name, as text. */
export function toPatch(form: SettingsForm, initial: SettingsForm): SettingsPatch {
  const patch: SettingsPatch = {};
  for (const field of FIELDS) {
    const text = fieldText(form, field);
    if (text !== fieldText(initial, field)) patch[SETTING_OF[field]] = text;
  }
  return patch;
}

/** The form field that edits `setting` (as an `invalid` error's `field` names it), or null when
 *  the form does not edit it. */
export function fieldOf(setting: string | null): FormField | null {
  return FIELDS.find((field) => SETTING_OF[field] === setting) ?? null;
}

/** 0.9 → "90%", 0.905 → "90.5%". */
export function formatPercent(fraction: number, digits = 1): string {
  return `${Number((fraction * 100).toFixed(digits))}%`;
}
