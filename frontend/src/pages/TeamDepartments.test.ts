import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import TeamDepartments from './TeamDepartments.svelte';
import { installFakeBridge, installFakeRuntime } from '../test/fakeBridge';
import { toast } from '../lib/toast.svelte';
import { fieldState, usable } from '../test/a11y';

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

describe('TeamDepartments: the move form', () => {
  const eng = { ...dept, id: 5, name: 'Eng', account: 'dept:5' };
  const value = (id: string) => (screen.getByTestId(id) as HTMLSelectElement).value;

  it('is not offered before there is a department (every account would be the pool)', async () => {
    installFakeRuntime();
    installFakeBridge({ 'Team.Departments': () => [] });
    render(TeamDepartments);
    await screen.findByTestId('empty-team-departments');
    expect(screen.queryByTestId('team-move-form')).toBeNull();
  });

  // It opened on the pool to the pool (Move refused with no word), and went back there after every move.
  it('opens on the pool to the first department, says when From and To are one, and keeps them after a move', async () => {
    installFakeRuntime();
    const f = installFakeBridge({ 'Team.Departments': () => [dept, eng], 'Team.MoveCredits': () => ({}) });
    render(TeamDepartments);
    await screen.findAllByText('Research');
    expect([value('team-move-from'), value('team-move-to')]).toEqual(['0', '3']);
    expect(screen.queryByTestId('team-move-same')).toBeNull();
    await fireEvent.change(screen.getByTestId('team-move-to'), { target: { value: '0' } });
    expect(screen.getByTestId('team-move-same').textContent).toBe('From and To are the same account: pick another.');
    await fireEvent.change(screen.getByTestId('team-move-to'), { target: { value: '5' } });
    await fireEvent.input(screen.getByTestId('team-move-amount'), { target: { value: '20' } });
    await fireEvent.click(screen.getByTestId('team-move-submit'));
    await waitFor(() => expect(f.calls.filter((c) => c.method === 'MoveCredits')).toHaveLength(1));
    expect(f.calls.find((c) => c.method === 'MoveCredits')!.args[0]).toMatchObject({ from: 0, to: 5, amount: '20' });
    await waitFor(() => expect((screen.getByTestId('team-move-amount') as HTMLInputElement).value).toBe(''));
    expect([value('team-move-from'), value('team-move-to')]).toEqual(['0', '5']);
  });

  // Move was disabled while not ready: out of the Tab order, and a keyboard or screen-reader user was told nothing.
  it.each([
    { case: 'no amount', to: '3', amount: '', field: 'team-move-amount', says: 'A number of credits above 0.' },
    { case: 'an amount of 0', to: '3', amount: '0', field: 'team-move-amount', says: 'A number of credits above 0.' },
    { case: 'an amount with a comma', to: '3', amount: '1,5', field: 'team-move-amount', says: 'A number of credits above 0.' },
    { case: 'From and To the pool', to: '0', amount: '20', field: 'team-move-to', says: 'From and To are the same account: pick another.' },
  ])('keeps Move focusable while not ready ($case): a press sends nothing, says why and puts the cursor there', async ({ to, amount, field, says }) => {
    installFakeRuntime();
    const f = installFakeBridge({ 'Team.Departments': () => [dept, eng], 'Team.MoveCredits': () => ({}) });
    render(TeamDepartments);
    await screen.findAllByText('Research');
    await fireEvent.change(screen.getByTestId('team-move-to'), { target: { value: to } });
    await fireEvent.input(screen.getByTestId('team-move-amount'), { target: { value: amount } });
    const submit = screen.getByTestId('team-move-submit');
    expect(usable(submit)).toBe(false);
    submit.focus();
    await fireEvent.click(submit);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId(field)));
    expect(fieldState(screen.getByTestId(field))).toEqual({ invalid: 'true', description: says });
    expect(fieldState(submit).description).toBe(says);
    expect(f.calls.some((c) => c.method === 'MoveCredits')).toBe(false);
  });
});
