import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Usage from './Usage.svelte';
import { installFakeBridge, installFakeRuntime } from '../test/fakeBridge';
import { session } from '../lib/session.svelte';
import { fieldState, usable } from '../test/a11y';

const props = { params: {}, query: {} };

const forecast = {
  method: 'mean of the last 7 days', windowDays: 7, dailyMean: '1', dailyLow: '0.5', dailyHigh: '1.5',
  monthToDate: '7.08', monthEnd: '15', monthEndLow: '12', monthEndHigh: '18', remainingDays: 8,
  runOut: '', runOutEarly: '', runOutLate: '', enough: true,
};

function dashboard(f: Partial<typeof forecast & { runOutNote: string }> = {}) {
  return {
    range: { from: '2026-10-24', to: '2026-11-22' }, timeZone: 'Etc/UTC', today: '2026-11-22',
    scope: { All: true, UserID: 0 }, balance: '92.92', balanceAccount: 'pool', lifetimeUsed: '7.08', total: '7.08',
    byDay: [], byModel: [], byMember: [], byDepartment: [], conversations: [], anomalies: null,
    forecast: { ...forecast, ...f },
  };
}

const row = (id: number) => ({ id, time: '2026-11-22T03:59:00Z', type: 'usage', op: 'post', from: 'pool', to: 'sys:usage', amount: '1', model: 'gpt-4o' });
const rows = (n: number, from: number) => Array.from({ length: n }, (_, i) => row(from - i));

function fake(handlers: Record<string, (...a: any[]) => unknown> = {}) {
  const rt = installFakeRuntime();
  const bridge = installFakeBridge({
    'Reports.Dashboard': () => dashboard(),
    'Reports.History': () => ({ items: [], next: 0 }),
    'Team.Members': () => [],
    'Team.Departments': () => [],
    ...handlers,
  });
  return Object.assign(bridge, { rt });
}

