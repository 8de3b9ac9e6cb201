import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import SettingsCheck from './SettingsCheck.svelte';
import SettingsGeneral from './SettingsGeneral.svelte';
import { installFakeBridge } from '../test/fakeBridge';
import { fieldState } from '../test/a11y';
import { session } from '../lib/session.svelte';

const sound = { file: '/d/meterdesk.db', bytes: 5 * 2 ** 20 + 300 * 2 ** 10, ok: true };
const problem =
  'the database file is damaged: /d/meterdesk.db: Tree 84 page 84: btreeInitPage() returns error code 11; Page 85: never used; Page 86: never used; and 97 more';

/** A promise the test settles, for a check still reading. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const result = () => screen.getByTestId('settings-check-result');
const button = () => screen.getByTestId('settings-check-run') as HTMLButtonElement;

afterEach(() => vi.useRealTimers());

describe('Settings → General → Check database', () => {
  it('is busy while it reads, then says the database is sound, its size and that it was checked just now', async () => {
    const d = deferred<typeof sound>();
    const f = installFakeBridge({ 'System.CheckDatabase': () => d.promise });
    render(SettingsCheck);
    expect(button().textContent?.trim()).toBe('Check database');
    expect(result().textContent?.trim()).toBe('');
    button().focus();
    await fireEvent.click(button()); // Enter on the focused button
    // Busy: aria-disabled, not disabled, which would drop the focus to <body>.
    expect(button().disabled).toBe(false);
    expect(button().getAttribute('aria-disabled')).toBe('true');
    expect(button().getAttribute('aria-busy')).toBe('true');
    expect(button().textContent?.trim()).toBe('Checking…');
    expect(result().textContent?.trim()).toBe('Reading every page…');
    expect(document.activeElement).toBe(button());
    await fireEvent.click(button()); // pressed again while busy: no second check
    d.resolve(sound);
    await waitFor(() => expect(result().textContent?.trim()).toBe('Database is sound (5.3 MB, checked just now).'));
    expect(button().getAttribute('aria-disabled')).toBe('false');
    expect(button().getAttribute('aria-busy')).toBe('false');
    expect(document.activeElement).toBe(button());
    expect(f.calls).toEqual([{ struct: 'System', method: 'CheckDatabase', args: [] }]);
  });

  it('says the time it was checked once a minute has passed', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(new Date('2026-11-23T14:05:00Z'));
    session.set({ signedIn: true, actor: { userId: 1, name: 'alice', role: 'admin' }, timeZone: 'UTC' } as never);
    installFakeBridge({ 'System.CheckDatabase': () => ({ ...sound, bytes: 700 * 2 ** 10 }) });
    render(SettingsCheck);
    await fireEvent.click(button());
    await waitFor(() => expect(result().textContent?.trim()).toBe('Database is sound (700 KB, checked just now).'));
    vi.advanceTimersByTime(90_000);
    await tick();
    expect(result().textContent?.trim()).toMatch(/^Database is sound \(700 KB, checked 2026-11-23 \d\d:05\)\.$/);
  });

  it('names the damage and the way out: the Restore card or meterdesk restore FILE', async () => {
    installFakeBridge({ 'System.CheckDatabase': () => ({ file: '/d/meterdesk.db', bytes: 81920, ok: false, problem }) });
    render(SettingsCheck);
    await fireEvent.click(button());
    await waitFor(() => expect(result().textContent).toContain('The database file is damaged: /d/meterdesk.db: Tree 84 page 84'));
    const text = result().textContent ?? '';
    expect(text).not.toContain('is sound');
    expect(text).toContain('and 97 more.');
    expect(text).toContain('Restore from backup… below');
    expect(text).toContain('meterdesk restore FILE');
    expect(result().classList.contains('bad')).toBe(true);
  });

  it("shows the backend's refusal (a member) and checks again on the next click", async () => {
    let refuse = true;
    installFakeBridge({
      'System.CheckDatabase': () => {
        if (refuse) throw 'check the database: not allowed for your role (admin only)';
        return sound;
      },
    });
    render(SettingsCheck);
    await fireEvent.click(button());
    await waitFor(() => expect(result().textContent?.trim()).toBe('Not checked: check the database: not allowed for your role (admin only)'));
    refuse = false;
    await fireEvent.click(button());
    await waitFor(() => expect(result().textContent).toContain('Database is sound'));
  });

  it('is a keyboard button whose result is announced and describes it', async () => {
    installFakeBridge({ 'System.CheckDatabase': () => sound });
    render(SettingsCheck);
    expect(button().tagName).toBe('BUTTON');
    expect(button().type).toBe('button');
    button().focus();
    expect(document.activeElement).toBe(button());
    expect(result().getAttribute('role')).toBe('status');
    await fireEvent.click(button());
    await waitFor(() => expect(fieldState(button()).description).toContain('Database is sound'));
  });

  it('is shown to admins only, above the Restore card', async () => {
    for (const [role, shown] of [['admin', true], ['member', false]] as const) {
      session.set({ signedIn: true, actor: { userId: 1, name: 'alice', role } } as never);
      installFakeBridge({
        'System.Info': () => ({ version: '0.3.0', dataDir: '/d', dbPath: '/d/meterdesk.db' }),
        'System.GetSetting': () => 'Acme',
        'System.RestoreStatus': () => ({ pending: null, finished: null }),
      });
      const r = render(SettingsGeneral, { params: {}, query: {} });
      await screen.findByTestId('settings-info-version');
      expect(!!screen.queryByTestId('settings-check')).toBe(shown);
      if (shown) {
        const restore = screen.getByTestId('settings-restore');
        expect(screen.getByTestId('settings-check').compareDocumentPosition(restore) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
      }
      r.unmount();
    }
  });
});
