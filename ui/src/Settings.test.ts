import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import {
  RETENTIONS,
  type Backlog,
  type OptimizeProgress,
  type OptimizeReport,
  type Settings,
  type Workload,
} from './lib/bindings';
import { recorded } from './test/recorded';
import { CANCELLED, Scripted } from './test/scripted';

type User = ReturnType<typeof userEvent.setup>;

/** FSRS-6's 21 parameters, as an optimization might fit them. */
const FITTED_PARAMETERS = [
  0.2172, 1.1771, 3.2602, 16.1507, 7.0114, 0.57, 2.0966, 0.0069, 1.5261, 0.112, 1.0178, 1.849, 0.1133, 0.3127, 2.2934,
  0.2191, 3.0004, 0.7536, 0.3332, 0.1437, 0.2,
];

/** The parameters FSRS uses when none are set, as optimize reports them in use before. */
const DEFAULT_PARAMETERS = [
  0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483,
  0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
];

/** The core's default settings (recorded), with `fields` changed. */
function settingsWith(fields: Partial<Settings> = {}): Settings {
  return { ...recorded.settings(), ...fields };
}

/** Settings open, get_settings answering `settings` (the core's defaults unless a test says). */
async function openSettings(configure: (backend: Scripted) => void = () => {}) {
  const backend = new Scripted();
  configure(backend);
  const user = userEvent.setup();
  render(App);
  await screen.findByTestId('today');
  await user.click(screen.getByTestId('nav-settings'));
  await screen.findByTestId('settings-form');
  return { user, backend };
}

/** Scripts the saves in turn: each answers how many cards it rescheduled, after which
 *  get_settings answers what it stored (the last one for every save after). How the core reads
 *  a patch: the_settings_form_patch_is_read_as_text_and_what_it_leaves_out_stays
 *  (src-tauri/tests/ui_contract.rs). */
function saves(backend: Scripted, ...outcomes: { stored: Settings; rescheduled?: number; backlog?: Backlog }[]) {
  backend.replyWith('update_settings', () => {
    const { stored, rescheduled = 0, backlog } = outcomes.length > 1 ? outcomes.shift()! : outcomes[0];
    backend.reply('get_settings', stored);
    if (backlog) backend.reply('get_backlog', backlog);
    return rescheduled;
  });
}

function input(label: string | RegExp): HTMLInputElement {
  return screen.getByLabelText<HTMLInputElement>(label);
}

function select(label: string | RegExp): HTMLSelectElement {
  return screen.getByLabelText<HTMLSelectElement>(label);
}

async function retype(user: User, label: string | RegExp, text: string) {
  await user.clear(input(label));
  if (text) await user.type(input(label), text);
}

async function save(user: User) {
  await user.click(screen.getByTestId('settings-save'));
}

/** The patches update_settings was sent. */
function patches(backend: Scripted) {
  return backend.callsTo('update_settings').map((c) => c.args.patch);
}

/** Makes the core refuse the next saves as it refuses `text` for setting `key` (recorded), and
 *  answers its message. */
function refuse(backend: Scripted, key: string, text: string): string {
  const refusal = recorded.settingsRefusal(key, text);
  backend.failures.set('update_settings', refusal);
  return refusal.message;
}

/** The core's refusal, shown next to the field labelled `label`, which is marked and focused. */
async function expectRefusalAt(label: string, message: string) {
  const error = await screen.findByTestId('settings-error');
  expect(error.textContent).toBe(message);
  expect(error.getAttribute('role')).toBe('alert');
  expect(error.closest('.field')?.contains(input(label))).toBe(true);
  expect(input(label).getAttribute('aria-invalid')).toBe('true');
  expect(input(label).getAttribute('aria-describedby')?.split(' ')).toContain(error.id);
  expect(document.activeElement).toBe(input(label));
  expect(screen.queryByTestId('settings-saved')).toBeNull();
  expect(screen.queryByTestId('error')).toBeNull();
}

