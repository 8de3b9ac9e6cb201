import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import SettingsGeneral from './SettingsGeneral.svelte';
import { installFakeBridge } from '../test/fakeBridge';
import { workspace } from '../lib/workspace.svelte';
import { toast } from '../lib/toast.svelte';
import { session } from '../lib/session.svelte';

const props = { params: {}, query: {} };

/** A fake System backend with a real key/value map, like the SQLite settings table. */
function fakeSystem(initial: Record<string, string> = {}, extra: Record<string, (...a: any[]) => unknown> = {}, role: 'admin' | 'member' = 'admin') {
  session.set({ signedIn: true, actor: { userId: 1, name: 'alice', role } } as never);
  const settings = new Map(Object.entries(initial));
  const fake = installFakeBridge({
    'System.Info': () => ({ version: '0.3.0', dataDir: '/home/u/.local/share/meterdesk', dbPath: '/home/u/.local/share/meterdesk/meterdesk.db' }),
    'System.GetSetting': (k: string) => settings.get(k) ?? '',
    'System.SetSetting': (k: string, v: string) => {
      const unchanged = settings.get(k) === v;
      settings.set(k, v);
      return { key: k, value: v, unchanged };
    },
    ...extra,
  });
  return { fake, settings };
}

async function loaded() {
  const input = screen.getByTestId('settings-workspace-name') as HTMLInputElement;
  await waitFor(() => expect(input.disabled).toBe(false));
  return input;
}

