package team

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/events"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/store"
)

// Notification kinds and levels.
const (
	KindAlert    = "alert"
	KindRecharge = "recharge"

	LevelInfo     = "info"
	LevelWarning  = "warning"
	LevelCritical = "error"
)

// Notification is one entry of the in-app notification centre; the app
// layer also shows it as an OS desktop notification when Desktop is true.
//
// A notification about a department or a member's wallet names it as it is
// called when it is read, not as it was called when it was written: the
// name the title and body were written with is stored beside them
// (notifications.named, migration 0850), and Notifications puts the
// account's current name (accountName, people's rule: "The Research
// department (archived)", "bob (removed)'s wallet") wherever it stands in
// them. The member whose wallet it is about reads "Your wallet" instead,
// in the list and in the live event (Addressee). The event sent when it
// is raised carries the name of that moment.
type Notification struct {
	ID        int64     `json:"id"`
	CreatedAt time.Time `json:"createdAt"`
	Kind      string    `json:"kind"`
	Level     string    `json:"level"`
	Account   string    `json:"account"`
	UserID    int64     `json:"userId"` // the member it concerns (0 = admins only)
	Title     string    `json:"title"`
	Body      string    `json:"message"`
	Read      bool      `json:"read"`
	Desktop   bool      `json:"desktop"` // show an OS notification too

	named string // the account's name as Title and Body say it (accountName when written)
}

// insertNotification stores n inside tx and returns it with its id.
func (s *Service) insertNotification(ctx context.Context, tx *sql.Tx, n Notification) (Notification, error) {
	n.CreatedAt = s.now()
	if n.UserID == 0 && strings.HasPrefix(n.Account, "user:") {
		fmt.Sscanf(n.Account, "user:%d", &n.UserID)
	}
	var uid any
	if n.UserID != 0 {
		uid = n.UserID
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO notifications(created_at, kind, level, account, user_id, title, body, named)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, store.FormatTimeNano(n.CreatedAt), n.Kind, n.Level, n.Account, uid, n.Title, n.Body, n.named)
	if err != nil {
		return n, fmt.Errorf("store notification: %w", err)
	}
	n.ID, _ = res.LastInsertId()
	return n, nil
}

// emit sends stored notifications to the window after their transaction committed.
func (s *Service) emit(ns []Notification, desktop bool) {
	for _, n := range ns {
		n.Desktop = desktop
		s.em.Emit(events.Notification, n)
	}
}

// visibility returns the WHERE clause limiting notifications to what the
// actor may see (with unread, to the unread ones of them): admins see all;
// a member sees their own, and their department's raised while they were
// in it (deptWhenRaised): not those raised before they joined it, nor
// after they left. MarkRead and UnreadNotifications use the same clause,
// so marking all read never marks what the member cannot see, and the
// count is of what the list shows.
//
// The department term first narrows to the departments of the member's
// history (account IN …: deptWhenRaised is always one of them, so the
// result is the same), which SQLite looks up by notifications_account; with
// user_id and account by their indexes, the OR is three index searches
// (migration 0800), not a read of every notification. With unread, each
// term holds read_at = ” itself, so that each search is of the member's
// unread ones (user_id, read_at and account, read_at: migration 0890), not
// of every unread notification of the workspace (notifications_unread).
func (s *Service) visibility(ctx context.Context, unread bool) (string, []any, error) {
	a, err := access.Current(ctx)
	if err != nil {
		return "", nil, err
	}
	if a.System || a.Role == access.RoleAdmin {
		if unread {
			return "read_at = ''", nil, nil
		}
		return "1 = 1", nil, nil
	}
	and := ""
	if unread {
		and = " AND read_at = ''"
	}
	return "((user_id = ?" + and + ") OR (account = ?" + and + ") OR (account IN (SELECT 'dept:' || department_id FROM member_department_history " +
			"WHERE user_id = ? AND department_id IS NOT NULL)" + and + " AND account = " + deptWhenRaised + "))",
		[]any{a.UserID, userAccount(a.UserID), a.UserID, a.UserID}, nil
}

// UnreadNotifications counts the unread notifications the actor may see
// (visibility): all of them, however many, where a list stops at its limit.
// It is the window's unread badge and the CLI's "N unread".
func (s *Service) UnreadNotifications(ctx context.Context) (int, error) {
	where, args, err := s.visibility(ctx, true)
	if err != nil {
		return 0, fmt.Errorf("count unread notifications: %w", err)
	}
	var n int
	if err := s.db.Read().QueryRowContext(ctx, "SELECT count(*) FROM notifications WHERE "+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count unread notifications: %w", err)
	}
	return n, nil
}

