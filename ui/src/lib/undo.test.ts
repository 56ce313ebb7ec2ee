import { describe, expect, it } from 'vitest';
import { recorded } from '../test/recorded';
import type { UndoOutcome } from './bindings';
import { undoneText } from './undo';

const outcome = (action: string, cards: number): UndoOutcome => ({
  action,
  card_id: null,
  cards,
  status: recorded.status(),
  card: null,
});

describe('undoneText', () => {
  it('words the note editor’s steps', () => {
    expect(undoneText(outcome('add_note', 2))).toBe('Adding the note undone (2 cards)');
    expect(undoneText(outcome('edit_note', 1))).toBe('Note edit undone');
    expect(undoneText(outcome('delete_note', 3))).toBe('Note deletion undone (3 cards)');
  });

  it('says a step it has no words for by its name', () => {
    expect(undoneText(outcome('merge_notes', 1))).toBe('Undone: merge notes');
  });
});
