import { describe, expect, it } from 'vitest';
import type { BrowseRow } from '../../lib/bindings';
import { RowCache } from './rowCache';

function row(id: number, prompt = `Prompt ${id}`): BrowseRow {
  return {
    card_id: id,
    note_id: id,
    prompt,
    answer: '',
    direction: 'forward',
    pack: 'p',
    area: '',
    state: 'new',
    due: null,
    interval_days: 0,
    stability: null,
    difficulty: null,
    retrievability: null,
    lapses: 0,
    reviews: 0,
    suspended: false,
    buried: false,
    leech: false,
  };
}

const ids = Array.from({ length: 250 }, (_, i) => i + 1);

describe('the row cache', () => {
  it('asks for the pages in view once, and takes in what comes back', () => {
    const cache = new RowCache(1000);
    const requests = cache.request(ids, { start: 90, end: 110 }, 100);
    expect(requests.map((r) => [r.ids[0], r.ids.length])).toEqual([
      [1, 100],
      [101, 100],
    ]);
    // Being read: not asked for again.
    expect(cache.request(ids, { start: 95, end: 105 }, 100)).toEqual([]);

    expect(cache.received(requests[0], requests[0].ids.map((id) => row(id)))).toBe(true);
    expect(cache.row(5)?.prompt).toBe('Prompt 5');
    expect(cache.row(150)).toBeNull();
  });

  it('marks ids without a row as gone, and lets a failed page be asked again', () => {
    const cache = new RowCache(1000);
    const [first] = cache.request(ids, { start: 0, end: 10 }, 100);
    cache.received(first, first.ids.filter((id) => id !== 7).map((id) => row(id)));
    expect(cache.isGone(7)).toBe(true);
    expect(cache.known(7)).toBe(true);

    const [second] = cache.request(ids, { start: 100, end: 110 }, 100);
    expect(cache.failed(second)).toBe(true);
    expect(cache.request(ids, { start: 100, end: 110 }, 100)).toHaveLength(1);
  });

  it('after an invalidation keeps the rows shown but stale, reads them again, and ignores older answers', () => {
    const cache = new RowCache(1000);
    const [old] = cache.request(ids, { start: 0, end: 10 }, 100);
    cache.received(old, old.ids.map((id) => row(id)));
    const [late] = cache.request(ids, { start: 100, end: 110 }, 100);

    cache.invalidate();
    expect(cache.row(1)?.prompt).toBe('Prompt 1');
    expect(cache.known(1)).toBe(false);
    expect(cache.received(late, late.ids.map((id) => row(id)))).toBe(false);
    expect(cache.row(101)).toBeNull();
    expect(cache.failed(late)).toBe(false);

    const [again] = cache.request(ids, { start: 0, end: 10 }, 100);
    cache.received(again, [row(1, 'Changed')]);
    expect(cache.row(1)?.prompt).toBe('Changed');
    expect(cache.known(1)).toBe(true);
  });

  it('ignores every answer once closed', () => {
    const cache = new RowCache(1000);
    const [request] = cache.request(ids, { start: 0, end: 10 }, 100);
    cache.close();
    expect(cache.received(request, [row(1)])).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('trims the rows out of view once over its limit', () => {
    const cache = new RowCache(150);
    const requests = cache.request(ids, { start: 0, end: 250 }, 100);
    for (const r of requests) cache.received(r, r.ids.map((id) => row(id)));
    expect(cache.size).toBe(250);
    cache.trim(ids.slice(200, 210));
    expect(cache.size).toBe(10);
    expect(cache.row(205)).not.toBeNull();
    expect(cache.row(1)).toBeNull();
    cache.trim([]);
    expect(cache.size).toBe(10);
  });
});
