import { describe, expect, it } from 'vitest';
import {
  NO_FILTERS,
  actionNotice,
  dueDaysError,
  isField,
  isFiltered,
  nextSort,
  plural,
  tagError,
  toQuery,
} from './browseView';

describe('browser filters and query', () => {
  it('no filter is on at first; any one turns them on', () => {
    expect(isFiltered(NO_FILTERS)).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, leech: true })).toBe(true);
    expect(isFiltered({ ...NO_FILTERS, suspended: false })).toBe(true);
    expect(isFiltered({ ...NO_FILTERS, lesson: 'basics' })).toBe(true);
  });

  it('makes the query of the text, the filters and the sort', () => {
    expect(toQuery('pod', { ...NO_FILTERS, state: 'review', tag: 'k8s' }, 'due', true)).toEqual({
      text: 'pod',
      state: 'review',
      due: null,
      suspended: null,
      leech: false,
      area: null,
      pack: null,
      tag: 'k8s',
      lesson: null,
      sort: 'due',
      descending: true,
    });
  });

  it('a column sorts ascending, then the other way on a second click', () => {
    expect(nextSort('added', false, 'due')).toEqual({ sort: 'due', descending: false });
    expect(nextSort('due', false, 'due')).toEqual({ sort: 'due', descending: true });
    expect(nextSort('due', true, 'due')).toEqual({ sort: 'due', descending: false });
    expect(nextSort('due', true, 'lapses')).toEqual({ sort: 'lapses', descending: false });
  });
});

describe('browser notices and checks', () => {
  it('counts with thousands separators', () => {
    expect(plural(1, 'card')).toBe('1 card');
    expect(plural(1200, 'card')).toBe(`${(1200).toLocaleString()} cards`);
  });

  it('says what an action changed', () => {
    expect(actionNotice({ kind: 'suspend' }, { action: 'suspend', changed: 2 }, 2)).toBe('2 cards changed · Ctrl+Z undoes it');
    expect(actionNotice({ kind: 'bury' }, { action: 'bury', changed: 0 }, 1)).toBe('No card changed: it was already that way');
    expect(actionNotice({ kind: 'bury' }, { action: 'bury', changed: 0 }, 3)).toBe('No card changed: they were already that way');
    expect(actionNotice({ kind: 'tag', tag: 'hard' }, { action: 'tag', changed: 1 }, 1)).toBe('Tagged 1 card “hard” · Ctrl+Z undoes it');
    expect(actionNotice({ kind: 'tag', tag: 'hard' }, { action: 'tag', changed: 0 }, 2)).toBe(
      'The selected cards already have the tag “hard”',
    );
    expect(actionNotice({ kind: 'untag', tag: 'hard' }, { action: 'untag', changed: 3 }, 3)).toBe(
      'Removed “hard” from 3 cards · Ctrl+Z undoes it',
    );
    expect(actionNotice({ kind: 'untag', tag: 'hard' }, { action: 'untag', changed: 0 }, 3)).toBe(
      'None of the selected cards has the tag “hard”',
    );
  });

  it('takes whole days from 0 to 36,500', () => {
    expect(dueDaysError(0)).toBeNull();
    expect(dueDaysError(36_500)).toBeNull();
    for (const bad of [null, -1, 1.5, 36_501]) expect(dueDaysError(bad)).toMatch(/^Choose a whole number of days from 0 \(today\) to /);
  });

  it('takes one word as a tag, and says what to type otherwise', () => {
    expect(tagError('k8s/networking', true)).toBeNull();
    expect(tagError('two words', true)).toBe('“two words” is not a tag: use one word of letters, digits, -, _, : or / (at most 60).');
    expect(tagError('', true)).toBe('Type a tag to add, such as hard or k8s/networking.');
    expect(tagError('', false)).toBe('Type a tag to remove, such as hard or k8s/networking.');
    expect(tagError('x'.repeat(61), true)).not.toBeNull();
  });

  it('knows which fields type text', () => {
    const input = (type: string) => Object.assign(document.createElement('input'), { type });
    expect(isField(input('text'))).toBe(true);
    expect(isField(input('search'))).toBe(true);
    expect(isField(input('number'))).toBe(true);
    expect(isField(input('checkbox'))).toBe(false);
    expect(isField(document.createElement('select'))).toBe(true);
    expect(isField(document.createElement('textarea'))).toBe(true);
    expect(isField(document.createElement('button'))).toBe(false);
    expect(isField(null)).toBe(false);
  });
});
