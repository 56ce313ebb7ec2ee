import { describe, expect, it } from 'vitest';
import { Router, type Route } from './route.svelte';

const term = (key: string): Route => ({ name: 'term', pack: 'p', key });
const lesson = (key: string): Route => ({ name: 'lesson', pack: 'p', key });

describe('Router', () => {
  it('starts on Today with nothing to go back to', () => {
    const r = new Router();
    expect(r.current).toEqual({ name: 'today' });
    expect(r.depth).toBe(0);
    expect(r.previous).toEqual({ name: 'today' });
  });

  it('go opens a route and back returns to the one before, in order', () => {
    const r = new Router();
    r.go({ name: 'library' });
    r.go(term('pod'));
    r.go(lesson('basics'));
    expect(r.current).toEqual(lesson('basics'));
    expect(r.previous).toEqual(term('pod'));

    r.back();
    expect(r.current).toEqual(term('pod'));
    r.back();
    expect(r.current).toEqual({ name: 'library' });
    r.back();
    expect(r.current).toEqual({ name: 'today' });
  });

  it('back on an empty history goes to Today, and stays there', () => {
    const r = new Router({ name: 'stats' });
    r.back();
    expect(r.current).toEqual({ name: 'today' });
    r.back();
    expect(r.current).toEqual({ name: 'today' });
    expect(r.depth).toBe(0);
  });

  it('replace swaps the current route: back skips it', () => {
    const r = new Router();
    r.go({ name: 'library' });
    r.go(term('pod'));
    r.replace(term('node'));
    expect(r.current).toEqual(term('node'));
    expect(r.depth).toBe(2);
    r.back();
    expect(r.current).toEqual({ name: 'library' });
  });

  it('a lesson opened from a term goes back to that term, then to the library', () => {
    const r = new Router();
    r.section({ name: 'library' });
    r.go(term('pod'));
    r.go(lesson('basics'));
    r.back();
    expect(r.current).toEqual(term('pod'));
    r.back();
    expect(r.current).toEqual({ name: 'library' });
  });

  it('a section of the navigation bar starts the history over, with Today under it', () => {
    const r = new Router();
    r.section({ name: 'library' });
    r.go(term('pod'));
    r.section({ name: 'settings', section: 'backlog' });
    expect(r.current).toEqual({ name: 'settings', section: 'backlog' });
    expect(r.depth).toBe(1);
    r.back();
    expect(r.current).toEqual({ name: 'today' });

    r.go({ name: 'review' });
    r.section({ name: 'today' });
    expect(r.depth).toBe(0);
  });
});
