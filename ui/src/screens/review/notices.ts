// What the review says after a card action or a leech.
import { MAX_SET_DUE_DAYS, type CardAction } from '../../lib/bindings';

/** What a card action did, as the notice after it says. */
export function actionDone(action: CardAction): string {
  switch (action.kind) {
    case 'bury':
      return 'Card buried until tomorrow';
    case 'suspend':
      return 'Card suspended';
    case 'unsuspend':
      return 'Card unsuspended';
    case 'reset':
      return 'Card reset to new';
    case 'set_due':
      return action.days === 0 ? 'Card due today' : `Card due in ${action.days} ${action.days === 1 ? 'day' : 'days'}`;
    case 'tag':
      return `Card tagged “${action.tag}”`;
    case 'untag':
      return `Tag “${action.tag}” removed`;
  }
}

/** The leech notice: how often the card was forgotten, and whether the settings suspended it
 *  (null when they could not be read: the plain wording then). */
export function leechText(lapses: number, suspended: boolean | null): string {
  const what = `The card you just answered is a leech (forgotten ${lapses} times): tagged leech${suspended ? ' and suspended' : ''}`;
  return `${what}. Rewording it or splitting it up usually helps.`;
}

/** Why `days` cannot be a due date, or null when it can. */
export function dueDaysError(days: number | null): string | null {
  if (days === null || !Number.isInteger(days) || days < 0 || days > MAX_SET_DUE_DAYS) {
    return `Choose a whole number of days from 0 (today) to ${MAX_SET_DUE_DAYS}.`;
  }
  return null;
}
