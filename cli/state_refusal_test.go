package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/core"
	"meterdesk/backend/ledger"
)

// departments archive of a department that is not empty is refused by the
// state, not the input: a department with members or credits exits 6
// (conflict with what is there), one a send in progress holds credits on
// exits 4 (busy: try again when it ends); never 2 (usage), and nothing is
// written.
func TestDepartmentsArchiveRefusalsExitByTheState(t *testing.T) {
	dir := newDatabase(t) // alice
	admin := asAlice(t, dir)
	admin("credits", "topup", "--amount", "100")
	admin("departments", "add", "Funded")  // 1: credits
	admin("departments", "add", "Staffed") // 2: a member
	admin("departments", "add", "Empty")   // 3: archived
	admin("departments", "allocate", "1", "10")
	if code, _, errs := runIn(t, "1234\n", "--data-dir", dir, "--user", "alice", "users", "add", "bob", "--pin"); code != ExitOK {
		t.Fatalf("users add bob: exit %d %s", code, errs)
	}
	admin("users", "update", "bob", "--department", "2")
	for _, c := range []struct {
		id   string
		code int
		want string
	}{
		{"1", ExitConflict, "meterdesk departments archive: archive department 1: move its balance of 10 credits back to the pool first\n"},
		{"2", ExitConflict, "meterdesk departments archive: archive department 2: move its member to another department first\n"},
		{"3", ExitOK, ""},
	} {
		before := dbDump(t, dir)
		code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "departments", "archive", c.id)
		if code != c.code || errs != c.want {
			t.Errorf("archive %s: exit %d %q, want %d %q", c.id, code, errs, c.code, c.want)
		}
		if c.code != ExitOK && dbDump(t, dir) != before {
			t.Errorf("archive %s: a refusal wrote", c.id)
		}
		if strings.Contains(errs, "usage:") {
			t.Errorf("archive %s: a refusal by the state printed the usage", c.id)
		}
	}
}

// A send in progress holding credits on the department is busy (exit 4):
// the hold lives only while its send does (a CLI's start voids a stale
// one), so the backend's refusal is taken while the hold is there.
func TestDepartmentsArchiveWhileSendingIsBusy(t *testing.T) {
	dir := newDatabase(t)
	admin := asAlice(t, dir)
	admin("credits", "topup", "--amount", "100")
	admin("departments", "add", "Sending")
	admin("departments", "allocate", "1", "10")
	b, err := core.Open(context.Background(), core.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := access.WithActor(context.Background(), access.Actor{UserID: 1, Name: "alice", Role: access.RoleAdmin})
	if _, err := b.Ledger.Hold(ctx, ledger.HoldRequest{ID: "send-1", From: "dept:1", Amount: decimal.RequireFromString("2")}); err != nil {
		t.Fatal(err)
	}
	err = b.Team.ArchiveDepartment(ctx, 1)
	if code := ExitCode(err); code != ExitBusy || !strings.Contains(fmt.Sprint(err), "a send in progress has 2.00 credits reserved; try again when it ends") {
		t.Fatalf("archive while sending: %v (exit %d), want exit %d", err, code, ExitBusy)
	}
}

// apikeys create with the name of one of the member's active keys is a
// conflict with what is there (exit 6, as a taken department or member
// name is), not a usage mistake; nothing is written.
func TestAPIKeyNameTakenIsAConflict(t *testing.T) {
	dir := newDatabase(t)
	admin := asAlice(t, dir)
	admin("apikeys", "create", "--name", "laptop")
	before := dbDump(t, dir)
	code, out, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "apikeys", "create", "--name", "Laptop")
	want := `meterdesk apikeys create: create an API key for alice: an active key is already named "laptop"; pick another name or revoke that key` + "\n"
	if code != ExitConflict || out != "" || errs != want {
		t.Errorf("exit %d %q %q, want %d %q", code, out, errs, ExitConflict, want)
	}
	if dbDump(t, dir) != before {
		t.Error("a refused key was written")
	}
}
