// Package namekey is the one rule by which Meterdesk tells names apart: a
// member's sign-in name, a department's, a provider's and an API key's. The
// window and the CLI both reach it through the backend, so they agree.
//
//   - A name is stored as typed, trimmed and in Unicode NFKC (Clean): the
//     full-width "Ｂｏｂ" is stored as "Bob", the ligature "ﬁ" as "fi".
//   - Two names are the same name when their keys are equal (Key): NFKC,
//     Unicode case folding ("ß" and "SS" are "ss"), invisible format
//     characters dropped, white space as one space, and each Cyrillic or
//     Greek letter that looks like a Latin one read as that Latin letter
//     (a small confusables "skeleton": "аре" in Cyrillic is "ape").
//   - No word of a name may mix Latin, Cyrillic and Greek letters
//     (MixedScripts): "аlice" with a Cyrillic "а" passes for "alice" on
//     screen, and is the classic impersonation. A name may still hold words
//     in different alphabets ("Отдел R&D").
//
// Stores keep the key in a name_key column with a unique index (migration
// 0710_name_keys.sql); the SQL function md_name_key (backend/store) is Key.
package namekey

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Clean returns s in the form a name is stored in: NFKC, trimmed.
func Clean(s string) string {
	return strings.TrimSpace(norm.NFKC.String(s))
}

// Key returns the form names are compared in: equal keys are one name.
func Key(s string) string {
	f := norm.NFKC.String(cases.Fold().String(Clean(s)))
	var b strings.Builder
	b.Grow(len(f))
	space := false
	for _, r := range f {
		switch {
		case unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r):
			continue // zero-width spaces and joiners, soft hyphens, direction marks
		case unicode.IsSpace(r):
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if l, ok := latinTwin[r]; ok {
			r = l
		}
		b.WriteRune(r)
	}
	return b.String()
}

// latinTwin maps the case-folded Cyrillic and Greek letters that look like
// a Latin letter (in either case: Cyrillic "н" because "Н" is "H") to it.
// Within each alphabet no two letters share a twin, so names written wholly
// in Cyrillic or Greek stay apart from one another.
var latinTwin = map[rune]rune{
	// Cyrillic
	'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'ë', 'і': 'i', 'ї': 'ï', 'ј': 'j', 'к': 'k', 'м': 'm',
	'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't', 'у': 'y', 'х': 'x', 'ѕ': 's', 'ԁ': 'd',
	'ӏ': 'l', 'ԛ': 'q', 'ԝ': 'w',
	// Greek
	'α': 'a', 'β': 'b', 'ε': 'e', 'ζ': 'z', 'η': 'h', 'ι': 'i', 'κ': 'k', 'μ': 'm', 'ν': 'n',
	'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'y', 'χ': 'x', 'ϲ': 'c', 'ϳ': 'j',
}

// scripts whose letters may not share a word: they hold each other's
// look-alikes.
var scripts = []struct {
	name  string
	table *unicode.RangeTable
}{
	{"Latin", unicode.Latin},
	{"Cyrillic", unicode.Cyrillic},
	{"Greek", unicode.Greek},
}

// MixedScripts returns the first word of s (a run of letters, marks and
// digits) that mixes Latin, Cyrillic and Greek letters, and the two
// alphabets it mixes; ok is false when there is none.
func MixedScripts(s string) (word, first, second string, ok bool) {
	words := strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsMark(r) && !unicode.IsDigit(r)
	})
	for _, w := range words {
		seen := -1
		for _, r := range w {
			for k, sc := range scripts {
				if !unicode.Is(sc.table, r) {
					continue
				}
				if seen >= 0 && seen != k {
					return w, scripts[seen].name, sc.name, true
				}
				seen = k
			}
		}
	}
	return "", "", "", false
}

// TakenSQL is the SQL condition that a row's name_key is the key ?1: its
// own, or the same key with the suffix (U+0001 and the row id) migration
// 0710 gave a later name it kept beside an earlier look-alike. Checking a
// new name against it keeps a kept look-alike from getting a third spelling
// once the holder of the plain key is removed, archived or renamed.
const TakenSQL = "(name_key = ?1 OR (name_key >= ?1 || char(1) AND name_key < ?1 || char(2)))"
