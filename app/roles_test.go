package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/reports"
	"meterdesk/backend/statements"
	"meterdesk/backend/team"
)

// adminOnlyMethods are the bound methods a member is refused outright
// (access.ErrForbidden), whatever they are given: they change the
// workspace's set-up, money or other members, or read what only admins see
// (every member, the audit log, every wallet).
var adminOnlyMethods = []string{
	"Credits.SavePackage", "Credits.TopUp", "Credits.SetCreditValue", "Credits.MoveBackRoom", "Credits.PoolLines",
	"Gateway.Apply",
	"Providers.Add", "Providers.Update", "Providers.Remove", "Providers.Test", "Providers.TestInput",
	"Rates.Apply", "Rates.AddModel", "Rates.RemoveModel", "Rates.Import", "Rates.ImportFromFile",
	"Statements.Invoices", "Statements.InvoicesPage", "Statements.InvoicesState", "Statements.Parties",
	"Statements.CreditNote", "Statements.SetParties",
	"System.Backup", "System.CheckDatabase", "System.ChooseBackupFile", "System.ChooseRestoreFile",
	"System.CheckBackup", "System.StageRestore", "System.CancelRestore", "System.Restart",
	"Team.PatchWorkspace", "Team.Members", "Team.AddMember", "Team.UpdateMember", "Team.DisableMember",
	"Team.EnableMember", "Team.RemoveMember", "Team.Wallets", "Team.Wallet", "Team.ResetSecret", "Team.Departments",
	"Team.CreateDepartment", "Team.UpdateDepartment", "Team.DepartmentAmountProblem", "Team.ArchiveDepartment", "Team.MoveCredits",
	"Team.SetLimit", "Team.RemoveLimit", "Team.SetAlertSettings", "Team.AutoRecharges", "Team.SetAutoRecharge",
	"Team.RemoveAutoRecharge", "Team.Audit", "Team.AuditPage", "Team.AuditTargets", "Team.AuditCSV", "Team.ExportAudit",
}

// memberMethods are the bound methods a member may call: on their own
// data, or on what every member sees (models, rates, presets). Those that
// name a member, an account, a conversation or a key are checked against
// another member's in TestMemberCannotReachAnotherMembersData.
var memberMethods = []string{
	"Chat.Conversations", "Chat.Conversation", "Chat.CreateConversation", "Chat.StartConversation",
	"Chat.UpdateConversation", "Chat.DeleteConversation", "Chat.SaveDraft", "Chat.Messages", "Chat.MessagesPage",
	"Chat.MessagesState", "Chat.Send", "Chat.Stop", "Chat.Models", "Chat.Status", "Chat.Readiness",
	"Chat.EstimateDraft", "Chat.EstimateEdit", "Chat.StartSend", "Chat.ExportToFile",
	"Credits.MyBalance", "Credits.Balance", "Credits.Transfer", "Credits.Packages", "Credits.History", "Credits.CreditValue",
	"Credits.TaxRateProblem", "Credits.AmountProblem", "Credits.PriceProblem", "Credits.GiveTargets", "Credits.GiveRoom",
	"Gateway.Overview", "Gateway.Keys", "Gateway.CreateKey", "Gateway.RevokeKey",
	"Providers.List", "Providers.Presets", "Providers.SecretStorage", "Providers.Models",
	"Rates.Table", "Rates.Providers", "Rates.Versions", "Rates.Preview", "Rates.Calculate", "Rates.Export", "Rates.ExportToFile",
	"Rates.Estimate", "Rates.EstimateFor",
	"Reports.Dashboard", "Reports.Forecast", "Reports.Anomalies", "Reports.History", "Reports.Types",
	"Statements.Preview", "Statements.ChooseFile", "Statements.Export", "Statements.ExportTransactions",
	"Statements.Cancel", "Statements.Status",
	"System.Info", "System.SettingKeys", "System.GetSetting", "System.SetSetting", "System.RestoreStatus",
	// The session's own: sign-in, setup (refused once set up), lock; the
	// rule of a new password or PIN (asked before sign-in too: the wizard).
	"Team.SecretProblem", "Team.SecretKinds",
	"Team.CurrentUser", "Team.NeedsSetup", "Team.Setup", "Team.Profiles", "Team.SignIn", "Team.SignOut", "Team.Lock",
	"Team.Workspace", "Team.AccountNames", "Team.ChangeOwnSecret",
	"Team.Limits", "Team.AlertSettings", "Team.NotificationsPage", "Team.UnreadNotifications", "Team.MarkRead",
	"Team.Preflight",
}

