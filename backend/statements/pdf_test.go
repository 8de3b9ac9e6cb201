package statements

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// pdfText extracts the text of a PDF with poppler's pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", in, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	return string(out)
}

func TestPDFRendersUnicodeAndPageNumbers(t *testing.T) {
	p := NewPDF(PDFOptions{Title: "Statement — Ünïcödé GmbH", Subtitle: "March 2025", Created: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)})
	p.Heading("Summary")
	p.KeyValues([]KV{{Key: "Opening balance", Value: "€ 1,234.50"}, {Key: "Closing", Value: "99.000000001", Bold: true}})
	p.Table([]Column{{"Member", 80, Left}, {"Amount", 40, Right}})
	names := []string{"Дмитрий Иванов", "Αλέξανδρος Παπαδόπουλος", "Jürgen Groß", "=cmd|' /C calc'!A0\n\"quoted\", comma 🚀"}
	for i := 0; i < 200; i++ {
		p.Row(names[i%len(names)], fmt.Sprintf("%d.5", i))
	}
	p.TotalRow("Total", "12345.678901234")
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	txt := pdfText(t, buf.Bytes())
	for _, want := range []string{"Ünïcödé", "€ 1,234.50", "Дмитрий Иванов", "Αλέξανδρος", "Jürgen Groß", "12345.678901234", "Page 1 of 5", "Page 5 of 5", "99.000000001"} {
		if !strings.Contains(txt, want) {
			t.Errorf("pdf text lacks %q", want)
		}
	}
	if strings.Count(txt, "Member") < 5 {
		t.Errorf("table heading not repeated on each page: %d", strings.Count(txt, "Member"))
	}
}

// TestPDFPagePixels renders page 1 to PNG with pdftoppm and checks that the
// header band is the accent colour, the logo area is not band-coloured and the
// body has dark text pixels.
func TestPDFPagePixels(t *testing.T) {
	p := NewPDF(PDFOptions{Title: "Pixel test", Subtitle: "2025-03"})
	p.Heading("Summary")
	p.KeyValues([]KV{{Key: "Closing balance", Value: "42", Bold: true}})
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "p.pdf")
	os.WriteFile(in, buf.Bytes(), 0o600)
	if out, err := exec.Command("pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", in, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	if len(matches) != 1 {
		t.Fatalf("want one page image, got %v", matches)
	}
	f, _ := os.Open(matches[0])
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	mmToPx := float64(b.Dx()) / 210.0
	px := func(xmm, ymm float64) (r, g, bl uint32) {
		r, g, bl, _ = img.At(int(xmm*mmToPx), int(ymm*mmToPx)).RGBA()
		return r >> 8, g >> 8, bl >> 8
	}
	// Band, right side (no text there).
	if r, g, bl := px(200, 3); !near(r, 31) || !near(g, 78) || !near(bl, 121) {
		t.Errorf("header band pixel = %d,%d,%d; want the accent colour", r, g, bl)
	}
	// Logo: a white rounded square at (15..31, 4..20) mm.
	if r, g, bl := px(17, 6); r < 240 || g < 240 || bl < 240 {
		t.Errorf("logo pixel = %d,%d,%d; want white", r, g, bl)
	}
	// Text area below the band has dark pixels; the bottom half is blank.
	dark := func(y0, y1 float64) int {
		n := 0
		for y := int(y0 * mmToPx); y < int(y1*mmToPx); y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				r, g, bl, _ := img.At(x, y).RGBA()
				if r>>8 < 100 && g>>8 < 100 && bl>>8 < 100 {
					n++
				}
			}
		}
		return n
	}
	if n := dark(30, 60); n < 50 {
		t.Errorf("text area has %d dark pixels; want text", n)
	}
	if n := dark(120, 270); n != 0 {
		t.Errorf("empty area has %d dark pixels", n)
	}
}

func near(v, want uint32) bool { return v+12 >= want && v <= want+12 }

