package app

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/reports"
	"meterdesk/backend/statements"
)

// TestSignedOutWindowReachesNothing: once the workspace is set up, a window
// with nobody signed in (signed out, or a member who was disabled since) is
// the picker's. Every bound method (a new one too) called from the page with
// empty or invalid input writes nothing, and only the picker's and the
// shell's own answer; every other is refused as not signed in, never as
// "not allowed for your role" or for its input, which a script could use to
// learn what exists.
func TestSignedOutWindowReachesNothing(t *testing.T) {
	a, alice, _, carol := memberWindow(t)
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
	a.SignOut()
	bd := boundOf(a)
	month := time.Now().UTC().Format("2006-01")
	// With real ids and input: refused as not signed in.
	real := []preSetupCall{
		{"Chat.Conversation", func(b bound) error { return errOf(b.chat.Conversation(conv.ID)) }},
		{"Chat.Messages", func(b bound) error { return errOf(b.chat.Messages(conv.ID)) }},
		{"Chat.MessagesPage", func(b bound) error { return errOf(b.chat.MessagesPage(conv.ID, 0, 0)) }},
		{"Chat.MessagesState", func(b bound) error { return errOf(b.chat.MessagesState(conv.ID)) }},
		{"Chat.EstimateDraft", func(b bound) error { return errOf(b.chat.EstimateDraft(conv.ID, "", "", "hello")) }},
		{"Chat.EstimateEdit", func(b bound) error { return errOf(b.chat.EstimateEdit(conv.ID, "m0", "", "", "hello")) }},
		{"Chat.SaveDraft", func(b bound) error { return errOf(b.chat.SaveDraft(conv.ID, "hi")) }},
		{"Chat.DeleteConversation", func(b bound) error { return errOf(b.chat.DeleteConversation(conv.ID)) }},
		{"Chat.UpdateConversation", func(b bound) error {
			return errOf(b.chat.UpdateConversation(conv.ID, chat.ConversationInput{Title: "x"}))
		}},
		{"Chat.ExportToFile", func(b bound) error { return errOf(b.chat.ExportToFile(conv.ID)) }},
		{"Chat.Send", func(b bound) error {
			out, err := b.chat.Send(SendInput{ConversationID: conv.ID, MessageID: "m1", Text: "hello"})
			if err == nil && out.Error != nil {
				return errors.New(out.Error.Code + ": " + out.Error.Message)
			}
			return err
		}},
		{"Credits.Balance", func(b bound) error { return errOf(b.credits.Balance(wallet)) }},
		{"Credits.History", func(b bound) error { return errOf(b.credits.History(HistoryInput{Account: wallet})) }},
		{"Credits.Transfer", func(b bound) error {
			return errOf(b.credits.Transfer(TransferInput{ID: "t", From: wallet, To: "pool", Amount: "10"}))
		}},
		{"Gateway.Keys", func(b bound) error { return errOf(b.gw.Keys(carol.ID)) }},
		{"Gateway.RevokeKey", func(b bound) error { return errOf(b.gw.RevokeKey(key.ID)) }},
		{"Reports.History", func(b bound) error { return errOf(b.reports.History(reports.Filter{UserID: carol.ID})) }},
		{"Statements.Preview", func(b bound) error {
			return errOf(b.stmts.Preview(statements.Request{Month: month, UserID: carol.ID}))
		}},
		{"Team.Members", func(b bound) error { return errOf(b.team.Members(true)) }},
		{"Team.Audit", func(b bound) error { return errOf(b.team.Audit(AuditInput{})) }},
		{"System.SetSetting", func(b bound) error { return errOf(b.system.SetSetting("workspace.name", "Mine")) }},
	}
	before := dumpDB(t, a)
	for _, c := range real {
		// Chat.Send's refusal is in its outcome: code forbidden, words "not signed in".
		if err := c.call(bd); !errors.Is(err, access.ErrUnauthenticated) &&
			!(c.name == "Chat.Send" && err != nil && strings.Contains(err.Error(), access.ErrUnauthenticated.Error())) {
			t.Errorf("%s signed out: %v, want %q", c.name, err, access.ErrUnauthenticated)
		}
		if after := dumpDB(t, a); after != before {
			t.Errorf("%s signed out changed the database", c.name)
			before = after
		}
	}
	answers := map[string]bool{
		"Team.CurrentUser": true, "Team.NeedsSetup": true, "Team.Profiles": true, // the picker
		"Team.Lock": true, "Team.SignOut": true, "Team.SignIn": false, // SignIn is refused for its input
		"System.Info": true, "System.SettingKeys": true,
		"Providers.Presets": true, "Providers.SecretStorage": true, "Rates.Providers": true, "Reports.Types": true,
		"Rates.Estimate": true, "Rates.EstimateFor": true, // built-in rates
		"Chat.Stop": true, // (false, nil): nothing runs
		"Chat.Send": true, // its error is in the outcome
	}
	for _, s := range a.Bindings() {
		v := reflect.ValueOf(s)
		ty := v.Type()
		for i := 0; i < ty.NumMethod(); i++ {
			m := ty.Method(i)
			name := ty.Elem().Name() + "." + m.Name
			empty, invalid := []reflect.Value{v}, []reflect.Value{v}
			for j := 1; j < m.Type.NumIn(); j++ {
				empty = append(empty, reflect.Zero(m.Type.In(j)))
				invalid = append(invalid, invalidValue(m.Type.In(j), 0))
			}
			for input, args := range map[string][]reflect.Value{"empty": empty, "invalid": invalid} {
				out := m.Func.Call(args)
				var err error
				if n := len(out); n > 0 {
					err, _ = out[n-1].Interface().(error)
				}
				if _, listed := answers[name]; !listed && err == nil && name != "Chat.StartSend" {
					t.Errorf("%s signed out, %s input: answered, want %q", name, input, access.ErrUnauthenticated)
				}
				if after := dumpDB(t, a); after != before {
					t.Errorf("%s signed out, %s input, changed the database", name, input)
					before = after
				}
			}
		}
	}
}
