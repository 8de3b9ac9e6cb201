package textcheck

import (
	"errors"
	"strings"
	"testing"
)

func TestLineAndLines(t *testing.T) {
	for _, c := range []struct {
		in           string
		line, lines  bool // accepted by Line, by Lines
		errorMention string
	}{
		{"Research & Development", true, true, ""},
		{"李雷 🎉 Groß", true, true, ""},
		{"", true, true, ""},
		{"two\nlines", false, true, "one line"},
		{"tab\there", false, true, "one line"},
		{"crlf\r\n", false, true, "one line"},
		{"bad\xff\xfeutf8", false, false, "UTF-8"},
		{"esc\x1b[31mred", false, false, "U+001B"},
		{"nul\x00", false, false, "U+0000"},
		{"del\x7f", false, false, "U+007F"},
		{"c1\u0085next", false, false, "U+0085"},
		{"cheap\u202e", false, true, "U+202E"},
		{"\u202enim-o4-tpg\u202c", false, true, "U+202E"},
		{"iso\u2066late\u2069", false, true, "U+2066"},
		{"שלום עולם", true, true, ""},
		{"mark\u200f", true, true, ""},
	} {
		err := Line(c.in)
		if (err == nil) != c.line || (err != nil && (!errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.errorMention))) {
			t.Errorf("Line(%q) = %v, want accepted %v", c.in, err, c.line)
		}
		if err := Lines(c.in); (err == nil) != c.lines {
			t.Errorf("Lines(%q) = %v, want accepted %v", c.in, err, c.lines)
		}
	}
}
