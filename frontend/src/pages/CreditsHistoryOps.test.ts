/**
 * Credits → History takes Go's lists (Credits.History): the operations its
 * filter offers (ledger.FilterOps, the page's ops), which rows are a reservation's
 * (HistoryRow.reservation, ledger.ReservationOps), and which are left out
 * unless "Show reservations" is ticked (it asks Go, ledger.HistoryOps). The
 * window kept copies of both lists (credits.OPS, RESERVATION_OPS), which
 * could drift from Go's.
 */
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import CreditsHistory from './CreditsHistory.svelte';
import { installFakeBridge } from '../test/fakeBridge';
import { session } from '../lib/session.svelte';

const row = (id: number, op: string, reservation: boolean) => ({
  id, requestId: `r${id}`, leg: 0, op, kind: 'posted', from: 'pool', to: 'sys:usage', amount: '2', debtRepaid: '0',
  meta: {}, createdAt: '2026-11-20T10:00:00Z', ...(reservation ? { reservation, reservationNote: 'reservation released: not charged' } : {}),
});

describe('Credits → History, Go\'s operations', () => {
  it('offers Go\'s operations, marks the rows Go says are a reservation\'s, and asks Go to leave them out', async () => {
    session.set({ signedIn: true, actor: { userId: 1, name: 'alice', role: 'admin' } } as never);
    // An operation the window never knew ("bonus"), and a reservation's row Go names with an op the window never knew.
    const fake = installFakeBridge({
      'Credits.History': () => ({ items: [row(2, 'reserve', true), row(1, 'bonus', false)], next: 0, ops: ['topup', 'bonus', 'reserve'] }),
      'Team.AccountNames': () => ({}),
    });
    render(CreditsHistory, {});
    await waitFor(() => expect(screen.getAllByTestId('credits-history-row')).toHaveLength(2));
    const options = [...(screen.getByTestId('credits-history-op') as HTMLSelectElement).options].map((o) => o.value);
    expect(options).toEqual(['', 'topup', 'bonus', 'reserve']);
    const [reserved, plain] = screen.getAllByTestId('credits-history-row');
    expect(reserved.classList.contains('reservation')).toBe(true);
    expect(reserved.querySelector('[data-testid="credits-reservation-note"]')).not.toBeNull();
    expect(plain.classList.contains('reservation')).toBe(false);
    const reads = () => fake.calls.filter((c) => c.method === 'History').map((c) => c.args[0] as { ops: string[]; reservations: boolean });
    expect(reads()[0]).toMatchObject({ ops: [], reservations: false });
    await fireEvent.click(screen.getByTestId('credits-history-reservations'));
    await waitFor(() => expect(reads().at(-1)).toMatchObject({ ops: [], reservations: true }));
  });
});
