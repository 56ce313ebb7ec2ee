import { mockIPC } from '@tauri-apps/api/mocks';
import { describe, expect, it } from 'vitest';
import { ApiError, answerCard, getStatus, nextCard, toApiError, undo } from './api';

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

  it('turns an AppError rejection into an ApiError with its code and message', async () => {
    mockIPC(() => {
      throw { code: 'unknown_card', message: 'No card 7' };
    });
    const err = await answerCard(7, 'good', 10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toBeInstanceOf(Error);
    expect((err as ApiError).code).toBe('unknown_card');
    expect((err as ApiError).message).toBe('No card 7');
  });

  it('normalises plain strings and errors as internal', () => {
    expect(toApiError('command foo not found')).toMatchObject({ code: 'internal', message: 'command foo not found' });
    expect(toApiError(new TypeError('boom'))).toMatchObject({ code: 'internal', message: 'boom' });
    expect(toApiError(42).code).toBe('internal');
  });
});