// Notifications lists the notifications the actor may see, newest first,
// each naming its account as it is called now (see Notification): at most
// limit of them (outside 1 to NotificationMaxPage: 200).
func (s *Service) Notifications(ctx context.Context, unreadOnly bool, limit int) ([]Notification, error) {
	if limit <= 0 || limit > NotificationMaxPage {
		limit = 200
	}
	return s.notifications(ctx, unreadOnly, 0, limit)
}

// NotificationPageSize is how many notifications a page of the window's
// list holds (NotificationsPage with limit 0); NotificationMaxPage is the
// most one read returns.
const (
	NotificationPageSize = 200
	NotificationMaxPage  = 1000
)

// NotificationPage is a page of notifications, newest first, with the
// cursor of the next (older) page: the id to pass as before, 0 when there
// are no more.
type NotificationPage struct {
	Items []Notification `json:"items"`
	Next  int64          `json:"next"`
}

// NotificationsPage lists the notifications the actor may see (the
// unread only, with unreadOnly), newest first, with an id below before
// (0: from the newest): at most limit (0 = NotificationPageSize, at most
// NotificationMaxPage), and the cursor of the next page. It is the
// window's list and its "Show more", which had stopped at the newest 200.
// A negative before or limit is refused (ErrInvalid).
func (s *Service) NotificationsPage(ctx context.Context, unreadOnly bool, before int64, limit int) (NotificationPage, error) {
	switch {
	case before < 0:
		return NotificationPage{}, fmt.Errorf("list notifications: %w", inputerr.New(ErrInvalid, "before %d", before))
	case limit < 0:
		return NotificationPage{}, fmt.Errorf("list notifications: %w", inputerr.New(ErrInvalid, "limit %d", limit))
	case limit == 0:
		limit = NotificationPageSize
	case limit > NotificationMaxPage:
		limit = NotificationMaxPage
	}
	items, err := s.notifications(ctx, unreadOnly, before, limit+1) // one more: is there a next page?
	if err != nil {
		return NotificationPage{}, err
	}
	page := NotificationPage{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		page.Next = items[limit-1].ID
	}
	return page, nil
}

