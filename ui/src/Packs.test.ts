import { tick } from 'svelte';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import { FakeBackend, makePack, makeReport } from './test/fakeBackend';

type User = ReturnType<typeof userEvent.setup>;

/** A zipped pack the fake can import: 56 new terms, two lines left out. */
const FILE = '/home/me/terms.zip';

/** Two packs installed: the built-in one and Kubernetes. */
function setup() {
  const backend = new FakeBackend([]);
  backend.packs = [makePack('reprise.core', 'Reprise', 120, 240, true), makePack('k8s', 'Kubernetes', 40, 80)];
  backend.importable.set(
    FILE,
    makeReport('my.terms', 'My terms', 56, [
      { entry: 'line 12', reason: 'no definition' },
      { entry: 'line 40', reason: 'the same term as line 3' },
    ]),
  );
  const user = userEvent.setup();
  render(App);
  return { user, backend };
}

async function openPacks(user: User) {
  await screen.findByTestId('today');
  await user.click(screen.getByTestId('nav-packs'));
  await waitFor(() => expect(screen.getAllByTestId('pack')).toHaveLength(2));
}

function packRow(id: string): HTMLElement {
  const row = screen.queryAllByTestId('pack').find((li) => li.dataset.packId === id);
  if (!row) throw new Error(`no pack ${id} in the list`);
  return row;
}

function packIds(): string[] {
  return screen.queryAllByTestId('pack').map((li) => li.dataset.packId ?? '');
}

function pathInput(): HTMLInputElement {
  return screen.getByTestId<HTMLInputElement>('import-path');
}

/** Starts importing `path` by pasting it and pressing Enter. */
async function importByEnter(user: User, path: string) {
  await user.click(pathInput());
  await user.paste(path);
  await user.keyboard('{Enter}');
}

