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

  it('names each target as the backend does, and filters by a target picked by name', async () => {
    const entry = (id: number, target: string, targetName: string) => ({ ...log(1)[0], id, target, targetName });
    const entries = [entry(3, 'provider:1', 'OpenAI'), entry(2, 'rates:v2', 'Rate table v2'), entry(1, 'workspace', 'Workspace settings')];
    const f = installFakeBridge({
      'Team.AuditPage': (filter: { target: string }) => ({ items: entries.filter((e) => !filter.target || e.target === filter.target), next: 0 }),
      'Team.AuditTargets': () => [
        { target: 'provider:1', name: 'OpenAI' }, { target: 'rates:v2', name: 'Rate table v2' }, { target: 'workspace', name: 'Workspace settings' },
      ],
    });
    render(TeamAudit);
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect([...rows()].map((r) => r.querySelectorAll('td')[3].textContent)).toEqual(['OpenAI', 'Rate table v2', 'Workspace settings']);
    expect(rows()[0].querySelectorAll('td')[3].getAttribute('title')).toBe('provider:1');
    const picker = screen.getByTestId('team-audit-target') as HTMLSelectElement;
    await waitFor(() => expect([...picker.options].map((o) => o.textContent)).toEqual(['Any target', 'OpenAI', 'Rate table v2', 'Workspace settings']));
    expect(screen.getByLabelText('Target')).toBe(picker);
    expect(picker.getAttribute('placeholder')).toBeNull();
    await fireEvent.change(picker, { target: { value: 'rates:v2' } });
    await fireEvent.click(screen.getByTestId('team-audit-apply'));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(f.calls.filter((c) => c.method === 'AuditPage').at(-1)!.args[0]).toMatchObject({ target: 'rates:v2' });
    expect(rows()[0].textContent).toContain('Rate table v2');
  });

  it('a name two targets share shows each with its code, so no two options read alike', async () => {
    installFakeBridge({
      'Team.AuditPage': () => ({ items: [], next: 0 }),
      'Team.AuditTargets': () => [
        { target: 'user:4', name: 'Bob Martin' }, { target: 'user:7', name: 'bob martin' },
        { target: 'provider:3#1', name: 'lab (removed)' }, { target: 'provider:3#2', name: 'lab (removed)' },
        { target: 'provider:1', name: 'OpenAI' },
      ],
    });
    render(TeamAudit);
    const picker = screen.getByTestId('team-audit-target') as HTMLSelectElement;
    await waitFor(() => expect([...picker.options].map((o) => [o.value, o.textContent])).toEqual([
      ['', 'Any target'], ['user:4', 'Bob Martin · user:4'], ['user:7', 'bob martin · user:7'],
      ['provider:3#1', 'lab (removed) · provider:3#1'], ['provider:3#2', 'lab (removed) · provider:3#2'], ['provider:1', 'OpenAI'],
    ]));
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
