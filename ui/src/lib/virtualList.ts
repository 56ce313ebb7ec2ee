// The windowing math of a virtualized list with rows of one fixed height: which rows to render
// for a list offset, which ids to fetch (in pages), where to scroll to show a row, and how the
// offset follows the scroll position when the list is taller than an element may be.
// Pure, so it is tested apart from the DOM.

/** Rows [start, end) of the list: end is exclusive. */
export type Range = { start: number; end: number };

export const EMPTY_RANGE: Range = { start: 0, end: 0 };

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/** The rows to render when the list shows from `offset` (px) in a viewport `viewport` px high:
 *  those at least partly in view, plus `overscan` rows either side, within [0, count). */
export function visibleRange(offset: number, viewport: number, rowHeight: number, count: number, overscan = 0): Range {
  if (count <= 0 || rowHeight <= 0) return EMPTY_RANGE;
  const top = Math.max(0, offset);
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + Math.max(0, viewport)) / rowHeight);
  const start = clamp(first - overscan, 0, Math.max(0, count - 1));
  const end = clamp(last + overscan, start + 1, count);
  return { start, end };
}

/** The height of all `count` rows. */
export function totalHeight(count: number, rowHeight: number): number {
  return Math.max(0, count) * rowHeight;
}

/** The tallest the spacer standing for the rows may be. WebKit lays nothing out past 2^25 px
 *  (33.5M), which 1M rows of 44 px would pass; Firefox's limit is about half that. */
export const MAX_SPACER = 16_000_000;

/** How the list sits in its scrolling element: the spacer's height, and how many px of the list
 *  one px of scrolling moves. Up to [`MAX_SPACER`] the spacer is the rows' own height and the
 *  ratio 1; beyond, the spacer stays at that height and scrolling maps proportionally onto the
 *  list, so its first and last scroll positions show its first and last rows. */
export type Layout = { spacer: number; ratio: number };

export function layout(count: number, rowHeight: number, viewport: number): Layout {
  const rows = totalHeight(count, rowHeight);
  if (rows <= MAX_SPACER) return { spacer: rows, ratio: 1 };
  const view = clamp(viewport, 0, MAX_SPACER / 2);
  return { spacer: MAX_SPACER, ratio: (rows - view) / (MAX_SPACER - view) };
}

/** The list's offset (px from its first row's top to the viewport's top) at a scroll position. */
export function offsetAt(scrollTop: number, at: Layout): number {
  return Math.max(0, scrollTop) * at.ratio;
}

/** The scroll position that shows the list from `offset`. */
export function scrollTopFor(offset: number, at: Layout): number {
  return Math.max(0, offset) / at.ratio;
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

/** The list offset that brings row `index` fully into view, moving as little as possible:
 *  `offset` itself when it is in view already. */
export function scrollToReveal(index: number, offset: number, viewport: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < offset) return top;
  if (bottom > offset + viewport) return Math.max(0, bottom - viewport);
  return offset;
}

/** Rows that fit in the viewport, for Page Up / Page Down (at least one). */
export function rowsPerPage(viewport: number, rowHeight: number): number {
  return Math.max(1, Math.floor(viewport / rowHeight));
}
