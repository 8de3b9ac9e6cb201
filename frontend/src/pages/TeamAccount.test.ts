import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
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
});
