package team

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"meterdesk/backend/access"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/money"
	"meterdesk/backend/namekey"
	"meterdesk/backend/people"
	"meterdesk/backend/store"
	"meterdesk/backend/textcheck"
)

// Member statuses. A removed member cannot sign in and is hidden from the
// lists, but their row (and every ledger transfer naming them) stays.
const (
	StatusActive   = "active"
	StatusDisabled = "disabled"
	StatusRemoved  = "removed"
)

// Funding sources a member's usage is paid from.
const (
	FundPool   = "pool"   // organisation-funded: the member's department's credits, or the pool
	FundWallet = "wallet" // self-funded: the member's personal wallet user:<id>
)

// Member is one person in the workspace.
type Member struct {
	ID           int64       `json:"id"`
	Name         string      `json:"name"` // sign-in name, unique among non-removed members
	DisplayName  string      `json:"displayName"`
	Role         access.Role `json:"role"`
	SecretKind   string      `json:"secretKind"` // password | pin
	Status       string      `json:"status"`
	Funding      string      `json:"funding"`      // pool | wallet
	DepartmentID int64       `json:"departmentId"` // 0 = none
	MinBalance   string      `json:"minBalance"`   // decimal credits the wallet must keep
	CreatedAt    time.Time   `json:"createdAt"`
	RemovedAt    *time.Time  `json:"removedAt,omitempty"`
}

// NewMember is what an admin gives to add a member.
type NewMember struct {
	Name         string      `json:"name"`
	DisplayName  string      `json:"displayName"`
	Role         access.Role `json:"role"`
	SecretKind   string      `json:"secretKind"`
	Secret       string      `json:"secret"`
	Funding      string      `json:"funding"` // "" = pool
	DepartmentID int64       `json:"departmentId"`
	MinBalance   string      `json:"minBalance"` // "" = 0
}

// MemberUpdate replaces a member's settings (not the secret or status).
type MemberUpdate struct {
	DisplayName  string      `json:"displayName"`
	Role         access.Role `json:"role"`
	Funding      string      `json:"funding"`
	DepartmentID int64       `json:"departmentId"`
	MinBalance   string      `json:"minBalance"`
}

// Profile is what the profile picker shows before anyone signs in.
type Profile struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	DisplayName string `json:"displayName"`
	SecretKind  string `json:"secretKind"`
}

// checkName validates a sign-in name and returns it as stored (NFKC,
// backend/namekey): 1-64 characters, letters, digits, '.', '-', '_' only (it
// is typed on the command line as --user NAME), not digits only, and no
// word mixing Latin, Cyrillic and Greek letters.
func checkName(n string) (string, error) {
	n = namekey.Clean(n)
	if n == "" || utf8.RuneCountInString(n) > 64 {
		return "", inputerr.New(ErrInvalid, "a member name has 1 to 64 characters")
	}
	for _, r := range n {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(".-_", r) {
			return "", inputerr.New(ErrInvalid, "member name %q may use letters, digits, '.', '-' and '_' only", n)
		}
	}
	if strings.Trim(n, "0123456789") == "" {
		// Commands take a member by name or numeric id: "12" must mean one.
		return "", inputerr.New(ErrInvalid, "member name %q needs a letter or one of '.', '-', '_' (a number is read as a member id)", n)
	}
	if word, a, b, mixed := namekey.MixedScripts(n); mixed {
		return "", inputerr.New(ErrInvalid, "member name %q mixes %s and %s letters in %q, so it can pass for another name; write each part in one alphabet",
			n, a, b, word)
	}
	return n, nil
}

// byName is the condition that finds a non-removed member by name, with
// its arguments: the name as typed (case aside) first, else the name that
// is the same by the names rule (backend/namekey: "Ｂｏｂ" finds "Bob").
// Append byNameOrder to the query (it takes the name again, nameArgs does).
const (
	byName      = "status <> 'removed' AND (name = ? COLLATE NOCASE OR name_key = ?)"
	byNameOrder = " ORDER BY name = ? COLLATE NOCASE DESC LIMIT 1"
)

func nameArgs(name string) []any {
	name = strings.TrimSpace(name)
	return []any{name, namekey.Key(name), name}
}

