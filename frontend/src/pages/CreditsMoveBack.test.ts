/**
 * Credits, as an admin on another account: "Move credits back to the pool"
 * offers what the ledger lets leave the account (Balance.movable: its
 * minimum balance kept), so the figure shown is one the backend takes; a
 * removed member's wallet in debt offers "Settle the debt", at most what it
 * owes, and nothing else may go to it.
 */
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Credits from './Credits.svelte';
import { installFakeBridge, installFakeRuntime, refusal } from '../test/fakeBridge';
import { fieldState, usable } from '../test/a11y';
import { session } from '../lib/session.svelte';
import { toast } from '../lib/toast.svelte';

const pool = { account: 'pool', balance: '1000', pending: '0', available: '1000', movable: '1000', lifetimeUsed: '0',
  policy: { kind: 'blocked', limit: '0' }, lots: [] };

/** What Go's Credits.MoveBackRoom says of erin's wallet (backend/team TestMoveBackRoomSaysWhatCanMove's words). */
const goLine = "Moves credits from erin's wallet to the workspace pool: 400.00 credits can move now (its minimum balance of 100.00 credits stays).";
/** What Go's Credits.PoolLines says of frank's wallet, removed with a debt of 18 (team TestPoolLinesSayWhatThePoolGives). */
const settleLine = "frank (removed)'s wallet owes 18.00 credits: frank was removed, so it takes credits only to settle that debt: at most 18.00 credits, " +
  'from the workspace pool (1,000.00 credits available).';

function fake(balances: Record<string, object>, extra: Record<string, (...a: any[]) => unknown> = {}) {
  session.set({ signedIn: true, actor: { userId: 1, name: 'alice', role: 'admin' } } as never);
  installFakeRuntime();
  return installFakeBridge({
    'Credits.Balance': (acct: string) => ({ ...pool, ...balances[acct], account: acct }),
    'Credits.CreditValue': () => ({ amount: '0.01', currency: 'EUR' }),
    'Credits.Packages': () => [],
    'Credits.History': () => ({ items: [], next: 0 }),
    'Credits.Transfer': (t: any) => ({ id: 5, requestId: t.id, leg: 0, op: 'transfer', kind: 'posted', from: t.from, to: t.to, amount: t.amount,
      debtRepaid: '0', meta: {}, createdAt: '2026-01-15T10:00:00.000Z' }),
    'Team.Wallets': () => [
      { account: 'user:3', userId: 3, name: 'erin', displayName: '', funding: 'wallet', status: 'active', balance: '500' },
      { account: 'user:8', userId: 8, name: 'frank', displayName: '', funding: 'wallet', status: 'removed', balance: '-18' },
    ],
    'Team.AccountNames': () => ({ 'user:3': 'erin', 'user:8': 'frank' }),
    'Team.Departments': () => [],
    'Credits.MoveBackRoom': () => goLine,
    // Go's words (team TestPoolLinesSayWhatThePoolGives).
    'Credits.PoolLines': (acct: string) => acct === 'user:8' ? { give: '', settle: settleLine } : { give: 'Go: the pool gives.', settle: '' },
    ...extra,
  });
}

