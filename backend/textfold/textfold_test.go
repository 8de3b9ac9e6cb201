package textfold

import (
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Café Crème", "cafe creme"},
		{"CAFÉ", "cafe"},
		{"Über Zürich", "uber zurich"},
		{"Straße", "straße"},
		{"ÅNGSTRÖM", "angstrom"},
		{"Ελληνικά", "ελληνικα"},
		{"ΟΔΟΣ οδός", "οδοσ οδοσ"}, // final sigma
		{"하고 싶어요 한국", "하고 싶어요 한국"}, // Hangul syllables stay whole
		{"ガ カ", "ガ カ"},             // a kana's voicing mark makes another letter: kept
		{"Привет МИР", "привет мир"},
		{"ЙОД йод", "йод йод"}, // Cyrillic: case only, Й stays й
		{"研究部 🎉", "研究部 🎉"},
		{"plain ascii 123", "plain ascii 123"},
		{"e\u0301", "e\u0301"}, // a lone combining mark stays a rune of its own
	} {
		got := Fold(c.in)
		if got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
		if utf8.RuneCountInString(got) != utf8.RuneCountInString(c.in) {
			t.Errorf("Fold(%q) changed the rune count", c.in)
		}
	}
}
