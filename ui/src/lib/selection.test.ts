import { describe, expect, it } from 'vitest';
import { NO_SELECTION, click, listOf, move, moveTo, retain, selectAll, selectedInOrder, type Selection } from './selection';

const list = listOf([10, 20, 30, 40, 50, 60]);
const ids = (s: Selection) => [...s.ids].sort((a, b) => a - b);

describe('selection by clicks', () => {
  it('a click selects that row alone', () => {
    let s = click(NO_SELECTION, list, 1);
    s = click(s, list, 3);
    expect(ids(s)).toEqual([40]);
    expect(s.cursor).toBe(40);
    expect(s.anchor).toBe(40);
  });

  it('Ctrl+click toggles a row and keeps the others', () => {
    let s = click(NO_SELECTION, list, 0);
    s = click(s, list, 2, { toggle: true });
    s = click(s, list, 4, { toggle: true });
    expect(ids(s)).toEqual([10, 30, 50]);
    s = click(s, list, 2, { toggle: true });
    expect(ids(s)).toEqual([10, 50]);
    expect(s.cursor).toBe(30);
  });

  it('Shift+click selects from the anchor to the row, either way, replacing the rest', () => {
    let s = click(NO_SELECTION, list, 2);
    s = click(s, list, 4, { range: true });
    expect(ids(s)).toEqual([30, 40, 50]);
    // The anchor stays: Shift+click again re-spans from it.
    s = click(s, list, 0, { range: true });
    expect(ids(s)).toEqual([10, 20, 30]);
    expect(s.anchor).toBe(30);
    expect(s.cursor).toBe(10);
  });

  it('Ctrl+Shift+click adds the range to what is selected', () => {
    let s = click(NO_SELECTION, list, 0);
    s = click(s, list, 3, { toggle: true });
    s = click(s, list, 5, { toggle: true, range: true });
    expect(ids(s)).toEqual([10, 40, 50, 60]);
  });

  it('Shift+click without an anchor selects just that row', () => {
    expect(ids(click(NO_SELECTION, list, 2, { range: true }))).toEqual([30]);
  });
});

describe('selection by keys', () => {
  it('↓ and ↑ move the cursor and select it, stopping at the ends', () => {
    let s = move(NO_SELECTION, list, 1);
    expect(ids(s)).toEqual([10]);
    s = move(s, list, 1);
    s = move(s, list, 1);
    expect(ids(s)).toEqual([30]);
    s = move(s, list, -1);
    expect(ids(s)).toEqual([20]);
    s = move(s, list, -5);
    expect(s.cursor).toBe(10);
    s = move(s, list, 100);
    expect(s.cursor).toBe(60);
  });

  it('Shift+↓ extends from the anchor', () => {
    let s = click(NO_SELECTION, list, 1);
    s = move(s, list, 1, true);
    s = move(s, list, 1, true);
    expect(ids(s)).toEqual([20, 30, 40]);
    s = move(s, list, -3, true);
    expect(ids(s)).toEqual([10, 20]);
  });

  it('Home and End', () => {
    const s = moveTo(click(NO_SELECTION, list, 2), list, list.ids.length - 1, true);
    expect(ids(s)).toEqual([30, 40, 50, 60]);
    expect(moveTo(s, list, 0).cursor).toBe(10);
  });

  it('does nothing in an empty list', () => {
    expect(move(NO_SELECTION, listOf([]), 1)).toBe(NO_SELECTION);
  });
});

describe('select all and a new list', () => {
  it('Ctrl+A selects every row, keeping the cursor', () => {
    const s = selectAll(click(NO_SELECTION, list, 3), list);
    expect(ids(s)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(s.cursor).toBe(40);
    expect(selectAll(NO_SELECTION, list).cursor).toBe(10);
  });

  it('drops ids a new list no longer has, keeping the cursor', () => {
    const s = selectAll(click(NO_SELECTION, list, 3), list);
    const next = retain(s, listOf([60, 40, 70]));
    expect(ids(next)).toEqual([40, 60]);
    expect(next.cursor).toBe(40);
    // Nothing dropped: the same selection.
    expect(retain(next, list)).toBe(next);
  });

  it('lists the selected ids in list order', () => {
    let s = click(NO_SELECTION, list, 4);
    s = click(s, list, 1, { toggle: true });
    s = click(s, list, 2, { toggle: true });
    expect(selectedInOrder(s, list)).toEqual([20, 30, 50]);
    expect(selectedInOrder(selectAll(s, list), list)).toEqual([10, 20, 30, 40, 50, 60]);
  });
});
