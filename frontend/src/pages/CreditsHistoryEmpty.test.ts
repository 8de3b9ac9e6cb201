/**
 * Credits → History with no rows says Go's words for why (Credits.History's
 * empty, ledger.EmptyHistoryFor: a filter narrows the rows, one account has
 * none, a member's transfers on another account, none at all), as `meterdesk
 * credits history` prints them; the window kept its own copy of that rule.
 * Which words fit which filter is Go's test (app
 * TestCreditsHistorySaysWhyItIsEmptyInGosWords); here: the page shows the
 * words of the rows it shows, verbatim, and a reservation row's note.
 */
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import CreditsHistory from './CreditsHistory.svelte';
import { installFakeBridge } from '../test/fakeBridge';
import { session } from '../lib/session.svelte';

type Query = { ops: string[]; account: string; from: string; reservations: boolean };
const OPS = ['topup', 'usage', 'transfer'];
// Words no rule in the window could make: only Go's answer can put them on the page.
const none = { title: 'Go title 1', description: 'Go says nothing moved (1).' };
const filtered = { title: 'Go title 2', description: 'Go says the filter matches nothing (2).' };
const emptyPage = (q: Query) => ({ items: [], next: 0, ops: OPS, empty: q.ops.length || q.from ? filtered : none });

function setUp(history: (q: Query) => unknown = emptyPage) {
  session.set({ signedIn: true, actor: { userId: 1, name: 'alice', role: 'admin' } } as never);
  return installFakeBridge({ 'Credits.History': history as never, 'Team.AccountNames': () => ({}) });
}

const says = async () => (await screen.findByTestId('empty-credits-history')).textContent!.replace(/\s+/g, ' ').trim();

describe('Credits → History, empty', () => {
  it("shows Go's title and sentence for an empty first page", async () => {
    setUp();
    render(CreditsHistory, {});
    await waitFor(async () => expect(await says()).toBe('Go title 1 Go says nothing moved (1).'));
  });

  it.each([
    ['an operation', async () => fireEvent.change(screen.getByTestId('credits-history-op'), { target: { value: 'topup' } })],
    ['a start date', async () => fireEvent.input(screen.getByTestId('credits-history-from'), { target: { value: '2026-01-01' } })],
  ])("shows the words Go answers once %s is applied", async (_, pick) => {
    setUp();
    render(CreditsHistory, {});
    await waitFor(async () => expect(await says()).toContain('Go title 1'));
    await pick();
    await fireEvent.click(screen.getByTestId('credits-history-apply'));
    await waitFor(async () => expect(await says()).toBe('Go title 2 Go says the filter matches nothing (2).'));
  });

  it('keeps the words of the rows read while another account is picked but not applied', async () => {
    setUp();
    render(CreditsHistory, { account: 'pool' });
    await waitFor(async () => expect(await says()).toContain('Go title 1'));
    await fireEvent.change(screen.getByTestId('credits-history-account'), { target: { value: 'dept:1' } });
    expect(await says()).toContain('Go title 1');
  });

  it("shows a reservation row's note in Go's words", async () => {
    setUp(() => ({
      items: [{ id: 1, requestId: 'r1', leg: 0, op: 'hold', kind: 'pending', from: 'pool', to: 'sys:usage', amount: '2',
        debtRepaid: '0', meta: {}, createdAt: '2026-11-20T10:00:00Z', status: 'posted', reservation: true,
        reservationNote: 'Go note: reserved, not charged' }],
      next: 0, ops: OPS,
    }));
    render(CreditsHistory, {});
    expect((await screen.findByTestId('credits-reservation-note')).textContent).toBe('Go note: reserved, not charged');
  });
});
