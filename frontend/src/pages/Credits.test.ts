import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Credits from './Credits.svelte';
import { installFakeBridge, installFakeRuntime, refusal, topUpProblems } from '../test/fakeBridge';
import { fieldState, usable } from '../test/a11y';
import { session } from '../lib/session.svelte';
import { toast } from '../lib/toast.svelte';

const props = { params: {}, query: {} };

const balance = {
  account: 'pool', balance: '8.5', pending: '0', available: '8.5', movable: '8.5', lifetimeUsed: '3.5',
  policy: { kind: 'carry', limit: '0' }, lots: [{ amount: '8.5', expiresAt: '2027-01-15T10:00:00Z' }],
};
const topupRow = {
  id: 7, requestId: 't', leg: 0, op: 'topup', kind: 'posted', from: 'sys:topup', to: 'pool', amount: '10',
  debtRepaid: '1.5', meta: {}, createdAt: '2026-01-15T10:00:00.000Z',
};

function fake(extra: Record<string, (...a: any[]) => unknown> = {}, role: 'admin' | 'member' = 'admin') {
  session.set({ signedIn: true, actor: { userId: role === 'admin' ? 1 : 2, name: role === 'admin' ? 'alice' : 'bob', role } } as never);
  const rt = installFakeRuntime();
  return Object.assign(installFakeBridge({
    'Credits.Balance': () => balance,
    'Credits.CreditValue': () => ({ amount: '0.01', currency: 'EUR' }),
    'Credits.Packages': () => [{ id: 1, name: '1,000 credits', credits: '1000', price: '10.00', priceMinor: 1000, currency: 'EUR', discount: '', active: true, sort: 1 }],
    'Credits.History': () => ({ items: [topupRow], next: 0 }),
    'Credits.TopUp': () => ({ credits: '1000', price: '10.00', currency: 'EUR', debtRepaid: '0', paid: '10.00 EUR net', summary: 'Added 1,000.00 credits for 10.00 EUR net' }),
    'Credits.TaxRateProblem': () => '',
    ...extra,
  }), { rt });
}

