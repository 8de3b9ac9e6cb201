package app

import (
	"strings"
	"unicode"
)

// DesktopText makes text safe to hand to the OS notification tools, on
// every platform: a desktop notification's title and body hold names
// members typed (a department "Lab]]>$(Start-Process calc)" is a valid
// name), and the tools behind the notification APIs are scripts or
// command lines (PowerShell on Windows, osascript on macOS, notify-send on
// Linux). It replaces what any of them could read as code rather than
// text, with a character that looks alike and means nothing to them:
//   - `$` (PowerShell's variables and $(…) subexpressions) by ＄ (U+FF04);
//   - the backtick (PowerShell's escape) by ˋ (U+02CB);
//   - `]]>` (the end of the toast XML's CDATA) by `]] >`;
//   - a double quote followed by @ (the end of a PowerShell here-string),
//     straight or curly, by the quote and ＠ (U+FF20);
//   - control characters, line and paragraph separators by a space (no
//     line break can start a here-string's end or a new command);
//   - a leading `-` by ‐ (U+2010), so the text is never read as an option
//     by notify-send or terminal-notifier.
//
// Anything else is kept as typed.
func DesktopText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	prevQuote := false
	for i, r := range s {
		quote := false
		switch {
		case r == '$':
			r = '＄'
		case r == '`':
			r = 'ˋ'
		case r == '@' && prevQuote:
			r = '＠'
		case r == '"' || r == '“' || r == '”' || r == '„':
			quote = true
		case r == '-' && i == 0:
			r = '‐'
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\u0085':
			r = ' '
		}
		prevQuote = quote
		b.WriteRune(r)
	}
	return strings.ReplaceAll(b.String(), "]]>", "]] >")
}