describe('Settings form', () => {
  it('shows the stored settings, steps as text and retention as a percentage', async () => {
    await openSettings((b) => {
      const steps = { learning_steps_minutes: [1, 10, 60, 90], relearning_steps_minutes: [] };
      b.reply('get_settings', settingsWith({ ...steps, fuzz: false }));
    });

    expect(input('Desired retention').value).toBe('0.9');
    expect(screen.getByTestId('retention-percent').textContent).toBe('90%');
    expect(input('New cards a day').value).toBe('20');
    expect(input('Maximum reviews a day').value).toBe('200');
    expect(input('Next day starts at').value).toBe('4');
    expect(input('Maximum interval').value).toBe('36500');
    expect(input('Learn ahead').value).toBe('20');
    expect(input('Leech threshold').value).toBe('8');
    expect(input('Learning steps').value).toBe('1m 10m 1h 90m');
    expect(input('Relearning steps').value).toBe('none');
    expect(input('Fuzz intervals').checked).toBe(false);
    expect(input('Bury siblings').checked).toBe(true);
    expect(input('Bury siblings').getAttribute('role')).toBe('switch');
    expect(select('When a card becomes a leech').value).toBe('tag');
    expect(select('New card order').value).toBe('lessons');
    expect(select('Review order').value).toBe('due');
    // Parameters are shown, not edited.
    const parameters = screen.getByTestId('fsrs-parameters');
    expect(parameters.querySelector('summary')?.textContent?.trim()).toBe('FSRS parameters: defaults');
    expect(parameters.querySelector('input')).toBeNull();
  });

  it('the percentage follows the retention typed', async () => {
    const { user } = await openSettings();
    await retype(user, 'Desired retention', '0.85');
    expect(screen.getByTestId('retention-percent').textContent).toBe('85%');
  });

  it('saves every edit in one patch of text for the core to read, keeping what the form does not edit, and says how many cards were rescheduled', async () => {
    const kept = { fsrs_parameters: FITTED_PARAMETERS, pause_new_until: '2026-11-30' };
    const stored = settingsWith({
      desired_retention: 0.85,
      new_per_day: 30,
      reviews_per_day: 150,
      rollover_hour: 3,
      maximum_interval_days: 3650,
      learning_steps_minutes: [2, 15, 60],
      relearning_steps_minutes: [],
      fuzz: false,
      learn_ahead_minutes: 0,
      bury_siblings: false,
      leech_threshold: 6,
      leech_action: 'suspend',
      new_card_order: 'random',
      review_order: 'retrievability',
      ...kept,
    });
    const { user, backend } = await openSettings((b) => {
      b.reply('get_settings', settingsWith(kept));
      saves(b, { stored, rescheduled: 3 });
    });

    await retype(user, 'Desired retention', '0.85');
    await retype(user, 'New cards a day', '30');
    await retype(user, 'Maximum reviews a day', '150');
    await retype(user, 'Next day starts at', '3');
    await retype(user, 'Maximum interval', '3650');
    await retype(user, 'Learn ahead', '0');
    await retype(user, 'Leech threshold', '6');
    await retype(user, 'Learning steps', '2m, 15 1h');
    await retype(user, 'Relearning steps', 'none');
    await user.click(input('Fuzz intervals'));
    await user.click(input('Bury siblings'));
    await user.selectOptions(select('When a card becomes a leech'), 'suspend');
    await user.selectOptions(select('New card order'), 'random');
    await user.selectOptions(select('Review order'), 'retrievability');
    await save(user);

    expect((await screen.findByTestId('settings-saved')).textContent).toBe('Saved; 3 review cards rescheduled');
    // Each setting changed, by its name, as text read as `reprise config set` reads it.
    expect(patches(backend)).toEqual([
      {
        desired_retention: '0.85',
        new_per_day: '30',
        reviews_per_day: '150',
        rollover_hour: '3',
        maximum_interval_days: '3650',
        learning_steps_minutes: '2m, 15 1h',
        relearning_steps_minutes: 'none',
        fuzz: 'off',
        learn_ahead_minutes: '0',
        bury_siblings: 'off',
        leech_threshold: '6',
        leech_action: 'suspend',
        new_card_order: 'random',
        review_order: 'retrievability',
      },
    ]);
    // What the form does not edit stays as the core stored it.
    expect(screen.getByTestId('fsrs-parameters').querySelector('summary')?.textContent?.trim()).toBe(
      'FSRS parameters: fitted to your reviews (21 values)',
    );
    expect(screen.queryByTestId('settings-error')).toBeNull();
    expect(screen.queryByTestId('error')).toBeNull();
  });

  it('says just "Saved" when no card was rescheduled, and an edit clears it', async () => {
    const { user, backend } = await openSettings((b) =>
      saves(b, { stored: settingsWith({ new_per_day: 25 }) }, { stored: settingsWith({ new_per_day: 250 }) }),
    );
    await retype(user, 'New cards a day', '25');
    await save(user);
    expect((await screen.findByTestId('settings-saved')).textContent).toBe('Saved');
    expect(patches(backend)).toEqual([{ new_per_day: '25' }]);
    expect(input('New cards a day').value).toBe('25');

    await user.type(input('New cards a day'), '0');
    expect(screen.queryByTestId('settings-saved')).toBeNull();

    // The next save sends only what changed since the last one.
    await save(user);
    await screen.findByTestId('settings-saved');
    expect(patches(backend)).toEqual([{ new_per_day: '25' }, { new_per_day: '250' }]);
  });

  it('sends nothing when nothing changed', async () => {
    const { user, backend } = await openSettings();
    await retype(user, 'Leech threshold', '8');
    await save(user);
    expect((await screen.findByTestId('settings-saved')).textContent).toBe('No changes to save');
    expect(backend.callsTo('update_settings')).toHaveLength(0);
  });

  it.each([
    ['0.5', '0.5'],
    ['1', '1'],
    ['empty', ''],
  ])("shows the core's refusal of a desired retention (%s) next to the field", async (_, typed) => {
    // The core's range, and that a refusal changes nothing:
    // the_settings_form_patch_is_read_as_text_and_what_it_leaves_out_stays (src-tauri/tests/ui_contract.rs).
    let message = '';
    const { user, backend } = await openSettings((b) => (message = refuse(b, 'desired_retention', typed)));
    await retype(user, 'Desired retention', typed);
    await save(user);

    await expectRefusalAt('Desired retention', message);
    // The core judges: the text typed is sent as it is.
    expect(patches(backend)).toEqual([{ desired_retention: typed }]);
    expect(input('Desired retention').value).toBe(typed);
  });

  it('accepts the ends of the retention range', async () => {
    // The core takes both: the_settings_form_patch_is_read_as_text_and_what_it_leaves_out_stays.
    const { user, backend } = await openSettings((b) =>
      saves(
        b,
        { stored: settingsWith({ desired_retention: 0.99 }) },
        { stored: settingsWith({ desired_retention: 0.7 }) },
      ),
    );
    await retype(user, 'Desired retention', '0.99');
    await save(user);
    await screen.findByTestId('settings-saved');
    await retype(user, 'Desired retention', '0.7');
    await save(user);
    await waitFor(() => expect(backend.callsTo('update_settings')).toHaveLength(2));
    expect(patches(backend)).toEqual([{ desired_retention: '0.99' }, { desired_retention: '0.7' }]);
    await waitFor(() => expect(screen.getByTestId('retention-percent').textContent).toBe('70%'));
    expect(screen.queryByTestId('settings-error')).toBeNull();
  });

  it("shows the core's refusal of steps and of a fractional count next to the field it names", async () => {
    // How the core reads steps: the steps parser's tests in src/settings.rs.
    let message = '';
    const { user, backend } = await openSettings((b) => (message = refuse(b, 'learning_steps_minutes', '1m 10x')));
    await retype(user, 'Learning steps', '1m 10x');
    await save(user);
    await expectRefusalAt('Learning steps', message);
    expect(input('Relearning steps').getAttribute('aria-invalid')).toBe('false');

    message = refuse(backend, 'new_per_day', '2.5');
    await retype(user, 'Learning steps', '1m 10m');
    await retype(user, 'New cards a day', '2.5');
    await save(user);
    await waitFor(() => expect(screen.getByTestId('settings-error').textContent).toBe(message));
    await expectRefusalAt('New cards a day', message);
    expect(input('Learning steps').getAttribute('aria-invalid')).toBe('false');
    expect(screen.getAllByTestId('settings-error')).toHaveLength(1);
    // The text typed went to the core as it was; "1m 10m" is what is stored, so it is not sent.
    expect(patches(backend)).toEqual([{ learning_steps_minutes: '1m 10x' }, { new_per_day: '2.5' }]);
    expect(recorded.settings().learning_steps_minutes).toEqual([1, 10]);
  });

  it("shows the core's validation message next to the form, not in the error banner, until fixed", async () => {
    let message = '';
    const { user, backend } = await openSettings((b) => {
      message = refuse(b, 'rollover_hour', '24');
      saves(b, { stored: settingsWith({ rollover_hour: 23 }) });
    });
    await retype(user, 'Next day starts at', '24');
    await save(user);

    await expectRefusalAt('Next day starts at', message);
    expect(message).toBe('rollover hour 24 is not an hour of the day; choose 0 to 23');
    expect(patches(backend)).toEqual([{ rollover_hour: '24' }]);

    // Fixed, it saves and the message goes.
    backend.failures.clear();
    await retype(user, 'Next day starts at', '23');
    await save(user);
    expect((await screen.findByTestId('settings-saved')).textContent).toBe('Saved');
    expect(screen.queryByTestId('settings-error')).toBeNull();
    expect(input('Next day starts at').getAttribute('aria-invalid')).toBe('false');
    expect(input('Next day starts at').value).toBe('23');
  });

  it('shows a refusal about no field of the form under the form', async () => {
    let message = '';
    const { user, backend } = await openSettings((b) => (message = refuse(b, 'fsrs_parameters', '1 2 3')));
    await retype(user, 'Leech threshold', '5');
    await save(user);

    const error = await screen.findByTestId('settings-error');
    expect(error.textContent).toBe(message);
    expect(message).toMatch(/^FSRS parameters are invalid/);
    expect(error.closest('.field')).toBeNull();
    expect(screen.getByTestId('settings-form').querySelectorAll('[aria-invalid="true"]')).toHaveLength(0);
    expect(screen.queryByTestId('error')).toBeNull();
    expect(patches(backend)).toEqual([{ leech_threshold: '5' }]);
  });

  it('shows any other failure to save in the error banner', async () => {
    const { user, backend } = await openSettings((b) =>
      b.failures.set('update_settings', { code: 'database', message: 'database is locked' }),
    );
    await retype(user, 'Leech threshold', '5');
    await save(user);
    expect((await screen.findByTestId('error')).textContent).toContain('database is locked');
    expect(screen.queryByTestId('settings-error')).toBeNull();
    expect(screen.queryByTestId('settings-saved')).toBeNull();
    expect(patches(backend)).toEqual([{ leech_threshold: '5' }]);
  });

  it('returns to Today on Escape', async () => {
    const { user } = await openSettings();
    await user.keyboard('{Escape}');
    await screen.findByTestId('today');
    expect(screen.queryByTestId('settings')).toBeNull();
  });
});

