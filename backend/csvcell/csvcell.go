// Package csvcell makes text safe to put in a CSV cell that a spreadsheet
// will open (CSV or formula injection, OWASP): every export that writes
// names, notes or model names into CSV (statements, the audit log, the rate
// table) uses this one rule, and an import of a file Meterdesk wrote undoes
// it (Restore).
package csvcell

// IsStrictDecimal reports whether s matches ^-?[0-9]+(\.[0-9]+)?$: the only
// cells that may start with '-' and still be written as they are. A
// spreadsheet reads such a cell as a number, never as a formula, so negative
// amounts stay numeric.
func IsStrictDecimal(s string) bool {
	if s != "" && s[0] == '-' {
		s = s[1:]
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return false
	}
	if i == len(s) {
		return true
	}
	if s[i] != '.' {
		return false
	}
	j := i + 1
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	return j > i+1 && j == len(s)
}

// NeedsNeutralising reports whether Neutralise prefixes s: after any
// leading blanks (spaces, line breaks, no-break and ideographic spaces, which
// some spreadsheets skip), s starts with a formula trigger ('=', '+', '-',
// '@', a tab, a carriage return, or the full-width '＝', '＋', '－', '＠' that
// East Asian spreadsheet locales read as their ASCII forms), and s is not a
// strict decimal number.
func NeedsNeutralising(s string) bool {
	for _, r := range s {
		switch r {
		case ' ', '\n', '\u00a0', '\u3000':
			continue
		case '=', '+', '-', '@', '\t', '\r', '\uff1d', '\uff0b', '\uff0d', '\uff20':
			return !IsStrictDecimal(s)
		}
		return false
	}
	return false
}

// Neutralise makes one cell safe to open in a spreadsheet (CSV/formula
// injection): a cell that begins, after any leading blanks, with a formula
// trigger (see NeedsNeutralising) is prefixed with a single quote, unless
// the whole cell is a strict decimal number (see IsStrictDecimal), which is
// left numeric. Every other cell is returned unchanged.
func Neutralise(s string) string {
	if NeedsNeutralising(s) {
		return "'" + s
	}
	return s
}

// Restore undoes Neutralise on a cell read back from a CSV file: a single
// quote followed by a character Neutralise guards is dropped. Other cells,
// including one that merely starts with a quote, are returned unchanged.
func Restore(s string) string {
	if len(s) > 1 && s[0] == '\'' && NeedsNeutralising(s[1:]) {
		return s[1:]
	}
	return s
}