describe('Packs list', () => {
  it('shows each pack with its counts, and Disable/Enable toggles it and re-reads the list', async () => {
    const { user, backend } = setup();
    await openPacks(user);

    expect(packIds()).toEqual(['reprise.core', 'k8s']);
    const k8s = packRow('k8s');
    expect(k8s.textContent).toContain('Kubernetes');
    expect(k8s.textContent).toContain('k8s · v1.0.0 · 40 notes · 80 cards');
    expect(packRow('reprise.core').textContent).toContain('120 notes · 240 cards');
    expect(within(k8s).getByTestId('pack-toggle').textContent?.trim()).toBe('Disable');
    expect(k8s.classList.contains('disabled')).toBe(false);
    expect(backend.callsTo('list_packs')).toHaveLength(1);

    await user.click(within(k8s).getByTestId('pack-toggle'));
    // The button only changes once the list is read again from the backend.
    await waitFor(() => expect(within(packRow('k8s')).getByTestId('pack-toggle').textContent?.trim()).toBe('Enable'));
    expect(backend.callsTo('set_pack_enabled').map((c) => c.args)).toEqual([{ id: 'k8s', enabled: false }]);
    expect(backend.callsTo('list_packs')).toHaveLength(2);
    expect(packRow('k8s').classList.contains('disabled')).toBe(true);
    // The other pack is untouched.
    expect(within(packRow('reprise.core')).getByTestId('pack-toggle').textContent?.trim()).toBe('Disable');

    await user.click(within(packRow('k8s')).getByTestId('pack-toggle'));
    await waitFor(() => expect(within(packRow('k8s')).getByTestId('pack-toggle').textContent?.trim()).toBe('Disable'));
    expect(backend.callsTo('set_pack_enabled').map((c) => c.args)).toEqual([
      { id: 'k8s', enabled: false },
      { id: 'k8s', enabled: true },
    ]);
    expect(backend.callsTo('list_packs')).toHaveLength(3);
    expect(screen.queryByTestId('error')).toBeNull();
  });

  it('lets the built-in pack be disabled but offers no Remove for it', async () => {
    const { user, backend } = setup();
    await openPacks(user);

    const builtin = packRow('reprise.core');
    expect(within(builtin).queryByRole('button', { name: /remove/i })).toBeNull();
    expect(within(builtin).getByTestId('pack-toggle')).toBeTruthy();
    expect(within(packRow('k8s')).getByRole('button', { name: 'Remove…' })).toBeTruthy();

    await user.click(within(builtin).getByTestId('pack-toggle'));
    await waitFor(() => expect(packRow('reprise.core').classList.contains('disabled')).toBe(true));
    expect(backend.callsTo('set_pack_enabled')[0].args).toEqual({ id: 'reprise.core', enabled: false });
  });

  it('asks before removing, and Cancel sends nothing', async () => {
    const { user, backend } = setup();
    await openPacks(user);
    expect(screen.queryByRole('alertdialog')).toBeNull();

    await user.click(within(packRow('k8s')).getByRole('button', { name: 'Remove…' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Remove Kubernetes' });
    expect(confirm.textContent).toContain('Remove Kubernetes and its 80 cards');
    expect(confirm.textContent).toMatch(/keep their review history/i);

    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(backend.callsTo('remove_pack')).toHaveLength(0);
    expect(packIds()).toEqual(['reprise.core', 'k8s']);
  });

  it.each([
    ['Remove, keep history', true],
    ['Remove with history', false],
  ])('"%s" removes the pack with keepHistory %s and re-reads the list', async (choice, keepHistory) => {
    const { user, backend } = setup();
    await openPacks(user);

    await user.click(within(packRow('k8s')).getByRole('button', { name: 'Remove…' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: choice }));

    await waitFor(() => expect(packIds()).toEqual(['reprise.core']));
    expect(backend.callsTo('remove_pack').map((c) => c.args)).toEqual([{ id: 'k8s', keepHistory }]);
    expect(backend.callsTo('list_packs')).toHaveLength(2);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.queryByTestId('error')).toBeNull();
  });

  it('returns to Today on Escape', async () => {
    const { user, backend } = setup();
    await openPacks(user);
    expect(backend.callsTo('get_status')).toHaveLength(1);

    await user.keyboard('{Escape}');
    await screen.findByTestId('today');
    expect(screen.queryByTestId('packs')).toBeNull();
    // Today's counts are re-read: packs may have changed them.
    await waitFor(() => expect(backend.callsTo('get_status')).toHaveLength(2));
  });
});

describe('Import', () => {
  it('imports a pasted path on Enter, showing progress while it saves, then the report', async () => {
    const { user, backend } = setup();
    await openPacks(user);
    backend.held.add('import_file');

    await importByEnter(user, `  ${FILE} `);
    const progress = await screen.findByTestId('import-progress');
    // Held after saving half: the count comes from the progress channel, not from the reply.
    await waitFor(() => expect(progress.textContent).toContain('Saving 28 of 56 terms'));
    const bar = progress.querySelector('progress');
    expect(bar?.max).toBe(56);
    expect(bar?.value).toBe(28);
    // Nothing else can start meanwhile.
    expect(pathInput().disabled).toBe(true);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Choose a file…' }).disabled).toBe(true);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Import' }).disabled).toBe(true);
    expect(screen.queryByTestId('import-report')).toBeNull();

    const calls = backend.callsTo('import_file');
    expect(calls).toHaveLength(1);
    // The path is trimmed, and the progress goes over a Tauri channel.
    expect(calls[0].args).toEqual({ path: FILE, progress: expect.stringMatching(/^__CHANNEL__:\d+$/) });

    backend.held.delete('import_file');
    backend.release();

    const report = await screen.findByTestId('import-report');
    expect(report.textContent).toContain('My terms');
    expect(report.textContent).toContain('56 added, 0 updated, 0 unchanged');
    expect(report.textContent).toContain('112 new cards');
    expect(within(report).getByText('2 left out')).toBeTruthy();
    expect(within(report).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'line 12: no definition',
      'line 40: the same term as line 3',
    ]);
    expect(screen.queryByTestId('import-progress')).toBeNull();
    expect(pathInput().value).toBe('');
    expect(pathInput().disabled).toBe(false);
    // The list is read again and shows the new pack.
    await waitFor(() => expect(packIds()).toEqual(['reprise.core', 'k8s', 'my.terms']));
    expect(packRow('my.terms').textContent).toContain('56 notes · 112 cards');
    expect(screen.queryByTestId('import-cancelled')).toBeNull();
    expect(screen.queryByTestId('error')).toBeNull();
  });

  it('does not say anything was left out when nothing was', async () => {
    const { user, backend } = setup();
    backend.importable.set('/tmp/clean.zip', makeReport('clean', 'Clean', 3));
    await openPacks(user);

    await importByEnter(user, '/tmp/clean.zip');
    const report = await screen.findByTestId('import-report');
    expect(report.textContent).toContain('3 added');
    expect(report.textContent).not.toContain('left out');
  });

  it('Cancel during an import cancels it: a note, no error, nothing added', async () => {
    const { user, backend } = setup();
    await openPacks(user);
    backend.held.add('import_file');

    await importByEnter(user, FILE);
    const progress = await screen.findByTestId('import-progress');
    await waitFor(() => expect(progress.textContent).toContain('Saving 28 of 56 terms'));

    // No release(): the cancel alone must end the import.
    await user.click(screen.getByTestId('import-cancel'));
    expect((await screen.findByTestId('import-cancelled')).textContent).toBe('Import cancelled; nothing was changed.');
    expect(backend.callsTo('cancel_import')).toHaveLength(1);
    expect(screen.queryByTestId('import-progress')).toBeNull();
    expect(screen.queryByTestId('import-report')).toBeNull();
    expect(screen.queryByTestId('error')).toBeNull();
    await waitFor(() => expect(backend.callsTo('list_packs')).toHaveLength(2));
    expect(packIds()).toEqual(['reprise.core', 'k8s']);
    // The path stays, to try again.
    expect(pathInput().value).toBe(FILE);
    expect(pathInput().disabled).toBe(false);

    // The next import clears the note.
    backend.held.delete('import_file');
    await user.click(pathInput());
    await user.keyboard('{Enter}');
    await screen.findByTestId('import-report');
    expect(screen.queryByTestId('import-cancelled')).toBeNull();
  });

  it('shows an import error in the error banner and keeps the path', async () => {
    const { user, backend } = setup();
    await openPacks(user);

    await importByEnter(user, '/home/me/missing.zip');
    const banner = await screen.findByTestId('error');
    expect(banner.textContent).toContain('cannot import /home/me/missing.zip: no such file or directory');
    expect(backend.callsTo('import_file')[0].args.path).toBe('/home/me/missing.zip');
    expect(screen.queryByTestId('import-progress')).toBeNull();
    expect(screen.queryByTestId('import-report')).toBeNull();
    expect(screen.queryByTestId('import-cancelled')).toBeNull();
    expect(pathInput().value).toBe('/home/me/missing.zip');
    expect(packIds()).toEqual(['reprise.core', 'k8s']);
  });

  it('does nothing for an empty path', async () => {
    const { user, backend } = setup();
    await openPacks(user);

    await importByEnter(user, '   ');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Import' }).disabled).toBe(true);
    expect(backend.callsTo('import_file')).toHaveLength(0);
    expect(screen.queryByTestId('import-progress')).toBeNull();
  });

  it('"Choose a file…" imports the file picked in the dialog', async () => {
    const { user, backend } = setup();
    backend.dialogPath = FILE;
    await openPacks(user);

    await user.click(screen.getByRole('button', { name: 'Choose a file…' }));
    expect((await screen.findByTestId('import-report')).textContent).toContain('56 added');
    const dialog = backend.callsTo('plugin:dialog|open');
    expect(dialog).toHaveLength(1);
    expect(dialog[0].args.options).toMatchObject({ directory: false, multiple: false });
    expect(backend.callsTo('import_file').map((c) => c.args.path)).toEqual([FILE]);
  });

  it('imports nothing when the dialog is closed without a choice', async () => {
    const { user, backend } = setup();
    backend.dialogPath = null;
    await openPacks(user);

    await user.click(screen.getByRole('button', { name: 'Choose a file…' }));
    await user.click(screen.getByRole('button', { name: 'Choose a pack folder…' }));
    await waitFor(() => expect(backend.callsTo('plugin:dialog|open')).toHaveLength(2));
    expect(backend.callsTo('plugin:dialog|open').map((c) => (c.args.options as { directory: boolean }).directory)).toEqual([
      false,
      true,
    ]);
    expect(backend.callsTo('import_file')).toHaveLength(0);
    expect(screen.queryByTestId('import-progress')).toBeNull();
    expect(screen.queryByTestId('import-report')).toBeNull();
    expect(screen.queryByTestId('error')).toBeNull();
  });

  it('imports a file dropped on the window, and stops listening for drops on leaving', async () => {
    const { user, backend } = setup();
    await openPacks(user);
    await waitFor(() => expect(backend.listenersOf('tauri://drag-drop')).toBe(1));

    backend.dropFiles([FILE, '/home/me/other.zip']);
    expect((await screen.findByTestId('import-report')).textContent).toContain('56 added');
    // Only the first file is imported.
    expect(backend.callsTo('import_file').map((c) => c.args.path)).toEqual([FILE]);

    await user.keyboard('{Escape}');
    await screen.findByTestId('today');
    await waitFor(() => expect(backend.listenersOf('tauri://drag-drop')).toBe(0));
  });

  it('does not keep listening for drops when the screen closes before the listener is ready', async () => {
    const { backend } = setup();
    await screen.findByTestId('today');
    // Leave in the same tick as arriving, before the listener is registered.
    screen.getByTestId('nav-packs').click();
    await tick();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await screen.findByTestId('today');
    await new Promise((r) => setTimeout(r, 50));
    expect(backend.listenersOf('tauri://drag-drop')).toBe(0);
    backend.dropFiles([FILE]);
    await new Promise((r) => setTimeout(r, 50));
    expect(backend.callsTo('import_file')).toHaveLength(0);
  });
});