func TestFontCoverage(t *testing.T) {
	for _, r := range "€äöüßÄÖÜДжΩπ…?" {
		if !covered(r) {
			t.Errorf("font lacks %q", r)
		}
	}
	for _, r := range "🚀\x00\U0010FFFF" {
		if covered(r) {
			t.Errorf("font claims %q", r)
		}
	}
	for _, c := range []struct {
		in, out string
		first   bool
	}{
		{"a\nb\t🚀€", "a b ?€", true},
		{"Jürgen", "Jürgen", true},
		{"田中 Tanaka", "田中 Tanaka", false},
		{"김\n🚀", "김 ?", false},
	} {
		if got, first := drawable(c.in); got != c.out || first != c.first {
			t.Errorf("drawable(%q) = %q, %v; want %q, %v", c.in, got, first, c.out, c.first)
		}
	}
	if _, err := bmpCmap([]byte("not a font")); err == nil {
		t.Error("garbage parsed as a font")
	}
}

// TestPDFNeverCutsAnAmount: a right-aligned cell (an amount or a count)
// too long for its column is printed whole in a smaller font; a left-aligned
// one (a name) is cut with "…".
func TestPDFNeverCutsAnAmount(t *testing.T) {
	p := NewPDF(PDFOptions{Title: "Long amounts", Subtitle: "2026-11"})
	p.KeyValues([]KV{{Key: "Closing balance", Value: "999,999,999,999,999.999999999", Bold: true}})
	p.Table([]Column{{"Member", 25, Left}, {"Credits", 30, Right}})
	p.Row("A member with a very long display name indeed", "100,000,000,000,000.123456789")
	p.TotalRow("Total", "-100,000,000,000,000.123456789")
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	txt := pdfText(t, buf.Bytes())
	for _, want := range []string{"999,999,999,999,999.999999999", "100,000,000,000,000.123456789", "-100,000,000,000,000.123456789", "A member …"} {
		if !strings.Contains(txt, want) {
			t.Errorf("pdf text lacks %q:\n%s", want, txt)
		}
	}
}

// TestPDFRendersCJKText: Chinese, Japanese and Korean names print as typed
// (each run in a face that has it, in headers, tables and totals, cut with
// "…" when too wide); emoji, which no embedded font has, print as "?"; and
// a document without such text embeds no fallback font.
func TestPDFRendersCJKText(t *testing.T) {
	p := NewPDF(PDFOptions{Title: "Statement — 株式会社メーター", Subtitle: "2026年3月 · 크레딧"})
	p.Heading("メンバー")
	p.KeyValues([]KV{{Key: "Opening balance", Value: "1,234.5"}, {Key: "합계 (total)", Value: "99.000000001", Bold: true}})
	p.Table([]Column{{"Member", 40, Left}, {"Amount", 30, Right}})
	p.Row("田中太郎 (Tanaka)", "12.5")
	p.Row("김민수 Kim", "7")
	p.Row("王小明 🚀", "0.5")
	p.Row("とても長い名前のメンバーがここにいます Very long", "1")
	p.TotalRow("合計", "21")
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	txt := pdfText(t, buf.Bytes())
	for _, want := range []string{"株式会社メーター", "2026年3月", "크레딧", "メンバー", "합계 (total)", "田中太郎 (Tanaka)",
		"김민수 Kim", "王小明 ?", "とても長い", "…", "合計", "99.000000001"} {
		if !strings.Contains(txt, want) {
			t.Errorf("pdf text lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "Very long") {
		t.Errorf("a name too wide for its column was not cut:\n%s", txt)
	}

	latin := NewPDF(PDFOptions{Title: "Plain"})
	latin.Row("Jürgen")
	var plain bytes.Buffer
	if err := latin.Output(&plain); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"droidfallback", "nanumsquare"} {
		if !bytes.Contains(buf.Bytes(), []byte(name)) {
			t.Errorf("the CJK document does not embed %s", name)
		}
		if bytes.Contains(plain.Bytes(), []byte(name)) {
			t.Errorf("a Latin-only document embeds %s", name)
		}
	}
}
