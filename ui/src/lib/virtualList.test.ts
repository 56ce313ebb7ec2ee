import { describe, expect, it } from 'vitest';
import {
  idsToFetch,
  layout,
  MAX_SPACER,
  offsetAt,
  pagesOf,
  rowsPerPage,
  scrollToReveal,
  scrollTopFor,
  totalHeight,
  visibleRange,
} from './virtualList';

describe('visibleRange', () => {
  it('takes the rows at least partly in view, plus the overscan either side', () => {
    // Rows of 40px in a 400px viewport scrolled to 1000px: rows 25 to 34 are in view.
    expect(visibleRange(1000, 400, 40, 100_000)).toEqual({ start: 25, end: 35 });
    expect(visibleRange(1000, 400, 40, 100_000, 5)).toEqual({ start: 20, end: 40 });
    // A row cut by the bottom edge counts.
    expect(visibleRange(1010, 400, 40, 100_000)).toEqual({ start: 25, end: 36 });
  });

  it('stays within the list at its ends', () => {
    expect(visibleRange(0, 400, 40, 100_000, 5)).toEqual({ start: 0, end: 15 });
    expect(visibleRange(0, 400, 40, 3, 5)).toEqual({ start: 0, end: 3 });
    expect(visibleRange(40 * 99_995, 400, 40, 100_000, 5)).toEqual({ start: 99_990, end: 100_000 });
    // Scrolled past the end (the list shrank under it): the last row, not nothing.
    expect(visibleRange(1e9, 400, 40, 10)).toEqual({ start: 9, end: 10 });
    expect(visibleRange(-50, 400, 40, 100)).toEqual({ start: 0, end: 10 });
  });

  it('is empty for an empty list', () => {
    expect(visibleRange(0, 400, 40, 0, 5)).toEqual({ start: 0, end: 0 });
    expect(visibleRange(500, 400, 0, 10)).toEqual({ start: 0, end: 0 });
  });

  it('renders a bounded number of rows however long the list', () => {
    for (const count of [50, 1_000, 100_000, 10_000_000]) {
      const { start, end } = visibleRange(count * 20, 480, 44, count, 8);
      expect(end - start).toBeLessThanOrEqual(Math.ceil(480 / 44) + 1 + 16);
    }
  });
});

describe('paging', () => {
  it('the spacer is as high as every row', () => {
    expect(totalHeight(100_000, 44)).toBe(4_400_000);
    expect(totalHeight(0, 44)).toBe(0);
  });

  it('finds the pages a range overlaps', () => {
    expect(pagesOf({ start: 0, end: 30 }, 100)).toEqual([0]);
    expect(pagesOf({ start: 95, end: 130 }, 100)).toEqual([0, 1]);
    expect(pagesOf({ start: 100, end: 200 }, 100)).toEqual([1]);
    expect(pagesOf({ start: 5, end: 5 }, 100)).toEqual([]);
  });

  it('asks for the ids of those pages that are not known yet, a batch a page', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => 1000 + i);
    const known = new Set([1000, 1001, ...ids.slice(100, 200)]);
    expect(idsToFetch(ids, { start: 90, end: 210 }, 100, (id) => known.has(id))).toEqual([
      ids.slice(2, 100),
      ids.slice(200, 300),
    ]);
    // Everything known: nothing to ask.
    expect(idsToFetch(ids, { start: 0, end: 50 }, 100, () => true)).toEqual([]);
    // The last page is short.
    expect(idsToFetch(ids.slice(0, 150), { start: 120, end: 150 }, 100, () => false)).toEqual([ids.slice(100, 150)]);
  });
});

describe('scrollToReveal', () => {
  it('scrolls as little as it takes to show a row', () => {
    // In view: no move.
    expect(scrollToReveal(10, 300, 400, 40)).toBe(300);
    // Above: its top at the top.
    expect(scrollToReveal(2, 300, 400, 40)).toBe(80);
    // Below: its bottom at the bottom.
    expect(scrollToReveal(20, 300, 400, 40)).toBe(440);
    expect(scrollToReveal(0, 0, 400, 40)).toBe(0);
  });

  it('counts the rows in a page for Page Up/Down', () => {
    expect(rowsPerPage(400, 40)).toBe(10);
    expect(rowsPerPage(10, 40)).toBe(1);
  });
});

describe('layout beyond the tallest spacer', () => {
  it('is the rows themselves up to MAX_SPACER', () => {
    expect(layout(100_000, 44, 444)).toEqual({ spacer: 4_400_000, ratio: 1 });
    expect(offsetAt(1234, layout(100_000, 44, 444))).toBe(1234);
    expect(scrollTopFor(1234, layout(100_000, 44, 444))).toBe(1234);
  });

  it('keeps a million rows within the spacer and maps both ends of the scroll onto the ends of the list', () => {
    const at = layout(1_000_000, 44, 444);
    expect(at.spacer).toBe(MAX_SPACER);
    expect(at.ratio).toBeGreaterThan(1);
    // Scrolled to the bottom: the last row ends at the viewport's bottom edge.
    const bottom = offsetAt(MAX_SPACER - 444, at);
    expect(bottom).toBeCloseTo(1_000_000 * 44 - 444, 3);
    expect(visibleRange(bottom, 444, 44, 1_000_000).end).toBe(1_000_000);
    expect(offsetAt(0, at)).toBe(0);
    // The middle of the scroll is the middle of the list, and back again.
    expect(visibleRange(offsetAt((MAX_SPACER - 444) / 2, at), 444, 44, 1_000_000).start).toBeGreaterThan(499_990);
    expect(scrollTopFor(offsetAt(777_777, at), at)).toBeCloseTo(777_777, 6);
  });
});
