import { describe, expect, it } from 'vitest';
import { optionForKey, toggleChoice } from './choices';

describe('toggleChoice', () => {
  it('replaces the pick of a single-choice or true/false question', () => {
    expect(toggleChoice('single', [], 2)).toEqual([2]);
    expect(toggleChoice('single', [2], 0)).toEqual([0]);
    // Picking the same option again keeps it picked: a single choice cannot be emptied.
    expect(toggleChoice('single', [1], 1)).toEqual([1]);
    expect(toggleChoice('true_false', [0], 1)).toEqual([1]);
  });

  it('toggles options of a multiple-choice question and keeps them sorted', () => {
    expect(toggleChoice('multiple', [], 3)).toEqual([3]);
    expect(toggleChoice('multiple', [3], 0)).toEqual([0, 3]);
    expect(toggleChoice('multiple', [0, 3], 2)).toEqual([0, 2, 3]);
    expect(toggleChoice('multiple', [0, 2, 3], 2)).toEqual([0, 3]);
    expect(toggleChoice('multiple', [0], 0)).toEqual([]);
    // Sorted numerically, not as strings.
    expect(toggleChoice('multiple', [2, 9], 10)).toEqual([2, 9, 10]);
  });

  it('returns a new array rather than changing the one given', () => {
    const chosen = [1];
    const next = toggleChoice('multiple', chosen, 2);
    expect(next).not.toBe(chosen);
    expect(chosen).toEqual([1]);
  });
});

describe('optionForKey', () => {
  it('maps number keys to 0-based options', () => {
    expect(optionForKey('1', 4)).toBe(0);
    expect(optionForKey('4', 4)).toBe(3);
    expect(optionForKey('9', 9)).toBe(8);
  });

  it('ignores keys beyond the options, 0, letters and other keys', () => {
    expect(optionForKey('5', 4)).toBeNull();
    expect(optionForKey('3', 2)).toBeNull();
    expect(optionForKey('0', 4)).toBeNull();
    expect(optionForKey('a', 4)).toBeNull();
    expect(optionForKey('10', 12)).toBeNull();
    expect(optionForKey(' ', 4)).toBeNull();
    expect(optionForKey('Enter', 4)).toBeNull();
  });
});
