package team

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"meterdesk/backend/events"
	"meterdesk/backend/ledger"
	"meterdesk/backend/store"
)

// TestConcurrentWorkspaceChangesAuditWhatTheyReplaced: ChangeWorkspace
// read the workspace outside its write transaction, so two changes at
// once (the window and `meterdesk workspace update`, two processes) could
// both read the same workspace: each audited it as its before, one of the
// two was wrong about the row it replaced, and two changes to the same
// value were both written and audited where the second changed nothing.
// The read, the comparison, the write and the audit are now one write
// transaction: the audit's befores and afters chain, the row is the last
// after, and of changes to the same value exactly one is written.
func TestConcurrentWorkspaceChangesAuditWhatTheyReplaced(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	// A second process on the same database: its own connections and
	// services.
	db2, err := store.Open(context.Background(), filepath.Dir(e.db.Path))
	if err != nil {
		t.Fatal(err)
	}
	led2 := ledger.New(db2, &events.Recorder{}, e.clock.Now)
	svc2 := New(db2, led2, &events.Recorder{}, e.clock.Now)
	t.Cleanup(func() { led2.Close(); db2.Close() })
	services := []*Service{e.svc, svc2, e.svc, svc2}

	current, err := e.svc.Workspace(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		to   func(worker, i int) string // the name worker sets in its change i
	}{
		{"each a name of its own", func(worker, i int) string { return fmt.Sprintf("W%d-%d", worker, i) }},
		{"all the same name", func(_, i int) string { return fmt.Sprintf("Same %d", i) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			const rounds = 15
			from := current.Name
			var mu sync.Mutex
			written := 0
			for i := range rounds {
				var wg sync.WaitGroup
				for worker, svc := range services {
					wg.Add(1)
					go func() {
						defer wg.Done()
						in := current
						in.Name = c.to(worker, i)
						ch, err := svc.ChangeWorkspace(ctx, in)
						if err != nil {
							t.Error(err)
							return
						}
						if !ch.Unchanged {
							mu.Lock()
							written++
							mu.Unlock()
						}
					}()
				}
				wg.Wait()
			}
			entries, err := e.svc.ListAudit(ctx, AuditFilter{Action: "workspace.update", Limit: 10000})
			if err != nil {
				t.Fatal(err)
			}
			// Newest first; only this subtest's entries (after the last one
			// of the subtest before).
			var chain []AuditEntry
			for _, en := range entries {
				var before Workspace
				_ = json.Unmarshal(en.Before, &before)
				chain = append([]AuditEntry{en}, chain...)
				if before.Name == from {
					break
				}
			}
			if len(chain) != written {
				t.Fatalf("%d changes written, %d audited", written, len(chain))
			}
			want := rounds * len(services)
			if c.name == "all the same name" {
				want = rounds // one per round: the others found it changed already
			}
			if written != want {
				t.Fatalf("%d changes written, want %d", written, want)
			}
			prev := from
			for _, en := range chain {
				var before, after Workspace
				if json.Unmarshal(en.Before, &before) != nil || json.Unmarshal(en.After, &after) != nil {
					t.Fatalf("audit json %s / %s", en.Before, en.After)
				}
				if before.Name != prev {
					t.Fatalf("entry %d audits %q as the name it replaced, but the name was %q", en.ID, before.Name, prev)
				}
				prev = after.Name
			}
			row, err := svc2.Workspace(ctx)
			if err != nil || row.Name != prev {
				t.Fatalf("the workspace is named %q (%v), the audit's last change %q", row.Name, err, prev)
			}
			current = row
		})
	}
}
