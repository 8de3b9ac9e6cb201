package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/core"
	"meterdesk/backend/events"
	"meterdesk/backend/fileout"
	"meterdesk/backend/ledger"
	"meterdesk/backend/team"
)

func init() {
	register(func(a *App) any { return &Team{app: a} })
	SessionPolicy = teamSessionPolicy
	SessionRefusal = func(ctx context.Context, b *core.Backend) error {
		if need, err := b.Team.NeedsSetup(context.WithoutCancel(ctx)); err == nil && need {
			return access.ErrNoWorkspace
		}
		return nil
	}
	SessionCheck = func(ctx context.Context, b *core.Backend, a access.Actor) (access.Actor, bool, error) {
		return b.Team.Recheck(ctx, a)
	}
	MayReceive = func(ctx context.Context, b *core.Backend, a access.Actor, p events.Audience) (bool, error) {
		userID, account, _ := p.Audience()
		var at time.Time // a notification: the member's department when it was raised
		if n, ok := p.(team.Notification); ok {
			at = n.CreatedAt
		}
		return b.Team.MaySee(ctx, a, userID, account, at)
	}
}

// deviceTokenFile holds this computer's "remember me" token (0600) in the
// data folder; only its hash is in the database.
const deviceTokenFile = "device-token"

// lockedFile marks the data folder as locked (the idle lock or Lock): the
// next start shows the profile picker even when a member is remembered, so
// quitting and reopening the app does not get past a lock. A sign-in with
// a secret (or the first-run wizard) removes it.
const lockedFile = "window-locked"

func markLocked(b *core.Backend) error {
	if err := os.WriteFile(filepath.Join(b.DataDir, lockedFile), []byte("locked\n"), 0o600); err != nil {
		return fmt.Errorf("remember the lock: %w", err)
	}
	return nil
}

func clearLocked(b *core.Backend) error {
	if err := os.Remove(filepath.Join(b.DataDir, lockedFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("clear the lock: %w", err)
	}
	return nil
}

func isLocked(b *core.Backend) bool {
	_, err := os.Stat(filepath.Join(b.DataDir, lockedFile))
	return err == nil
}

// forgetDevice forgets this computer's "remember me" (the database row and
// the file).
func forgetDevice(b *core.Backend) error {
	tok := readDeviceToken(b)
	if tok == "" {
		return nil
	}
	if err := b.Team.Forget(context.Background(), tok); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(b.DataDir, deviceTokenFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("forget this computer: %w", err)
	}
	return nil
}

func readDeviceToken(b *core.Backend) string {
	raw, err := os.ReadFile(filepath.Join(b.DataDir, deviceTokenFile))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(raw))
}

// teamSessionPolicy signs the window in at start when the team rules allow
// it: a one-member workspace, or a remembered member on this computer;
// never when the window was locked when it last closed. Before setup
// nobody is signed in (there is nobody) and CurrentUser reports NeedsSetup,
// so the frontend shows the first-run wizard; every other call is refused
// with access.ErrNoWorkspace (SessionRefusal) until Setup signs its admin in.
func teamSessionPolicy(ctx context.Context, b *core.Backend) (access.Actor, bool) {
	if isLocked(b) {
		return access.Actor{}, false
	}
	a, ok, err := b.Team.AutoSignIn(ctx, readDeviceToken(b))
	if err != nil || !ok {
		return access.Actor{}, false
	}
	return a, true
}

// Team is the bound struct for sign-in, the first-run wizard, the lock
// screen, the Team admin pages and the notification centre. Every role
// check happens in backend/team.
type Team struct{ app *App }

// Session is what the shell needs to decide which screen to show.
type Session struct {
	SignedIn        bool         `json:"signedIn"`
	NeedsSetup      bool         `json:"needsSetup"`
	Actor           access.Actor `json:"actor"`
	DisplayName     string       `json:"displayName"` // the signed-in member's display name ("" = none: show Actor.Name)
	Workspace       string       `json:"workspace"`
	IdleLockMinutes int          `json:"idleLockMinutes"` // 0 = never lock
	TimeZone        string       `json:"timeZone"`        // the workspace's IANA zone, in which the window shows times
}

