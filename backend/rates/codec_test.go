package rates

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

const header = "provider,model,input,output,cache_read,cache_write,reasoning,per_request,per_tool_call\n"

func TestImportExportRoundTrip(t *testing.T) {
	for _, format := range []string{FormatCSV, FormatJSON} {
		t.Run(format, func(t *testing.T) {
			f := newFixture(t)
			if err := f.svc.MergeReported(f.admin, Gemini, []string{"gemini-exp-1206"}); err != nil {
				t.Fatal(err)
			}
			// A name starting with "-" is priced as reported (a rate
			// change adds no new model so named); the import below adds it.
			if err := f.svc.MergeReported(f.admin, Local, []string{"-mini"}); err != nil {
				t.Fatal(err)
			}
			_, err := f.svc.Apply(f.admin, Change{Defaults: &Defaults{Input: "0.5", Output: "1.25"}, Rows: []Row{
				{Provider: OpenAI, Model: "gpt-4o", Input: "0.0000025", Output: "0.00001", CacheRead: "0.00000125"},
				{Provider: Anthropic, Model: "claude-opus-4-1-20250805", Input: "15", Output: "75", CacheRead: "1.5", CacheWrite: "18.75"},
				{Provider: OpenAI, Model: "o3", Reasoning: "8", PerRequest: "0.01", PerToolCall: "0.000000000001"},
				{Provider: Local, Model: "qwen, \"quoted\"", Input: "0", Output: "0"},
				// Names a spreadsheet would run as formulas: quoted in the
				// CSV, read back as they were.
				{Provider: Local, Model: "=HYPERLINK(\"http://x\")", Input: "1", Output: "1"},
				{Provider: Local, Model: "-mini", Input: "1", Output: "1"},
			}})
			if err != nil {
				t.Fatal(err)
			}
			first, err := f.svc.Export(f.memb, format)
			if err != nil {
				t.Fatal(err)
			}
			// Import into a fresh database, export again: byte for byte equal.
			g := newFixture(t)
			if err := g.svc.MergeReported(g.admin, Gemini, []string{"gemini-exp-1206"}); err != nil {
				t.Fatal(err)
			}
			v, err := g.svc.Import(g.admin, format, first)
			if err != nil {
				t.Fatal(err)
			}
			second, err := g.svc.Export(g.memb, format)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first, second) {
				t.Fatalf("round trip differs:\n%s\n---\n%s", first, second)
			}
			if v.Defaults != (Defaults{"0.5", "1.25"}) || v.Resolve(Local, "qwen, \"quoted\"").Matched == "" ||
				v.Resolve(Local, "=HYPERLINK(\"http://x\")").Matched != "=HYPERLINK(\"http://x\")" || v.Resolve(Local, "-mini").Matched != "-mini" {
				t.Fatalf("imported version = %+v", v)
			}
			if format == FormatCSV && (!bytes.Contains(first, []byte(`"'=HYPERLINK(""http://x"")"`)) || !bytes.Contains(first, []byte("local,'-mini,"))) {
				t.Fatalf("formula-like names are not neutralised:\n%s", first)
			}
			// Importing the same file again changes nothing.
			again, err := g.svc.Import(g.admin, format, first)
			if err != nil || again.ID != v.ID {
				t.Fatalf("re-import made version %v (%v), want %d", again, err, v.ID)
			}
		})
	}
}

