// How an undone step is said, in review and in the browser.
import type { UndoOutcome } from './bindings';

const UNDONE: Record<string, string> = {
  answer: 'Answer undone',
  suspend: 'Suspension undone',
  unsuspend: 'Unsuspension undone',
  bury: 'Burying undone',
  reset: 'Reset undone',
  set_due: 'New due date undone',
  tag: 'Tagging undone',
  untag: 'Tag removal undone',
  spread_backlog: 'Backlog spread undone',
  add_note: 'Adding the note undone',
  edit_note: 'Note edit undone',
  delete_note: 'Note deletion undone',
};

/** "Suspension undone", "Burying undone (12 cards)". An answer is about one card, whatever its
 *  undo also put back (the sibling it buried). */
export function undoneText(outcome: UndoOutcome): string {
  const what = UNDONE[outcome.action] ?? `Undone: ${outcome.action.replace(/_/g, ' ')}`;
  return outcome.cards > 1 && outcome.action !== 'answer' ? `${what} (${outcome.cards} cards)` : what;
}
