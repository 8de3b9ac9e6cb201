import { afterEach, describe, expect, it, vi } from 'vitest';
import { balance, payerDescription, payerLabel, setBalanceLoader } from './balance.svelte';
import type { PayerBalance } from '../api/credits';
import { toast, TOAST_RESUME_MIN, TOAST_TIMEOUT } from './toast.svelte';

afterEach(async () => {
  vi.useRealTimers();
  await setBalanceLoader(null);
  toast.clear();
});

describe('balance', () => {
  const pool = (available: string): PayerBalance => ({ account: 'pool', kind: 'pool', name: '', available });

  it('loads through the registered loader and records errors', async () => {
    await setBalanceLoader(async () => pool('42.5'));
    expect(balance.value).toBe('42.5');
    expect(balance.payer).toEqual({ account: 'pool', kind: 'pool', name: '', accountName: '' });
    expect(balance.error).toBeNull();
    await setBalanceLoader(async () => {
      throw 'ledger: account user:1 not found';
    });
    expect(balance.value).toBe('42.5'); // last good value stays
    expect(balance.payer?.kind).toBe('pool'); // and the account it is of
    expect(balance.error).toBe('ledger: account user:1 not found');
    expect(balance.loading).toBe(false);
  });

  it('lets a later refresh win over a slower earlier one', async () => {
    const resolvers: ((v: PayerBalance) => void)[] = [];
    await setBalanceLoader(null);
    const p0 = balance.setLoader(() => new Promise<PayerBalance>((r) => resolvers.push(r)));
    const p1 = balance.refresh();
    resolvers[1]({ account: 'dept:1', kind: 'department', name: 'Eng', available: '2' });
    await p1;
    resolvers[0](pool('1'));
    await p0;
    expect(balance.value).toBe('2');
    expect(balance.payer?.name).toBe('Eng');
  });

  it('takes the account it reads each time (the payer follows funding)', async () => {
    let next: PayerBalance = { account: 'dept:3', kind: 'department', name: 'Research', available: '45' };
    await setBalanceLoader(async () => next);
    expect(payerLabel(balance.payer)).toBe('Research');
    next = { account: 'user:2', kind: 'wallet', name: '', available: '10' };
    await balance.refresh();
    expect(balance.value).toBe('10');
    expect(payerLabel(balance.payer)).toBe('Your wallet');
  });

  it.each([
    [null, 'Balance', ''],
    [{ account: 'pool', kind: 'pool', name: '' }, 'Workspace pool', "The workspace pool's credits, which pay for your messages"],
    // accountName is the backend's words (team.Payer.AccountName), shown as sent.
    [{ account: 'dept:3', kind: 'department', name: 'Research', accountName: "Research department's credits" }, 'Research', "Research department's credits, which pay for your messages"],
    [{ account: 'dept:3', kind: 'department', name: 'Sales department', accountName: "Sales department's credits" }, 'Sales department', "Sales department's credits, which pay for your messages"],
    [{ account: 'dept:3', kind: 'department', name: 'Department 3', accountName: "Department 3's credits" }, 'Department 3', "Department 3's credits, which pay for your messages"],
    [{ account: 'dept:3', kind: 'department', name: 'lab', accountName: "lab department's credits" }, 'lab', "lab department's credits, which pay for your messages"],
    [{ account: 'dept:3', kind: 'department', name: '' }, 'Department', "Your department's credits, which pay for your messages"],
    [{ account: 'user:2', kind: 'wallet', name: '' }, 'Your wallet', "Your wallet's credits, which pay for your messages"],
  ] as const)('names %o "%s"', (payer, label, full) => {
    expect(payerLabel(payer)).toBe(label);
    expect(payerDescription(payer)).toBe(full);
  });
});

describe('toast', () => {
  it('auto-dismisses after the kind timeout and keeps at most five', () => {
    vi.useFakeTimers();
    const id = toast.info('a');
    toast.error('e');
    expect(toast.items.map((t) => t.kind)).toEqual(['info', 'error']);
    vi.advanceTimersByTime(TOAST_TIMEOUT.info);
    expect(toast.items.find((t) => t.id === id)).toBeUndefined();
    expect(toast.items).toHaveLength(1);
    vi.advanceTimersByTime(TOAST_TIMEOUT.error);
    expect(toast.items).toHaveLength(0);
    for (let i = 0; i < 7; i++) toast.show('info', `m${i}`, { timeout: 0 });
    expect(toast.items.map((t) => t.message)).toEqual(['m2', 'm3', 'm4', 'm5', 'm6']);
  });

  it('pauses the countdown while pointed at and resumes with what was left', () => {
    vi.useFakeTimers();
    const id = toast.warning('w'); // 7 s
    vi.advanceTimersByTime(2000);
    toast.pause(id);
    vi.advanceTimersByTime(60_000);
    expect(toast.items.map((t) => t.id)).toEqual([id]);
    toast.resume(id);
    vi.advanceTimersByTime(TOAST_TIMEOUT.warning - 2000 - 1);
    expect(toast.items).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(toast.items).toHaveLength(0);
  });

  it('leaves a paused toast at least TOAST_RESUME_MIN after the pointer leaves', () => {
    vi.useFakeTimers();
    const id = toast.info('i'); // 4 s
    vi.advanceTimersByTime(TOAST_TIMEOUT.info - 100);
    toast.pause(id);
    toast.resume(id);
    vi.advanceTimersByTime(TOAST_RESUME_MIN - 1);
    expect(toast.items).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(toast.items).toHaveLength(0);
    // A toast without a countdown (timeout 0) is not given one by a resume.
    const kept = toast.show('error', 'e', { timeout: 0 });
    toast.pause(kept);
    toast.resume(kept);
    vi.advanceTimersByTime(60_000);
    expect(toast.items.map((t) => t.id)).toEqual([kept]);
  });
});
