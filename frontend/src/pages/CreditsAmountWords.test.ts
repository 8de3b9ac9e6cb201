/**
 * Credits: the amounts typed in Give credits (from the pool), Move to the pool, Settle from the pool and "Give credits
 * from your wallet" are read by the backend's rule as typed (Credits.AmountProblem: ledger.ParseCredits, which
 * Credits.Transfer and `meterdesk credits transfer --amount` read them with), as Top up's Credits field is: its words
 * (Go's table, app/testdata/topup_problems.json) under the field, a press moving the focus there, nothing sent. The
 * page read them with its own parser ('Use a point for decimals and no comma…', 'At most 9 decimal places.').
 */
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Credits from './Credits.svelte';
import { installFakeBridge, installFakeRuntime, topUpProblems } from '../test/fakeBridge';
import { fieldState } from '../test/a11y';
import { session } from '../lib/session.svelte';

const base = { balance: '500', pending: '0', available: '500', movable: '400', lifetimeUsed: '0', policy: { kind: 'minimum', limit: '100' }, lots: [] };
const balances: Record<string, object> = {
  pool: { ...base, movable: '500', policy: { kind: 'blocked', limit: '0' } },
  'user:3': base,
  'user:8': { ...base, balance: '-18', available: '-18', movable: '0', policy: { kind: 'blocked', limit: '0' } },
  'user:2': { ...base, balance: '20', available: '20', movable: '20', policy: { kind: 'blocked', limit: '0' } },
};

function fake(role: 'admin' | 'member') {
  session.set({ signedIn: true, actor: role === 'admin' ? { userId: 1, name: 'alice', role } : { userId: 2, name: 'lee', role } } as never);
  installFakeRuntime();
  return installFakeBridge({
    'Credits.Balance': (acct: string) => ({ ...balances[acct || 'user:2'], account: acct || 'user:2' }),
    'Credits.CreditValue': () => ({ amount: '0.01', currency: 'EUR' }),
    'Credits.Packages': () => [],
    'Credits.History': () => ({ items: [], next: 0 }),
    'Credits.MoveBackRoom': () => 'Go: 400 can move.',
    'Credits.GiveRoom': () => ({ line: 'Go: 20 can move.', noAmount: 'Go: type an amount.' }),
    'Credits.PoolLines': () => ({ give: 'Go: the pool gives.', settle: 'Go: settle it.' }),
    'Credits.GiveTargets': () => [{ account: 'pool', kind: 'pool', name: 'Workspace pool', phrase: 'the workspace pool' }],
    'Credits.Transfer': () => { throw new Error('sent'); },
    'Team.Wallets': () => [
      { account: 'user:3', userId: 3, name: 'erin', displayName: '', funding: 'wallet', status: 'active', balance: '500' },
      { account: 'user:8', userId: 8, name: 'frank', displayName: '', funding: 'wallet', status: 'removed', balance: '-18' },
    ],
    'Team.AccountNames': () => ({ 'user:3': 'erin', 'user:8': 'frank', 'user:2': 'lee' }),
    'Team.Departments': () => [],
  });
}

const forms = [
  { name: 'Give credits', role: 'admin', account: 'user:3', field: 'credits-give-amount', said: 'credits-give-error', submit: 'credits-give-submit' },
  { name: 'Move to the pool', role: 'admin', account: 'user:3', field: 'credits-back-amount', said: 'credits-back-error', submit: 'credits-back-submit' },
  { name: 'Settle from the pool', role: 'admin', account: 'user:8', field: 'credits-settle-amount', said: 'credits-settle-error', submit: 'credits-settle-submit' },
  { name: 'Give from your wallet', role: 'member', account: '', field: 'credits-give-wallet-amount', said: 'credits-give-wallet-error', submit: 'credits-give-wallet-submit' },
] as const;

