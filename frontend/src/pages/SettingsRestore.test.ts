import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import SettingsRestore from './SettingsRestore.svelte';
import SettingsGeneral from './SettingsGeneral.svelte';
import Dialog from '../components/Dialog.svelte';
import { installFakeBridge } from '../test/fakeBridge';
import { session } from '../lib/session.svelte';

const summary = {
  file: '/backups/acme.db',
  sizeBytes: 81920,
  modified: '2026-11-20T10:00:00Z',
  workspace: 'Acme',
  members: 3,
  transfers: 1204,
  lastActivity: '2026-11-20T09:58:00Z',
  poolBalance: '1500',
};
const staged = { id: 'ab12cd34', stagedAt: '2026-11-22T08:00:00Z', stagedBy: 'alice', previous: 'meterdesk.db.before-restore-20261122-080000-ab12', kept: '/d/meterdesk.db.before-restore-20261122-080000-ab12', backup: summary };

/** A fake System whose restore state moves as the backend's would. */
function fakeRestore(over: Record<string, (...a: any[]) => unknown> = {}, pending: typeof staged | null = null) {
  let state: { pending: typeof staged | null; finished: typeof staged | null } = { pending, finished: null };
  return installFakeBridge({
    'System.RestoreStatus': () => state,
    'System.ChooseRestoreFile': () => '/backups/acme.db',
    'System.CheckBackup': () => summary,
    'System.StageRestore': () => ((state = { ...state, pending: staged }), staged),
    'System.CancelRestore': () => ((state = { ...state, pending: null }), state),
    'System.Restart': () => true,
    ...over,
  });
}

const methods = (f: ReturnType<typeof installFakeBridge>) => f.calls.map((c) => c.method);

