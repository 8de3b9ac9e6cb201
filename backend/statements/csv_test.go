package statements

import (
	"bytes"
	"encoding/csv"
	"testing"
)

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
