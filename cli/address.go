package cli

import "strings"

// addressHelp is how every command that takes a postal address on the
// command line says the rule addressText applies.
const addressHelp = `An address's lines are separated by \n (a backslash and n) or by real line
breaks; a backslash itself is written \\ (C:\\new folder). Any other backslash
is kept as typed.`

// addressText reads an address given on the command line, the one rule for
// workspace setup/update --address and invoice parties --*-address: the two
// characters \n are a line break, \\ is one backslash, every other
// character (a real line break, another backslash) is kept as typed.
func addressText(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			case '\\':
				b.WriteByte('\\')
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
