import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import TeamNotifications from './TeamNotifications.svelte';
import { installFakeBridge, installFakeRuntime } from '../test/fakeBridge';
import { usable } from '../test/a11y';
import { session } from '../lib/session.svelte';

const note = (id: number, read = false) => ({
  id, createdAt: '2026-06-15T12:00:00Z', kind: 'alert', level: 'warning', account: 'user:2', userId: 2,
  title: `Low balance ${id}`, message: 'Your wallet is below 10 credits.', read, desktop: false,
});

/**
 * A fake Team whose NotificationsPage pages through `all` (newest first) as
 * the backend does: below `before`, `limit` of them (0 = 200), with the
 * cursor of the next page.
 */
function fakeTeam(all: ReturnType<typeof note>[]) {
  const state = { all };
  const fake = installFakeBridge({
    'Team.NotificationsPage': (unreadOnly: boolean, before: number, limit: number) => {
      const size = limit || 200;
      const rows = state.all.filter((n) => (!unreadOnly || !n.read) && (!before || n.id < before));
      const items = rows.slice(0, size);
      return { items, next: rows.length > size ? items[size - 1].id : 0 };
    },
    'Team.UnreadNotifications': () => state.all.filter((n) => !n.read).length,
    'Team.MarkRead': (ids: number[]) => {
      state.all = state.all.map((n) => (!ids.length || ids.includes(n.id) ? { ...n, read: true } : n));
      return true;
    },
  });
  const pages = () => fake.calls.filter((c) => c.method === 'NotificationsPage').map((c) => c.args);
  return { state, fake, pages };
}

const shown = () => screen.getByTestId('team-notifications-list').querySelectorAll('li').length;

