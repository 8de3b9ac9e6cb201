/**
 * Team → Members, Add member: the password/PIN choice says each kind's rule
 * and the field under it the chosen kind's hint, in Go's words
 * (team.SecretKinds, through Team.SecretKinds), as the first-run wizard and
 * My account do. It said "Password" and "PIN" alone, so an admin learned
 * the rule only from a refusal.
 */
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Team from './Team.svelte';
import Dialog from '../components/Dialog.svelte';
import { installFakeBridge, secretKindRules } from '../test/fakeBridge';

const admin = { signedIn: true, needsSetup: false, actor: { userId: 1, name: 'alice', role: 'admin', system: false }, workspace: 'Acme', idleLockMinutes: 15 };

describe('Team → Members, Add member\'s kinds of secret', () => {
  it.each([
    // Go's own table (backend/team testdata/secret_kinds.json), as the fake answers unless scripted.
    ['Go\'s rules', undefined, secretKindRules],
    // A rule changed in Go changes what the form says: the window writes none of it.
    ['a rule changed in Go', () => [
      { kind: 'password', name: 'password', label: 'Password (10+ characters)', hint: 'At least 10 characters.', rule: 'at least 10 characters' },
      { kind: 'pin', name: 'PIN', label: 'PIN (6–12 digits)', hint: '6 to 12 digits.', rule: '6 to 12 digits' },
    ], null],
  ])('says %s in the choice and under the field', async (_, scripted, table) => {
    installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [],
      'Team.Departments': () => [],
      ...(scripted ? { 'Team.SecretKinds': scripted } : {}),
    });
    const rules = (table ?? scripted!()) as typeof secretKindRules;
    const of = (kind: string) => rules.find((r) => r.kind === kind)!;
    render(Team, { params: { rest: 'members' }, query: {} });
    const choice = (await screen.findByTestId('team-member-add-kind')) as HTMLSelectElement;
    const options = () => [...choice.options].map((o) => [o.value, o.textContent]);
    await waitFor(() => expect(options()).toEqual([['password', of('password').label], ['pin', of('pin').label]]));
    const hint = screen.getByTestId('team-member-add-secret-hint');
    expect(hint.textContent).toBe(of('password').hint);
    expect(screen.getByTestId('team-member-add-secret').getAttribute('aria-describedby')).toBe(hint.id);
    await fireEvent.change(choice, { target: { value: 'pin' } });
    await waitFor(() => expect(hint.textContent).toBe(of('pin').hint));
  });
});

// Reset password / PIN said no rule at all: the admin typing a member's new
// secret learned it only from a refusal. The dialog says the member's kind's
// hint under the field, in Go's words, as Add member, the wizard and My
// account do.
describe("Team → Members, Reset password / PIN's rule", () => {
  const rules10 = () => [
    { kind: 'password', name: 'password', label: 'Password (10+ characters)', hint: 'At least 10 characters.', rule: 'at least 10 characters' },
    { kind: 'pin', name: 'PIN', label: 'PIN (6–12 digits)', hint: '6 to 12 digits.', rule: '6 to 12 digits' },
  ];
  it.each([
    ['password', "Go's rules", undefined],
    ['pin', "Go's rules", undefined],
    ['password', 'a rule changed in Go', rules10],
    ['pin', 'a rule changed in Go', rules10],
  ])("says a %s's hint (%s) under the new secret's field", async (kind, _, scripted) => {
    const bob = { id: 2, name: 'bob', displayName: '', role: 'member', secretKind: kind, status: 'active', funding: 'pool', departmentId: 0, minBalance: '0', createdAt: '' };
    installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [bob],
      'Team.Departments': () => [],
      ...(scripted ? { 'Team.SecretKinds': scripted } : {}),
    });
    const rules = (scripted ? scripted() : secretKindRules) as typeof secretKindRules;
    const rule = rules.find((r) => r.kind === kind)!;
    render(Team, { params: { rest: 'members' }, query: {} });
    render(Dialog);
    await fireEvent.click(await screen.findByTestId('team-member-reset-bob'));
    const hint = await screen.findByTestId('dialog-hint');
    expect(hint.textContent).toBe(rule.hint);
    expect(screen.getByTestId('dialog-input').getAttribute('aria-describedby')).toBe(hint.id);
    await fireEvent.click(screen.getByTestId('dialog-cancel')); // the dialogs are one queue for the app
    await waitFor(() => expect(screen.queryByTestId('dialog')).toBeNull());
  });
});
