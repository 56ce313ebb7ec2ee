import { tick } from 'svelte';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import type {
  AppError,
  BackupInfo,
  ImportProgress,
  ImportReport,
  PackInfo,
  Skipped,
  TablePreview,
} from './lib/bindings';
import { recorded } from './test/recorded';
import { CANCELLED, Scripted } from './test/scripted';

type User = ReturnType<typeof userEvent.setup>;

/** A zipped pack to import: 56 new terms, two lines left out. */
const FILE = '/home/me/terms.zip';

/** The built-in pack, as list_packs answers it on a fresh collection. */
const BUILTIN = recorded.packs()[0];

function makePack(id: string, name: string, notes: number, cards: number): PackInfo {
  return { id, name, version: '1.0.0', enabled: true, builtin: false, personal: false, notes, cards };
}

const K8S = makePack('k8s', 'Kubernetes', 40, 80);

/** import_file's reply: `added` new terms of two cards each. */
function makeReport(pack: string, name: string, added: number, skipped: Skipped[] = []): ImportReport {
  const counts = { updated: 0, unchanged: 0, new_cards: added * 2, reviews: 0, kept: 0 };
  return { pack, name, format: 'csv', added, ...counts, skipped };
}

/** What import_file sends on its progress channel for `total` terms (or notes), as the core
 *  does (an_import_reports_progress_and_a_cancel_changes_nothing in tests/import.rs); a held
 *  import pauses after saving half. */
function progressOf(total: number, unit: 'terms' | 'notes' = 'terms'): ImportProgress[] {
  return [
    { stage: 'reading', unit: '', done: 0, total: 0 },
    { stage: 'saving', unit, done: 0, total },
    { stage: 'saving', unit, done: total / 2, total },
    { stage: 'saving', unit, done: total, total },
    { stage: 'done', unit, done: total, total },
  ];
}

/** The system's error for a path that is not there, as the core passes it on (code io): see
 *  an_imported_pack_is_listed_and_removed_and_a_missing_file_is_refused_by_name in
 *  src-tauri/tests/ui_contract.rs. */
function missing(path: string): AppError {
  return { code: 'io', message: `${path}: No such file or directory (os error 2)` };
}

