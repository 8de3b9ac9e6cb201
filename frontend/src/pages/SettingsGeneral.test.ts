import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import SettingsGeneral from './SettingsGeneral.svelte';
import type { FakeBridge } from '../test/fakeBridge';
import { asRole, fakeWorkspace } from '../test/fakeWorkspace';
import { workspace } from '../lib/workspace.svelte';
import { toast } from '../lib/toast.svelte';
import { usable } from '../test/a11y';
import { refusal } from '../test/fakeBridge';

const props = { params: {}, query: {} };

/**
 * A fake backend: System's information and backup, and the workspace as
 * Go's team.PatchWorkspace changes it (test/fakeWorkspace: only the fields
 * given, a field changed since the card read it refused), its name checked
 * as Go checks it.
 */
function fakeSystem(name = 'Acme', extra: Record<string, (...a: any[]) => unknown> = {}, role: 'admin' | 'member' = 'admin') {
  asRole(role);
  const { fake, stored } = fakeWorkspace((w) =>
    w.name.trim() === '' || [...w.name.trim()].length > 200
      ? refusal('change the workspace: invalid input: the workspace name must have 1 to 200 characters', 'The workspace name must have 1 to 200 characters')
      : '',
  );
  stored.name = name;
  const read = { ...stored };
  Object.assign(fake.handlers, {
    'System.Info': () => ({ version: '0.3.0', dataDir: '/home/u/.local/share/meterdesk', dbPath: '/home/u/.local/share/meterdesk/meterdesk.db' }),
    ...extra,
  });
  return { fake, stored, read };
}

async function loaded() {
  const input = screen.getByTestId('settings-workspace-name') as HTMLInputElement;
  await waitFor(() => expect(input.disabled).toBe(false));
  return input;
}

const patches = (fake: FakeBridge) => fake.calls.filter((c) => c.method === 'PatchWorkspace').map((c) => c.args[0]);

afterEach(() => toast.clear());

