package statements

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/money"
)

// ledgerSum sums a SQL expression over the month's posted transfers.
func (e *env) ledgerSum(t *testing.T, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := e.db.Read().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestStatementTotalsEqualLedger(t *testing.T) {
	e := newEnv(t)
	e.populate(t, 10000)
	month := `t.kind IN ('posted','post') AND t.created_at >= '2025-03-01' AND t.created_at < '2025-04-01'`
	join := ` FROM ledger_transfers t JOIN ledger_accounts da ON da.id = t.debit_id JOIN ledger_accounts ca ON ca.id = t.credit_id WHERE `
	if n := e.ledgerSum(t, "SELECT COUNT(*)"+join+month); n < 10000 {
		t.Fatalf("fixture has %d March entries, want >= 10000", n)
	}
	st, err := e.st.Build(e.ctx, Request{Month: "2025-03"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{
		"usage":  e.ledgerSum(t, "SELECT SUM(t.amount_minor)"+join+month+" AND ca.code = 'sys:usage'"),
		"topup":  e.ledgerSum(t, "SELECT SUM(t.amount_minor)"+join+month+" AND t.op = 'topup'"),
		"refund": e.ledgerSum(t, "SELECT SUM(t.amount_minor)"+join+month+" AND t.op = 'refund'"),
		"adjust": e.ledgerSum(t, "SELECT COALESCE(SUM(CASE WHEN da.code = 'sys:adjust' THEN t.amount_minor ELSE -t.amount_minor END), 0)"+join+month+" AND t.op = 'adjustment'"),
		// Workspace balance = minus the system accounts' balance change.
		"opening": -e.ledgerSum(t, "SELECT SUM(CASE WHEN ca.kind = 'system' THEN t.amount_minor ELSE -t.amount_minor END)"+join+"t.kind IN ('posted','post') AND (da.kind = 'system') <> (ca.kind = 'system') AND t.created_at < '2025-03-01'"),
		"closing": -e.ledgerSum(t, "SELECT SUM(CASE WHEN ca.kind = 'system' THEN t.amount_minor ELSE -t.amount_minor END)"+join+"t.kind IN ('posted','post') AND (da.kind = 'system') <> (ca.kind = 'system') AND t.created_at < '2025-04-01'"),
	}
	got := map[string]string{"usage": st.Usage, "topup": st.TopUps, "refund": st.Refunds, "adjust": st.Adjustments, "opening": st.Opening, "closing": st.Closing}
	for k, w := range want {
		if got[k] != money.MinorString(w) {
			t.Errorf("%s = %s, ledger says %s", k, got[k], money.MinorString(w))
		}
	}
	if st.TransfersIn != "0" || st.TransfersOut != "0" {
		t.Errorf("workspace statement shows internal transfers: in %s out %s", st.TransfersIn, st.TransfersOut)
	}
	// Usage by model and by cost centre both add up to usage.
	for name, ls := range map[string][]Line{"model": st.UsageByModel, "cost centre": st.UsageByCostCentre} {
		sum := int64(0)
		for _, l := range ls {
			sum += mustMinor(l.Amount)
		}
		if money.MinorString(sum) != st.Usage {
			t.Errorf("usage by %s sums to %s, want %s", name, money.MinorString(sum), st.Usage)
		}
	}

	// CSV: parses, and the transaction rows sum to closing - opening exactly.
	var buf bytes.Buffer
	if err := e.st.WriteCSV(e.ctx, st, &buf, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte("\r\n")) {
		t.Error("CSV lines do not end in CRLF")
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	sum, lines, lastBal := int64(0), int64(0), ""
	summary := map[string]string{}
	for _, r := range recs[1:] {
		switch r[0] {
		case "transaction":
			sum += mustMinor(r[8])
			lines++
			lastBal = r[9]
		case "summary":
			summary[r[4]] = r[8]
		}
	}
	if lines != st.Lines || money.MinorString(mustMinor(st.Opening)+sum) != st.Closing || lastBal != st.Closing {
		t.Errorf("CSV: %d lines (want %d), opening+sum %s, last balance %s, closing %s", lines, st.Lines,
			money.MinorString(mustMinor(st.Opening)+sum), lastBal, st.Closing)
	}
	if summary["Closing balance"] != st.Closing || summary["Usage"] != "-"+st.Usage {
		t.Errorf("CSV summary %v", summary)
	}

	// PDF: the extracted text shows the totals, by the display rule
	// (money.Display, as the window writes credits: "499,836.355706659",
	// "79,635.00"), where the CSV above keeps them canonical.
	var pdf bytes.Buffer
	if err := e.st.WritePDF(e.ctx, st, &pdf, nil); err != nil {
		t.Fatal(err)
	}
	txt := pdfText(t, pdf.Bytes())
	show := money.DisplayString
	for _, w := range []string{show(st.Opening), show(st.Closing), show("-" + st.Usage), show(st.TopUps), show(st.Refunds), "Page 1 of", "Closing balance"} {
		if !strings.Contains(txt, w) {
			t.Errorf("PDF text lacks %q", w)
		}
	}

	// Detailed CSV: one row per usage charge, credits sum to usage.
	buf.Reset()
	if err := e.st.WriteDetailCSV(e.ctx, st, &buf, nil); err != nil {
		t.Fatal(err)
	}
	recs, err = csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	du := int64(0)
	tokens := 0
	for _, r := range recs[1:] {
		du += mustMinor(r[14])
		if r[7] != "0" {
			tokens++
		}
	}
	if money.MinorString(du) != st.Usage || tokens == 0 {
		t.Errorf("detail CSV sums to %s (want %s), %d rows with input tokens", money.MinorString(du), st.Usage, tokens)
	}
}

func TestStatementScopesReconcile(t *testing.T) {
	e := newEnv(t)
	e.populate(t, 1500)
	for _, req := range []Request{{Month: "2025-03", DepartmentID: 1}, {Month: "2025-03", UserID: 2}, {Month: "2025-03", DepartmentID: 2}} {
		st, err := e.st.Build(e.ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		// Closing equals the account's ledger balance at the month end.
		var bal int64
		e.db.Read().QueryRow(`SELECT COALESCE(SUM(CASE WHEN ca.code = ? THEN t.amount_minor ELSE -t.amount_minor END), 0)
			FROM ledger_transfers t JOIN ledger_accounts da ON da.id = t.debit_id JOIN ledger_accounts ca ON ca.id = t.credit_id
			WHERE t.kind IN ('posted','post') AND (da.code = ? OR ca.code = ?) AND t.created_at < '2025-04-01'`,
			st.Account, st.Account, st.Account).Scan(&bal)
		if st.Closing != money.MinorString(bal) {
			t.Errorf("%s closing %s, ledger %s", st.Account, st.Closing, money.MinorString(bal))
		}
		if st.TransfersIn == "0" {
			t.Errorf("%s: no transfers in", st.Account)
		}
		if st.Attributed == nil || st.AttributedTotal == "" {
			t.Errorf("%s: no attributed usage", st.Account)
		}
		// The attributed total is every model's line added up, and the
		// ledger's usage attributed to the scope (whoever paid) in March.
		attrCol, attrID := "t.department_id", req.DepartmentID
		if req.UserID != 0 {
			attrCol, attrID = "t.user_id", req.UserID
		}
		var attrLedger, attrLines int64
		e.db.Read().QueryRow(`SELECT COALESCE(SUM(t.amount_minor), 0) FROM ledger_transfers t JOIN ledger_accounts ca ON ca.id = t.credit_id
			WHERE t.kind IN ('posted','post') AND ca.code = 'sys:usage' AND `+attrCol+` = ? AND t.created_at >= '2025-03-01' AND t.created_at < '2025-04-01'`,
			attrID).Scan(&attrLedger)
		for _, l := range st.Attributed {
			attrLines += mustMinor(l.Amount)
		}
		if len(st.Attributed) < 2 || st.AttributedTotal != money.MinorString(attrLines) || attrLines != attrLedger {
			t.Errorf("%s: attributed total %s, its %d lines add up to %s, the ledger's %s", st.Account, st.AttributedTotal,
				len(st.Attributed), money.MinorString(attrLines), money.MinorString(attrLedger))
		}
		// The PDF words it as the Statements page does: what they used
		// (any payer) first, then their own account, named.
		var pdf bytes.Buffer
		if err := e.st.WritePDF(e.ctx, st, &pdf, nil); err != nil {
			t.Fatal(err)
		}
		// (The fixture's member name is hostile: long, a newline, an emoji
		// the fonts lack; long headings are cut, so only the fixed words are
		// looked for.)
		txt := strings.Join(strings.Fields(pdfText(t, pdf.Bytes())), " ")
		suffix := "'s wallet"
		if req.DepartmentID != 0 {
			suffix = "'s credits"
		}
		attributed := strings.Index(txt, "Usage attributed to ")
		summary := strings.Index(txt, suffix+" only: usage another account paid for is not in it.")
		for _, w := range []string{"Usage paid from ", "Paid from "} {
			if !strings.Contains(txt, w) {
				t.Errorf("%s: PDF lacks %q", st.Account, w)
			}
		}
		if attributed < 0 || summary < 0 || attributed > summary || strings.Contains(txt, "Summary") {
			t.Errorf("%s: PDF order or wording: attributed at %d, account summary at %d:\n%.600s", st.Account, attributed, summary, txt)
		}
	}
}

func TestStatementBadInput(t *testing.T) {
	e := newEnv(t)
	e.populate(t, 300)
	dir := t.TempDir()
	cases := []struct {
		name    string
		req     Request
		wantErr error
		message string
	}{
		{"empty month", Request{Month: "2024-06"}, nil, "No activity"},
		{"future month", Request{Month: "2031-01"}, nil, "not started"},
		{"current month", Request{Month: "2025-05"}, nil, "not over"},
		{"nasty member name", Request{Month: "2025-03", UserID: 2}, nil, ""},
		{"bad month", Request{Month: "2025-13"}, ErrBadMonth, ""},
		{"not a month", Request{Month: "March"}, ErrBadMonth, ""},
		{"before 2000", Request{Month: "1999-12"}, ErrBadMonth, ""},
		{"after 9998", Request{Month: "9999-01"}, ErrBadMonth, ""},
		{"two scopes", Request{Month: "2025-03", UserID: 1, DepartmentID: 1}, ErrBadScope, ""},
		{"negative id", Request{Month: "2025-03", UserID: -1}, ErrBadScope, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, kind := range []string{KindStatementPDF, KindStatementCSV, KindStatementDetail} {
				path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+"-"+kind)
				err := e.st.Export(e.ctx, ExportRequest{Kind: kind, Statement: tc.req, Path: path}, nil)
				if tc.wantErr != nil {
					if !errors.Is(err, tc.wantErr) {
						t.Fatalf("err = %v, want %v", err, tc.wantErr)
					}
					if _, serr := os.Stat(path); serr == nil {
						t.Fatal("a file was written for a bad request")
					}
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				b, _ := os.ReadFile(path)
				switch kind {
				case KindStatementPDF:
					txt := pdfText(t, b)
					if tc.message != "" && !strings.Contains(txt, tc.message) {
						t.Errorf("PDF lacks message %q", tc.message)
					}
					if tc.req.UserID == 2 && !strings.Contains(txt, "Дмитрий Ωmega") {
						t.Errorf("PDF lacks the member's name: %q", txt[:200])
					}
				default:
					recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
					if err != nil {
						t.Fatalf("CSV does not parse: %v", err)
					}
					for _, r := range recs {
						for _, c := range r {
							if c != "" && strings.ContainsRune("=+@\t\r", rune(c[0])) {
								t.Fatalf("unneutralised cell %q", c)
							}
						}
					}
					if tc.req.UserID == 2 && kind == KindStatementCSV && !bytes.Contains(b, []byte("'=HYPERLINK")) {
						t.Error("the nasty name is not neutralised in the CSV")
					}
				}
			}
		})
	}
	// A member may not read another member's or the workspace statement.
	member := access.WithActor(e.ctx, access.Actor{UserID: 1, Role: access.RoleMember})
	for _, req := range []Request{{Month: "2025-03", UserID: 2}, {Month: "2025-03"}, {Month: "2025-03", DepartmentID: 1}} {
		if _, err := e.st.Build(member, req); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("member built %+v: %v", req, err)
		}
	}
	if _, err := e.st.Build(member, Request{Month: "2025-03", UserID: 1}); err != nil {
		t.Errorf("member's own statement: %v", err)
	}
}
