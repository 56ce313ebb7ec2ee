import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import type { SyncActivity, SyncStatus } from './lib/bindings';
import { recorded } from './test/recorded';
import { NOW, Scripted, answeredAsAsked, makeCard } from './test/scripted';
import { plural } from './screens/settings/settingsText';

type User = ReturnType<typeof userEvent.setup>;

// The replies are the real core's (recorded_replies.rs, record_sync): a laptop turns sync on
// through a folder, answers a card and syncs; a desktop joins. What the core does with a target,
// and that the shell's background sync tells its activity: src-tauri/tests/sync.rs.
const FOLDER = '/home/learner/Sync/Reprise';
/** The changes waiting on the laptop after its answer (the answer, and its sibling's burial). */
const WAITING = recorded.syncWaiting().pending;
/** The events the desktop received on joining. */
const RECEIVED = recorded.syncJoined().last!.received;

/** The activity while a sync runs, at `progress`. */
function running(progress: SyncActivity['progress'] = null): SyncActivity {
  return { ...recorded.syncIdle(), running: true, progress };
}

/** "today at 13:00" for the recorded clock, in the zone the tests run in. */
const TODAY_AT = `today at ${new Date(NOW).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}`;

/** Settings open at its Sync section. */
async function openSync(backend: Scripted) {
  const user = userEvent.setup();
  render(App);
  await screen.findByTestId('today');
  await user.click(screen.getByTestId('nav-settings'));
  const section = await screen.findByTestId('sync');
  await waitFor(() => expect(section.textContent).not.toContain('Reading the sync status'));
  await waitFor(() => expect(backend.listenersOf('sync-activity')).toBe(1));
  return { user, backend, section };
}

function text(id: string): string {
  return (screen.getByTestId(id).textContent ?? '').replace(/\s+/g, ' ').trim();
}

function input(label: string | RegExp): HTMLInputElement {
  return screen.getByLabelText<HTMLInputElement>(label);
}

/** Types the target (and the name: Tab passes "Choose a folder…") and presses Enter in the
 *  field: the form is sent. */
async function turnOn(user: User, target: string, name = '') {
  await user.click(input('Sync folder or location'));
  if (target) await user.keyboard(target);
  if (name) {
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Choose a folder…' }));
    await user.tab();
    await user.keyboard(name);
  }
  await user.keyboard('{Enter}');
}

