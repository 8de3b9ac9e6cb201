/**
 * Team → Members: what the remove and funding-change dialogs say of the
 * member's wallet: on a removal all of its available credits can go back
 * (a removed member's wallet keeps no minimum balance), on a funding change
 * what its minimum leaves; a wallet in debt is named with where to settle it.
 */
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Team from './Team.svelte';
import Dialog from '../components/Dialog.svelte';
import { installFakeBridge } from '../test/fakeBridge';
import { toast } from '../lib/toast.svelte';

const admin = { signedIn: true, needsSetup: false, actor: { userId: 1, name: 'alice', role: 'admin', system: false }, workspace: 'Acme', idleLockMinutes: 15 };
const erin = { id: 3, name: 'erin', displayName: '', role: 'member', secretKind: 'pin', status: 'active', funding: 'wallet', departmentId: 0, minBalance: '100', createdAt: '' };

describe('Team → Members: a wallet that stops being used', () => {
  it('offers all of a removed member\'s wallet back to the pool, its minimum balance included', async () => {
    const fake = installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [erin],
      'Team.Departments': () => [],
      'Team.Wallet': () => ({ account: 'user:3', userId: 3, balance: '500', available: '500', returnable: '400', returnableOnRemoval: '500' }),
      'Team.RemoveMember': () => ({ member: { ...erin, status: 'removed', minBalance: '0' },
        wallet: { account: 'user:3', balance: '500', returned: '500', left: '0', transferId: 9 } }),
    });
    render(Team, { params: { rest: 'members' }, query: {} });
    render(Dialog);
    await fireEvent.click(await screen.findByTestId('team-member-remove-erin'));
    const message = (await screen.findByTestId('dialog-message')).textContent!;
    expect(message).toContain('Their wallet holds 500.00 credits, which stay in it unless moved back to the pool.');
    expect(message).not.toContain('minimum');
    expect(screen.getByTestId('dialog-check').closest('label')!.textContent).toContain('Move the 500.00 credits back to the pool');
    await fireEvent.click(screen.getByTestId('dialog-ok'));
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'RemoveMember').map((c) => c.args)).toEqual([[3, true]]));
    await waitFor(() => expect(toast.items.map((t) => t.message)).toContain('Removed erin; 500.00 credits moved back to the pool'));
  });

  it('keeps the minimum balance of a member who only stops paying from their wallet', async () => {
    installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [erin],
      'Team.Departments': () => [],
      'Team.Wallet': () => ({ account: 'user:3', userId: 3, balance: '500', available: '500', returnable: '400', returnableOnRemoval: '500' }),
      'Team.UpdateMember': () => ({ member: { ...erin, funding: 'pool' } }),
    });
    render(Team, { params: { rest: 'members' }, query: {} });
    render(Dialog);
    await fireEvent.click(await screen.findByTestId('team-member-edit-erin'));
    await fireEvent.change(document.getElementById('f-fund-e')!, { target: { value: 'pool' } });
    await fireEvent.submit(screen.getByTestId('team-member-edit-form'));
    const message = (await screen.findByTestId('dialog-message')).textContent!;
    expect(message).toContain('400.00 credits of them can go back now; the rest is its minimum balance or reserved for a send.');
    expect(screen.getByTestId('dialog-check').closest('label')!.textContent).toContain('Move the 400.00 credits back to the pool');
    await fireEvent.click(screen.getByTestId('dialog-cancel'));
    await waitFor(() => expect(screen.queryByTestId('dialog')).toBeNull());
  });

  it('names the debt of a removed member\'s wallet and where it is settled', async () => {
    const frank = { ...erin, id: 8, name: 'frank', minBalance: '0' };
    const fake = installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [frank],
      'Team.Departments': () => [],
      'Team.Wallet': () => ({ account: 'user:8', userId: 8, balance: '-18', available: '-18', returnable: '0', returnableOnRemoval: '0' }),
      'Team.RemoveMember': () => ({ member: { ...frank, status: 'removed' }, wallet: { account: 'user:8', balance: '-18', returned: '0', left: '-18' } }),
    });
    render(Team, { params: { rest: 'members' }, query: {} });
    render(Dialog);
    await fireEvent.click(await screen.findByTestId('team-member-remove-frank'));
    expect((await screen.findByTestId('dialog-message')).textContent).toContain(
      'Their wallet owes 18.00 credits, which can be settled from the pool afterwards: Credits → Account → Settle the debt.');
    expect(screen.queryByTestId('dialog-check')).toBeNull();
    await fireEvent.click(screen.getByTestId('dialog-ok'));
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'RemoveMember').map((c) => c.args)).toEqual([[8, false]]));
    await waitFor(() => expect(toast.items.map((t) => t.message)).toContain(
      'Removed frank; their wallet owes 18.00 credits: settle it from the pool in Credits → Account → Settle the debt'));
  });

  it.each([
    ['Research', "the Research department's credits", "Research department's credits"],
    ['Department 3', "Department 3's credits", "Department 3's credits"],
  ])('asks to pay from the %s department\'s credits in the backend\'s words', async (name, phrase, heading) => {
    const dept = { id: 4, name, account: 'dept:4', budget: '0', overdraft: '0', balance: '0', available: '0', members: 1, archived: false,
      createdAt: '', accountName: heading, accountPhrase: phrase };
    const gina = { ...erin, id: 5, name: 'gina', departmentId: 4 };
    installFakeBridge({
      'Team.CurrentUser': () => admin,
      'Team.Members': () => [gina],
      'Team.Departments': () => [dept],
      'Team.Wallet': () => ({ account: 'user:5', userId: 5, balance: '0', available: '0', returnable: '0', returnableOnRemoval: '0' }),
    });
    render(Team, { params: { rest: 'members' }, query: {} });
    render(Dialog);
    await fireEvent.click(await screen.findByTestId('team-member-edit-gina'));
    await fireEvent.change(document.getElementById('f-fund-e')!, { target: { value: 'pool' } });
    await fireEvent.submit(screen.getByTestId('team-member-edit-form'));
    // Never "the Department 3's credits": the article is the backend's (team.DepartmentCreditsPhrase).
    expect((await screen.findByTestId('dialog-title')).textContent).toBe(`Pay gina's usage from ${phrase}?`);
    await fireEvent.click(screen.getByTestId('dialog-cancel'));
    await waitFor(() => expect(screen.queryByTestId('dialog')).toBeNull());
  });
});
