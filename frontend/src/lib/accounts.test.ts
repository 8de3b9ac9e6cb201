import { describe, expect, it } from 'vitest';
import { accountLabel, loadAccountNames, noNames } from './accounts';
import { installFakeBridge } from '../test/fakeBridge';

describe('accountLabel', () => {
  it.each([
    ['pool', 'Workspace pool'],
    ['sys:usage', 'Usage'],
    ['sys:topup', 'Top-ups'],
    ['user:2', 'Member #2'],
    ['dept:1', 'Department #1'],
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
    expect(accountLabel('user:3', names)).toBe('Member #3');

    installFakeBridge({ 'Team.AccountNames': () => { throw 'not signed in'; } });
    const none = await loadAccountNames();
    expect(accountLabel('dept:1', none)).toBe('Department #1');
  });
});
