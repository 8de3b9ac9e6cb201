package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/gateway"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers"
	"meterdesk/backend/team"
)

// preSetupCall is one bound method called from the window, as the page
// (or a script in it) would call it.
type preSetupCall struct {
	name string
	call func(bound) error
}

// bound is every bound struct of one window's session.
type bound struct {
	chat    *Chat
	credits *Credits
	gw      *Gateway
	prov    *Providers
	rates   *Rates
	reports *Reports
	stmts   *Statements
	system  *System
	team    *Team
}

func boundOf(a *App) bound {
	return bound{chat: &Chat{app: a}, credits: &Credits{app: a}, gw: &Gateway{app: a}, prov: &Providers{app: a},
		rates: &Rates{app: a}, reports: &Reports{app: a}, stmts: &Statements{app: a}, system: &System{app: a}, team: &Team{app: a}}
}

func errOf[T any](_ T, err error) error { return err }

// preSetupCalls are what a script in the window could ask before the
// first-run wizard is done: top up, add a provider with its key, set rates,
// members, limits, the API... and reads of the workspace's data.
var preSetupCalls = []preSetupCall{
	{"Credits.TopUp", func(b bound) error {
		return errOf(b.credits.TopUp(TopUpInput{ID: "t1", Account: "pool", Amount: "1000", Price: "10", Currency: "EUR"}))
	}},
	{"Credits.SetCreditValue", func(b bound) error {
		return errOf(b.credits.SetCreditValue(ledger.CreditValue{Currency: "EUR", Amount: "0.02"}))
	}},
	{"Credits.SavePackage", func(b bound) error {
		return errOf(b.credits.SavePackage(ledger.Package{Name: "Starter", Credits: decimal.NewFromInt(100), Price: "1", Currency: "EUR", Active: true}))
	}},
	{"Credits.MyBalance", func(b bound) error { return errOf(b.credits.MyBalance()) }},
	{"Credits.Balance", func(b bound) error { return errOf(b.credits.Balance("pool")) }},
	{"Credits.History", func(b bound) error { return errOf(b.credits.History(HistoryInput{})) }},
	{"Providers.Add", func(b bound) error {
		return errOf(b.prov.Add(providers.Input{Name: "mine", Kind: "openai", APIKey: "sk-test-0123456789abcdef"}))
	}},
	{"Providers.List", func(b bound) error { return errOf(b.prov.List()) }},
	{"Rates.AddModel", func(b bound) error { return errOf(b.rates.AddModel("openai", "my-model")) }},
	{"Rates.Table", func(b bound) error { return errOf(b.rates.Table()) }},
	{"Team.AddMember", func(b bound) error {
		return errOf(b.team.AddMember(team.NewMember{Name: "mallory", Role: access.RoleAdmin, SecretKind: team.SecretPIN, Secret: "4321"}))
	}},
	{"Team.CreateDepartment", func(b bound) error {
		return errOf(b.team.CreateDepartment(team.DepartmentInput{Name: "Research"}))
	}},
	{"Team.SetAlertSettings", func(b bound) error {
		return errOf(b.team.SetAlertSettings(team.AlertSettings{}))
	}},
	{"Team.Members", func(b bound) error { return errOf(b.team.Members(true)) }},
	{"Team.Workspace", func(b bound) error { return errOf(b.team.Workspace()) }},
	{"Team.PatchWorkspace", func(b bound) error {
		name := "Evil"
		return errOf(b.team.PatchWorkspace(team.WorkspacePatch{Name: &name}))
	}},
	{"Team.Audit", func(b bound) error { return errOf(b.team.Audit(AuditInput{})) }},
	{"Team.ChangeOwnSecret", func(b bound) error { return errOf(b.team.ChangeOwnSecret("", team.SecretPIN, "9876")) }},
	{"Team.Preflight", func(b bound) error { return errOf(b.team.Preflight("gpt-4o-mini", "1")) }},
	{"System.SetSetting", func(b bound) error { return errOf(b.system.SetSetting("workspace.name", "Evil")) }},
	{"System.ChooseBackupFile", func(b bound) error { return errOf(b.system.ChooseBackupFile()) }},
	{"System.RestoreStatus", func(b bound) error { return errOf(b.system.RestoreStatus()) }},
	{"Chat.StartConversation", func(b bound) error { return errOf(b.chat.StartConversation()) }},
	{"Chat.Conversations", func(b bound) error { return errOf(b.chat.Conversations("")) }},
	{"Chat.Send", func(b bound) error {
		out, err := b.chat.Send(SendInput{ConversationID: 1, MessageID: "m1", Text: "hello"})
		if err == nil && out.Error != nil {
			if out.Error.Code != chat.CodeForbidden {
				return errors.New(out.Error.Code + ": " + out.Error.Message)
			}
			return access.ErrNoWorkspace // the refusal as the page gets it: code forbidden
		}
		return err
	}},
	{"Gateway.Apply", func(b bound) error { return errOf(b.gw.Apply(gateway.Config{Enabled: false})) }},
	{"Gateway.CreateKey", func(b bound) error { return errOf(b.gw.CreateKey(0, "laptop script")) }},
	{"Reports.Forecast", func(b bound) error { return errOf(b.reports.Forecast(0)) }},
	{"Statements.Invoices", func(b bound) error { return errOf(b.stmts.Invoices()) }},
}

