import { describe, expect, it } from 'vitest';
import { accountLabel, departmentLabel, historyAccounts, loadAccountNames, memberLabel, noNames } from './accounts';
import { installFakeBridge } from '../test/fakeBridge';
import labelTable from '../../../backend/team/testdata/account_labels.json?raw';

// backend/team/testdata/account_labels.json: the Go side's audit log names
// the pool and the bookkeeping accounts from a table it pins to the same rows.
describe('account labels shared with the backend', () => {
  const shared = (JSON.parse(labelTable) as { code?: string; label?: string }[]).filter((r) => r.code !== undefined);
  it('the shared table names the pool and the five bookkeeping accounts', () => {
    expect(shared.map((r) => r.code).sort()).toEqual(['pool', 'sys:adjust', 'sys:expiry', 'sys:refund', 'sys:topup', 'sys:usage']);
  });
  it.each(shared.map((r) => [r.code!, r.label!] as const))('accountLabel(%s) is %s, as the audit log names it', (code, label) => {
    expect(accountLabel(code)).toBe(label);
  });
  it('an admin\'s history filter offers the pool and every bookkeeping account by those names', () => {
    const offered = historyAccounts(noNames(), true).filter((a) => a.group === 'Workspace' || a.group === 'Bookkeeping');
    expect(offered.map((a) => [a.code, a.label]).sort()).toEqual(shared.map((r) => [r.code, r.label]).sort());
  });
});

describe('accountLabel', () => {
  it.each([
    ['pool', 'Workspace pool'],
    ['sys:usage', 'Usage'],
    ['sys:topup', 'Top-ups'],
    ['user:2', 'Member 2'],
    ['dept:1', 'Department 1'],
    ['workspace', 'workspace'],
    ['', ''],
  ])('%s -> %s without names', (code, want) => {
    expect(accountLabel(code, noNames())).toBe(want);
  });

  it('uses the names the backend gives, and survives a refusal', async () => {
    // A member is given their own wallet and department (Team.AccountNames).
    installFakeBridge({ 'Team.AccountNames': () => ({ 'dept:1': 'Research', 'user:2': 'Bob Martin' }) });
    const names = await loadAccountNames();
    expect(accountLabel('dept:1', names)).toBe('Research');
    expect(accountLabel('user:2', names)).toBe('Bob Martin');
    expect(accountLabel('user:3', names)).toBe('Member 3');

    installFakeBridge({ 'Team.AccountNames': () => { throw 'not signed in'; } });
    const none = await loadAccountNames();
    expect(accountLabel('dept:1', none)).toBe('Department 1');
  });
});

describe('memberLabel and departmentLabel (backend/people)', () => {
  it.each([
    [{ name: 'bob', displayName: '', status: 'active' }, 'bob'],
    [{ name: 'bob', displayName: '', status: 'removed' }, 'bob (removed)'],
    [{ name: 'bob', displayName: 'Bob M.', status: 'removed' }, 'Bob M. (removed)'],
    [{ name: 'bob', displayName: 'Bob M.', status: 'disabled' }, 'Bob M.'],
  ])('%o -> %s', (m, want) => expect(memberLabel(m)).toBe(want));
  it.each([
    [{ name: 'Eng', archived: false }, 'Eng'],
    [{ name: 'Eng', archived: true }, 'Eng (archived)'],
  ])('%o -> %s', (d, want) => expect(departmentLabel(d)).toBe(want));

  it("shows the backend's marked names as they come: a removed bob beside the new one", async () => {
    installFakeBridge({ 'Team.AccountNames': () => ({ 'user:3': 'bob (removed)', 'user:5': 'bob', 'dept:1': 'Eng (archived)', 'dept:2': 'Eng' }) });
    const names = await loadAccountNames();
    expect(['user:3', 'user:5', 'dept:1', 'dept:2'].map((c) => accountLabel(c, names))).toEqual(['bob (removed)', 'bob', 'Eng (archived)', 'Eng']);
  });
});
