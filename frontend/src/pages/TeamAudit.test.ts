// Team → Audit log reads a page at a time, newest first: "Load more" adds
// the older entries by their cursor, and the page says how many it shows.
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import TeamAudit from './TeamAudit.svelte';
import { installFakeBridge } from '../test/fakeBridge';

/** n entries, newest first: ids n … 1. */
const log = (n: number) => Array.from({ length: n }, (_, i) => ({
  id: n - i, at: '2026-01-01T00:00:00Z', actorId: 1, actorName: 'alice', action: i % 2 ? 'member.update' : 'credits.topup',
  target: `user:${i}`, before: null, after: null,
}));

/** Team.AuditPage over entries, as the backend pages them (below `before`, `limit` of them, the next cursor). */
function setup(entries: ReturnType<typeof log>) {
  const f = installFakeBridge({
    'Team.AuditPage': (filter: { action: string; limit: number }, before: number) => {
      const rest = entries.filter((e) => (!before || e.id < before) && e.action.startsWith(filter.action));
      const items = rest.slice(0, filter.limit || 100);
      return { items, next: rest.length > items.length ? items.at(-1)!.id : 0 };
    },
    'Team.Members': () => [],
    'Team.Departments': () => [],
  });
  render(TeamAudit);
  return f;
}

const rows = () => screen.getByTestId('team-audit-table').querySelectorAll('tbody tr');

describe('Team → Audit log', () => {
  it('shows the newest page and loads older entries until there are none; the focus goes on to them', async () => {
    const f = setup(log(250));
    await waitFor(() => expect(rows()).toHaveLength(100));
    expect(screen.getByTestId('team-audit-count').textContent!.trim()).toBe('The newest 100 entries are shown.');
    const more = screen.getByTestId('team-audit-more');
    expect(more.tagName).toBe('BUTTON');
    more.focus();
    await fireEvent.click(more);
    await waitFor(() => expect(rows()).toHaveLength(200));
    expect(f.calls.filter((c) => c.method === 'AuditPage').map((c) => c.args[1])).toEqual([0, 151]);
    expect(document.activeElement).toBe(screen.getByTestId('team-audit-more')); // Enter again loads more
    await fireEvent.click(screen.getByTestId('team-audit-more'));
    await waitFor(() => expect(rows()).toHaveLength(250));
    expect(screen.queryByTestId('team-audit-more')).toBeNull();
    expect(screen.getByTestId('team-audit-count').textContent!.trim()).toBe('250 entries.');
    expect(document.activeElement).toBe(screen.getByTestId('team-audit-details-50')); // the first entry it added
  });

  it('shows no entry until the account names are read, so no target reads "Member #2" for a moment', async () => {
    let answer: (v: Record<string, string>) => void = () => {};
    installFakeBridge({
      'Team.AuditPage': () => ({ items: [{ ...log(1)[0], target: 'user:2' }], next: 0 }),
      'Team.AccountNames': () => new Promise((r) => (answer = r)),
    });
    render(TeamAudit);
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId('team-audit-table')).toBeNull();
    answer({ 'user:2': 'Bob Martin' });
    await waitFor(() => expect(rows()[0].textContent).toContain('Bob Martin'));
    expect(rows()[0].textContent).not.toContain('Member #2');
  });

  it('a new filter starts again from the newest matching entries', async () => {
    const f = setup(log(250));
    await waitFor(() => expect(rows()).toHaveLength(100));
    await fireEvent.click(screen.getByTestId('team-audit-more'));
    await waitFor(() => expect(rows()).toHaveLength(200));
    await fireEvent.input(screen.getByTestId('team-audit-action'), { target: { value: 'member.' } });
    await fireEvent.click(screen.getByTestId('team-audit-apply'));
    await waitFor(() => expect(rows()).toHaveLength(100));
    const last = f.calls.filter((c) => c.method === 'AuditPage').at(-1)!;
    expect(last.args[0]).toMatchObject({ action: 'member.', limit: 100 });
    expect(last.args[1]).toBe(0);
    await fireEvent.click(screen.getByTestId('team-audit-more'));
    await waitFor(() => expect(rows()).toHaveLength(125));
    expect(screen.getByTestId('team-audit-count').textContent!.trim()).toBe('125 entries.');
  });
});