describe('Tables are previewed before they are imported', () => {
  const TABLE = '/home/me/words.csv';

  it('shows how the table was read and its first rows, and imports it on confirming', async () => {
    const { user, backend } = setup();
    backend.importable.set(TABLE, makeReport('csv.words', 'words', 12, [{ entry: 'line 7', reason: 'no definition' }]));
    await openPacks(user);

    await importByEnter(user, TABLE);
    const preview = await screen.findByTestId('import-preview');
    expect(preview.textContent).toContain('words: 12 terms, fields separated by ;');
    expect(within(preview).getAllByRole('row')).toHaveLength(1 + 8);
    expect(preview.textContent).toContain('…and 4 more.');
    expect(preview.textContent).toContain('1 will be left out');
    expect(preview.textContent).toContain('line 7: no definition');
    expect(backend.callsTo('preview_table').map((c) => c.args.path)).toEqual([TABLE]);
    expect(backend.callsTo('import_file')).toHaveLength(0);

    await user.click(screen.getByTestId('import-confirm'));
    const report = await screen.findByTestId('import-report');
    expect(report.textContent).toContain('12 added');
    expect(backend.callsTo('import_file').map((c) => c.args.path)).toEqual([TABLE]);
    expect(screen.queryByTestId('import-preview')).toBeNull();
    await waitFor(() => expect(packIds()).toContain('csv.words'));
  });

  it('Cancel on the preview imports nothing, and a table that cannot be read says why', async () => {
    const { user, backend } = setup();
    backend.importable.set(TABLE, makeReport('csv.words', 'words', 3));
    await openPacks(user);

    await importByEnter(user, TABLE);
    await screen.findByTestId('import-preview');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByTestId('import-preview')).toBeNull();
    expect(backend.callsTo('import_file')).toHaveLength(0);
    expect(packIds()).toEqual(['reprise.core', 'k8s']);

    await user.clear(pathInput());
    await importByEnter(user, '/home/me/missing.tsv');
    expect((await screen.findByTestId('error')).textContent).toContain('cannot import /home/me/missing.tsv');
    expect(screen.queryByTestId('import-preview')).toBeNull();
    expect(backend.callsTo('import_file')).toHaveLength(0);
  });
});