describe("Credits: a give, move back or settle amount reads the backend's words as typed", () => {
  for (const form of forms) {
    for (const typed of ['1,5', '1.0000000001', '-3']) {
      it(`${form.name}: ${JSON.stringify(typed)} says what the CLI says, and sends nothing`, async () => {
        const want = topUpProblems.find((r) => r.field === 'amount' && r.typed === typed)!.problem;
        expect(want).not.toBe('');
        const f = fake(form.role);
        render(Credits, { params: {}, query: form.account ? { account: form.account } : {} });
        const input = await screen.findByTestId(form.field);
        if (form.role === 'member') {
          const to = screen.getByTestId('credits-give-wallet-to');
          await waitFor(() => expect(to.querySelectorAll('option').length).toBeGreaterThan(1));
          await fireEvent.change(to, { target: { value: 'pool' } });
        }
        await fireEvent.input(input, { target: { value: typed } });
        // Said while typed, after a pause, under the field.
        await waitFor(() => expect(screen.getByTestId(form.said).textContent).toBe(want));
        expect(fieldState(input)).toEqual({ invalid: 'true', description: want });
        expect(f.calls.filter((c) => c.method === 'AmountProblem').at(-1)?.args).toEqual([typed]);
        const submit = screen.getByTestId(form.submit);
        submit.focus();
        await fireEvent.click(submit);
        await waitFor(() => expect(document.activeElement).toBe(input));
        expect(document.body.textContent!.split(want).length - 1).toBe(1);
        expect(f.calls.some((c) => c.method === 'Transfer')).toBe(false);
      });
    }

    it(`${form.name}: a press within the pause asks then, and sends exactly what was typed`, async () => {
      const f = fake(form.role);
      f.handlers['Credits.Transfer'] = (t: any) => ({ id: 5, requestId: t.id, leg: 0, op: 'transfer', kind: 'posted', from: t.from, to: t.to,
        amount: t.amount.trim(), debtRepaid: '0', meta: {}, createdAt: '2026-01-15T10:00:00.000Z', summary: 'Go: moved.' });
      render(Credits, { params: {}, query: form.account ? { account: form.account } : {} });
      const input = await screen.findByTestId(form.field);
      if (form.role === 'member') {
        const to = screen.getByTestId('credits-give-wallet-to');
        await waitFor(() => expect(to.querySelectorAll('option').length).toBeGreaterThan(1));
        await fireEvent.change(to, { target: { value: 'pool' } });
      }
      await fireEvent.input(input, { target: { value: ' 5 ' } });
      await fireEvent.click(screen.getByTestId(form.submit));
      await waitFor(() => expect(f.calls.find((c) => c.method === 'Transfer')?.args[0]).toMatchObject({ amount: ' 5 ' }));
      expect(f.calls.filter((c) => c.method === 'AmountProblem').map((c) => c.args[0])).toContain(' 5 ');
    });
  }

  it("Give credits and Top up: a press with nothing typed says the backend's words for it under the field, and sends nothing", async () => {
    const want = topUpProblems.find((r) => r.field === 'amount' && r.typed === '')!.problem;
    expect(want).not.toBe('');
    const f = fake('admin');
    render(Credits, { params: {}, query: { account: 'user:3' } });
    const topUp = (await screen.findByTestId('credits-topup-amount')) as HTMLInputElement;
    for (const [field, said, submit] of [
      ['credits-give-amount', 'credits-give-error', 'credits-give-submit'],
      ['credits-topup-amount', 'credits-topup-amount-error', 'credits-topup-submit'],
    ]) {
      const input = field === 'credits-topup-amount' ? topUp : screen.getByTestId(field);
      screen.getByTestId(submit).focus();
      await fireEvent.click(screen.getByTestId(submit));
      await waitFor(() => expect(screen.getByTestId(said).textContent).toBe(want));
      expect(fieldState(input)).toEqual({ invalid: 'true', description: want });
      await waitFor(() => expect(document.activeElement).toBe(input));
      expect(f.calls.filter((c) => c.method === 'AmountProblem').at(-1)?.args).toEqual(['']);
    }
    expect(f.calls.some((c) => c.method === 'Transfer' || c.method === 'TopUp')).toBe(false);
  });
});
