import { describe, expect, it } from 'vitest';
import { isConfirm } from '../../lib/keys';
import { reviewCommand, type KeyPress, type ReviewKeyState } from './reviewKeys';

const SHOWN: ReviewKeyState = { settingDue: false, hasCard: true, busy: false, revealed: false, quiz: null };
const REVEALED: ReviewKeyState = { ...SHOWN, revealed: true };

const quiz = (verdict: 'right' | 'wrong' | null): ReviewKeyState => ({ ...SHOWN, quiz: { options: 3, verdict } });

function press(key: string, fields: Partial<KeyPress> = {}): KeyPress {
  return { key, repeat: false, isComposing: false, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, target: null, ...fields };
}

describe('review keys on a card', () => {
  it('Space and Enter reveal; rating keys do nothing before that', () => {
    expect(reviewCommand(press(' '), SHOWN)).toEqual({ kind: 'reveal' });
    expect(reviewCommand(press('Enter'), SHOWN)).toEqual({ kind: 'reveal' });
    for (const key of ['1', '2', '3', '4']) expect(reviewCommand(press(key), SHOWN)).toBeNull();
  });

  it('1–4 rate Again, Hard, Good and Easy once revealed; Space no longer does anything', () => {
    expect(['1', '2', '3', '4'].map((k) => reviewCommand(press(k), REVEALED))).toEqual([
      { kind: 'rate', rating: 'again' },
      { kind: 'rate', rating: 'hard' },
      { kind: 'rate', rating: 'good' },
      { kind: 'rate', rating: 'easy' },
    ]);
    expect(reviewCommand(press(' '), REVEALED)).toBeNull();
    expect(reviewCommand(press('5'), REVEALED)).toBeNull();
  });

  it('Space does what the main button says even with another button focused; Enter presses the focused one', () => {
    const bury = document.createElement('button');
    expect(reviewCommand(press(' ', { target: bury }), SHOWN)).toEqual({ kind: 'reveal' });
    expect(reviewCommand(press('Enter', { target: bury }), SHOWN)).toBeNull();
  });

  it('Space picks a focused quiz option and Enter on it checks', () => {
    const option = document.createElement('button');
    option.setAttribute('role', 'radio');
    expect(isConfirm(' ', option)).toBe(false);
    expect(isConfirm('Enter', option)).toBe(true);
    expect(reviewCommand(press('Enter', { target: option }), quiz(null))).toEqual({ kind: 'check' });
    expect(reviewCommand(press(' ', { target: option }), quiz(null))).toBeNull();
  });

  it('e edits the card’s note, revealed or not, but not a quiz question’s; a adds a note', () => {
    expect(reviewCommand(press('e'), SHOWN)).toEqual({ kind: 'edit' });
    expect(reviewCommand(press('e'), REVEALED)).toEqual({ kind: 'edit' });
    expect(reviewCommand(press('e'), quiz(null))).toBeNull();
    expect(reviewCommand(press('e'), { ...SHOWN, busy: true })).toBeNull();
    expect(reviewCommand(press('e', { ctrlKey: true }), SHOWN)).toBeNull();
    expect(reviewCommand(press('a'), SHOWN)).toEqual({ kind: 'add' });
    expect(reviewCommand(press('a'), { ...SHOWN, hasCard: false })).toEqual({ kind: 'add' });
  });

  it('- buries and @ suspends, revealed or not', () => {
    expect(reviewCommand(press('-'), SHOWN)).toEqual({ kind: 'act', action: { kind: 'bury' } });
    expect(reviewCommand(press('@', { shiftKey: true }), REVEALED)).toEqual({ kind: 'act', action: { kind: 'suspend' } });
  });

  it('Ctrl+Z (or Cmd+Z) undoes, even with no card; Ctrl+Shift+Z and Alt do not', () => {
    const none = { ...SHOWN, hasCard: false };
    expect(reviewCommand(press('z', { ctrlKey: true }), none)).toEqual({ kind: 'undo' });
    expect(reviewCommand(press('Z', { metaKey: true }), SHOWN)).toEqual({ kind: 'undo' });
    expect(reviewCommand(press('z', { ctrlKey: true, shiftKey: true }), SHOWN)).toBeNull();
    expect(reviewCommand(press('z', { ctrlKey: true, altKey: true }), SHOWN)).toBeNull();
    expect(reviewCommand(press('3', { altKey: true }), REVEALED)).toBeNull();
  });

  it('Escape leaves, even at the summary; nothing else acts without a card or while busy', () => {
    expect(reviewCommand(press('Escape'), { ...SHOWN, hasCard: false })).toEqual({ kind: 'exit' });
    expect(reviewCommand(press('Escape'), { ...SHOWN, busy: true })).toEqual({ kind: 'exit' });
    expect(reviewCommand(press(' '), { ...SHOWN, hasCard: false })).toBeNull();
    expect(reviewCommand(press('3'), { ...REVEALED, busy: true })).toBeNull();
    expect(reviewCommand(press('-'), { ...SHOWN, busy: true })).toBeNull();
  });

  it('ignores held keys and keys typed while composing', () => {
    expect(reviewCommand(press(' ', { repeat: true }), SHOWN)).toBeNull();
    expect(reviewCommand(press('3', { isComposing: true }), REVEALED)).toBeNull();
  });

  it('with Set due open, only Escape (closing it) counts; the days field keeps every key', () => {
    const open = { ...REVEALED, settingDue: true };
    expect(reviewCommand(press('Escape'), open)).toEqual({ kind: 'close-set-due' });
    expect(reviewCommand(press('3'), open)).toBeNull();
    expect(reviewCommand(press('z', { ctrlKey: true }), open)).toBeNull();
    const field = document.createElement('input');
    expect(reviewCommand(press('3', { target: field }), REVEALED)).toBeNull();
    expect(reviewCommand(press('Escape', { target: field }), REVEALED)).toBeNull();
  });
});

describe('review keys on a quiz card', () => {
  it('numbers pick among its options, Space or Enter checks', () => {
    expect(reviewCommand(press('2'), quiz(null))).toEqual({ kind: 'toggle', option: 1 });
    expect(reviewCommand(press('4'), quiz(null))).toBeNull();
    expect(reviewCommand(press(' '), quiz(null))).toEqual({ kind: 'check' });
    expect(reviewCommand(press('Enter'), quiz(null))).toEqual({ kind: 'check' });
  });

  it('right: Space rates Good, 2 Hard, 4 Easy, and 1 is not offered', () => {
    expect(reviewCommand(press(' '), quiz('right'))).toEqual({ kind: 'rate-quiz', rating: 'good' });
    expect(reviewCommand(press('2'), quiz('right'))).toEqual({ kind: 'rate-quiz', rating: 'hard' });
    expect(reviewCommand(press('4'), quiz('right'))).toEqual({ kind: 'rate-quiz', rating: 'easy' });
    expect(reviewCommand(press('1'), quiz('right'))).toBeNull();
  });

  it('wrong: Space or Enter moves on, numbers do nothing', () => {
    expect(reviewCommand(press(' '), quiz('wrong'))).toEqual({ kind: 'continue' });
    expect(reviewCommand(press('Enter'), quiz('wrong'))).toEqual({ kind: 'continue' });
    expect(reviewCommand(press('1'), quiz('wrong'))).toBeNull();
  });

  it('- and @ still act on it', () => {
    expect(reviewCommand(press('@'), quiz(null))).toEqual({ kind: 'act', action: { kind: 'suspend' } });
  });
});
