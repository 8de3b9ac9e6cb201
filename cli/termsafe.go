package cli

import (
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// forTerminal returns how text a model wrote is printed on w. On a
// terminal, control characters other than newlines and tabs are shown in
// caret notation ("^[" for ESC) and bidi controls are dropped, so a reply
// cannot move the cursor, retitle or clear the terminal, or reorder what
// is shown. Written to a file or a pipe, the text is kept exactly.
func forTerminal(w io.Writer) func(string) string {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return func(s string) string { return s }
	}
	return terminalText
}

// terminalText is s made safe to print on a terminal (see forTerminal).
func terminalText(s string) string {
	clean := true
	for _, r := range s {
		if isUnsafe(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case !isUnsafe(r):
			b.WriteRune(r)
		case r < 0x20:
			b.WriteByte('^')
			b.WriteRune(r + '@')
		case r == 0x7f:
			b.WriteString("^?")
		case r >= 0x80 && r < 0xa0:
			b.WriteRune('\uFFFD')
		}
		// bidi controls: dropped
	}
	return b.String()
}

func isUnsafe(r rune) bool {
	return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 ||
		r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}
