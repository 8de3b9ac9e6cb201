package team

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"meterdesk/backend/ledger"
)

// The pool and the bookkeeping accounts are named as the window names them:
// testdata/account_labels.json, which frontend/src/lib/accounts.test.ts
// reads too, pins fixedTargetNames (the audit log's names for them) and the
// window's accountLabel to one set of words, and names every system account
// the ledger has.
func TestAccountLabelsAgreeWithTheWindow(t *testing.T) {
	raw, err := os.ReadFile("testdata/account_labels.json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct{ Code, Label string }
	if err := json.Unmarshal(raw, &rows); err != nil {
		t.Fatal(err)
	}
	labels := map[string]string{}
	for _, r := range rows {
		if r.Code == "" {
			continue // the comment
		}
		if _, dup := labels[r.Code]; dup {
			t.Errorf("%s is named twice in testdata/account_labels.json", r.Code)
		}
		labels[r.Code] = r.Label
		if got := fixedTargetNames[r.Code]; got != r.Label {
			t.Errorf("fixedTargetNames[%q] = %q, want %q (as the window names it)", r.Code, got, r.Label)
		}
	}
	for _, code := range []string{ledger.AccountPool, ledger.AccountTopUp, ledger.AccountUsage, ledger.AccountExpiry,
		ledger.AccountAdjust, ledger.AccountRefund} {
		if labels[code] == "" {
			t.Errorf("ledger account %s has no row in testdata/account_labels.json", code)
		}
	}
	for code := range fixedTargetNames {
		if (code == ledger.AccountPool || strings.HasPrefix(code, "sys:")) && labels[code] == "" {
			t.Errorf("fixedTargetNames names %s, which testdata/account_labels.json does not", code)
		}
	}
}
