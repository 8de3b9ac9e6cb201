package statements

import (
	"bytes"
	"encoding/csv"
	"testing"
)

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"hello", "hello"},
		{"=SUM(A1:A2)", "'=SUM(A1:A2)"},
		{"+1+2", "'+1+2"},
		{"-2+3", "'-2+3"},
		{"@cmd", "'@cmd"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"-12.500000001", "-12.500000001"}, // a negative amount stays numeric
		{"-0", "-0"},
		{"-1e5", "'-1e5"},
		{"-.5", "'-.5"},
		{"+5", "'+5"},
		{"12", "12"},
		{"a=b", "a=b"},
	}
	for _, tc := range tests {
		if got := Neutralise(tc.in); got != tc.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCSVWriterRoundTrip(t *testing.T) {
	var b bytes.Buffer
	w := NewCSVWriter(&b)
	row := []string{"Жанна \"Q\", Groß\nline2", "=1+1", "-3.25", "€ 5 🚀"}
	if err := w.Write(row...); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
		t.Errorf("no CRLF: %q", b.String())
	}
	got, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{row[0], "'=1+1", "-3.25", row[3]}
	for i := range want {
		if got[0][i] != want[i] {
			t.Errorf("cell %d = %q, want %q", i, got[0][i], want[i])
		}
	}
}
