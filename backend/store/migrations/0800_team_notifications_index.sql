-- Indexes for the notification centre's queries (team.Service.Notifications,
-- UnreadNotifications, MarkRead), which read the notifications table whole
-- before: the unread count behind the window's badge, an admin's unread list
-- and "mark all read" read the unread ones by the partial index (unread
-- notifications only, so it stays small however many were read); a member's
-- list reads theirs by user_id, by their wallet's account and by each
-- department account of their history (team's visibility clause is written
-- so that SQLite takes the three by these indexes, a MULTI-INDEX OR).
CREATE INDEX notifications_unread ON notifications(read_at) WHERE read_at = '';
CREATE INDEX notifications_user ON notifications(user_id);
CREATE INDEX notifications_account ON notifications(account);