func TestImportReplacesTheWholeTable(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.Apply(f.admin, Change{Rows: []Row{{Provider: OpenAI, Model: "gpt-4o", Input: "5"}}}); err != nil {
		t.Fatal(err)
	}
	v, err := f.svc.Import(f.admin, FormatCSV, []byte(header+"openai,gpt-4,30,60,,,,,\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := v.Row(OpenAI, "gpt-4o"); ok {
		t.Fatal("gpt-4o kept its rate after an import that does not list it")
	}
	if v.Defaults != FactoryDefaults {
		t.Fatalf("defaults changed by a file without a defaults row: %v", v.Defaults)
	}
}

func TestImportJSONWithUnitAndNumbers(t *testing.T) {
	f := newFixture(t)
	doc := `{"format":"meterdesk-rates/1","unit":"1m","defaults":{"input":2.5,"output":"10"},
	 "rates":[{"provider":"openai","model":"gpt-4o","input":2.5,"output":"10","per_request":"0.5"}]}`
	v, err := f.svc.Import(f.admin, FormatJSON, []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := v.Row(OpenAI, "gpt-4o")
	if r.Input != "0.0000025" || r.Output != "0.00001" || r.PerRequest != "0.5" {
		t.Fatalf("row = %+v (per 1M converted to per token; per-request untouched)", r)
	}
	// The default rates are in the file's unit too (they were once read
	// per token: 2.5 and 10 credits a token), and may be numbers.
	if v.Defaults.Input != "0.0000025" || v.Defaults.Output != "0.00001" {
		t.Fatalf("defaults = %+v, want per 1M converted to per token", v.Defaults)
	}
	// Exported per token, they import back the same.
	out, err := f.svc.Export(f.admin, FormatJSON)
	if err != nil {
		t.Fatal(err)
	}
	v2, err := f.svc.Import(f.admin, FormatJSON, out)
	if err != nil || v2.Defaults != v.Defaults {
		t.Fatalf("round trip: defaults %+v, %v", v2.Defaults, err)
	}
	// A default rate too precise for the unit is named, and nothing is written.
	_, err = f.svc.Import(f.admin, FormatJSON, []byte(`{"unit":"1m","defaults":{"input":"0.0000001","output":"1"},"rates":[]}`))
	if err == nil || !strings.Contains(err.Error(), "default input") {
		t.Fatalf("over-precise default per 1M: %v", err)
	}
	if cur, _ := f.svc.Current(f.admin); cur.ID != v2.ID {
		t.Fatalf("a refused import wrote version %d", cur.ID)
	}
}

func TestImportRejectsBadFilesNamingEveryRow(t *testing.T) {
	for _, tc := range []struct {
		name, format, data string
		want               []string
	}{
		{"empty", FormatCSV, "", []string{"row 1: the file is empty"}},
		{"missing header column", FormatCSV, "provider,model,input,output\nopenai,gpt-4o,1,1\n", []string{"row 1: header has 4 columns"}},
		{"extra header column", FormatCSV, strings.TrimSuffix(header, "\n") + ",note\n", []string{"row 1: header has 10 columns"}},
		{"rows", FormatCSV, header +
			"openai,gpt-4o,1,2,,,,,\n" +
			"openai,gpt-4,1,2,,,,\n" + // missing column
			"openai,gpt-4-turbo,1,2,,,,,,extra\n" + // extra column
			"openai,o1,-1,,,,,,\n" +
			"openai,o3,NaN,,,,,,\n" +
			"openai,o3-mini,,1e400,,,,,\n" +
			"openai,o4-mini,,,0.0000000000001,,,,\n" +
			"acme,thing,1,1,,,,,\n" +
			"openai,gpt-4o,3,3,,,,,\n" +
			"default,*,1,1,5,,,,\n",
			[]string{
				"row 3: missing columns: 8 columns, want 9",
				"row 4: extra columns: 10 columns, want 9",
				`row 5 (openai/o1): input -1 is negative`,
				`row 6 (openai/o3): input: "NaN" is not a plain decimal`,
				`row 7 (openai/o3-mini): output: "1e400" is not a plain decimal`,
				`row 8 (openai/o4-mini): cache_read: "0.0000000000001" has more than 12 decimal places`,
				`row 9 (acme/thing): unknown provider "acme"`,
				`row 10 (openai/gpt-4o): duplicate model (first on row 2)`,
				"row 11: the defaults row takes only input and output",
			}},
		{"bad quoting", FormatCSV, header + "openai,gpt-4o,1,1,,,,,\nopenai,\"o1\"x,1,1,,,,,\n", []string{"row 3: ", "extraneous or missing \" in quoted-field"}},
		{"bad defaults", FormatCSV, header + "default,*,-1,,,,,,\n", []string{`default input -1 is negative`, "default output: must not be blank"}},
		{"json not an object", FormatJSON, `[1,2]`, []string{"not a rates JSON document"}},
		{"json unknown field", FormatJSON, `{"rates":[],"colour":"red"}`, []string{"not a rates JSON document"}},
		{"json bad rows", FormatJSON, `{"rates":[
			{"provider":"openai","model":"gpt-4o","input":"1"},
			{"provider":"openai","model":"gpt-4o","input":"2"},
			{"provider":"openai","model":"o1","input":1e400},
			{"provider":"openai","model":"o3","inputt":"1"},
			{"provider":"nope","model":"o3","input":"0.1"}]}`,
			[]string{
				"row 2 (openai/gpt-4o): duplicate model (first on row 1)",
				`row 3 (openai/o1): input: "1e400" is not a plain decimal`,
				`row 4: bad rate entry: json: unknown field "inputt"`,
				`row 5 (nope/o3): unknown provider "nope"`,
			}},
		{"json bad unit", FormatJSON, `{"unit":"1g","rates":[]}`, []string{`unit "1g"`}},
		{"json over-precise per 1M", FormatJSON, `{"unit":"1m","rates":[{"provider":"openai","model":"o1","input":"0.0000001"}]}`,
			[]string{`row 1 (openai/o1): input: "0.0000001" has more than 12 decimal places`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			_, err := f.svc.Import(f.admin, tc.format, []byte(tc.data))
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want a validation error", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			if n := countVersions(t, f.db); n != 1 {
				t.Fatalf("%d versions after a rejected import: something was applied", n)
			}
			var models int
			if err := f.db.Read().QueryRow("SELECT count(*) FROM rate_models").Scan(&models); err != nil {
				t.Fatal(err)
			}
			if models != 0 {
				t.Fatal("a rejected import added models")
			}
		})
	}
}

func TestUnknownFormat(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.Export(f.memb, "xml"); err == nil {
		t.Fatal("export to xml accepted")
	}
	if _, err := f.svc.Import(f.admin, "xml", []byte("<x/>")); err == nil {
		t.Fatal("import from xml accepted")
	}
}
