package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRatesSetAndImportSayAlike: `rates set` and `rates import` print what
// they did with one printer (printApplied), in the same words where they
// mean the same, an import's line led by "imported: ": a new version with
// its reason (an import printed none: "imported: rate version 3 in force"),
// models only added to the catalogue, and rates as they are (whose words
// differ only in saying where the rates came from).
func TestRatesSetAndImportSayAlike(t *testing.T) {
	dir := newDatabase(t)
	d := func(args ...string) []string { return append([]string{"--data-dir", dir}, args...) }
	file := func(rows string) string {
		p := filepath.Join(t.TempDir(), "rates.csv")
		head := "provider,model,input,output,cache_read,cache_write,reasoning,per_request,per_tool_call\n"
		if err := os.WriteFile(p, []byte(head+rows), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"set, a new version", []string{"rates", "set", "openai", "gpt-4o", "--input", "0.002"},
			"rate version 2 in force (change openai/gpt-4o)\n"},
		{"import, a new version", []string{"rates", "import", file("openai,gpt-4o,0.003,,,,,,\n")},
			"imported: rate version 3 in force (import rates (csv))\n"},
		{"set, a model added", []string{"rates", "set", "local", "new-a", "--input", "default"},
			"added model local/new-a to the catalogue; rate version 3 stays in force\n"},
		{"import, a model added", []string{"rates", "import", file("openai,gpt-4o,0.003,,,,,,\nlocal,new-b,,,,,,,\n")},
			"imported: added model local/new-b to the catalogue; rate version 3 stays in force\n"},
		{"set, unchanged", []string{"rates", "set", "openai", "gpt-4o", "--input", "0.003"},
			"unchanged: the rates were these already, rate version 3 stays in force (nothing written or audited)\n"},
		{"import, unchanged", []string{"rates", "import", file("openai,gpt-4o,0.003,,,,,,\n")},
			"unchanged: the file holds the rates as they are, rate version 3 stays in force (nothing written or audited)\n"},
	} {
		code, out, errs := run(t, d(c.args...)...)
		if code != 0 || out != c.want {
			t.Errorf("%s: exit %d, stdout %q (%s), want %q", c.name, code, out, errs, c.want)
		}
	}
}
