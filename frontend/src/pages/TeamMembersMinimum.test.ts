/**
 * Team → Members: the minimum wallet balance is a wallet's, so a member the
 * organisation pays for shows none ("—", said in its title), and the add and
 * edit forms ask for it only when the member pays from their own wallet.
 */
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Team from './Team.svelte';
import { installFakeBridge } from '../test/fakeBridge';

const admin = { signedIn: true, needsSetup: false, actor: { userId: 1, name: 'alice', role: 'admin', system: false }, workspace: 'Acme', idleLockMinutes: 15 };
const member = (id: number, name: string, funding: 'pool' | 'wallet', minBalance: string) =>
  ({ id, name, displayName: '', role: 'member', secretKind: 'password', status: 'active', funding, departmentId: 0, minBalance, createdAt: '' });

describe('Team → Members: the minimum wallet balance', () => {
  it.each([
    ['pool', '0', '—', 'Paid by the organisation: no wallet minimum applies'],
    ['pool', '25', '—', 'Paid by the organisation: no wallet minimum applies'],
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

  it('shows the field in the edit form of a wallet-paid member, and hides it when the organisation is picked', async () => {
    installFakeBridge({ 'Team.CurrentUser': () => admin, 'Team.Members': () => [member(3, 'erin', 'wallet', '100')], 'Team.Departments': () => [] });
    render(Team, { params: { rest: 'members' }, query: {} });
    await fireEvent.click(await screen.findByTestId('team-member-edit-erin'));
    expect((await screen.findByTestId('team-member-min-edit') as HTMLInputElement).value).toBe('100');
    await fireEvent.change(document.getElementById('f-fund-e')!, { target: { value: 'pool' } });
    expect(screen.queryByTestId('team-member-min-edit')).toBeNull();
  });
});
