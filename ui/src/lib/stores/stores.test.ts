import { describe, expect, it, vi } from 'vitest';
import type { Changes } from '../api';
import { FakeBackend, defaultSettings, makeCard } from '../../test/fakeBackend';
import { SettingsStore } from './settings.svelte';
import { StatusStore } from './status.svelte';

const NONE: Changes = { cards: false, notes: false, revlog: false, settings: false, packs: false, lessons: false };

describe('the status store', () => {
  it("reads Today's counts and the backlog", async () => {
    const backend = new FakeBackend([makeCard(1), makeCard(2, 'review')]);
    backend.overdue = 4;
    const store = new StatusStore(() => {});
    expect(store.status).toBeNull();

    const done = store.refresh();
    expect(store.loading).toBe(true);
    await done;
    expect(store.loading).toBe(false);
    expect(store.status).toMatchObject({ new: 1, review: 1, total_cards: 2 });
    expect(store.backlog).toEqual({ overdue: 4, new_paused_until: null });
  });

  it('refreshes when cards, the review log, settings or packs changed, not for notes or lessons alone', async () => {
    const backend = new FakeBackend([]);
    const store = new StatusStore(() => {});
    for (const kind of ['cards', 'revlog', 'settings', 'packs'] as const) {
      store.changed({ ...NONE, [kind]: true });
    }
    store.changed({ ...NONE, notes: true, lessons: true });
    store.changed(NONE);
    await vi.waitFor(() => expect(store.loading).toBe(false));
    expect(backend.callsTo('get_status')).toHaveLength(4);
  });

  it('keeps the answer of the newest refresh when an older one answers after it', async () => {
    const backend = new FakeBackend([makeCard(1)]);
    const store = new StatusStore(() => {});
    backend.held.add('get_status');
    const first = store.refresh();
    backend.held.delete('get_status');
    await store.refresh();
    expect(store.status?.new).toBe(1);

    // The first refresh answers last (and, held, reads the queue as it is now): it is older, so
    // it is not shown.
    backend.queue.push(makeCard(2));
    backend.release();
    await first;
    expect(store.status?.new).toBe(1);
    expect(store.loading).toBe(false);
  });

  it('reports a failure', async () => {
    const backend = new FakeBackend([]);
    backend.failures.set('get_backlog', { code: 'database', message: 'database is locked' });
    const onError = vi.fn();
    const store = new StatusStore(onError);
    await store.refresh();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'database is locked' }));
    expect(store.status).toBeNull();
    expect(store.loading).toBe(false);
  });
});

describe('the settings store', () => {
  it('reads the settings afresh each time, and saves them', async () => {
    const backend = new FakeBackend([makeCard(1, 'review')]);
    const store = new SettingsStore(() => {});
    expect(store.settings).toBeNull();
    expect((await store.load()).new_per_day).toBe(20);
    backend.settings = { ...defaultSettings(), new_per_day: 5 };
    expect((await store.load()).new_per_day).toBe(5);
    expect(store.settings?.new_per_day).toBe(5);

    // Only the settings named change, read by the core from text; what it stored is read back.
    const rescheduled = await store.save({ desired_retention: '0.85', learning_steps_minutes: '2m 0.5h' });
    expect(rescheduled).toBe(1);
    expect(backend.callsTo('update_settings').map((c) => c.args)).toEqual([
      { patch: { desired_retention: '0.85', learning_steps_minutes: '2m 0.5h' } },
    ]);
    expect(store.settings?.desired_retention).toBe(0.85);
    expect(store.settings?.learning_steps_minutes).toEqual([2, 30]);
    expect(store.settings?.new_per_day).toBe(5);
    expect(backend.settings.desired_retention).toBe(0.85);
  });

  it('fails as the backend does, with the setting at fault, keeping what it had', async () => {
    const backend = new FakeBackend([]);
    const store = new SettingsStore(() => {});
    await store.load();
    backend.failures.set('update_settings', {
      code: 'invalid',
      message: 'rollover hour 24 is not an hour of the day; choose 0 to 23',
      field: 'rollover_hour',
    });
    await expect(store.save({ rollover_hour: '24' })).rejects.toMatchObject({ code: 'invalid', field: 'rollover_hour' });
    expect(store.settings?.rollover_hour).toBe(4);
    expect(backend.settings.rollover_hour).toBe(4);
  });

  it('answers what was saved even when reading the settings back fails, and says why', async () => {
    const backend = new FakeBackend([]);
    const onError = vi.fn();
    const store = new SettingsStore(onError);
    await store.load();
    backend.failures.set('get_settings', { code: 'database', message: 'database is locked' });
    expect(await store.save({ new_per_day: '7' })).toBe(0);
    expect(backend.settings.new_per_day).toBe(7);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'database is locked' }));
  });

  it('reads them again when they changed, once they have been read', async () => {
    const backend = new FakeBackend([]);
    const store = new SettingsStore(() => {});
    store.changed({ ...NONE, settings: true });
    expect(backend.callsTo('get_settings')).toHaveLength(0);

    await store.load();
    backend.settings = { ...defaultSettings(), leech_action: 'suspend' };
    store.changed({ ...NONE, cards: true });
    expect(backend.callsTo('get_settings')).toHaveLength(1);
    store.changed({ ...NONE, settings: true });
    await vi.waitFor(() => expect(store.settings?.leech_action).toBe('suspend'));
  });
});