describe('Settings → Credits', () => {
  it('shows the balance, lots and a history row that repaid debt', async () => {
    fake();
    render(Credits, props);
    await waitFor(() => expect(screen.getByTestId('credits-available').textContent).toContain('8.50'));
    expect(screen.getByTestId('credits-lots').textContent).toContain('2027-01-15');
    await waitFor(() => expect(screen.getByTestId('credits-debt-repaid').textContent).toContain('1.50'));
  });

  it("shows a lot's expiry in the workspace zone, as the CLI does, not the UTC date", async () => {
    // 10:00 on 28 February in Kiritimati (+14) is 20:00 UTC on 27 February.
    fake({ 'Credits.Balance': () => ({ ...balance, lots: [{ amount: '8.5', expiresAt: '2026-02-27T20:00:00Z' }] }) });
    session.set({ signedIn: true, actor: { userId: 1, name: 'alice', role: 'admin' }, timeZone: 'Pacific/Kiritimati' } as never);
    render(Credits, props);
    // Named, as `meterdesk credits balance` names it: a member in another zone reads it as the workspace's time.
    await waitFor(() => expect(screen.getByTestId('credits-lots').textContent).toContain('expire 2026-02-28 10:00 (Pacific/Kiritimati)'));
    expect(screen.getByTestId('credits-lots').textContent).not.toContain('2026-02-27');
  });

  it('shows credit amounts exactly: balance, lots, history and the top-up toast', async () => {
    fake({
      'Credits.Balance': () => ({ ...balance, balance: '27637.137529327', available: '0.001257492', pending: '3.333333333', lifetimeUsed: '250.000000000',
        lots: [{ amount: '0.001257492', expiresAt: '2027-01-15T10:00:00Z' }] }),
      'Credits.History': () => ({ items: [{ ...topupRow, amount: '0.064', debtRepaid: '0.000000001' }], next: 0 }),
      'Credits.TopUp': () => ({ credits: '12.3456789', price: '0.12', currency: 'EUR', debtRepaid: '0', paid: '0.12 EUR net', summary: 'Added 12.3456789 credits for 0.12 EUR net' }),
    });
    render(Credits, props);
    await waitFor(() => expect(screen.getByTestId('credits-available').textContent).toBe('0.001257492 credits'));
    const card = screen.getByTestId('credits-balance').textContent;
    expect(card).toContain('27,637.137529327 credits');
    expect(card).toContain('3.333333333 credits');
    expect(card).toContain('250.00 credits');
    expect(screen.getByTestId('credits-lots').textContent).toContain('0.001257492 credits');
    await waitFor(() => expect(screen.getByTestId('credits-debt-repaid').textContent).toBe('repaid debt 0.000000001 credits'));
    expect(screen.getByTestId('credits-history').textContent).toContain('0.064 credits');
    await fireEvent.click(screen.getByTestId('credits-topup-submit'));
    await waitFor(() => expect(toast.items.map((t) => t.message)).toContain('Added 12.3456789 credits for 0.12 EUR net'));
  });

  // A free reply's charge read "0.00 credits" while the chat says "free": the word is Go's (Credits.History's
  // amountWord, chat.HistoryWord), shown in the Amount column; a paid charge of the same page keeps its number.
  it("shows a free reply's charge in Go's word, a paid one's amount as a number", async () => {
    const charge = { id: 8, requestId: 'c', leg: 0, op: 'post', kind: 'post', from: 'pool', to: 'sys:usage', debtRepaid: '0', meta: {},
      createdAt: '2026-01-15T10:00:00.000Z' };
    fake({ 'Credits.History': () => ({ items: [
      { ...charge, id: 8, amount: '0', model: 'llama3', amountWord: 'free' },
      { ...charge, id: 9, amount: '0.034', model: 'gpt-4o' },
    ], next: 0 }) });
    render(Credits, props);
    await waitFor(() => expect(screen.getAllByTestId('credits-history-row')).toHaveLength(2));
    const amounts = screen.getAllByTestId('credits-history-row').map((r) => r.querySelector('td.num')?.textContent);
    expect(amounts).toEqual(['free', '0.034 credits']);
  });

  it('says From after To under the dates, without asking the backend or offering Retry', async () => {
    const f = fake();
    render(Credits, props);
    await waitFor(() => expect(screen.getAllByTestId('credits-history-row')).toHaveLength(1));
    const reads = () => f.calls.filter((c) => c.method === 'History').length;
    const before = reads();
    const from = screen.getByTestId('credits-history-from');
    await fireEvent.input(from, { target: { value: '2026-11-25' } });
    await fireEvent.input(screen.getByTestId('credits-history-to'), { target: { value: '2026-11-22' } });
    const problem = screen.getByTestId('credits-history-range');
    expect(problem.textContent).toBe('From is after To: pick a From on or before To.');
    expect(fieldState(from)).toEqual({ invalid: 'true', description: problem.textContent });
    // Filter stays focusable (aria-disabled, described by the problem); a press reads nothing and puts the cursor in From.
    const apply = screen.getByTestId('credits-history-apply');
    expect(usable(apply)).toBe(false);
    expect(fieldState(apply).description).toBe(problem.textContent);
    apply.focus();
    await fireEvent.click(apply);
    expect(document.activeElement).toBe(from);
    await fireEvent.submit(apply.closest('form')!);
    await fireEvent.click(screen.getByTestId('credits-history-reservations'));
    expect(reads()).toBe(before);
    expect(screen.queryByTestId('credits-history-error')).toBeNull();
    expect(screen.queryByTestId('credits-history-error-retry')).toBeNull();
    // The same day twice is one day, not a problem.
    await fireEvent.input(from, { target: { value: '2026-11-22' } });
    expect(screen.queryByTestId('credits-history-range')).toBeNull();
    await fireEvent.click(screen.getByTestId('credits-history-apply'));
    await waitFor(() => expect(reads()).toBe(before + 1));
    expect(f.calls.at(-1)!.args[0]).toMatchObject({ from: '2026-11-22', to: '2026-11-22' });
  });

  it('shows a member wallet by name and survives a null lot list', async () => {
    fake({
      'Credits.Balance': () => ({ ...balance, account: 'user:2', lots: null }),
      'Team.AccountNames': () => ({ 'user:2': 'Bob Martin' }),
    });
    render(Credits, props);
    await waitFor(() => expect(screen.getByTestId('credits-balance').querySelector('h2')?.textContent).toBe('Bob Martin · wallet'));
    expect(screen.queryByTestId('credits-lots')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('credits-history-row').textContent).toContain('Top-ups'));
  });

  describe('the history filter picks an account by name', () => {
    const names = { 'user:2': 'Bob Martin', 'user:3': 'carol (removed)', 'dept:1': 'Research' };
    /** The options offered, as "group: label = code". */
    const offered = () => [...(screen.getByTestId('credits-history-account') as HTMLSelectElement).options].map((o) =>
      `${(o.parentElement as HTMLOptGroupElement).label ?? ''}: ${o.textContent} = ${o.value}`);

    it.each([
      ['admin', [
        ': All accounts = ', 'Workspace: Workspace pool = pool', 'Departments: Research · department credits = dept:1',
        "Members' wallets: Bob Martin · wallet = user:2", "Members' wallets: carol (removed) · wallet = user:3",
        'Bookkeeping: Top-ups = sys:topup', 'Bookkeeping: Usage = sys:usage', 'Bookkeeping: Expired = sys:expiry',
        'Bookkeeping: Adjustments = sys:adjust', 'Bookkeeping: Refunds = sys:refund',
      ]],
      // A member is named their own wallet and department only, and has no bookkeeping accounts to read.
      ['member', [': All accounts = ', 'Workspace: Workspace pool = pool', 'Departments: Research · department credits = dept:1',
        "Members' wallets: Bob Martin · wallet = user:2"]],
    ] as const)('as an %s, grouped, no code to type', async (role, want) => {
      const f = fake({
        'Team.AccountNames': () => (role === 'admin' ? names : { 'user:2': 'Bob Martin', 'dept:1': 'Research' }),
        // An admin's filter offers the accounts of the picker above it (fundableAccounts).
        'Team.Wallets': () => [
          { account: 'user:2', userId: 2, name: 'bob', displayName: 'Bob Martin', funding: 'wallet', status: 'active', balance: '0' },
          { account: 'user:3', userId: 3, name: 'carol', displayName: '', funding: 'wallet', status: 'removed', balance: '5' },
        ],
        'Team.Departments': () => [{ id: 1, name: 'Research', account: 'dept:1', archived: false }],
      }, role);
      render(Credits, props);
      await waitFor(() => expect(offered()).toEqual(want));
      await fireEvent.change(screen.getByTestId('credits-history-account'), { target: { value: 'dept:1' } });
      await fireEvent.click(screen.getByTestId('credits-history-apply'));
      await waitFor(() => expect(f.calls.filter((c) => c.method === 'History').at(-1)!.args[0]).toMatchObject({ account: 'dept:1' }));
    });

    // "The balance, top-up and history below are this account's": an admin's page opens on the pool, and its
    // history is the pool's from the first read (it listed every account's rows until the pool was picked again).
    it.each([
      ['admin', 'pool'],
      ['member', ''],
    ] as const)('for the %s, starts on the account the page shows (%j)', async (role, want) => {
      const f = fake({ 'Team.AccountNames': () => ({ 'dept:1': 'Research' }) }, role);
      render(Credits, props);
      await waitFor(() => expect(f.calls.filter((c) => c.method === 'History').length).toBeGreaterThan(0));
      expect(f.calls.filter((c) => c.method === 'History').every((c) => (c.args[0] as { account: string }).account === want)).toBe(true);
      await waitFor(() => expect((screen.getByTestId('credits-history-account') as HTMLSelectElement).value).toBe(want));
    });

    it('keeps the account it was opened on, named, even when the names are refused', async () => {
      fake({ 'Team.AccountNames': () => { throw 'refused'; } });
      render(Credits, { params: {}, query: { account: 'user:7' } });
      await waitFor(() => expect(offered()).toContain("Members' wallets: Member 7 · wallet = user:7"));
      expect((screen.getByTestId('credits-history-account') as HTMLSelectElement).value).toBe('user:7');
    });
  });

  // Load more was disabled while it read: the focus fell to <body> on every press.
  it('keeps the focus on Load more while it reads, and ignores a press meanwhile', async () => {
    const rows = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ ...topupRow, id: from - i }));
    let finish: (() => void) | null = null;
    const f = fake({
      'Credits.History': (q: any) => q.before
        ? new Promise((resolve) => { finish = () => resolve({ items: rows(10, 50), next: 0 }); })
        : { items: rows(50, 110), next: 60 },
    });
    render(Credits, props);
    const more = (await screen.findByTestId('credits-history-more')) as HTMLButtonElement;
    more.focus();
    await fireEvent.click(more);
    await waitFor(() => expect(usable(more)).toBe(false));
    expect(more.textContent).toBe('Loading…');
    expect(document.activeElement).toBe(more);
    await fireEvent.click(more);
    expect(f.calls.filter((c) => c.method === 'History' && (c.args[0] as any).before)).toHaveLength(1);
    finish!();
    await waitFor(() => expect(screen.getAllByTestId('credits-history-row')).toHaveLength(60));
  });

  it.each(['balance:changed', 'data:changed'])('on %s re-reads the balance and the rows shown, keeping the filter and the rows loaded', async (event) => {
    const rows = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ ...topupRow, id: from - i }));
    const f = fake({
      'Credits.History': (q: any) => ({ items: q.before ? rows(10, 50) : rows(Math.min(q.limit, 60), 110), next: q.before ? 0 : 60 }),
    });
    render(Credits, props);
    await waitFor(() => expect(screen.getAllByTestId('credits-history-row')).toHaveLength(50));
    // The user filters by account, loads more, then starts typing another filter.
    await fireEvent.change(screen.getByTestId('credits-history-account'), { target: { value: 'pool' } });
    await fireEvent.click(screen.getByTestId('credits-history-apply'));
    await fireEvent.click(await screen.findByTestId('credits-history-more'));
    await waitFor(() => expect(screen.getAllByTestId('credits-history-row')).toHaveLength(60));
    await fireEvent.change(screen.getByTestId('credits-history-account'), { target: { value: 'sys:usage' } });
    const histories = () => f.calls.filter((c) => c.method === 'History');
    const [balances, before] = [f.calls.filter((c) => c.method === 'Balance').length, histories().length];

    f.rt.emit(event);
    await waitFor(() => expect(histories()).toHaveLength(before + 1));
    expect(f.calls.filter((c) => c.method === 'Balance').length).toBeGreaterThan(balances);
    // The rows shown, re-read with the filter they were read with, as many as were shown.
    expect(histories().at(-1)!.args[0]).toMatchObject({ account: 'pool', before: 0, limit: 60 });
    await waitFor(() => expect(screen.getAllByTestId('credits-history-row')).toHaveLength(60));
    expect((screen.getByTestId('credits-history-account') as HTMLSelectElement).value).toBe('sys:usage');
  });

  describe('an admin funding another account', () => {
    const team = {
      // The wallets in use, and those holding credits (a removed member's, marked).
      'Team.Wallets': () => [
        { account: 'user:3', userId: 3, name: 'lee', displayName: 'Lee Park', funding: 'wallet', status: 'active', balance: '0' },
        { account: 'user:4', userId: 4, name: 'carol', displayName: '', funding: 'wallet', status: 'removed', balance: '50' },
      ],
      'Team.AccountNames': () => ({ 'user:3': 'Lee Park', 'user:4': 'carol', 'dept:1': 'Research' }),
      'Team.Departments': () => [{ id: 1, name: 'Research', account: 'dept:1', archived: false }, { id: 2, name: 'Old', account: 'dept:2', archived: true }],
      'Credits.Balance': (acct: string) => ({ ...balance, account: acct, available: acct === 'pool' ? '8.5' : '0', movable: acct === 'pool' ? '8.5' : '0', lots: [] }),
      'Credits.Transfer': (t: any) => ({ ...topupRow, op: 'transfer', from: t.from, to: t.to, amount: t.amount,
        summary: "Gave 25.00 credits from the workspace pool to Lee Park's wallet" }),
      // Go's words (team TestPoolLinesSayWhatThePoolGives).
      'Credits.PoolLines': (acct: string) => ({ give: `Moves credits from the workspace pool (8.50 credits available) to ${acct}. Nothing is bought; to add new credits, top up below.`, settle: '' }),
    };

    it('picks a wallet by name; its balance, top-up and history follow, and it is given credits from the pool', async () => {
      const f = fake(team);
      render(Credits, props);
      const picker = (await screen.findByTestId('credits-account')) as HTMLSelectElement;
      await waitFor(() => expect([...picker.options].map((o) => `${o.value}=${o.textContent}`)).toEqual([
        'pool=Workspace pool', 'dept:1=Research · department credits', 'user:3=Lee Park · wallet', 'user:4=carol (removed) · wallet']));
      expect(screen.queryByTestId('credits-give')).toBeNull(); // the pool is not given to itself

      await fireEvent.change(picker, { target: { value: 'user:3' } });
      await waitFor(() => expect(screen.getByTestId('credits-balance').querySelector('h2')!.textContent).toBe('Lee Park · wallet'));
      expect(f.calls.filter((c) => c.method === 'Balance').map((c) => c.args[0])).toContain('user:3');
      await waitFor(() => expect(f.calls.filter((c) => c.method === 'History').at(-1)!.args[0]).toMatchObject({ account: 'user:3' }));
      expect(screen.getByText('Top up Lee Park · wallet')).toBeTruthy();
      // Go's line (Credits.PoolLines), shown as it comes; the window made it in TypeScript.
      await waitFor(() => expect(screen.getByTestId('credits-give-text').textContent).toBe(
        'Moves credits from the workspace pool (8.50 credits available) to user:3. Nothing is bought; to add new credits, top up below.'));
      expect(f.calls.filter((c) => c.method === 'PoolLines').at(-1)?.args).toEqual(['user:3']);

      await fireEvent.input(screen.getByTestId('credits-give-amount'), { target: { value: '1e3' } });
      await fireEvent.click(screen.getByTestId('credits-give-submit'));
      // Go's words (Credits.AmountProblem), as `credits transfer --amount 1e3` says them.
      await waitFor(() => expect(screen.getByTestId('credits-give-error').textContent)
        .toBe(topUpProblems.find((r) => r.field === 'amount' && r.typed === '1e3')!.problem));
      expect(f.calls.some((c) => c.method === 'Transfer')).toBe(false); // not sent
      await fireEvent.input(screen.getByTestId('credits-give-amount'), { target: { value: '25' } });
      await fireEvent.click(screen.getByTestId('credits-give-submit'));
      await waitFor(() => expect(toast.items.map((t) => t.message)).toContain("Gave 25.00 credits from the workspace pool to Lee Park's wallet")); // Go's (team.TransferReceipt.Summary)
      const give = f.calls.find((c) => c.method === 'Transfer')!.args[0] as Record<string, string>;
      expect(give).toMatchObject({ from: 'pool', to: 'user:3', amount: '25' });
      expect(give.id).toMatch(/[0-9a-f-]{36}/);

      await fireEvent.click(screen.getByTestId('credits-package-1'));
      await fireEvent.click(screen.getByTestId('credits-topup-submit'));
      await waitFor(() => expect(f.calls.find((c) => c.method === 'TopUp')!.args[0]).toMatchObject({ account: 'user:3', packageId: 1 }));
    });

    it('opens on the account the link names', async () => {
      const f = fake(team);
      render(Credits, { params: {}, query: { account: 'user:3' } });
      await waitFor(() => expect(screen.getByTestId('credits-balance').querySelector('h2')!.textContent).toBe('Lee Park · wallet'));
      expect((screen.getByTestId('credits-account') as HTMLSelectElement).value).toBe('user:3');
      await waitFor(() => expect(f.calls.find((c) => c.method === 'History')!.args[0]).toMatchObject({ account: 'user:3' }));
    });

    // One rule for both lists: the accounts that pay for something or hold credits (team.Wallets' rule, the
    // backend's); the history filter listed every member's wallet (Dana's, paid by the pool), the picker above it
    // not. An archived department's credits and a removed member's emptied wallet, which the picker leaves out
    // (nothing to fund there), have a history all the same: the filter offers them apart, "Archived and removed".
    it("offers in the history filter the picker's accounts, not a wallet that pays for nothing", async () => {
      const f = fake({ ...team, 'Team.AccountNames': () => ({ 'user:3': 'Lee Park', 'user:4': 'carol (removed)', 'user:5': 'Dana', 'user:6': 'erin (removed)',
        'dept:1': 'Research', 'dept:2': 'Old (archived)' }) });
      render(Credits, props);
      const picker = (await screen.findByTestId('credits-account')) as HTMLSelectElement;
      const picked = () => [...picker.options].map((o) => `${o.value}=${o.textContent}`);
      await waitFor(() => expect(picked()).toHaveLength(4));
      const filter = screen.getByTestId('credits-history-account') as HTMLSelectElement;
      const inGroups = (...groups: string[]) => [...filter.options].filter((o) => o.value && groups.includes((o.parentElement as HTMLOptGroupElement).label))
        .map((o) => `${o.value}=${o.textContent}`);
      await waitFor(() => expect(inGroups('Workspace', 'Departments', "Members' wallets").sort()).toEqual(picked().sort())); // the filter sorts by name
      expect(inGroups('Archived and removed')).toEqual(['dept:2=Old (archived) · department credits', 'user:6=erin (removed) · wallet']);
      expect([...filter.options].some((o) => o.value === 'user:5')).toBe(false);
      // The bookkeeping accounts are the history's own (nothing to fund there).
      expect(inGroups('Bookkeeping')).toHaveLength(5);
      // An archived department's rows are reached by name.
      await fireEvent.change(filter, { target: { value: 'dept:2' } });
      await fireEvent.click(screen.getByTestId('credits-history-apply'));
      await waitFor(() => expect(f.calls.filter((c) => c.method === 'History').at(-1)!.args[0]).toMatchObject({ account: 'dept:2' }));
    });

    it('shows a member no account picker and nothing to give', async () => {
      const f = fake(team, 'member');
      render(Credits, props);
      await screen.findByTestId('credits-topup-admins');
      expect(screen.queryByTestId('credits-account')).toBeNull();
      expect(screen.queryByTestId('credits-give')).toBeNull();
      expect(f.calls.find((c) => c.method === 'Balance')!.args[0]).toBe('');
    });
  });

  it("names a member's department by the name the backend gives them (they cannot list departments)", async () => {
    const f = fake({
      'Credits.Balance': () => ({ ...balance, account: 'dept:1', lots: [] }),
      'Credits.History': () => ({ items: [{ ...topupRow, op: 'transfer', from: 'dept:1', to: 'user:2' }], next: 0 }),
      'Team.AccountNames': () => ({ 'dept:1': 'Eng', 'user:2': 'Bob Martin' }),
      'Team.Departments': () => { throw 'admin only'; },
      'Team.Members': () => { throw 'admin only'; },
    }, 'member');
    session.set({ signedIn: true, displayName: 'Bob Martin', actor: { userId: 2, name: 'bob', role: 'member' } } as never);
    render(Credits, props);
    await waitFor(() => expect(screen.getByTestId('credits-balance').querySelector('h2')?.textContent).toBe('Eng · department credits'));
    await waitFor(() => expect(screen.getByTestId('credits-history-row').textContent).toContain('Eng'));
    expect(screen.getByTestId('credits-history-row').textContent).not.toContain('Department 1');
    expect(f.calls.some((c) => c.method === 'AccountNames')).toBe(true);
  });

  it('shows no history row until the account names are read, so none reads "Department 1" for a moment', async () => {
    let answer: (v: Record<string, string>) => void = () => {};
    fake({
      'Credits.History': () => ({ items: [{ ...topupRow, op: 'grant', from: 'pool', to: 'dept:1' }], next: 0 }),
      'Team.AccountNames': () => new Promise((r) => (answer = r)),
    });
    render(Credits, props);
    await waitFor(() => expect(screen.getByTestId('credits-history-loading')).toBeTruthy());
    await waitFor(() => expect(screen.getAllByTestId('credits-available').length).toBe(1));
    expect(screen.queryByTestId('credits-history-row')).toBeNull();
    answer({ 'dept:1': 'Eng' });
    await waitFor(() => expect(screen.getByTestId('credits-history-row').textContent).toContain('Eng'));
    expect(screen.queryByTestId('credits-history-loading')).toBeNull();
  });

  it("names a member's own wallet by their display name (they cannot list members)", async () => {
    fake({ 'Credits.Balance': () => ({ ...balance, account: 'user:2', lots: [] }), 'Team.Members': () => { throw 'admin only'; } }, 'member');
    session.set({ signedIn: true, displayName: 'Bob Martin', actor: { userId: 2, name: 'bob', role: 'member' } } as never);
    render(Credits, props);
    await waitFor(() => expect(screen.getByTestId('credits-balance').querySelector('h2')?.textContent).toBe('Bob Martin · wallet'));
  });

  it('leaves reservations out of the history unless asked, and shows them dimmed as not charged', async () => {
    const charge = { ...topupRow, id: 9, op: 'post', kind: 'post', from: 'pool', to: 'sys:usage', amount: '0.36', model: 'gpt-4o' };
    const hold = { ...topupRow, id: 8, op: 'hold', kind: 'pending', from: 'pool', to: 'sys:usage', amount: '40.98', model: 'gpt-4o', status: 'posted',
      reservation: true, reservationNote: 'reserved, then settled: not charged (the usage charge is what was taken)' };
    // Go leaves the reservation's rows out unless they are asked for (ledger.HistoryOps).
    const f = fake({ 'Credits.History': (q: any) => ({ items: q.reservations || q.ops.includes('hold') ? [charge, hold] : [charge], next: 0 }) });
    render(Credits, props);
    await waitFor(() => expect(screen.getAllByTestId('credits-history-row')).toHaveLength(1));
    expect(f.calls.find((c) => c.method === 'History')!.args[0]).toMatchObject({ ops: [], reservations: false });
    // A chat's charge (a posted hold) reads "Usage", as the Usage page and `meterdesk credits history` say it (Go ledger.OpLabel).
    expect(screen.getByTestId('credits-history-row').querySelectorAll('td')[1].textContent).toBe('Usage');

    await fireEvent.click(screen.getByTestId('credits-history-reservations'));
    await waitFor(() => expect(screen.getAllByTestId('credits-history-row')).toHaveLength(2));
    expect(f.calls.filter((c) => c.method === 'History').at(-1)!.args[0]).toMatchObject({ ops: [], reservations: true });
    const [chargeRow, holdRow] = screen.getAllByTestId('credits-history-row');
    expect(chargeRow.classList.contains('reservation')).toBe(false);
    expect(holdRow.classList.contains('reservation')).toBe(true);
    expect(holdRow.textContent).toContain('(40.98 credits)');
    expect(holdRow.textContent).toContain('reserved, then settled: not charged (the usage charge is what was taken)');
  });

  it("says whose lifetime use the balance card shows", async () => {
    fake();
    render(Credits, props);
    await waitFor(() => expect(screen.getByTestId('credits-balance').textContent).toContain('Used from this account (lifetime)'));
  });

  it('tells a member that admins top up, instead of a form the backend would refuse', async () => {
    const f = fake({}, 'member');
    render(Credits, props);
    await screen.findByTestId('credits-topup-admins');
    expect(screen.queryByTestId('credits-topup-submit')).toBeNull();
    expect(f.calls.some((c) => c.method === 'Packages')).toBe(false);
  });

  it('sends the top-up note (printed in statements) and clears it after the top-up', async () => {
    const f = fake();
    render(Credits, props);
    await waitFor(() => screen.getByTestId('credits-package-1'));
    const note = screen.getByTestId('credits-topup-note') as HTMLInputElement;
    expect(note.maxLength).toBe(500);
    await fireEvent.input(note, { target: { value: '  PO 4711 ' } });
    await fireEvent.click(screen.getByTestId('credits-topup-submit'));
    await waitFor(() => expect(f.calls.find((c) => c.method === 'TopUp')?.args[0]).toMatchObject({ packageId: 1, note: 'PO 4711' }));
    await waitFor(() => expect(note.value).toBe(''));
  });

  // The toast read "Added 1,000.00 credits for 10.00 EUR", a net price given as if it were what was paid; it says
  // Go's words now (core.TopUpReceipt.Summary): net, tax and total as the invoice splits them, and the invoice.
  it('names the invoice the top-up issued, and its net and tax, in its toast', async () => {
    const summary = 'Added 1,000.00 credits for 10.00 EUR net + 1.90 EUR tax (19 %) = 11.90 EUR; invoice INV-000042';
    fake({ 'Credits.TopUp': () => ({ credits: '1000', price: '10.00', currency: 'EUR', taxRate: '0.19', debtRepaid: '0', invoice: 'INV-000042',
      paid: '10.00 EUR net + 1.90 EUR tax (19 %) = 11.90 EUR', summary }) });
    render(Credits, props);
    await waitFor(() => screen.getByTestId('credits-package-1'));
    await fireEvent.click(screen.getByTestId('credits-topup-submit'));
    await waitFor(() => expect(toast.items.map((t) => t.message)).toContain(summary));
  });

  it('lists the packages as a table: each price in its own right-aligned column, grouped ("1,000.00 EUR")', async () => {
    fake({ 'Credits.Packages': () => [
      { id: 1, name: '1,000 credits', credits: '1000', price: '10.00', priceMinor: 1000, currency: 'EUR', discount: '', active: true, sort: 1 },
      { id: 2, name: '100,000 credits', credits: '100000', price: '1000.00', priceMinor: 100000, currency: 'EUR', discount: '15', active: true, sort: 2 },
    ] });
    render(Credits, props);
    await waitFor(() => screen.getByTestId('credits-package-2'));
    const rows = [...document.querySelectorAll('label.pkg')];
    // Every package row has the same cells (radio, name, price, discount), so the grid puts each in its column.
    expect(rows.slice(0, 2).map((r) => r.children.length)).toEqual([4, 4]);
    expect(screen.getAllByTestId('credits-package-price').map((p) => p.textContent)).toEqual(['10.00 EUR', '1,000.00 EUR']);
    expect(screen.getAllByTestId('credits-package-price').every((p) => p.classList.contains('price'))).toBe(true);
    expect(rows[1].children[3].textContent).toBe('15% off');
  });

  it("says the backend's words for a tax rate it refuses, asked after a pause in typing, and once", async () => {
    // The backend's words (Go Credits.TaxRateProblem, ledger.ParseTaxRate); the form keeps no copy of the rule.
    const words: Record<string, string> = {
      '19': 'Tax rate "19" must be a fraction from 0 to 1: for 19%, type 0.19 or 19%',
      '+19': 'Tax rate "+19" must be a fraction from 0 to 1 (e.g. 0.19) or a percent from 0% to 100% (e.g. 19%), with at most 6 decimal places as a fraction: write it without a \'+\' sign',
      'abc': 'Tax rate "abc" must be a fraction from 0 to 1 (e.g. 0.19) or a percent from 0% to 100% (e.g. 19%), with at most 6 decimal places as a fraction',
    };
    const f = fake({ 'Credits.TaxRateProblem': (rate: string) => words[rate] ?? '' });
    render(Credits, props);
    await waitFor(() => screen.getByTestId('credits-package-1'));
    const tax = screen.getByTestId('credits-topup-tax') as HTMLInputElement;
    const submit = screen.getByTestId('credits-topup-submit');
    const asked = () => f.calls.filter((c) => c.method === 'TaxRateProblem').map((c) => c.args[0]);
    expect(document.querySelector('label[for="credits-tax"]')!.textContent).toBe('Tax rate (optional, e.g. 0.19 or 19%)');
    for (const typed of ['0.19', '', '19', '+19', 'abc', '19%', '7.5 %']) {
      await fireEvent.input(tax, { target: { value: typed } });
      const hint = words[typed] ?? null;
      await waitFor(() => expect(screen.queryByTestId('credits-topup-tax-hint')?.textContent ?? null).toBe(hint));
      await waitFor(() => expect(asked().at(-1)).toBe(typed === '' ? '0.19' : typed)); // an empty field is not asked about
      expect(tax.getAttribute('aria-describedby')).toBe(hint ? 'credits-tax-hint' : null);
      expect(tax.getAttribute('aria-invalid')).toBe(hint ? 'true' : null);
    }
    // Typed quickly: asked once, after the pause, about what is in the field then; no hint until it answers.
    const before = asked().length;
    for (const typed of ['1', '19']) await fireEvent.input(tax, { target: { value: typed } });
    expect(screen.queryByTestId('credits-topup-tax-hint')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('credits-topup-tax-hint').textContent).toBe(words['19']));
    expect(asked().slice(before)).toEqual(['19']);
    // The hint is the one message; Top up moves the focus to the field and sends nothing.
    submit.focus();
    await fireEvent.click(submit);
    await waitFor(() => expect(document.activeElement).toBe(tax));
    expect(screen.queryByTestId('credits-topup-error')).toBeNull();
    expect(document.body.textContent!.split(words['19']).length - 1).toBe(1);
    // Top up pressed within the pause: asked then, still said once under the field, nothing sent.
    await fireEvent.input(tax, { target: { value: 'abc' } });
    await fireEvent.click(submit);
    await waitFor(() => expect(screen.getByTestId('credits-topup-tax-hint').textContent).toBe(words.abc));
    await waitFor(() => expect(document.activeElement).toBe(tax));
    expect(screen.queryByTestId('credits-topup-error')).toBeNull();
    expect(f.calls.some((c) => c.method === 'TopUp')).toBe(false);
    // "19%" is sent as typed: the backend reads it as 0.19 (the CLI's --tax alike).
    await fireEvent.input(tax, { target: { value: '19%' } });
    await fireEvent.click(submit);
    await waitFor(() => expect(f.calls.find((c) => c.method === 'TopUp')?.args[0]).toMatchObject({ taxRate: '19%' }));
    expect(screen.queryByTestId('credits-topup-tax-hint')).toBeNull();
    expect(screen.queryByTestId('credits-topup-error')).toBeNull();
  });

  it('sends the tax rate when it cannot ask about it, and says the backend\'s refusal above Top up', async () => {
    const f = fake({
      'Credits.TaxRateProblem': () => { throw 'not signed in'; },
      'Credits.TopUp': () => { throw refusal('top up pool: invalid request: tax rate "19" must be a fraction from 0 to 1: for 19%, type 0.19 or 19%',
        'Tax rate "19" must be a fraction from 0 to 1: for 19%, type 0.19 or 19%'); },
    });
    render(Credits, props);
    await waitFor(() => screen.getByTestId('credits-package-1'));
    await fireEvent.input(screen.getByTestId('credits-topup-tax'), { target: { value: '19' } });
    await fireEvent.click(screen.getByTestId('credits-topup-submit'));
    await waitFor(() => expect(screen.getByTestId('credits-topup-error').textContent).toBe('Tax rate "19" must be a fraction from 0 to 1: for 19%, type 0.19 or 19%'));
    expect(screen.queryByTestId('credits-topup-tax-hint')).toBeNull();
    expect(f.calls.filter((c) => c.method === 'TopUp')).toHaveLength(1);
  });

  it('says a custom amount or price it refuses once, under its field, and moves the focus there', async () => {
    const f = fake({ 'Credits.Packages': () => [] });
    render(Credits, props);
    const amount = (await screen.findByTestId('credits-topup-amount')) as HTMLInputElement;
    const submit = screen.getByTestId('credits-topup-submit');
    // Nothing typed: Go's words for it (Credits.AmountProblem('')), under the field, as for any other amount.
    await fireEvent.click(submit);
    await waitFor(() => expect(screen.getByTestId('credits-topup-amount-error').textContent).toBe('Enter an amount'));
    expect(screen.queryByTestId('credits-topup-error')).toBeNull();
    for (const [field, typed, under] of [
      ['credits-topup-amount', '10,000', 'credits-topup-amount-error'],
      ['credits-topup-price', '-1', 'credits-topup-price-hint'],
    ] as const) {
      if (field === 'credits-topup-price') await fireEvent.input(amount, { target: { value: '100' } });
      else await fireEvent.input(amount, { target: { value: typed } });
      if (field === 'credits-topup-price') await fireEvent.input(screen.getByTestId(field), { target: { value: typed } });
      submit.focus();
      await fireEvent.click(submit); // within the pause: asked now
      await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId(field)));
      const said = screen.getByTestId(under).textContent!;
      expect(said).toBe(topUpProblems.find((r) => r.field === (field === 'credits-topup-price' ? 'price' : 'amount') && r.typed === typed)!.problem);
      expect(said).not.toBe('');
      expect(screen.queryByTestId('credits-topup-error')).toBeNull();
      expect(document.body.textContent!.split(said).length - 1).toBe(1);
      expect(document.activeElement).toBe(screen.getByTestId(field));
    }
    expect(f.calls.some((c) => c.method === 'TopUp')).toBe(false);
  });

  // The Price field said its own words ("abc": "Use digits…", "1,5": "Use a point…", "1.0000000001": "At most 9 decimal
  // places.", the credit amount's limit) where `credits topup --price` says Go's, and "1.005" EUR passed the field to be
  // refused only after Top up. Now both fields say the backend's words (Credits.AmountProblem, PriceProblem: Go's
  // table, app/testdata/topup_problems.json), asked after a pause in typing, and nothing refused is sent.
  it.each([
    ['credits-topup-price', 'price', 'abc'],
    ['credits-topup-price', 'price', '1,5'],
    ['credits-topup-price', 'price', '-1'],
    ['credits-topup-price', 'price', '1.0000000001'],
    ['credits-topup-price', 'price', '1.005'],
    ['credits-topup-amount', 'amount', 'abc'],
    ['credits-topup-amount', 'amount', '1,5'],
    ['credits-topup-amount', 'amount', '-1'],
    ['credits-topup-amount', 'amount', '0'],
    ['credits-topup-amount', 'amount', '1.0000000001'],
  ] as const)("says the backend's words under %s for %s %j, as the CLI does, and sends nothing", async (testid, field, typed) => {
    const want = topUpProblems.find((r) => r.field === field && r.typed === typed)!.problem;
    expect(want).not.toBe('');
    const f = fake({ 'Credits.Packages': () => [] });
    render(Credits, props);
    const amount = await screen.findByTestId('credits-topup-amount');
    const input = screen.getByTestId(testid);
    const hint = field === 'price' ? 'credits-topup-price-hint' : 'credits-topup-amount-error';
    if (field === 'price') await fireEvent.input(amount, { target: { value: '100' } });
    await fireEvent.input(input, { target: { value: typed } });
    await waitFor(() => expect(screen.getByTestId(hint).textContent).toBe(want));
    expect(fieldState(input)).toEqual({ invalid: 'true', description: want });
    if (field === 'price') expect(fieldState(amount)).toEqual({ invalid: null, description: '' });
    const asked = f.calls.filter((c) => c.method === (field === 'price' ? 'PriceProblem' : 'AmountProblem')).map((c) => c.args[0]);
    expect(asked.at(-1)).toBe(typed);
    const submit = screen.getByTestId('credits-topup-submit');
    submit.focus();
    await fireEvent.click(submit);
    await waitFor(() => expect(document.activeElement).toBe(input));
    expect(screen.queryByTestId('credits-topup-error')).toBeNull();
    expect(document.body.textContent!.split(want).length - 1).toBe(1);
    expect(f.calls.some((c) => c.method === 'TopUp')).toBe(false);
  });

  it("shows a transfer's note in the history", async () => {
    fake({ 'Credits.History': () => ({ items: [{ ...topupRow, meta: { note: 'PO 4711' } }], next: 0 }) });
    render(Credits, props);
    await waitFor(() => expect(screen.getByTestId('credits-history-note').textContent).toBe('PO 4711'));
  });

  it("says a refused top-up's reason only, without Go's operation and error kind", async () => {
    fake({ 'Credits.TopUp': () => { throw refusal('top up pool: invalid request: tax rate "abc" must be a fraction from 0 to 1 (e.g. 0.19) or a percent from 0% to 100% (e.g. 19%), with at most 6 decimal places as a fraction',
      'Tax rate "abc" must be a fraction from 0 to 1 (e.g. 0.19) or a percent from 0% to 100% (e.g. 19%), with at most 6 decimal places as a fraction'); } });
    render(Credits, props);
    await waitFor(() => screen.getByTestId('credits-package-1'));
    await fireEvent.input(screen.getByTestId('credits-topup-tax'), { target: { value: 'abc' } });
    await fireEvent.click(screen.getByTestId('credits-topup-submit'));
    await waitFor(() => expect(screen.getByTestId('credits-topup-error').textContent)
      .toBe('Tax rate "abc" must be a fraction from 0 to 1 (e.g. 0.19) or a percent from 0% to 100% (e.g. 19%), with at most 6 decimal places as a fraction'));
  });

  it('keeps the focus on Top up while it tops up and after (a disabled button drops it to <body>)', async () => {
    let finish!: () => void;
    const f = fake({
      'Credits.TopUp': () => new Promise((resolve) => { finish = () => resolve({ credits: '1000', price: '10.00', currency: 'EUR', debtRepaid: '0', paid: '10.00 EUR net',
        summary: 'Added 1,000.00 credits for 10.00 EUR net' }); }),
    });
    render(Credits, props);
    await waitFor(() => screen.getByTestId('credits-package-1'));
    const submit = screen.getByTestId('credits-topup-submit') as HTMLButtonElement;
    submit.focus();
    // The keyboard submits the form its focused button is in.
    await fireEvent.submit(submit.form!);
    await waitFor(() => expect(submit.textContent).toContain('Topping up…'));
    expect(submit.disabled).toBe(false);
    expect(submit.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(submit);
    await fireEvent.submit(submit.form!); // pressed again while busy: ignored
    expect(f.calls.filter((c) => c.method === 'TopUp')).toHaveLength(1);
    finish();
    await waitFor(() => expect(toast.items.map((t) => t.message)).toContain('Added 1,000.00 credits for 10.00 EUR net'));
    await waitFor(() => expect(submit.getAttribute('aria-disabled')).toBe('false'));
    expect(document.activeElement).toBe(submit);
  });

  it('tops up a package with a fresh idempotency id, and a custom amount only when valid', async () => {
    const f = fake();
    render(Credits, props);
    await waitFor(() => screen.getByTestId('credits-package-1'));
    await fireEvent.click(screen.getByTestId('credits-topup-submit'));
    await waitFor(() => expect(f.calls.some((c) => c.method === 'TopUp')).toBe(true));
    const first = f.calls.find((c) => c.method === 'TopUp')!.args[0] as { id: string; packageId: number };
    expect(first.packageId).toBe(1);
    expect(first.id).toMatch(/[0-9a-f-]{36}/);
    await waitFor(() => expect(toast.items.map((t) => t.message)).toContain('Added 1,000.00 credits for 10.00 EUR net'));

    await fireEvent.click(screen.getByTestId('credits-package-custom'));
    await fireEvent.input(screen.getByTestId('credits-topup-amount'), { target: { value: '1e3' } });
    // The field is marked and names what is wrong with it, once the backend has said.
    await waitFor(() => expect(screen.queryByTestId('credits-topup-amount-error')).not.toBeNull());
    const amountState = fieldState(screen.getByTestId('credits-topup-amount'));
    expect(amountState.invalid).toBe('true');
    expect(amountState.description).toBe(screen.getByTestId('credits-topup-amount-error').textContent);
    expect(amountState.description).not.toBe('');
    const refused = async (testid: string) => {
      await fireEvent.click(screen.getByTestId('credits-topup-submit'));
      await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId(testid)));
      await waitFor(() => expect(screen.getByTestId('credits-topup-submit').getAttribute('aria-disabled')).toBe('false'));
    };
    await refused('credits-topup-amount');
    expect(f.calls.filter((c) => c.method === 'TopUp')).toHaveLength(1); // rejected before it is sent
    // A decimal comma is refused, never read as 25 (or 15 for the price).
    await fireEvent.input(screen.getByTestId('credits-topup-amount'), { target: { value: '2,5' } });
    await waitFor(() => expect(screen.getByTestId('credits-topup-amount-error').textContent).toContain('use a point for decimals'));
    await refused('credits-topup-amount');
    expect(f.calls.filter((c) => c.method === 'TopUp')).toHaveLength(1);
    await fireEvent.input(screen.getByTestId('credits-topup-amount'), { target: { value: '2500.5' } });
    await fireEvent.input(screen.getByTestId('credits-topup-price'), { target: { value: '1,5' } });
    await refused('credits-topup-price');
    expect(f.calls.filter((c) => c.method === 'TopUp')).toHaveLength(1);
    await fireEvent.input(screen.getByTestId('credits-topup-price'), { target: { value: '' } });
    await fireEvent.click(screen.getByTestId('credits-topup-submit'));
    await waitFor(() => expect(f.calls.filter((c) => c.method === 'TopUp')).toHaveLength(2));
    expect((f.calls.filter((c) => c.method === 'TopUp')[1].args[0] as { amount: string; price?: string }).price ?? '').toBe('');
    expect((f.calls.filter((c) => c.method === 'TopUp')[1].args[0] as { amount: string }).amount).toBe('2500.5');
    // A price the credit value does not give (12.3456789 credits at EUR 0.01) is typed in.
    await fireEvent.input(screen.getByTestId('credits-topup-amount'), { target: { value: '12.3456789' } });
    await fireEvent.input(screen.getByTestId('credits-topup-price'), { target: { value: 'abc' } });
    await waitFor(() => expect(fieldState(screen.getByTestId('credits-topup-price')).invalid).toBe('true'));
    expect(fieldState(screen.getByTestId('credits-topup-amount'))).toEqual({ invalid: null, description: '' });
    const priceState = fieldState(screen.getByTestId('credits-topup-price'));
    expect(priceState.description).not.toContain('Leave empty'); // the error, not the hint
    await refused('credits-topup-price');
    expect(f.calls.filter((c) => c.method === 'TopUp')).toHaveLength(2); // a bad price never reaches the backend
    await fireEvent.input(screen.getByTestId('credits-topup-price'), { target: { value: '0.12' } });
    await fireEvent.click(screen.getByTestId('credits-topup-submit'));
    await waitFor(() => expect(f.calls.filter((c) => c.method === 'TopUp')).toHaveLength(3));
    expect(f.calls.filter((c) => c.method === 'TopUp')[2].args[0]).toMatchObject({ amount: '12.3456789', price: '0.12' });
  });

  it('shows a backend error from the top-up', async () => {
    fake({ 'Credits.TopUp': () => { throw 'top up pool: top up: not allowed for your role (admin only)'; } });
    render(Credits, props);
    await waitFor(() => screen.getByTestId('credits-package-1'));
    await fireEvent.click(screen.getByTestId('credits-topup-submit'));
    await waitFor(() => expect(screen.getByTestId('credits-topup-error').textContent).toContain('admin only'));
  });
});
