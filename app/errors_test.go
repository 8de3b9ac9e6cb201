package app

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/rates"
	"meterdesk/backend/team"
)

// TestFormatErrorGivesTheWindowTheReason: refusals that lost their
// "invalid … input:" label (the CLI's exit 5 and 6) reached the window
// as the raw Go chain, which errorReason could not cut: "create an API
// key for alice: an active key is already named …", "transfer
// 5d0e8b1c-…: credits cannot go to user:3: …". FormatError now sends
// their reason beside the whole text, with no operation and no transfer
// id; so it does for an input refused as invalid (inputerr), whose text
// the window used to cut itself. Any other error stays its plain text.
func TestFormatErrorGivesTheWindowTheReason(t *testing.T) {
	a, b, alice, _ := adminApp(t)
	if _, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t1", Account: ledger.AccountPool, Credits: decimal.RequireFromString("100"),
		Price: "0", Currency: "EUR", Source: "cli"}); err != nil {
		t.Fatal(err)
	}
	lee, err := b.Team.AddMember(alice, team.NewMember{Name: "lee", Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234",
		Funding: team.FundWallet})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Team.RemoveMember(alice, lee.ID); err != nil {
		t.Fatal(err)
	}
	c, g := &Credits{app: a}, &Gateway{app: a}
	if _, err := g.CreateKey(0, "laptop"); err != nil {
		t.Fatal(err)
	}
	_, taken := g.CreateKey(0, "LAPTOP")
	_, ended := c.Transfer(TransferInput{ID: "5d0e8b1c-0000-4000-8000-000000000001", From: ledger.AccountPool, To: ledger.UserAccount(lee.ID), Amount: "5"})
	_, invalid := c.Transfer(TransferInput{ID: "5d0e8b1c-0000-4000-8000-000000000002", From: ledger.AccountPool, To: ledger.UserAccount(lee.ID), Amount: "-5"})
	cases := []struct {
		name   string
		err    error
		reason string // the sentence the window shows (inputerr.Sentence); "": sent as its plain text
	}{
		{"a key name taken", taken, `An active key is already named "laptop"; pick another name or revoke that key`},
		{"credits to a removed member", ended, "Credits cannot go to " + ledger.UserAccount(lee.ID) + ": lee was removed, and their wallet owes nothing"},
		{"an invalid amount", invalid, "Amount -5 is negative"},
		{"a failure that is no refusal", errors.New("backup: disk full"), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil {
				t.Fatal("not refused")
			}
			got := FormatError(tc.err)
			if tc.reason == "" {
				if got != tc.err.Error() {
					t.Fatalf("%#v, want the plain text %q", got, tc.err.Error())
				}
				return
			}
			r, ok := got.(RefusalError)
			if !ok || r.Reason != tc.reason || r.Message != tc.err.Error() {
				t.Fatalf("%#v\nwant reason %q beside %q", got, tc.reason, tc.err.Error())
			}
			if strings.Contains(r.Reason, "5d0e8b1c") || strings.Contains(r.Reason, "create an API key") {
				t.Errorf("the reason %q names the operation", r.Reason)
			}
		})
	}
}

// TestFormatErrorGivesTheCodeTheWindowActsOn: a refusal the window acts on
// (reads the rates or the workspace again, says a reply is being written)
// comes with its code, so that the window reads no words of it; with no
// reason of its own its reason is "" and the window shows its message, as
// before. Any other error has no code.
func TestFormatErrorGivesTheCodeTheWindowActsOn(t *testing.T) {
	busy := fmt.Errorf("delete conversation 1: %w", chat.ErrBusy)
	stale := fmt.Errorf("apply rates: %w", &rates.ChangedError{Base: 1, Latest: 2, By: "bob"})
	for _, tc := range []struct {
		name string
		err  error
		want any
	}{
		{"busy", busy, RefusalError{Message: busy.Error(), Code: CodeBusy}},
		{"rates changed", stale, RefusalError{Message: stale.Error(), Code: CodeChanged}},
		{"conversation not there", chat.NoConversation(7), RefusalError{Message: "conversation 7: not found", Reason: "This conversation does not exist or is not yours", Code: CodeNotFound}},
		{"no code", errors.New("backup: disk full"), "backup: disk full"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := FormatError(tc.err); got != tc.want {
				t.Fatalf("%#v\nwant %#v", got, tc.want)
			}
		})
	}
}
