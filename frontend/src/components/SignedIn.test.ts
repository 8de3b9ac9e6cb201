import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import SignedIn from './SignedIn.svelte';
import { installFakeBridge } from '../test/fakeBridge';
import { session, signedInAs } from '../lib/session.svelte';

describe('SignedIn', () => {
  it('shows nothing before anyone signs in', () => {
    session.set(null);
    render(SignedIn);
    expect(screen.queryByTestId('signed-in')).toBeNull();
  });

  it("names the signed-in member and locks or signs out, asking the auth gate to re-read the session", async () => {
    session.set({ signedIn: true, displayName: 'Sam Member', actor: { userId: 3, name: 'sam', role: 'member' } } as never);
    const f = installFakeBridge({ 'Team.Lock': () => ({ signedIn: false }), 'Team.SignOut': () => ({ signedIn: false }) });
    let rereads = 0;
    const count = () => rereads++;
    window.addEventListener('team:session', count);
    render(SignedIn);
    expect(screen.getByTestId('signed-in-name').textContent).toBe('Sam Member');
    expect(screen.getByTestId('signed-in').textContent).toContain('member');
    // The tooltip says it by the display name too, the sign-in name after it.
    expect(screen.getByTestId('signed-in-title').getAttribute('title')).toBe('Signed in as Sam Member (sign-in name: sam; member)');

    await fireEvent.click(screen.getByTestId('signed-in-lock'));
    await waitFor(() => expect(rereads).toBe(1));
    expect(f.calls.map((c) => c.method)).toContain('Lock');
    await fireEvent.click(screen.getByTestId('signed-in-signout'));
    await waitFor(() => expect(rereads).toBe(2));
    expect(f.calls.map((c) => c.method)).toContain('SignOut');
    window.removeEventListener('team:session', count);
    session.set(null);
  });

  it('falls back to the sign-in name without a display name', () => {
    session.set({ signedIn: true, actor: { userId: 1, name: 'alice', role: 'admin' } } as never);
    render(SignedIn);
    expect(screen.getByTestId('signed-in-name').textContent).toBe('alice');
    expect(screen.getByTestId('signed-in-title').getAttribute('title')).toBe('Signed in as alice (admin)');
    session.set(null);
  });
});

describe('signedInAs', () => {
  it.each<[string, string | undefined, { text: string; signInName: string }]>([
    ['bob', 'Robert', { text: 'Signed in as Robert', signInName: 'bob' }],
    ['bob', '  Robert ', { text: 'Signed in as Robert', signInName: 'bob' }],
    ['bob', '', { text: 'Signed in as bob', signInName: '' }],
    ['bob', undefined, { text: 'Signed in as bob', signInName: '' }],
    ['bob', 'bob', { text: 'Signed in as bob', signInName: '' }],
  ])('%j with display name %j', (name, display, want) => {
    expect(signedInAs(name, display)).toEqual(want);
  });
});
