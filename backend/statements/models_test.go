package statements

import (
	"bytes"
	"database/sql"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestStatementUsageByModelAndProvider: a statement's usage by model (the
// page's lines, the PDF, the CSV's usage_by_model and attributed_usage rows)
// has one line per model and provider, so OpenAI's gpt-4o and a local
// server's (Lab) are apart, a provider renamed since (Lab2 → Lab) is one
// line by its name now; the lines add up to the usage exactly; the
// per-message CSV names each charge's provider.
func TestStatementUsageByModelAndProvider(t *testing.T) {
	e := newEnv(t)
	err := e.db.Write(e.ctx, func(tx *sql.Tx) error {
		ts := "2025-01-01T00:00:00.000Z"
		for i, p := range []string{"OpenAI", "Lab"} {
			res, err := tx.Exec(`INSERT INTO providers(name, kind, base_url, secret_ref, created_at, updated_at)
				VALUES (?, 'openai_compatible', 'http://10.0.0.5/v1', ?, ?, ?)`, p, fmt.Sprint("ref", i), ts, ts)
			if err != nil {
				return err
			}
			if p == "Lab" {
				id, _ := res.LastInsertId()
				if _, err := tx.Exec(`INSERT INTO audit_log(at, actor_name, action, target, before_json, after_json)
					VALUES (?, 'admin', 'provider.update', ?, '{"name":"Lab2"}', '{"name":"Lab"}')`, ts, fmt.Sprint("provider:", id)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	mar := time.Date(2025, 3, 2, 12, 0, 0, 0, time.UTC)
	u := func(amount, provider string, i int) entry {
		return entry{op: "usage", from: "pool", to: "sys:usage", amount: mustMinor(amount), user: 1, model: "gpt-4o",
			meta: `{"provider":"` + provider + `"}`, at: mar.Add(time.Duration(i) * time.Minute)}
	}
	e.insert(t, []entry{
		{op: "topup", from: "sys:topup", to: "pool", amount: mustMinor("100"), price: 1000, at: mar},
		u("2.5", "OpenAI", 1), u("0.25", "Lab2", 2), u("0.5", "Lab", 3), u("1.000000001", "OpenAI", 4),
	})
	for _, req := range []Request{{Month: "2025-03"}, {Month: "2025-03", UserID: 1}} {
		st, err := e.st.Build(e.ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		ls := st.UsageByModel
		if req.UserID != 0 {
			ls = st.Attributed
		}
		want := "gpt-4o · OpenAI=3.500000001×2 (gpt-4o, OpenAI); gpt-4o · Lab=0.75×2 (gpt-4o, Lab); "
		got := ""
		total := int64(0)
		for _, l := range ls {
			got += fmt.Sprintf("%s=%s×%d (%s, %s); ", l.Name, l.Amount, l.Count, l.Model, l.Provider)
			total += mustMinor(l.Amount)
		}
		if got != want {
			t.Errorf("%+v by model: %s, want %s", req, got, want)
		}
		if req.UserID == 0 && total != mustMinor(st.Usage) {
			t.Errorf("lines add up to %d, usage %s", total, st.Usage)
		}
		rows, pdf := e.statementFiles(t, st)
		var csvLines []string
		for _, r := range rows {
			if r["section"] == "usage_by_model" || r["section"] == "attributed_usage" {
				csvLines = append(csvLines, r["description"]+"|"+r["model"]+"|"+r["amount"])
			}
		}
		if g := strings.Join(csvLines, ";"); g != "gpt-4o · OpenAI|gpt-4o|3.500000001;gpt-4o · Lab|gpt-4o|0.75" {
			t.Errorf("%+v CSV by model: %s", req, g)
		}
		if req.UserID == 0 && (!strings.Contains(pdf, "gpt-4o · OpenAI") || !strings.Contains(pdf, "gpt-4o · Lab")) {
			t.Errorf("PDF by model: %s", pdf)
		}
		var b bytes.Buffer
		if err := e.st.WriteDetailCSV(e.ctx, st, &b, nil); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var provs []string
		for _, r := range recs[1:] {
			provs = append(provs, r[4]+" "+r[len(r)-1])
		}
		if g := strings.Join(provs, ","); g != "gpt-4o OpenAI,gpt-4o Lab,gpt-4o Lab,gpt-4o OpenAI" {
			t.Errorf("%+v per-message CSV providers: %s", req, g)
		}
	}
}