describe('Unsaved settings', () => {
  it('says how many changes are unsaved, and Escape asks before leaving; Keep editing keeps them', async () => {
    const { user, backend } = await openSettings();
    expect(screen.queryByTestId('settings-unsaved')).toBeNull();
    await retype(user, 'New cards a day', '35');
    await retype(user, 'Leech threshold', '5');
    expect(screen.getByTestId('settings-unsaved').textContent).toBe('2 changes not saved');

    // Focus in a field: Escape is the app's "back", which asks first.
    await user.click(document.body);
    await user.keyboard('{Escape}');
    const dialog = await screen.findByTestId('leave-dialog');
    expect(dialog.textContent).toContain('Your changes to the settings are not saved yet.');
    // The question takes focus, on Save and leave.
    expect(document.activeElement).toBe(screen.getByTestId('leave-save'));
    // Escape in the question keeps editing: nothing left, nothing lost.
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('leave-dialog')).toBeNull());
    expect(screen.getByTestId('settings')).toBeTruthy();
    expect(input('New cards a day').value).toBe('35');
    expect(patches(backend)).toEqual([]);
  });

  it('Discard leaves for the section asked for, and the stored settings show on return', async () => {
    const { user, backend } = await openSettings();
    await retype(user, 'New cards a day', '35');
    await user.click(screen.getByTestId('nav-stats'));
    await user.click(await screen.findByTestId('leave-discard'));
    await screen.findByTestId('stats');
    await user.click(screen.getByTestId('nav-settings'));
    await screen.findByTestId('settings-form');
    expect(input('New cards a day').value).toBe(String(recorded.settings().new_per_day));
    expect(patches(backend)).toEqual([]);
  });

  it('Save and leave saves, then leaves; a refusal keeps the learner on the form to fix it', async () => {
    const { user, backend } = await openSettings();
    saves(backend, { stored: settingsWith({ new_per_day: 35 }) });
    await retype(user, 'Learning steps', '1m 10x');
    const message = refuse(backend, 'learning_steps_minutes', '1m 10x');
    await user.click(screen.getByTestId('nav-today'));
    await user.click(await screen.findByTestId('leave-save'));
    await expectRefusalAt('Learning steps', message);
    expect(screen.queryByTestId('leave-dialog')).toBeNull();
    expect(screen.queryByTestId('today')).toBeNull();

    backend.failures.delete('update_settings');
    await retype(user, 'Learning steps', '1m 10m');
    await retype(user, 'New cards a day', '35');
    await user.click(screen.getByTestId('nav-today'));
    await user.click(await screen.findByTestId('leave-save'));
    await screen.findByTestId('today');
    expect(patches(backend).slice(-1)[0]).toEqual({ new_per_day: '35' });
  });

  it('closing the window asks too; Keep editing keeps it open, Discard closes it', async () => {
    const { user, backend } = await openSettings();
    await waitFor(() => expect(backend.listenersOf('tauri://close-requested')).toBe(1));
    // Nothing unsaved: the window closes at once.
    backend.requestClose();
    await waitFor(() => expect(backend.callsTo('plugin:window|destroy')).toHaveLength(1));

    await retype(user, 'New cards a day', '35');
    backend.requestClose();
    await screen.findByTestId('leave-dialog');
    await user.click(screen.getByTestId('leave-stay'));
    expect(backend.callsTo('plugin:window|destroy')).toHaveLength(1);
    expect(input('New cards a day').value).toBe('35');

    backend.requestClose();
    await user.click(await screen.findByTestId('leave-discard'));
    await waitFor(() => expect(backend.callsTo('plugin:window|destroy')).toHaveLength(2));
    expect(patches(backend)).toEqual([]);
  });

  it('a saved or discarded form leaves without asking', async () => {
    const { user, backend } = await openSettings();
    saves(backend, { stored: settingsWith({ new_per_day: 35 }) });
    await retype(user, 'New cards a day', '35');
    await save(user);
    await screen.findByTestId('settings-saved');
    await retype(user, 'Leech threshold', '5');
    await user.click(screen.getByTestId('settings-discard'));
    expect(input('Leech threshold').value).toBe(String(recorded.settings().leech_threshold));
    await user.click(screen.getByTestId('nav-today'));
    await screen.findByTestId('today');
    expect(screen.queryByTestId('leave-dialog')).toBeNull();
  });
});