func checkDisplay(d string) (string, error) {
	d = strings.TrimSpace(d)
	if utf8.RuneCountInString(d) > 120 {
		return "", inputerr.New(ErrInvalid, "a display name has at most 120 characters")
	}
	if err := textcheck.Line(d); err != nil {
		return "", inputerr.New(ErrInvalid, "the display name: %v", err)
	}
	return d, nil
}

func checkFunding(f string) (string, error) {
	switch f {
	case "":
		return FundPool, nil
	case FundPool, FundWallet:
		return f, nil
	}
	return "", inputerr.New(ErrInvalid, "funding %q (want pool or wallet)", f)
}

func parseMin(s string) (int64, error) { return parseCredits("minimum balance", s) }

// parseCredits reads a non-negative amount of credits ("" = 0) for the
// field named what, which its error names.
func parseCredits(what, s string) (int64, error) {
	if strings.TrimSpace(s) == "" {
		return 0, nil
	}
	d, err := money.ParseNonNegative(s)
	if err == nil {
		var n int64
		if n, err = money.ToMinor(d); err == nil {
			return n, nil
		}
	}
	return 0, inputerr.New(ErrInvalid, "%v", money.Named(what, err))
}

const memberCols = `id, name, display_name, role, secret_kind, status, funding, COALESCE(department_id, 0),
	min_balance_minor, created_at, removed_at`

func scanMember(sc interface{ Scan(...any) error }) (Member, error) {
	var m Member
	var role, created, removed string
	var minMinor int64
	if err := sc.Scan(&m.ID, &m.Name, &m.DisplayName, &role, &m.SecretKind, &m.Status, &m.Funding,
		&m.DepartmentID, &minMinor, &created, &removed); err != nil {
		return m, err
	}
	m.Role = access.Role(role)
	m.MinBalance = money.MinorString(minMinor)
	m.CreatedAt = parseTS(created)
	if removed != "" {
		t := parseTS(removed)
		m.RemovedAt = &t
	}
	return m, nil
}

