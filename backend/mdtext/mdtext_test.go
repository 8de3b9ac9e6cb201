package mdtext

import (
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