/** What optimize sends on its progress channel: reading, ten epochs of training, evaluating and
 *  saving; a held optimization pauses halfway through training. */
const OPTIMIZING: OptimizeProgress[] = [
  { stage: 'reading', done: 0, total: 0 },
  ...Array.from({ length: 6 }, (_, done) => ({ stage: 'training', done, total: 10 })),
  ...Array.from({ length: 5 }, (_, i) => ({ stage: 'training', done: 6 + i, total: 10 })),
  { stage: 'evaluating', done: 2, total: 2 },
  { stage: 'saving', done: 0, total: 1 },
];

/** optimize's reply: fitted parameters that predict the log better, adopted. */
function optimized(fields: Partial<OptimizeReport> = {}): OptimizeReport {
  return {
    reviews: 1200,
    cards: 200,
    old: { log_loss: 0.3412, rmse_bins: 0.0523 },
    new: { log_loss: 0.3187, rmse_bins: 0.0341 },
    old_parameters: DEFAULT_PARAMETERS,
    new_parameters: FITTED_PARAMETERS,
    adopted: true,
    rescheduled: 3,
    ...fields,
  };
}

/** Scripts optimize to answer `report`; adopted, get_settings then answers the fitted parameters
 *  (and get_backlog `backlog`). */
function optimizes(backend: Scripted, report: OptimizeReport, backlog?: Backlog) {
  backend.replyWith('optimize', () => {
    if (report.adopted) backend.reply('get_settings', settingsWith({ fsrs_parameters: report.new_parameters }));
    if (backlog) backend.reply('get_backlog', backlog);
    return report;
  });
}

