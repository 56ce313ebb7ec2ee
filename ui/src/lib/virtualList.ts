// The windowing math of a virtualized list with rows of one fixed height: which rows to render
// for a scroll position, which ids to fetch (in pages), and where to scroll to show a row.
// Pure, so it is tested apart from the DOM.

/** Rows [start, end) of the list: end is exclusive. */
export type Range = { start: number; end: number };

export const EMPTY_RANGE: Range = { start: 0, end: 0 };

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/** The rows to render when the list is scrolled to `scrollTop` in a viewport `viewport` px high:
 *  those at least partly in view, plus `overscan` rows either side, within [0, count). */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan = 0): Range {
  if (count <= 0 || rowHeight <= 0) return EMPTY_RANGE;
  const top = Math.max(0, scrollTop);
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + Math.max(0, viewport)) / rowHeight);
  const start = clamp(first - overscan, 0, Math.max(0, count - 1));
  const end = clamp(last + overscan, start + 1, count);
  return { start, end };
}

/** The height of the spacer that stands for all `count` rows. */
export function totalHeight(count: number, rowHeight: number): number {
  return Math.max(0, count) * rowHeight;
}

/** The pages (of `pageSize` rows) that `range` overlaps, in order. */
export function pagesOf(range: Range, pageSize: number): number[] {
  if (range.end <= range.start) return [];
  const pages: number[] = [];
  for (let page = Math.floor(range.start / pageSize); page * pageSize < range.end; page++) pages.push(page);
  return pages;
}

/** What to ask for to show `range` of `ids`: for each page it overlaps, the ids of the page that
 *  are not `known` (cached or already asked for); pages with none left out. Whole pages are
 *  fetched, not just the rows in view, so scrolling on a little needs no new request. */
export function idsToFetch(
  ids: readonly number[],
  range: Range,
  pageSize: number,
  known: (id: number) => boolean,
): number[][] {
  const batches: number[][] = [];
  for (const page of pagesOf(range, pageSize)) {
    const batch = ids.slice(page * pageSize, (page + 1) * pageSize).filter((id) => !known(id));
    if (batch.length) batches.push(batch);
  }
  return batches;
}

/** The scroll position that brings row `index` fully into view, moving as little as possible:
 *  `scrollTop` itself when it is in view already. */
export function scrollToReveal(index: number, scrollTop: number, viewport: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewport) return Math.max(0, bottom - viewport);
  return scrollTop;
}

/** Rows that fit in the viewport, for Page Up / Page Down (at least one). */
export function rowsPerPage(viewport: number, rowHeight: number): number {
  return Math.max(1, Math.floor(viewport / rowHeight));
}
