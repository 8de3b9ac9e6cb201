package tokenizer

import (
	"math/rand"
	"slices"
	"strings"
	"testing"
)

// TestEncoderMatchesTiktokenGo: the package's encoder gives exactly the
// tokens tiktoken-go's encoder gives (what the package used before), in both
// encodings, on ordinary text and on long pre-tokenizer pieces (as long as
// the old encoder can count them in a test's time).
func TestEncoderMatchesTiktokenGo(t *testing.T) {
	cases := []struct{ name, text string }{
		{"empty", ""},
		{"one byte", "a"},
		{"hello", "hello world"},
		{"special marker", "<|endoftext|> and <|fim_prefix|>"},
		{"contractions", "It's what we'd've done, isn't it? THEY'LL say I'M right. She'S"},
		{"numbers", "1 12 123 1234 12345 3.14159 -42 1e6 0x1F 2026-11-23"},
		{"whitespace", "a  b   c\t\td\n\ne \r\n f   \n   g     "},
		{"indented code", "func main() {\n\tfor i := 0; i < 10; i++ {\n\t\tfmt.Println(i)\n\t}\n}\n"},
		{"unicode", "naïve café, Straße, ἀρχή, Привет мир, مرحبا, नमस्ते, こんにちは世界, 안녕하세요, 😀👍🏽🇫🇷, a\u0301e\u0301"},
		{"invalid utf-8", "ok \xff\xfe bytes \xc3( and \xe2\x82"},
		{"prose 10 kB", longInput("prose", 10_000)},
		{"minified js 10 kB", longInput("js", 10_000)},
		{"base64 10 kB", longInput("base64", 10_000)},
		{"run of a, 4 kB", longInput("a", 4_000)},
		{"run of A, 4 kB", strings.Repeat("A", 4_000)},
		{"run of Ab, 4 kB", strings.Repeat("Ab", 2_000)},
		{"run of =, 4 kB", strings.Repeat("=", 4_000)},
		{"run of -, 4 kB", strings.Repeat("-", 4_000)},
		{"run of spaces, 4 kB", strings.Repeat(" ", 4_000) + "x"},
		{"run of newlines, 4 kB", strings.Repeat("\n", 4_000)},
		{"run of 中, 4 kB", strings.Repeat("中", 1_300)},
		{"hex, 4 kB", strings.Repeat("deadbeefcafebabe", 250)},
		{"base64 without padding or digits, 4 kB", strings.Repeat("QmFzZTY0VGV4dA", 290)},
	}
	for _, m := range cookbookMessages {
		cases = append(cases, struct{ name, text string }{"cookbook " + m.Role, m.Content})
	}
	for _, enc := range []string{O200kBase, Cl100kBase} {
		e, err := Get(enc)
		if err != nil {
			t.Fatal(err)
		}
		ref := reference(t, enc)
		for _, tc := range cases {
			t.Run(enc+"/"+tc.name, func(t *testing.T) {
				want := ref.EncodeOrdinary(tc.text)
				got := e.EncodeOrdinary(tc.text)
				if !slices.Equal(got, want) {
					t.Fatalf("tokens differ from tiktoken-go's:\n got %v\nwant %v", head(got), head(want))
				}
				if n := e.Count(tc.text); n != len(want) {
					t.Fatalf("Count = %d, want %d", n, len(want))
				}
			})
		}
	}
}

// TestEncoderMatchesTiktokenGoOnRandomText compares the two encoders on
// random strings of fragments chosen to make pieces whose merges tie (equal
// ranks at several places), mix scripts and break runs in odd places.
func TestEncoderMatchesTiktokenGoOnRandomText(t *testing.T) {
	frags := []string{"a", "aa", "b", "ab", "A", "Z", "e", "é", "ß", "中", "文", "😀", " ", "  ", "\n", "\t", "\r\n",
		"=", "-", "/", "+", "'s", "'LL", "1", "23", "456", ".", ",", "{", "}", "(", ")", "\"", "_", "th", "ing", "\u0301", "\xff"}
	r := rand.New(rand.NewSource(16))
	for _, enc := range []string{O200kBase, Cl100kBase} {
		e, err := Get(enc)
		if err != nil {
			t.Fatal(err)
		}
		ref := reference(t, enc)
		for i := 0; i < 400; i++ {
			var sb strings.Builder
			for j, n := 0, 1+r.Intn(120); j < n; j++ {
				f := frags[r.Intn(len(frags))]
				sb.WriteString(strings.Repeat(f, 1+r.Intn(4)))
			}
			text := sb.String()
			if got, want := e.EncodeOrdinary(text), ref.EncodeOrdinary(text); !slices.Equal(got, want) {
				t.Fatalf("%s %q:\n got %v\nwant %v", enc, text, got, want)
			}
			// Count, which the counts use, reuses one merger across the
			// pieces of a text: it must say what the tokens say.
			if got, want := e.Count(text), len(ref.EncodeOrdinary(text)); got != want {
				t.Fatalf("%s %q: Count %d, want %d", enc, text, got, want)
			}
		}
	}
}

// TestLongPiecesCountExactly: a 1 MB message with no break (the longest a
// message may be) is counted, and the count is the exact one: 8 a's are
// one token, and Count agrees with the tokens EncodeOrdinary gives. Its
// speed is BenchmarkCountLong's to measure (speed targets live in
// benchmarks, not timed tests); tiktoken-go's quadratic merge took ~10
// minutes for the run of "a", so a return to it would also run this test
// past go test's timeout.
func TestLongPiecesCountExactly(t *testing.T) {
	for _, tc := range []struct {
		enc, text string
		want      int // -1: not checked
	}{
		{O200kBase, longInput("a", 1_000_000), 125_000},
		{Cl100kBase, longInput("a", 1_000_000), 125_000},
		{O200kBase, strings.Repeat("=", 1_000_000), -1},
		{O200kBase, strings.Repeat(" ", 1_000_000), -1},
		{O200kBase, strings.Repeat("Ab", 500_000), -1},
		{O200kBase, longInput("base64", 1_000_000), -1},
	} {
		n, err := CountText(tc.enc, tc.text)
		if err != nil {
			t.Fatal(err)
		}
		if tc.want >= 0 && n != tc.want {
			t.Errorf("%s %q…: %d tokens, want %d", tc.enc, tc.text[:8], n, tc.want)
		}
		e, err := Get(tc.enc)
		if err != nil {
			t.Fatal(err)
		}
		if toks := e.EncodeOrdinary(tc.text); len(toks) != n {
			t.Errorf("%s %q…: Count %d, EncodeOrdinary %d tokens", tc.enc, tc.text[:8], n, len(toks))
		}
	}
}

func head(toks []int) []int {
	if len(toks) > 40 {
		return toks[:40]
	}
	return toks
}