/** Makes cancel_optimize stop the optimization running, as the core does at its next report. */
function cancels(backend: Scripted) {
  backend.replyWith('cancel_optimize', () => {
    backend.failures.set('optimize', CANCELLED);
    backend.release();
    return null;
  });
}

describe('Optimize', () => {
  it('shows the progress while it runs, then compares the parameters and adopts the fitted ones', async () => {
    // Fitting, adopting and rescheduling in the core:
    // the_optimizer_fits_a_history_better_than_the_defaults_and_recomputes_memory (tests/optimize.rs).
    const { user, backend } = await openSettings((b) => {
      optimizes(b, optimized());
      b.progress.set('optimize', OPTIMIZING);
      b.held.add('optimize');
      saves(b, { stored: settingsWith({ fsrs_parameters: FITTED_PARAMETERS, new_per_day: 10 }) });
    });

    await user.click(screen.getByTestId('optimize'));
    const progress = await screen.findByTestId('optimize-progress');
    // Held halfway through training: the stage comes over the progress channel.
    await waitFor(() => expect(progress.textContent).toContain('Fitting parameters to your reviews… 50%'));
    const bar = progress.querySelector('progress');
    expect(bar?.max).toBe(10);
    expect(bar?.value).toBe(5);
    expect(screen.getByTestId<HTMLButtonElement>('optimize').disabled).toBe(true);
    // Saving now would overwrite the parameters the optimizer is about to store.
    expect(screen.getByTestId<HTMLButtonElement>('settings-save').disabled).toBe(true);
    expect(backend.callsTo('optimize')[0].args).toEqual({ progress: expect.stringMatching(/^__CHANNEL__:\d+$/) });

    backend.held.delete('optimize');
    backend.release();

    const report = await screen.findByTestId('optimize-report');
    expect(screen.queryByTestId('optimize-progress')).toBeNull();
    expect(report.querySelector('caption')?.textContent).toContain('1200 reviews of 200 cards; lower is better');
    const rows = within(report)
      .getAllByRole('row')
      .map((row) => [...row.children].map((cell) => cell.textContent?.trim()));
    expect(rows).toEqual([
      ['', 'In use before', 'Fitted'],
      ['Log loss', '0.3412', '0.3187'],
      ['RMSE', '5.23%', '3.41%'],
    ]);
    expect(screen.getByTestId('optimize-verdict').textContent?.trim()).toBe(
      'The fitted parameters predict your reviews better and are now in use; 3 review cards rescheduled.',
    );
    expect(screen.getByTestId('fsrs-parameters').querySelector('summary')?.textContent?.trim()).toBe(
      'FSRS parameters: fitted to your reviews (21 values)',
    );
    expect(screen.getByTestId<HTMLButtonElement>('settings-save').disabled).toBe(false);

    // Saving the form afterwards sends only what it changed: the fitted parameters stay.
    await retype(user, 'New cards a day', '10');
    await save(user);
    await screen.findByTestId('settings-saved');
    expect(patches(backend)).toEqual([{ new_per_day: '10' }]);
    expect(screen.getByTestId('fsrs-parameters').querySelector('summary')?.textContent?.trim()).toBe(
      'FSRS parameters: fitted to your reviews (21 values)',
    );
  });

  it('keeps the parameters in use when the fitted ones predict no better', async () => {
    // The core keeps them: parameters_that_do_not_predict_better_are_not_adopted (tests/optimize.rs).
    const evaluations = { old: { log_loss: 0.3, rmse_bins: 0.031 }, new: { log_loss: 0.3021, rmse_bins: 0.0334 } };
    const { user, backend } = await openSettings((b) =>
      optimizes(b, optimized({ reviews: 800, ...evaluations, adopted: false, rescheduled: 0 })),
    );
    await user.click(screen.getByTestId('optimize'));
    expect((await screen.findByTestId('optimize-verdict')).textContent?.trim()).toBe(
      'The parameters in use predict your reviews at least as well as the fitted ones, so they were kept.',
    );
    expect(screen.getByTestId('optimize-report').textContent).toContain('3.10%');
    expect(backend.callsTo('optimize')).toHaveLength(1);
    expect(screen.getByTestId('fsrs-parameters').querySelector('summary')?.textContent?.trim()).toBe(
      'FSRS parameters: defaults',
    );
  });

  it('Cancel stops it: cancel_optimize is called, nothing changes, no error', async () => {
    // The core stops and changes nothing: cancelling_during_training_stops_it_and_changes_nothing (tests/optimize.rs).
    const { user, backend } = await openSettings((b) => {
      optimizes(b, optimized());
      cancels(b);
      b.progress.set('optimize', OPTIMIZING);
      b.held.add('optimize');
    });
    await user.click(screen.getByTestId('optimize'));
    const progress = await screen.findByTestId('optimize-progress');
    await waitFor(() => expect(progress.textContent).toContain('50%'));

    // No release(): the cancel alone must end it.
    await user.click(screen.getByTestId('optimize-cancel'));
    expect((await screen.findByTestId('optimize-note')).textContent).toBe(
      'Optimization cancelled; your parameters were not changed.',
    );
    expect(backend.callsTo('cancel_optimize')).toHaveLength(1);
    expect(screen.queryByTestId('optimize-progress')).toBeNull();
    expect(screen.queryByTestId('optimize-report')).toBeNull();
    expect(screen.queryByTestId('error')).toBeNull();
    expect(screen.getByTestId('fsrs-parameters').querySelector('summary')?.textContent?.trim()).toBe(
      'FSRS parameters: defaults',
    );
    expect(screen.getByTestId<HTMLButtonElement>('optimize').disabled).toBe(false);
  });

  it('says plainly how many more reviews are needed when there are too few', async () => {
    // The core's refusal on a collection with no history, recorded; how it counts:
    // too_little_history_says_how_much_more_is_needed_and_changes_nothing (tests/optimize.rs).
    const { user, backend } = await openSettings((b) => b.failures.set('optimize', recorded.optimizeRefusal()));
    await user.click(screen.getByTestId('optimize'));

    const note = await screen.findByTestId('optimize-note');
    expect(note.textContent).toBe(
      'not enough review history to optimize: 0 reviews of cards answered on an earlier day, and the optimizer needs 400; ' +
        'about 400 more are needed (keep reviewing for a few weeks) — your parameters were not changed',
    );
    expect(note.getAttribute('role')).toBeNull();
    expect(screen.queryByTestId('error')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByTestId('optimize-report')).toBeNull();
    expect(backend.callsTo('optimize')).toHaveLength(1);
  });

  it('shows any other failure in the error banner', async () => {
    const { user } = await openSettings((b) => {
      b.failures.set('optimize', { code: 'database', message: 'database is locked' });
    });
    await user.click(screen.getByTestId('optimize'));
    expect((await screen.findByTestId('error')).textContent).toContain('database is locked');
    expect(screen.queryByTestId('optimize-note')).toBeNull();
    expect(screen.queryByTestId('optimize-progress')).toBeNull();
  });
});