describe('Settings → General → Restore', () => {
  it('checks the chosen backup, describes it, and only after the confirmation stages it and restarts', async () => {
    const f = fakeRestore();
    render(Dialog);
    render(SettingsRestore);
    await fireEvent.click(await screen.findByTestId('settings-restore-choose'));
    expect((await screen.findByTestId('dialog-title')).textContent).toBe('Restore “Acme”?');
    const msg = screen.getByTestId('dialog-message').textContent ?? '';
    expect(msg).toContain('/backups/acme.db: 3 members, 1,500.00 credits in the pool, 1,204 ledger transfers');
    expect(msg).toContain('The current database is kept');
    expect(screen.getByTestId('dialog-ok').textContent).toBe('Restore and restart');
    expect(methods(f)).toEqual(['RestoreStatus', 'ChooseRestoreFile', 'CheckBackup']);
    await fireEvent.click(screen.getByTestId('dialog-ok'));
    await waitFor(() => expect(methods(f)).toEqual(['RestoreStatus', 'ChooseRestoreFile', 'CheckBackup', 'StageRestore', 'Restart']));
    expect(f.calls.find((c) => c.method === 'StageRestore')?.args).toEqual(['/backups/acme.db', false]);
  });

  // A backup of another workspace: the confirmation says, in the backend's
  // words and first, that it replaces this workspace; cancelled, nothing is
  // staged; confirmed, the stage is asked with that consent.
  it('says a backup of another workspace replaces this one before it stages it with consent', async () => {
    const note = 'this backup is of another workspace, "Beta", not of "Acme", the one in this data folder: restoring it replaces "Acme"';
    const other = { ...summary, workspace: 'Beta', otherWorkspace: true, currentWorkspace: 'Acme', workspaceNote: note };
    const f = fakeRestore({ 'System.CheckBackup': () => other });
    render(Dialog);
    render(SettingsRestore);
    await fireEvent.click(await screen.findByTestId('settings-restore-choose'));
    expect((await screen.findByTestId('dialog-title')).textContent).toBe('Replace “Acme” with another workspace?');
    expect(screen.getByTestId('dialog-message').textContent).toMatch(/^This backup is of another workspace, "Beta", not of "Acme"/);
    await fireEvent.click(screen.getByTestId('dialog-cancel'));
    await waitFor(() => expect(screen.queryByTestId('dialog')).toBeNull());
    expect(methods(f)).not.toContain('StageRestore');
    await fireEvent.click(screen.getByTestId('settings-restore-choose'));
    await screen.findByTestId('dialog-title');
    await fireEvent.click(screen.getByTestId('dialog-ok'));
    await waitFor(() => expect(methods(f)).toContain('Restart'));
    expect(f.calls.find((c) => c.method === 'StageRestore')?.args).toEqual(['/backups/acme.db', true]);
  });

  // The backup's last transfer is in the backup's own zone, as `meterdesk
  // restore --check` prints it, named when it is not this workspace's; a
  // summary without one (staged by an older version) is in this workspace's.
  it.each([
    ['America/New_York', 'the last on 2026-11-20 04:58 (America/New_York)'],
    ['Europe/Berlin', 'the last on 2026-11-20 10:58'],
    [undefined, 'the last on 2026-11-20 10:58'],
  ])("shows the backup's last transfer in its own zone (%s)", async (timeZone, want) => {
    session.timeZone = 'Europe/Berlin';
    try {
      fakeRestore({ 'System.CheckBackup': () => ({ ...summary, timeZone }) });
      render(Dialog);
      render(SettingsRestore);
      await fireEvent.click(await screen.findByTestId('settings-restore-choose'));
      await screen.findByTestId('dialog-title');
      const msg = screen.getByTestId('dialog-message').textContent ?? '';
      expect(msg).toContain(`1,204 ledger transfers, ${want}`);
      expect(msg.includes('(')).toBe(want.includes('('));
      await fireEvent.click(screen.getByTestId('dialog-cancel'));
      await waitFor(() => expect(screen.queryByTestId('dialog')).toBeNull());
    } finally {
      session.timeZone = '';
    }
  });

  // The backup holds provider keys this machine cannot open: the
  // confirmation, and the waiting restore, say so in the backend's words
  // (the sentence `meterdesk restore --check` prints too).
  it("says which providers' keys are to be typed again, as the backend words it", async () => {
    const keysNote = 'The API key of 1 provider (cloud) cannot be opened on this machine: … After the restore, type it again: Settings → Providers, …';
    const withKeys = { ...summary, keysToEnter: ['cloud'], keysNote };
    fakeRestore({ 'System.CheckBackup': () => withKeys }, { ...staged, backup: withKeys });
    render(SettingsRestore);
    expect((await screen.findByTestId('settings-restore-pending-keys')).textContent).toBe(keysNote);

    fakeRestore({ 'System.CheckBackup': () => withKeys });
    render(Dialog);
    const { container } = render(SettingsRestore);
    const choose = await waitFor(() => {
      const b = container.querySelector<HTMLButtonElement>('[data-testid="settings-restore-choose"]');
      expect(b).not.toBeNull();
      return b!;
    });
    await fireEvent.click(choose);
    await screen.findByTestId('dialog-title');
    expect(screen.getByTestId('dialog-message').textContent).toContain('meterdesk serve first. ' + keysNote);
    await fireEvent.click(screen.getByTestId('dialog-cancel'));
    await waitFor(() => expect(screen.queryByTestId('dialog')).toBeNull());
  });

  it('a cancelled file dialog or confirmation stages nothing', async () => {
    const f = fakeRestore({ 'System.ChooseRestoreFile': () => '' });
    render(Dialog);
    render(SettingsRestore);
    await fireEvent.click(await screen.findByTestId('settings-restore-choose'));
    await waitFor(() => expect(methods(f)).toContain('ChooseRestoreFile'));
    expect(methods(f)).not.toContain('CheckBackup');

    const g = fakeRestore();
    await fireEvent.click(screen.getByTestId('settings-restore-choose'));
    await fireEvent.click(await screen.findByTestId('dialog-cancel'));
    await waitFor(() => expect(screen.queryByTestId('dialog')).toBeNull());
    expect(methods(g)).not.toContain('StageRestore');
    expect(methods(g)).not.toContain('Restart');
  });

  it('shows why a backup is refused, and stages nothing', async () => {
    const f = fakeRestore({
      'System.CheckBackup': () => {
        throw "restore: the backup's ledger does not add up: sum over all accounts is 0.01, not 0";
      },
    });
    render(Dialog);
    render(SettingsRestore);
    await fireEvent.click(await screen.findByTestId('settings-restore-choose'));
    const banner = await screen.findByTestId('settings-restore-error');
    expect(banner.textContent).toContain('Restore refused');
    expect(banner.textContent).toContain('does not add up');
    expect(screen.queryByTestId('dialog')).toBeNull();
    expect(methods(f)).not.toContain('StageRestore');
  });

  it('a staged restore that could not restart stays, with Restart now and Cancel', async () => {
    const f = fakeRestore({
      'System.Restart': () => {
        throw 'restart Meterdesk: exec: permission denied (quit and open it again)';
      },
    });
    render(Dialog);
    render(SettingsRestore);
    await fireEvent.click(await screen.findByTestId('settings-restore-choose'));
    await fireEvent.click(await screen.findByTestId('dialog-ok'));
    const banner = await screen.findByTestId('settings-restore-error');
    expect(banner.textContent).toContain('Could not restart Meterdesk');
    expect(banner.textContent).toContain('quit and open it again');
    const pending = await screen.findByTestId('settings-restore-pending');
    expect(pending.textContent).toContain('staged by alice');
    expect(pending.textContent).toContain('Acme');
    await fireEvent.click(screen.getByTestId('settings-restore-cancel'));
    await waitFor(() => expect(screen.queryByTestId('settings-restore-pending')).toBeNull());
    expect(methods(f)).toContain('CancelRestore');
    expect(screen.getByTestId('settings-restore-choose')).toBeTruthy();
  });

  it('a waiting restore can be finished with Restart now', async () => {
    const f = fakeRestore({}, staged);
    render(SettingsRestore);
    await fireEvent.click(await screen.findByTestId('settings-restore-restart'));
    await waitFor(() => expect(methods(f)).toEqual(['RestoreStatus', 'Restart']));
  });

  it('says which restore finished at start-up', async () => {
    installFakeBridge({ 'System.RestoreStatus': () => ({ pending: null, finished: staged }) });
    render(SettingsRestore);
    const done = await screen.findByTestId('settings-restore-finished');
    expect(done.textContent).toContain('/backups/acme.db');
    expect(done.textContent).toContain(staged.kept);
  });

  it('is shown to admins only', async () => {
    for (const [role, shown] of [['admin', true], ['member', false]] as const) {
      session.set({ signedIn: true, actor: { userId: 1, name: 'alice', role } } as never);
      fakeRestore({
        'System.Info': () => ({ version: '0.3.0', dataDir: '/d', dbPath: '/d/meterdesk.db' }),
        'System.GetSetting': () => 'Acme',
      });
      const r = render(SettingsGeneral, { params: {}, query: {} });
      await screen.findByTestId('settings-info-version');
      expect(!!screen.queryByTestId('settings-restore')).toBe(shown);
      r.unmount();
    }
  });
});
