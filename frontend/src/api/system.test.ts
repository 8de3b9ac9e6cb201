import { describe, expect, it } from 'vitest';
import * as system from './system';
import { installFakeBridge } from '../test/fakeBridge';

describe('api/system', () => {
  it('Info', async () => {
    const fake = installFakeBridge({ 'System.Info': () => ({ version: '1.2.3', dataDir: '/d', dbPath: '/d/m.db' }) });
    await expect(system.info()).resolves.toEqual({ version: '1.2.3', dataDir: '/d', dbPath: '/d/m.db' });
    expect(fake.calls).toEqual([{ struct: 'System', method: 'Info', args: [] }]);
  });

  it('GetSetting / SetSetting round-trip through the backend', async () => {
    const store = new Map<string, string>();
    const fake = installFakeBridge({
      'System.GetSetting': (k: string) => store.get(k) ?? '',
      'System.SetSetting': (k: string, v: string) => {
        const unchanged = store.get(k) === v.trim();
        store.set(k, v.trim());
        return { key: k, value: v.trim(), unchanged };
      },
    });
    await expect(system.getSetting(system.SettingKeys.WorkspaceName)).resolves.toBe('');
    await expect(system.setSetting('workspace.name', ' Acme ')).resolves.toEqual({ key: 'workspace.name', value: 'Acme', unchanged: false });
    await expect(system.getSetting('workspace.name')).resolves.toBe('Acme');
    expect(fake.calls.map((c) => [c.method, ...c.args])).toEqual([
      ['GetSetting', 'workspace.name'],
      ['SetSetting', 'workspace.name', ' Acme '],
      ['GetSetting', 'workspace.name'],
    ]);
  });

  it('SettingKeys', async () => {
    const keys = [{ name: 'workspace.name', description: 'workspace display name', adminOnly: true, maxLen: 120 }];
    installFakeBridge({ 'System.SettingKeys': () => keys });
    await expect(system.settingKeys()).resolves.toEqual(keys);
  });

  it('GetSetting maps a null answer to ""', async () => {
    installFakeBridge({ 'System.GetSetting': () => null });
    await expect(system.getSetting('x')).resolves.toBe('');
  });

  it('ChooseBackupFile then Backup', async () => {
    const fake = installFakeBridge({
      'System.ChooseBackupFile': () => '/tmp/b.db',
      'System.Backup': (p: string) => p,
    });
    const path = await system.chooseBackupFile();
    await expect(system.backup(path)).resolves.toBe('/tmp/b.db');
    expect(fake.calls[1]).toEqual({ struct: 'System', method: 'Backup', args: ['/tmp/b.db'] });
  });

  it('restore: choose, check, stage, status, cancel, restart', async () => {
    const summary = { file: '/b.db', sizeBytes: 4096, modified: '2026-11-20T10:00:00Z', workspace: 'Acme', members: 3, transfers: 12, poolBalance: '100' };
    const staged = { id: 'ab12', stagedAt: '2026-11-22T08:00:00Z', stagedBy: 'alice', previous: 'meterdesk.db.before-restore-x', kept: '/d/meterdesk.db.before-restore-x', backup: summary };
    const fake = installFakeBridge({
      'System.ChooseRestoreFile': () => null,
      'System.CheckBackup': () => summary,
      'System.StageRestore': () => staged,
      'System.RestoreStatus': () => ({ pending: staged }),
      'System.CancelRestore': () => null,
      'System.Restart': () => true,
    });
    await expect(system.chooseRestoreFile()).resolves.toBe('');
    await expect(system.checkBackup('/b.db')).resolves.toEqual(summary);
    await expect(system.stageRestore('/b.db')).resolves.toEqual(staged);
    await expect(system.restoreStatus()).resolves.toEqual({ pending: staged, finished: null });
    await expect(system.cancelRestore()).resolves.toEqual({ pending: null, finished: null });
    await expect(system.restart()).resolves.toBe(true);
    expect(fake.calls.map((c) => [c.method, ...c.args])).toEqual([
      ['ChooseRestoreFile'],
      ['CheckBackup', '/b.db'],
      ['StageRestore', '/b.db', false],
      ['RestoreStatus'],
      ['CancelRestore'],
      ['Restart'],
    ]);
  });

  it('CheckDatabase: a verdict either way, a refusal rejects', async () => {
    const damaged = { file: '/d/meterdesk.db', bytes: 81920, ok: false, problem: 'the database file is damaged: /d/meterdesk.db: Tree 84 page 84' };
    let answer: unknown = { file: '/d/meterdesk.db', bytes: 81920, ok: true };
    const fake = installFakeBridge({ 'System.CheckDatabase': () => answer });
    await expect(system.checkDatabase()).resolves.toEqual({ file: '/d/meterdesk.db', bytes: 81920, ok: true });
    answer = damaged;
    await expect(system.checkDatabase()).resolves.toEqual(damaged);
    expect(fake.calls).toEqual([
      { struct: 'System', method: 'CheckDatabase', args: [] },
      { struct: 'System', method: 'CheckDatabase', args: [] },
    ]);
    installFakeBridge({
      'System.CheckDatabase': () => {
        throw 'check the database: not allowed for your role (admin only)';
      },
    });
    await expect(system.checkDatabase()).rejects.toMatchObject({
      message: 'check the database: not allowed for your role (admin only)',
      op: 'System.CheckDatabase',
    });
  });

  it('ChooseBackupFile cancelled is ""', async () => {
    installFakeBridge({ 'System.ChooseBackupFile': () => '' });
    await expect(system.chooseBackupFile()).resolves.toBe('');
  });

  it('propagates Go errors', async () => {
    installFakeBridge({
      'System.SetSetting': () => {
        throw 'write setting workspace.name: database is locked';
      },
    });
    await expect(system.setSetting('workspace.name', 'x')).rejects.toMatchObject({
      message: 'write setting workspace.name: database is locked',
      op: 'System.SetSetting',
    });
  });
});
