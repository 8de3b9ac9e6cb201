import { describe, expect, it } from 'vitest';
import { installFakeBridge } from '../test/fakeBridge';
import { WorkspaceState } from './workspace.svelte';

describe('WorkspaceState', () => {
  it('shows no name until it is read, never the placeholder for a named workspace', async () => {
    let answer: (v: string) => void = () => {};
    installFakeBridge({
      'System.Info': () => ({ version: '0.9.0', dataDir: '/d', dbPath: '/d/m.db' }),
      'System.GetSetting': () => new Promise<string>((r) => (answer = r)),
    });
    const w = new WorkspaceState();
    const loading = w.load();
    expect(w.shownName).toBe('');
    answer('Renamed Co');
    await loading;
    expect(w.shownName).toBe('Renamed Co');
  });

  it('names a workspace without a name "Local workspace" once read', async () => {
    installFakeBridge({ 'System.Info': () => ({ version: '0.9.0' }), 'System.GetSetting': () => '' });
    const w = new WorkspaceState();
    await w.load();
    expect(w.shownName).toBe('Local workspace');
  });

  it('keeps showing no name when the read fails', async () => {
    installFakeBridge({
      'System.Info': () => ({ version: '0.9.0' }),
      'System.GetSetting': () => {
        throw new Error('database is locked');
      },
    });
    const w = new WorkspaceState();
    await w.load();
    expect(w.shownName).toBe('');
  });
});