describe('Settings → Sync', () => {
  it('explains sync while it is off; turning it on sends the folder and name typed, then shows where it syncs and this device', async () => {
    const backend = new Scripted()
      .reply('get_sync_status', recorded.syncOff(), recorded.syncTurnedOn())
      .reply('set_sync_target', recorded.syncTurnedOn());
    const { user, section } = await openSync(backend);
    expect(section.textContent?.replace(/\s+/g, ' ')).toContain(
      'Keep your reviews on every device through a folder your sync tool (Syncthing, Dropbox, iCloud Drive, OneDrive, Nextcloud) keeps in step, or an S3/WebDAV location; your collection stays on this device.',
    );
    expect(input("This device's name (optional)").value).toBe('');

    backend.held.add('set_sync_target');
    await turnOn(user, FOLDER, 'Laptop');
    expect(await screen.findByTestId('sync-turning-on')).toHaveProperty('textContent', 'Turning sync on…');
    expect(screen.getByTestId<HTMLButtonElement>('sync-turn-on').disabled).toBe(true);
    backend.release();

    await screen.findByTestId('sync-summary');
    expect(backend.callsTo('set_sync_target').map((c) => c.args)).toEqual([{ target: FOLDER, name: 'Laptop', secret: null }]);
    expect(text('sync-summary')).toBe(`Syncing through ${FOLDER}`);
    expect(text('sync-device')).toBe('This device: Laptop');
    expect(text('sync-last')).toBe('Last synced: not yet');
    expect(text('sync-pending')).toBe('Nothing waiting to be sent');
    expect(screen.getByTestId('sync-no-devices')).toBeTruthy();
    expect(screen.queryByTestId('sync-form')).toBeNull();
    // Focus follows to what sync now says, not to the page's start.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('sync-summary')));
    expect(screen.queryByTestId('error')).toBeNull();
  });

  it('leaves the name to the core (the computer\'s) when none is typed', async () => {
    const backend = new Scripted()
      .reply('get_sync_status', recorded.syncOff(), recorded.syncTurnedOn())
      .reply('set_sync_target', recorded.syncTurnedOn());
    const { user } = await openSync(backend);
    await turnOn(user, `  ${FOLDER} `);
    await waitFor(() => expect(backend.callsTo('set_sync_target')).toHaveLength(1));
    expect(backend.callsTo('set_sync_target')[0].args).toEqual({ target: FOLDER, name: null, secret: null });
  });

  it.each([
    '',
    'webdav+ftp://cloud.example.org/Reprise',
    'https://cloud.example.org/dav/Reprise',
    'webdav+https://me:secret@cloud.example.org/dav/Reprise',
  ])("shows the core's refusal of the target '%s' at the field, marked and focused, and turns nothing on", async (target) => {
    const backend = new Scripted();
    const refusal = recorded.syncTargetRefusal(target);
    backend.failures.set('set_sync_target', refusal);
    const { user } = await openSync(backend);
    await turnOn(user, target);

    const error = await screen.findByTestId('settings-error');
    expect(error.textContent).toBe(refusal.message);
    expect(error.getAttribute('role')).toBe('alert');
    const field = input('Sync folder or location');
    expect(error.closest('.field')?.contains(field)).toBe(true);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')?.split(' ')).toContain(error.id);
    await waitFor(() => expect(document.activeElement).toBe(field));
    expect(field.value).toBe(target);
    expect(screen.queryByTestId('sync-turning-on')).toBeNull();
    expect(screen.queryByTestId('sync-summary')).toBeNull();
    expect(screen.queryByTestId('error')).toBeNull();

    // Another try clears it while it runs.
    backend.failures.delete('set_sync_target');
    backend.reply('set_sync_target', recorded.syncTurnedOn()).reply('get_sync_status', recorded.syncTurnedOn());
    await user.clear(field);
    await turnOn(user, FOLDER);
    await screen.findByTestId('sync-summary');
    expect(screen.queryByTestId('settings-error')).toBeNull();
  });

  it('asks for a bucket\'s key or a server account only for a server, and sends what is typed for the keyring', async () => {
    const backend = new Scripted()
      .reply('get_sync_status', recorded.syncOff(), recorded.syncTurnedOn())
      .reply('set_sync_target', recorded.syncTurnedOn());
    const { user } = await openSync(backend);
    await user.click(input('Sync folder or location'));
    await user.keyboard(FOLDER);
    expect(screen.queryByTestId('sync-key')).toBeNull();

    await user.clear(input('Sync folder or location'));
    await user.keyboard('webdav+https://cloud.example.org/dav/Reprise');
    const account = screen.getByTestId('sync-key');
    expect(within(account).getByText('Account on the server')).toBeTruthy();
    expect(input('Password').type).toBe('password');
    expect(account.textContent).toContain("Kept in your system's keyring");

    await user.clear(input('Sync folder or location'));
    await user.keyboard('s3://reprise/sync');
    expect(within(screen.getByTestId('sync-key')).getByText('Key for the bucket')).toBeTruthy();
    await user.click(input('Access key ID'));
    await user.keyboard('AKIA0EXAMPLE');
    await user.click(input('Secret access key'));
    await user.keyboard('s3cret');
    await user.click(input(/^Endpoint/));
    await user.keyboard('https://s3.example.com');
    await user.keyboard('{Enter}');
    await screen.findByTestId('sync-summary');
    expect(backend.callsTo('set_sync_target')[0].args).toEqual({
      target: 's3://reprise/sync',
      name: null,
      secret: {
        kind: 's3',
        access_key_id: 'AKIA0EXAMPLE',
        secret_access_key: 's3cret',
        endpoint: 'https://s3.example.com',
        region: null,
      },
    });
  });

  it("shows the core's refusal of a key at the key's fields, focused, and turns nothing on", async () => {
    const backend = new Scripted();
    const refusal = recorded.syncSecretRefusal();
    backend.failures.set('set_sync_target', refusal);
    const { user } = await openSync(backend);
    await user.click(input('Sync folder or location'));
    await user.keyboard('s3://reprise/sync');
    await user.click(input('Access key ID'));
    await user.keyboard('AKIA0EXAMPLE{Enter}');
    const error = await screen.findByTestId('sync-secret-error');
    expect(error.textContent?.trim()).toBe(refusal.message);
    expect(error.getAttribute('role')).toBe('alert');
    expect(screen.getByTestId('sync-key').getAttribute('aria-describedby')?.split(' ')).toContain(error.id);
    await waitFor(() => expect(document.activeElement).toBe(input('Access key ID')));
    expect(input('Access key ID').getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByTestId('sync-summary')).toBeNull();
    expect(screen.queryByTestId('error')).toBeNull();
  });

  it('"Choose a folder…" puts the folder picked in the dialog in the field; closing it changes nothing', async () => {
    const backend = new Scripted()
      .reply('get_sync_status', recorded.syncOff(), recorded.syncTurnedOn())
      .reply('plugin:dialog|open', null, FOLDER)
      .reply('set_sync_target', recorded.syncTurnedOn());
    const { user } = await openSync(backend);
    const choose = screen.getByRole('button', { name: 'Choose a folder…' });
    await user.click(choose);
    await waitFor(() => expect(backend.callsTo('plugin:dialog|open')).toHaveLength(1));
    expect(input('Sync folder or location').value).toBe('');
    await user.click(choose);
    await waitFor(() => expect(input('Sync folder or location').value).toBe(FOLDER));
    const dialog = backend.callsTo('plugin:dialog|open');
    expect(dialog[1].args.options).toMatchObject({ directory: true, multiple: false });
    await waitFor(() => expect(document.activeElement).toBe(input('Sync folder or location')));
    await user.keyboard('{Enter}');
    await screen.findByTestId('sync-summary');
    expect(backend.callsTo('set_sync_target')[0].args).toEqual({ target: FOLDER, name: null, secret: null });
  });

  it('shows any other failure to turn sync on in the error banner', async () => {
    const backend = new Scripted();
    backend.failures.set('set_sync_target', { code: 'io', message: `${FOLDER}: permission denied` });
    const { user } = await openSync(backend);
    await turnOn(user, FOLDER);
    expect((await screen.findByTestId('error')).textContent).toContain('permission denied');
    expect(screen.queryByTestId('settings-error')).toBeNull();
  });

  it('Sync now calls sync_now, shows the progress the sync-activity event tells, then the report, its notices and the devices', async () => {
    // The laptop, an answer waiting; once synced the status is read again (here: the desktop's,
    // which has the laptop among its devices).
    const backend = new Scripted().reply('get_sync_status', recorded.syncWaiting(), recorded.syncOn());
    const { user } = await openSync(backend);
    expect(text('sync-device')).toBe('This device: Laptop');
    expect(text('sync-last')).toBe(`Last synced: ${TODAY_AT}`);
    expect(text('sync-pending')).toBe(`${plural(WAITING, 'change')} waiting to be sent`);
    expect(screen.queryByTestId('sync-report')).toBeNull();

    const now = screen.getByTestId<HTMLButtonElement>('sync-now');
    await user.click(now);
    expect(backend.callsTo('sync_now')).toHaveLength(1);

    // The background sync says what it does as it goes.
    backend.emitSyncActivity(running());
    await waitFor(() => expect(text('sync-progress')).toBe('Syncing…'));
    expect(now.disabled).toBe(true);
    expect(screen.getByTestId('sync-progress').closest('[role=status]')).toBeTruthy();
    backend.emitSyncActivity(running({ stage: 'reading', done: 1, total: 3 }));
    await waitFor(() => expect(text('sync-progress')).toBe('Reading the other devices’ changes: 1 of 3…'));
    const bar = within(screen.getByTestId('sync-progress')).getByLabelText<HTMLProgressElement>('Sync progress');
    expect([bar.value, bar.max]).toEqual([1, 3]);
    backend.emitSyncActivity(running({ stage: 'sending', done: 1, total: 1 }));
    await waitFor(() => expect(text('sync-progress')).toBe('Sending this device’s changes: 1 of 1…'));

    backend.emitSyncActivity(recorded.syncJoined());
    await waitFor(() => expect(screen.queryByTestId('sync-progress')).toBeNull());
    expect(now.disabled).toBe(false);
    expect(text('sync-report')).toContain(
      `Last sync: Sent 0, received ${RECEIVED}; 1 card updated; 1 file still arriving, read next time.`,
    );
    const notices = screen.getAllByTestId('sync-notice').map((n) => n.textContent);
    expect(notices).toEqual(recorded.syncJoined().last!.notices);
    expect(screen.getByRole('list', { name: 'Notices from the last sync' })).toBeTruthy();

    // The status is read again once the sync ends: nothing waits, the laptop is among the devices.
    await waitFor(() => expect(text('sync-pending')).toBe('Nothing waiting to be sent'));
    const rows = screen.getAllByTestId('sync-device-row');
    expect(rows.map((r) => [...r.children].map((c) => c.textContent?.trim()))).toEqual([['Laptop', TODAY_AT, '0.1.0']]);
    expect(backend.callsTo('sync_now')).toHaveLength(1);
    expect(screen.queryByTestId('error')).toBeNull();
  });

  it('shows what the last sync did when the page opens, and why it failed', async () => {
    const failed: SyncActivity = { ...recorded.syncJoined(), error: `${FOLDER}: No such file or directory (os error 2)` };
    const backend = new Scripted().reply('get_sync_status', recorded.syncOn()).reply('get_sync_activity', recorded.syncJoined());
    await openSync(backend);
    expect(text('sync-report')).toContain(`Sent 0, received ${RECEIVED}`);
    expect(screen.queryByTestId('sync-error')).toBeNull();

    backend.emitSyncActivity(failed);
    const error = await screen.findByTestId('sync-error');
    expect(error.textContent).toContain(`The last sync failed: ${FOLDER}: No such file or directory (os error 2).`);
    expect(error.getAttribute('role')).toBe('alert');

    // The next sync that works clears it.
    backend.emitSyncActivity(recorded.syncJoined());
    await waitFor(() => expect(screen.queryByTestId('sync-error')).toBeNull());
  });

  it('turning sync off calls sync_off, says what is kept, and offers the form again with the folder and name', async () => {
    const off: SyncStatus = { ...recorded.syncOn(), target: null };
    const backend = new Scripted().reply('get_sync_status', recorded.syncOn(), off);
    const { user } = await openSync(backend);
    await user.click(screen.getByTestId('sync-off'));

    await screen.findByTestId('sync-form');
    expect(backend.callsTo('sync_off')).toHaveLength(1);
    expect(text('sync-turned-off')).toBe(
      'Sync is off. What this device recorded is kept, and goes out when you turn sync on again.',
    );
    expect(screen.getByTestId('sync-turned-off').getAttribute('role')).toBe('status');
    expect(input('Sync folder or location').value).toBe(FOLDER);
    expect(input("This device's name (optional)").value).toBe('Desktop');
    await waitFor(() => expect(document.activeElement).toBe(input('Sync folder or location')));
    expect(screen.queryByTestId('sync-summary')).toBeNull();
  });

  it('reads the status again when the collection changes while sync is on', async () => {
    const backend = new Scripted().reply('get_sync_status', recorded.syncOn(), recorded.syncWaiting());
    await openSync(backend);
    expect(text('sync-pending')).toBe('Nothing waiting to be sent');
    backend.emitChanges({ cards: true, revlog: true });
    await waitFor(() => expect(text('sync-pending')).toBe(`${plural(WAITING, 'change')} waiting to be sent`));
    expect(backend.callsTo('get_sync_status')).toHaveLength(2);
  });

  it('reads nothing of sync on a change while it is off', async () => {
    const backend = new Scripted();
    await openSync(backend);
    backend.emitChanges({ cards: true, revlog: true });
    await new Promise((go) => setTimeout(go, 20));
    expect(backend.callsTo('get_sync_status')).toHaveLength(1);
  });
});