// CurrentUser returns the session: who is signed in, or that setup or
// sign-in is needed.
func (t *Team) CurrentUser() (Session, error) {
	b := t.app.Backend
	need, err := b.Team.NeedsSetup(context.Background())
	if err != nil {
		return Session{}, err
	}
	s := Session{NeedsSetup: need}
	ctx, a, ok := t.app.CtxActor()
	if !ok || need {
		return s, nil
	}
	s.SignedIn, s.Actor = true, a
	if a.UserID != 0 {
		if m, err := b.Team.Member(ctx, a.UserID); err == nil {
			s.DisplayName = m.DisplayName
		}
	}
	if w, err := b.Team.Workspace(ctx); err == nil {
		s.Workspace, s.IdleLockMinutes, s.TimeZone = w.Name, w.IdleLockMinutes, w.TimeZone
	}
	return s, nil
}

// SecretProblem says what is wrong with a new password or PIN as typed, in
// the words its refusal says (team.SecretProblem: "A password needs at
// least 8 characters."), or "" when it would be taken. The window's forms
// show it while it is typed: the first-run wizard (before anyone is signed
// in), My account, a new member and a reset, so that the rule is the
// backend's only. It reads and writes nothing. It answers a signed-in
// member, and before setup anyone (the wizard's admin is not signed in
// yet); once there is a workspace, a signed-out window is refused, as for
// every bound method but sign-in's (no form of the sign-in page sets a
// secret).
func (t *Team) SecretProblem(kind, secret string) (string, error) {
	if _, err := access.Current(t.app.Ctx()); err != nil {
		fresh, ferr := t.app.Backend.Team.NeedsSetup(t.app.Ctx())
		if ferr != nil {
			return "", ferr
		}
		if !fresh {
			return "", err
		}
	}
	return team.SecretProblem(kind, secret), nil
}

// SecretKinds lists the kinds of secret a member may sign in with, each
// with its rule in words (team.SecretKinds: "Password (8+ characters)",
// "At least 8 characters."), which the first-run wizard and My account show
// where a password or PIN is chosen and typed, so that the rule's numbers
// are the backend's only. It reads and writes nothing, and answers whom
// SecretProblem answers: a signed-in member, and before setup anyone.
func (t *Team) SecretKinds() ([]team.SecretKind, error) {
	if _, err := t.SecretProblem(team.SecretPassword, ""); err != nil {
		return nil, err
	}
	return team.SecretKinds(), nil
}

// NeedsSetup reports whether the first-run wizard must run.
func (t *Team) NeedsSetup() (bool, error) {
	return t.app.Backend.Team.NeedsSetup(context.Background())
}

// Setup runs the first-run wizard and signs the new admin in.
func (t *Team) Setup(in team.WorkspaceSetup) (Session, error) {
	a, err := t.app.Backend.Team.Setup(context.Background(), in)
	if err != nil {
		return Session{}, err
	}
	t.app.SetActor(a)
	if err := clearLocked(t.app.Backend); err != nil {
		return Session{}, err
	}
	return t.CurrentUser()
}

// Profiles lists the members for the profile picker (no sign-in needed).
func (t *Team) Profiles() ([]team.Profile, error) {
	return t.app.Backend.Team.Profiles(context.Background())
}

// SignIn checks a member's password or PIN and signs them in; remember
// keeps them signed in on this computer. This computer remembers one
// member: another member signing in (with or without remember) makes it
// forget the one it remembered, so the next start does not sign that
// member in behind them.
func (t *Team) SignIn(name, secret string, remember bool) (Session, error) {
	b := t.app.Backend
	a, err := b.Team.Authenticate(context.Background(), name, secret)
	if err != nil {
		return Session{}, err
	}
	t.app.SetActor(a)
	if err := clearLocked(b); err != nil {
		return Session{}, err
	}
	if !remember {
		id, ok, err := b.Team.RememberedMember(context.Background(), readDeviceToken(b))
		if err != nil {
			return Session{}, err
		}
		if ok && id != a.UserID {
			if err := forgetDevice(b); err != nil {
				return Session{}, err
			}
		}
	}
	if remember {
		tok, err := b.Team.Remember(t.app.Ctx(), a.UserID)
		if err != nil {
			return Session{}, err
		}
		old := readDeviceToken(b)
		if err := os.WriteFile(filepath.Join(b.DataDir, deviceTokenFile), []byte(tok+"\n"), 0o600); err != nil {
			return Session{}, err
		}
		_ = b.Team.Forget(context.Background(), old)
	}
	return t.CurrentUser()
}

// SignOut ends the session and forgets this computer's "remember me".
func (t *Team) SignOut() (Session, error) {
	if err := forgetDevice(t.app.Backend); err != nil {
		return Session{}, err
	}
	t.app.SignOut()
	return t.CurrentUser()
}

