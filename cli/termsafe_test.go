package cli

import (
	"bytes"
	"testing"
)

// TestTerminalText: a model's reply printed on a terminal cannot send
// escape sequences or reorder the text; printed elsewhere it is exact.
func TestTerminalText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain\ntext\twith tabs", "plain\ntext\twith tabs"},
		{"\x1b]0;pwned\x07\x1b[2Jhi\r", "^[]0;pwned^G^[[2Jhi^M"},
		{"del\x7f c1\u009b", "del^? c1\uFFFD"},
		{"cheap\u202e\u2066x\u2069", "cheapx"},
		{"שלום 田中", "שלום 田中"},
	} {
		if got := terminalText(c.in); got != c.want {
			t.Errorf("terminalText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	var buf bytes.Buffer
	if got := forTerminal(&buf)("\x1b[2J"); got != "\x1b[2J" {
		t.Errorf("not a terminal: %q changed", got)
	}
}