// adminOnlyArgs are real input for admin-only methods whose empty or
// invalid input would otherwise never reach what an admin's call does (an
// amount to parse, a file chosen in a dialog): a member is refused for the
// role with it too, as with empty and invalid input (TestEveryBoundMethodHasARoleRule).
var adminOnlyArgs = map[string]func(a *App) []any{
	"Credits.TopUp": func(*App) []any {
		return []any{TopUpInput{ID: "t1", Account: "pool", Amount: "1000", Price: "10", Currency: "EUR"}}
	},
	"System.Backup": func(a *App) []any {
		path := filepath.Join(a.Backend.DataDir, "..", "copy.db")
		a.saves.grant(path) // as if chosen in the save dialog (Statements.ChooseFile is a member's too)
		return []any{path}
	},
}

// invalidValue is a value of type ty that no method takes as valid input:
// text that is no amount, id, path, name or date ("¿-1,x?"), -1 for a
// number, a list of one such value, a struct whose every exported field
// is one. A member's call with it must be refused for the role, not for
// the input: the role is checked first.
func invalidValue(ty reflect.Type, depth int) reflect.Value {
	v := reflect.New(ty).Elem()
	if depth > 4 {
		return v
	}
	switch ty.Kind() {
	case reflect.String:
		v.SetString("¿-1,x?")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(-1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(^uint64(0) >> (64 - ty.Bits()))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(-1)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		v = reflect.MakeSlice(ty, 1, 1)
		v.Index(0).Set(invalidValue(ty.Elem(), depth+1))
	case reflect.Pointer:
		v = reflect.New(ty.Elem())
		v.Elem().Set(invalidValue(ty.Elem(), depth+1))
	case reflect.Struct:
		for i := 0; i < ty.NumField(); i++ {
			if f := ty.Field(i); f.IsExported() {
				v.Field(i).Set(invalidValue(f.Type, depth+1))
			}
		}
	}
	return v
}

// memberWindow is a workspace with admin alice, and members bob and carol,
// the window signed in as bob. It returns the window and alice's context.
func memberWindow(t *testing.T) (*App, context.Context, team.Member, team.Member) {
	t.Helper()
	a, b := openApp(t)
	alice := setUp(t, b)
	bob, err := b.Team.AddMember(alice, team.NewMember{Name: "bob", Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234"})
	if err != nil {
		t.Fatal(err)
	}
	carol, err := b.Team.AddMember(alice, team.NewMember{Name: "carol", Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "5678"})
	if err != nil {
		t.Fatal(err)
	}
	signed, err := b.Team.Authenticate(context.Background(), "bob", "1234")
	if err != nil {
		t.Fatal(err)
	}
	a.SetActor(signed)
	return a, alice, bob, carol
}

// TestEveryBoundMethodHasARoleRule walks every bound method of the window
// (a new one too): each is in adminOnlyMethods or memberMethods, so a new
// method must be placed, and each admin-only one, called by a member with
// empty input (zero values), invalid input (invalidValue) and, where
// adminOnlyArgs has it, real input, is refused as not allowed for the role
// (never "invalid amount" or "choose a file" first), writing nothing.
func TestEveryBoundMethodHasARoleRule(t *testing.T) {
	a, _, _, _ := memberWindow(t)
	adminOnly, member := map[string]bool{}, map[string]bool{}
	for _, n := range adminOnlyMethods {
		adminOnly[n] = true
	}
	for _, n := range memberMethods {
		if adminOnly[n] {
			t.Errorf("%s is in both lists", n)
		}
		member[n] = true
	}
	before := dumpDB(t, a)
	seen := map[string]bool{}
	for _, s := range a.Bindings() {
		v := reflect.ValueOf(s)
		ty := v.Type()
		for i := 0; i < ty.NumMethod(); i++ {
			m := ty.Method(i)
			name := ty.Elem().Name() + "." + m.Name
			seen[name] = true
			if !adminOnly[name] {
				if !member[name] {
					t.Errorf("%s is a bound method in neither adminOnlyMethods nor memberMethods: decide who may call it, check it in the backend, and list it", name)
				}
				continue
			}
			// Empty input, invalid input, and real input where the
			// method needs it: refused for the role each time, before
			// the input is looked at.
			empty, invalid := []reflect.Value{v}, []reflect.Value{v}
			for j := 1; j < m.Type.NumIn(); j++ {
				empty = append(empty, reflect.Zero(m.Type.In(j)))
				invalid = append(invalid, invalidValue(m.Type.In(j), 0))
			}
			inputs := map[string][]reflect.Value{"empty": empty, "invalid": invalid}
			if given, ok := adminOnlyArgs[name]; ok {
				real := []reflect.Value{v}
				for _, g := range given(a) {
					real = append(real, reflect.ValueOf(g))
				}
				inputs["real"] = real
			}
			for _, input := range []string{"empty", "invalid", "real"} {
				args, ok := inputs[input]
				if !ok {
					continue
				}
				out := m.Func.Call(args)
				var err error
				if n := len(out); n > 0 {
					err, _ = out[n-1].Interface().(error)
				}
				if !errors.Is(err, access.ErrForbidden) {
					t.Errorf("%s by a member with %s input: %v, want %q", name, input, err, access.ErrForbidden)
				}
				if after := dumpDB(t, a); after != before {
					t.Errorf("%s by a member with %s input changed the database", name, input)
					before = after
				}
			}
		}
	}
	for n := range adminOnlyArgs {
		if !adminOnly[n] {
			t.Errorf("adminOnlyArgs has %s, which is not in adminOnlyMethods", n)
		}
	}
	var stale []string
	for n := range adminOnly {
		if !seen[n] {
			stale = append(stale, n)
		}
	}
	for n := range member {
		if !seen[n] {
			stale = append(stale, n)
		}
	}
	sort.Strings(stale)
	for _, n := range stale {
		t.Errorf("%s is listed but is no bound method", n)
	}
}

// TestMemberCannotReachAnotherMembersData: each member method that names a
// member, an account, a conversation, an API key or an export is refused
// (not allowed, or not found as if it did not exist) when bob names
// carol's, and writes nothing; the same calls on bob's own answer.
func TestMemberCannotReachAnotherMembersData(t *testing.T) {
	a, alice, bob, carol := memberWindow(t)
	b := a.Backend
	carolCtx := access.WithActor(context.Background(), access.Actor{UserID: carol.ID, Name: "carol", Role: access.RoleMember})
	conv, err := b.Chat.CreateConversation(carolCtx, chat.ConversationInput{Title: "carol's private plans"})
	if err != nil {
		t.Fatal(err)
	}
	key, err := b.Gateway.CreateKey(carolCtx, carol.ID, "carol's script")
	if err != nil {
		t.Fatal(err)
	}
	wallet := ledger.UserAccount(carol.ID)
	if _, err := b.TopUp(alice, ledger.TopUpRequest{ID: "c1", Account: wallet, Credits: decimal.NewFromInt(500), Price: "5", Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	bd := boundOf(a)
	chosen := func(name string) string {
		path := filepath.Join(t.TempDir(), name)
		a.saves.grant(path) // as if chosen in the save dialog
		return path
	}
	month := time.Now().UTC().Format("2006-01")
	calls := []preSetupCall{
		{"Chat.Conversation", func(b bound) error { return errOf(b.chat.Conversation(conv.ID)) }},
		{"Chat.UpdateConversation", func(b bound) error {
			return errOf(b.chat.UpdateConversation(conv.ID, chat.ConversationInput{Title: "mine now"}))
		}},
		{"Chat.DeleteConversation", func(b bound) error { return errOf(b.chat.DeleteConversation(conv.ID)) }},
		{"Chat.SaveDraft", func(b bound) error { return errOf(b.chat.SaveDraft(conv.ID, "hi")) }},
		{"Chat.Messages", func(b bound) error { return errOf(b.chat.Messages(conv.ID)) }},
		{"Chat.MessagesPage", func(b bound) error { return errOf(b.chat.MessagesPage(conv.ID, 0, 10)) }},
		{"Chat.MessagesState", func(b bound) error { return errOf(b.chat.MessagesState(conv.ID)) }},
		{"Chat.EstimateDraft", func(b bound) error { return errOf(b.chat.EstimateDraft(conv.ID, "", "gpt-4o", "hello")) }},
		{"Chat.EstimateEdit", func(b bound) error {
			return errOf(b.chat.EstimateEdit(conv.ID, "m0", "", "gpt-4o", "hello"))
		}},
		{"Chat.ExportToFile", func(b bound) error { return errOf(b.chat.ExportToFile(conv.ID)) }},
		// StartSend answers at once; its refusal arrives as chat:sent,
		// addressed to the sender, as the page gets it.
		{"Chat.StartSend", func(b bound) error {
			sent := make(chan SendResult, 1)
			c := &Chat{app: b.chat.app, emit: func(_ string, payload any) {
				if r, ok := payload.(SendResult); ok {
					sent <- r
				}
			}}
			if _, err := c.StartSend(SendInput{ConversationID: conv.ID, MessageID: "m2", Text: "hello"}); err != nil {
				return err
			}
			select {
			case r := <-sent:
				if r.Owner() != bob.ID {
					return fmt.Errorf("the result went to user %d, not the sender", r.Owner())
				}
				if r.Outcome.Error != nil {
					return errors.New(r.Outcome.Error.Code + ": " + r.Outcome.Error.Message)
				}
				return nil
			case <-time.After(10 * time.Second):
				return errors.New("no chat:sent")
			}
		}},
		{"Chat.Send", func(b bound) error {
			out, err := b.chat.Send(SendInput{ConversationID: conv.ID, MessageID: "m1", Text: "hello"})
			if err == nil && out.Error != nil {
				return errors.New(out.Error.Code + ": " + out.Error.Message) // refused, as the page gets it
			}
			return err
		}},
		{"Credits.Balance", func(b bound) error { return errOf(b.credits.Balance(wallet)) }},
		// Another member's account is refused, as one that does not
		// exist is (the answer never says which accounts exist).
		{"Credits.History", func(b bound) error { return errOf(b.credits.History(HistoryInput{Account: wallet})) }},
		{"Credits.History", func(b bound) error { return errOf(b.credits.History(HistoryInput{Account: "user:999"})) }},
		{"Credits.Transfer", func(b bound) error {
			return errOf(b.credits.Transfer(TransferInput{ID: "steal", From: wallet, To: ledger.UserAccount(bob.ID), Amount: "10"}))
		}},
		{"Gateway.Keys", func(b bound) error { return errOf(b.gw.Keys(carol.ID)) }},
		{"Gateway.CreateKey", func(b bound) error { return errOf(b.gw.CreateKey(carol.ID, "as carol")) }},
		{"Gateway.RevokeKey", func(b bound) error { return errOf(b.gw.RevokeKey(key.ID)) }},
		{"Reports.Dashboard", func(b bound) error { return errOf(b.reports.Dashboard("2020-01-01", "2030-01-01", carol.ID)) }},
		{"Reports.Forecast", func(b bound) error { return errOf(b.reports.Forecast(carol.ID)) }},
		{"Reports.Anomalies", func(b bound) error { return errOf(b.reports.Anomalies("2020-01-01", "2030-01-01", carol.ID)) }},
		{"Reports.History", func(b bound) error { return errOf(b.reports.History(reports.Filter{UserID: carol.ID})) }},
		{"Statements.Preview", func(b bound) error {
			return errOf(b.stmts.Preview(statements.Request{Month: month, UserID: carol.ID}))
		}},
		{"Statements.Export", func(b bound) error {
			return errOf(b.stmts.Export(statements.ExportRequest{Kind: statements.KindStatementPDF,
				Statement: statements.Request{Month: month, UserID: carol.ID}, Path: chosen("carol.pdf")}))
		}},
		{"Statements.ExportTransactions", func(b bound) error {
			return errOf(b.stmts.ExportTransactions(reports.Filter{UserID: carol.ID}, chosen("carol.csv")))
		}},
		{"Team.Limits", func(b bound) error { return errOf(b.team.Limits(carol.ID)) }},
		{"Team.Setup", func(b bound) error {
			return errOf(b.team.Setup(team.WorkspaceSetup{
				Workspace: team.Workspace{Name: "Mine", Currency: "EUR", CreditValue: "0.01", TimeZone: "UTC"},
				AdminName: "bobby", SecretKind: team.SecretPassword, Secret: "correct horse battery"}))
		}},
	}
	before := dumpDB(t, a)
	member := map[string]bool{}
	for _, n := range memberMethods {
		member[n] = true
	}
	for _, c := range calls {
		if !member[c.name] {
			t.Errorf("%s is not in memberMethods", c.name)
		}
		// Refused for the role, or not found as if it did not exist (a
		// conversation is its member's own).
		err := c.call(bd)
		if err == nil || !errors.Is(err, access.ErrForbidden) && !strings.Contains(err.Error(), "not found") &&
			!strings.Contains(err.Error(), "already set up") {
			t.Errorf("%s on carol's: %v, want refused", c.name, err)
		}
		if after := dumpDB(t, a); after != before {
			t.Errorf("%s on carol's changed the database", c.name)
			before = after
		}
	}

	// What bob reads without naming anyone is his own.
	convs, err := bd.chat.Conversations("")
	if err != nil || len(convs) != 0 {
		t.Errorf("bob's conversations: %+v %v, want none", convs, err)
	}
	if keys, err := bd.gw.Keys(bob.ID); err != nil || len(keys) != 0 {
		t.Errorf("bob's keys: %+v %v", keys, err)
	}
	if h, err := bd.reports.History(reports.Filter{}); err != nil || strings.Contains(fmt.Sprint(h), wallet) {
		t.Errorf("bob's history: %+v %v, want none of carol's wallet", h, err)
	}
	if h, err := bd.credits.History(HistoryInput{}); err != nil || strings.Contains(fmt.Sprint(h), wallet) {
		t.Errorf("bob's credits history: %+v %v, want none of carol's wallet", h, err)
	}
	if _, err := bd.team.Limits(bob.ID); err != nil {
		t.Errorf("bob's own limits: %v", err)
	}
	if _, err := bd.stmts.Preview(statements.Request{Month: month, UserID: bob.ID}); err != nil {
		t.Errorf("bob's own statement: %v", err)
	}
}
