/**
 * Every page that reads on open says it is reading (the shared Loading
 * line, a polite status) instead of showing a blank page: Team, Rates,
 * Usage, Statements, Credits, Providers, and the Team tabs (the audit log).
 */
import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import type { Component } from 'svelte';
import Team from './Team.svelte';
import Rates from './Rates.svelte';
import Usage from './Usage.svelte';
import Statements from './Statements.svelte';
import Credits from './Credits.svelte';
import Providers from './Providers.svelte';
import TeamAudit from './TeamAudit.svelte';
import { installFakeBridge, installFakeRuntime } from '../test/fakeBridge';
import { session } from '../lib/session.svelte';

/** A backend that has not answered yet: every call pends. */
function pendingBackend() {
  installFakeRuntime();
  const never = () => new Promise(() => {});
  installFakeBridge(new Proxy({}, { get: () => never }) as Record<string, () => unknown>);
}

describe('pages say they are loading while they read', () => {
  it.each([
    ['Team', Team, 'Loading…'],
    ['Rates', Rates, 'Loading rates…'],
    ['Usage', Usage, 'Loading…'],
    ['Statements', Statements, 'Loading the statement…'],
    ['Credits', Credits, 'Loading credits…'],
    ['Providers', Providers, 'Loading providers…'],
    ['Team → Audit log', TeamAudit, 'Loading…'],
  ] as [string, Component<any>, string][])('%s', async (_, Page, text) => {
    session.set({ signedIn: true, actor: { userId: 1, name: 'alice', role: 'admin' } } as never);
    pendingBackend();
    render(Page, { params: {}, query: {} });
    const status = await screen.findByRole('status');
    expect(status.textContent).toBe(text);
  });
});
