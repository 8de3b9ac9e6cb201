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
		{[]string{"rates", "set", "bogus", "m", "--input", "1", "--output", "2"}, `meterdesk rates set: unknown rate table "bogus": ` + tables + "\n"},
		{[]string{"rates", "add-model", "bogus", "m"}, `meterdesk rates add-model: unknown rate table "bogus": ` + tables + "\n"},
		{[]string{"rates", "set", "oai", "llama3.2", "--input", "1"}, `meterdesk rates set: unknown rate table "oai": ` + tables +
			`; "oai" is a provider of yours (openai_compatible), whose models are priced in the table "local": write local in its place` + "\n"},
		{[]string{"rates", "remove-model", "OAI", "m"}, `meterdesk rates remove-model: unknown rate table "OAI": ` + tables +
			`; "oai" is a provider of yours (openai_compatible), whose models are priced in the table "local": write local in its place` + "\n"},
		{[]string{"rates", "list", "--provider", "oai"}, `meterdesk rates list: unknown rate table "oai": `},
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

// TestRatesListShowsRateOfRows: a model without a row of its own that is
// priced by another's (a snapshot, gemini-2.0-flash-001 by
// gemini-2.0-flash) is listed with the rates it is charged, X's, and
// "(rate of X)" (--json: ratedAs and effective); a snapshot with a row of
// its own is charged by it alone, the defaults filling its blanks.
func TestRatesListShowsRateOfRows(t *testing.T) {
	d := newDataDir(t, "")
	d.must("rates", "set", "gemini", "gemini-2.0-flash", "--input", "0.1", "--output", "0.4", "--unit", "1m")
	d.must("rates", "add-model", "gemini", "gemini-2.0-flash-001")
	d.must("rates", "set", "gemini", "gemini-2.0-flash-002", "--input", "0.2", "--unit", "1m")
	out := d.must("rates", "list", "--provider", "gemini", "--unit", "1m")
	row := func(model string) string {
		for _, l := range strings.Split(out, "\n") {
			if f := strings.Fields(l); len(f) > 1 && f[1] == model {
				return strings.Join(f, " ")
			}
		}
		return ""
	}
	for model, want := range map[string]string{
		"gemini-2.0-flash":     "gemini gemini-2.0-flash 0.1 0.4 (0.1) (0.1) (0.4) (0) (0)",
		"gemini-2.0-flash-001": "gemini gemini-2.0-flash-001 (rate of gemini-2.0-flash) (0.1) (0.4) (0.1) (0.1) (0.4) (0) (0)",
		"gemini-2.0-flash-002": "gemini gemini-2.0-flash-002 0.2 (1000000) (0.2) (0.2) (1000000) (0) (0)",
	} {
		if got := row(model); got != want {
			t.Errorf("%s:\n got %q\nwant %q", model, got, want)
		}
	}
	if !strings.Contains(out, `or X's for a row "(rate of X)"`) {
		t.Errorf("the legend: %q", strings.SplitN(out, "\n", 2)[0])
	}
	js := d.must("--json", "rates", "list", "--provider", "gemini")
	if !strings.Contains(js, `"ratedAs": "gemini-2.0-flash"`) || strings.Count(js, `"ratedAs"`) != 1 {
		t.Errorf("--json: ratedAs %d times", strings.Count(js, `"ratedAs"`))
	}
}

// TestRatesTableNamedLikeAProvider: a provider named like a rate table
// ("openai", an OpenAI-compatible server, priced from local) had `rates set
// openai gpt-4o …` change the openai table silently while its sends were
// priced from local. rates set and add-model now do it and say so on stderr
// (exit 0); a table of a provider so named that does price it says
// nothing. A table in upper case is told its name (did you mean local?),
// and one argument is "argument".
func TestRatesTableNamedLikeAProvider(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	t.Setenv("METERDESK_API_KEY", "")
	srv := fake.NewOpenAI(fake.Script{Models: []string{"gpt-4o"}})
	defer srv.Close()
	d := newDataDir(t, "")
	d.must("providers", "add", "--name", "openai", "--kind", "openai_compatible", "--url", srv.BaseURL())
	const note = "note: provider 'openai' (openai_compatible) is priced from the 'local' table; this changed the 'openai' table\n"
	for _, c := range []struct {
		args   []string
		code   int
		stderr string // prefix
	}{
		{[]string{"rates", "set", "openai", "gpt-4o", "--input", "0.002"}, 0, note},
		{[]string{"rates", "add-model", "openai", "my-model"}, 0, note},
		{[]string{"rates", "set", "local", "gpt-4o", "--input", "0.002"}, 0, ""},
		{[]string{"rates", "set", "LOCAL", "gpt-4o", "--input", "0.002"}, ExitUsage,
			`meterdesk rates set: unknown rate table "LOCAL": rates are kept per provider kind, in the tables openai, deepseek, gemini, anthropic, local; did you mean local?` + "\n"},
		{[]string{"rates", "set", "local", "--input", "0.002"}, ExitUsage, "meterdesk rates set: MODEL is missing (it takes PROVIDER MODEL, or --default-input/--default-output with no arguments)"},
		// The provider's name in another case: its own table, not the
		// table of that name in lower case (which does not price it).
		{[]string{"rates", "set", "OpenAI", "gpt-4o", "--input", "0.002"}, ExitUsage,
			`meterdesk rates set: unknown rate table "OpenAI": rates are kept per provider kind, in the tables openai, deepseek, gemini, anthropic, local; ` +
				`"openai" is a provider of yours (openai_compatible), whose models are priced in the table "local": write local in its place` + "\n"},
	} {
		code, out, errs := d.run(c.args...)
		if code != c.code || !strings.HasPrefix(errs, c.stderr) || c.stderr == "" && errs != "" || (code == 0) != (out != "") {
			t.Errorf("%v: exit %d, stdout %q\nstderr %q\nwant   %d and %q", c.args, code, out, errs, c.code, c.stderr)
		}
	}
}