// Lock ends the session after idle time (or on request) and shows the
// profile picker. "Remember me" stays, but the lock outlasts a restart: the
// next start shows the picker too, until someone signs in with a secret.
func (t *Team) Lock() (Session, error) {
	t.app.SignOut()
	if need, err := t.app.Backend.Team.NeedsSetup(t.app.Ctx()); err == nil && need {
		// Nothing to lock before setup: marking the folder locked would
		// make the next start ask for a sign-in after a CLI setup.
		return t.CurrentUser()
	}
	if err := markLocked(t.app.Backend); err != nil {
		return Session{}, err
	}
	return t.CurrentUser()
}

// Workspace returns the workspace settings.
func (t *Team) Workspace() (team.Workspace, error) {
	return t.app.Backend.Team.Workspace(t.app.Ctx())
}

// PatchWorkspace changes the workspace settings p gives and only those
// (admin only), and says whether it had them already (unchanged: nothing
// written or audited). With p.Read (the workspace as the card showed it) a
// given setting someone else changed since is refused (team.ErrChanged:
// "… was changed by someone else since you opened it (now …): reload and
// try again"), nothing written. The window has no call that sends the
// whole workspace back: a card saving what it read would undo another's
// change to the rest.
func (t *Team) PatchWorkspace(p team.WorkspacePatch) (team.WorkspaceChange, error) {
	return t.app.Backend.Team.PatchWorkspace(t.app.Ctx(), p)
}

// Members lists members (admin only).
func (t *Team) Members(includeRemoved bool) ([]team.Member, error) {
	return t.app.Backend.Team.ListMembers(t.app.Ctx(), includeRemoved)
}

// AddMember adds a member (admin only).
func (t *Team) AddMember(in team.NewMember) (team.Member, error) {
	return t.app.Backend.Team.AddMember(t.app.Ctx(), in)
}

// UpdateMember changes a member (admin only). A member switched from their
// wallet to the organisation comes back with what the wallet holds; with
// returnCredits that moves back to the pool in the same operation. An
// update that changes nothing says so (unchanged: nothing written or
// audited).
func (t *Team) UpdateMember(id int64, in team.MemberUpdate, returnCredits bool) (team.MemberChange, error) {
	return t.app.Backend.Team.UpdateMemberWith(t.app.Ctx(), id, in, returnCredits)
}

// DisableMember stops a member from signing in (admin only); unchanged
// says they were disabled already (nothing written or audited).
func (t *Team) DisableMember(id int64) (team.MemberChange, error) {
	return t.app.Backend.Team.DisableMember(t.app.Ctx(), id)
}

// EnableMember re-enables a member (admin only); unchanged says they were
// active already (nothing written or audited).
func (t *Team) EnableMember(id int64) (team.MemberChange, error) {
	return t.app.Backend.Team.EnableMember(t.app.Ctx(), id)
}

// RemoveMember removes a member, keeping their history (admin only), and
// says what their wallet holds; with returnCredits that moves back to the
// pool in the same operation.
func (t *Team) RemoveMember(id int64, returnCredits bool) (team.MemberChange, error) {
	return t.app.Backend.Team.RemoveMemberWith(t.app.Ctx(), id, returnCredits)
}

// Wallets lists the wallets in use and every other wallet holding credits,
// removed members' included (admin only): Credits → Account lists them.
func (t *Team) Wallets() ([]team.Wallet, error) {
	return t.app.Backend.Team.Wallets(t.app.Ctx())
}

// Wallet returns one member's wallet (admin only).
func (t *Team) Wallet(userID int64) (team.Wallet, error) {
	return t.app.Backend.Team.Wallet(t.app.Ctx(), userID)
}

// AccountNames names the accounts the signed-in member may see, by code
// (a member: their wallet and their department).
func (t *Team) AccountNames() (map[string]string, error) {
	return t.app.Backend.Team.AccountNames(t.app.Ctx())
}

// ResetSecret sets another member's password or PIN (admin only).
func (t *Team) ResetSecret(id int64, kind, secret string) (bool, error) {
	return true, t.app.Backend.Team.ChangeSecret(t.app.Ctx(), id, "", kind, secret)
}

// ChangeOwnSecret changes the signed-in member's password or PIN.
func (t *Team) ChangeOwnSecret(current, kind, secret string) (bool, error) {
	ctx, a, ok := t.app.CtxActor()
	if !ok {
		_, err := access.Current(ctx) // why nobody is signed in
		return false, err
	}
	return true, t.app.Backend.Team.ChangeSecret(ctx, a.UserID, current, kind, secret)
}

