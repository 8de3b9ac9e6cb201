package namekey

import "testing"

func TestClean(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"  alice ", "alice"},
		{"Ｂｏｂ", "Bob"},            // full-width
		{"ﬁnance", "finance"},     // ligature
		{"e\u0301ve", "\u00e9ve"}, // composed
		{"\u3000Eng\u3000", "Eng"},
		{"Ops\u00a0Team", "Ops Team"}, // no-break space
	} {
		if got := Clean(c.in); got != c.want {
			t.Errorf("Clean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestKeySameName lists names that are one name (equal keys) and names that
// are not.
func TestKeySameName(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"alice", "ALICE", true},
		{"alice", "аlice", true}, // Cyrillic а
		{"bob", "Ｂｏｂ", true},     // full-width
		{"bob", "ВОВ", true},     // Cyrillic capitals that are B, O, B on screen
		{"ß", "SS", true},        // full case folding
		{"straße", "STRASSE", true},
		{"Eng", "Еng", true},     // Cyrillic Е
		{"Local", "Lосal", true}, // Cyrillic о and с
		{"ape", "аре", true},     // wholly Cyrillic look-alike
		{"Ops", "Ορs", true},     // Greek Ο and ρ
		{"Ops Team", "Ops  Team", true},
		{"Ops Team", "Ops\u00a0Team", true},
		{"Local", "Lo\u200bcal", true}, // a zero-width space
		{"Café", "CAFE\u0301", true},
		{"K", "\u212a", true}, // Kelvin sign
		{"alice", "alicе", true},
		{"alice", "alic", false},
		{"Café", "Cafe", false}, // an accent is a letter of its own
		{"иван", "ivan", false},
		{"Йод", "Иод", false}, // Cyrillic letters stay apart
		{"ё", "е", false},
		{"1", "l", false},
	} {
		ka, kb := Key(c.a), Key(c.b)
		if (ka == kb) != c.same {
			t.Errorf("Key(%q) = %q, Key(%q) = %q; same name = %v, want %v", c.a, ka, c.b, kb, ka == kb, c.same)
		}
	}
}

func TestKeyIsStable(t *testing.T) {
	for _, s := range []string{"alice", "Ｂｏｂ", "ß", "Отдел R&D", "Lo\u200bcal", "  a  b  "} {
		if k := Key(s); Key(k) != k {
			t.Errorf("Key(Key(%q)) = %q, want %q", s, Key(k), k)
		}
	}
}

func TestMixedScripts(t *testing.T) {
	for _, c := range []struct {
		in, word, first, second string
	}{
		{"alice", "", "", ""},
		{"аlice", "аlice", "Cyrillic", "Latin"},
		{"Еng", "Еng", "Cyrillic", "Latin"},
		{"Lосal", "Lосal", "Latin", "Cyrillic"},
		{"Ορs", "Ορs", "Greek", "Latin"},
		{"Отдел R&D", "", "", ""}, // words in two alphabets
		{"ivan.иванов", "", "", ""},
		{"R&D Отдeл", "Отдeл", "Cyrillic", "Latin"},
		{"研究部 Eng", "", "", ""},
		{"bob2", "", "", ""},
		{"Ελληνικά Русский", "", "", ""},
		{"Ελληνиκά", "Ελληνиκά", "Greek", "Cyrillic"},
	} {
		word, first, second, ok := MixedScripts(c.in)
		if ok != (c.word != "") || word != c.word || first != c.first || second != c.second {
			t.Errorf("MixedScripts(%q) = %q, %q, %q, %v; want %q, %q, %q", c.in, word, first, second, ok, c.word, c.first, c.second)
		}
	}
}
