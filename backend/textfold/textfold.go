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
// runes): "Straße Über CAFÉ" -> "straße uber cafe", "ΟΔΟΣ" and "οδός" ->
// "οδοσ".
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// foldRune is r's base letter, lower case: a Latin or Greek letter
// decomposed (NFD) into one letter and combining marks loses the marks
// ("É" -> "e", "ά" -> "α"). A character
// that decomposes into several letters, such as a Hangul syllable into its
// jamo, is kept whole: its first letter alone would match unrelated words.
// The Greek final sigma is the sigma it is at the end of a word.
func foldRune(r rune) rune {
	if r < 0x80 {
		return unicode.ToLower(r)
	}
	if r == 'ς' {
		return 'σ'
	}
	base, letters := r, 0
	for _, d := range norm.NFD.String(string(r)) {
		if unicode.Is(unicode.Mn, d) {
			continue
		}
		if letters++; letters == 1 {
			base = d
		}
	}
	// Accents are dropped in the alphabets whose marks are accents; in
	// others a mark makes another letter (Japanese ガ is not カ, Russian Й
	// is not И): there only the case is folded.
	if letters != 1 || !unicode.In(base, unicode.Latin, unicode.Greek) {
		base = r
	}
	return unicode.ToLower(base)
}