/** simulate_workload's reply for `cards` cards at 20 new a day: made-up numbers, more reviews
 *  (about 1/(1-r)) and more remembered the higher the retention. */
function simulated(cards: number): Workload {
  const points = RETENTIONS.map((r) => {
    const reviews = Math.round((20 + (cards / 40) * (0.1 / (1 - r))) * 10) / 10;
    const minutes = Math.round(((reviews * 8) / 60) * 10) / 10;
    const memorized = Math.round(cards * (0.55 + 0.4 * r));
    return { desired_retention: r, reviews_per_day: reviews, minutes_per_day: minutes, memorized };
  });
  return { days: 365, cards, new_per_day: 20, points };
}

/** What simulate_workload sends on its progress channel: [done, total] after each retention. */
const SIMULATING = RETENTIONS.map((_, i) => [i + 1, RETENTIONS.length]);

describe('Workload', () => {
  it('simulates the next year and shows reviews and knowledge for each retention, the current one marked', async () => {
    // The core's simulation, a point per retention: simulate_prints_the_workload_for_each_retention (tests/cli.rs).
    const { user, backend } = await openSettings((b) => {
      b.reply('simulate_workload', simulated(800));
      b.progress.set('simulate_workload', SIMULATING);
      b.held.add('simulate_workload');
    });
    await user.click(screen.getByTestId('simulate'));
    const progress = await screen.findByTestId('simulate-progress');
    await waitFor(() => expect(progress.textContent).toContain('Simulating 8 of 16 retentions…'));
    expect(backend.callsTo('simulate_workload')[0].args).toEqual({ progress: expect.stringMatching(/^__CHANNEL__:\d+$/) });
    backend.held.delete('simulate_workload');
    backend.release();

    const workload = await screen.findByTestId('workload');
    expect(screen.queryByTestId('simulate-progress')).toBeNull();
    expect(screen.getByTestId('workload-summary').textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'Over the next 365 days, with 800 cards in all and 20 new a day. Your desired retention now is 90%.',
    );
    const rows = screen.getAllByTestId('workload-row');
    expect(rows).toHaveLength(16);
    const cells = rows.map((row) => [...row.children].map((cell) => cell.textContent));
    expect(cells.map((c) => c[0])).toEqual(RETENTIONS.map((r) => `${Math.round(r * 100)}%${r === 0.9 ? ' (current)' : ''}`));
    // As scripted: 20 + (800 / 40) * 0.1 / (1 - r) reviews a day, 8 s each; 800 * (0.55 + 0.4 r) remembered.
    expect(cells[0]).toEqual(['70%', '26.7', '4', '664']);
    expect(cells[10]).toEqual(['90% (current)', '40.0', '5', '728']);
    expect(cells[15]).toEqual(['99%', '220.0', '29', '757']);
    expect(rows.filter((row) => row.classList.contains('current'))).toEqual([rows[10]]);
    // The chart is described for screen readers; the numbers are in the table.
    expect(within(workload).getByRole('img').getAttribute('aria-label')).toContain('your current retention, 90%, is marked');
  });

  it('marks the retention saved, not one typed and unsaved', async () => {
    const { user } = await openSettings((b) => {
      b.reply('get_settings', settingsWith({ desired_retention: 0.84 })).reply('simulate_workload', simulated(500));
    });
    await retype(user, 'Desired retention', '0.95');
    await user.click(screen.getByTestId('simulate'));
    await screen.findByTestId('workload');
    const current = screen.getAllByTestId('workload-row').filter((row) => row.classList.contains('current'));
    expect(current.map((row) => row.children[0].textContent)).toEqual(['84% (current)']);
  });
});