describe('Anki packages', () => {
  it('count notes while saving and report the history taken in', async () => {
    const { user, backend } = setup();
    const apkg = '/home/me/Spanish.apkg';
    backend.importable.set(apkg, { ...makeReport('anki.spanish', 'Spanish', 200), format: 'anki', reviews: 1986, kept: 3 });
    await openPacks(user);
    backend.held.add('import_file');

    await importByEnter(user, apkg);
    const progress = await screen.findByTestId('import-progress');
    await waitFor(() => expect(progress.textContent).toContain('Saving 100 of 200 notes'));
    expect(backend.callsTo('preview_table')).toHaveLength(0);
    backend.held.delete('import_file');
    backend.release();

    const history = await screen.findByTestId('import-history');
    expect(history.textContent).toContain('1986 reviews of history taken in');
    expect(history.textContent).toContain('3 cards already studied here kept their progress');
  });

  it('the file picker offers Anki packages', async () => {
    const { user, backend } = setup();
    backend.dialogPath = null;
    await openPacks(user);
    await user.click(screen.getByRole('button', { name: 'Choose a file…' }));
    await waitFor(() => expect(backend.callsTo('plugin:dialog|open')).toHaveLength(1));
    const options = backend.callsTo('plugin:dialog|open')[0].args.options as { filters: { extensions: string[] }[] };
    expect(options.filters[0].extensions).toEqual(expect.arrayContaining(['apkg', 'zip', 'csv']));
  });
});

