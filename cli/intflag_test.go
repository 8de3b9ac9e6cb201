package cli

import (
	"fmt"
	"strings"
	"testing"
)

// TestIntegerFlagsReadDecimal: every whole-number flag of the CLI reads
// decimal digits only. Go's flag.Int and flag.Int64 read with base 0, so
// `credits validity --set 012` stored 10 months (octal), 0x10 16,
// `workspace update --idle-lock 015` 13 minutes, `--department 010`
// department 8, and `credits history --limit 08` was refused as "not a
// valid number". Leading zeros are decimal now; a 0x, 0o or 0b prefix or
// an underscore is refused for what it is (exit 2, nothing written).
func TestIntegerFlagsReadDecimal(t *testing.T) {
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	for i := 2; i <= 10; i++ { // departments 2..10 beside Research (1)
		admin("departments", "add", fmt.Sprintf("Dept %d", i))
	}
	for _, c := range []struct {
		args []string
		want string // in stdout
	}{
		{[]string{"credits", "validity", "--set", "012"}, "top-up credits are valid for 12 months"},
		{[]string{"credits", "validity"}, "top-up credits are valid for 12 months"},
		{[]string{"workspace", "update", "--idle-lock", "015"}, "idle lock:   15 min"},
		{[]string{"users", "update", "bob", "--department", "010", "--json"}, `"departmentId": 10`},
		{[]string{"credits", "history", "--limit", "08", "--json"}, `"items"`},
		{[]string{"credits", "history", "--limit", "+8", "--before", "0009", "--json"}, `"items"`},
		{[]string{"alerts", "notifications", "--limit", "09"}, ""},
		{[]string{"audit", "list", "--limit", "010", "--json"}, `"action"`},
		{[]string{"conversations", "list", "--limit", "08"}, ""},
		{[]string{"invoice", "list", "--limit", "08"}, ""},
		{[]string{"credits", "packages", "save", "--name", "Ten", "--credits", "10", "--price", "1", "--sort", "010", "--json"}, `"sort": 10`},
	} {
		if out := admin(c.args...); !strings.Contains(out, c.want) {
			t.Errorf("%v: %q, want %q in it", c.args, out, c.want)
		}
	}

	before := dbDump(t, dir)
	for _, c := range []struct {
		args []string
		flag string
		why  string
	}{
		{[]string{"credits", "validity", "--set", "0x10"}, "set", "not a decimal number"},
		{[]string{"credits", "validity", "--set", "0o17"}, "set", "not a decimal number"},
		{[]string{"credits", "validity", "--set", "1_2"}, "set", "not a decimal number"},
		{[]string{"credits", "validity", "--set", "12a"}, "set", "not a valid number"},
		{[]string{"credits", "validity", "--set", "99999999999999999999"}, "set", "out of range"},
		{[]string{"workspace", "update", "--idle-lock", "0b1111"}, "idle-lock", "not a decimal number"},
		{[]string{"workspace", "update", "--idle-lock", "0X0F"}, "idle-lock", "not a decimal number"},
		{[]string{"users", "update", "bob", "--department", "0x1"}, "department", "not a decimal number"},
		{[]string{"users", "add", "dave", "--department", "1_0"}, "department", "not a decimal number"},
		{[]string{"credits", "history", "--limit", "0x8"}, "limit", "not a decimal number"},
		{[]string{"credits", "history", "--before", "0o7"}, "before", "not a decimal number"},
		{[]string{"credits", "topup", "--package", "0x1"}, "package", "not a decimal number"},
		{[]string{"credits", "packages", "save", "--id", "0x1", "--name", "X", "--credits", "1", "--price", "1"}, "id", "not a decimal number"},
		{[]string{"credits", "packages", "save", "--name", "X", "--credits", "1", "--price", "1", "--sort", "-0x1"}, "sort", "not a decimal number"},
		{[]string{"alerts", "notifications", "--limit", "1_000"}, "limit", "not a decimal number"},
		{[]string{"audit", "list", "--limit", "0x10"}, "limit", "not a decimal number"},
		{[]string{"conversations", "list", "--limit", "0x10"}, "limit", "not a decimal number"},
		{[]string{"invoice", "list", "--limit", "0x10"}, "limit", "not a decimal number"},
		{[]string{"chat", "--conversation", "0x1", "--model", "m", "hi"}, "conversation", "not a decimal number"},
		{[]string{"chat", "--max-tokens", "0x100", "--model", "m", "hi"}, "max-tokens", "not a decimal number"},
	} {
		code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, c.args...)...)
		want := fmt.Sprintf("for --%s: %s", c.flag, c.why)
		if code != ExitUsage || !strings.Contains(errs, want) {
			t.Errorf("%v: exit %d %q, want 2 and %q", c.args, code, errs, want)
		}
	}
	if dbDump(t, dir) != before {
		t.Error("a refused whole number changed the database")
	}
}

// TestParseWhole: the one rule behind every whole-number flag.
func TestParseWhole(t *testing.T) {
	for _, c := range []struct {
		in   string
		bits int
		want int64
		err  error
	}{
		{"0", 64, 0, nil},
		{"012", 64, 12, nil},
		{"08", 64, 8, nil},
		{"-007", 64, -7, nil},
		{"+5", 64, 5, nil},
		{"9223372036854775807", 64, 9223372036854775807, nil},
		{"9223372036854775808", 64, 0, errOutOfRange},
		{"2147483648", 32, 0, errOutOfRange},
		{"0x10", 64, 0, errNotDecimal},
		{"0o17", 64, 0, errNotDecimal},
		{"0b101", 64, 0, errNotDecimal},
		{"1_000", 64, 0, errNotDecimal},
		{"0x8000000000000000", 64, 0, errNotDecimal},
		{"", 64, 0, errNotWhole},
		{"1.5", 64, 0, errNotWhole},
		{"ten", 64, 0, errNotWhole},
		{" 1", 64, 0, errNotWhole},
		{"0x", 64, 0, errNotWhole},
	} {
		got, err := parseWhole(c.in, c.bits)
		if got != c.want || err != c.err {
			t.Errorf("parseWhole(%q, %d) = %d, %v; want %d, %v", c.in, c.bits, got, err, c.want, c.err)
		}
	}
}