describe('Usage', () => {
  it.each([
    ['pool', 'Workspace pool balance'],
    ['dept:3', 'Department balance'],
    ['user:2', 'Your wallet'],
    ['user:9', "Member's wallet"],
  ])("names the balance card by whose it is (%s): the pool's is never read as one's own wallet", async (account, label) => {
    session.set({ signedIn: true, actor: { userId: 2, name: 'bob', role: 'member' } } as never);
    fake({ 'Reports.Dashboard': () => ({ ...dashboard(), scope: { All: false, UserID: 2 }, balanceAccount: account }) });
    render(Usage, props);
    await screen.findByTestId('usage-balance');
    expect(screen.getByTestId('usage-balance-label').textContent).toBe(label);
    session.set(null);
  });

  it("shows a member their own daily and monthly limits, what is used and left and when each resets (team.Limits)", async () => {
    session.set({ signedIn: true, actor: { userId: 2, name: 'bob', role: 'member' } } as never);
    const f = fake({
      'Reports.Dashboard': () => ({ ...dashboard(), scope: { All: false, UserID: 2 }, balanceAccount: 'pool' }),
      'Team.Limits': (id: number) => id !== 2 ? [] : [
        { userId: 2, kind: 'daily', model: '', period: 'day', amount: '50', used: '12.5', pending: '2', remaining: '35.5',
          resetsAt: '2026-11-23T00:00:00Z', timeZone: 'Etc/UTC', resetFreesRoom: true },
        { userId: 2, kind: 'monthly', model: '', period: 'month', amount: '500', used: '500', pending: '0', remaining: '0',
          resetsAt: '2026-12-01T00:00:00Z', timeZone: 'Etc/UTC', resetFreesRoom: true, reached: 'reached: sends are refused until it resets' },
      ],
    });
    render(Usage, props);
    const daily = await screen.findByTestId('usage-limit-daily');
    expect(f.calls.find((c) => c.method === 'Limits')!.args).toEqual([2]);
    expect(daily.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'Daily limit: 12.50 credits used of 50.00 credits, 2.00 credits held for sends in progress · 35.50 credits left · resets 2026-11-23 00:00 (Etc/UTC)');
    const monthly = screen.getByTestId('usage-limit-monthly').textContent?.replace(/\s+/g, ' ') ?? '';
    expect(monthly).toContain('Monthly limit: 500.00 credits used of 500.00 credits ·');
    expect(monthly).toContain('reached: sends are refused until it resets');
    expect(monthly).not.toContain('held');
    // The pool's balance is the card the member may see (the header's); nothing else of the pool.
    expect(screen.getByTestId('usage-balance-label').textContent).toBe('Workspace pool balance');
    session.set(null);
  });

  // Whether a limit's reset is shown is Go's rule (LimitStatus.resetFreesRoom, team.LimitStatus.ResetHelps: false for
  // a limit of 0), the one Team → Limits, `meterdesk limits list` and /v1/credits follow; the page read the amount
  // itself (a TypeScript copy of the rule). A limit Go says no reset helps shows none whatever its amount.
  it("shows a limit's reset where Go says it frees room (resetFreesRoom), not by its own reading of the amount", async () => {
    session.set({ signedIn: true, actor: { userId: 2, name: 'bob', role: 'member' } } as never);
    const limit = { userId: 2, model: '', used: '0', pending: '0', remaining: '5', amount: '5', resetsAt: '2026-11-23T00:00:00Z', timeZone: 'Etc/UTC' };
    fake({
      'Reports.Dashboard': () => ({ ...dashboard(), scope: { All: false, UserID: 2 }, balanceAccount: 'pool' }),
      'Team.Limits': () => [
        { ...limit, kind: 'daily', period: 'day', resetFreesRoom: false },
        { ...limit, kind: 'monthly', period: 'month', resetFreesRoom: true },
      ],
    });
    render(Usage, props);
    const text = (id: string) => screen.getByTestId(id).textContent?.replace(/\s+/g, ' ').trim();
    await screen.findByTestId('usage-limit-daily');
    expect(text('usage-limit-daily')).toBe('Daily limit: 0.00 credits used of 5.00 credits · 5.00 credits left');
    expect(text('usage-limit-monthly')).toBe('Monthly limit: 0.00 credits used of 5.00 credits · 5.00 credits left · resets 2026-11-23 00:00 (Etc/UTC)');
    session.set(null);
  });

  it('says a limit is reached only when what is used fills it, not when sends in progress hold the rest; names a model limit as Team → Limits does', async () => {
    session.set({ signedIn: true, actor: { userId: 2, name: 'bob', role: 'member' } } as never);
    const limit = (kind: string, model: string, period: string, amount: string, used: string, pending: string, remaining: string, reached = '') =>
      ({ userId: 2, kind, model, period, amount, used, pending, remaining, resetsAt: '2026-11-23T00:00:00Z', timeZone: 'Etc/UTC',
        resetFreesRoom: amount !== '0', ...(reached ? { reached } : {}) }); // Go's ResetHelps: false for a limit of 0 alone
    const resets = 'reached: sends are refused until it resets';
    fake({
      'Reports.Dashboard': () => ({ ...dashboard(), scope: { All: false, UserID: 2 }, balanceAccount: 'pool' }),
      'Team.Limits': () => [
        limit('daily', '', 'day', '10', '6', '4', '0'), // held sends fill it: not reached
        limit('monthly', '', 'month', '10', '10.5', '0', '0', resets), // used past it (lowered below use): reached
        limit('model', 'gpt-4o', 'day', '5', '1', '0', '4'),
        limit('model', 'o3', '', '10', '10', '0', '0', resets), // no period: per month, as Go reads it
        // A limit of 0, an admin's block: Go's words, not "until it resets" (the page said so, reading used against amount).
        limit('model', 'gpt-5', 'day', '0', '0', '0', '0', 'a limit of 0: paid sends are refused until an admin raises it'),
      ],
    });
    render(Usage, props);
    const text = (id: string) => screen.getByTestId(id).textContent?.replace(/\s+/g, ' ').trim();
    await screen.findByTestId('usage-limit-daily');
    expect(text('usage-limit-daily')).toBe('Daily limit: 6.00 credits used of 10.00 credits, 4.00 credits held for sends in progress · '
      + '0.00 credits left while sends in progress hold the rest · resets 2026-11-23 00:00 (Etc/UTC)');
    expect(text('usage-limit-monthly')).toContain('· reached: sends are refused until it resets ·');
    expect(text('usage-limit-model-gpt-4o')).toMatch(/^gpt-4o \(per day\): 1\.00 credits used of 5\.00 credits · 4\.00 credits left ·/);
    expect(text('usage-limit-model-o3')).toMatch(/^o3 \(per month\): .* reached: sends are refused until it resets/);
    // …and no "· resets <time>" after those words: its reset does not help a limit of 0.
    expect(text('usage-limit-model-gpt-5')).toMatch(/^gpt-5 \(per day\): 0\.00 credits used of 0\.00 credits · a limit of 0: paid sends are refused until an admin raises it$/);
    expect(text('usage-limit-model-gpt-5')).not.toContain('resets');
    expect(text('usage-limit-model-o3')).toContain('· resets ');
    session.set(null);
  });

  it('tells a member without limits so, and reads no limits for an admin (their page is the workspace\'s)', async () => {
    session.set({ signedIn: true, actor: { userId: 2, name: 'bob', role: 'member' } } as never);
    fake({ 'Reports.Dashboard': () => ({ ...dashboard(), scope: { All: false, UserID: 2 }, balanceAccount: 'user:2' }), 'Team.Limits': () => [] });
    const { unmount } = render(Usage, props);
    expect((await screen.findByTestId('usage-limits-none')).textContent).toContain('No spending limits: your spending is bounded only by the balance');
    unmount();
    session.set({ signedIn: true, actor: { userId: 1, name: 'alice', role: 'admin' } } as never);
    const f = fake({ 'Team.Limits': () => [] });
    render(Usage, props);
    await screen.findByTestId('usage-balance');
    expect(f.calls.some((c) => c.method === 'Limits')).toBe(false);
    expect(screen.queryByTestId('usage-limits')).toBeNull();
    session.set(null);
  });

  it('says when a member\'s limits cannot be read, with Retry, and keeps the rest of the page', async () => {
    session.set({ signedIn: true, actor: { userId: 2, name: 'bob', role: 'member' } } as never);
    let fail = true;
    fake({ 'Reports.Dashboard': () => ({ ...dashboard(), scope: { All: false, UserID: 2 } }),
      'Team.Limits': () => { if (fail) throw 'database is locked'; return []; } });
    render(Usage, props);
    await screen.findByTestId('usage-limits-error');
    expect(screen.getByTestId('usage-balance')).toBeTruthy();
    fail = false;
    await fireEvent.click(screen.getByRole('button', { name: /retry/i }));
    await screen.findByTestId('usage-limits-none');
    expect(screen.queryByTestId('usage-limits-error')).toBeNull();
    session.set(null);
  });

  it('says From after To under the dates (the range and the transactions), without a backend error or Retry', async () => {
    const f = fake();
    render(Usage, props);
    await screen.findByTestId('usage-balance');
    const reads = (m: string) => f.calls.filter((c) => c.method === m).length;
    const [dash, hist] = [reads('Dashboard'), reads('History')];
    await fireEvent.input(screen.getByTestId('usage-from'), { target: { value: '2026-11-25' } });
    await fireEvent.input(screen.getByTestId('usage-to'), { target: { value: '2026-11-22' } });
    expect(screen.getByTestId('usage-range').textContent).toBe('From is after To: pick a From on or before To.');
    expect(screen.getByTestId('usage-from').getAttribute('aria-invalid')).toBe('true');
    // Show stays focusable (aria-disabled, described by the problem); a press reads nothing and puts the cursor in From.
    const show = screen.getByTestId('usage-apply');
    expect(usable(show)).toBe(false);
    expect(fieldState(show).description).toBe('From is after To: pick a From on or before To.');
    show.focus();
    await fireEvent.click(show);
    expect(document.activeElement).toBe(screen.getByTestId('usage-from'));
    await fireEvent.input(screen.getByTestId('usage-history-from'), { target: { value: '2026-11-25' } });
    await fireEvent.input(screen.getByTestId('usage-history-to'), { target: { value: '2026-11-01' } });
    expect(screen.getByTestId('usage-history-range').textContent).toBe('From is after To: pick a From on or before To.');
    for (const id of ['usage-history-apply', 'usage-history-export']) {
      const button = screen.getByTestId(id);
      expect(usable(button)).toBe(false);
      expect(fieldState(button).description).toBe('From is after To: pick a From on or before To.');
      button.focus();
      await fireEvent.click(button);
      expect(document.activeElement).toBe(screen.getByTestId('usage-history-from'));
    }
    await fireEvent.submit(screen.getByTestId('usage-history-apply').closest('form')!);
    expect([reads('Dashboard'), reads('History')]).toEqual([dash, hist]);
    // Export CSV… pressed too soon asked for no file and exported nothing.
    expect(f.calls.filter((c) => /Choose|Export/.test(c.method))).toEqual([]);
    expect(screen.queryByTestId('usage-error')).toBeNull();
    expect(screen.queryByTestId('usage-history-error')).toBeNull();
  });

  it('shows the forecast band only when its ends differ', async () => {
    const f = fake();
    const { unmount } = render(Usage, props);
    await waitFor(() => expect(screen.getByTestId('usage-forecast-month-end').textContent).toContain('(band 12.00 credits – 18.00 credits)'));
    unmount();

    f.handlers['Reports.Dashboard'] = () => dashboard({ monthEnd: '7.08', monthEndLow: '7.08', monthEndHigh: '7.080' });
    render(Usage, props);
    await waitFor(() => expect(screen.getByTestId('usage-forecast-month-end').textContent).toContain('7.08 credits'));
    expect(screen.getByTestId('usage-forecast-month-end').textContent).not.toContain('band');
  });

  it("gives a member the pool pays for no run-out date, saying why (the backend's runOutNote), not that it never runs out", async () => {
    const note = "Your sends are charged to the workspace pool, which pays for other members' sends too, so your spending alone cannot tell when it runs out: no run-out date is forecast.";
    session.set({ signedIn: true, actor: { userId: 2, name: 'bob', role: 'member' } } as never);
    const f = fake({ 'Reports.Dashboard': () => ({ ...dashboard({ runOutNote: note }), scope: { All: false, UserID: 2 } }) });
    const { unmount } = render(Usage, props);
    await waitFor(() => expect(screen.getByTestId('usage-forecast-run-out-note').textContent).toBe(note));
    expect(screen.getByTestId('usage-forecast').textContent).not.toContain('does not run out');
    unmount();
    // Their own wallet: the date, as before.
    f.handlers['Reports.Dashboard'] = () => ({ ...dashboard({ runOut: '2026-12-20', runOutEarly: '2026-12-10', runOutLate: '2027-01-05' }),
      scope: { All: false, UserID: 2 }, balanceAccount: 'user:2' });
    render(Usage, props);
    await waitFor(() => expect(screen.getByTestId('usage-forecast').textContent).toContain('Balance runs out on 2026-12-20'));
    expect(screen.queryByTestId('usage-forecast-run-out-note')).toBeNull();
    session.set(null);
  });

  it("says whose lifetime use the card shows: the workspace's or the member's own", async () => {
    const f = fake();
    const { unmount } = render(Usage, props);
    await waitFor(() => expect(screen.getByTestId('usage-lifetime-label').textContent).toBe('Lifetime used, whole workspace'));
    unmount();
    session.set({ signedIn: true, actor: { userId: 3, name: 'sam', role: 'member' } } as never);
    f.handlers['Reports.Dashboard'] = () => ({ ...dashboard(), scope: { All: false, UserID: 3 } });
    render(Usage, props);
    await waitFor(() => expect(screen.getByTestId('usage-lifetime-label').textContent).toBe('Your lifetime use'));
    session.set(null);
  });

  it.each(['balance:changed', 'data:changed'])('on %s re-reads the dashboard and the transactions shown, keeping the pages loaded and their filter', async (event) => {
    const f = fake({
      'Reports.History': (q: any) => ({ items: q.before ? rows(20, 100) : rows(Math.min(q.limit, 130), 200), next: q.before ? 0 : 101 }),
    });
    render(Usage, props);
    await waitFor(() => expect(screen.getAllByTestId('usage-history-row')).toHaveLength(100));
    // The user filters by model, loads more, then starts typing another model.
    await fireEvent.input(screen.getByTestId('usage-history-model'), { target: { value: 'gpt-4o' } });
    await fireEvent.click(screen.getByTestId('usage-history-apply'));
    await fireEvent.click(await screen.findByTestId('usage-history-more'));
    await waitFor(() => expect(screen.getAllByTestId('usage-history-row')).toHaveLength(120));
    await fireEvent.input(screen.getByTestId('usage-history-model'), { target: { value: 'gpt-5' } });
    const histories = () => f.calls.filter((c) => c.method === 'History');
    const [dashboards, before] = [f.calls.filter((c) => c.method === 'Dashboard').length, histories().length];

    f.rt.emit(event);
    await waitFor(() => expect(histories()).toHaveLength(before + 1));
    expect(f.calls.filter((c) => c.method === 'Dashboard').length).toBeGreaterThan(dashboards);
    // As many rows as were shown, newest first, with the filter they were read with.
    expect(histories().at(-1)!.args[0]).toMatchObject({ model: 'gpt-4o', before: 0, limit: 120 });
    await waitFor(() => expect(screen.getAllByTestId('usage-history-row')).toHaveLength(120));
    expect(screen.getAllByTestId('usage-history-row')[0].textContent).toContain('gpt-4o');
    expect((screen.getByTestId('usage-history-model') as HTMLInputElement).value).toBe('gpt-5');
  });
});