describe('Settings → General', () => {
  it('loads the name and info, saves, and reads the saved value back after a reload', async () => {
    const { fake, settings } = fakeSystem({ 'workspace.name': 'Old Co' });
    const first = render(SettingsGeneral, props);
    const input = await loaded();
    expect(input.value).toBe('Old Co');
    expect(screen.getByTestId('settings-info-version').textContent).toBe('0.3.0');
    expect(screen.getByTestId('settings-info-dbpath').textContent).toContain('meterdesk.db');

    const save = screen.getByTestId('settings-save') as HTMLButtonElement;
    // Unchanged: nothing to save, but focusable (aria-disabled), so the focus stays on it after a save.
    expect(save.disabled).toBe(false);
    expect(save.getAttribute('aria-disabled')).toBe('true');

    await fireEvent.input(input, { target: { value: '  Acme Research  ' } });
    expect(save.getAttribute('aria-disabled')).toBe('false');
    save.focus();
    await fireEvent.submit(save.form!); // Enter on the focused Save
    await screen.findByTestId('settings-saved');
    // Saved: nothing left to save; the focus stays on Save, and a press does nothing.
    expect(save.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(save);
    await fireEvent.submit(save.form!);
    expect(settings.get('workspace.name')).toBe('Acme Research');
    expect(fake.calls.filter((c) => c.method === 'SetSetting')).toEqual([
      { struct: 'System', method: 'SetSetting', args: ['workspace.name', 'Acme Research'] },
    ]);
    expect(workspace.name).toBe('Acme Research');

    first.unmount();
    render(SettingsGeneral, props);
    expect((await loaded()).value).toBe('Acme Research');
    toast.clear();
  });

  // The page compares the name with the one it loaded; another window or
  // `meterdesk settings set` may have saved the same name meanwhile. The
  // backend then writes nothing, and the page says so instead of "Saved".
  it('says "unchanged" when the workspace had the name already (saved elsewhere meanwhile)', async () => {
    const { settings } = fakeSystem({ 'workspace.name': 'Old Co' });
    render(SettingsGeneral, props);
    const input = await loaded();
    settings.set('workspace.name', 'Acme Research'); // another process
    await fireEvent.input(input, { target: { value: 'Acme Research' } });
    await fireEvent.click(screen.getByTestId('settings-save'));
    expect((await screen.findByTestId('settings-saved')).textContent).toContain('Unchanged (nothing saved)');
    expect(toast.items.map((t) => t.message)).toContain('The workspace name is unchanged: the workspace had it already (nothing saved).');
    expect(toast.items.map((t) => t.message)).not.toContain('Workspace name saved.');
    expect(workspace.name).toBe('Acme Research');
    toast.clear();
  });

  it('rejects an empty name without calling the backend', async () => {
    const { fake } = fakeSystem({ 'workspace.name': 'Acme' });
    render(SettingsGeneral, props);
    const input = await loaded();
    await fireEvent.input(input, { target: { value: '   ' } });
    expect(screen.getByTestId('settings-workspace-name-error').textContent).toBe('Enter a name.');
    expect((screen.getByTestId('settings-save') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.submit(input.form!);
    expect(fake.calls.some((c) => c.method === 'SetSetting')).toBe(false);
  });

  it('rejects an over-long name', async () => {
    fakeSystem();
    render(SettingsGeneral, props);
    const input = await loaded();
    await fireEvent.input(input, { target: { value: 'x'.repeat(201) } });
    expect(screen.getByTestId('settings-workspace-name-error').textContent).toBe('At most 200 characters.');
  });

  it("shows a member the workspace name without a form (only an admin changes it)", async () => {
    const { fake } = fakeSystem({ 'workspace.name': 'Acme Research' }, {}, 'member');
    render(SettingsGeneral, props);
    await waitFor(() => expect(screen.getByTestId('settings-workspace-name-value').textContent).toBe('Acme Research'));
    expect(screen.queryByTestId('settings-workspace-name')).toBeNull();
    expect(screen.queryByTestId('settings-save')).toBeNull();
    expect(fake.calls.some((c) => c.method === 'SetSetting')).toBe(false);
  });

  it("shows the backend's refusal plainly (the admin role was taken away meanwhile)", async () => {
    fakeSystem({}, { 'System.SetSetting': () => { throw 'change workspace.name: forbidden: admin role required'; } });
    render(SettingsGeneral, props);
    const input = await loaded();
    await fireEvent.input(input, { target: { value: 'Hijack' } });
    await fireEvent.click(screen.getByTestId('settings-save'));
    expect((await screen.findByTestId('settings-save-error')).textContent).toContain('admin role required');
  });

  it('shows a save error from the backend and keeps the typed value', async () => {
    fakeSystem({}, { 'System.SetSetting': () => { throw 'write setting workspace.name: disk I/O error'; } });
    render(SettingsGeneral, props);
    const input = await loaded();
    await fireEvent.input(input, { target: { value: 'Acme' } });
    await fireEvent.click(screen.getByTestId('settings-save'));
    expect((await screen.findByTestId('settings-save-error')).textContent).toBe('write setting workspace.name: disk I/O error');
    expect(input.value).toBe('Acme');
  });

  it('shows a load error with a working retry', async () => {
    let fail = true;
    fakeSystem({ 'workspace.name': 'Acme' }, {
      'System.Info': () => {
        if (fail) throw 'open database: permission denied';
        return { version: '1', dataDir: '/d', dbPath: '/d/x.db' };
      },
    });
    render(SettingsGeneral, props);
    const banner = await screen.findByTestId('settings-load-error');
    expect(banner.textContent).toContain('open database: permission denied');
    fail = false;
    await fireEvent.click(screen.getByTestId('settings-load-error-retry'));
    expect((await loaded()).value).toBe('Acme');
    expect(screen.queryByTestId('settings-load-error')).toBeNull();
  });

  it('backs up to the chosen file', async () => {
    const { fake } = fakeSystem({}, {
      'System.ChooseBackupFile': () => '/home/u/backup.db',
      'System.Backup': (p: string) => p,
    });
    render(SettingsGeneral, props);
    await loaded();
    await fireEvent.click(screen.getByTestId('settings-backup'));
    expect((await screen.findByTestId('settings-backup-result')).textContent).toBe('/home/u/backup.db');
    expect(fake.calls.filter((c) => c.method === 'Backup')[0].args).toEqual(['/home/u/backup.db']);
    toast.clear();
  });

  it('does nothing when the save dialog is cancelled', async () => {
    const { fake } = fakeSystem({}, { 'System.ChooseBackupFile': () => '', 'System.Backup': () => 'x' });
    render(SettingsGeneral, props);
    await loaded();
    await fireEvent.click(screen.getByTestId('settings-backup'));
    await waitFor(() => expect((screen.getByTestId('settings-backup') as HTMLButtonElement).disabled).toBe(false));
    expect(fake.calls.some((c) => c.method === 'Backup')).toBe(false);
    expect(screen.queryByTestId('settings-backup-result')).toBeNull();
  });

  it('shows a backup failure', async () => {
    fakeSystem({}, {
      'System.ChooseBackupFile': () => '/ro/backup.db',
      'System.Backup': () => { throw 'backup to /ro/backup.db: read-only file system'; },
    });
    render(SettingsGeneral, props);
    await loaded();
    await fireEvent.click(screen.getByTestId('settings-backup'));
    expect((await screen.findByTestId('settings-backup-error')).textContent).toContain('read-only file system');
  });
});