// Departments lists departments with balances (admin only).
func (t *Team) Departments(includeArchived bool) ([]team.Department, error) {
	return t.app.Backend.Team.ListDepartments(t.app.Ctx(), includeArchived)
}

// CreateDepartment adds a department (admin only).
func (t *Team) CreateDepartment(in team.DepartmentInput) (team.Department, error) {
	return t.app.Backend.Team.CreateDepartment(t.app.Ctx(), in)
}

// UpdateDepartment changes a department (admin only) and says whether it
// had those settings already (unchanged: nothing written or audited).
func (t *Team) UpdateDepartment(id int64, in team.DepartmentInput) (team.DepartmentChange, error) {
	return t.app.Backend.Team.ChangeDepartment(t.app.Ctx(), id, in)
}

// DepartmentAmountProblem says what is wrong with a department's overdraft
// or alert budget as typed (field "overdraft" or "budget"), in the words
// UpdateDepartment would refuse it with (team.DepartmentAmountProblem:
// "Budget -5 is negative", as `meterdesk departments update` says it), or
// "" when it would be taken. Team → Departments' dialogs show it while it
// is typed, so that the rule is the backend's only. It reads and writes
// nothing, and answers an admin only, as UpdateDepartment does.
func (t *Team) DepartmentAmountProblem(field, text string) (string, error) {
	if _, err := access.RequireAdmin(t.app.Ctx(), "change a department"); err != nil {
		return "", err
	}
	return team.DepartmentAmountProblem(field, text), nil
}

// ArchiveDepartment retires an empty department (admin only).
func (t *Team) ArchiveDepartment(id int64) (bool, error) {
	return true, t.app.Backend.Team.ArchiveDepartment(t.app.Ctx(), id)
}

// MoveCredits moves credits between the pool and departments (admin only).
func (t *Team) MoveCredits(in team.MoveRequest) (ledger.Transfer, error) {
	return t.app.Backend.Team.MoveCredits(t.app.Ctx(), in)
}

// Limits returns a member's limits with usage (the member or an admin).
func (t *Team) Limits(userID int64) ([]team.LimitStatus, error) {
	return t.app.Backend.Team.Limits(t.app.Ctx(), userID)
}

// SetLimit creates or replaces a limit (admin only) and says whether the
// member had it already (unchanged: nothing written or audited).
func (t *Team) SetLimit(l team.Limit) (team.LimitChange, error) {
	return t.app.Backend.Team.ChangeLimit(t.app.Ctx(), l)
}

// RemoveLimit deletes a limit (admin only).
func (t *Team) RemoveLimit(userID int64, kind, model string) (bool, error) {
	return true, t.app.Backend.Team.RemoveLimit(t.app.Ctx(), userID, kind, model)
}

// AlertSettings returns the alert thresholds.
func (t *Team) AlertSettings() (team.AlertSettings, error) {
	return t.app.Backend.Team.AlertSettings(t.app.Ctx())
}

// SetAlertSettings changes the alert thresholds (admin only) and says
// whether they were in force already (unchanged: nothing written or
// audited).
func (t *Team) SetAlertSettings(in team.AlertSettings) (team.AlertSettingsChange, error) {
	return t.app.Backend.Team.ChangeAlertSettings(t.app.Ctx(), in)
}

// AutoRecharges lists the auto-recharge rules (admin only).
func (t *Team) AutoRecharges() ([]team.AutoRecharge, error) {
	return t.app.Backend.Team.ListAutoRecharge(t.app.Ctx())
}

// SetAutoRecharge creates or replaces a rule (admin only) and says
// whether the account had it already (unchanged: nothing written or
// audited).
func (t *Team) SetAutoRecharge(in team.AutoRecharge) (team.AutoRechargeChange, error) {
	return t.app.Backend.Team.ChangeAutoRecharge(t.app.Ctx(), in)
}

// RemoveAutoRecharge deletes a rule (admin only).
func (t *Team) RemoveAutoRecharge(account string) (bool, error) {
	return true, t.app.Backend.Team.RemoveAutoRecharge(t.app.Ctx(), account)
}

