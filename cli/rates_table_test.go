package cli

import (
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// TestRatesUnknownTableSaysItOnce: a rates command given a PROVIDER that is
// no rate table said it once per rate flag (`rates set bogus m --input 1
// --output 2`: twice), add-model exited 1 and remove-model 6 ("only custom
// models can be removed"). Each now says it once, naming the tables, exit
// 2, nothing changed; for the name of a configured provider ("oai", an
// OpenAI-compatible server) it says which table prices its models (local).
func TestRatesUnknownTableSaysItOnce(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	t.Setenv("METERDESK_API_KEY", "")
	srv := fake.NewOpenAI(fake.Script{Models: []string{"llama3.2"}})
	defer srv.Close()
	d := newDataDir(t, "")
	d.must("providers", "add", "--name", "oai", "--kind", "openai_compatible", "--url", srv.BaseURL())
	before := d.must("rates", "versions")
	const tables = "rates are kept per provider kind, in the tables openai, deepseek, gemini, anthropic, local"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"rates", "set", "bogus", "m", "--input", "1", "--output", "2"}, `meterdesk rates: unknown rate table "bogus": ` + tables + "\n"},
		{[]string{"rates", "add-model", "bogus", "m"}, `meterdesk rates: unknown rate table "bogus": ` + tables + "\n"},
		{[]string{"rates", "set", "oai", "llama3.2", "--input", "1"}, `meterdesk rates: unknown rate table "oai": ` + tables +
			`; "oai" is a provider of yours (openai_compatible), whose models are priced in the table "local": write local in its place` + "\n"},
		{[]string{"rates", "remove-model", "OAI", "m"}, `meterdesk rates: unknown rate table "OAI": ` + tables +
			`; "oai" is a provider of yours (openai_compatible), whose models are priced in the table "local": write local in its place` + "\n"},
		{[]string{"rates", "list", "--provider", "oai"}, `meterdesk rates: unknown rate table "oai": `},
	} {
		code, out, errs := d.run(c.args...)
		if code != ExitUsage || out != "" || !strings.HasPrefix(errs, c.want) || strings.Count(errs, "unknown") != 1 {
			t.Errorf("%v: exit %d, stdout %q\nstderr %q\nwant   %d and %q", c.args, code, out, errs, ExitUsage, c.want)
		}
	}
	if after := d.must("rates", "versions"); after != before {
		t.Errorf("refused commands changed the rates:\n%s\n%s", before, after)
	}
	if out := d.must("rates", "set", "local", "llama3.2", "--input", "1"); !strings.Contains(out, "rate version 2 in force") {
		t.Errorf("rates set local: %q", out)
	}
}
