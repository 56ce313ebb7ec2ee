import { invoke } from '@tauri-apps/api/core';
import { NO_FILTERS } from '../screens/browse/browseView';
import { emit } from '@tauri-apps/api/event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { describe, expect, it } from 'vitest';
import { recorded } from '../test/recorded';
import { Scripted, takeStrayCommands } from '../test/scripted';
import * as api from './api';
import {
  ApiError,
  answerCard,
  browseCards,
  browseFacets,
  browseRows,
  getCardDetail,
  getStats,
  cancelOptimize,
  cardAction,
  getBacklog,
  getSettings,
  getStatus,
  nextCard,
  onCollectionChanged,
  type Changes,
  checkLessonAnswer,
  checkQuizCard,
  spreadBacklog,
  toApiError,
  undo,
  updateSettings,
} from './api';
import { MAX_BROWSE_ROWS } from './bindings';
import { CHANGES_EVENT, COMMANDS } from './commands';

describe('api', () => {
  it('invokes the backend commands with camelCase arguments', async () => {
    const seen: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return cmd === 'get_status' ? { new: 1, learning: 0, review: 0, total_cards: 1, next_due: null } : null;
    });

    expect((await getStatus()).total_cards).toBe(1);
    expect(await nextCard()).toBeNull();
    expect(await undo()).toBeNull();
    await answerCard(7, 'hard', 1234.6);

    expect(seen.map(([cmd]) => cmd)).toEqual(['get_status', 'next_card', 'undo', 'answer_card']);
    // Fractional timer values are rounded: the backend expects an integer.
    expect(seen[3][1]).toEqual({ cardId: 7, rating: 'hard', durationMs: 1235 });
  });

  it('sends settings, card actions and backlog spreads with the argument keys the commands take', async () => {
    const seen: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      if (cmd === 'update_settings') return 12;
      if (cmd === 'card_action') return { action: 'set_due', changed: 2 };
      return null;
    });
    const patch = { desired_retention: '0.85', learning_steps_minutes: '1m 10m 1h', fuzz: 'off' };

    expect(await updateSettings(patch)).toBe(12);
    expect(await cardAction({ kind: 'set_due', days: 3 }, [4, 5])).toEqual({ action: 'set_due', changed: 2 });
    await spreadBacklog(7);
    await getSettings();
    await getBacklog();
    await cancelOptimize();

    expect(seen).toEqual([
      ['update_settings', { patch }],
      ['card_action', { action: { kind: 'set_due', days: 3 }, cardIds: [4, 5] }],
      ['spread_backlog', { days: 7 }],
      ['get_settings', {}],
      ['get_backlog', {}],
      ['cancel_optimize', {}],
    ]);
  });

  it('sends the statistics and browser commands with the argument keys they take', async () => {
    const seen: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      if (cmd === 'browse_cards') return [3, 1, 2];
      if (cmd === 'browse_rows') return ((args as { ids: number[] }).ids).map((id) => ({ card_id: id }));
      return null;
    });
    const query = {
      text: 'pod',
      state: null,
      due: 'today',
      suspended: false,
      leech: false,
      area: null,
      pack: 'k8s',
      tag: null,
      lesson: null,
      sort: 'due',
      descending: true,
    } as const;

    await getStats();
    expect(await browseCards(query)).toEqual([3, 1, 2]);
    expect((await browseRows([5, 6])).map((r) => r.card_id)).toEqual([5, 6]);
    await browseFacets();
    await getCardDetail(42);

    expect(seen).toEqual([
      ['get_stats', {}],
      ['browse_cards', { query }],
      ['browse_rows', { ids: [5, 6] }],
      ['browse_facets', {}],
      ['get_card_detail', { cardId: 42 }],
    ]);
  });

  it('asks the core to grade quiz answers, with the argument keys the commands take', async () => {
    const seen: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return cmd === 'check_quiz_card';
    });

    expect(await checkQuizCard(7, [0, 2])).toBe(true);
    expect(await checkLessonAnswer('k8s', 'jobs', 2, [1])).toBe(false);
    expect(seen).toEqual([
      ['check_quiz_card', { cardId: 7, chosen: [0, 2] }],
      ['check_lesson_answer', { pack: 'k8s', key: 'jobs', question: 2, chosen: [1] }],
    ]);
  });

  it('reads more rows than the core answers at once page by page, in order', async () => {
    const asked: number[] = [];
    mockIPC((_, args) => {
      const ids = (args as { ids: number[] }).ids;
      asked.push(ids.length);
      return ids.map((id) => ({ card_id: id }));
    });
    const ids = Array.from({ length: MAX_BROWSE_ROWS * 2 + 5 }, (_, i) => i + 1);
    const rows = await browseRows(ids);
    expect(asked).toEqual([MAX_BROWSE_ROWS, MAX_BROWSE_ROWS, 5]);
    expect(rows.map((r) => r.card_id)).toEqual(ids);
  });

  it('turns an AppError rejection into an ApiError with its code and message', async () => {
    mockIPC(() => {
      throw { code: 'not_found', message: 'No card 7' };
    });
    const err = await answerCard(7, 'good', 10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toBeInstanceOf(Error);
    expect((err as ApiError).code).toBe('not_found');
    expect((err as ApiError).message).toBe('No card 7');
  });

  it('normalises plain strings and errors as internal', () => {
    expect(toApiError('command foo not found')).toMatchObject({ code: 'internal', message: 'command foo not found' });
    expect(toApiError(new TypeError('boom'))).toMatchObject({ code: 'internal', message: 'boom' });
    expect(toApiError(42).code).toBe('internal');
  });
});