// notifications lists at most limit of the notifications the actor may
// see with an id below before (0: any), newest first.
func (s *Service) notifications(ctx context.Context, unreadOnly bool, before int64, limit int) ([]Notification, error) {
	where, args, err := s.visibility(ctx, unreadOnly)
	if err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	q := `SELECT id, created_at, kind, level, account, COALESCE(user_id, 0), title, body, read_at, named FROM notifications WHERE ` + where
	if before > 0 {
		q += " AND id < ?"
		args = append(args, before)
	}
	rows, err := s.db.Read().QueryContext(ctx, q+" ORDER BY id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	defer rows.Close()
	out := []Notification{}
	for rows.Next() {
		var n Notification
		var created, read string
		if err := rows.Scan(&n.ID, &created, &n.Kind, &n.Level, &n.Account, &n.UserID, &n.Title, &n.Body, &read, &n.named); err != nil {
			return nil, fmt.Errorf("list notifications: %w", err)
		}
		n.CreatedAt, n.Read = parseTS(created), read != ""
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	rows.Close()
	s.nameAsNow(ctx, out)
	return out, nil
}

// nameAsNow puts each notification's account's current name (accountName)
// where its title and body say the name it was written with, in the words
// of the sentence's place (accountWords: "The Research department is
// running low", "… to the Research department."). A member reading a
// notification about their own wallet reads "Your wallet" (addressed),
// whoever wrote it; an admin reads the member's name. A name that cannot
// be read now (or a notification written without one) leaves the text as
// it was.
func (s *Service) nameAsNow(ctx context.Context, ns []Notification) {
	var reader int64
	admin := true
	if a, err := access.Current(ctx); err == nil && !a.System {
		reader, admin = a.UserID, a.IsAdmin()
	}
	type label struct {
		words accountWords
		ok    bool
	}
	now := map[string]label{} // account -> its name now
	for i := range ns {
		n := &ns[i]
		if !admin {
			n.toMember()
		}
		if n.named == "" {
			continue
		}
		if reader > 0 && n.Account == userAccount(reader) {
			n.rename(yourWallet)
			continue
		}
		l, seen := now[n.Account]
		if !seen {
			l.words, l.ok = accountLabel(ctx, s.db.Read(), n.Account)
			now[n.Account] = l
		}
		if l.ok {
			n.rename(l.words)
		}
	}
}

// rename puts w where the title and body say the name they were written
// with (replaceName), and remembers the form the text now holds.
func (n *Notification) rename(w accountWords) {
	if n.named == "" {
		return
	}
	n.Title = replaceName(n.Title, n.named, w)
	n.Body = replaceName(n.Body, n.named, w)
	n.named = w.mid
	if strings.Contains(n.Title+"\n"+n.Body, w.start) {
		n.named = w.start
	}
}

// The instructions a notification gives, which only an admin can follow
// (top-ups and moves are admin-only): a member reads memberAsk instead, as
// the chat tells them to "ask an admin for credits".
const (
	adminTopUpOrMove = "Top up or move credits to keep chatting."
	adminTopUpPool   = "Top up the pool."
	memberAsk        = "Ask an admin for credits."
)

// toMember puts the words a member can act on where the text gives an
// admin's instruction (its own wallet's notification or its department's;
// notifications stored earlier read the same way).
func (n *Notification) toMember() {
	for _, admin := range []string{adminTopUpOrMove, adminTopUpPool} {
		n.Body = strings.ReplaceAll(n.Body, admin, memberAsk)
	}
}

// WordedFor implements events.Addressed: the notification as the reader
// signed in to the window reads it, live as in the list (nameAsNow): the
// wallet's owner reads "Your wallet is running low", and a member (not an
// admin) "Ask an admin for credits." where an admin is told to top up.
func (n Notification) WordedFor(reader int64, admin bool) any {
	if !admin {
		n.toMember()
	}
	if reader > 0 && n.Account == userAccount(reader) {
		n.rename(yourWallet)
	}
	return n
}

// MarkRead marks notifications read (ids empty = every visible one).
func (s *Service) MarkRead(ctx context.Context, ids []int64) error {
	seen, seenArgs, err := s.visibility(ctx, false)
	if err != nil {
		return fmt.Errorf("mark notifications read: %w", err)
	}
	where, args, err := s.visibility(ctx, true)
	if err != nil {
		return fmt.Errorf("mark notifications read: %w", err)
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	q := "UPDATE notifications SET read_at = ? WHERE " + where
	args = append([]any{store.FormatTimeNano(s.now())}, args...)
	in := ""
	if len(ids) > 0 {
		in = " AND id IN (" + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + ")"
		for _, id := range ids {
			args = append(args, id)
			seenArgs = append(seenArgs, id)
		}
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		if len(ids) > 0 {
			// Every id given must be one the actor sees: "marked read"
			// must not be said of a notification that was not.
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM notifications WHERE "+seen+in, seenArgs...).Scan(&n); err != nil {
				return err
			}
			if n != len(ids) {
				return fmt.Errorf("%w: no such notification among %v", ErrNotFound, ids)
			}
		}
		_, err := tx.ExecContext(ctx, q+in, args...)
		return err
	})
	if err != nil {
		return fmt.Errorf("mark notifications read: %w", err)
	}
	return nil
}

// Audience implements events.Audience: the member or account the
// notification concerns (admins see every one).
func (n Notification) Audience() (userID int64, account string, adminsOnly bool) {
	return n.UserID, n.Account, false
}

// MaySee reports whether a may see a notification about userID or account
// raised at at (the zero time: now): admins see all; a member sees their
// own, and their department's raised while they were in it. It is the rule
// visibility writes as SQL, for one live event.
func (s *Service) MaySee(ctx context.Context, a access.Actor, userID int64, account string, at time.Time) (bool, error) {
	if a.IsAdmin() {
		return true, nil
	}
	if userID == a.UserID || account == userAccount(a.UserID) {
		return true, nil
	}
	if !strings.HasPrefix(account, "dept:") {
		return false, nil
	}
	if at.IsZero() {
		at = s.now()
	}
	dept, err := departmentAt(ctx, s.db.Read(), a.UserID, at)
	if err != nil {
		return false, fmt.Errorf("who may see a notification: %w", err)
	}
	return dept != 0 && account == deptAccount(dept), nil
}

// DesktopNotification implements events.Desktop: alerts marked Desktop are
// also shown as an OS notification.
func (n Notification) DesktopNotification() (title, body string, ok bool) {
	return n.Title, n.Body, n.Desktop
}
