// Package textfold folds text for searching: a search for "cafe", "CAFÉ" or
// "Cafe" finds "Café", in any script with case and accents (SQLite's LIKE
// folds the case of A-Z only).
package textfold

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold returns s lower-cased and without accents, one rune for each rune
// of s (so a match's position in Fold(s) is its position in s, counted in
// runes): "Straße Über CAFÉ" -> "straße uber cafe".
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// foldRune is r's base letter (r decomposed, its marks dropped), lower case.
func foldRune(r rune) rune {
	if r < 0x80 {
		return unicode.ToLower(r)
	}
	base := r
	for _, d := range norm.NFD.String(string(r)) {
		if !unicode.Is(unicode.Mn, d) {
			base = d
			break
		}
	}
	return unicode.ToLower(base)
}
