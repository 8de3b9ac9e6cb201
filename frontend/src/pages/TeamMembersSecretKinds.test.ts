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
