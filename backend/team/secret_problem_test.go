package team

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"

	"meterdesk/backend/inputerr"
)

var updateSecretProblems = flag.Bool("update-secret-problems", false, "rewrite testdata/secret_problems.json")

// secretProblemsFile is the table the window's tests answer Team.SecretProblem
// from (frontend/src/test/fakeBridge.ts secretProblems): each secret as typed
// and SecretProblem's words for it, made here from the real rule.
const secretProblemsFile = "testdata/secret_problems.json"

// TestSecretProblemIsTheRefusalsOwnWords: the hint the window shows under a
// new password or PIN while it is typed (SecretProblem, asked through
// Team.SecretProblem) is the refusal Setup gives the same secret, as a
// sentence; "" for a secret Setup takes. The window kept its own copy of
// the rule ("A password has at least 8 characters.") while the CLI said
// "a password needs at least 8 characters". testdata/secret_problems.json
// is the window's tests' table: go test ./backend/team -run
// TestSecretProblemIsTheRefusalsOwnWords -update-secret-problems rewrites it.
func TestSecretProblemIsTheRefusalsOwnWords(t *testing.T) {
	type row struct {
		Kind    string `json:"kind"`
		Secret  string `json:"secret"`
		Problem string `json:"problem"`
	}
	cases := []row{
		{SecretPassword, "", "Enter a password."},
		{SecretPassword, "short", "A password needs at least 8 characters."},
		{SecretPassword, "seven77", "A password needs at least 8 characters."},
		{SecretPassword, "ünïcödé", "A password needs at least 8 characters."}, // 7 characters, more bytes
		{SecretPassword, "a new password", ""},
		{SecretPassword, "correct horse", ""},
		{SecretPassword, "another new one", ""},
		{SecretPassword, "long enough", ""},
		{SecretPassword, strings.Repeat("x", 1025), "A password may have at most 1024 bytes."},
		{SecretPIN, "", "Enter a PIN."},
		{SecretPIN, "12", "A PIN has 4 to 12 digits."},
		{SecretPIN, "12ab", "A PIN has digits only."},
		{SecretPIN, "1234567890123", "A PIN has 4 to 12 digits."},
		{SecretPIN, "1234", ""},
		{SecretPIN, "4321", ""},
		{SecretPIN, "9876", ""},
	}
	for _, c := range cases {
		if got := SecretProblem(c.Kind, c.Secret); got != c.Problem {
			t.Errorf("SecretProblem(%s, %q) = %q, want %q", c.Kind, c.Secret, got, c.Problem)
		}
		if c.Secret == "" {
			continue // asked for, not measured
		}
		// The refusal of the same secret says the same, as the window shows it.
		e := newEnv(t)
		_, err := e.svc.Setup(context.Background(), WorkspaceSetup{Workspace: Workspace{Name: "Acme", Currency: "EUR", CreditValue: "0.01"},
			AdminName: "alice", SecretKind: c.Kind, Secret: c.Secret})
		switch {
		case c.Problem == "" && err != nil:
			t.Errorf("%s %q: no problem said, but Setup refused it: %v", c.Kind, c.Secret, err)
		case c.Problem != "" && (err == nil || inputerr.Sentence(err)+"." != c.Problem):
			t.Errorf("%s %q: said %q, Setup refused it with %v", c.Kind, c.Secret, c.Problem, err)
		}
	}
	var b bytes.Buffer
	b.WriteString("[\n")
	for i, c := range cases {
		if len(c.Secret) > 100 {
			continue // the window's tests type no such secret
		}
		j, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString("  ")
		b.Write(j)
	}
	b.WriteString("\n]\n")
	if *updateSecretProblems {
		if err := os.WriteFile(secretProblemsFile, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if have, err := os.ReadFile(secretProblemsFile); err != nil || !bytes.Equal(have, b.Bytes()) {
		t.Fatalf("%s is not SecretProblem's words (%v): run go test ./backend/team -run TestSecretProblemIsTheRefusalsOwnWords -update-secret-problems", secretProblemsFile, err)
	}
}
