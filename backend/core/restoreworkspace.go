package core

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"meterdesk/backend/store"
	"meterdesk/backend/team"
	"meterdesk/backend/workzone"
)

// ErrOtherWorkspace refuses a restore of a backup made of another
// workspace than the data folder's (OtherWorkspaceError) unless the admin
// agreed to replace it: StageRestore's replaceOther, Options.ReplaceWorkspace
// for RestoreNow (`meterdesk restore --yes`). Nothing was changed.
var ErrOtherWorkspace = errors.New("the backup is of another workspace")

// OtherWorkspaceError is ErrOtherWorkspace with the two workspaces' names.
type OtherWorkspaceError struct {
	File    string // the backup
	Backup  string // its workspace's name
	Current string // the data folder's workspace's name
	note    string // otherWorkspaceNote's sentence (with the setup dates when the names are one)
}

func (e *OtherWorkspaceError) Error() string {
	note := e.note
	if note == "" {
		note = otherWorkspaceNote(workspaceIdentity{name: e.Backup}, workspaceIdentity{name: e.Current})
	}
	return fmt.Sprintf("restore: %s: %s; nothing was changed", e.File, note)
}

// Unwrap makes errors.Is(err, ErrOtherWorkspace) true.
func (e *OtherWorkspaceError) Unwrap() error { return ErrOtherWorkspace }

// otherWorkspaceNote is the sentence the window's confirmation, `meterdesk
// restore --check` and the refusal say of a backup of another workspace.
// Two workspaces of one name are told apart by when each was set up
// (`"Acme Ltd" (set up 2026-11-03 14:05)`, both in current's zone; to the
// second, 14:05:07, when the two are one to the minute), where it read
// `another workspace, "Acme Ltd", not of "Acme Ltd"`.
func otherWorkspaceNote(backup, current workspaceIdentity) string {
	b, c := quoteWorkspace(backup.name), quoteWorkspace(current.name)
	if backup.name == current.name {
		layout := "2006-01-02 15:04"
		if bs, cs := current.setUp(backup.setupAt, layout), current.setUp(current.setupAt, layout); bs == cs {
			layout += ":05"
		}
		b, c = b+current.setUp(backup.setupAt, layout), c+current.setUp(current.setupAt, layout)
	}
	return fmt.Sprintf("this backup is of another workspace, %s, not of %s, the one in this data folder: restoring it replaces %s: "+
		"its members, you too, can then sign in only as members of %s", b, c, c, b)
}

func quoteWorkspace(name string) string { return fmt.Sprintf("%q", name) }

// setUp is " (set up DATE TIME)", at (an audit log time) in id's zone
// (UTC when it has none) written in layout, or "" when at is not one.
func (id workspaceIdentity) setUp(at, layout string) string {
	t := store.ParseTimeNano(at)
	if t.IsZero() {
		return ""
	}
	zone := id.zone
	if zone == nil {
		zone = time.UTC
	}
	return " (set up " + t.In(zone).Format(layout) + ")"
}

// workspaceIdentity tells one workspace from another: its name, and when
// it was set up (the audit log's first workspace.setup entry, which a
// rename leaves and every backup of it keeps; "" when there is none: never
// set up, or set up before that entry was written).
type workspaceIdentity struct {
	name    string
	setupAt string
	zone    *time.Location // the zone its days are counted in (Backend.Zone), for setUp
}

// identity reads b's workspace identity; ok is false when its workspace
// was never set up (nothing to replace: no check).
func (b *Backend) identity(ctx context.Context) (workspaceIdentity, bool, error) {
	return readIdentity(ctx, b.DB.Read())
}

// readIdentity reads the workspace identity of the database db reads,
// opened by a Backend or read-only and not migrated (PrecheckCopy reads
// the backup's and the live database's before the live one is opened):
// any schema with a users table will do, and one without has no workspace.
// ok is false when its workspace was never set up (no member: nothing to
// replace, no check).
func readIdentity(ctx context.Context, db *sql.DB) (workspaceIdentity, bool, error) {
	set, err := team.HasMembers(ctx, db)
	if err != nil || !set {
		return workspaceIdentity{}, false, err
	}
	var id workspaceIdentity
	if id.name, err = store.GetSettingIn(ctx, db, team.KeyName, ""); err != nil {
		return workspaceIdentity{}, false, fmt.Errorf("read the workspace: %w", err)
	}
	if loc, zerr := workzone.Load(ctx, db); zerr == nil {
		id.zone = loc
	}
	err = db.QueryRowContext(ctx,
		`SELECT at FROM audit_log WHERE action = 'workspace.setup' ORDER BY id LIMIT 1`).Scan(&id.setupAt)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return workspaceIdentity{}, false, err
	}
	return id, true, nil
}

// other reports whether backup is another workspace than current: set up
// at another time when both record it, else named otherwise.
func (current workspaceIdentity) other(backup workspaceIdentity) bool {
	if current.setupAt != "" && backup.setupAt != "" {
		return current.setupAt != backup.setupAt
	}
	return current.name != backup.name
}