describe('Notifications', () => {
  // An alert's time is the workspace's, named: a member in another zone
  // does not read 22:00 Sydney time as their own.
  it("names the workspace zone after an alert's time", async () => {
    installFakeRuntime();
    session.set({ signedIn: true, actor: { userId: 2, name: 'bob', role: 'member' }, timeZone: 'Australia/Sydney' } as never);
    fakeTeam([note(1)]);
    render(TeamNotifications);
    expect((await screen.findByTestId('team-notification-1')).textContent).toContain('2026-06-15 22:00 (Australia/Sydney)');
    session.set(null);
  });

  // The list reads a page of 200 at a time; "Show more" adds the older
  // ones (before, it stopped at the newest 200 with no way to see the
  // rest). The badge is the backend's count of every unread one: 500
  // unread show as 500, not as the 200 listed.
  it('badges every unread notification and shows more, a page at a time, until none is left', async () => {
    installFakeRuntime();
    const { pages, fake } = fakeTeam(Array.from({ length: 500 }, (_, i) => note(500 - i)));
    render(TeamNotifications);
    expect((await screen.findByTestId('team-notifications-unread')).textContent).toBe('500');
    expect(shown()).toBe(200);
    expect(screen.getByTestId('team-notifications-more').textContent).toContain('500 unread in all; the newest 200 notifications are shown (Show more');
    expect(pages()).toEqual([[false, 0, 200]]);

    await fireEvent.click(screen.getByTestId('team-notifications-show-more'));
    await waitFor(() => expect(shown()).toBe(400));
    expect(screen.getByTestId('team-notification-101')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('team-notifications-show-more'));
    await waitFor(() => expect(shown()).toBe(500));
    expect(pages()).toEqual([[false, 0, 200], [false, 301, 200], [false, 101, 200]]);
    expect(screen.queryByTestId('team-notifications-show-more')).toBeNull();
    expect(screen.queryByTestId('team-notifications-more')).toBeNull(); // every unread one is listed

    // Mark all read re-reads the 500 shown, not only the first page.
    await fireEvent.click(screen.getByTestId('team-notifications-read-all'));
    expect(fake.calls).toContainEqual({ struct: 'Team', method: 'MarkRead', args: [[]] });
    await waitFor(() => expect(screen.queryByTestId('team-notifications-unread')).toBeNull());
    expect(pages().at(-1)).toEqual([false, 0, 500]);
    expect(shown()).toBe(500);
    expect(screen.getByTestId('team-notification-1').classList.contains('unread')).toBe(false);
    expect(usable(screen.getByTestId('team-notifications-read-all'))).toBe(false);
  });

  it('keeps the pages shown when a notification arrives, with the new one on top', async () => {
    const rt = installFakeRuntime();
    const { state } = fakeTeam(Array.from({ length: 300 }, (_, i) => note(300 - i)));
    render(TeamNotifications);
    await screen.findByTestId('team-notifications-show-more');
    await fireEvent.click(screen.getByTestId('team-notifications-show-more'));
    await waitFor(() => expect(shown()).toBe(300));
    state.all = [note(301), ...state.all];
    rt.emit('notification', note(301));
    await waitFor(() => expect(screen.getByTestId('team-notifications-unread').textContent).toBe('301'));
    await waitFor(() => expect(screen.getByTestId('team-notification-301')).toBeTruthy());
    expect(shown()).toBe(301); // the new one on top, and every one shown before
    expect(screen.getByTestId('team-notification-1')).toBeTruthy();
    expect(screen.queryByTestId('team-notifications-show-more')).toBeNull();
  });

  // More than NOTIFICATION_MAX_PAGE (1,000) shown: a refresh re-read at
  // most 1,000, so a Mark read, Mark all read or a new notification cut
  // the list back to 1,000, the one clicked vanished and "Show more" came
  // back. Every page shown stays, read page by page with the cursor.
  it('keeps more than 1,000 shown on Mark read, a new notification and Mark all read', async () => {
    const rt = installFakeRuntime();
    const { state, pages } = fakeTeam(Array.from({ length: 1300 }, (_, i) => note(1300 - i)));
    render(TeamNotifications);
    await screen.findByTestId('team-notifications-show-more');
    for (let n = 400; n <= 1200; n += 200) {
      await fireEvent.click(screen.getByTestId('team-notifications-show-more'));
      await waitFor(() => expect(shown()).toBe(n));
    }
    expect(pages().at(-1)).toEqual([false, 301, 200]); // notifications 300..101 added last

    const item = screen.getByTestId('team-notification-150');
    await fireEvent.click(within(item).getByRole('button', { name: 'Mark read' }));
    await waitFor(() => expect(screen.getByTestId('team-notifications-unread').textContent).toBe('1299'));
    await waitFor(() => expect(screen.getByTestId('team-notification-150').classList.contains('unread')).toBe(false));
    expect(shown()).toBe(1200);
    expect(screen.getByTestId('team-notification-101')).toBeTruthy();
    expect(screen.getByTestId('team-notifications-show-more')).toBeTruthy(); // 100..1 are still older
    expect(pages().slice(-2)).toEqual([[false, 0, 1000], [false, 301, 200]]);

    state.all = [note(1301), ...state.all];
    rt.emit('notification', note(1301));
    await waitFor(() => expect(screen.getByTestId('team-notification-1301')).toBeTruthy());
    expect(shown()).toBe(1201);
    expect(screen.getByTestId('team-notification-101')).toBeTruthy();

    await fireEvent.click(screen.getByTestId('team-notifications-read-all'));
    await waitFor(() => expect(screen.queryByTestId('team-notifications-unread')).toBeNull());
    await waitFor(() => expect(screen.getByTestId('team-notification-101').classList.contains('unread')).toBe(false));
    expect(shown()).toBe(1201);
    expect(screen.getByTestId('team-notification-1301').classList.contains('unread')).toBe(false);
  });

  // A notification event, or a Mark read, while "Show more" was reading
  // older ones: the list's refresh was dropped (a read was under way), so
  // the new notification stayed out of the list and the one marked read
  // stayed marked unread, while the badge, counted beside it, had changed.
  it('lists what changed while "Show more" was reading once it is done', async () => {
    const rt = installFakeRuntime();
    const t = fakeTeam(Array.from({ length: 300 }, (_, i) => note(300 - i)));
    let open: () => void = () => {};
    const gate = new Promise<void>((r) => (open = r));
    const page = t.fake.handlers['Team.NotificationsPage'];
    render(TeamNotifications);
    await screen.findByTestId('team-notifications-show-more');
    // The older page answers only when let through.
    const slowPage = async (unreadOnly: boolean, before: number, limit: number) => {
      const answer = page(unreadOnly, before, limit);
      if (before) await gate;
      return answer;
    };
    t.fake.handlers['Team.NotificationsPage'] = slowPage;
    await fireEvent.click(screen.getByTestId('team-notifications-show-more'));
    t.state.all = [note(301), ...t.state.all];
    rt.emit('notification', note(301));
    await fireEvent.click(within(screen.getByTestId('team-notification-250')).getByRole('button', { name: 'Mark read' }));
    await waitFor(() => expect(screen.getByTestId('team-notifications-unread').textContent).toBe('300'));
    open();
    await waitFor(() => expect(screen.getByTestId('team-notification-301')).toBeTruthy());
    await waitFor(() => expect(screen.getByTestId('team-notification-250').classList.contains('unread')).toBe(false));
    expect(shown()).toBe(301);
    expect(screen.queryByTestId('team-notifications-more')).toBeNull(); // every unread one is listed
  });

  it('says nothing more when the list shows every unread one', async () => {
    installFakeRuntime();
    fakeTeam([note(3), note(2, true), note(1)]);
    render(TeamNotifications);
    expect((await screen.findByTestId('team-notifications-unread')).textContent).toBe('2');
    expect(screen.queryByTestId('team-notifications-more')).toBeNull();
    expect(screen.queryByTestId('team-notifications-show-more')).toBeNull();
  });

  it('reads the unread only from the first page again', async () => {
    installFakeRuntime();
    const { pages } = fakeTeam(Array.from({ length: 250 }, (_, i) => note(250 - i, i % 2 === 0)));
    render(TeamNotifications);
    await screen.findByTestId('team-notifications-show-more');
    await fireEvent.click(screen.getByLabelText('Unread only'));
    await waitFor(() => expect(shown()).toBe(125));
    expect(pages().at(-1)).toEqual([true, 0, 200]);
    expect(screen.queryByTestId('team-notifications-show-more')).toBeNull();
  });
});