// TestRatesTableOfAProviderInAnotherCase: with a provider called "Local"
// (an OpenAI-compatible server, priced in the table local), `rates set
// LOCAL …` only named the provider ("write local in its place"), where a
// table in another case is asked "did you mean local?" as the CLI's other
// lookups do. When the provider's table is the name in lower case, the
// refusal ends with that question; a provider priced in another table
// ("oai") is still told to write its table. Exit 2, nothing changed.
func TestRatesTableOfAProviderInAnotherCase(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	t.Setenv("METERDESK_API_KEY", "")
	srv := fake.NewOpenAI(fake.Script{Models: []string{"llama3.2"}})
	defer srv.Close()
	d := newDataDir(t, "")
	d.must("providers", "add", "--name", "Local", "--kind", "openai_compatible", "--url", srv.BaseURL())
	d.must("providers", "add", "--name", "oai", "--kind", "openai_compatible", "--url", srv.BaseURL())
	before := d.must("rates", "versions")
	const unknown = `: rates are kept per provider kind, in the tables openai, deepseek, gemini, anthropic, local; `
	for _, c := range []struct {
		args []string
		want string // the whole first line of stderr
	}{
		{[]string{"rates", "set", "LOCAL", "llama3.2", "--input", "1"}, `meterdesk rates set: unknown rate table "LOCAL"` + unknown +
			`"Local" is a provider of yours (openai_compatible), whose models are priced in the table "local": did you mean local?`},
		{[]string{"rates", "set", "Local", "llama3.2", "--input", "1"}, `meterdesk rates set: unknown rate table "Local"` + unknown +
			`"Local" is a provider of yours (openai_compatible), whose models are priced in the table "local": did you mean local?`},
		{[]string{"rates", "add-model", "LoCaL", "m"}, `meterdesk rates add-model: unknown rate table "LoCaL"` + unknown +
			`"Local" is a provider of yours (openai_compatible), whose models are priced in the table "local": did you mean local?`},
		{[]string{"rates", "list", "--provider", "LOCAL"}, `meterdesk rates list: unknown rate table "LOCAL"` + unknown +
			`"Local" is a provider of yours (openai_compatible), whose models are priced in the table "local": did you mean local?`},
		{[]string{"rates", "set", "OAI", "llama3.2", "--input", "1"}, `meterdesk rates set: unknown rate table "OAI"` + unknown +
			`"oai" is a provider of yours (openai_compatible), whose models are priced in the table "local": write local in its place`},
	} {
		code, out, errs := d.run(c.args...)
		if first, _, _ := strings.Cut(errs, "\n"); code != ExitUsage || out != "" || first != c.want {
			t.Errorf("%v: exit %d, stdout %q\nstderr %q\nwant   %d and %q", c.args, code, out, errs, ExitUsage, c.want)
		}
	}
	if after := d.must("rates", "versions"); after != before {
		t.Errorf("refused commands changed the rates:\n%s\n%s", before, after)
	}
}

// TestRatesAddModelRefusesABadNameAsInput: a model name the rate table
// refuses ("model name is longer than 200 characters", one with a tab)
// exited 1, as a failure; it is invalid input (rates.ErrInvalid, typed by
// inputerr.Text so that the window marks the name): exit 2, the same words,
// nothing added.
func TestRatesAddModelRefusesABadNameAsInput(t *testing.T) {
	d := newDataDir(t, "")
	before := d.must("rates", "list", "--provider", "local")
	for _, c := range []struct {
		model, want string
	}{
		{strings.Repeat("m", 201), "meterdesk rates add-model: add a model: model name is longer than 200 characters\n"},
		{"llama\t3", `meterdesk rates add-model: add a model: model name "llama\t3": not plain text: it must be one line (no line breaks or tabs)` + "\n"},
	} {
		code, out, errs := d.run("rates", "add-model", "local", c.model)
		if code != ExitUsage || out != "" || errs != c.want {
			t.Errorf("add-model %q: exit %d, stdout %q\nstderr %q\nwant   %d and %q", c.model, code, out, errs, ExitUsage, c.want)
		}
	}
	if after := d.must("rates", "list", "--provider", "local"); after != before {
		t.Errorf("a refused add-model changed the table:\n%s\n%s", before, after)
	}
}