describe('Settings → General', () => {
  it('loads the name and info, saves only the name with the workspace read, and reads the saved value back after a reload', async () => {
    const { fake, stored, read } = fakeSystem('Old Co');
    const first = render(SettingsGeneral, props);
    const input = await loaded();
    expect(input.value).toBe('Old Co');
    await waitFor(() => expect(screen.getByTestId('settings-info-version').textContent).toBe('0.3.0'));
    expect(screen.getByTestId('settings-info-dbpath').textContent).toContain('meterdesk.db');

    const save = screen.getByTestId('settings-save') as HTMLButtonElement;
    // Unchanged: nothing to save, but focusable (aria-disabled), so the focus stays on it after a save.
    expect(save.disabled).toBe(false);
    expect(save.getAttribute('aria-disabled')).toBe('true');

    stored.timeZone = 'Europe/Berlin'; // saved by the zone card meanwhile: not the name's business
    await fireEvent.input(input, { target: { value: '  Acme Research  ' } });
    expect(save.getAttribute('aria-disabled')).toBe('false');
    save.focus();
    await fireEvent.submit(save.form!); // Enter on the focused Save
    await screen.findByTestId('settings-saved');
    // Saved: nothing left to save; the focus stays on Save, and a press does nothing.
    expect(save.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(save);
    await fireEvent.submit(save.form!);
    expect(patches(fake)).toEqual([{ name: 'Acme Research', read }]);
    expect(stored).toEqual({ ...read, name: 'Acme Research', timeZone: 'Europe/Berlin' });
    expect(fake.calls.some((c) => c.method === 'SetSetting')).toBe(false);
    expect(workspace.name).toBe('Acme Research');
    expect(toast.items.map((t) => t.message)).toContain('Workspace name saved.');

    first.unmount();
    render(SettingsGeneral, props);
    expect((await loaded()).value).toBe('Acme Research');
  });

  // The page compares the name with the one it loaded; another window or
  // `meterdesk workspace update --name` may have saved the same name
  // meanwhile. The backend then writes nothing, and the page says so
  // instead of "Saved".
  it('says "unchanged" when the workspace had the name already (saved elsewhere meanwhile)', async () => {
    const { stored } = fakeSystem('Old Co');
    render(SettingsGeneral, props);
    const input = await loaded();
    stored.name = 'Acme Research'; // another process
    await fireEvent.input(input, { target: { value: 'Acme Research' } });
    await fireEvent.click(screen.getByTestId('settings-save'));
    expect((await screen.findByTestId('settings-saved')).textContent).toContain('Unchanged (nothing saved)');
    expect(toast.items.map((t) => t.message)).toContain('The workspace name is unchanged: the workspace had it already (nothing saved).');
    expect(toast.items.map((t) => t.message)).not.toContain('Workspace name saved.');
    expect(workspace.name).toBe('Acme Research');
  });

  // Someone else renamed the workspace after the card read it: the card's
  // save would have undone that without a word (System.SetSetting had no
  // check). Go refuses it, nothing written; the card keeps the name typed,
  // says the name now, and Reload reads it again; Save then applies the
  // edit knowingly.
  it('a name changed elsewhere since the card read it: refused, the edit kept, Reload, then saved over it', async () => {
    const { fake, stored, read } = fakeSystem('Old Co');
    render(SettingsGeneral, props);
    const input = await loaded();
    stored.name = 'Beta Co'; // `meterdesk workspace update --name "Beta Co"` meanwhile
    await fireEvent.input(input, { target: { value: 'Acme Research' } });
    const save = screen.getByTestId('settings-save') as HTMLButtonElement;
    save.focus();
    await fireEvent.submit(save.form!);
    expect((await screen.findByTestId('settings-save-error')).textContent).toBe(
      'The workspace name was changed by someone else since you opened it (now "Beta Co"): reload and try again',
    );
    expect(patches(fake)).toEqual([{ name: 'Acme Research', read }]);
    expect(stored.name).toBe('Beta Co'); // nothing written
    expect(input.value).toBe('Acme Research');
    expect(document.activeElement).toBe(save);
    expect(toast.items).toEqual([]);
    // Typing on keeps the refusal and its Reload: they are about the workspace, not the text.
    await fireEvent.input(input, { target: { value: 'Acme Research ' } });
    expect(screen.getByTestId('settings-save-error')).toBeTruthy();

    // Reload pressed from the keyboard goes with the refusal: the focus moves to Save.
    const reload = screen.getByTestId('settings-reload');
    reload.focus();
    await fireEvent.click(reload);
    await screen.findByTestId('settings-reloaded');
    expect(reload.isConnected).toBe(false);
    await waitFor(() => expect(document.activeElement).toBe(save));
    expect(input.value).toBe('Acme Research '); // the edit kept as typed (Save trims it, as Go stores it)
    expect(workspace.name).toBe('Beta Co'); // the sidebar shows the name stored now
    await fireEvent.submit(save.form!);
    expect((await screen.findByTestId('settings-saved')).textContent).toContain('Saved');
    expect(patches(fake).at(-1)).toEqual({ name: 'Acme Research', read: { ...read, name: 'Beta Co' } });
    expect(stored.name).toBe('Acme Research');
    expect(workspace.name).toBe('Acme Research');
  });

  it('rejects an empty name without calling the backend', async () => {
    const { fake } = fakeSystem('Acme');
    render(SettingsGeneral, props);
    const input = await loaded();
    await fireEvent.input(input, { target: { value: '   ' } });
    expect(screen.getByTestId('settings-workspace-name-error').textContent).toBe('Enter a name.');
    expect(usable(screen.getByTestId('settings-save'))).toBe(false);
    await fireEvent.submit(input.form!);
    expect(fake.calls.some((c) => c.method === 'PatchWorkspace')).toBe(false);
  });

  it('rejects an over-long name without calling the backend', async () => {
    const { fake } = fakeSystem();
    render(SettingsGeneral, props);
    const input = await loaded();
    await fireEvent.input(input, { target: { value: 'x'.repeat(201) } });
    expect(screen.getByTestId('settings-workspace-name-error').textContent).toBe('At most 200 characters.');
    await fireEvent.submit(input.form!);
    expect(fake.calls.some((c) => c.method === 'PatchWorkspace')).toBe(false);
  });

  it("shows a member the workspace name without a form (only an admin changes it)", async () => {
    const { fake } = fakeSystem('Acme Research', {}, 'member');
    render(SettingsGeneral, props);
    await waitFor(() => expect(screen.getByTestId('settings-workspace-name-value').textContent).toBe('Acme Research'));
    expect(screen.queryByTestId('settings-workspace-name')).toBeNull();
    expect(screen.queryByTestId('settings-save')).toBeNull();
    expect(fake.calls.some((c) => c.method === 'PatchWorkspace')).toBe(false);
  });

  it("shows the backend's refusal plainly (the admin role was taken away meanwhile)", async () => {
    fakeSystem('Acme', { 'Team.PatchWorkspace': () => { throw 'change the workspace: forbidden: admin role required'; } });
    render(SettingsGeneral, props);
    const input = await loaded();
    await fireEvent.input(input, { target: { value: 'Hijack' } });
    await fireEvent.click(screen.getByTestId('settings-save'));
    expect((await screen.findByTestId('settings-save-error')).textContent).toContain('admin role required');
    expect(screen.queryByTestId('settings-reload')).toBeNull(); // not a change elsewhere: nothing to reload
  });

  it('shows a save error from the backend and keeps the typed value', async () => {
    fakeSystem('Acme', { 'Team.PatchWorkspace': () => { throw 'change the workspace: write setting workspace.name: disk I/O error'; } });
    render(SettingsGeneral, props);
    const input = await loaded();
    await fireEvent.input(input, { target: { value: 'Acme Co' } });
    await fireEvent.click(screen.getByTestId('settings-save'));
    expect((await screen.findByTestId('settings-save-error')).textContent).toContain('write setting workspace.name: disk I/O error');
    expect(input.value).toBe('Acme Co');
  });

  it('says in the card why the workspace could not be read', async () => {
    fakeSystem('Acme', { 'Team.Workspace': () => { throw 'read the workspace: database is locked'; } });
    render(SettingsGeneral, props);
    expect((await screen.findByTestId('settings-workspace-load-error')).textContent).toContain('database is locked');
    expect(screen.queryByTestId('settings-workspace-name')).toBeNull();
  });

  it('shows a load error with a working retry', async () => {
    let fail = true;
    fakeSystem('Acme', {
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

  // The backend refuses a member a backup (core.Backend.Backup, admins
  // only): the card is shown to admins only, as Check database and Restore
  // are, and File → Back Up Database… (?backup=1) starts none for a member.
  it('shows a member no Backup card, and starts no backup for the menu\'s ?backup=1', async () => {
    const { fake } = fakeSystem('Acme', { 'System.ChooseBackupFile': () => '/home/u/backup.db', 'System.Backup': (p: string) => p }, 'member');
    render(SettingsGeneral, { params: {}, query: { backup: '1' } });
    await waitFor(() => expect(screen.getByTestId('settings-workspace-name-value').textContent).toBe('Acme'));
    expect(screen.queryByTestId('settings-backup')).toBeNull();
    expect(screen.queryByText('Backup')).toBeNull();
    expect(screen.queryByTestId('settings-check-run')).toBeNull();
    expect(fake.calls.some((c) => c.method === 'ChooseBackupFile' || c.method === 'Backup')).toBe(false);
  });

  it('backs up to the chosen file', async () => {
    const { fake } = fakeSystem('Acme', {
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
    const { fake } = fakeSystem('Acme', { 'System.ChooseBackupFile': () => '', 'System.Backup': () => 'x' });
    render(SettingsGeneral, props);
    await loaded();
    await fireEvent.click(screen.getByTestId('settings-backup'));
    await waitFor(() => expect(screen.getByTestId('settings-backup').getAttribute('aria-disabled')).toBe('false'));
    expect(fake.calls.some((c) => c.method === 'Backup')).toBe(false);
    expect(screen.queryByTestId('settings-backup-result')).toBeNull();
  });

  it('shows a backup failure', async () => {
    fakeSystem('Acme', {
      'System.ChooseBackupFile': () => '/ro/backup.db',
      'System.Backup': () => { throw 'backup to /ro/backup.db: read-only file system'; },
    });
    render(SettingsGeneral, props);
    await loaded();
    await fireEvent.click(screen.getByTestId('settings-backup'));
    expect((await screen.findByTestId('settings-backup-error')).textContent).toContain('read-only file system');
  });
});