func getMember(ctx context.Context, q queryer, id int64) (Member, error) {
	m, err := scanMember(q.QueryRowContext(ctx, "SELECT "+memberCols+" FROM users WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("member %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return m, fmt.Errorf("member %d: %w", id, err)
	}
	return m, nil
}

// MemberByName finds a non-removed member by sign-in name (case-insensitive):
// an admin may look anyone up, a member only themself.
func (s *Service) MemberByName(ctx context.Context, name string) (Member, error) {
	a, err := access.Current(ctx)
	if err != nil {
		return Member{}, fmt.Errorf("find member %q: %w", name, err)
	}
	m, err := s.memberByName(ctx, name)
	if !a.IsAdmin() && (err != nil || m.ID != a.UserID) {
		return Member{}, fmt.Errorf("find member %q: %w", name, access.ErrForbidden)
	}
	return m, err
}

func (s *Service) memberByName(ctx context.Context, name string) (Member, error) {
	m, err := scanMember(s.db.Read().QueryRowContext(ctx,
		"SELECT "+memberCols+" FROM users WHERE "+byName+byNameOrder, nameArgs(name)...))
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("member %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return m, fmt.Errorf("member %q: %w", name, err)
	}
	return m, nil
}

// Member returns one member (the member themself or an admin).
func (s *Service) Member(ctx context.Context, id int64) (Member, error) {
	if _, err := access.RequireSelfOrAdmin(ctx, id, "read a member"); err != nil {
		return Member{}, err
	}
	return getMember(ctx, s.db.Prepared(), id)
}

// ListMembers returns the members, removed ones only when asked (admin only).
func (s *Service) ListMembers(ctx context.Context, includeRemoved bool) ([]Member, error) {
	if _, err := access.RequireAdmin(ctx, "list members"); err != nil {
		return nil, err
	}
	q := "SELECT " + memberCols + " FROM users"
	if !includeRemoved {
		q += " WHERE status <> 'removed'"
	}
	rows, err := s.db.Read().QueryContext(ctx, q+" ORDER BY name COLLATE NOCASE, id")
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	defer rows.Close()
	out := []Member{}
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, fmt.Errorf("list members: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Profiles lists the active members for the profile picker. It needs no
// actor: it is shown before anyone signs in, and reveals names only.
func (s *Service) Profiles(ctx context.Context) ([]Profile, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT id, name, display_name, secret_kind FROM users
		WHERE status = 'active' ORDER BY name COLLATE NOCASE`)
	if err != nil {
		return nil, fmt.Errorf("list profiles: %w", err)
	}
	defer rows.Close()
	out := []Profile{}
	for rows.Next() {
		var p Profile
		if err := rows.Scan(&p.ID, &p.Name, &p.DisplayName, &p.SecretKind); err != nil {
			return nil, fmt.Errorf("list profiles: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AddMember creates a member (admin only, audited) and their wallet account.
func (s *Service) AddMember(ctx context.Context, in NewMember) (Member, error) {
	a, err := access.RequireAdmin(ctx, "add a member")
	if err != nil {
		return Member{}, err
	}
	name, err := checkName(in.Name)
	if err != nil {
		return Member{}, fmt.Errorf("add a member: %w", err)
	}
	display, err := checkDisplay(in.DisplayName)
	if err != nil {
		return Member{}, fmt.Errorf("add a member: %w", err)
	}
	if in.Role == "" {
		in.Role = access.RoleMember
	}
	if !in.Role.Valid() {
		return Member{}, fmt.Errorf("add a member: %w", inputerr.New(ErrInvalid, "role %q (want admin or member)", in.Role))
	}
	funding, err := checkFunding(in.Funding)
	if err != nil {
		return Member{}, fmt.Errorf("add a member: %w", err)
	}
	minMinor, err := parseMin(in.MinBalance)
	if err != nil {
		return Member{}, fmt.Errorf("add a member: %w", err)
	}
	if in.SecretKind == "" {
		in.SecretKind = SecretPassword
	}
	if err := checkSecret(in.SecretKind, in.Secret); err != nil {
		return Member{}, fmt.Errorf("add a member: %w", err)
	}
	hash, err := HashSecret(in.Secret, s.hashes)
	if err != nil {
		return Member{}, err
	}
	var m Member
	err = s.write(ctx, func(tx *sql.Tx) error {
		if err := setUpAlready(ctx, tx); err != nil {
			return err
		}
		if err := checkDepartment(ctx, tx, in.DepartmentID); err != nil {
			return err
		}
		if err := nameFree(ctx, tx, name); err != nil {
			return err
		}
		at := s.now()
		now := store.FormatTimeNano(at)
		var dept any
		if in.DepartmentID != 0 {
			dept = in.DepartmentID
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO users(name, display_name, role, secret_kind, secret_hash, funding,
			department_id, min_balance_minor, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			name, display, string(in.Role), in.SecretKind, hash, funding, dept, minMinor, now, now)
		if err != nil {
			return err
		}
		id, _ := res.LastInsertId()
		if in.DepartmentID != 0 {
			// A member sees the department's notifications from now on.
			if err := recordDepartment(ctx, tx, id, in.DepartmentID, at); err != nil {
				return err
			}
		}
		if m, err = getMember(ctx, tx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "member.add", fmt.Sprintf("user:%d", id), nil, m)
	})
	if err != nil {
		return Member{}, fmt.Errorf("add member %q: %w", name, err)
	}
	if err := s.ensureAccounts(ctx, userAccount(m.ID)); err != nil {
		return m, err
	}
	if err := s.applyWalletPolicy(ctx, m); err != nil {
		return m, err
	}
	return m, nil
}

// setUpAlready refuses to add a member to a workspace that is not set up:
// setting up creates the first admin, and a member added before it (by the
// system actor that stands in until then) would leave a workspace with no
// admin that can never be set up.
func setUpAlready(ctx context.Context, tx *sql.Tx) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%w: set it up first, which adds its first admin (`meterdesk workspace setup`, or the window's first-run wizard)", ErrNotSetUp)
	}
	return nil
}

// keyTaken is namekey.TakenSQL: the row's key is ?1, or ?1 with the suffix
// migration 0710 gave a name kept beside its look-alike.
const keyTaken = namekey.TakenSQL

// nameFree refuses a name that is a member's by the names rule
// (backend/namekey: case, width and look-alike letters aside), naming them.
func nameFree(ctx context.Context, tx *sql.Tx, name string) error {
	var other string
	err := tx.QueryRowContext(ctx, "SELECT name FROM users WHERE "+keyTaken+" AND status <> 'removed' ORDER BY id LIMIT 1",
		namekey.Key(name)).Scan(&other)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	}
	return taken("member", other, name)
}

// UpdateMember changes a member's display name, role, funding, department
// and minimum balance (admin only, audited as member.update). The last
// active admin cannot be demoted. An update that changes nothing is written
// and audited not at all (UpdateMemberWith reports it as Unchanged).
func (s *Service) UpdateMember(ctx context.Context, id int64, in MemberUpdate) (Member, error) {
	a, u, err := s.checkUpdate(ctx, id, in)
	if err != nil {
		return Member{}, err
	}
	var r updated
	err = s.write(ctx, func(tx *sql.Tx) error {
		r, err = s.updateTx(ctx, tx, a, id, u)
		return err
	})
	return s.afterUpdate(ctx, id, r, err)
}

// memberUpdate is a MemberUpdate checked (checkUpdate).
type memberUpdate struct {
	display, funding string
	role             access.Role
	dept, minMinor   int64
}

// checkUpdate checks the actor and the input of an update of member id.
func (s *Service) checkUpdate(ctx context.Context, id int64, in MemberUpdate) (access.Actor, memberUpdate, error) {
	a, err := access.RequireAdmin(ctx, "change a member")
	if err != nil {
		return a, memberUpdate{}, err
	}
	display, err := checkDisplay(in.DisplayName)
	if err != nil {
		return a, memberUpdate{}, fmt.Errorf("change member %d: %w", id, err)
	}
	if !in.Role.Valid() {
		return a, memberUpdate{}, fmt.Errorf("change member %d: %w", id, inputerr.New(ErrInvalid, "role %q (want admin or member)", in.Role))
	}
	funding, err := checkFunding(in.Funding)
	if err != nil {
		return a, memberUpdate{}, fmt.Errorf("change member %d: %w", id, err)
	}
	minMinor, err := parseMin(in.MinBalance)
	if err != nil {
		return a, memberUpdate{}, fmt.Errorf("change member %d: %w", id, err)
	}
	return a, memberUpdate{display: display, funding: funding, role: in.Role, dept: in.DepartmentID, minMinor: minMinor}, nil
}

// updated is what updateTx did: the member after, whether the minimum
// balance changed, and whether nothing did (nothing written or audited).
type updated struct {
	after                 Member
	minChanged, unchanged bool
}

// Removed refuses an action on member m, who was removed: "Robert was
// removed", named by people's rule (the display name, else the sign-in
// name; never "member 7"), ErrNotFound (the CLI's exit 5), nothing written.
// Its reason starts with the name, which the window shows as spelt
// (NameFirst). Every such refusal says it so: a member's update, status
// and limits here, an API key for them (backend/gateway).
func Removed(m Member) error {
	return namedf(true, ErrNotFound, "%s was removed", people.Member(m.Name, m.DisplayName, false))
}

// updateTx writes a checked update of member id in tx and audits it. An
// update that leaves every field as it is (compared as stored: the display
// name trimmed, the minimum balance in minor units) is checked as any
// other, then written and audited not at all.
func (s *Service) updateTx(ctx context.Context, tx *sql.Tx, a access.Actor, id int64, u memberUpdate) (updated, error) {
	before, err := getMember(ctx, tx, id)
	if err != nil {
		return updated{}, err
	}
	if before.Status == StatusRemoved {
		return updated{}, Removed(before)
	}
	minChanged := false
	if was, err := parseMin(before.MinBalance); err != nil || was != u.minMinor {
		minChanged = true
	}
	if err := checkDepartment(ctx, tx, u.dept); err != nil {
		return updated{}, err
	}
	if before.Role == access.RoleAdmin && u.role != access.RoleAdmin && before.Status == StatusActive {
		if err := otherActiveAdmin(ctx, tx, id); err != nil {
			return updated{}, err
		}
	}
	if !minChanged && u.display == before.DisplayName && u.role == before.Role && u.funding == before.Funding &&
		u.dept == before.DepartmentID {
		return updated{after: before, unchanged: true}, nil // nothing to write, nothing to log
	}
	var dept any
	if u.dept != 0 {
		dept = u.dept
	}
	now := s.now()
	if _, err := tx.ExecContext(ctx, `UPDATE users SET display_name = ?, role = ?, funding = ?, department_id = ?,
		min_balance_minor = ?, updated_at = ? WHERE id = ?`,
		u.display, string(u.role), u.funding, dept, u.minMinor, store.FormatTimeNano(now), id); err != nil {
		return updated{}, err
	}
	if u.dept != before.DepartmentID {
		// Moved (or taken out): the old department's notifications stop
		// reaching the member now, the new one's start now.
		if err := recordDepartment(ctx, tx, id, u.dept, now); err != nil {
			return updated{}, err
		}
	}
	after, err := getMember(ctx, tx, id)
	if err != nil {
		return updated{}, err
	}
	return updated{after: after, minChanged: minChanged}, s.audit(ctx, tx, a, "member.update", fmt.Sprintf("user:%d", id), before, after)
}

// afterUpdate finishes an update once written (err: the write's error).
func (s *Service) afterUpdate(ctx context.Context, id int64, r updated, err error) (Member, error) {
	if err != nil {
		return Member{}, fmt.Errorf("change member %d: %w", id, err)
	}
	// Only a changed minimum balance sets the wallet's policy: a policy set
	// with `credits policy` (an overdraft, say) survives editing the name.
	if r.minChanged {
		if err := s.applyWalletPolicy(ctx, r.after); err != nil {
			return r.after, err
		}
	}
	return r.after, nil
}

func otherActiveAdmin(ctx context.Context, tx *sql.Tx, id int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE role = 'admin' AND status = 'active' AND id <> ?",
		id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return ErrLastAdmin
	}
	return nil
}

// DisableMember stops a member from signing in (admin only, audited as
// member.disable); their remembered devices are forgotten. A member
// disabled already is written and audited not at all (Unchanged).
func (s *Service) DisableMember(ctx context.Context, id int64) (MemberChange, error) {
	return s.setStatus(ctx, id, StatusDisabled, "disable a member", "member.disable")
}

// EnableMember lets a disabled member sign in again (admin only, audited
// as member.enable). A member active already is written and audited not at
// all (Unchanged).
func (s *Service) EnableMember(ctx context.Context, id int64) (MemberChange, error) {
	return s.setStatus(ctx, id, StatusActive, "enable a member", "member.enable")
}

// RemoveMember removes a member (admin only, audited). Their row, usage and
// every ledger transfer naming them stay; they can no longer sign in, and
// their name becomes free for a new member.
func (s *Service) RemoveMember(ctx context.Context, id int64) (Member, error) {
	ch, err := s.RemoveMemberWith(ctx, id, false)
	return ch.Member, err
}

func (s *Service) setStatus(ctx context.Context, id int64, status, what, action string) (MemberChange, error) {
	a, err := access.RequireAdmin(ctx, what)
	if err != nil {
		return MemberChange{}, err
	}
	var out MemberChange
	err = s.write(ctx, func(tx *sql.Tx) error {
		out = MemberChange{}
		out.Member, out.Unchanged, err = s.statusTx(ctx, tx, a, id, status, action)
		return err
	})
	if err != nil {
		return MemberChange{}, fmt.Errorf("%s %d: %w", what, id, err)
	}
	return out, nil
}

// statusTx sets a member's status in tx and audits it as action by a. A
// member who has that status already is returned as they are, with nothing
// written or audited (unchanged).
func (s *Service) statusTx(ctx context.Context, tx *sql.Tx, a access.Actor, id int64, status, action string) (m Member, unchanged bool, err error) {
	before, err := getMember(ctx, tx, id)
	if err != nil {
		return Member{}, false, err
	}
	if before.Status == StatusRemoved {
		return Member{}, false, Removed(before)
	}
	if before.Status == status {
		return before, true, nil
	}
	if status != StatusActive && before.Role == access.RoleAdmin && before.Status == StatusActive {
		if err := otherActiveAdmin(ctx, tx, id); err != nil {
			return Member{}, false, err
		}
	}
	removed := ""
	if status == StatusRemoved {
		removed = store.FormatTimeNano(s.now())
	}
	// A removed member's wallet keeps no minimum balance (RemoveMemberWith
	// ends its policy in the same transaction: endWalletTx).
	if _, err := tx.ExecContext(ctx, `UPDATE users SET status = ?, removed_at = ?, failed_attempts = 0, locked_until = '',
		min_balance_minor = CASE WHEN ? = 'removed' THEN 0 ELSE min_balance_minor END, updated_at = ? WHERE id = ?`,
		status, removed, status, store.FormatTimeNano(s.now()), id); err != nil {
		return Member{}, false, err
	}
	if status != StatusActive {
		if _, err := tx.ExecContext(ctx, "DELETE FROM devices WHERE user_id = ?", id); err != nil {
			return Member{}, false, err
		}
	}
	after, err := getMember(ctx, tx, id)
	if err != nil {
		return Member{}, false, err
	}
	return after, false, s.audit(ctx, tx, a, action, fmt.Sprintf("user:%d", id), before, after)
}

// ChangeSecret sets a member's password or PIN. A member changing their own
// must give the current secret; an admin may reset anyone's without it
// (audited, without the secret). Either way the member's remembered devices
// are forgotten in the same transaction.
func (s *Service) ChangeSecret(ctx context.Context, id int64, current, kind, secret string) error {
	a, err := access.RequireSelfOrAdmin(ctx, id, "change a password")
	if err != nil {
		return err
	}
	if err := checkSecret(kind, secret); err != nil {
		return fmt.Errorf("change the password of member %d: %w", id, err)
	}
	isAdmin := a.System || a.Role == access.RoleAdmin
	if a.UserID == id || !isAdmin {
		// The current secret is checked like a sign-in: counted, and refused
		// while the member is locked out (claimAttempt), so a guesser at an
		// unlocked window gets no more tries than at the sign-in screen.
		hash, err := s.claimAttempt(ctx, id)
		if errors.Is(err, sql.ErrNoRows) {
			err = ErrNotFound
		}
		if err != nil {
			return signInRefused(fmt.Sprintf("change the password of member %d", id), err)
		}
		ok, err := VerifySecret(current, hash)
		if err != nil {
			return fmt.Errorf("change the password of member %d: %w", id, err)
		}
		if !ok {
			// Said as the current secret (the window's words; Go's text, the CLI's, is as before).
			return &reasonError{kind: ErrBadSignIn, msg: "the current password or PIN is wrong: nothing was changed",
				text: fmt.Sprintf("change the password of member %d: %v", id, ErrBadSignIn)}
		}
	} else {
		var one int
		if err := s.db.Read().QueryRowContext(ctx, "SELECT 1 FROM users WHERE id = ? AND status <> 'removed'", id).Scan(&one); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("change the password of member %d: %w", id, ErrNotFound)
			}
			return fmt.Errorf("change the password of member %d: %w", id, err)
		}
	}
	newHash, err := HashSecret(secret, s.hashes)
	if err != nil {
		return err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET secret_kind = ?, secret_hash = ?, failed_attempts = 0, locked_until = '', updated_at = ? WHERE id = ?",
			kind, newHash, store.FormatTimeNano(s.now()), id); err != nil {
			return err
		}
		// A new secret (often set after a compromise) signs out every
		// "remember me" device of the member, this computer's included: each
		// signs in with the new secret next time.
		if _, err := tx.ExecContext(ctx, "DELETE FROM devices WHERE user_id = ?", id); err != nil {
			return err
		}
		if a.UserID == id {
			return nil
		}
		return s.audit(ctx, tx, a, "member.reset_secret", fmt.Sprintf("user:%d", id), nil, map[string]string{"secretKind": kind})
	})
	if err != nil {
		return fmt.Errorf("change the password of member %d: %w", id, err)
	}
	return nil
}
