/**
 * Credits, as a member: "Give credits from your wallet" offers where the
 * backend lets them give (Credits.GiveTargets), says what can move now (the
 * wallet's movable, its minimum balance kept), says the backend's words for the
 * amount as typed (Credits.AmountProblem), sends it as typed and shows the
 * backend's refusal in its words; a member paid by the pool with an
 * empty wallet, and an admin, are offered no such card.
 */
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Credits from './Credits.svelte';
import { installFakeBridge, installFakeRuntime, refusal, topUpProblems } from '../test/fakeBridge';
import { session } from '../lib/session.svelte';
import { toast } from '../lib/toast.svelte';

const props = { params: {}, query: {} };
const empty = { balance: '0', pending: '0', available: '0', movable: '0', lifetimeUsed: '0', policy: { kind: 'blocked', limit: '0' }, lots: [] };
const targets = [
  { account: 'pool', kind: 'pool', name: 'Workspace pool', phrase: 'the workspace pool' },
  { account: 'dept:1', kind: 'department', name: 'Research', phrase: "the Research department's credits" },
  { account: 'user:1', kind: 'member', name: 'alice', phrase: 'alice' },
  { account: 'user:3', kind: 'member', name: 'Bob Martin', phrase: 'Bob Martin' },
];

/** Go's words for a wallet (team TestGiveRoomSaysWhatCanMove, TestGiveWordsSayWhatCanMoveAndWhatToType assert them), as Credits.GiveRoom answers. */
const MOVES = 'Moves credits from your wallet to the workspace pool, your department or another member: ';
const room = (balances: Record<string, any>) => {
  const w = balances['user:2'] ?? {};
  const noAmount = `Type how many credits to give (at most ${w.movable ?? '0'}.00 credits).`;
  if (w.movable === '17') return { line: `${MOVES}17.00 credits can move now (your minimum balance of 3.00 credits stays).`, noAmount };
  if (w.movable === '0' && w.policy?.kind === 'minimum') return { line: 'Nothing in your wallet can move now (its minimum balance of 3.00 credits stays).', noAmount };
  return { line: `${MOVES}${w.movable ?? '0'}.00 credits can move now.`, noAmount };
};

/**
 * What the fake's Transfer says moved: a stand-in for Go's sentence (team.TransferReceipt.Summary, whose words team
 * TestTransferSaysWhatMoved asserts), which the toast shows as it comes.
 */
const summary = (t: { amount: string; to: string }) => `Go: ${t.amount.trim()} went to ${t.to}.`;

/** A member (user 2, "lee") whose sends `payer` pays; balances by account. */
function fake(payer: string, balances: Record<string, object>, extra: Record<string, (...a: any[]) => unknown> = {}, role = 'member') {
  session.set({ signedIn: true, actor: { userId: 2, name: 'lee', role } } as never);
  installFakeRuntime();
  return installFakeBridge({
    'Credits.Balance': (acct: string) => ({ ...empty, ...balances[acct || payer], account: acct || payer }),
    'Credits.CreditValue': () => ({ amount: '0.01', currency: 'EUR' }),
    'Credits.History': () => ({ items: [], next: 0 }),
    'Credits.GiveTargets': () => targets,
    'Credits.GiveRoom': () => room(balances),
    // As Go answers: the amount read (ledger.ParseCredits trims it).
    'Credits.Transfer': (t: any) => ({ id: 9, requestId: t.id, leg: 0, op: 'transfer', kind: 'posted', from: t.from, to: t.to, amount: t.amount.trim(),
      debtRepaid: '0', meta: {}, createdAt: '2026-01-15T10:00:00.000Z', summary: summary(t) }),
    'Team.AccountNames': () => ({ 'user:2': 'lee', 'dept:1': 'Research' }),
    'Team.Wallets': () => [],
    'Team.Departments': () => [],
    ...extra,
  });
}

const offered = () => [...(screen.getByTestId('credits-give-wallet-to') as HTMLSelectElement).querySelectorAll('optgroup')].map((g) =>
  `${g.label}: ${[...g.querySelectorAll('option')].map((o) => `${o.textContent} = ${o.value}`).join(', ')}`);