/** Two packs installed: the built-in one and Kubernetes; FILE imports "My terms". */
function setup(configure: (backend: Scripted) => void = () => {}) {
  const backend = new Scripted()
    .reply('list_packs', [BUILTIN, K8S])
    .reply('list_backups', [])
    .reply(
      'import_file',
      makeReport('my.terms', 'My terms', 56, [
        { entry: 'line 12', reason: 'no definition' },
        { entry: 'line 40', reason: 'the same term as line 3' },
      ]),
    );
  backend.progress.set('import_file', progressOf(56));
  configure(backend);
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
    // What disabling does in the core: packs_are_listed_disabled_and_enabled (src-tauri/tests/commands.rs).
    const { user, backend } = setup((b) =>
      b.reply('list_packs', [BUILTIN, K8S], [BUILTIN, { ...K8S, enabled: false }], [BUILTIN, K8S]),
    );
    await openPacks(user);

    expect(packIds()).toEqual([BUILTIN.id, 'k8s']);
    const k8s = packRow('k8s');
    expect(k8s.textContent).toContain('Kubernetes');
    expect(k8s.textContent).toContain('k8s · v1.0.0 · 40 notes · 80 cards');
    expect(packRow(BUILTIN.id).textContent).toContain(
      `${BUILTIN.notes.toLocaleString()} notes · ${BUILTIN.cards.toLocaleString()} cards`,
    );
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
    expect(within(packRow(BUILTIN.id)).getByTestId('pack-toggle').textContent?.trim()).toBe('Disable');

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
    // The core refuses to remove it: the_built_in_pack_and_unknown_packs_cannot_be_removed (tests/packs.rs).
    const { user, backend } = setup((b) =>
      b.reply('list_packs', [BUILTIN, K8S], [{ ...BUILTIN, enabled: false }, K8S]),
    );
    await openPacks(user);

    const builtin = packRow(BUILTIN.id);
    expect(within(builtin).queryByRole('button', { name: /remove/i })).toBeNull();
    expect(within(builtin).getByTestId('pack-toggle')).toBeTruthy();
    expect(within(packRow('k8s')).getByRole('button', { name: 'Remove…' })).toBeTruthy();

    await user.click(within(builtin).getByTestId('pack-toggle'));
    await waitFor(() => expect(packRow(BUILTIN.id).classList.contains('disabled')).toBe(true));
    expect(backend.callsTo('set_pack_enabled')[0].args).toEqual({ id: BUILTIN.id, enabled: false });
  });

  it('asks before removing, and Cancel sends nothing', async () => {
    const { user, backend } = setup();
    await openPacks(user);
    expect(screen.queryByRole('alertdialog')).toBeNull();

    await user.click(within(packRow('k8s')).getByRole('button', { name: 'Remove…' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Remove Kubernetes' });
    expect(confirm.textContent).toContain('Its 80 cards leave your collection');
    expect(confirm.textContent).toMatch(/review history can stay/i);
    // The question takes focus, on the choice that loses nothing.
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: /Cancel/ }));

    await user.click(within(confirm).getByRole('button', { name: /Cancel/ }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(backend.callsTo('remove_pack')).toHaveLength(0);
    expect(packIds()).toEqual([BUILTIN.id, 'k8s']);
  });

  it("writes a big pack's counts as the learner's locale groups digits", async () => {
    const big = makePack('anki.big', 'Big', 100000, 201084);
    const { user } = setup((b) => b.reply('list_packs', [BUILTIN, big]));
    await screen.findByTestId('today');
    await user.click(screen.getByTestId('nav-packs'));
    const counts = `${(100000).toLocaleString()} notes · ${(201084).toLocaleString()} cards`;
    await waitFor(() => expect(packRow('anki.big').textContent).toContain(counts));
  });

  it('shows a version number with a v, and a table\'s import date as it is', async () => {
    const table = { ...makePack('words', 'Words', 3, 6), version: 'imported 2026-12-05' };
    const { user } = setup((b) => b.reply('list_packs', [BUILTIN, K8S, table]));
    await screen.findByTestId('today');
    await user.click(screen.getByTestId('nav-packs'));
    await waitFor(() => expect(packRow('words').textContent).toContain('words · imported 2026-12-05 · 3 notes'));
    expect(packRow('k8s').textContent).toContain('k8s · v1.0.0 · 40 notes');
  });

  it('Escape in the question cancels it and stays on Packs', async () => {
    const { user, backend } = setup();
    await openPacks(user);
    const remove = within(packRow('k8s')).getByRole('button', { name: 'Remove…' });
    await user.click(remove);
    screen.getByRole('alertdialog');
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(screen.getByTestId('packs')).toBeTruthy();
    expect(backend.callsTo('remove_pack')).toHaveLength(0);
    // Focus goes back to the button that asked.
    expect(document.activeElement).toBe(remove);
  });

  it.each([
    ['Remove cards, keep history', true],
    ['Remove cards and history', false],
  ])('"%s" removes the pack with keepHistory %s and re-reads the list', async (choice, keepHistory) => {
    // The core keeps or deletes the history as asked: removing_a_pack_keeps_or_deletes_its_history_as_asked
    // (tests/packs.rs); the pack leaves the list:
    // an_imported_pack_is_listed_and_removed_and_a_missing_file_is_refused_by_name (src-tauri/tests/ui_contract.rs).
    const { user, backend } = setup((b) => b.reply('list_packs', [BUILTIN, K8S], [BUILTIN]));
    await openPacks(user);

    await user.click(within(packRow('k8s')).getByRole('button', { name: 'Remove…' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: choice }));

    await waitFor(() => expect(packIds()).toEqual([BUILTIN.id]));
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
    // The core's report and the new pack listed with its counts:
    // an_imported_pack_is_listed_and_removed_and_a_missing_file_is_refused_by_name (src-tauri/tests/ui_contract.rs).
    const { user, backend } = setup((b) =>
      b.reply('list_packs', [BUILTIN, K8S], [BUILTIN, K8S, makePack('my.terms', 'My terms', 56, 112)]),
    );
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
    await waitFor(() => expect(packIds()).toEqual([BUILTIN.id, 'k8s', 'my.terms']));
    expect(packRow('my.terms').textContent).toContain('56 notes · 112 cards');
    expect(screen.queryByTestId('import-cancelled')).toBeNull();
    expect(screen.queryByTestId('error')).toBeNull();
  });

  it('does not say anything was left out when nothing was', async () => {
    const { user } = setup((b) => b.reply('import_file', makeReport('clean', 'Clean', 3)));
    await openPacks(user);

    await importByEnter(user, '/tmp/clean.zip');
    const report = await screen.findByTestId('import-report');
    expect(report.textContent).toContain('3 added');
    expect(report.textContent).not.toContain('left out');
  });

  it('Cancel during an import cancels it: a note, no error, nothing added', async () => {
    // The core stops at its next progress report and changes nothing:
    // an_import_reports_progress_and_a_cancel_changes_nothing (tests/import.rs).
    const { user, backend } = setup((b) =>
      b.replyWith('cancel_import', () => {
        b.failures.set('import_file', CANCELLED);
        b.release();
        return null;
      }),
    );
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
    expect(packIds()).toEqual([BUILTIN.id, 'k8s']);
    // The path stays, to try again.
    expect(pathInput().value).toBe(FILE);
    expect(pathInput().disabled).toBe(false);

    // The next import clears the note.
    backend.held.delete('import_file');
    backend.failures.delete('import_file');
    await user.click(pathInput());
    await user.keyboard('{Enter}');
    await screen.findByTestId('import-report');
    expect(screen.queryByTestId('import-cancelled')).toBeNull();
  });

  it('shows an import error in the error banner and keeps the path', async () => {
    const { user, backend } = setup((b) => b.failures.set('import_file', missing('/home/me/missing.zip')));
    await openPacks(user);

    await importByEnter(user, '/home/me/missing.zip');
    const banner = await screen.findByTestId('error');
    expect(banner.textContent).toContain('/home/me/missing.zip: No such file or directory (os error 2)');
    expect(backend.callsTo('import_file')[0].args.path).toBe('/home/me/missing.zip');
    expect(screen.queryByTestId('import-progress')).toBeNull();
    expect(screen.queryByTestId('import-report')).toBeNull();
    expect(screen.queryByTestId('import-cancelled')).toBeNull();
    expect(pathInput().value).toBe('/home/me/missing.zip');
    expect(packIds()).toEqual([BUILTIN.id, 'k8s']);
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
    const { user, backend } = setup((b) => b.reply('plugin:dialog|open', FILE));
    await openPacks(user);

    await user.click(screen.getByRole('button', { name: 'Choose a file…' }));
    expect((await screen.findByTestId('import-report')).textContent).toContain('56 added');
    const dialog = backend.callsTo('plugin:dialog|open');
    expect(dialog).toHaveLength(1);
    expect(dialog[0].args.options).toMatchObject({ directory: false, multiple: false });
    expect(backend.callsTo('import_file').map((c) => c.args.path)).toEqual([FILE]);
  });

  it('imports nothing when the dialog is closed without a choice', async () => {
    // A dialog closed without a choice answers null (the default).
    const { user, backend } = setup();
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

  /** preview_table's reply for TABLE: `terms` terms, fields separated by ;, no header. */
  function tablePreview(terms: number, skipped: Skipped[] = []): TablePreview {
    const sample = Array.from({ length: Math.min(terms, 8) }, (_, i) => ({
      term: `term ${i}`,
      definition: `definition ${i}`,
      tags: [],
    }));
    return { pack: 'csv.words', name: 'words', delimiter: ';', header: false, terms, sample, skipped };
  }

  it('shows how the table was read and its first rows, and imports it on confirming', async () => {
    // How the core reads a table: a_table_preview_shows_how_it_was_read_and_changes_nothing (tests/import.rs),
    // a_table_is_previewed_before_it_is_imported (src-tauri/tests/commands.rs).
    const skipped = [{ entry: 'line 7', reason: 'no definition' }];
    const { user, backend } = setup((b) =>
      b
        .reply('preview_table', tablePreview(12, skipped))
        .reply('import_file', makeReport('csv.words', 'words', 12, skipped))
        .reply('list_packs', [BUILTIN, K8S], [BUILTIN, K8S, makePack('csv.words', 'words', 12, 24)]),
    );
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
    const { user, backend } = setup((b) =>
      b.replyWith('preview_table', (args) => {
        if (args.path !== TABLE) throw missing(String(args.path));
        return tablePreview(3);
      }),
    );
    await openPacks(user);

    await importByEnter(user, TABLE);
    await screen.findByTestId('import-preview');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByTestId('import-preview')).toBeNull();
    expect(backend.callsTo('import_file')).toHaveLength(0);
    expect(packIds()).toEqual([BUILTIN.id, 'k8s']);

    await user.clear(pathInput());
    await importByEnter(user, '/home/me/missing.tsv');
    const banner = await screen.findByTestId('error');
    expect(banner.textContent).toContain('/home/me/missing.tsv: No such file or directory');
    expect(screen.queryByTestId('import-preview')).toBeNull();
    expect(backend.callsTo('import_file')).toHaveLength(0);
  });
});

describe('Anki packages', () => {
  it('count notes while saving and report the history taken in', async () => {
    // The history the core takes in: the_anki_history_package_keeps_its_schedule_history_and_memory and
    // importing_again_keeps_progress_made_in_reprise_and_duplicates_nothing (tests/anki.rs).
    const apkg = '/home/me/Spanish.apkg';
    const { user, backend } = setup((b) => {
      b.reply('import_file', { ...makeReport('anki.spanish', 'Spanish', 200), format: 'anki', reviews: 1986, kept: 3 });
      b.progress.set('import_file', progressOf(200, 'notes'));
    });
    await openPacks(user);
    backend.held.add('import_file');

    await importByEnter(user, apkg);
    const progress = await screen.findByTestId('import-progress');
    await waitFor(() => expect(progress.textContent).toContain('Saving 100 of 200 notes'));
    expect(backend.callsTo('preview_table')).toHaveLength(0);
    backend.held.delete('import_file');
    backend.release();

    const history = await screen.findByTestId('import-history');
    expect(history.textContent).toContain(`${(1986).toLocaleString()} reviews of history taken in`);
    expect(history.textContent).toContain('3 cards already studied here kept their progress');
  });

  it('count what each stage of an Anki import counts, after saying the file is being opened', async () => {
    // The core reports every stage with counts once the package is open, and names what they
    // count (an_anki_import_counts_what_each_stage_does in tests/import.rs).
    const { user, backend } = setup((b) => {
      b.reply('import_file', { ...makeReport('anki.spanish', 'Spanish', 200), format: 'anki' });
      b.progress.set('import_file', [{ stage: 'reading', unit: '', done: 0, total: 0 }]);
    });
    await openPacks(user);
    backend.held.add('import_file');
    await importByEnter(user, '/home/me/Spanish.apkg');
    const progress = await screen.findByTestId('import-progress');
    await waitFor(() => expect(progress.textContent).toContain('Opening the file…'));
    backend.held.delete('import_file');
    backend.release();
    await screen.findByTestId('import-report');

    const stages: [ImportProgress, string][] = [
      [{ stage: 'reading', unit: 'rows', done: 16384, total: 1201000 }, `Reading ${(16384).toLocaleString()} of ${(1201000).toLocaleString()} rows`],
      [{ stage: 'reading', unit: 'reviews', done: 5000, total: 1001000 }, `Reading ${(5000).toLocaleString()} of ${(1001000).toLocaleString()} reviews`],
      [{ stage: 'reading', unit: 'notes', done: 96, total: 200 }, 'Reading 96 of 200 notes'],
      [{ stage: 'saving', unit: 'reviews', done: 300, total: 1001000 }, `Saving 300 of ${(1001000).toLocaleString()} reviews`],
      [{ stage: 'saving', unit: 'cards', done: 150, total: 200 }, 'Saving 150 of 200 cards'],
      [{ stage: 'indexing', unit: 'cards', done: 20, total: 200 }, 'Indexing 20 of 200 cards'],
      [{ stage: 'indexing', unit: 'tables', done: 2, total: 5 }, 'Indexing 2 of 5 tables'],
    ];
    for (const [at, text] of stages) {
      // The first two messages go before the held reply: the file opening, then `at`.
      backend.progress.set('import_file', [{ stage: 'reading', unit: '', done: 0, total: 0 }, at, at]);
      backend.held.add('import_file');
      await importByEnter(user, '/home/me/Spanish.apkg');
      const again = await screen.findByTestId('import-progress');
      await waitFor(() => expect(again.textContent).toContain(text));
      const bar = again.querySelector('progress');
      expect(bar?.max).toBe(at.total);
      expect(bar?.value).toBe(at.done);
      backend.held.delete('import_file');
      backend.release();
      await screen.findByTestId('import-report');
      await waitFor(() => expect(screen.queryByTestId('import-progress')).toBeNull());
    }
  });

  it('the file picker offers Anki packages', async () => {
    const { user, backend } = setup();
    await openPacks(user);
    await user.click(screen.getByRole('button', { name: 'Choose a file…' }));
    await waitFor(() => expect(backend.callsTo('plugin:dialog|open')).toHaveLength(1));
    const options = backend.callsTo('plugin:dialog|open')[0].args.options as { filters: { extensions: string[] }[] };
    expect(options.filters[0].extensions).toEqual(expect.arrayContaining(['apkg', 'zip', 'csv']));
  });
});

/** A rolling backup made at `created`. */
function backup(name: string, created: string, bytes = 812_400): BackupInfo {
  return { path: `/data/backups/${name}.sqlite3`, created, bytes };
}

describe('Backups', () => {
  it('lists backups, backs up now, and restores one after asking', async () => {
    // What a backup and a restore do in the core: a_backup_is_restored_while_the_app_has_the_collection_open
    // (src-tauri/tests/commands.rs).
    const old = backup('reprise-old', '2026-11-20T09:00:00Z', 3_400_000);
    const { user, backend } = setup((b) =>
      b
        .reply('list_backups', [old])
        .reply('back_up_now', [backup('reprise-0', '2026-11-25T10:00:00Z'), old])
        .reply('restore_backup', '/data/backups/reprise-before-restore.sqlite3'),
    );
    const restored = () => backend.callsTo('restore_backup').map((c) => c.args.path);
    await openPacks(user);

    await waitFor(() => expect(screen.getAllByTestId('backup')).toHaveLength(1));
    expect(screen.getByTestId('backup').textContent).toContain('3.4 MB');
    await user.click(screen.getByTestId('back-up-now'));
    await waitFor(() => expect(screen.getAllByTestId('backup')).toHaveLength(2));

    const oldRow = screen.getAllByTestId('backup')[1];
    await user.click(within(oldRow).getByRole('button', { name: 'Restore…' }));
    const confirm = within(oldRow).getByRole('alertdialog');
    expect(confirm.textContent).toContain('Replace the whole collection with this backup?');
    expect(restored()).toEqual([]);
    await user.click(within(confirm).getByTestId('restore-confirm'));

    const done = await screen.findByTestId('restore-done');
    expect(done.textContent).toContain('The collection it replaced is saved as /data/backups/reprise-before-restore.sqlite3');
    expect(restored()).toEqual(['/data/backups/reprise-old.sqlite3']);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('says so when there are none, and Cancel restores nothing', async () => {
    const { user, backend } = setup((b) => b.reply('back_up_now', [backup('reprise-0', '2026-11-25T10:00:00Z')]));
    await openPacks(user);
    await waitFor(() => expect(screen.getByTestId('backups').textContent).toContain('No backups yet.'));
    await user.click(screen.getByTestId('back-up-now'));
    const row = await screen.findByTestId('backup');
    await user.click(within(row).getByRole('button', { name: 'Restore…' }));
    await user.click(within(row).getByRole('button', { name: /Cancel/ }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(backend.callsTo('restore_backup')).toHaveLength(0);
  });
});