describe('Usage: drill-down', () => {
  it('says how many transactions a bar drilled down to, a model at its provider', async () => {
    const f = fake({
      'Reports.Dashboard': () => ({ ...dashboard(),
        // One model at two providers: two bars, each drilling down to that provider's charges of the model.
        byModel: [{ key: 'gpt-4o · OpenAI', label: 'gpt-4o · OpenAI', model: 'gpt-4o', provider: 'OpenAI', amount: '2', count: 2, share: 1000 },
          { key: 'gpt-4o · Lab', label: 'gpt-4o · Lab', model: 'gpt-4o', provider: 'Lab', amount: '1', count: 1, share: 500 },
          { key: 'gpt-4o · Old (since removed)', label: 'gpt-4o · Old (since removed)', model: 'gpt-4o', provider: 'Old (since removed)', amount: '1', count: 1, share: 500 },
          { key: 'gpt-4o · provider unknown', label: 'gpt-4o · provider unknown', model: 'gpt-4o', provider: 'provider unknown', amount: '1', count: 1, share: 500 }],
        byMember: [{ key: 'user:2', label: 'bob', amount: '3', count: 3, id: 2, share: 1000 }] }),
      'Reports.History': (q: any) => (q.model === 'gpt-4o'
        ? { items: rows(({ OpenAI: 2, Lab: 3, 'Old (since removed)': 1, 'provider unknown': 0 } as Record<string, number>)[q.provider] ?? 7, 50), next: 0 }
        : q.userId === 2 ? { items: rows(100, 500), next: 400 } : { items: [], next: 0 }),
    });
    render(Usage, props);
    const status = await screen.findByTestId('usage-drill-status');
    expect(status.getAttribute('role')).toBe('status');
    expect(status.textContent).toBe('');
    const bars = screen.getAllByTestId('usage-by-model-bar');
    expect(bars.map((b) => b.textContent)).toEqual([expect.stringContaining('gpt-4o · OpenAI'), expect.stringContaining('gpt-4o · Lab'),
      expect.stringContaining('gpt-4o · Old (since removed)'), expect.stringContaining('gpt-4o · provider unknown')]);
    const lastFilter = () => f.calls.filter((c) => c.method === 'History').at(-1)!.args[0];
    for (const [i, provider, words] of [
      [1, 'Lab', 'Transactions: 3 usage charges for gpt-4o at Lab.'],
      [0, 'OpenAI', 'Transactions: 2 usage charges for gpt-4o at OpenAI.'],
      [2, 'Old (since removed)', 'Transactions: 1 usage charge for gpt-4o at Old (since removed).'],
      [3, 'provider unknown', 'Transactions: no usage charges for gpt-4o at an unknown provider.'],
    ] as const) {
      await fireEvent.click(bars[i]);
      await waitFor(() => expect(status.textContent).toBe(words));
      expect(lastFilter()).toMatchObject({ model: 'gpt-4o', provider, types: ['usage'] });
    }
    // The history's own Provider field shows the filter the bar set.
    expect((screen.getByTestId('usage-history-provider') as HTMLInputElement).value).toBe('provider unknown');
    await fireEvent.click(screen.getByTestId('usage-by-member-bar'));
    await waitFor(() => expect(status.textContent).toBe('Transactions: the latest 100 usage charges for bob (Load more shows the rest).'));
    expect(lastFilter()).toMatchObject({ userId: 2, provider: '', model: '', types: ['usage'] });
  });
});