// AuditInput filters the audit log from the window. From and To are
// dates as the page's date inputs give them (YYYY-MM-DD in the workspace
// time zone, both included) or RFC 3339 instants ("" = no bound).
type AuditInput struct {
	ActorID int64  `json:"actorId"`
	Action  string `json:"action"` // prefix ("member." matches every member action)
	Target  string `json:"target"` // exact
	From    string `json:"from"`
	To      string `json:"to"`
	Limit   int    `json:"limit"` // 0 = 500 (Audit), 100 (AuditPage)
}

// auditFilter reads the input's dates in the workspace time zone.
func (t *Team) auditFilter(in AuditInput) (team.AuditFilter, error) {
	f := team.AuditFilter{ActorID: in.ActorID, Action: in.Action, Target: in.Target, Limit: in.Limit}
	var err error
	if f.Since, f.Until, err = t.app.Backend.AuditRange(t.app.Ctx(), in.From, in.To, "From", "To"); err != nil {
		return f, fmt.Errorf("audit log: %w", err)
	}
	return f, nil
}

// Audit lists audit entries (admin only).
func (t *Team) Audit(in AuditInput) ([]team.AuditEntry, error) {
	f, err := t.auditFilter(in)
	if err != nil {
		return nil, err
	}
	return t.app.Backend.Team.ListAudit(t.app.Ctx(), f)
}

// AuditPage lists a page of audit entries below entry id before (0: the
// newest), in.Limit of them (0: team.AuditPageSize), with the cursor of the
// next page (admin only): the window's "Load more".
func (t *Team) AuditPage(in AuditInput, before int64) (team.AuditPage, error) {
	f, err := t.auditFilter(in)
	if err != nil {
		return team.AuditPage{}, err
	}
	f.Before = before
	return t.app.Backend.Team.ListAuditPage(t.app.Ctx(), f)
}

// AuditTargets lists every target the audit log has entries on, with its
// name, by name (admin only): the Target filter's choices.
func (t *Team) AuditTargets() ([]team.AuditTarget, error) {
	return t.app.Backend.Team.ListAuditTargets(t.app.Ctx())
}

// AuditCSV returns the filtered audit log as CSV text (admin only), for a
// download from the page.
func (t *Team) AuditCSV(in AuditInput) (string, error) {
	f, err := t.auditFilter(in)
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	if err := t.app.Backend.Team.ExportAuditCSV(t.app.Ctx(), f, &sb); err != nil {
		return "", err
	}
	return sb.String(), nil
}

// ExportAudit asks where to save and writes the filtered audit log as CSV
// (admin only). It returns the path, or "" when the user cancelled.
func (t *Team) ExportAudit(in AuditInput) (string, error) {
	if _, err := access.RequireAdmin(t.app.Ctx(), "export the audit log"); err != nil {
		return "", err
	}
	f, err := t.auditFilter(in)
	if err != nil {
		return "", err
	}
	path, err := t.app.SaveFileDialog("Export the audit log", "meterdesk-audit.csv", "*.csv")
	if err != nil || path == "" {
		return "", err
	}
	if err := fileout.Write(path, 0o600, func(w io.Writer) error {
		return t.app.Backend.Team.ExportAuditCSV(t.app.Ctx(), f, w)
	}); err != nil {
		return "", err
	}
	return path, nil
}

// NotificationsPage lists a page of the notification centre's entries for
// the signed-in member, newest first, below entry id before (0: the
// newest): limit of them (0: team.NotificationPageSize, 200; at most 1000),
// with the cursor of the next page, the list's "Show more".
func (t *Team) NotificationsPage(unreadOnly bool, before int64, limit int) (team.NotificationPage, error) {
	return t.app.Backend.Team.NotificationsPage(t.app.Ctx(), unreadOnly, before, limit)
}

// UnreadNotifications counts the signed-in member's unread notifications,
// all of them (the list shows a page at a time): the notification
// centre's badge.
func (t *Team) UnreadNotifications() (int, error) {
	return t.app.Backend.Team.UnreadNotifications(t.app.Ctx())
}

// MarkRead marks notifications read (none given = all).
func (t *Team) MarkRead(ids []int64) (bool, error) {
	return true, t.app.Backend.Team.MarkRead(t.app.Ctx(), ids)
}

// Preflight warns before a send of about estimate credits on model by the
// signed-in member (balance and limits).
func (t *Team) Preflight(model, estimate string) (team.Preflight, error) {
	ctx, a, ok := t.app.CtxActor()
	if !ok {
		_, err := access.Current(ctx) // why nobody is signed in
		return team.Preflight{}, err
	}
	return t.app.Backend.Team.Preflight(ctx, a.UserID, model, estimate)
}