/** A review of two new cards, answers recorded as asked, sync's status answering `statuses` in
 *  turn. */
async function reviewWith(...statuses: SyncStatus[]) {
  const backend = new Scripted()
    .reply('next_card', makeCard(1), makeCard(2), null)
    .replyWith('answer_card', answeredAsAsked)
    .reply('get_sync_status', ...statuses);
  const user = userEvent.setup();
  render(App);
  await waitFor(() => expect(screen.getByTestId<HTMLButtonElement>('start-review').disabled).toBe(false));
  await user.keyboard('{Enter}');
  await screen.findByTestId('prompt');
  await waitFor(() => expect(backend.callsTo('get_sync_status')).toHaveLength(1));
  await waitFor(() => expect(backend.listenersOf('sync-activity')).toBe(1));
  return { user, backend };
}

function mark(): HTMLElement {
  return screen.getByTestId('sync-mark');
}

describe("The review's sync mark", () => {
  it('shows nothing while sync is off', async () => {
    await reviewWith(recorded.syncOff());
    expect(screen.queryByTestId('sync-mark')).toBeNull();
  });

  it('says "N waiting", "Syncing…", "Synced" and "Sync failed" (why in its tooltip), politely', async () => {
    const more = { ...recorded.syncWaiting(), pending: WAITING + 2 };
    const { user, backend } = await reviewWith(recorded.syncWaiting(), more, recorded.syncOn());
    await waitFor(() => expect(mark().textContent?.trim()).toBe(`${WAITING} waiting`));
    expect(mark().dataset.state).toBe('waiting');
    expect(mark().title).toBe(`${plural(WAITING, 'change')} waiting to be synced`);
    expect(mark().closest('[aria-live=polite]')).toBeTruthy();

    // An answer is more changes waiting.
    await user.keyboard(' 3');
    await waitFor(() => expect(mark().textContent?.trim()).toBe(`${WAITING + 2} waiting`));

    backend.emitSyncActivity(running({ stage: 'sending', done: 0, total: 1 }));
    await waitFor(() => expect(mark().textContent?.trim()).toBe('Syncing…'));

    // It ends: the status is read again, nothing waits.
    backend.emitSyncActivity(recorded.syncJoined());
    await waitFor(() => expect(mark().textContent?.trim()).toBe('Synced'));
    expect(mark().dataset.state).toBe('synced');

    const error = `${FOLDER}: No such file or directory (os error 2)`;
    backend.emitSyncActivity({ ...recorded.syncJoined(), error });
    await waitFor(() => expect(mark().dataset.state).toBe('failed'));
    expect(mark().textContent?.replace(/\s+/g, ' ').trim()).toBe(`Sync failed: ${error}`);
    expect(mark().querySelector('.visually-hidden')?.textContent).toBe(`: ${error}`);
    expect(mark().title).toBe(error);
    expect(screen.queryByTestId('error')).toBeNull();
  });

  it('takes no focus and no key: the review keys go on working', async () => {
    const { user, backend } = await reviewWith(recorded.syncOn());
    await waitFor(() => expect(mark().textContent?.trim()).toBe('Synced'));
    expect(mark().querySelectorAll('button, a, input, [tabindex]')).toHaveLength(0);
    expect(mark().hasAttribute('tabindex')).toBe(false);
    for (let i = 0; i < 6; i++) {
      await user.tab();
      expect(mark().contains(document.activeElement)).toBe(false);
    }
    (document.activeElement as HTMLElement | null)?.blur();
    await user.keyboard(' ');
    await screen.findByTestId('answer');
    await user.keyboard('3');
    await waitFor(() => expect(backend.callsTo('answer_card')).toHaveLength(1));
    expect(backend.callsTo('answer_card')[0].args).toMatchObject({ cardId: 1, rating: 'good' });
  });
});
