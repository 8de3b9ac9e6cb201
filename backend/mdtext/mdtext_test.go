package mdtext

import (
	"strconv"
	"strings"
	"testing"
)

func TestPlain(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"empty", "", ""},
		{"plain text", "Just words, 2 * 3 * 4 and snake_case_name.", "Just words, 2 * 3 * 4 and snake_case_name."},
		{"emphasis", "**very** important and _quite_ ~~not~~ *so*", "very important and quite not so"},
		{"intra-word emphasis", "un*believ*able", "unbelievable"},
		{"link text, not its target", "see [the docs](https://example.com/guide \"Guide\") now", "see the docs now"},
		{"bare and angle links", "go to https://example.com/a_b_c or <https://x.y/z>", "go to https://example.com/a_b_c or https://x.y/z"},
		{"image", "![a logo](x.png \"t\")", "a logo"},
		{"code span", "call `fmt.Println(**x**)` here", "call fmt.Println(**x**) here"},
		{"fenced code", "Here:\n\n```go\nfmt.Println(\"hi\")\n```\n", "Here:\nfmt.Println(\"hi\")"},
		{"indented code", "Text\n\n    x := 1\n", "Text\nx := 1"},
		{"headings", "# Title\n\nSub\n---\n\nbody", "Title\nSub\nbody"},
		{"lists", "- one\n- [two](https://x.y)\n1. three\n* [ ] task", "one\ntwo\nthree\ntask"},
		{"quote", "> quoted **text**", "quoted text"},
		{"table", "| Name | Cost |\n|---|---|\n| **GPT** | 1 |\n", "Name\tCost\nGPT\t1"},
		{"soft and hard breaks", "one\ntwo  \nthree", "one two\nthree"},
		{"paragraphs stay apart", "very\n\nimportant", "very\nimportant"},
		{"escapes and references", `\*not emphasis\* &amp; caf&eacute; &#233;`, "*not emphasis* & café é"},
		{"raw html shown as text", "Hi <b>bold</b>\n\n<div>\nblock\n</div>", "Hi <b>bold</b>\n<div>\nblock\n</div>"},
		{"thematic break", "a\n\n***\n\nb", "a\nb"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Plain(c.in); got != c.want {
				t.Errorf("Plain(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// reply is a typical model reply: headings, a list, emphasis, code, a
// table; about 2 KB.
var reply = strings.Repeat("## Steps\n\nHere is **how** to do it, with `code` and a [link](https://example.com):\n\n"+
	"1. First, *open* the file.\n2. Then run:\n\n```go\nfmt.Println(\"hello\")\n```\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n", 5)

func BenchmarkPlain(b *testing.B) {
	b.SetBytes(int64(len(reply)))
	for b.Loop() {
		Plain(reply)
	}
}

func TestCutPiece(t *testing.T) {
	for _, tc := range []struct {
		name, s string
		n       int
		want    string
	}{
		{"short: all of it", "**a** b", 8, "**a** b"},
		{"at the last blank line", "one\n\ntwo\n\nthree four", 12, "one\n\ntwo\n\n"},
		{"no blank line: at the last line break", "one\ntwo\nthree four", 12, "one\ntwo\n"},
		{"no line break: at the last space", "one two three", 9, "one two "},
		{"one long word: n bytes", "abcdefghijkl", 5, "abcde"},
		{"one long word: back to a character's start", "aaaé", 4, "aaa"}, // é is 2 bytes, from byte 3
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cutPiece(tc.s, tc.n); got != tc.want {
				t.Errorf("cutPiece(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
			}
		})
	}
}

// A long reply is read in pieces: every piece's text is there, a phrase
// within a piece is found as it reads, and past parseLimit the text is
// kept as written.
func TestPlainOfALongReply(t *testing.T) {
	para := "Some **very** important text, see [the docs](https://x.y/z).\n\n"
	long := strings.Repeat(para, (parseLimit+4*parseChunk)/len(para))
	got := Plain(long)
	pieces := strings.Count(got, "Some very important text, see the docs.")
	parsedParas := parseLimit / len(para)
	if pieces < parsedParas || pieces > parsedParas+parseChunk/len(para)+1 { // the last piece may pass parseLimit
		t.Errorf("%d paragraphs read as shown, want about %d (what parseLimit holds)", pieces, parsedParas)
	}
	if !strings.HasSuffix(got, strings.TrimSpace(para)) {
		t.Errorf("the text past parseLimit is not kept as written; ends %q", got[len(got)-80:])
	}
	if strings.Contains(got[:len(got)/2], "https://x.y/z") {
		t.Error("a link's target within the parsed part is in the text")
	}
	// One line longer than a piece, no line break: cut between words, every word kept.
	line := strings.Repeat("ab ", parseChunk)
	if got := Plain(line); strings.Count(got, "ab") != parseChunk {
		t.Errorf("a line of %d words read as %d", parseChunk, strings.Count(got, "ab"))
	}
}

// BenchmarkPlainUnclosedLinks is text goldmark's inline parser is slowest
// on ("[a](" over and over): 80 KB of it took 5.4 s parsed whole; Plain
// parses 2 KB pieces of the first 64 KB.
func BenchmarkPlainUnclosedLinks(b *testing.B) {
	for _, size := range []int{20 << 10, 80 << 10, 1 << 20} {
		s := strings.Repeat("[a](", size/4)
		b.Run(strconv.Itoa(size>>10)+"KB", func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				Plain(s)
			}
		})
	}
}