describe('Credits: moving credits back and settling a debt', () => {
  it('offers what may move now, its minimum balance kept, and moves that by default', async () => {
    const f = fake({ 'user:3': { balance: '500', available: '500', movable: '400', policy: { kind: 'minimum', limit: '100' } } });
    render(Credits, { params: {}, query: { account: 'user:3' } });
    const text = await screen.findByTestId('credits-back-text');
    // Go's line (team.MoveBackLine), shown as it says it; the window made its own from the amounts.
    await waitFor(() => expect(text.textContent).toBe(goLine));
    expect(f.calls.find((c) => c.method === 'MoveBackRoom')?.args).toEqual(['user:3']);
    expect((screen.getByTestId('credits-back-amount') as HTMLInputElement).placeholder).toBe('400');
    expect(screen.queryByTestId('credits-settle')).toBeNull();
    await fireEvent.click(screen.getByTestId('credits-back-submit'));
    await waitFor(() => expect(f.calls.find((c) => c.method === 'Transfer')?.args[0]).toMatchObject({ from: 'user:3', to: 'pool', amount: '400' }));
  });

  it('offers nothing to move from a wallet at its minimum', async () => {
    fake({ 'user:3': { balance: '100', available: '100', movable: '0', policy: { kind: 'minimum', limit: '100' } } });
    render(Credits, { params: {}, query: { account: 'user:3' } });
    await screen.findByTestId('credits-give');
    expect(screen.queryByTestId('credits-back')).toBeNull();
  });

  it("settles a removed member's debt from the pool, at most what it owes, and gives it nothing else", async () => {
    // Go's refusal of more than the debt (team.AcceptsCredits; the window checked it with its own words).
    const over = "Credits cannot go to user:8: frank was removed; only their wallet's debt may be settled, at most 18 credits (asked for 19)";
    const f = fake({ 'user:8': { balance: '-18', available: '-18', movable: '0', policy: { kind: 'blocked', limit: '0' } } }, {
      'Credits.Transfer': (t: any) => {
        if (t.amount !== '18') throw refusal(`transfer x: not found: ${over[0].toLowerCase()}${over.slice(1)}`, over);
        return { id: 5, requestId: t.id, leg: 0, op: 'transfer', kind: 'posted', from: t.from, to: t.to, amount: t.amount, debtRepaid: '0', meta: {},
          createdAt: '2026-01-15T10:00:00.000Z', summary: "Settled 18.00 credits of the debt of frank (removed)'s wallet from the workspace pool" };
      },
    });
    render(Credits, { params: {}, query: { account: 'user:8' } });
    const text = await screen.findByTestId('credits-settle-text');
    await waitFor(() => expect(screen.getByTestId('credits-balance').querySelector('h2')!.textContent).toBe('frank (removed) · wallet'));
    // Go's line (Credits.PoolLines), shown as it comes; the window made its own, which said "Its member was removed" of
    // an archived department's account too.
    await waitFor(() => expect(text.textContent).toBe(settleLine));
    expect(screen.queryByTestId('credits-back')).toBeNull();
    expect(screen.queryByTestId('credits-give')).toBeNull();
    expect(screen.queryByTestId('credits-topup-submit')).toBeNull();

    const amount = screen.getByTestId('credits-settle-amount');
    await fireEvent.input(amount, { target: { value: '19' } });
    await fireEvent.click(screen.getByTestId('credits-settle-submit'));
    const error = await screen.findByTestId('credits-settle-error');
    expect(error.textContent).toBe(over);
    expect(fieldState(amount)).toEqual({ invalid: 'true', description: error.textContent });
    expect(f.calls.filter((c) => c.method === 'Transfer').map((c) => (c.args[0] as { amount: string }).amount)).toEqual(['19']);

    await fireEvent.input(amount, { target: { value: '' } });
    await fireEvent.click(screen.getByTestId('credits-settle-submit'));
    await waitFor(() => expect(f.calls.filter((c) => c.method === 'Transfer').at(-1)?.args[0]).toMatchObject({ from: 'pool', to: 'user:8', amount: '18' }));
    await waitFor(() => expect(toast.items.map((t) => t.message)).toContain("Settled 18.00 credits of the debt of frank (removed)'s wallet from the workspace pool")); // Go's (team.TransferReceipt.Summary)
  });

  // The three were disabled while a transfer ran: the focus fell to <body>. They stay focusable (aria-disabled),
  // a press meanwhile is ignored, and the one pressed says what it does.
  it.each([
    { button: 'credits-give-submit', account: 'user:3', busy: 'Giving…', idle: 'Give credits', amount: ['credits-give-amount', '5'] },
    { button: 'credits-back-submit', account: 'user:3', busy: 'Moving…', idle: 'Move to the pool', amount: null },
    { button: 'credits-settle-submit', account: 'user:8', busy: 'Settling…', idle: 'Settle from the pool', amount: null },
  ])('keeps the focus on $idle while it runs, and ignores a press meanwhile', async ({ button, account, busy, idle, amount }) => {
    let finish!: () => void;
    const f = fake({
      'user:3': { balance: '500', available: '500', movable: '400', policy: { kind: 'minimum', limit: '100' } },
      'user:8': { balance: '-18', available: '-18', movable: '0', policy: { kind: 'blocked', limit: '0' } },
    }, {
      'Credits.Transfer': (t: any) => new Promise((resolve) => {
        finish = () => resolve({ id: 5, requestId: t.id, leg: 0, op: 'transfer', kind: 'posted', from: t.from, to: t.to, amount: t.amount,
          debtRepaid: '0', meta: {}, createdAt: '2026-01-15T10:00:00.000Z' });
      }),
    });
    render(Credits, { params: {}, query: { account } });
    const submit = (await screen.findByTestId(button)) as HTMLButtonElement;
    if (amount) await fireEvent.input(screen.getByTestId(amount[0]), { target: { value: amount[1] } });
    expect(usable(submit)).toBe(true);
    submit.focus();
    await fireEvent.submit(submit.form!); // the keyboard submits the form its focused button is in
    await waitFor(() => expect(submit.textContent).toBe(busy));
    expect(usable(submit)).toBe(false);
    expect(document.activeElement).toBe(submit);
    // Pressed again, or another transfer's button pressed, while it runs: ignored.
    await fireEvent.submit(submit.form!);
    for (const other of document.querySelectorAll<HTMLButtonElement>('[data-testid$="-submit"][data-testid^="credits-"]')) {
      if (other.closest('[data-testid="credits-topup"]') || other.dataset.testid === 'credits-topup-submit') continue;
      expect(usable(other)).toBe(false);
      await fireEvent.click(other);
    }
    expect(f.calls.filter((c) => c.method === 'Transfer')).toHaveLength(1);
    finish();
    await waitFor(() => expect(submit.textContent).toBe(idle));
    expect(usable(submit)).toBe(true);
    expect(document.activeElement).toBe(submit);
  });

  it("shows the backend's refusal of a settlement", async () => {
    fake({ 'user:8': { balance: '-18', available: '-18', movable: '0', policy: { kind: 'blocked', limit: '0' } } }, {
      'Credits.Transfer': () => { throw new Error('credits cannot go to user:8: frank was removed; only their wallet\'s debt may be settled, at most 8 credits (asked for 18)'); },
    });
    render(Credits, { params: {}, query: { account: 'user:8' } });
    await fireEvent.click(await screen.findByTestId('credits-settle-submit'));
    await waitFor(() => expect(screen.getByTestId('credits-settle-error').textContent).toContain('at most 8 credits (asked for 18)'));
  });
});
