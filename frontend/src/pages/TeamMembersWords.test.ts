/**
 * Team → Members in the words of the rest of the window: who pays is
 * "Workspace pool" or the department's credits (never "Organisation"), a
 * member is named by their display name in toasts as Limits names them,
 * and after Add member the cursor is back in Sign-in name for the next one.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Team from './Team.svelte';
import { installFakeBridge } from '../test/fakeBridge';
import { toast } from '../lib/toast.svelte';

const admin = { signedIn: true, needsSetup: false, actor: { userId: 1, name: 'alice', role: 'admin', system: false }, workspace: 'Acme', idleLockMinutes: 15 };
const row = { role: 'member', secretKind: 'password', status: 'active', minBalance: '0', createdAt: '' };
// accountName is the backend's (team.DepartmentCredits): the window shows it as sent, never builds its own.
const dept = (id: number, name: string, accountName: string) => ({ id, name, accountName, account: `dept:${id}`, balance: '0', available: '0', budget: '0', overdraft: '0', members: 1, archived: false, createdAt: '' });

describe('Team → Members words', () => {
  beforeEach(() => toast.clear());

  it.each([
    ['no department', 0, 'Workspace pool'],
    ['the Research department', 1, "Research department's credits"],
    ['a department whose name says so', 2, "Sales Department's credits"],
    ['a department whose name starts with the word', 3, "Department 3's credits"],
    ['a lower-case name, its case kept', 4, "lab department's credits"],
  ])('Pays from names the account that pays for a member with %s', async (_, departmentId, shown) => {
    installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [{ ...row, id: 2, name: 'bob', displayName: '', funding: 'pool', departmentId }],
      'Team.Departments': () => [
        dept(1, 'Research', "Research department's credits"),
        dept(2, 'Sales Department', "Sales Department's credits"),
        dept(3, 'Department 3', "Department 3's credits"),
        dept(4, 'lab', "lab department's credits"),
      ],
    });
    render(Team, { params: { rest: 'members' }, query: {} });
    expect((await screen.findByTestId('team-member-payer-bob')).textContent).toBe(shown);
    expect(screen.getByTestId('team-members-table').textContent).not.toMatch(/organisation/i);
    // The forms' choice says the same words as the header and Credits.
    expect(screen.getAllByRole('option', { name: "Workspace pool (or their department's credits)" }).length).toBeGreaterThan(0);
    expect(screen.queryByRole('option', { name: /organisation/i })).toBeNull();
  });

  it('names the member by display name in its toasts (sign-in name where none), as Limits does', async () => {
    let status = 'active';
    installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [
        { ...row, id: 2, name: 'bob', displayName: 'Robert', funding: 'pool', departmentId: 0, status },
        { ...row, id: 3, name: 'carol', displayName: '', funding: 'pool', departmentId: 0 },
      ],
      'Team.Departments': () => [],
      'Team.DisableMember': (id: number) => {
        status = 'disabled';
        return { member: { ...row, id, name: id === 2 ? 'bob' : 'carol', displayName: id === 2 ? 'Robert' : '', status }, unchanged: false };
      },
      'Team.AddMember': (m: Record<string, unknown>) => ({ ...row, ...m, id: 4 }),
    });
    render(Team, { params: { rest: 'members' }, query: {} });
    await fireEvent.click(await screen.findByTestId('team-member-disable-bob'));
    await waitFor(() => expect(toast.items.map((t) => t.message)).toContain('Disabled Robert'));
    await fireEvent.click(screen.getByTestId('team-member-disable-carol'));
    await waitFor(() => expect(toast.items.map((t) => t.message)).toContain('Disabled carol'));
    await fireEvent.input(screen.getByTestId('team-member-add-name'), { target: { value: 'dave' } });
    await fireEvent.input(document.getElementById('f-display-a')!, { target: { value: 'Dave Lee' } });
    await fireEvent.input(screen.getByTestId('team-member-add-secret'), { target: { value: 'long enough' } });
    await fireEvent.click(screen.getByTestId('team-member-add-submit'));
    await waitFor(() => expect(toast.items.map((t) => t.message)).toContain('Added Dave Lee'));
    expect(toast.items.map((t) => t.message).join('\n')).not.toMatch(/\bbob\b/);
  });

  it.each([
    ['clicked', 'click'],
    ['pressed Enter in the password field', 'submit'],
  ] as const)('after Add member (%s) the cursor is in Sign-in name, the first field asked for, for the next member', async (_, how) => {
    installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [{ ...row, id: 1, name: 'alice', displayName: '', funding: 'pool', departmentId: 0 }],
      'Team.Departments': () => [],
      'Team.AddMember': (m: Record<string, unknown>) => ({ ...row, ...m, id: 2 }),
    });
    render(Team, { params: { rest: 'members' }, query: {} });
    await screen.findByTestId('team-member-alice');
    await fireEvent.input(screen.getByTestId('team-member-add-name'), { target: { value: 'carol' } });
    const secret = screen.getByTestId('team-member-add-secret');
    await fireEvent.input(secret, { target: { value: 'long enough' } });
    if (how === 'click') {
      // WebKit (the window) gives a clicked button no focus: the focus stays where it was.
      document.getElementById('f-display-a')!.focus();
      await fireEvent.click(screen.getByTestId('team-member-add-submit'));
    } else {
      secret.focus();
      await fireEvent.submit(screen.getByTestId('team-member-add-form'));
    }
    const name = screen.getByTestId('team-member-add-name') as HTMLInputElement;
    await waitFor(() => expect(document.activeElement).toBe(name));
    expect(name.value).toBe('');
  });
});
