package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/core"
	"meterdesk/backend/workzone"
)

// TestRestoreTimesInTheBackupsZone: `restore --check FILE` (and the
// restore, and --status) print a backup's times — its last transfer, the
// file's modification — in the zone its workspace counts days in, named,
// as that workspace printed them; a backup that sets none (never set up)
// in this computer's zone (TZ), named too. They were in UTC, with or
// without a sign-in. --status's "staged by … at" is in the open
// workspace's zone, as every other command prints. --json carries the
// zone as "timeZone", its times staying RFC 3339 instants.
func TestRestoreTimesInTheBackupsZone(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	t.Setenv("TZ", "Asia/Tokyo") // this computer's zone (workzone.OS reads TZ)
	modified := time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC)

	berlin := filepath.Join(t.TempDir(), "acme.db")
	home := teamWorkspace(t) // Europe/Berlin
	asAlice(t, home)("backup", "--out", berlin)
	notSetUp := filepath.Join(t.TempDir(), "unset.db")
	raw, err := os.ReadFile(filepath.Join(unsetDatabase(t), "meterdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(notSetUp, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{berlin, notSetUp} {
		if err := os.Chtimes(f, modified, modified); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("METERDESK_PASSWORD", "")

	for _, c := range []struct {
		name, file, zone, modified string
		global                     []string
	}{
		{"no database here", berlin, "Europe/Berlin", "2026-07-01 12:00:00 Europe/Berlin", nil},
		{"signed in here", berlin, "Europe/Berlin", "2026-07-01 12:00:00 Europe/Berlin", []string{"--data-dir", newDatabase(t), "--user", "alice"}},
		{"never set up", notSetUp, "Asia/Tokyo", "2026-07-01 19:00:00 Asia/Tokyo", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			global := c.global
			stdin := "correct horse\n"
			if global == nil {
				global, stdin = []string{"--data-dir", filepath.Join(t.TempDir(), "new")}, ""
			}
			code, out, errs := runIn(t, stdin, append(global, "--json", "restore", "--check", c.file)...)
			var s core.BackupSummary
			if code != 0 || json.Unmarshal([]byte(out), &s) != nil || s.TimeZone != c.zone || !s.Modified.Equal(modified) {
				t.Fatalf("--json: exit %d %s %s; want timeZone %q", code, out, errs, c.zone)
			}
			code, out, errs = runIn(t, stdin, append(global, "restore", "--check", c.file)...)
			want := []string{"modified " + c.modified + "\n"}
			if s.LastActivity != nil {
				loc, err := workzone.Location(c.zone)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, "  last transfer "+workzone.LocalTime(*s.LastActivity, loc, workzone.Seconds)+" "+c.zone+"\n")
			}
			for _, w := range want {
				if code != 0 || !strings.Contains(out, w) || strings.Contains(out, "UTC") {
					t.Errorf("exit %d %q %q; want %q and no UTC", code, out, errs, w)
				}
			}
		})
	}

	// Staged in the workspace at home (Europe/Berlin): --status says when
	// in its zone, and the backup's times in the backup's.
	b, err := core.Open(context.Background(), core.Options{DataDir: home})
	if err != nil {
		t.Fatal(err)
	}
	r, err := b.StageRestore(access.WithActor(context.Background(), access.System), notSetUp, false)
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	berlinLoc, err := workzone.Location("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	out := asAlice(t, home)("restore", "--status")
	for _, w := range []string{
		" at " + workzone.LocalTime(r.StagedAt, berlinLoc, workzone.Seconds) + " Europe/Berlin: restore from " + notSetUp,
		"modified 2026-07-01 19:00:00 Asia/Tokyo\n",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("--status: %q; want %q", out, w)
		}
	}
}
