// The browser's pure parts: its filters and query, the notices after actions, and the checks
// on what is typed into the actions bar.
import {
  MAX_SET_DUE_DAYS,
  MAX_TAG_CHARS,
  type ActionReport,
  type BrowseQuery,
  type CardAction,
  type CardState,
  type DueFilter,
  type SortColumn,
} from '../../lib/bindings';

/** The filters above the list; null (or false) leaves a filter off. */
export type Filters = {
  state: CardState | null;
  due: DueFilter | null;
  suspended: boolean | null;
  leech: boolean;
  area: string | null;
  pack: string | null;
  tag: string | null;
  lesson: string | null;
};

export const NO_FILTERS: Readonly<Filters> = {
  state: null,
  due: null,
  suspended: null,
  leech: false,
  area: null,
  pack: null,
  tag: null,
  lesson: null,
};

/** Whether any filter is on. */
export function isFiltered(f: Filters): boolean {
  return (
    f.state !== null ||
    f.due !== null ||
    f.suspended !== null ||
    f.leech ||
    f.area !== null ||
    f.pack !== null ||
    f.tag !== null ||
    f.lesson !== null
  );
}

/** The query for the text searched, the filters and the sort. */
export function toQuery(text: string, f: Filters, sort: SortColumn, descending: boolean): BrowseQuery {
  return {
    text,
    state: f.state,
    due: f.due,
    suspended: f.suspended,
    leech: f.leech,
    area: f.area,
    pack: f.pack,
    tag: f.tag,
    lesson: f.lesson,
    sort,
    descending,
  };
}

/** Clicking a column header: by it ascending, or the other way round when it is the sort already. */
export function nextSort(sort: SortColumn, descending: boolean, column: SortColumn): { sort: SortColumn; descending: boolean } {
  return sort === column ? { sort, descending: !descending } : { sort: column, descending: false };
}

/** "1 card", "1,200 cards". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** What an action on `selected` cards did, as the notice after it says. */
export function actionNotice(action: CardAction, report: ActionReport, selected: number): string {
  if (action.kind === 'tag') {
    return report.changed === 0
      ? `The selected cards already have the tag “${action.tag}”`
      : `Tagged ${plural(report.changed, 'card')} “${action.tag}” · Ctrl+Z undoes it`;
  }
  if (action.kind === 'untag') {
    return report.changed === 0
      ? `None of the selected cards has the tag “${action.tag}”`
      : `Removed “${action.tag}” from ${plural(report.changed, 'card')} · Ctrl+Z undoes it`;
  }
  if (report.changed === 0) {
    return selected === 1 ? 'No card changed: it was already that way' : 'No card changed: they were already that way';
  }
  return `${plural(report.changed, 'card')} changed · Ctrl+Z undoes it`;
}

/** Why `days` cannot be a due date, or null when it can. */
export function dueDaysError(days: number | null): string | null {
  if (days === null || !Number.isInteger(days) || days < 0 || days > MAX_SET_DUE_DAYS) {
    return `Choose a whole number of days from 0 (today) to ${MAX_SET_DUE_DAYS.toLocaleString()}.`;
  }
  return null;
}

/** A tag is one word of letters, digits, -, _, : or / (at most MAX_TAG_CHARS), as the core checks it. */
const TAG = new RegExp(`^[\\p{L}\\p{N}\\-_:/]{1,${MAX_TAG_CHARS}}$`, 'u');

/** Why `word` (trimmed) cannot be added (`add`) or removed as a tag, or null when it can. */
export function tagError(word: string, add: boolean): string | null {
  if (TAG.test(word)) return null;
  return word
    ? `“${word}” is not a tag: use one word of letters, digits, -, _, : or / (at most ${MAX_TAG_CHARS}).`
    : `Type a tag to ${add ? 'add' : 'remove'}, such as hard or k8s/networking.`;
}

/** Fields where keys type text (or pick an option): the browser's shortcuts leave them alone. */
export function isField(target: EventTarget | null): boolean {
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLElement && target.isContentEditable) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
}

/** The list's columns: the card, then its schedule and memory, each sortable. */
export const COLUMNS: { key: SortColumn; label: string; title: string }[] = [
  { key: 'added', label: 'Card', title: 'In the order of their packs' },
  { key: 'due', label: 'Due', title: 'By due date; new cards last' },
  { key: 'interval', label: 'Interval', title: 'By the interval last given' },
  { key: 'stability', label: 'Stability', title: 'By stability: how long until recall falls to 90%' },
  { key: 'difficulty', label: 'Difficulty', title: 'By difficulty, 1 to 10' },
  { key: 'retrievability', label: 'Recall', title: 'By retrievability: the chance of recall now' },
  { key: 'lapses', label: 'Lapses', title: 'By times forgotten' },
  { key: 'reviews', label: 'Reviews', title: 'By times reviewed' },
];