describe('Usage: drill-down of a "(no model)" bar', () => {
  it('asks for the charges with no model, not every model\'s, and says so', async () => {
    const f = fake({
      'Reports.Dashboard': () => ({ ...dashboard(),
        // As the backend sends them: a "(no model)" point has no model (omitempty); with no provider stored its provider reads "provider unknown".
        byModel: [{ key: 'gpt-4o · Lab', label: 'gpt-4o · Lab', model: 'gpt-4o', provider: 'Lab', amount: '4', count: 4, share: 1000 },
          { key: '(no model) · Lab', label: '(no model) · Lab', provider: 'Lab', amount: '2', count: 2, share: 500 },
          { key: '(no model)', label: '(no model)', provider: 'provider unknown', amount: '1', count: 1, share: 250 }] }),
      // Only the bar's own charges: a filter with an empty model (every model) would find 6 at Lab.
      'Reports.History': (q: any) => ({ items: rows(q.model === '(no model)' ? (q.provider === 'Lab' ? 2 : 1) : q.model === '' ? 6 : 4, 50), next: 0 }),
    });
    render(Usage, props);
    const status = await screen.findByTestId('usage-drill-status');
    const bars = screen.getAllByTestId('usage-by-model-bar');
    const lastFilter = () => f.calls.filter((c) => c.method === 'History').at(-1)!.args[0];
    for (const [i, model, provider, words] of [
      [1, '(no model)', 'Lab', 'Transactions: 2 usage charges with no model at Lab.'],
      [2, '(no model)', 'provider unknown', 'Transactions: 1 usage charge with no model or provider.'],
      [0, 'gpt-4o', 'Lab', 'Transactions: 4 usage charges for gpt-4o at Lab.'],
    ] as const) {
      await fireEvent.click(bars[i]);
      await waitFor(() => expect(status.textContent).toBe(words));
      expect(lastFilter()).toMatchObject({ model, provider, types: ['usage'] });
    }
    // The history's Model field shows the filter the bar set, in the bar's words.
    await fireEvent.click(bars[1]);
    await waitFor(() => expect((screen.getByTestId('usage-history-model') as HTMLInputElement).value).toBe('(no model)'));
  });
});