describe('Backlog', () => {
  it('is read again after saving or optimizing reschedules cards', async () => {
    // That a write which reschedules cards says so, for the backlog to be read again:
    // every_write_tells_the_ui_what_changed_and_reads_tell_nothing (src-tauri/tests/commands.rs).
    const { user, backend } = await openSettings((b) => {
      const backlog = { overdue: 12, new_paused_until: null };
      saves(b, { stored: settingsWith({ desired_retention: 0.85 }), rescheduled: 3, backlog });
      optimizes(b, optimized(), { overdue: 30, new_paused_until: null });
    });
    expect((await screen.findByTestId('backlog-status')).textContent?.trim()).toBe('No review cards are overdue.');
    await retype(user, 'Desired retention', '0.85');
    await save(user);
    await waitFor(() =>
      expect(screen.getByTestId('backlog-status').textContent?.replace(/\s+/g, ' ').trim()).toBe(
        '12 review cards are overdue from missed days.',
      ),
    );
    const reads = backend.callsTo('get_backlog').length;
    await user.click(screen.getByTestId('optimize'));
    await waitFor(() =>
      expect(screen.getByTestId('backlog-status').textContent?.replace(/\s+/g, ' ').trim()).toBe(
        '30 review cards are overdue from missed days.',
      ),
    );
    expect(backend.callsTo('get_backlog').length).toBeGreaterThan(reads);
  });

  it('spreads the overdue cards over the days chosen, pausing new cards, and saving later keeps the pause', async () => {
    // Spreading in the core: a_backlog_is_spread_over_days_and_undone (src-tauri/tests/ui_contract.rs); a
    // later patch keeps the pause: the_settings_form_patch_is_read_as_text_and_what_it_leaves_out_stays.
    const paused = { overdue: 0, new_paused_until: '2026-12-02' };
    const { user, backend } = await openSettings((b) => {
      b.reply('get_backlog', { overdue: 120, new_paused_until: null });
      b.replyWith('spread_backlog', () => {
        b.reply('get_backlog', paused).reply('get_settings', settingsWith({ pause_new_until: '2026-12-02' }));
        return { cards: 120, days: 7, new_paused_until: '2026-12-02' };
      });
      saves(b, { stored: settingsWith({ pause_new_until: '2026-12-02', new_per_day: 15 }) });
    });
    const status = await screen.findByTestId('backlog-status');
    expect(status.textContent?.replace(/\s+/g, ' ').trim()).toBe('120 review cards are overdue from missed days.');
    expect(screen.getByTestId('settings').textContent).toContain('lowest retrievability first');
    expect(screen.getByTestId('settings').textContent).toContain('most-at-risk cards come first');
    expect(screen.queryByTestId('backlog-paused')).toBeNull();
    const days = input('Spread over');
    expect(days.value).toBe('7');
    expect(days.min).toBe('1');
    expect(days.max).toBe('60');

    await user.click(screen.getByTestId('spread'));
    expect((await screen.findByTestId('spread-result')).textContent?.trim()).toBe(
      'Spread 120 cards over 7 days; new cards resume on 2026-12-02.',
    );
    expect(backend.callsTo('spread_backlog').map((c) => c.args)).toEqual([{ days: 7 }]);
    await waitFor(() => expect(screen.getByTestId('backlog-status').textContent?.trim()).toBe('No review cards are overdue.'));
    expect(screen.getByTestId('backlog-paused').textContent).toContain('they resume on 2026-12-02');
    expect(screen.queryByTestId('spread-form')).toBeNull();

    await retype(user, 'New cards a day', '15');
    await save(user);
    await screen.findByTestId('settings-saved');
    expect(patches(backend)).toEqual([{ new_per_day: '15' }]);
    expect(screen.getByTestId('backlog-paused').textContent).toContain('they resume on 2026-12-02');
  });

  it('takes another number of days', async () => {
    const { user, backend } = await openSettings((b) =>
      b
        .reply('get_backlog', { overdue: 1, new_paused_until: null })
        .reply('spread_backlog', { cards: 1, days: 30, new_paused_until: '2026-12-25' }),
    );
    await screen.findByTestId('spread-form');
    expect(screen.getByTestId('backlog-status').textContent?.replace(/\s+/g, ' ').trim()).toBe(
      '1 review card is overdue from missed days.',
    );
    await retype(user, 'Spread over', '30');
    await user.keyboard('{Enter}');
    expect((await screen.findByTestId('spread-result')).textContent?.trim()).toBe(
      'Spread 1 card over 30 days; new cards resume on 2026-12-25.',
    );
    expect(backend.callsTo('spread_backlog').map((c) => c.args)).toEqual([{ days: 30 }]);
  });

  it.each(['0', '61', '2.5', ''])('refuses to spread over %s days, sending nothing', async (typed) => {
    const { user, backend } = await openSettings((b) =>
      b.reply('get_backlog', { overdue: 40, new_paused_until: null }),
    );
    await screen.findByTestId('spread-form');
    await retype(user, 'Spread over', typed);
    await user.click(screen.getByTestId('spread'));
    expect((await screen.findByTestId('spread-error')).textContent).toBe('Choose a whole number of days from 1 to 60.');
    expect(backend.callsTo('spread_backlog')).toHaveLength(0);
    expect(screen.getByTestId('backlog-status').textContent?.replace(/\s+/g, ' ').trim()).toBe(
      '40 review cards are overdue from missed days.',
    );
  });

  it('offers nothing to spread without a backlog, but says new cards are paused', async () => {
    await openSettings((b) =>
      b
        .reply('get_settings', settingsWith({ pause_new_until: '2026-11-28' }))
        .reply('get_backlog', { overdue: 0, new_paused_until: '2026-11-28' }),
    );
    expect((await screen.findByTestId('backlog-status')).textContent?.trim()).toBe('No review cards are overdue.');
    expect(screen.queryByTestId('spread-form')).toBeNull();
    expect(screen.getByTestId('backlog-paused').textContent).toBe(
      'New cards are paused while the backlog is caught up; they resume on 2026-11-28.',
    );
  });
});

describe('Settings changed elsewhere', () => {
  it('are read again when the backend says the settings changed', async () => {
    const { backend } = await openSettings();
    expect(screen.getByTestId('fsrs-parameters').querySelector('summary')?.textContent?.trim()).toBe('FSRS parameters: defaults');
    const reads = backend.callsTo('get_settings').length;

    // Say, the CLI's optimizer: new parameters stored, and the change announced.
    backend.reply('get_settings', settingsWith({ fsrs_parameters: FITTED_PARAMETERS }));
    backend.emitChanges({ settings: true, cards: true });
    await waitFor(() =>
      expect(screen.getByTestId('fsrs-parameters').querySelector('summary')?.textContent?.trim()).toBe(
        'FSRS parameters: fitted to your reviews (21 values)',
      ),
    );
    expect(backend.callsTo('get_settings')).toHaveLength(reads + 1);
  });
});
