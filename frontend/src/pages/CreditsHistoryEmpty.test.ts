/**
 * Credits → History with no rows: on a workspace where no credits have moved
 * and no filter is set it says so, and what will appear; with a filter set
 * it says nothing matches the filter.
 */
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import CreditsHistory from './CreditsHistory.svelte';
import { installFakeBridge } from '../test/fakeBridge';
import { session } from '../lib/session.svelte';

// The operations Go's page lists (ledger.Ops), some of them: the filter offers those.
const empty = () => ({ items: [], next: 0, ops: ['topup', 'usage', 'transfer'] });

function setUp() {
  session.set({ signedIn: true, actor: { userId: 1, name: 'alice', role: 'admin' } } as never);
  installFakeBridge({ 'Credits.History': empty, 'Team.AccountNames': () => ({}) });
}

const says = async () => (await screen.findByTestId('empty-credits-history')).textContent!.replace(/\s+/g, ' ').trim();

describe('Credits → History, empty', () => {
  it('says no credits have moved yet when no filter is set, not that nothing matches the filters', async () => {
    setUp();
    render(CreditsHistory, {});
    const text = await says();
    expect(text).toContain('No credits have moved yet. A top-up or a chat\'s charge appears here.');
    expect(text).not.toContain('filters');
  });

  it('says so too with reservations shown (that widens the list)', async () => {
    setUp();
    render(CreditsHistory, {});
    await says();
    await fireEvent.click(screen.getByTestId('credits-history-reservations'));
    expect(await says()).toContain('No credits have moved yet.');
  });

  it.each([
    ['an operation', async () => fireEvent.change(screen.getByTestId('credits-history-op'), { target: { value: 'topup' } })],
    ['a start date', async () => fireEvent.input(screen.getByTestId('credits-history-from'), { target: { value: '2026-01-01' } })],
  ])('keeps "Nothing matches these filters yet." with %s picked', async (_, pick) => {
    setUp();
    render(CreditsHistory, {});
    await says();
    await pick();
    await fireEvent.click(screen.getByTestId('credits-history-apply'));
    await screen.findByText('Nothing matches these filters yet.');
    expect(await says()).not.toContain('No credits have moved yet');
  });

  it('says no credits have moved in or out of the account picked on Credits, not that nothing matches filters', async () => {
    setUp();
    render(CreditsHistory, { account: 'dept:1' });
    const text = await says();
    expect(text).toContain('No credits have moved in or out of this account yet.');
    expect(text).not.toContain('filters');
  });

  it('says nothing matches once an operation narrows that account too', async () => {
    setUp();
    render(CreditsHistory, { account: 'pool' });
    await says();
    await fireEvent.change(screen.getByTestId('credits-history-op'), { target: { value: 'topup' } });
    await fireEvent.click(screen.getByTestId('credits-history-apply'));
    await screen.findByText('Nothing matches these filters yet.');
  });

  // A member's history of an account is their transfers on it (between it
  // and their wallet, their charges to it): the pool they see on Credits
  // with 500 credits has had credits move in, so "No credits have moved in
  // or out of this account yet" was not true; it says none of theirs have.
  it.each(['pool', 'dept:1'])('tells a member none of their transfers are on %s, not that no credits moved', async (code) => {
    session.set({ signedIn: true, actor: { userId: 2, name: 'bob', role: 'member' } } as never);
    installFakeBridge({ 'Credits.History': empty, 'Team.AccountNames': () => ({ 'user:2': 'bob', 'dept:1': 'Research' }) });
    render(CreditsHistory, { account: code });
    const text = await says();
    expect(text).toContain('None of your transfers moved credits in or out of this account yet: a transfer between it and your wallet, or a charge to it for your messages, appears here.');
    expect(text).not.toContain('No credits have moved');
  });

  it('tells a member no credits have moved in or out of their own wallet', async () => {
    session.set({ signedIn: true, actor: { userId: 2, name: 'bob', role: 'member' } } as never);
    installFakeBridge({ 'Credits.History': empty, 'Team.AccountNames': () => ({ 'user:2': 'bob' }) });
    render(CreditsHistory, { account: 'user:2' });
    expect(await says()).toContain('No credits have moved in or out of this account yet.');
  });

  it('keeps a member\'s words for the account read while another is picked but not applied', async () => {
    session.set({ signedIn: true, actor: { userId: 2, name: 'bob', role: 'member' } } as never);
    installFakeBridge({ 'Credits.History': empty, 'Team.AccountNames': () => ({ 'user:2': 'bob' }) });
    render(CreditsHistory, { account: 'pool' });
    await says();
    await fireEvent.change(screen.getByTestId('credits-history-account'), { target: { value: 'user:2' } });
    expect(await says()).toContain('None of your transfers moved credits in or out of this account yet');
  });
});
