import { describe, expect, it, vi } from 'vitest';
import type { Changes } from '../api';
import { recorded } from '../../test/recorded';
import { Scripted } from '../../test/scripted';
import { SettingsStore } from './settings.svelte';
import { StatusStore } from './status.svelte';
import { SyncStore } from './sync.svelte';

const NONE: Changes = { cards: false, notes: false, revlog: false, settings: false, packs: false, lessons: false };

describe('the status store', () => {
  it("reads Today's counts and the backlog", async () => {
    new Scripted()
      .reply('get_status', { ...recorded.status(), new: 1, learning: 0, review: 1, total_cards: 2 })
      .reply('get_backlog', { overdue: 4, new_paused_until: null });
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
    const backend = new Scripted();
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
    // Replies go in the order answered: the second refresh gets the first, the held one the second.
    const [one, two] = [{ ...recorded.status(), new: 1 }, { ...recorded.status(), new: 2 }];
    const backend = new Scripted().reply('get_status', one, two);
    const store = new StatusStore(() => {});
    backend.held.add('get_status');
    const first = store.refresh();
    backend.held.delete('get_status');
    await store.refresh();
    expect(store.status?.new).toBe(1);

    // The first refresh answers last, with a newer count: it is older, so it is not shown.
    backend.release();
    await first;
    expect(store.status?.new).toBe(1);
    expect(store.loading).toBe(false);
  });

  it('reports a failure', async () => {
    const backend = new Scripted();
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
    // How the core reads the patch: settings_are_read_validated_and_saved_and_card_actions_undo
    // (src-tauri/tests/commands.rs).
    const five = { ...recorded.settings(), new_per_day: 5 };
    const saved = { ...five, desired_retention: 0.85, learning_steps_minutes: [2, 30] };
    const backend = new Scripted().reply('get_settings', recorded.settings(), five, saved).reply('update_settings', 1);
    const store = new SettingsStore(() => {});
    expect(store.settings).toBeNull();
    expect((await store.load()).new_per_day).toBe(20);
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
    expect(backend.callsTo('get_settings')).toHaveLength(3);
  });

  it('fails as the backend does, with the setting at fault, keeping what it had', async () => {
    const backend = new Scripted();
    const store = new SettingsStore(() => {});
    await store.load();
    backend.failures.set('update_settings', recorded.settingsRefusal('rollover_hour', '24'));
    await expect(store.save({ rollover_hour: '24' })).rejects.toMatchObject({ code: 'invalid', field: 'rollover_hour' });
    expect(store.settings?.rollover_hour).toBe(4);
    expect(backend.callsTo('get_settings')).toHaveLength(1);
  });

  it('answers what was saved even when reading the settings back fails, and says why', async () => {
    const backend = new Scripted().reply('update_settings', 0);
    const onError = vi.fn();
    const store = new SettingsStore(onError);
    await store.load();
    backend.failures.set('get_settings', { code: 'database', message: 'database is locked' });
    expect(await store.save({ new_per_day: '7' })).toBe(0);
    expect(backend.callsTo('update_settings').map((c) => c.args)).toEqual([{ patch: { new_per_day: '7' } }]);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'database is locked' }));
  });

  it('reads them again when they changed, once they have been read', async () => {
    const suspend = { ...recorded.settings(), leech_action: 'suspend' as const };
    const backend = new Scripted().reply('get_settings', recorded.settings(), suspend);
    const store = new SettingsStore(() => {});
    store.changed({ ...NONE, settings: true });
    expect(backend.callsTo('get_settings')).toHaveLength(0);

    await store.load();
    store.changed({ ...NONE, cards: true });
    expect(backend.callsTo('get_settings')).toHaveLength(1);
    store.changed({ ...NONE, settings: true });
    await vi.waitFor(() => expect(store.settings?.leech_action).toBe('suspend'));
  });
});

describe('the sync store', () => {
  it('keeps an activity heard while a read was in flight: it is newer than the one read', async () => {
    const backend = new Scripted().reply('get_sync_status', recorded.syncOn());
    const store = new SyncStore(() => {});
    backend.held.add('get_sync_activity');
    const reading = store.refresh();
    const running = { ...recorded.syncIdle(), running: true };
    store.heard(running);
    backend.release();
    await reading;
    expect(store.activity).toEqual(running);
    expect(store.status?.target).toBe('/home/learner/Sync/Reprise');
  });

  it('marks syncing over failed over waiting over synced, and nothing while sync is off', async () => {
    const backend = new Scripted().reply('get_sync_status', recorded.syncOff());
    const store = new SyncStore(() => {});
    expect(store.mark).toBeNull();
    await store.refresh();
    expect(store.mark).toBeNull();

    backend.reply('get_sync_status', recorded.syncWaiting());
    await store.refresh();
    expect(store.mark).toEqual({ state: 'waiting', pending: recorded.syncWaiting().pending });
    store.heard({ ...recorded.syncJoined(), error: 'gone' });
    expect(store.mark).toEqual({ state: 'failed', error: 'gone' });
    store.heard({ ...recorded.syncJoined(), running: true, error: 'gone' });
    expect(store.mark).toEqual({ state: 'syncing' });
    backend.reply('get_sync_status', recorded.syncOn());
    store.heard(recorded.syncJoined());
    await vi.waitFor(() => expect(store.mark).toEqual({ state: 'synced' }));
  });

  it('reads the status again on a change only while sync is on', async () => {
    const backend = new Scripted();
    const store = new SyncStore(() => {});
    store.changed();
    await store.refresh();
    store.changed();
    expect(backend.callsTo('get_sync_status')).toHaveLength(1);
    store.set(recorded.syncOn());
    store.changed();
    expect(backend.callsTo('get_sync_status')).toHaveLength(2);
  });
});