describe('Usage: amounts', () => {
  it('shows credit amounts exactly: the cards, the bars and a sub-cent charge in the history', async () => {
    fake({
      'Reports.Dashboard': () => ({ ...dashboard(), balance: '27637.137529327', lifetimeUsed: '0.001257492', total: '3.333333333',
        byModel: [{ key: 'gpt-4o-mini · OpenAI', label: 'gpt-4o-mini · OpenAI', model: 'gpt-4o-mini', provider: 'OpenAI', amount: '0.001257492', count: 3, share: 1000 }] }),
      'Reports.History': () => ({ items: [{ ...row(1), amount: '0.000419164', model: 'gpt-4o-mini' }, { ...row(2), amount: '250.000000000' }], next: 0 }),
    });
    render(Usage, props);
    await waitFor(() => expect(screen.getByTestId('usage-balance').textContent).toBe('27,637.137529327 credits'));
    expect(screen.getByTestId('usage-lifetime').textContent).toBe('0.001257492 credits');
    expect(screen.getByTestId('usage-total').textContent).toBe('3.333333333 credits');
    expect(screen.getByTestId('usage-by-model-bar').textContent).toContain('0.001257492 credits');
    await waitFor(() => expect(screen.getAllByTestId('usage-history-row')).toHaveLength(2));
    const [subCent, whole] = screen.getAllByTestId('usage-history-row');
    expect(subCent.textContent).toContain('0.000419164 credits');
    expect(subCent.textContent).not.toContain('0.00 credits');
    expect(whole.textContent).toContain('250.00 credits');
  });

  // A free reply's charge read "0.00 credits" here while Settings → Credits → History and the chat say "free": the
  // word is Go's (Reports.History's amountWord, chat.HistoryWord), shown in the Credits column; a paid charge keeps
  // its number.
  it("shows a free reply's charge in Go's word, as the Credits history does", async () => {
    fake({
      'Reports.History': () => ({ items: [{ ...row(2), amount: '0', model: 'llama3', amountWord: 'free' }, { ...row(1), amount: '0.034' }], next: 0 }),
    });
    render(Usage, props);
    await waitFor(() => expect(screen.getAllByTestId('usage-history-row')).toHaveLength(2));
    const amounts = screen.getAllByTestId('usage-history-row').map((r) => r.querySelector('td.num')?.textContent);
    expect(amounts).toEqual(['free', '0.034 credits']);
  });
});
