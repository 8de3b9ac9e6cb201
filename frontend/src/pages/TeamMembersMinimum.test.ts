/**
 * Team → Members: the minimum wallet balance is a wallet's, so a member the
 * organisation pays for shows none ("—", said in its title), and the add and
 * edit forms ask for it only when the member pays from their own wallet.
 */
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Team from './Team.svelte';
import Dialog from '../components/Dialog.svelte';
import { installFakeBridge } from '../test/fakeBridge';

const admin = { signedIn: true, needsSetup: false, actor: { userId: 1, name: 'alice', role: 'admin', system: false }, workspace: 'Acme', idleLockMinutes: 15 };
const member = (id: number, name: string, funding: 'pool' | 'wallet', minBalance: string) =>
  ({ id, name, displayName: '', role: 'member', secretKind: 'password', status: 'active', funding, departmentId: 0, minBalance, createdAt: '' });

describe('Team → Members: the minimum wallet balance', () => {
  it.each([
    ['pool', '0', '—', "Paid from the workspace pool or their department's credits: no wallet minimum applies"],
    ['pool', '25', '—', "Paid from the workspace pool or their department's credits: no wallet minimum applies"],
    ['wallet', '25', '25.00 credits', null],
    ['wallet', '0', '0.00 credits', null],
  ] as const)('a member paid by %s with a minimum of %s shows %s', async (funding, min, shown, title) => {
    installFakeBridge({ 'Team.CurrentUser': () => admin, 'Team.Members': () => [member(2, 'bob', funding, min)], 'Team.Departments': () => [] });
    render(Team, { params: { rest: 'members' }, query: {} });
    const cell = await screen.findByTestId('team-member-min-bob');
    expect(cell.textContent!.trim()).toBe(shown);
    expect(cell.querySelector('span')?.getAttribute('title') ?? null).toBe(title);
  });

  it('asks for it only for a member paid by their own wallet, and sends none for the organisation', async () => {
    const added: Record<string, unknown>[] = [];
    installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [member(1, 'alice', 'pool', '0')],
      'Team.Departments': () => [],
      'Team.AddMember': (m: Record<string, unknown>) => { added.push(m); return { ...m, id: 2 }; },
    });
    render(Team, { params: { rest: 'members' }, query: {} });
    await screen.findByTestId('team-member-alice');
    expect(screen.queryByTestId('team-member-min-add')).toBeNull();
    expect(screen.queryByLabelText('Minimum wallet balance')).toBeNull();
    await fireEvent.change(document.getElementById('f-fund-a')!, { target: { value: 'wallet' } });
    const min = await screen.findByTestId('team-member-min-add');
    expect(screen.getByLabelText('Minimum wallet balance')).toBe(min);
    await fireEvent.input(min, { target: { value: '10' } });
    // Changed their mind: the organisation pays, the field goes, and what was typed in it is not sent.
    await fireEvent.change(document.getElementById('f-fund-a')!, { target: { value: 'pool' } });
    expect(screen.queryByTestId('team-member-min-add')).toBeNull();
    await fireEvent.input(screen.getByTestId('team-member-add-name'), { target: { value: 'carol' } });
    await fireEvent.input(screen.getByTestId('team-member-add-secret'), { target: { value: 'long enough' } });
    await fireEvent.click(screen.getByTestId('team-member-add-submit'));
    await waitFor(() => expect(added).toHaveLength(1));
    expect(added[0]).toMatchObject({ name: 'carol', secretKind: 'password', funding: 'pool', minBalance: '' });
  });

  // What was typed in the field before the organisation was picked is not sent: the stored minimum is (a hidden
  // minimum is never stored, and a hidden invalid one does not refuse the save).
  it.each([
    ['a changed minimum', '250'],
    ['an invalid minimum', 'lots'],
    ['an emptied field', ''],
  ])('shows the field in the edit form of a wallet-paid member, hides it when the organisation is picked, and then saves the stored minimum, not %s', async (_, typed) => {
    const updates: unknown[][] = [];
    installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [member(3, 'erin', 'wallet', '100')],
      'Team.Departments': () => [],
      'Team.Wallet': () => ({ account: 'user:3', userId: 3, balance: '0', available: '0', returnable: '0', returnableOnRemoval: '0' }),
      'Team.UpdateMember': (id: number, m: Record<string, unknown>, ret: boolean) => {
        updates.push([id, m, ret]);
        return { member: { ...member(3, 'erin', 'pool', '100'), ...m } };
      },
    });
    render(Team, { params: { rest: 'members' }, query: {} });
    render(Dialog);
    await fireEvent.click(await screen.findByTestId('team-member-edit-erin'));
    const min = await screen.findByTestId('team-member-min-edit') as HTMLInputElement;
    expect(min.value).toBe('100');
    await fireEvent.input(min, { target: { value: typed } });
    await fireEvent.change(document.getElementById('f-fund-e')!, { target: { value: 'pool' } });
    expect(screen.queryByTestId('team-member-min-edit')).toBeNull();
    await fireEvent.submit(screen.getByTestId('team-member-edit-form'));
    await fireEvent.click(await screen.findByTestId('dialog-ok'));
    await waitFor(() => expect(updates).toHaveLength(1));
    expect(updates[0]).toEqual([3, { displayName: '', role: 'member', funding: 'pool', departmentId: 0, minBalance: '100' }, false]);
  });

  it('sends the minimum typed for a member who stays paid by their own wallet', async () => {
    const updates: unknown[][] = [];
    installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [member(3, 'erin', 'wallet', '100')],
      'Team.Departments': () => [],
      'Team.UpdateMember': (id: number, m: Record<string, unknown>) => {
        updates.push([id, m]);
        return { member: { ...member(3, 'erin', 'wallet', '100'), ...m } };
      },
    });
    render(Team, { params: { rest: 'members' }, query: {} });
    await fireEvent.click(await screen.findByTestId('team-member-edit-erin'));
    await fireEvent.input(await screen.findByTestId('team-member-min-edit'), { target: { value: '250' } });
    await fireEvent.submit(screen.getByTestId('team-member-edit-form'));
    await waitFor(() => expect(updates).toHaveLength(1));
    expect(updates[0]).toEqual([3, { displayName: '', role: 'member', funding: 'wallet', departmentId: 0, minBalance: '250' }]);
  });
});
