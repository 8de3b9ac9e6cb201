package cli

import (
	"strings"
	"testing"
)

// TestRatesRefuseANewModelNamedLikeAFlag: `rates set openai -5 --input 1`
// and `rates add-model openai -5` made a model "-5" (a negative number
// where an argument goes is that argument); a new model's name starting
// with "-" is refused by the backend, the model named, exit 2, nothing
// written, however it is typed ("--" too).
func TestRatesRefuseANewModelNamedLikeAFlag(t *testing.T) {
	dir := newDatabase(t)
	for _, args := range [][]string{
		{"rates", "set", "openai", "-5", "--input", "1"},
		{"rates", "set", "--input", "1", "openai", "--", "-5"},
		{"rates", "set", "--input", "1", "--", "openai", "-x"},
		{"rates", "add-model", "openai", "-5"},
		{"rates", "add-model", "--", "local", "-x"},
	} {
		before := dbDump(t, dir)
		code, out, errs := run(t, append([]string{"--data-dir", dir}, args...)...)
		if code != ExitUsage || out != "" || !strings.Contains(errs, `starts with "-": a new model's name may not`) {
			t.Errorf("%v: exit %d, stdout %q, stderr\n%s\nwant exit 2 and the name refused", args, code, out, errs)
		}
		if dbDump(t, dir) != before {
			t.Errorf("%v: the database changed", args)
		}
	}
}
