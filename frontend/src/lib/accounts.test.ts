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

  it('uses loaded names and survives a refused member list', async () => {
    installFakeBridge({
      'Team.Members': () => { throw 'admin only'; },
      'Team.Departments': () => [{ id: 1, name: 'Research' }],
    });
    const names = await loadAccountNames();
    expect(accountLabel('dept:1', names)).toBe('Research');
    expect(accountLabel('user:2', names)).toBe('Member #2');

    installFakeBridge({
      'Team.Members': () => [{ id: 2, name: 'bob', displayName: 'Bob Martin' }, { id: 3, name: 'carol', displayName: '' }],
      'Team.Departments': () => null,
    });
    const all = await loadAccountNames();
    expect(accountLabel('user:2', all)).toBe('Bob Martin');
    expect(accountLabel('user:3', all)).toBe('carol');
  });
});