// TestNothingActsBeforeSetup: before its first-run wizard is done the window
// has nobody signed in, and a bound method called from the page (devtools,
// a script that got in) is refused with "no workspace yet: finish the setup
// first", writing nothing; it acted as the system, with every power, before.
// Once the wizard has set the workspace up, the same calls work as usual.
func TestNothingActsBeforeSetup(t *testing.T) {
	a, _ := openApp(t)
	bd := boundOf(a)
	before := dumpDB(t, a)
	for _, c := range preSetupCalls {
		err := c.call(bd)
		if !errors.Is(err, access.ErrNoWorkspace) {
			t.Errorf("%s before setup: %v, want %q", c.name, err, access.ErrNoWorkspace)
		}
		if after := dumpDB(t, a); after != before {
			t.Fatalf("%s before setup changed the database", c.name)
		}
	}
	// What the wizard and the shell need before setup still answers.
	if s, err := bd.team.CurrentUser(); err != nil || !s.NeedsSetup || s.SignedIn {
		t.Fatalf("CurrentUser before setup: %+v %v", s, err)
	}
	if _, err := bd.system.Info(); err != nil {
		t.Fatalf("Info before setup: %v", err)
	}
	if _, err := bd.system.GetSetting("workspace.name"); err != nil {
		t.Fatalf("GetSetting before setup: %v", err)
	}
	s, err := bd.team.Setup(team.WorkspaceSetup{
		Workspace: team.Workspace{Name: "Acme", Currency: "EUR", CreditValue: "0.01", TimeZone: "UTC"},
		AdminName: "alice", SecretKind: team.SecretPassword, Secret: "correct horse battery"})
	if err != nil || !s.SignedIn || s.Actor.Name != "alice" || s.NeedsSetup {
		t.Fatalf("Setup: %+v %v", s, err)
	}
	for _, c := range preSetupCalls {
		err := c.call(bd)
		if errors.Is(err, access.ErrForbidden) || errors.Is(err, access.ErrUnauthenticated) {
			t.Errorf("%s after setup, as its admin: %v", c.name, err)
		}
	}
}

// TestNoBoundMethodWritesBeforeSetup calls every bound method of the
// window (a new one too) with zero arguments before setup: none changes the
// database, and only those that need no workspace answer without an error.
func TestNoBoundMethodWritesBeforeSetup(t *testing.T) {
	a, _ := openApp(t)
	// The bound methods that answer before setup: the first-run wizard's and
	// the shell's, and fixed lists or sums that read no workspace data.
	answers := map[string]bool{
		"Team.CurrentUser": true, "Team.NeedsSetup": true, "Team.Profiles": true, // the wizard, the picker (empty)
		"Team.SecretProblem": true,                       // the wizard's hint under the admin's password: reads nothing
		"Team.SecretKinds":   true,                       // the wizard's labels of a password and a PIN: a fixed list
		"Team.Lock":          true, "Team.SignOut": true, // nobody to lock or sign out: the session they return says setup
		"System.Info": true, "System.SettingKeys": true, // the version, the preference names
		"Providers.Presets": true, "Providers.SecretStorage": true, "Rates.Providers": true, "Reports.Types": true,
		"Rates.Estimate": true, "Rates.EstimateFor": true, // built-in rates: nothing of the workspace
		"Chat.Stop": true, // (false, nil): nothing runs
		"Chat.Send": true, // its error is in the outcome (TestNothingActsBeforeSetup)
	}
	before := dumpDB(t, a)
	called := map[string]bool{}
	for _, s := range a.Bindings() {
		v := reflect.ValueOf(s)
		ty := v.Type()
		for i := 0; i < ty.NumMethod(); i++ {
			m := ty.Method(i)
			name := ty.Elem().Name() + "." + m.Name
			called[name] = true
			args := []reflect.Value{v}
			for j := 1; j < m.Type.NumIn(); j++ {
				args = append(args, reflect.Zero(m.Type.In(j)))
			}
			out := m.Func.Call(args)
			var err error
			if n := len(out); n > 0 {
				err, _ = out[n-1].Interface().(error)
			}
			if err == nil && !answers[name] {
				t.Errorf("%s answered before setup with no error", name)
			}
			if after := dumpDB(t, a); after != before {
				t.Errorf("%s changed the database before setup", name)
				before = after
			}
		}
	}
	// Every method said to answer was called: the loops ran over the
	// window's bindings (not an empty list), and no name here is stale.
	for name := range answers {
		if !called[name] {
			t.Errorf("%s is not a bound method (of %d called)", name, len(called))
		}
	}
}

func dumpDB(t *testing.T, a *App) string {
	t.Helper()
	out, err := a.Backend.DB.Dump(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestLockBeforeSetupMarksNothing: a Lock asked for before the workspace is
// set up (only a script in the page could) leaves no lock mark in the data
// folder, which would make the next start after a CLI setup ask for a
// sign-in instead of signing the only member in; after setup it does.
func TestLockBeforeSetupMarksNothing(t *testing.T) {
	a, _ := openApp(t)
	bd := boundOf(a)
	mark := filepath.Join(a.Backend.DataDir, lockedFile)
	if s, err := bd.team.Lock(); err != nil || !s.NeedsSetup {
		t.Fatalf("Lock before setup: %+v %v", s, err)
	}
	if _, err := os.Stat(mark); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Lock before setup left %s: %v", mark, err)
	}
	if _, err := bd.team.Setup(team.WorkspaceSetup{
		Workspace: team.Workspace{Name: "Acme", Currency: "EUR", CreditValue: "0.01", TimeZone: "UTC"},
		AdminName: "alice", SecretKind: team.SecretPassword, Secret: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	if _, err := bd.team.Lock(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(mark); err != nil {
		t.Fatalf("Lock after setup left no mark: %v", err)
	}
}
