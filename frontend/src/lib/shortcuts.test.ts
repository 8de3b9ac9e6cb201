// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { modifierLabel, shortcutIndex } from './shortcuts';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('shortcutIndex', () => {
  it.each([
    [key('1', { ctrlKey: true }), 1],
    [key('4', { ctrlKey: true }), 4],
    [key('2', { metaKey: true }), 2],
    [key('5', { ctrlKey: true }), null], // beyond max
    [key('0', { ctrlKey: true }), null],
    [key('1'), null], // no modifier
    [key('1', { ctrlKey: true, shiftKey: true }), null],
    [key('1', { ctrlKey: true, altKey: true }), null],
    [key('a', { ctrlKey: true }), null],
  ])('%o -> %s', (e, want) => {
    expect(shortcutIndex(e)).toBe(want);
  });

  it('respects max', () => {
    expect(shortcutIndex(key('6', { ctrlKey: true }), 9)).toBe(6);
  });

  it('labels the modifier per platform', () => {
    expect(modifierLabel('MacIntel')).toBe('⌘');
    expect(modifierLabel('Linux x86_64')).toBe('Ctrl');
  });
});
