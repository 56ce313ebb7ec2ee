import { describe, expect, it, vi } from 'vitest';
import { createKeyScopes, isEditable, type KeyHandler } from './keys';

const key = (k: string) => new KeyboardEvent('keydown', { key: k });

describe('key scopes', () => {
  it('offers a key to the topmost scope first', () => {
    const scopes = createKeyScopes();
    const heard: string[] = [];
    scopes.push(() => (heard.push('bottom'), true));
    scopes.push(() => (heard.push('top'), true));
    expect(scopes.dispatch(key('a'))).toBe(true);
    expect(heard).toEqual(['top']);
  });

  it('lets a key a scope does not take fall to the scope below', () => {
    const scopes = createKeyScopes();
    const heard: string[] = [];
    scopes.push((e) => (heard.push(`bottom:${e.key}`), true));
    scopes.push((e) => (heard.push(`top:${e.key}`), e.key === 'Enter'));
    scopes.dispatch(key('Enter'));
    scopes.dispatch(key('/'));
    expect(heard).toEqual(['top:Enter', 'top:/', 'bottom:/']);
  });

  it('answers false when no scope takes the key', () => {
    const scopes = createKeyScopes();
    expect(scopes.dispatch(key('x'))).toBe(false);
    scopes.push(() => false);
    expect(scopes.dispatch(key('x'))).toBe(false);
  });

  it('releases a scope wherever it is in the stack, in any order', () => {
    const scopes = createKeyScopes();
    const heard: string[] = [];
    const scope = (name: string): KeyHandler => () => (heard.push(name), false);
    const releaseA = scopes.push(scope('a'));
    const releaseB = scopes.push(scope('b'));
    const releaseC = scopes.push(scope('c'));

    releaseB();
    scopes.dispatch(key('x'));
    expect(heard).toEqual(['c', 'a']);

    releaseA();
    releaseA(); // twice does no harm
    heard.length = 0;
    scopes.dispatch(key('x'));
    expect(heard).toEqual(['c']);

    releaseC();
    expect(scopes.size()).toBe(0);
  });

  it('keeps a bottom scope under scopes pushed before and after it', () => {
    const scopes = createKeyScopes();
    const heard: string[] = [];
    scopes.push(() => (heard.push('screen'), false));
    scopes.pushBottom(() => (heard.push('app'), false));
    scopes.push(() => (heard.push('dialog'), false));
    scopes.dispatch(key('Escape'));
    expect(heard).toEqual(['dialog', 'screen', 'app']);
  });

  it('walks the stack as it was when the key came, though a handler changes it', () => {
    const scopes = createKeyScopes();
    const heard: string[] = [];
    scopes.push(() => (heard.push('below'), true));
    const release = scopes.push(() => {
      heard.push('closing');
      release();
      scopes.push(() => (heard.push('new'), true));
      return false;
    });
    scopes.dispatch(key('Escape'));
    expect(heard).toEqual(['closing', 'below']);
    heard.length = 0;
    scopes.dispatch(key('Escape'));
    expect(heard).toEqual(['new']);
  });

  it('listens with one keydown listener until stopped', () => {
    const scopes = createKeyScopes();
    const handler = vi.fn(() => true);
    scopes.push(handler);
    const target = new EventTarget();
    const stop = scopes.listen(target as unknown as Window);
    target.dispatchEvent(key('a'));
    expect(handler).toHaveBeenCalledTimes(1);
    stop();
    target.dispatchEvent(key('b'));
    expect(handler).toHaveBeenCalledTimes(1);
  });
});

describe('isEditable', () => {
  it('is true where a letter types or picks, false on buttons, checkboxes and the page', () => {
    const input = (type: string) => Object.assign(document.createElement('input'), { type });
    expect(isEditable(input('text'))).toBe(true);
    expect(isEditable(input('search'))).toBe(true);
    expect(isEditable(document.createElement('textarea'))).toBe(true);
    expect(isEditable(document.createElement('select'))).toBe(true);
    expect(isEditable(input('checkbox'))).toBe(false);
    expect(isEditable(input('radio'))).toBe(false);
    expect(isEditable(document.createElement('button'))).toBe(false);
    expect(isEditable(document.body)).toBe(false);
    expect(isEditable(null)).toBe(false);
  });
});
