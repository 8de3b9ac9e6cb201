import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import SettingsZone from './SettingsZone.svelte';
import { asRole, baseWorkspace as base, fakeWorkspace } from '../test/fakeWorkspace';
import { session } from '../lib/session.svelte';
import { toast } from '../lib/toast.svelte';
import { fieldState, usable } from '../test/a11y';
import { refusal } from '../test/fakeBridge';

/** Go's check of zone names (a short list here). */
const fakeTeam = () =>
  fakeWorkspace((w) =>
    ['UTC', 'Europe/Berlin', 'America/Los_Angeles'].includes(w.timeZone)
      ? ''
      : refusal(`change the workspace: invalid input: time zone "${w.timeZone}" is not an IANA zone name`, `Time zone "${w.timeZone}" is not an IANA zone name`),
  );

afterEach(() => {
  session.set(null);
  toast.clear();
});

describe('Settings → General, time zone and lock', () => {
  it('an admin changes the zone and the idle lock; only they are sent, with what the card read, so another card\'s save stays', async () => {
    asRole('admin');
    const { fake, stored } = fakeTeam();
    render(SettingsZone);
    const zone = (await screen.findByTestId('settings-zone-input')) as HTMLInputElement;
    expect(zone.value).toBe('UTC');
    const save = screen.getByTestId('settings-zone-save') as HTMLButtonElement;
    // Unchanged: nothing to save, but focusable (aria-disabled), so the focus stays on it after a save.
    expect(save.disabled).toBe(false);
    expect(save.getAttribute('aria-disabled')).toBe('true');
    let rereads = 0;
    const reread = () => rereads++;
    window.addEventListener('team:session', reread);

    stored.name = 'Acme Research'; // saved by the name form meanwhile
    await fireEvent.input(zone, { target: { value: ' Europe/Berlin ' } });
    await fireEvent.input(screen.getByTestId('settings-idle-input'), { target: { value: '30' } });
    expect(save.getAttribute('aria-disabled')).toBe('false');
    save.focus();
    await fireEvent.submit(save.form!); // Enter on the focused Save
    await screen.findByTestId('settings-zone-saved');
    // Saved: nothing left to save; the focus stays on Save, and a press does nothing.
    expect(save.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(save);
    await fireEvent.submit(save.form!);
    expect(fake.calls.filter((c) => c.method === 'PatchWorkspace')).toHaveLength(1);
    const update = fake.calls.find((c) => c.method === 'PatchWorkspace');
    expect(update?.args[0]).toEqual({ timeZone: 'Europe/Berlin', idleLockMinutes: 30, read: base });
    expect(stored).toEqual({ ...base, name: 'Acme Research', timeZone: 'Europe/Berlin', idleLockMinutes: 30 });
    // The shell is asked to re-read the session, so the new idle lock applies now.
    expect(rereads).toBe(1);
    window.removeEventListener('team:session', reread);
  });

  // Go writes and audits nothing for a workspace it had already
  // (team.PatchWorkspace answers unchanged); the card said "Saved" and
  // "Days and months are now counted in …", as for a change.
  it('says a save of what the workspace has already (set meanwhile elsewhere) is unchanged', async () => {
    asRole('admin');
    const { fake, stored } = fakeTeam();
    render(SettingsZone);
    const zone = await screen.findByTestId('settings-zone-input');
    let rereads = 0;
    const reread = () => rereads++;
    window.addEventListener('team:session', reread);
    stored.timeZone = 'Europe/Berlin'; // set with the CLI meanwhile
    await fireEvent.input(zone, { target: { value: 'Europe/Berlin' } });
    await fireEvent.click(screen.getByTestId('settings-zone-save'));
    expect((await screen.findByTestId('settings-zone-saved')).textContent).toContain('Unchanged (nothing saved)');
    expect(toast.items.map((t) => [t.kind, t.message]))
      .toEqual([['info', 'The time zone and idle lock are unchanged: the workspace had them already (nothing saved).']]);
    expect(fake.calls.filter((c) => c.method === 'PatchWorkspace')).toHaveLength(1);
    expect(rereads).toBe(0); // nothing changed: the session needs no re-read
    window.removeEventListener('team:session', reread);
    // A real change afterwards says Saved again.
    await fireEvent.input(zone, { target: { value: 'UTC' } });
    expect(screen.queryByTestId('settings-zone-saved')).toBeNull();
    await fireEvent.click(screen.getByTestId('settings-zone-save'));
    expect((await screen.findByTestId('settings-zone-saved')).textContent).toContain('Saved');
    expect(toast.items.at(-1)?.kind).toBe('success');
  });

  it("shows the backend's refusal of an unknown zone and keeps what was stored", async () => {
    asRole('admin');
    const { stored } = fakeTeam();
    render(SettingsZone);
    const zone = await screen.findByTestId('settings-zone-input');
    await fireEvent.input(zone, { target: { value: 'Mars/Olympus_Mons' } });
    await fireEvent.click(screen.getByTestId('settings-zone-save'));
    const err = await screen.findByTestId('settings-zone-error');
    expect(err.textContent).toContain('not an IANA zone name');
    expect(stored.timeZone).toBe('UTC');
    // Editing the field again clears the refusal: it was about the old text.
    await fireEvent.input(zone, { target: { value: 'Europe/Berlin' } });
    expect(screen.queryByTestId('settings-zone-error')).toBeNull();
  });

  // Someone else (another window, `meterdesk workspace update`) changed the
  // zone after the card read it: the card's save would have undone that
  // without a word. Go refuses it, nothing written; the card keeps what was
  // typed, says what the zone is now, and Reload reads the workspace again:
  // the idle lock (not edited) shows its new value, the zone keeps the edit,
  // and Save then applies it knowingly.
  it('a zone changed elsewhere since the card read it: refused, edits kept, Reload, then saved over it', async () => {
    asRole('admin');
    const { fake, stored } = fakeTeam();
    render(SettingsZone);
    const zone = (await screen.findByTestId('settings-zone-input')) as HTMLInputElement;
    const idle = screen.getByTestId('settings-idle-input') as HTMLInputElement;
    stored.timeZone = 'America/Los_Angeles'; // `meterdesk workspace update --timezone … --idle-lock 45` meanwhile
    stored.idleLockMinutes = 45;
    await fireEvent.input(zone, { target: { value: 'Europe/Berlin' } });
    await fireEvent.click(screen.getByTestId('settings-zone-save'));
    const err = await screen.findByTestId('settings-zone-error');
    expect(err.textContent).toBe(
      'The time zone was changed by someone else since you opened it (now America/Los_Angeles): reload and try again',
    );
    expect(fake.calls.find((c) => c.method === 'PatchWorkspace')?.args[0]).toEqual({ timeZone: 'Europe/Berlin', read: base });
    expect(stored).toEqual({ ...base, timeZone: 'America/Los_Angeles', idleLockMinutes: 45 });
    expect([zone.value, idle.value]).toEqual(['Europe/Berlin', '15']); // the edit kept; nothing else moved under the user
    expect(toast.items).toEqual([]);
    // Typing on keeps the refusal and its Reload: they are about the workspace, not the text.
    await fireEvent.input(zone, { target: { value: 'Europe/Berlin ' } });
    expect(screen.getByTestId('settings-zone-error')).toBeTruthy();

    // Reload pressed from the keyboard goes with the refusal: the focus moves to Save, not to <body>.
    const reload = screen.getByTestId('settings-zone-reload');
    reload.focus();
    await fireEvent.click(reload);
    await screen.findByTestId('settings-zone-reloaded');
    expect(screen.queryByTestId('settings-zone-error')).toBeNull();
    expect(reload.isConnected).toBe(false);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('settings-zone-save')));
    expect([zone.value, idle.value]).toEqual(['Europe/Berlin ', '45']); // the edit as typed, the idle lock as stored now
    await fireEvent.click(screen.getByTestId('settings-zone-save'));
    expect((await screen.findByTestId('settings-zone-saved')).textContent).toContain('Saved');
    expect(fake.calls.filter((c) => c.method === 'PatchWorkspace').at(-1)?.args[0]).toEqual({
      timeZone: 'Europe/Berlin', read: { ...base, timeZone: 'America/Los_Angeles', idleLockMinutes: 45 },
    });
    expect(stored).toEqual({ ...base, timeZone: 'Europe/Berlin', idleLockMinutes: 45 });
  });

  // Reload moves the focus to Save; with an edit not valid Save cannot save,
  // but it is aria-disabled, not disabled, so it still takes the focus (a
  // disabled one left it on <body>), and a press does nothing. The edit
  // stays as typed: Reload put back the number it cleans to, so "ten" came
  // back as "NaN" (and "" as "0", " 2.5" as "2.5").
  it.each(['2000', 'ten', ' 2.5', '', '-1'])(
    'Reload with an idle lock not valid (%j): kept as typed, still refused; the focus goes to Save, which ignores a press',
    async (typed) => {
      asRole('admin');
      const { fake, stored } = fakeTeam();
      render(SettingsZone);
      const zone = (await screen.findByTestId('settings-zone-input')) as HTMLInputElement;
      const idle = screen.getByTestId('settings-idle-input') as HTMLInputElement;
      stored.timeZone = 'America/Los_Angeles';
      await fireEvent.input(zone, { target: { value: 'Europe/Berlin' } });
      await fireEvent.click(screen.getByTestId('settings-zone-save'));
      await screen.findByTestId('settings-zone-error');
      await fireEvent.input(idle, { target: { value: typed } });
      const reload = screen.getByTestId('settings-zone-reload');
      reload.focus();
      await fireEvent.click(reload);
      await screen.findByTestId('settings-zone-reloaded');
      const save = screen.getByTestId('settings-zone-save');
      await waitFor(() => expect(document.activeElement).toBe(save));
      expect(idle.value).toBe(typed);
      expect(fieldState(idle)).toEqual({ invalid: 'true', description: screen.getByTestId('settings-idle-error').textContent!.trim() });
      expect(usable(save)).toBe(false);
      const patches = fake.calls.filter((c) => c.method === 'PatchWorkspace').length;
      await fireEvent.click(save);
      expect(fake.calls.filter((c) => c.method === 'PatchWorkspace')).toHaveLength(patches);
      expect(idle.value).toBe(typed);
      expect(stored).toEqual({ ...base, timeZone: 'America/Los_Angeles' });
    },
  );

  it('refuses an idle lock that is not 0 to 1440 whole minutes without calling the backend', async () => {
    asRole('admin');
    const { fake } = fakeTeam();
    render(SettingsZone);
    const idle = await screen.findByTestId('settings-idle-input');
    for (const bad of ['-1', '1441', '2.5', 'ten', '']) {
      await fireEvent.input(idle, { target: { value: bad } });
      expect(fieldState(idle)).toEqual({ invalid: 'true', description: screen.getByTestId('settings-idle-error').textContent!.trim() });
      expect(usable(screen.getByTestId('settings-zone-save'))).toBe(false);
    }
    expect(fake.calls.some((c) => c.method === 'PatchWorkspace')).toBe(false);
  });

  it('a member sees the zone read-only', async () => {
    asRole('member');
    fakeTeam();
    render(SettingsZone);
    await waitFor(() => expect(screen.getByTestId('settings-zone-value').textContent).toBe('UTC'));
    expect(screen.queryByTestId('settings-zone-input')).toBeNull();
  });
});
