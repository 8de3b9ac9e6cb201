package clitest

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// wsState is what `--json workspace show` and an audit entry's before and
// after say of the workspace (the fields these tests look at).
type wsState struct {
	Name     string `json:"name"`
	TaxID    string `json:"taxId"`
	TimeZone string `json:"timeZone"`
	Idle     int    `json:"idleLockMinutes"`
}

func workspaceNow(t *testing.T, dir string) wsState {
	t.Helper()
	r := meterdesk(t, nil, "--data-dir", dir, "--json", "workspace", "show")
	var w wsState
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &w) != nil {
		t.Fatalf("workspace show: exit %d %q %s", r.code, r.stdout, r.stderr)
	}
	return w
}

func workspaceUpdates(t *testing.T, dir string) []struct{ Before, After wsState } {
	t.Helper()
	r := meterdesk(t, nil, "--data-dir", dir, "--json", "audit", "list", "--action", "workspace.update", "--limit", "1000")
	var entries []struct{ Before, After wsState }
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &entries) != nil {
		t.Fatalf("audit list: exit %d %q %s", r.code, r.stdout, r.stderr)
	}
	return entries
}

// TestWorkspaceUpdateWritesOnlyItsFlags: `workspace update` sends only the
// settings given as flags (team.PatchWorkspace), so commands changing
// different settings at once, in processes of their own, never write back
// what another changed: no workspace.update entry changes a setting its
// command was not given. Before, each command read the whole workspace and
// wrote it all back, and a --timezone could put back the name a --name had
// just replaced. A bad value (exit 2) writes and audits nothing.
func TestWorkspaceUpdateWritesOnlyItsFlags(t *testing.T) {
	dir := workspace(t)
	zones := []string{"Europe/Berlin", "Europe/Paris", "Asia/Tokyo", "America/New_York"}
	var wg sync.WaitGroup
	for worker := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 4 {
				args := []string{"--data-dir", dir, "workspace", "update"}
				switch worker % 2 {
				case 0:
					args = append(args, "--name", fmt.Sprintf("Name %d-%d", worker, i))
				default:
					args = append(args, "--timezone", zones[(worker+i)%len(zones)], "--idle-lock", fmt.Sprint(10*worker+i))
				}
				if r := meterdesk(t, nil, args...); r.code != 0 {
					t.Errorf("%v: exit %d: %s", args[2:], r.code, r.stderr)
				}
			}
		}()
	}
	wg.Wait()
	entries := workspaceUpdates(t, dir)
	if len(entries) == 0 {
		t.Fatal("no workspace.update entries")
	}
	for _, e := range entries {
		name := e.Before.Name != e.After.Name
		zone := e.Before.TimeZone != e.After.TimeZone || e.Before.Idle != e.After.Idle
		if name && zone {
			t.Errorf("one update changed the name and the time zone: %+v → %+v", e.Before, e.After)
		}
	}
	// Newest first: the workspace is what the last change left.
	if now := workspaceNow(t, dir); now != entries[0].After {
		t.Errorf("the workspace is %+v, its last audited change %+v", now, entries[0].After)
	}

	before, audited := workspaceNow(t, dir), len(entries)
	r := meterdesk(t, nil, "--data-dir", dir, "workspace", "update", "--tax-id", "DE1", "--idle-lock", "5000")
	if r.code != 2 || !strings.Contains(r.stderr, "idle lock") {
		t.Fatalf("--idle-lock 5000: exit %d: %s", r.code, r.stderr)
	}
	if now := workspaceNow(t, dir); now != before || len(workspaceUpdates(t, dir)) != audited {
		t.Fatalf("a refused update wrote: %+v, was %+v", now, before)
	}
}
