import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import TeamDepartments from './TeamDepartments.svelte';
import { installFakeBridge, installFakeRuntime } from '../test/fakeBridge';
import { toast } from '../lib/toast.svelte';

const dept = { id: 3, name: 'Research', account: 'dept:3', budget: '0', overdraft: '0', balance: '0', available: '0', members: 0,
  archived: false, createdAt: '2026-11-01T00:00:00Z' };

describe('TeamDepartments: moving credits', () => {
  // The toast said the amount as typed ("Moved 1000 credits", "Moved 0.5 credits") where the rest of
  // the window shows "1,000.00": it says it as the window shows credits, and sends what was typed.
  it.each([
    { typed: '1000', want: 'Moved 1,000.00 credits' },
    { typed: ' 0.5 ', want: 'Moved 0.50 credits' },
    { typed: '0.000000001', want: 'Moved 0.000000001 credits' },
  ])('says $typed as $want', async ({ typed, want }) => {
    installFakeRuntime();
    const f = installFakeBridge({ 'Team.Departments': () => [dept], 'Team.MoveCredits': () => ({}) });
    render(TeamDepartments);
    await screen.findAllByText('Research');
    await fireEvent.change(screen.getByTestId('team-move-to'), { target: { value: '3' } });
    await fireEvent.input(screen.getByTestId('team-move-amount'), { target: { value: typed } });
    await fireEvent.click(screen.getByTestId('team-move-submit'));
    await waitFor(() => expect(toast.items.map((t) => t.message)).toContain(want));
    const sent = f.calls.find((c) => c.method === 'MoveCredits')!.args[0] as { amount: string; to: number };
    expect(sent.amount).toBe(typed.trim());
    expect(sent.to).toBe(3);
  });
});
