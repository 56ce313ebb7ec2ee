// The browser's rows read so far, by card id. Only the rows in view are read, a page of ids at a
// time; after an action every row is stale (still shown) until read again, and answers to reads
// begun before it are not trusted.
import type { BrowseRow } from '../../lib/bindings';
import { idsToFetch, type Range } from '../../lib/virtualList';

/** A page of ids to read, and the generation of the cache it was asked for. */
export type Request = { generation: number; ids: number[] };

export class RowCache {
  #rows = new Map<number, BrowseRow>();
  #stale = new Set<number>();
  #asked = new Set<number>();
  #gone = new Set<number>();
  #generation = 0;
  readonly #limit: number;

  /** Keeps at most about `limit` rows beyond those in view. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** The row read for `id`, fresh or stale; null when none is. */
  row(id: number): BrowseRow | null {
    return this.#rows.get(id) ?? null;
  }

  /** Whether card `id` was found to no longer exist. */
  isGone(id: number): boolean {
    return this.#gone.has(id);
  }

  /** How many rows are kept. */
  get size(): number {
    return this.#rows.size;
  }

  /** Read fresh, being read, or gone: nothing to ask for. */
  known(id: number): boolean {
    return (this.#rows.has(id) && !this.#stale.has(id)) || this.#asked.has(id) || this.#gone.has(id);
  }

  /** The pages of `ids` in `want` to read, in pages of `pageSize`; they count as being read. */
  request(ids: readonly number[], want: Range, pageSize: number): Request[] {
    const requests: Request[] = [];
    for (const batch of idsToFetch(ids, want, pageSize, (id) => this.known(id))) {
      for (const id of batch) this.#asked.add(id);
      requests.push({ generation: this.#generation, ids: batch });
    }
    return requests;
  }

  /** Takes in the rows read for `request`; false (taking nothing) when the request is outdated.
   *  Ids without a row are of cards that no longer exist. */
  received(request: Request, rows: readonly BrowseRow[]): boolean {
    if (request.generation !== this.#generation) return false;
    for (const row of rows) {
      this.#rows.set(row.card_id, row);
      this.#stale.delete(row.card_id);
    }
    for (const id of request.ids) {
      this.#asked.delete(id);
      if (!rows.some((r) => r.card_id === id)) this.#gone.add(id);
    }
    return true;
  }

  /** A read failed: its ids may be asked for again. False when the request is outdated. */
  failed(request: Request): boolean {
    if (request.generation !== this.#generation) return false;
    for (const id of request.ids) this.#asked.delete(id);
    return true;
  }

  /** Every row may have changed: all are stale, and reads begun before are not trusted. */
  invalidate(): void {
    this.#generation += 1;
    for (const id of this.#rows.keys()) this.#stale.add(id);
    this.#asked.clear();
    this.#gone.clear();
  }

  /** No read begun before is taken in any more (the list is gone). */
  close(): void {
    this.#generation += 1;
  }

  /** Keeps the cache bounded however far the learner scrolls: over the limit, rows out of
   *  `inView` go. */
  trim(inView: readonly number[]): void {
    if (this.#rows.size <= this.#limit) return;
    const keep = new Set(inView);
    for (const id of this.#rows.keys()) {
      if (!keep.has(id)) {
        this.#rows.delete(id);
        this.#stale.delete(id);
      }
    }
  }
}
