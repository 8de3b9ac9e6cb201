package statements

import (
	"bytes"
	"encoding/csv"
	"errors"
	"math"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/csvcell"
	"meterdesk/backend/money"
)

// TestAppendMinorEqualsMinorString checks the CSV's allocation-free amount
// formatting against money.MinorString on edge and random values.
func TestAppendMinorEqualsMinorString(t *testing.T) {
	edges := []int64{0, 1, -1, 9, 10, 100, 999_999_999, -999_999_999, 1_000_000_000, -1_000_000_000,
		1_000_000_001, -1_000_000_001, 1_500_000_000, -1_500_000_000, 12_500_000_001, -12_500_000_001,
		120_000_000_000, 100_000_000, 10_000_000, -10, money.MaxMinor, -money.MaxMinor,
		money.MaxMinor - 1, math.MaxInt64, math.MinInt64, math.MinInt64 + 1}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		v := r.Int64N(money.MaxMinor)
		if r.IntN(2) == 0 {
			v = -v
		}
		switch r.IntN(3) { // trailing zeros in the fraction are the interesting cases
		case 0:
			v -= v % 1_000_000
		case 1:
			v %= 1_000_000_000_000
		}
		edges = append(edges, v)
	}
	for _, v := range edges {
		if got, want := string(appendMinor(nil, v)), money.MinorString(v); got != want {
			t.Fatalf("appendMinor(%d) = %q, MinorString = %q", v, got, want)
		}
	}
	// It appends: what was in dst stays.
	if got := string(appendMinor([]byte("x="), -1)); got != "x=-0.000000001" {
		t.Errorf("append = %q", got)
	}
}

// TestIsStrictDecimalMatchesRule compares the hand-written check with the
// documented regular expression.
func TestIsStrictDecimalMatchesRule(t *testing.T) {
	re := regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)
	cases := []string{"", "-", "0", "-0", "12", "-12.5", "-12.", "-.5", ".5", "1.2.3", "-1e5", "+5", "--1",
		"-1 ", " 1", "1,5", "-3.25", "٣", "-0.000000001", "5.", "-5.0"}
	r := rand.New(rand.NewPCG(3, 4))
	const alphabet = "-0123.9e+ "
	for range 20000 {
		var b strings.Builder
		for range r.IntN(6) {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		cases = append(cases, b.String())
	}
	for _, s := range cases {
		if got, want := csvcell.IsStrictDecimal(s), re.MatchString(s); got != want {
			t.Fatalf("IsStrictDecimal(%q) = %v, regexp says %v", s, got, want)
		}
	}
}

// TestCSVWriterMatchesEncodingCSV checks that the buffer-appending writer
// writes exactly what encoding/csv (UseCRLF) writes for the neutralised
// cells, on awkward and random cells.
func TestCSVWriterMatchesEncodingCSV(t *testing.T) {
	rows := [][]string{
		{""}, {"", ""}, {`\.`}, {" lead"}, {"\u00a0nbsp"}, {"\tx"}, {"\rx"}, {"a\rb"}, {"a\r\nb"}, {"a\nb"},
		{`"`}, {`=HYPERLINK("x")`}, {"-1,5"}, {"-\n"}, {"@\"x\""}, {"+,"}, {"Jürgen", "Дмитрий", "🚀"},
		{"-12.5", "-1e5", "+5", "=1+1"},
	}
	r := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"a", " ", "\t", "\r", "\n", "\"", ",", "=", "+", "-", "@", "1", ".", "\\", "é", "🚀", "\u2028", "'"}
	for range 5000 {
		row := make([]string, 1+r.IntN(4))
		for i := range row {
			var b strings.Builder
			for range r.IntN(5) {
				b.WriteString(pieces[r.IntN(len(pieces))])
			}
			row[i] = b.String()
		}
		rows = append(rows, row)
	}
	var got, want bytes.Buffer
	w := NewCSVWriter(&got)
	ref := csv.NewWriter(&want)
	ref.UseCRLF = true
	for _, row := range rows {
		if err := w.Write(row...); err != nil {
			t.Fatal(err)
		}
		neut := make([]string, len(row))
		for i, s := range row {
			neut[i] = csvcell.Neutralise(s)
		}
		if err := ref.Write(neut); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	ref.Flush()
	if got.String() != want.String() {
		g, wt := got.String(), want.String()
		i := 0
		for i < len(g) && i < len(wt) && g[i] == wt[i] {
			i++
		}
		t.Fatalf("outputs differ at byte %d: got %q, want %q", i, g[max(0, i-20):min(len(g), i+20)], wt[max(0, i-20):min(len(wt), i+20)])
	}
	if w.Rows() != int64(len(rows)) {
		t.Errorf("Rows = %d, want %d", w.Rows(), len(rows))
	}
}

// TestCSVWriterTypedCells checks the typed cells against their string forms.
func TestCSVWriterTypedCells(t *testing.T) {
	var b bytes.Buffer
	w := NewCSVWriter(&b)
	ts := time.Date(2025, 3, 2, 10, 0, 0, 999_000_000, time.FixedZone("x", 3600))
	w.Int(-42)
	w.IntOrEmpty(0)
	w.IntOrEmpty(7)
	w.Minor(-12_500_000_001)
	w.Time(ts)
	w.Text("-x")
	if err := w.End(); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "-42,,7,-12.500000001," + ISOTime(ts, nil) + ",'-x\r\n"
	if b.String() != want || ISOTime(ts, nil) != "2025-03-02T09:00:00Z" {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	// In the workspace's zone: its local time with the offset of that day.
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	w = NewCSVWriter(&b).InZone(berlin)
	w.Time(ts)
	w.Time(time.Date(2025, 7, 1, 22, 0, 0, 0, time.UTC))
	if err := w.End(); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "2025-03-02T10:00:00+01:00,2025-07-02T00:00:00+02:00\r\n" || ISOTime(ts, berlin) != "2025-03-02T10:00:00+01:00" {
		t.Errorf("in Europe/Berlin: %q", got)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestCSVWriterReportsWriteError: a failing output is reported, not lost.
func TestCSVWriterReportsWriteError(t *testing.T) {
	w := NewCSVWriter(failWriter{})
	long := strings.Repeat("x", csvFlushAt)
	if err := w.Write(long); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Write = %v, want the disk error", err)
	}
	w = NewCSVWriter(failWriter{})
	if err := w.Write("a"); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err == nil {
		t.Error("Flush hid the write error")
	}
}
