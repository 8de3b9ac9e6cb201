package gateway_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"testing"

	"meterdesk/backend/reports"
	"meterdesk/backend/statements"
)

// TestAPIUsageInMemberStatement: a request through the local API is charged
// to its member and shows in that member's monthly statement with the source
// "API" and the per-message token breakdown (issue 8, item 4).
func TestAPIUsageInMemberStatement(t *testing.T) {
	e := newEnv(t, "100")
	resp := e.post("/v1/chat/completions", e.bobKey, `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`)
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	st := statements.New(reports.New(e.db, nil, e.clock.Now), nil, e.clock.Now)
	for _, req := range []statements.Request{{Month: "2026-06", UserID: e.bob.ID}, {Month: "2026-06"}} {
		checkDetail(t, st, e, req)
	}
}

// checkDetail: the per-message CSV of req holds exactly bob's API message.
func checkDetail(t *testing.T, st *statements.Service, e *env, req statements.Request) {
	t.Helper()
	stmt, err := st.Build(e.admin, req)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := st.WriteDetailCSV(e.admin, stmt, &buf, nil); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("detail CSV does not parse: %v\n%s", err, buf.String())
	}
	if len(rows) != 2 {
		t.Fatalf("want a header and one usage row, got %d rows:\n%s", len(rows), buf.String())
	}
	col := map[string]string{}
	for i, h := range rows[0] {
		col[h] = rows[1][i]
	}
	want := map[string]string{"member": "bob", "model": "gpt-4o", "source": "API",
		"input_tokens": "8", "output_tokens": "2", "credits": okCharge}
	for k, v := range want {
		if col[k] != v {
			t.Errorf("%s = %q, want %q (row %v)", k, col[k], v, rows[1])
		}
	}
}