describe('collection changes', () => {
  it('hears what each write changed from the backend\'s changes event, until stopped', async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const heard: Changes[] = [];
    const stop = await onCollectionChanged((changes) => heard.push(changes));
    const changes: Changes = { cards: true, notes: false, revlog: true, settings: false, packs: false, lessons: false };

    expect(CHANGES_EVENT).toBe('collection-changed');
    await emit(CHANGES_EVENT, changes);
    await emit('something-else', { cards: true });
    expect(heard).toEqual([changes]);

    stop();
    await emit(CHANGES_EVENT, changes);
    expect(heard).toHaveLength(1);
  });
});

describe('the command list', () => {
  // api.ts's `call` takes a `Command` (lib/commands.ts, generated from the backend's command
  // list): a command misspelt, or removed from the backend, fails `npm run check`. This checks
  // the same at run time, calling every function of api.ts that talks to the backend.
  it('is all api.ts invokes', async () => {
    const sent = new Set<string>();
    mockIPC((cmd) => {
      sent.add(cmd);
      return null;
    });
    const ignore = () => {};
    await Promise.allSettled([
      api.getClock(),
      api.getStatus(),
      api.nextCard(),
      api.answerCard(1, 'good', 1),
      api.undo(),
      api.cardAction({ kind: 'bury' }, [1]),
      api.search('pod'),
      api.getTerm('p', 'k'),
      api.answerQuizCard(1, [0], null, 1),
      api.checkQuizCard(1, [0]),
      api.getLibrary(),
      api.getLesson('p', 'k'),
      api.checkLessonAnswer('p', 'k', 0, [0]),
      api.finishLesson('p', 'k', [[0]]),
      api.previewTable('/x.csv'),
      api.listBackups(),
      api.backUpNow(),
      api.restoreBackup('/b'),
      api.importFile('/x.csv', ignore),
      api.cancelImport(),
      api.getSettings(),
      api.updateSettings({ new_per_day: '5' }),
      api.optimize(ignore),
      api.cancelOptimize(),
      api.simulateWorkload(ignore),
      api.getBacklog(),
      api.spreadBacklog(7),
      api.listPacks(),
      api.setPackEnabled('p', true),
      api.removePack('p', true),
      api.getStats(),
      api.browseCards({ text: '', ...NO_FILTERS, sort: 'added', descending: false }),
      api.browseRows([1]),
      api.browseFacets(),
      api.getCardDetail(1),
    ]);
    expect(sent.size).toBeGreaterThan(30);
    const commands: readonly string[] = COMMANDS;
    expect([...sent].filter((cmd) => !commands.includes(cmd))).toEqual([]);
  });

  it('is all the scripted backend answers: it refuses any other command', async () => {
    new Scripted();
    await expect(invoke('set_settings', { settings: {} })).rejects.toMatch(/command set_settings not found/);
    await expect(invoke('get_status')).resolves.toEqual(recorded.status());
    // The test setup fails a test that sent such a command; this one meant to.
    expect(takeStrayCommands()).toEqual(['set_settings']);
  });
});
