import { afterEach, describe, expect, it } from 'vitest';
import { buildHash, matchRoute, normalizePath, parseHash } from './router';
import { Router } from './router.svelte';

describe('parseHash / buildHash / normalizePath', () => {
  it.each([
    ['', '/', {}],
    ['#', '/', {}],
    ['#/', '/', {}],
    ['#/chat', '/chat', {}],
    ['#chat', '/chat', {}],
    ['#/settings/general/', '/settings/general', {}],
    ['#//settings//team', '/settings/team', {}],
    ['#/usage?from=2025-01-01&by=model', '/usage', { from: '2025-01-01', by: 'model' }],
    ['#/chat/hello%20world', '/chat/hello world', {}],
    ['#/bad%E0%A4%A', '/bad%E0%A4%A', {}], // malformed escape kept verbatim
  ])('%j', (hash, path, query) => {
    expect(parseHash(hash)).toEqual({ path, query });
  });

  it('round-trips through buildHash', () => {
    const h = buildHash('/chat/a b', { q: 'x&y' });
    expect(h).toBe('#/chat/a%20b?q=x%26y');
    expect(parseHash(h)).toEqual({ path: '/chat/a b', query: { q: 'x&y' } });
  });

  it('normalizes', () => {
    expect(normalizePath('')).toBe('/');
    expect(normalizePath('a/./b/')).toBe('/a/b');
  });
});

describe('matchRoute', () => {
  const routes = [
    { id: 'chat', path: '/chat', prefix: true },
    { id: 'conv', path: '/conversations/:id' },
    { id: 'general', path: '/settings/general' },
    { id: 'settings', path: '/settings', prefix: true },
  ];

  it.each([
    ['/chat', 'chat', { rest: '' }],
    ['/chat/42/messages', 'chat', { rest: '42/messages' }],
    ['/conversations/7', 'conv', { id: '7' }],
    ['/settings/general', 'general', {}], // exact beats prefix even when listed later
    ['/settings/team', 'settings', { rest: 'team' }],
  ])('%s -> %s', (path, id, params) => {
    const m = matchRoute(routes, path);
    expect(m?.route.id).toBe(id);
    expect(m?.params).toEqual(params);
  });

  it.each(['/', '/chatx', '/conversations', '/conversations/7/x', '/nope'])('%s does not match', (path) => {
    expect(matchRoute(routes, path)).toBeNull();
  });
});

describe('Router', () => {
  const routes = [
    { id: 'chat', path: '/chat', prefix: true },
    { id: 'general', path: '/settings/general' },
  ];
  let stop: (() => void) | null = null;
  afterEach(() => stop?.());

  it('redirects the empty hash to the fallback without adding history', () => {
    window.location.hash = '';
    const before = history.length;
    const r = new Router(routes, { fallback: '/chat' });
    stop = r.start();
    expect(window.location.hash).toBe('#/chat');
    expect(r.match?.route.id).toBe('chat');
    expect(history.length).toBe(before);
  });

  it('applies redirects and keeps the query', () => {
    window.location.hash = '#/settings?x=1';
    const r = new Router(routes, { fallback: '/chat', redirects: { '/settings': '/settings/general' } });
    stop = r.start();
    expect(window.location.hash).toBe('#/settings/general?x=1');
    expect(r.match?.route.id).toBe('general');
    expect(r.location.query).toEqual({ x: '1' });
  });

  it('navigate updates state immediately and follows hashchange', async () => {
    const r = new Router(routes, { fallback: '/chat' });
    stop = r.start();
    r.navigate('/settings/general');
    expect(window.location.hash).toBe('#/settings/general');
    expect(r.match?.route.id).toBe('general');
    expect(r.isActive('/settings/general')).toBe(true);
    expect(r.isActive('/chat')).toBe(false);

    window.location.hash = '#/chat/9';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(r.match?.route.id).toBe('chat');
    expect(r.match?.params.rest).toBe('9');
    expect(r.isActive('/chat')).toBe(true);
    expect(r.isActive('/cha')).toBe(false);
  });

  it('unknown paths have no match', () => {
    window.location.hash = '#/nowhere';
    const r = new Router(routes, { fallback: '/chat' });
    stop = r.start();
    expect(r.match).toBeNull();
    expect(r.location.path).toBe('/nowhere');
  });

  it('stop detaches the listener', () => {
    const r = new Router(routes, { fallback: '/chat' });
    r.start();
    r.stop();
    window.location.hash = '#/settings/general';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(r.match?.route.id).toBe('chat');
  });
});
