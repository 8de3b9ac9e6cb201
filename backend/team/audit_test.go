package team

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"meterdesk/backend/csvcell"
	"strings"
	"testing"
	"time"
)

func TestAuditLog(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	bob := e.addMember("bob", nil)
	e.clock.Add(time.Hour)
	if _, err := e.svc.UpdateMember(ctx, bob.ID, MemberUpdate{DisplayName: "=Bob", Role: "member"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetLimit(ctx, Limit{UserID: bob.ID, Kind: LimitDaily, Amount: "5"}); err != nil {
		t.Fatal(err)
	}
	all, err := e.svc.ListAudit(ctx, AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range all {
		actions = append(actions, a.Action)
	}
	if strings.Join(actions, ",") != "limit.set,member.update,member.add,workspace.setup" {
		t.Fatalf("actions %v", actions)
	}
	upd := all[1]
	var before, after Member
	if err := json.Unmarshal(upd.Before, &before); err != nil {
		t.Fatalf("update entry's before %s: %v", upd.Before, err)
	}
	if err := json.Unmarshal(upd.After, &after); err != nil {
		t.Fatalf("update entry's after %s: %v", upd.After, err)
	}
	if before.DisplayName != "" || after.DisplayName != "=Bob" || upd.ActorName != "alice" || upd.ActorID != e.admin.UserID {
		t.Fatalf("update entry %+v", upd)
	}
	members, _ := e.svc.ListAudit(ctx, AuditFilter{Action: "member."})
	if len(members) != 2 {
		t.Fatalf("member.* filter: %d", len(members))
	}
	late, _ := e.svc.ListAudit(ctx, AuditFilter{Since: e.clock.Now().Add(-time.Minute)})
	if len(late) != 2 {
		t.Fatalf("since filter: %d", len(late))
	}
	// A range that ends where or before it starts is refused, as the
	// ledger's history refuses it, for the list and the export alike.
	now := e.clock.Now()
	for _, f := range []AuditFilter{{Since: now, Until: now.Add(-time.Hour)}, {Since: now, Until: now}} {
		if _, err := e.svc.ListAudit(ctx, f); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "is empty") {
			t.Fatalf("list %v..%v: %v", f.Since, f.Until, err)
		}
		var out bytes.Buffer
		if err := e.svc.ExportAuditCSV(ctx, f, &out); !errors.Is(err, ErrInvalid) || out.Len() != 0 {
			t.Fatalf("export %v..%v: %v, %d bytes", f.Since, f.Until, err, out.Len())
		}
	}
	var buf bytes.Buffer
	if err := e.svc.ExportAuditCSV(ctx, AuditFilter{Target: "user:2"}, &buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || recs[0][4] != "action" || recs[1][4] != "limit.set" {
		t.Fatalf("csv %v", recs)
	}
	if !strings.Contains(recs[2][8], `"displayName":"=Bob"`) {
		t.Fatalf("after JSON %q", recs[2][8])
	}
	// The target's name, as ListAudit names it, neutralised as the other
	// text cells are (a name "=Bob" is no formula).
	listed, err := e.svc.ListAudit(ctx, AuditFilter{Target: "user:2"})
	if err != nil {
		t.Fatal(err)
	}
	if recs[0][6] != "target_name" || recs[1][6] != csvcell.Neutralise(listed[0].TargetName) || recs[1][6] == "" {
		t.Fatalf("target_name %q %q, listed %q", recs[0][6], recs[1][6], listed[0].TargetName)
	}
	if _, err := e.svc.ListAudit(ctx, AuditFilter{Limit: -1}); err == nil {
		t.Fatal("negative limit accepted")
	}
}

// TestAuditCSVInWorkspaceZone: the audit CSV's times are in the workspace's
// time zone with its offset, as every Meterdesk CSV (they were UTC).
func TestAuditCSVInWorkspaceZone(t *testing.T) {
	e := newEnv(t).setup("Asia/Kolkata")
	e.addMember("bob", nil)
	var buf bytes.Buffer
	if err := e.svc.ExportAuditCSV(e.adminCtx(), AuditFilter{}, &buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("csv %v, %v", recs, err)
	}
	entries, _ := e.svc.ListAudit(e.adminCtx(), AuditFilter{})
	kolkata, _ := time.LoadLocation("Asia/Kolkata")
	// To the second, as the other CSV exports write times
	// (statements.ISOTime): it carried nanoseconds.
	want := entries[0].At.In(kolkata).Format(time.RFC3339)
	if recs[1][1] != want || !strings.Contains(recs[1][1], "+05:30") || strings.Contains(recs[1][1], ".") {
		t.Fatalf("at = %q, want %q", recs[1][1], want)
	}
	// The target's name after its id, as audit list --json has it.
	if strings.Join(recs[0], ",") != "id,at,actor_id,actor,action,target,target_name,before,after" {
		t.Fatalf("header %q", recs[0])
	}
	for i, e := range entries {
		if recs[i+1][5] != e.Target || recs[i+1][6] != e.TargetName {
			t.Errorf("row %d: target %q %q, listed %q %q", i+1, recs[i+1][5], recs[i+1][6], e.Target, e.TargetName)
		}
	}
}
