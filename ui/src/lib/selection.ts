// Selecting rows of a list as file managers do: a click selects one row, Ctrl/Cmd+click toggles a
// row, Shift+click selects the rows from the anchor to it, ↑/↓ move (with Shift, extend). Rows are
// named by id, so a selection survives the list being sorted or filtered again.

export type Selection = {
  /** The selected ids. */
  readonly ids: ReadonlySet<number>;
  /** Where a Shift+click or Shift+↑/↓ range starts. */
  readonly anchor: number | null;
  /** The row last clicked or moved to: the one the detail pane shows. */
  readonly cursor: number | null;
};

/** The list as the selection sees it: its ids in order, and where an id is (-1 if absent). */
export type List = {
  readonly ids: readonly number[];
  indexOf(id: number): number;
};

export const NO_SELECTION: Selection = { ids: new Set(), anchor: null, cursor: null };

/** A list over `ids`, with an index for looking ids up. */
export function listOf(ids: readonly number[]): List {
  const index = new Map<number, number>();
  ids.forEach((id, i) => index.set(id, i));
  return { ids, indexOf: (id) => index.get(id) ?? -1 };
}

function between(list: List, from: number, to: number): number[] {
  const [low, high] = from <= to ? [from, to] : [to, from];
  return list.ids.slice(low, high + 1);
}

export type Modifiers = { toggle?: boolean; range?: boolean };

/** A click on the row at `index`: `toggle` is Ctrl/Cmd held, `range` is Shift held. */
export function click(selection: Selection, list: List, index: number, { toggle = false, range = false }: Modifiers = {}): Selection {
  const id = list.ids[index];
  if (id === undefined) return selection;
  if (range) {
    const anchorIndex = selection.anchor === null ? -1 : list.indexOf(selection.anchor);
    const from = anchorIndex < 0 ? index : anchorIndex;
    const ids = new Set(toggle ? selection.ids : []);
    for (const each of between(list, from, index)) ids.add(each);
    return { ids, anchor: list.ids[from], cursor: id };
  }
  if (toggle) {
    const ids = new Set(selection.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: id, cursor: id };
  }
  return { ids: new Set([id]), anchor: id, cursor: id };
}

/** ↑ (delta -1) or ↓ (+1), or further for Page Up/Down: the cursor moves and selects that row
 *  alone, or with `extend` (Shift) the rows from the anchor to it. From no cursor, it starts at
 *  the first row. */
export function move(selection: Selection, list: List, delta: number, extend = false): Selection {
  if (list.ids.length === 0) return selection;
  const at = selection.cursor === null ? -1 : list.indexOf(selection.cursor);
  const index = at < 0 ? 0 : Math.min(Math.max(at + delta, 0), list.ids.length - 1);
  return click(selection, list, index, { range: extend });
}

/** Moves to the row at `index` (Home, End). */
export function moveTo(selection: Selection, list: List, index: number, extend = false): Selection {
  if (list.ids.length === 0) return selection;
  return click(selection, list, Math.min(Math.max(index, 0), list.ids.length - 1), { range: extend });
}

/** Every row of the list, keeping the cursor (or starting at the first row). */
export function selectAll(selection: Selection, list: List): Selection {
  const cursor = selection.cursor !== null && list.indexOf(selection.cursor) >= 0 ? selection.cursor : (list.ids[0] ?? null);
  return { ids: new Set(list.ids), anchor: selection.anchor ?? cursor, cursor };
}

/** The selection as it stands in a new list (after a search or an action): ids no longer listed
 *  are dropped, so an action never reaches a card the learner cannot see. The cursor stays, so
 *  the detail pane keeps showing its card. */
export function retain(selection: Selection, list: List): Selection {
  let dropped = false;
  for (const id of selection.ids) {
    if (list.indexOf(id) < 0) {
      dropped = true;
      break;
    }
  }
  if (!dropped) return selection;
  const ids = new Set([...selection.ids].filter((id) => list.indexOf(id) >= 0));
  return { ...selection, ids };
}

/** The selected ids in list order. */
export function selectedInOrder(selection: Selection, list: List): number[] {
  if (selection.ids.size === list.ids.length) return list.ids.filter((id) => selection.ids.has(id));
  return [...selection.ids].filter((id) => list.indexOf(id) >= 0).sort((a, b) => list.indexOf(a) - list.indexOf(b));
}
