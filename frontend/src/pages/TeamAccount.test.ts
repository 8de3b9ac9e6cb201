import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { installFakeBridge, refusal } from '../test/fakeBridge';
import { fieldState, usable } from '../test/a11y';
import TeamAccount from './TeamAccount.svelte';
import type { Session } from '../api/team';

/** A signed-in session of bob, with the display name given. */
function bob(displayName?: string): Session {
  return { signedIn: true, needsSetup: false, actor: { userId: 2, name: 'bob', role: 'member', system: false }, displayName, workspace: 'Acme', idleLockMinutes: 0, timeZone: 'UTC' } as Session;
}

describe('TeamAccount', () => {
  it('says who is signed in by their display name, the sign-in name in its tooltip', () => {
    render(TeamAccount, { session: bob('Robert') });
    const who = screen.getByTestId('team-account-who');
    expect(who.textContent).toBe('Signed in as Robert');
    expect(who.getAttribute('title')).toBe('Sign-in name: bob');
  });

  it('says the sign-in name, with no tooltip, for a member without a display name', () => {
    render(TeamAccount, { session: bob('') });
    const who = screen.getByTestId('team-account-who');
    expect(who.textContent).toBe('Signed in as bob');
    expect(who.hasAttribute('title')).toBe(false);
  });

  // The choice said "Password (8+ characters)" and "PIN (4–12 digits)" in TypeScript while the rule is Go's: a rule
  // changed in Go (team.SecretKinds, asked through Team.SecretKinds) changes what the choice says.
  it('names the kinds of secret with their rules in Go\'s words', async () => {
    installFakeBridge({
      'Team.SecretKinds': () => [
        { kind: 'password', name: 'password', label: 'Password (10+ characters)', hint: 'At least 10 characters.', rule: 'at least 10 characters' },
        { kind: 'pin', name: 'PIN', label: 'PIN (6–12 digits)', hint: '6 to 12 digits.', rule: '6 to 12 digits' },
      ],
    });
    render(TeamAccount, { session: bob('') });
    const options = () => [...(screen.getByLabelText('New') as HTMLSelectElement).options].map((o) => [o.value, o.textContent]);
    await waitFor(() => expect(options()).toEqual([['password', 'Password (10+ characters)'], ['pin', 'PIN (6–12 digits)']]));
  });

  it('names the kinds as Go\'s own table says them (the fake answers from backend/team/testdata/secret_kinds.json)', async () => {
    installFakeBridge({});
    render(TeamAccount, { session: bob('') });
    const options = () => [...(screen.getByLabelText('New') as HTMLSelectElement).options].map((o) => o.textContent);
    await waitFor(() => expect(options()).toEqual(['Password (8+ characters)', 'PIN (4–12 digits)']));
  });

  // Change was disabled until the form was ready: out of the Tab order, and nothing said what was missing.
  it.each([
    { case: 'nothing typed', current: '', kind: 'password', secret: '', field: 'team-account-current', says: 'Enter your current password or PIN.' },
    { case: 'a short password', current: 'old secret', kind: 'password', secret: 'short', field: 'team-account-new', says: 'A password needs at least 8 characters.' },
    { case: 'a PIN with letters', current: 'old secret', kind: 'pin', secret: '12ab', field: 'team-account-new', says: 'A PIN has digits only.' },
  ])('keeps Change focusable while not ready ($case): a press sends nothing, says what is missing and puts the cursor there', async ({ current, kind, secret, field, says }) => {
    const fake = installFakeBridge({ 'Team.ChangeOwnSecret': () => undefined });
    render(TeamAccount, { session: bob('') });
    await fireEvent.input(screen.getByTestId('team-account-current'), { target: { value: current } });
    await fireEvent.change(screen.getByLabelText('New'), { target: { value: kind } });
    await fireEvent.input(screen.getByTestId('team-account-new'), { target: { value: secret } });
    const change = screen.getByTestId('team-account-change');
    expect(usable(change)).toBe(false);
    expect(screen.queryByTestId('team-account-problem')).toBeNull();
    change.focus();
    await fireEvent.click(change);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId(field)));
    expect(screen.getByTestId('team-account-problem').textContent).toBe(says);
    expect(fieldState(screen.getByTestId(field))).toEqual({ invalid: 'true', description: says });
    expect(fieldState(change).description).toBe(says);
    expect(fake.calls.some((c) => c.method === 'ChangeOwnSecret')).toBe(false);
    // Put right, it is sent and the problem goes.
    await fireEvent.input(screen.getByTestId('team-account-current'), { target: { value: 'old secret' } });
    await fireEvent.input(screen.getByTestId('team-account-new'), { target: { value: kind === 'pin' ? '1234' : 'a new password' } });
    expect(usable(change)).toBe(true);
    expect(screen.queryByTestId('team-account-problem')).toBeNull();
    await fireEvent.click(change);
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'ChangeOwnSecret')).toHaveLength(1));
  });

  // After a refused change, "Not changed" stayed up while the member typed again (as the forms of
  // Team → Departments do, an edit clears it).
  it.each([
    ['the current password', (s: typeof screen) => fireEvent.input(s.getByTestId('team-account-current'), { target: { value: 'my old secret' } })],
    ['the new password', (s: typeof screen) => fireEvent.input(s.getByTestId('team-account-new'), { target: { value: 'another new one' } })],
    ['the kind', (s: typeof screen) => fireEvent.change(s.getByLabelText('New'), { target: { value: 'pin' } })],
  ])('clears "Not changed" once %s is edited', async (_what, edit) => {
    // app/testdata/refusal_words.json's "own secret wrong".
    installFakeBridge({
      'Team.ChangeOwnSecret': () => {
        throw refusal('change own secret: the current password or PIN is wrong: nothing was changed', 'The current password or PIN is wrong: nothing was changed');
      },
    });
    render(TeamAccount, { session: bob('') });
    await fireEvent.input(screen.getByTestId('team-account-current'), { target: { value: 'not it' } });
    await fireEvent.input(screen.getByTestId('team-account-new'), { target: { value: 'a new password' } });
    await fireEvent.click(screen.getByTestId('team-account-change'));
    await waitFor(() => expect(screen.getByTestId('team-account-error-message').textContent).toBe('The current password or PIN is wrong: nothing was changed'));
    await edit(screen);
    await waitFor(() => expect(screen.queryByTestId('team-account-error')).toBeNull());
  });
});
