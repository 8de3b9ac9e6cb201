import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import TeamAuthGate from './TeamAuthGate.svelte';
import { installFakeBridge, installFakeRuntime, refusal } from '../test/fakeBridge';
import type { Session } from '../api/team';
import { session as shellSession } from '../lib/session.svelte';
import { fieldState, usable } from '../test/a11y';
import { dialog } from '../lib/dialog.svelte';

const children = createRawSnippet(() => ({ render: () => '<p data-testid="shell">the app</p>' }));
const admin = { userId: 1, name: 'alice', role: 'admin' as const, system: false };
const signedIn = (idle = 15): Session => ({ signedIn: true, needsSetup: false, actor: admin, workspace: 'Acme', idleLockMinutes: idle, timeZone: 'UTC' });
const signedOut: Session = { signedIn: false, needsSetup: false, actor: { userId: 0, name: '', role: 'member', system: false }, workspace: '', idleLockMinutes: 0, timeZone: '' };

afterEach(() => vi.useRealTimers());

describe('TeamAuthGate', () => {
  it('sets the shell session before the app mounts, so a page reading the role as it mounts sees the admin', async () => {
    shellSession.set(null);
    installFakeBridge({ 'Team.CurrentUser': () => signedIn() });
    let roleAtMount = '';
    const app = createRawSnippet(() => ({
      render: () => '<p data-testid="shell">the app</p>',
      setup: () => {
        roleAtMount = shellSession.role;
      },
    }));
    render(TeamAuthGate, { children: app });
    await screen.findByTestId('shell');
    expect(roleAtMount).toBe('admin');
  });

  it('runs the first-run wizard, then shows the app', async () => {
    const fake = installFakeBridge({
      'Team.CurrentUser': () => ({ ...signedOut, needsSetup: true }),
      'Team.Setup': () => signedIn(),
    });
    render(TeamAuthGate, { children });
    await screen.findByTestId('team-wizard');
    const next = screen.getByTestId('team-wizard-next') as HTMLButtonElement;
    expect(usable(next)).toBe(false);
    await fireEvent.input(screen.getByTestId('team-wizard-name'), { target: { value: 'Acme' } });
    // Each problem of step 1 is said under Next, before going on.
    await fireEvent.input(screen.getByTestId('team-wizard-credit-value'), { target: { value: '-5' } });
    expect(usable(next)).toBe(false);
    expect(screen.getByTestId('team-wizard-problem').textContent).toContain('positive amount');
    // The ledger's rule: at most 12 decimal places (as `credits value`).
    await fireEvent.input(screen.getByTestId('team-wizard-credit-value'), { target: { value: '0.0000000000001' } });
    expect(screen.getByTestId('team-wizard-problem').textContent).toContain('at most 12 decimal places');
    await fireEvent.input(screen.getByTestId('team-wizard-credit-value'), { target: { value: '0.000000000001' } });
    expect(screen.queryByTestId('team-wizard-problem')?.textContent ?? '').not.toContain('credit is worth');
    await fireEvent.input(screen.getByTestId('team-wizard-credit-value'), { target: { value: '0.01' } });
    await fireEvent.input(screen.getByTestId('team-wizard-timezone'), { target: { value: 'Mars/Phobos' } });
    expect(usable(next)).toBe(false);
    expect(screen.getByTestId('team-wizard-problem').textContent).toContain('"Mars/Phobos" is not a time zone name');
    await fireEvent.input(screen.getByTestId('team-wizard-timezone'), { target: { value: 'Europe/Berlin' } });
    expect(screen.queryByTestId('team-wizard-problem')).toBeNull();
    await fireEvent.click(next);
    await fireEvent.input(screen.getByTestId('team-wizard-admin'), { target: { value: 'alice' } });
    await fireEvent.input(screen.getByTestId('team-wizard-secret'), { target: { value: 'correct horse' } });
    const submit = screen.getByTestId('team-wizard-submit') as HTMLButtonElement;
    await fireEvent.input(screen.getByTestId('team-wizard-confirm'), { target: { value: 'correct horsE' } });
    // Confirmation differs: not usable, and said so one way (aria-disabled, never also disabled, which disagreed).
    expect(usable(submit)).toBe(false);
    expect(submit.getAttribute('aria-disabled')).toBe('true');
    await fireEvent.click(submit); // a press is ignored
    expect(fake.calls.some((c) => c.method === 'Setup')).toBe(false);
    await fireEvent.input(screen.getByTestId('team-wizard-confirm'), { target: { value: 'correct horse' } });
    expect(submit.getAttribute('aria-disabled')).toBe('false');
    expect(screen.queryByTestId('team-wizard-confirm-error')).toBeNull();
    await fireEvent.click(submit);
    await screen.findByTestId('shell');
    const setup = fake.calls.find((c) => c.method === 'Setup');
    expect(setup?.args[0]).toMatchObject({ name: 'Acme', currency: 'EUR', creditValue: '0.01', timeZone: 'Europe/Berlin', adminName: 'alice', secretKind: 'password', secret: 'correct horse' });
  });

  it("keeps the focus on Create workspace while it creates (aria-disabled, a press ignored) and through Go's refusal", async () => {
    let refuse = (_: string) => {};
    const fake = installFakeBridge({
      'Team.CurrentUser': () => ({ ...signedOut, needsSetup: true }),
      'Team.Setup': () => new Promise((_, reject) => (refuse = reject)),
    });
    render(TeamAuthGate, { children });
    await fireEvent.input(await screen.findByTestId('team-wizard-name'), { target: { value: 'Acme' } });
    await fireEvent.click(screen.getByTestId('team-wizard-next'));
    await fireEvent.input(screen.getByTestId('team-wizard-admin'), { target: { value: 'alice' } });
    await fireEvent.input(screen.getByTestId('team-wizard-secret'), { target: { value: 'correct horse' } });
    await fireEvent.input(screen.getByTestId('team-wizard-confirm'), { target: { value: 'correct horse' } });
    const submit = screen.getByTestId('team-wizard-submit') as HTMLButtonElement;
    expect(submit.getAttribute('aria-disabled')).toBe('false');
    submit.focus();
    await fireEvent.submit(submit.form!); // Enter on the focused button
    await waitFor(() => expect(submit.getAttribute('aria-disabled')).toBe('true'));
    expect(submit.disabled).toBe(false);
    expect(submit.textContent?.trim()).toBe('Creating…');
    expect(document.activeElement).toBe(submit);
    await fireEvent.submit(submit.form!); // a second press while it creates
    expect(fake.calls.filter((c) => c.method === 'Setup')).toHaveLength(1);
    refuse('set up the workspace: the workspace is set up already');
    expect((await screen.findByTestId('team-wizard-error')).textContent).toContain('set up already');
    expect(submit.getAttribute('aria-disabled')).toBe('false');
    expect(document.activeElement).toBe(submit);
  });

  it('says what is missing when Next or Create workspace is pressed too soon, and puts the cursor in that field', async () => {
    const fake = installFakeBridge({ 'Team.CurrentUser': () => ({ ...signedOut, needsSetup: true }) });
    render(TeamAuthGate, { children });
    const name = await screen.findByTestId('team-wizard-name');
    const next = screen.getByTestId('team-wizard-next') as HTMLButtonElement;
    // Nothing is said before a press (an empty form is not an error).
    expect(screen.queryByTestId('team-wizard-problem')).toBeNull();
    next.focus();
    await fireEvent.submit(next.form!); // Enter on Next, aria-disabled: it says why instead of nothing
    expect(screen.getByTestId('team-wizard-problem').textContent).toBe('Enter the workspace name.');
    expect(Object.values(fieldState(next))).toEqual([null, 'Enter the workspace name.']);
    await waitFor(() => expect(document.activeElement).toBe(name));
    expect(screen.queryByTestId('team-wizard-admin')).toBeNull(); // still step 1
    // A later field at fault gets the cursor.
    await fireEvent.input(name, { target: { value: 'Acme' } });
    await fireEvent.input(screen.getByTestId('team-wizard-currency'), { target: { value: 'E1' } });
    await fireEvent.click(next);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('team-wizard-currency')));
    await fireEvent.input(screen.getByTestId('team-wizard-currency'), { target: { value: 'EUR' } });
    expect(usable(next)).toBe(true);
    await fireEvent.click(next);

    const said = (testid: string) => Object.values(fieldState(screen.getByTestId(testid)));
    const submit = screen.getByTestId('team-wizard-submit') as HTMLButtonElement;
    expect(said('team-wizard-admin')).toEqual([null, '']);
    // Create workspace with everything empty: each field says what it needs; the cursor goes to the first.
    await fireEvent.click(submit);
    await waitFor(() => expect(said('team-wizard-admin')).toEqual(['true', 'Enter a sign-in name.']));
    expect(said('team-wizard-secret')).toEqual(['true', 'Enter a password.']);
    expect(said('team-wizard-confirm')).toEqual([null, '']); // nothing to repeat yet
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('team-wizard-admin')));
    // An empty password is asked for; a short one keeps the length rule; emptied again, asked for again.
    // Go's words (team.SecretProblem, asked as it is typed).
    for (const [typed, says] of [['short', 'A password needs at least 8 characters.'], ['', 'Enter a password.']]) {
      await fireEvent.input(screen.getByTestId('team-wizard-secret'), { target: { value: typed } });
      await waitFor(() => expect(said('team-wizard-secret')).toEqual(['true', says]));
    }
    // Only the sign-in name missing (the reported case): said at that field, the cursor there.
    await fireEvent.input(screen.getByTestId('team-wizard-secret'), { target: { value: 'correct horse' } });
    await fireEvent.input(screen.getByTestId('team-wizard-confirm'), { target: { value: 'correct horse' } });
    submit.focus();
    await fireEvent.submit(submit.form!);
    await waitFor(() => expect(said('team-wizard-admin')).toEqual(['true', 'Enter a sign-in name.']));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('team-wizard-admin')));
    // The repeat left empty is said at its field.
    await fireEvent.input(screen.getByTestId('team-wizard-admin'), { target: { value: 'alice' } });
    await fireEvent.input(screen.getByTestId('team-wizard-confirm'), { target: { value: '' } });
    await fireEvent.click(submit);
    await waitFor(() => expect(said('team-wizard-confirm')).toEqual(['true', 'Repeat the password.']));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('team-wizard-confirm')));
    expect(fake.calls.some((c) => c.method === 'Setup')).toBe(false);
  });

  it('says under each field of the first admin what is wrong, linked to the field (aria-invalid, aria-describedby)', async () => {
    installFakeBridge({ 'Team.CurrentUser': () => ({ ...signedOut, needsSetup: true }) });
    render(TeamAuthGate, { children });
    await fireEvent.input(await screen.findByTestId('team-wizard-name'), { target: { value: 'Acme' } });
    await fireEvent.click(screen.getByTestId('team-wizard-next'));
    const said = (testid: string) => Object.values(fieldState(screen.getByTestId(testid)));
    await fireEvent.input(screen.getByTestId('team-wizard-admin'), { target: { value: 'alice smith' } });
    expect(said('team-wizard-admin')).toEqual(['true', expect.stringContaining('no spaces')]);
    await fireEvent.input(screen.getByTestId('team-wizard-admin'), { target: { value: 'alice' } });
    expect(said('team-wizard-admin')).toEqual([null, '']);
    expect(said('team-wizard-secret')).toEqual([null, 'At least 8 characters.']);
    await fireEvent.input(screen.getByTestId('team-wizard-secret'), { target: { value: 'short' } });
    await waitFor(() => expect(said('team-wizard-secret')).toEqual(['true', 'A password needs at least 8 characters.']));
    await fireEvent.input(screen.getByTestId('team-wizard-confirm'), { target: { value: 'shorx' } });
    expect(said('team-wizard-confirm')).toEqual(['true', 'The two passwords differ.']);
    expect(usable(screen.getByTestId('team-wizard-submit'))).toBe(false);
    await fireEvent.input(screen.getByTestId('team-wizard-secret'), { target: { value: 'correct horse' } });
    await fireEvent.input(screen.getByTestId('team-wizard-confirm'), { target: { value: 'correct horse' } });
    expect(said('team-wizard-secret')).toEqual([null, 'At least 8 characters.']);
    expect(said('team-wizard-confirm')).toEqual([null, '']);
    expect(usable(screen.getByTestId('team-wizard-submit'))).toBe(true);
  });

  // The wizard's choice and hint said "Password (8+ characters)" and "At least 8 characters." in TypeScript while
  // the rule is Go's: a rule changed in Go (team.SecretKinds, answered before setup) changes what they say.
  it('names the first admin\'s kinds of secret and their hints in Go\'s words', async () => {
    installFakeBridge({
      'Team.CurrentUser': () => ({ ...signedOut, needsSetup: true }),
      'Team.SecretKinds': () => [
        { kind: 'password', name: 'password', label: 'Password (10+ characters)', hint: 'At least 10 characters.', rule: 'at least 10 characters' },
        { kind: 'pin', name: 'PIN', label: 'PIN (6–12 digits)', hint: '6 to 12 digits.', rule: '6 to 12 digits' },
      ],
    });
    render(TeamAuthGate, { children });
    await fireEvent.input(await screen.findByTestId('team-wizard-name'), { target: { value: 'Acme' } });
    await fireEvent.click(screen.getByTestId('team-wizard-next'));
    const radios = () => [...document.querySelectorAll('input[name="w-secret-kind"]')].map((r) => r.parentElement?.textContent?.trim());
    await waitFor(() => expect(radios()).toEqual(['Password (10+ characters)', 'PIN (6–12 digits)']));
    expect(fieldState(screen.getByTestId('team-wizard-secret')).description).toBe('At least 10 characters.');
    await fireEvent.click(screen.getByTestId('team-wizard-kind-pin'));
    await waitFor(() => expect(fieldState(screen.getByTestId('team-wizard-secret')).description).toBe('6 to 12 digits.'));
  });

  it('signs in through the profile picker and shows a wrong PIN', async () => {
    const fake = installFakeBridge({
      'Team.CurrentUser': () => signedOut,
      'Team.Profiles': () => [
        { id: 1, name: 'alice', displayName: 'Alice', secretKind: 'password' },
        { id: 2, name: 'bob', displayName: '', secretKind: 'pin' },
      ],
      'Team.SignIn': (name: string, secret: string) => {
        // Go's real refusal (app/testdata/refusal_words.json, "sign-in secret").
        if (secret !== '1234') throw refusal('sign in "bob": wrong name, password or PIN', 'Wrong password or PIN');
        return { ...signedIn(), actor: { ...admin, userId: 2, name, role: 'member' } };
      },
    });
    render(TeamAuthGate, { children });
    // Choosing a profile, even after another, puts the cursor in its secret field.
    await fireEvent.click(await screen.findByTestId('team-profile-alice'));
    await fireEvent.click(await screen.findByTestId('team-profile-bob'));
    const secret = screen.getByTestId('team-signin-secret') as HTMLInputElement;
    await waitFor(() => expect(document.activeElement).toBe(secret));
    expect(secret.getAttribute('inputmode')).toBe('numeric');
    // Sign in with the field empty: focusable (aria-disabled, not disabled), and a press sends nothing, says
    // what is missing under the field and puts the cursor back there.
    const submit = screen.getByTestId('team-signin-submit');
    expect(usable(submit)).toBe(false);
    submit.focus();
    await fireEvent.click(submit);
    expect(document.activeElement).toBe(secret);
    expect(fieldState(secret)).toEqual({ invalid: 'true', description: 'Enter your PIN.' });
    expect(fieldState(submit).description).toBe('Enter your PIN.');
    expect(fake.calls.some((c) => c.method === 'SignIn')).toBe(false);
    await fireEvent.input(secret, { target: { value: '0000' } });
    expect(screen.queryByTestId('team-signin-empty')).toBeNull();
    expect(usable(submit)).toBe(true);
    await fireEvent.click(screen.getByTestId('team-signin-submit'));
    const refused = await screen.findByTestId('team-signin-error');
    expect(refused.textContent).toContain('Wrong password or PIN');
    expect(refused.textContent).not.toContain('sign in "bob"');
    expect(refused.textContent).toContain('Not signed in');
    expect(refused.textContent).not.toContain('Something went wrong');
    // The field is marked wrong and names the reason.
    expect(secret.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(secret.getAttribute('aria-describedby')!)).toBe(refused);
    await fireEvent.input(secret, { target: { value: '1234' } });
    await fireEvent.click(screen.getByTestId('team-signin-remember'));
    await fireEvent.click(screen.getByTestId('team-signin-submit'));
    await screen.findByTestId('shell');
    expect(fake.calls.filter((c) => c.method === 'SignIn').map((c) => c.args)).toEqual([
      ['bob', '0000', false],
      ['bob', '1234', true],
    ]);
  });

  it('puts the cursor in the first field of each wizard step, and on the page once signed in', async () => {
    installFakeBridge({
      'Team.CurrentUser': () => ({ ...signedOut, needsSetup: true }),
      'Team.Setup': () => signedIn(),
    });
    const page = createRawSnippet(() => ({ render: () => '<main tabindex="-1" data-testid="shell">the app</main>' }));
    render(TeamAuthGate, { children: page, onsignin: () => screen.getByTestId('shell').focus() });
    const name = await screen.findByTestId('team-wizard-name');
    await waitFor(() => expect(document.activeElement).toBe(name));
    await fireEvent.input(name, { target: { value: 'Acme' } });
    await fireEvent.click(screen.getByTestId('team-wizard-next'));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('team-wizard-admin')));
    await fireEvent.click(screen.getByTestId('team-wizard-back'));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('team-wizard-name')));
    await fireEvent.click(screen.getByTestId('team-wizard-next'));
    await fireEvent.input(screen.getByTestId('team-wizard-admin'), { target: { value: 'alice' } });
    await fireEvent.input(screen.getByTestId('team-wizard-secret'), { target: { value: 'correct horse' } });
    await fireEvent.input(screen.getByTestId('team-wizard-confirm'), { target: { value: 'correct horse' } });
    await fireEvent.click(screen.getByTestId('team-wizard-submit'));
    const shell = await screen.findByTestId('shell');
    await waitFor(() => expect(document.activeElement).toBe(shell));
  });

  /** Renders the gate signed in with a fake backend whose idle lock is idle() minutes; fake timers. */
  async function signedInGate(idle: () => number) {
    vi.useFakeTimers();
    const fake = installFakeBridge({
      'Team.CurrentUser': () => signedIn(idle()),
      'Team.Lock': () => signedOut,
      'Team.Profiles': () => [],
    });
    render(TeamAuthGate, { children });
    await vi.waitFor(() => expect(screen.getByTestId('shell')).toBeTruthy());
    return { fake, locked: () => fake.calls.some((c) => c.method === 'Lock') };
  }

  it('locks after the idle time, and activity postpones it', async () => {
    const { locked } = await signedInGate(() => 1);
    await vi.advanceTimersByTimeAsync(50_000);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    await vi.advanceTimersByTimeAsync(50_000);
    expect(locked()).toBe(false); // 100 s, but input at 50 s
    await vi.advanceTimersByTimeAsync(11_000);
    expect(locked()).toBe(true);
    vi.useRealTimers();
    await waitFor(() => expect(screen.getByTestId('team-picker')).toBeTruthy());
    expect(screen.queryByTestId('shell')).toBeNull();
  });

  it('counts text typed without key events (dictation, an input method) as activity', async () => {
    const { locked } = await signedInGate(() => 1);
    await vi.advanceTimersByTimeAsync(50_000);
    window.dispatchEvent(new Event('input'));
    await vi.advanceTimersByTimeAsync(50_000);
    expect(locked()).toBe(false);
    await vi.advanceTimersByTimeAsync(11_000);
    expect(locked()).toBe(true);
    vi.useRealTimers();
  });

  it('locks on waking from a sleep longer than the idle time, before the first input re-arms it', async () => {
    for (const wake of [
      () => window.dispatchEvent(new PointerEvent('pointermove')),
      () => document.dispatchEvent(new Event('visibilitychange')),
    ]) {
      const { fake, locked } = await signedInGate(() => 5);
      await vi.advanceTimersByTimeAsync(60_000);
      // The computer sleeps for an hour: the wall clock moves, timers do not.
      vi.setSystemTime(Date.now() + 60 * 60_000);
      expect(locked()).toBe(false);
      wake();
      await vi.waitFor(() => expect(locked()).toBe(true));
      expect(fake.calls.filter((c) => c.method === 'Lock')).toHaveLength(1);
      vi.useRealTimers();
      await waitFor(() => expect(screen.getByTestId('team-picker')).toBeTruthy());
      cleanup();
    }
  });

  it('cancels an open dialog and the queued ones when the idle lock locks', async () => {
    const { locked } = await signedInGate(() => 1);
    const remove = dialog.confirm({ title: 'Remove bob?', danger: true });
    const rename = dialog.prompt({ title: 'Rename', label: 'Name' });
    expect(dialog.current?.title).toBe('Remove bob?');
    await vi.advanceTimersByTimeAsync(61_000);
    expect(locked()).toBe(true);
    // Answered as Cancel: the action the member had not confirmed is not taken
    // by whoever signs in next.
    await expect(remove).resolves.toBe(false);
    await expect(rename).resolves.toBeNull();
    expect(dialog.current).toBeNull();
    vi.useRealTimers();
    await waitFor(() => expect(screen.getByTestId('team-picker')).toBeTruthy());
  });

  it('re-reads the session on data:changed; an unchanged one keeps the idle timer running', async () => {
    const rt = installFakeRuntime();
    const { fake, locked } = await signedInGate(() => 1);
    const reads = () => fake.calls.filter((c) => c.method === 'CurrentUser').length;
    // Another process wrote, the session is the same: the timer keeps running.
    await vi.advanceTimersByTimeAsync(40_000);
    rt.emit('data:changed');
    await vi.waitFor(() => expect(reads()).toBe(2));
    await vi.advanceTimersByTimeAsync(21_000);
    expect(locked()).toBe(true); // 61 s: not re-armed at 40 s
    vi.useRealTimers();
    await waitFor(() => expect(screen.getByTestId('team-picker')).toBeTruthy());
  });

  it('applies a changed idle lock when asked to re-read the session (team:session)', async () => {
    let idle = 10;
    const { locked } = await signedInGate(() => idle);
    idle = 1; // an admin saved a shorter idle lock
    window.dispatchEvent(new Event('team:session'));
    await vi.advanceTimersByTimeAsync(59_000);
    expect(locked()).toBe(false);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(locked()).toBe(true);
    vi.useRealTimers();
  });
});
