package team

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// secretKindsFile is SecretKinds as the window's tests answer
// Team.SecretKinds (frontend/src/test/fakeBridge.ts), made here from the
// real rule; -update-secret-problems rewrites it too.
const secretKindsFile = "testdata/secret_kinds.json"

// TestSecretKindsSayTheRuleCheckSecretApplies: the first-run wizard's and My
// account's choice of a password or a PIN named its rule in TypeScript
// ("Password (8+ characters)", "At least 8 characters.") while the rule is
// checkSecret's. SecretKinds says it from the rule's own numbers, and a
// secret at each bound of what it says is taken, one past it refused.
func TestSecretKindsSayTheRuleCheckSecretApplies(t *testing.T) {
	want := []SecretKind{
		{Kind: SecretPassword, Name: "password", Label: "Password (8+ characters)", Hint: "At least 8 characters.", Rule: "at least 8 characters"},
		{Kind: SecretPIN, Name: "PIN", Label: "PIN (4–12 digits)", Hint: "4 to 12 digits.", Rule: "4 to 12 digits"},
	}
	got := SecretKinds()
	if len(got) != len(want) {
		t.Fatalf("SecretKinds() = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("SecretKinds()[%d] = %+v, want %+v", i, got[i], want[i])
		}
		if k := SecretKindOf(want[i].Kind); k != want[i] {
			t.Errorf("SecretKindOf(%q) = %+v", want[i].Kind, k)
		}
	}
	for _, c := range []struct {
		kind, secret string
		ok           bool
	}{
		{SecretPassword, strings.Repeat("x", minPasswordChars-1), false},
		{SecretPassword, strings.Repeat("x", minPasswordChars), true},
		{SecretPIN, strings.Repeat("1", minPINDigits-1), false},
		{SecretPIN, strings.Repeat("1", minPINDigits), true},
		{SecretPIN, strings.Repeat("1", maxPINDigits), true},
		{SecretPIN, strings.Repeat("1", maxPINDigits+1), false},
	} {
		err := checkSecret(c.kind, c.secret)
		if (err == nil) != c.ok {
			t.Errorf("checkSecret(%s, %d long) = %v, want taken %v", c.kind, len(c.secret), err, c.ok)
		}
		if err != nil && !strings.Contains(err.Error(), SecretKindOf(c.kind).Rule) {
			t.Errorf("checkSecret(%s, %d long) = %v, which does not say the rule %q", c.kind, len(c.secret), err, SecretKindOf(c.kind).Rule)
		}
	}
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	if *updateSecretProblems {
		if err := os.WriteFile(secretKindsFile, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if have, err := os.ReadFile(secretKindsFile); err != nil || !bytes.Equal(have, b) {
		t.Fatalf("%s is not SecretKinds (%v): run go test ./backend/team -run TestSecretKindsSayTheRuleCheckSecretApplies -update-secret-problems", secretKindsFile, err)
	}
}
