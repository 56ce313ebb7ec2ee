import { describe, expect, it, vi } from 'vitest';
import { UnsavedWork, type HeldWork } from './unsaved.svelte';

function work(what: string, saves = true): HeldWork {
  return { what, save: vi.fn(async () => saves), discard: vi.fn() };
}

describe('unsaved work', () => {
  it('holds the work opened over other work, and the other again once it is let go', () => {
    const guard = new UnsavedWork();
    const settings = work('settings');
    const note = work('note');
    guard.hold(settings);
    const release = guard.hold(note);
    expect(guard.held).toBe(note);
    release();
    expect(guard.held).toBe(settings);
  });

  it('a discarded note leaves the settings’ edits held', async () => {
    const guard = new UnsavedWork();
    const settings = work('settings');
    const note = work('note');
    guard.hold(settings);
    guard.hold(note);
    const close = vi.fn();
    guard.leave(close);
    await guard.answer('discard');
    expect(note.discard).toHaveBeenCalled();
    expect(close).toHaveBeenCalled();
    expect(guard.held).toBe(settings);
  });

  it('a refused save stays, and leaves nothing', async () => {
    const guard = new UnsavedWork();
    const note = work('note', false);
    guard.hold(note);
    const close = vi.fn();
    guard.leave(close);
    await guard.answer('save');
    expect(close).not.toHaveBeenCalled();
    expect(guard.held).toBe(note);
  });
});