describe('Credits: a member gives credits from their wallet', () => {
  it('offers the backend\'s accounts by name and what can move now, and gives exactly what was typed', async () => {
    const f = fake('user:2', { 'user:2': { balance: '20', available: '20', movable: '17', policy: { kind: 'minimum', limit: '3' } } });
    render(Credits, props);
    const text = await screen.findByTestId('credits-give-wallet-text');
    await waitFor(() => expect(text.textContent).toContain('17.00 credits can move now (your minimum balance of 3.00 credits stays)'));
    await waitFor(() => expect(offered()).toEqual([
      'Workspace: Workspace pool = pool',
      'Your department: Research = dept:1',
      'Members: alice = user:1, Bob Martin = user:3',
    ]));
    expect((screen.getByTestId('credits-give-wallet-amount') as HTMLInputElement).placeholder).toBe('17');
    const reads = () => f.calls.filter((c) => c.method === 'Balance').length;
    const histories = () => f.calls.filter((c) => c.method === 'History').length;
    const [b0, h0] = [reads(), histories()];
    await fireEvent.change(screen.getByTestId('credits-give-wallet-to'), { target: { value: 'user:3' } });
    await fireEvent.input(screen.getByTestId('credits-give-wallet-amount'), { target: { value: ' 5 ' } });
    await fireEvent.click(screen.getByTestId('credits-give-wallet-submit'));
    await waitFor(() => expect(toast.items.map((t) => t.message)).toContain('Go: 5 went to user:3.'));
    // Exactly as typed (the window trimmed it): Go reads it, as the CLI's --amount.
    expect(f.calls.filter((c) => c.method === 'Transfer').map((c) => c.args[0])).toEqual([
      expect.objectContaining({ from: 'user:2', to: 'user:3', amount: ' 5 ' }),
    ]);
    await waitFor(() => expect(reads()).toBeGreaterThan(b0));
    await waitFor(() => expect(histories()).toBeGreaterThan(h0));
    expect((screen.getByTestId('credits-give-wallet-amount') as HTMLInputElement).value).toBe('');
    expect(screen.queryByTestId('credits-give-wallet-error')).toBeNull();
  });

  // The toast said 'Gave 2.50 credits from your wallet to ' + the target's phrase, made in TypeScript: it is Go's
  // sentence (team.TransferReceipt.Summary), as `meterdesk credits transfer` prints it.
  it("says what moved in Go's words in the toast", async () => {
    fake('user:2', { 'user:2': { balance: '20', available: '20', movable: '20' } });
    render(Credits, props);
    await waitFor(() => expect(offered()).toHaveLength(3));
    await fireEvent.change(screen.getByTestId('credits-give-wallet-to'), { target: { value: 'dept:1' } });
    await fireEvent.input(screen.getByTestId('credits-give-wallet-amount'), { target: { value: '2.5' } });
    await fireEvent.click(screen.getByTestId('credits-give-wallet-submit'));
    await waitFor(() => expect(toast.items.map((t) => t.message)).toContain('Go: 2.5 went to dept:1.'));
  });

  // 0, -1 and too many decimals are said as typed (Credits.AmountProblem, Go's table) and not sent; they were sent
  // and refused by Transfer. 18, more than can move, is the transfer's refusal.
  for (const [typed, words] of [
    ['0', topUpProblems.find((r) => r.field === 'amount' && r.typed === '0')!.problem],
    ['-1', topUpProblems.find((r) => r.field === 'amount' && r.typed === '-1')!.problem],
    ['1.1234567891', topUpProblems.find((r) => r.field === 'amount' && r.typed === '1.1234567891')!.problem],
    ['18', 'Your wallet is short by 1.00 credits: 17.00 credits can move now (your minimum balance of 3.00 credits stays)'],
  ]) {
    it(`shows the backend's refusal of ${typed} in its words, and no toast`, async () => {
      const f = fake('user:2', { 'user:2': { balance: '20', available: '20', movable: '17', policy: { kind: 'minimum', limit: '3' } } }, {
        'Credits.Transfer': () => { throw refusal(`your wallet is short by 1.00 credits: 17.00 credits can move now (your minimum balance of 3.00 credits stays)`, words); },
      });
      render(Credits, props);
      await waitFor(() => expect(offered()).toHaveLength(3));
      const before = toast.items.length;
      await fireEvent.change(screen.getByTestId('credits-give-wallet-to'), { target: { value: 'user:3' } });
      const amount = screen.getByTestId('credits-give-wallet-amount');
      await fireEvent.input(amount, { target: { value: typed } });
      await fireEvent.click(screen.getByTestId('credits-give-wallet-submit'));
      const err = await screen.findByTestId('credits-give-wallet-error');
      expect(err.textContent).toBe(words);
      expect(amount.getAttribute('aria-invalid')).toBe('true');
      expect(amount.getAttribute('aria-describedby')).toBe(err.id);
      // The backend's rule decided: the amount field's (not sent) or the transfer's (sent as typed).
      expect(f.calls.find((c) => c.method === 'Transfer')?.args[0]).toEqual(typed === '18' ? expect.objectContaining({ amount: typed }) : undefined);
      expect(toast.items.length).toBe(before);
      expect((amount as HTMLInputElement).value).toBe(typed);
    });
  }

  it('asks for a recipient and an amount before sending anything', async () => {
    const f = fake('user:2', { 'user:2': { balance: '20', available: '20', movable: '20' } });
    render(Credits, props);
    await waitFor(() => expect(offered()).toHaveLength(3));
    await fireEvent.click(screen.getByTestId('credits-give-wallet-submit'));
    expect((await screen.findByTestId('credits-give-wallet-error')).textContent).toBe('Choose who gets the credits.');
    expect(screen.getByTestId('credits-give-wallet-to').getAttribute('aria-invalid')).toBe('true');
    await fireEvent.change(screen.getByTestId('credits-give-wallet-to'), { target: { value: 'pool' } });
    await fireEvent.click(screen.getByTestId('credits-give-wallet-submit'));
    // Go's words (team.NoGiveAmount, Credits.GiveRoom's noAmount); the window made them from the wallet's movable.
    await waitFor(() => expect(screen.getByTestId('credits-give-wallet-error').textContent).toBe('Type how many credits to give (at most 20.00 credits).'));
    expect(f.calls.some((c) => c.method === 'Transfer')).toBe(false);
  });

  it('offers the card to a member paid by the pool who holds credits in their wallet, and reads the wallet apart', async () => {
    const f = fake('pool', { pool: { balance: '500', available: '500', movable: '500' }, 'user:2': { balance: '4', available: '4', movable: '4' } });
    render(Credits, props);
    const text = await screen.findByTestId('credits-give-wallet-text');
    await waitFor(() => expect(text.textContent).toContain('4.00 credits can move now'));
    expect(f.calls.some((c) => c.method === 'Balance' && c.args[0] === 'user:2')).toBe(true);
  });

  it('offers no card to a member paid by the pool with an empty wallet', async () => {
    const f = fake('pool', { pool: { balance: '500', available: '500', movable: '500' } });
    render(Credits, props);
    await screen.findByTestId('credits-balance');
    await waitFor(() => expect(f.calls.some((c) => c.method === 'Balance' && c.args[0] === 'user:2')).toBe(true));
    expect(screen.queryByTestId('credits-give-wallet')).toBeNull();
  });

  // The line was written in TypeScript from the wallet's amounts: it is Go's (Credits.GiveRoom, team.GiveRoomLine),
  // shown as it comes and asked again when the wallet is read again after a give.
  it('shows what can move in Go\'s words, asked again after a give', async () => {
    let line = 'Go says: 17 can go.';
    const f = fake('user:2', { 'user:2': { balance: '20', available: '20', movable: '17', policy: { kind: 'minimum', limit: '3' } } }, {
      'Credits.GiveRoom': () => ({ line, noAmount: 'Go: type an amount.' }),
    });
    render(Credits, props);
    await waitFor(() => expect(screen.getByTestId('credits-give-wallet-text').textContent).toBe('Go says: 17 can go.'));
    const asked = () => f.calls.filter((c) => c.method === 'GiveRoom').length;
    const before = asked();
    line = 'Go says: 12 can go.';
    f.handlers['Credits.Balance'] = (acct: string) => ({ ...empty, balance: '15', available: '15', movable: '12', account: acct || 'user:2',
      policy: { kind: 'minimum', limit: '3' } });
    await waitFor(() => expect(offered()).toHaveLength(3));
    await fireEvent.change(screen.getByTestId('credits-give-wallet-to'), { target: { value: 'user:3' } });
    await fireEvent.input(screen.getByTestId('credits-give-wallet-amount'), { target: { value: '5' } });
    await fireEvent.click(screen.getByTestId('credits-give-wallet-submit'));
    await waitFor(() => expect(screen.getByTestId('credits-give-wallet-text').textContent).toBe('Go says: 12 can go.'));
    expect(asked()).toBeGreaterThan(before);
  });

  it('says nothing can move from a wallet at its minimum, with no form', async () => {
    fake('user:2', { 'user:2': { balance: '3', available: '3', movable: '0', policy: { kind: 'minimum', limit: '3' } } });
    render(Credits, props);
    const text = await screen.findByTestId('credits-give-wallet-text');
    await waitFor(() => expect(text.textContent).toContain('Nothing in your wallet can move now (its minimum balance of 3.00 credits stays)'));
    expect(screen.queryByTestId('credits-give-wallet-submit')).toBeNull();
  });

  it("names the member given to in the history's rows, and offers no filter on their wallet", async () => {
    fake('user:2', { 'user:2': { balance: '15', available: '15', movable: '15' } }, {
      'Credits.History': () => ({ items: [{ id: 9, requestId: 'g', leg: 0, op: 'transfer', kind: 'posted', from: 'user:2', to: 'user:3', amount: '5',
        debtRepaid: '0', meta: {}, createdAt: '2026-01-15T10:00:00.000Z' }], next: 0 }),
    });
    render(Credits, props);
    const row = await screen.findByTestId('credits-history-row');
    await waitFor(() => expect(row.textContent).toContain('Bob Martin'));
    expect(row.textContent).toContain('lee');
    const filter = [...(screen.getByTestId('credits-history-account') as HTMLSelectElement).options].map((o) => o.value);
    expect(filter).not.toContain('user:3');
  });

  it('offers an admin no such card (they move credits with the account picker)', async () => {
    fake('pool', { 'user:2': { balance: '20', available: '20', movable: '20' } }, { 'Credits.Packages': () => [] }, 'admin');
    render(Credits, props);
    await screen.findByTestId('credits-balance');
    await screen.findByTestId('credits-history');
    expect(screen.queryByTestId('credits-give-wallet')).toBeNull();
  });
});
