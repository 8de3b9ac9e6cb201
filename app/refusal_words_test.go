package app

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/chat"
	"meterdesk/backend/gateway"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers"
	"meterdesk/backend/rates"
	"meterdesk/backend/reports"
	"meterdesk/backend/statements"
	"meterdesk/backend/team"
)

// refusedInputs refuses ~40 real inputs through the window's bindings (the
// same backend calls the CLI makes) and returns each refusal's error with
// the words the window shows for it (BackendError.from of what FormatError
// sends: frontend/src/api/errors.test.ts checks them, over
// testdata/refusal_words.json). The words were what the window's text
// parser (frontend errorReason, since removed) made of each Go text; the
// window now shows the typed reason FormatError sends, and must not show
// worse words.
func refusedInputs(t *testing.T) []refusedInput {
	t.Helper()
	a, b, alice, admin := adminApp(t)
	if _, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t1", Account: ledger.AccountPool, Credits: decimal.RequireFromString("100"),
		Price: "0", Currency: "EUR", Source: "cli"}); err != nil {
		t.Fatal(err)
	}
	// What a credit is worth in thousandths of a euro: a top-up of 5
	// credits without a price (0.005 EUR) is no whole cent.
	if err := b.Ledger.SetCreditValue(alice, ledger.CreditValue{Amount: "0.001", Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	c, tm, g, ch, st, sys, rt := &Credits{app: a}, &Team{app: a}, &Gateway{app: a}, &Chat{app: a}, &Statements{app: a}, &System{app: a}, &Rates{app: a}
	dept, err := tm.CreateDepartment(team.DepartmentInput{Name: "Eng", Overdraft: "0"})
	if err != nil {
		t.Fatal(err)
	}
	ws, err := tm.Workspace()
	if err != nil {
		t.Fatal(err)
	}
	str := func(s string) *string { return &s }
	hot := 5.0
	minusTwo := -2
	pr := &Providers{app: a}
	exportPath := filepath.Join(t.TempDir(), "transactions.csv")
	a.saves.grant(exportPath) // as the save dialog does
	second := func(_ any, err error) error { return err }
	stale := ws
	stale.TimeZone = "Asia/Tokyo"
	// A rates save made against the version before the one in force now.
	tbl, err := rt.Table()
	if err != nil {
		t.Fatal(err)
	}
	rateEdit := func(v string) rates.Change {
		return rates.Change{Edits: []rates.Edit{{Provider: "openai", Model: "gpt-4o", Field: "input", Value: v}}, BaseVersion: tbl.Version.ID}
	}
	if _, err := rt.Apply(rateEdit("0.000001")); err != nil {
		t.Fatal(err)
	}
	// Departments whose refusals start with a name, which the window shows
	// as spelt (inputerr.Sentence): an archived "department of Physics"
	// and "Lab", and "ops" with no credits to move.
	archived := func(name string) int64 {
		d, err := tm.CreateDepartment(team.DepartmentInput{Name: name, Overdraft: "0"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tm.ArchiveDepartment(d.ID); err != nil {
			t.Fatal(err)
		}
		return d.ID
	}
	physics, lab := archived("department of Physics"), archived("Lab")
	ops, err := tm.CreateDepartment(team.DepartmentInput{Name: "ops", Overdraft: "0"})
	if err != nil {
		t.Fatal(err)
	}
	return []refusedInput{
		{"top-up tax rate", second(c.TopUp(TopUpInput{ID: "5d0e8b1c-0000-4000-8000-000000000101", Account: ledger.AccountPool, Amount: "10", Price: "1", Currency: "EUR", TaxRate: "x"})), `Tax rate "x" must be a fraction from 0 to 1 (e.g. 0.19) or a percent from 0% to 100% (e.g. 19%), with at most 6 decimal places as a fraction`},
		{"top-up amount", second(c.TopUp(TopUpInput{ID: "5d0e8b1c-0000-4000-8000-000000000102", Account: ledger.AccountPool, Amount: "-5", Price: "1", Currency: "EUR"})), "Amount -5 is negative"},
		{"top-up account", second(c.TopUp(TopUpInput{ID: "5d0e8b1c-0000-4000-8000-000000000103", Account: "sys:usage", Amount: "5", Price: "1", Currency: "EUR"})), "Top up a pool, department or user account"},
		{"top-up price not in cents", second(c.TopUp(TopUpInput{ID: "5d0e8b1c-0000-4000-8000-000000000105", Account: ledger.AccountPool, Amount: "5"})), "Price 0.005 EUR has more than 2 decimal places (give the price explicitly)"},
		{"top-up note", second(c.TopUp(TopUpInput{ID: "5d0e8b1c-0000-4000-8000-000000000104", Account: ledger.AccountPool, Amount: "5", Price: "1", Currency: "EUR", Note: "a\nb"})), "The note: not plain text: it must be one line (no line breaks or tabs)"},
		{"package credits", second(c.SavePackage(ledger.Package{Name: "Starter", Price: "5", Currency: "EUR"})), "Credits: amount must be greater than zero"},
		{"package discount", second(c.SavePackage(ledger.Package{Name: "Starter", Credits: decimal.NewFromInt(10), Price: "5", Currency: "EUR", Discount: "200"})), `Discount "200" must be a percentage 0-100`},
		{"package price", second(c.SavePackage(ledger.Package{Name: "Starter", Credits: decimal.NewFromInt(10), Price: "5.001", Currency: "EUR"})), "Price 5.001 EUR has more than 2 decimal places"},
		{"package currency", second(c.SavePackage(ledger.Package{Name: "Starter", Credits: decimal.NewFromInt(10), Price: "5", Currency: "XXQ"})), `Currency "XXQ" is not an ISO 4217 currency code (such as EUR, USD, JPY)`},
		{"transfer amount", second(c.Transfer(TransferInput{ID: "5d0e8b1c-0000-4000-8000-000000000009", From: ledger.AccountPool, To: ledger.DeptAccount(dept.ID), Amount: "-5"})), "Amount -5 is negative"},
		{"transfer same account", second(c.Transfer(TransferInput{ID: "5d0e8b1c-0000-4000-8000-000000000010", From: ledger.AccountPool, To: ledger.AccountPool, Amount: "5"})), "From and to are the same account pool"},
		{"policy limit", b.Ledger.SetPolicy(alice, ledger.DeptAccount(dept.ID), ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: decimal.NewFromInt(-5)}), "Limit -5 is negative"},
		{"policy takes no limit", b.Ledger.SetPolicy(alice, ledger.DeptAccount(dept.ID), ledger.Policy{Kind: ledger.PolicyBlocked, Limit: decimal.NewFromInt(5)}), "A blocked policy takes no limit"},
		{"policy too precise", b.Ledger.SetPolicy(alice, ledger.DeptAccount(dept.ID), ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: decimal.RequireFromString("0.0000000001")}), "Limit: 0.0000000001: more than 9 decimal places"},
		{"policy kind", b.Ledger.SetPolicy(alice, ledger.DeptAccount(dept.ID), ledger.Policy{Kind: "lenient"}), `Policy "lenient" (want blocked, overdraft, minimum or carry)`},
		{"policy on a system account", b.Ledger.SetPolicy(alice, "sys:usage", ledger.Policy{Kind: ledger.PolicyBlocked}), "System account sys:usage is always unlimited"},
		{"history op", second(c.History(HistoryInput{Ops: []string{"steal"}})), `Op "steal" (want one of topup, usage, transfer, refund, expiry, adjustment, grant, hold, post, void)`},
		{"history limit", second(c.History(HistoryInput{Limit: -1})), "A limit and a cursor are positive (0 = the default)"},
		{"credit value", second(c.SetCreditValue(ledger.CreditValue{Amount: "-1", Currency: "EUR"})), `Credit value "-1" must be a positive decimal with at most 12 decimal places`},
		{"member name", second(tm.AddMember(team.NewMember{Name: "b@d", Role: "member", SecretKind: team.SecretPIN, Secret: "1234"})), `Member name "b@d" may use letters, digits, '.', '-' and '_' only`},
		{"member role", second(tm.AddMember(team.NewMember{Name: "bob", Role: "boss", SecretKind: team.SecretPIN, Secret: "1234"})), `Role "boss" (want admin or member)`},
		{"department name", second(tm.CreateDepartment(team.DepartmentInput{Name: ""})), "A department name has 1 to 100 characters"},
		{"department name taken", second(tm.CreateDepartment(team.DepartmentInput{Name: "Eng", Overdraft: "0"})), `A department named "Eng" already exists`},
		{"department name taken in capitals", second(tm.CreateDepartment(team.DepartmentInput{Name: "ENG", Overdraft: "0"})), `"ENG" is taken: a department named "Eng" already exists (names are compared regardless of case, width and look-alike letters)`},
		{"member name taken", second(tm.AddMember(team.NewMember{Name: "Alice", Role: "member", SecretKind: team.SecretPIN, Secret: "1234"})), `"Alice" is taken: a member named "alice" already exists (names are compared regardless of case, width and look-alike letters)`},
		{"department overdraft", second(tm.UpdateDepartment(dept.ID, team.DepartmentInput{Name: "Eng", Overdraft: "abc"})), `Overdraft: "abc": not a decimal number`},
		{"move credits same", second(tm.MoveCredits(team.MoveRequest{From: dept.ID, To: dept.ID, Amount: "1"})), "From and to are the same account"},
		{"limit kind", second(tm.SetLimit(team.Limit{UserID: admin.UserID, Kind: "weekly", Amount: "5"})), `Limit kind "weekly" (want daily, monthly or model)`},
		{"limit amount", second(tm.SetLimit(team.Limit{UserID: admin.UserID, Kind: "daily", Amount: "-5"})), "Limit -5 is negative"},
		{"limit to remove missing", second(tm.RemoveLimit(admin.UserID, "model", "gpt-4o")), "alice has no limit for gpt-4o"},
		{"archived department named department", second(tm.UpdateDepartment(physics, team.DepartmentInput{Name: "department of Physics", Overdraft: "0"})), "department of Physics is archived"},
		{"archived department", second(tm.UpdateDepartment(lab, team.DepartmentInput{Name: "Lab", Overdraft: "0"})), "The Lab department is archived"},
		{"move from a department without credits", second(tm.MoveCredits(team.MoveRequest{From: ops.ID, To: 0, Amount: "5"})), "ops has no credits available; this move needs 5.00"},
		{"alert thresholds", second(tm.SetAlertSettings(team.AlertSettings{Absolute: []string{"x"}})), `Absolute threshold: "x": not a decimal number`},
		{"auto-recharge threshold", second(tm.SetAutoRecharge(team.AutoRecharge{Account: ledger.DeptAccount(dept.ID), Threshold: "-1", Amount: "5", MonthlyCap: "10"})), "Threshold -1 is negative"},
		{"auto-recharge account", second(tm.SetAutoRecharge(team.AutoRecharge{Account: "pool", Threshold: "1", Amount: "5", MonthlyCap: "10"})), `An auto-recharge tops up a department or a member (dept:<id> or user:<id>), not "pool"`},
		{"workspace time zone", second(tm.PatchWorkspace(team.WorkspacePatch{TimeZone: str("Mars/Base")})), `Time zone "Mars/Base" is not an IANA zone name`},
		{"workspace credit value", second(tm.PatchWorkspace(team.WorkspacePatch{CreditValue: str("-1")})), `What a credit is worth: credit value "-1" must be a positive decimal with at most 12 decimal places`},
		{"workspace changed", second(tm.PatchWorkspace(team.WorkspacePatch{TimeZone: str("Europe/Paris"), Read: &stale})), "The time zone was changed by someone else since you opened it (now UTC): reload and try again"},
		{"audit limit", second(tm.AuditPage(AuditInput{Limit: -1}, 0)), "Limit -1"},
		// An inverted range names the fields its bounds were typed in (it named neither).
		{"audit range", second(tm.AuditPage(AuditInput{From: "2026-11-30", To: "2026-11-01"}, 0)), "To 2026-11-01 is before From 2026-11-30"},
		{"usage range", second((&Reports{app: a}).Dashboard("2026-11-30", "2026-11-01", 0)), "To 2026-11-01 is before From 2026-11-30"},
		{"transactions range", second((&Reports{app: a}).History(reports.Filter{From: "2026-11-30", To: "2026-11-01"})), "To 2026-11-01 is before From 2026-11-30"},
		// The history's CSV export says it as the history does (it named neither bound).
		{"transactions export range", second(st.ExportTransactions(reports.Filter{From: "2026-11-30", To: "2026-11-01"}, exportPath)), "To 2026-11-01 is before From 2026-11-30"},
		{"notifications before", second(tm.NotificationsPage(false, -1, 10)), "Before -1"},
		{"key name", second(g.CreateKey(0, "")), `Give the key a name of 1 to 80 characters on one line (e.g. "laptop script")`},
		{"gateway address", second(g.Apply(gateway.Config{Addr: "nowhere"})), `Address "nowhere": want host:port (e.g. 127.0.0.1:8787)`},
		{"conversation title", second(ch.CreateConversation(chat.ConversationInput{Title: "a\nb"})), "The title: not plain text: it must be one line (no line breaks or tabs)"},
		{"draft", second(ch.SaveDraft(1, strings.Repeat("x", chat.MaxText+1))), "Longer than 1000000 bytes"},
		{"setting", second(sys.SetSetting("ui.theme", "neon")), "ui.theme: must be one of system, light, dark"},
		{"invoice party", st.SetParties(statements.Party{}, statements.Party{}), "The seller needs a name"},
		{"statement month", second(st.Preview(statements.Request{Month: ""})), `Invalid month "": want YYYY-MM, e.g. 2025-03`},
		{"move credits amount", second(tm.MoveCredits(team.MoveRequest{From: 0, To: dept.ID, Amount: "-5"})), "Amount -5 is negative"},
		{"conversation temperature", second(ch.CreateConversation(chat.ConversationInput{Title: "t", Settings: &chat.ModelSettings{Temperature: &hot}})), "Temperature must be a number from 0 to 2"},
		{"conversation reasoning", second(ch.CreateConversation(chat.ConversationInput{Title: "t", Settings: &chat.ModelSettings{Reasoning: "lots"}})), `Reasoning must be default, off, low, medium or high (not "lots")`},
		{"conversation top P", second(ch.CreateConversation(chat.ConversationInput{Title: "t", Settings: &chat.ModelSettings{TopP: &hot}})), "top_p must be a number from 0 to 1"},
		{"conversation max output", second(ch.CreateConversation(chat.ConversationInput{Title: "t", Settings: &chat.ModelSettings{MaxOutput: -1}})), "Max output must be from 0 (the model's default) to 1048576 tokens"},
		{"conversation history", second(ch.CreateConversation(chat.ConversationInput{Title: "t", Settings: &chat.ModelSettings{History: &minusTwo}})), "History must be all or from 0 to 1000 exchanges (not -2)"},
		{"provider base URL", second(pr.Add(providers.Input{Name: "Local", Kind: providers.KindCompatible, BaseURL: "ftp://x"})), `"ftp://x": must start with http:// or https://`},
		{"provider base URL over http", second(pr.Add(providers.Input{Name: "Cloud", Kind: providers.KindOpenAI, BaseURL: "http://api.example.com/v1", APIKey: "sk-test"})),
			`"http://api.example.com/v1": http:// would send the OpenAI API key unencrypted; use https://api.example.com/v1 (a server on your own network without https: kind openai_compatible)`},
		{"provider key", second(pr.Add(providers.Input{Name: "Local", Kind: providers.KindCompatible, BaseURL: "http://localhost:1", APIKey: "sk a"})),
			"Contains spaces or control characters (was more than the key pasted?)"},
		{"provider name", second(pr.Add(providers.Input{Name: "123", Kind: providers.KindCompatible, BaseURL: "http://localhost:1"})), `"123" needs a letter or another character besides digits (a number is read as a provider id)`},
		{"sign-in secret", second(tm.SignIn("alice", "not her password", false)), "Wrong password or PIN"},
		{"own secret wrong", second(tm.ChangeOwnSecret("not her password", team.SecretPassword, "a new password")), "The current password or PIN is wrong: nothing was changed"},
		{"rate negative", second(rt.Apply(rates.Change{Edits: []rates.Edit{{Provider: "openai", Model: "gpt-4o", Field: "input", Value: "-1"}}})), "Invalid rates (1 problem, nothing applied): (openai/gpt-4o): input -1 is negative"}, // a refusal (rates.ValidationError's Reason): Preview's is shown under "Save would be refused", a failed check is not
		{"calculator price negative", second(rt.Calculate(rates.CalcInput{Price: "-2.5", Unit: "1m", CreditValue: "0.01"})), "price -2.5 is negative"},                                                                                  // the calculator's refusals are untyped: their text as it is
		{"package price negative", second(c.SavePackage(ledger.Package{Name: "Starter", Credits: decimal.NewFromInt(10), Price: "-5", Currency: "EUR"})), "Price -5 is negative"},
		{"top-up price negative", second(c.TopUp(TopUpInput{ID: "5d0e8b1c-0000-4000-8000-000000000106", Account: ledger.AccountPool, Amount: "5", Price: "-1", Currency: "EUR"})), "Price -1 is negative"},
		{"rates model name", second(rt.AddModel("local", "llama\t3")), `Model name "llama\t3": not plain text: it must be one line (no line breaks or tabs)`},
		{"rates model name too long", second(rt.AddModel("local", strings.Repeat("m", 201))), "Model name is longer than 200 characters"},
		{"missing conversation", second(ch.Conversation(999)), "This conversation does not exist or is not yours"}, // #/chat/999: no Retry (code notfound)
		{"rates changed", second(rt.Apply(rateEdit("0.000002"))), "the rates changed since you opened them (version 2 by alice); review and save again"},
		{"rates import", second(rt.Import("csv", "nonsense")), "Invalid rates (1 problem, nothing applied): row 1: header has 1 columns (nonsense); want exactly 9: provider,model,input,output,cache_read,cache_write,reasoning,per_request,per_tool_call"},
	}
}

type refusedInput struct {
	name  string
	err   error
	words string // what the window shows
}

var update = flag.Bool("update", false, "rewrite testdata/refusal_words.json from the real refusals")

// refusalWordsFile is the table the window's test reads (frontend/src/api/
// errors.test.ts): each real refusal's Go text, what FormatError sends for
// it, and the words the window shows.
const refusalWordsFile = "testdata/refusal_words.json"

// refusalWordsRow is one row of refusalWordsFile.
type refusalWordsRow struct {
	Name  string          `json:"name"`
	Error string          `json:"error"` // err.Error(): the CLI's text, after "meterdesk COMMAND: "
	Sent  json.RawMessage `json:"sent"`  // FormatError(err), as Wails sends it: the text, or {message, reason}
	Words string          `json:"words"` // what the window shows (BackendError.from(op, sent).message)
}

// TestRefusedInputWordsInTheWindow: each refused input reaches the window
// as testdata/refusal_words.json says: its Go text (the CLI's, pinned
// here), what FormatError sends (a refusal's typed reason: inputerr's, a
// refusal's own Reason; an error with no reason of its own, "ui.theme:
// must be one of …", a provider's "invalid
// base URL: …", as its plain text) and the words the window shows, which
// the window's own test (frontend/src/api/errors.test.ts) checks by
// running BackendError.from over each row: the reason, with the field it
// is about, never the operation or Go's kind ("invalid amount"). The file
// is made from the real refusals: run `go test ./app -run
// TestRefusedInputWordsInTheWindow -update` to rewrite it after a change,
// then read its diff.
func TestRefusedInputWordsInTheWindow(t *testing.T) {
	cases := refusedInputs(t)
	rows := make([]refusalWordsRow, 0, len(cases))
	for _, c := range cases {
		if c.err == nil {
			t.Errorf("%s: not refused", c.name)
			continue
		}
		sent := FormatError(c.err)
		if r, ok := sent.(RefusalError); ok && r.Message != c.err.Error() {
			t.Errorf("%s: FormatError's message %q is not the Go text %q", c.name, r.Message, c.err)
		}
		// The reason comes as the sentence the window shows, which re-cases
		// no word of it (a name it starts with stays as spelt).
		if r, ok := sent.(RefusalError); ok && r.Reason != "" && r.Reason != c.words {
			t.Errorf("%s: FormatError's reason %q is not the words the window shows, %q", c.name, r.Reason, c.words)
		}
		j, err := marshal(sent)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, refusalWordsRow{Name: c.name, Error: c.err.Error(), Sent: j, Words: c.words})
	}
	want, err := refusalWordsJSON(rows)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(refusalWordsFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(refusalWordsFile)
	if err != nil {
		t.Fatalf("%v (run go test ./app -run TestRefusedInputWordsInTheWindow -update)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	var stored struct{ Rows []refusalWordsRow }
	if err := json.Unmarshal(got, &stored); err != nil {
		t.Fatalf("%s: %v", refusalWordsFile, err)
	}
	byName := map[string]refusalWordsRow{}
	for _, r := range stored.Rows {
		byName[r.Name] = r
	}
	for _, r := range rows {
		s, ok := byName[r.Name]
		switch {
		case !ok:
			t.Errorf("%s: not in %s", r.Name, refusalWordsFile)
		case s.Error != r.Error:
			t.Errorf("%s: the Go text (the CLI's) is %q\n%s has %q", r.Name, r.Error, refusalWordsFile, s.Error)
		case !bytes.Equal(s.Sent, r.Sent):
			t.Errorf("%s: FormatError sends %s\n%s has %s", r.Name, r.Sent, refusalWordsFile, s.Sent)
		case s.Words != r.Words:
			t.Errorf("%s: the words are %q\n%s has %q", r.Name, r.Words, refusalWordsFile, s.Words)
		}
		delete(byName, r.Name)
	}
	for name := range byName {
		t.Errorf("%s: in %s, not refused here", name, refusalWordsFile)
	}
	t.Errorf("%s disagrees with the real refusals: fix the refusal, or run go test ./app -run TestRefusedInputWordsInTheWindow -update and read the diff", refusalWordsFile)
}

// marshal is v as JSON, with <, > and & as they are.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// refusalWordsJSON is refusalWordsFile's text for rows: a comment, then a
// row a line, so that a change reads as a diff of its rows.
func refusalWordsJSON(rows []refusalWordsRow) ([]byte, error) {
	comment, err := marshal("Real refusals and the words the window shows for them. Written by app/refusal_words_test.go (go test ./app -run TestRefusedInputWordsInTheWindow -update) from the real refusals, which it checks against this file; read by frontend/src/api/errors.test.ts, which runs BackendError.from over each row's sent value. error: the Go text (what the CLI prints); sent: what app.FormatError sends the window (the text, or {message, reason}); words: what the window shows.")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString("{\n  \"comment\": ")
	buf.Write(comment)
	buf.WriteString(",\n  \"rows\": [\n")
	for i, r := range rows {
		j, err := marshal(r)
		if err != nil {
			return nil, err
		}
		buf.WriteString("    ")
		buf.Write(j)
		if i < len(rows)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("  ]\n}\n")
	return buf.Bytes(), nil
}
