import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import type { DevicePrefs } from './lib/bindings';
import { MAX_ZOOM, MIN_ZOOM } from './lib/bindings';
import { zoomBy } from './lib/stores/device.svelte';
import { recorded } from './test/recorded';
import { Scripted, type Args } from './test/scripted';

/** A backend that stores the preferences it is sent, refusing a reminder as the core does
 *  (this_devices_preferences_are_saved_in_the_data_folder_and_bad_ones_refused, src-tauri/tests/commands.rs). */
function device(start: DevicePrefs = { zoom: 1, reminder: null }): Scripted {
  let stored = start;
  return new Scripted()
    .replyWith('get_device_prefs', () => stored)
    .replyWith('set_device_prefs', (a: Args) => {
      const prefs = a.prefs as DevicePrefs;
      if (prefs.reminder !== null && !/^\d\d:\d\d$/.test(prefs.reminder)) {
        throw { code: 'invalid', message: 'invalid reminder: the reminder time must be a time of day such as 07:30', field: 'reminder' };
      }
      stored = prefs;
      return prefs;
    });
}

function sent(backend: Scripted): DevicePrefs[] {
  return backend.callsTo('set_device_prefs').map((c) => c.args.prefs as DevicePrefs);
}

describe('Zoom', () => {
  it('steps by a tenth within the core range, without float dust', () => {
    expect(zoomBy(1, 1)).toBe(1.1);
    expect(zoomBy(1.1, 1)).toBe(1.2);
    expect(zoomBy(1.2, -3)).toBe(0.9);
    expect(zoomBy(MAX_ZOOM, 1)).toBe(MAX_ZOOM);
    expect(zoomBy(MIN_ZOOM, -1)).toBe(MIN_ZOOM);
  });

  it('Ctrl+= and Ctrl+- zoom from any screen, the review too, and Ctrl+0 goes back to 100 %', async () => {
    const backend = device().reply('next_card', recorded.termCard());
    const user = userEvent.setup();
    render(App);
    await screen.findByTestId('today');
    await waitFor(() => expect(backend.callsTo('get_device_prefs')).toHaveLength(1));
    await user.keyboard('{Control>}={/Control}');
    await waitFor(() => expect(sent(backend).map((p) => p.zoom)).toEqual([1.1]));
    await user.keyboard('{Enter}');
    await screen.findByTestId('prompt');
    await user.keyboard('{Control>}={/Control}');
    await waitFor(() => expect(sent(backend).map((p) => p.zoom)).toEqual([1.1, 1.2]));
    await user.keyboard('{Control>}-{/Control}{Control>}0{/Control}');
    await waitFor(() => expect(sent(backend).map((p) => p.zoom)).toEqual([1.1, 1.2, 1.1, 1]));
    // Still reviewing: the zoom keys took nothing from it.
    expect(screen.getByTestId('review')).toBeTruthy();
  });
});

describe('This device in Settings', () => {
  it('shows the zoom, the version and the data folder, and turns a daily reminder on at the time chosen', async () => {
    const backend = device({ zoom: 1.2, reminder: null });
    const user = userEvent.setup();
    render(App);
    await screen.findByTestId('today');
    await user.click(screen.getByTestId('nav-settings'));
    expect((await screen.findByTestId('zoom')).textContent).toBe('120 %');
    expect((await screen.findByTestId('about-version')).textContent).toBe('Reprise 0.1.0');
    expect(screen.getByTestId('about-data-dir').textContent).toBe('/home/learner/.local/share/reprise');

    await user.click(screen.getByTestId('zoom-out'));
    await waitFor(() => expect(screen.getByTestId('zoom').textContent).toBe('110 %'));

    const time = screen.getByTestId<HTMLInputElement>('reminder-time');
    await user.clear(time);
    await user.type(time, '07:30');
    await user.click(screen.getByTestId('reminder-on'));
    await waitFor(() => expect(sent(backend).slice(-1)[0]).toEqual({ zoom: 1.1, reminder: '07:30' }));
    expect(screen.getByTestId<HTMLInputElement>('reminder-on').checked).toBe(true);
    await user.click(screen.getByTestId('reminder-on'));
    await waitFor(() => expect(sent(backend).slice(-1)[0]).toEqual({ zoom: 1.1, reminder: null }));
  });

  it('a reminder time the core refuses is said next to it, and start at login asks the OS', async () => {
    const backend = device().replyWith('set_start_at_login', (a: Args) => a.on);
    const user = userEvent.setup();
    render(App);
    await screen.findByTestId('today');
    await user.click(screen.getByTestId('nav-settings'));
    const time = await screen.findByTestId<HTMLInputElement>('reminder-time');
    // A time input hands over "" while it is cleared.
    await user.clear(time);
    await user.click(screen.getByTestId('reminder-on'));
    expect((await screen.findByTestId('reminder-error')).textContent).toContain('time of day such as 07:30');
    expect(screen.getByTestId<HTMLInputElement>('reminder-on').checked).toBe(false);

    const atLogin = await screen.findByTestId<HTMLInputElement>('start-at-login');
    expect(atLogin.checked).toBe(false);
    await user.click(atLogin);
    await waitFor(() => expect(backend.callsTo('set_start_at_login').map((c) => c.args)).toEqual([{ on: true }]));
    expect(atLogin.checked).toBe(true);
  });
});
