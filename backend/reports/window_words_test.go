package reports_test

import (
	"os"
	"regexp"
	"testing"

	"meterdesk/backend/ledger"
	"meterdesk/backend/providers"
)

// windowConstants is the window's copy of the Go names the Usage page
// matches on (frontend/src/api/reports.ts): a "(no model)" bar's drill-down
// asks for ledger.NoModel, and a charge's provider stored as
// providers.UnknownProvider reads "an unknown provider".
const windowConstants = "../../frontend/src/api/reports.ts"

// tsConst reads `export const NAME = 'value';` (or "value") from TypeScript
// source; ok is false when there is no such line.
func tsConst(src, name string) (value string, ok bool) {
	m := regexp.MustCompile(`(?m)^export const ` + regexp.QuoteMeta(name) + `\s*=\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*;`).FindStringSubmatch(src)
	if m == nil {
		return "", false
	}
	return m[1] + m[2], true
}

// TestWindowConstantsMatchGo: the window's NO_MODEL and UNKNOWN_PROVIDER
// are Go's words, so that neither side changes alone (the Usage page's
// "(no model)" bar would drill down to nothing, or "provider unknown"
// would read as a provider's name).
func TestWindowConstantsMatchGo(t *testing.T) {
	raw, err := os.ReadFile(windowConstants)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ ts, goName, goValue string }{
		{"NO_MODEL", "ledger.NoModel", ledger.NoModel},
		{"UNKNOWN_PROVIDER", "providers.UnknownProvider", providers.UnknownProvider},
	} {
		got, ok := tsConst(string(raw), c.ts)
		if !ok {
			t.Errorf("%s: no `export const %s = '…';` line: keep it, a plain string, as %s's copy", windowConstants, c.ts, c.goName)
			continue
		}
		if got != c.goValue {
			t.Errorf("%s: %s is %q, %s %q: change both", windowConstants, c.ts, got, c.goName, c.goValue)
		}
	}
}

func TestTSConst(t *testing.T) {
	for _, c := range []struct {
		src, want string
		ok        bool
	}{
		{"export const NO_MODEL = '(no model)';\n", "(no model)", true},
		{"export const NO_MODEL = \"(no model)\";\n", "(no model)", true},
		{"// export const NO_MODEL = 'x';\nexport const NO_MODEL_X = 'y';\n", "", false},
		{"export const NO_MODEL = `(no model)`;\n", "", false},
	} {
		got, ok := tsConst(c.src, "NO_MODEL")
		if got != c.want || ok != c.ok {
			t.Errorf("tsConst(%q) = %q, %v; want %q, %v", c.src, got, ok, c.want, c.ok)
		}
	}
}