describe('Backups', () => {
  it('lists backups, backs up now, and restores one after asking', async () => {
    const { user, backend } = setup();
    backend.backups = [{ path: '/data/backups/reprise-old.sqlite3', created: '2026-11-20T09:00:00Z', bytes: 3_400_000 }];
    await openPacks(user);

    await waitFor(() => expect(screen.getAllByTestId('backup')).toHaveLength(1));
    expect(screen.getByTestId('backup').textContent).toContain('3.4 MB');
    await user.click(screen.getByTestId('back-up-now'));
    await waitFor(() => expect(screen.getAllByTestId('backup')).toHaveLength(2));

    const old = screen.getAllByTestId('backup')[1];
    await user.click(within(old).getByRole('button', { name: 'Restore…' }));
    const confirm = within(old).getByRole('alertdialog');
    expect(confirm.textContent).toContain('Replace the whole collection with this backup?');
    expect(backend.restored).toEqual([]);
    await user.click(within(confirm).getByTestId('restore-confirm'));

    const done = await screen.findByTestId('restore-done');
    expect(done.textContent).toContain('The collection it replaced is saved as /data/backups/reprise-before-restore.sqlite3');
    expect(backend.restored).toEqual(['/data/backups/reprise-old.sqlite3']);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('says so when there are none, and Cancel restores nothing', async () => {
    const { user, backend } = setup();
    await openPacks(user);
    await waitFor(() => expect(screen.getByTestId('backups').textContent).toContain('No backups yet.'));
    await user.click(screen.getByTestId('back-up-now'));
    const row = await screen.findByTestId('backup');
    await user.click(within(row).getByRole('button', { name: 'Restore…' }));
    await user.click(within(row).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(backend.callsTo('restore_backup')).toHaveLength(0);
  });
});
