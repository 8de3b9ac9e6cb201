-- A member's unread notifications by their own indexes (team.Service's
-- visibility with unread: the unread count behind the window's badge, the
-- unread list, "mark all read"). Until now SQLite found them through the
-- partial index of every unread notification (notifications_unread), and
-- read each one the workspace had unread, the admins' too, to keep the
-- member's: a workspace whose admins never marked their alerts read made
-- every member's badge read all of them. The visibility clause now puts
-- read_at = '' in each of its three terms, so that SQLite takes each term
-- as one search of these indexes (a MULTI-INDEX OR) and reads the member's
-- unread notifications alone. notifications_user and notifications_account
-- stay: the whole list's next page narrows their searches by id.
CREATE INDEX notifications_user_read ON notifications(user_id, read_at);
CREATE INDEX notifications_account_read ON notifications(account, read_at);
