import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import TeamNotifications from './TeamNotifications.svelte';
import { installFakeBridge, installFakeRuntime } from '../test/fakeBridge';

const note = (id: number, read = false) => ({
  id, createdAt: '2026-06-15T12:00:00Z', kind: 'alert', level: 'warning', account: 'user:2', userId: 2,
  title: `Low balance ${id}`, message: 'Your wallet is below 10 credits.', read, desktop: false,
});

describe('Notifications', () => {
  // The list stops at the newest 200; the badge is the backend's count of
  // every unread one. Before, it counted the list: 500 unread showed as 200.
  it('badges every unread notification, not those of the capped list', async () => {
    installFakeRuntime();
    const newest = Array.from({ length: 200 }, (_, i) => note(500 - i));
    let unread = 500;
    const fake = installFakeBridge({
      'Team.Notifications': () => (unread ? newest : newest.map((n) => ({ ...n, read: true }))),
      'Team.UnreadNotifications': () => unread,
      'Team.MarkRead': () => {
        unread = 0;
        return true;
      },
    });
    render(TeamNotifications);
    expect((await screen.findByTestId('team-notifications-unread')).textContent).toBe('500');
    expect(screen.getByTestId('team-notifications-more').textContent).toContain('500 unread in all; the newest 200 notifications are shown');

    await fireEvent.click(screen.getByTestId('team-notifications-read-all'));
    expect(fake.calls).toContainEqual({ struct: 'Team', method: 'MarkRead', args: [[]] });
    await waitFor(() => expect(screen.queryByTestId('team-notifications-unread')).toBeNull());
    expect(screen.queryByTestId('team-notifications-more')).toBeNull();
    expect((screen.getByTestId('team-notifications-read-all') as HTMLButtonElement).disabled).toBe(true);
  });

  it('says nothing more when the list shows every unread one', async () => {
    installFakeRuntime();
    installFakeBridge({
      'Team.Notifications': () => [note(3), note(2, true), note(1)],
      'Team.UnreadNotifications': () => 2,
    });
    render(TeamNotifications);
    expect((await screen.findByTestId('team-notifications-unread')).textContent).toBe('2');
    expect(screen.queryByTestId('team-notifications-more')).toBeNull();
  });
});
