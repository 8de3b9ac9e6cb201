package statements

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// In a statement of a month with a fall-back day, two charges at 02:30
// local time, an hour apart, print with their offsets in the PDF (the CSV
// has them anyway); the other lines print as before.
func TestStatementPDFTellsRepeatedHourApart(t *testing.T) {
	e := newEnv(t)
	e.setZone(t, "Europe/Berlin") // falls back at 01:00Z on 2024-10-27
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	e.insert(t, []entry{
		{op: "topup", from: "sys:topup", to: "pool", amount: mustMinor("100"), price: 1000, at: at("2024-10-01T08:00:00Z")},
		{op: "usage", from: "pool", to: "sys:usage", amount: mustMinor("1"), model: "a", at: at("2024-10-27T00:30:00Z")}, // 02:30 CEST
		{op: "usage", from: "pool", to: "sys:usage", amount: mustMinor("2"), model: "b", at: at("2024-10-27T01:30:00Z")}, // 02:30 CET
		{op: "usage", from: "pool", to: "sys:usage", amount: mustMinor("4"), model: "c", at: at("2024-10-27T02:30:00Z")}, // 03:30 CET
		{op: "usage", from: "pool", to: "sys:usage", amount: mustMinor("8"), model: "d", at: at("2024-03-31T01:30:00Z")}, // March: not in it
	})
	st, err := e.st.Build(e.ctx, Request{Month: "2024-10"})
	if err != nil {
		t.Fatal(err)
	}
	var pdf bytes.Buffer
	if err := e.st.WritePDF(e.ctx, st, &pdf, nil); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf.Bytes())
	for _, want := range []string{"2024-10-01 10:00 ", "2024-10-27 02:30 +02:00", "2024-10-27 02:30 +01:00", "2024-10-27 03:30 "} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "10:00 +") || strings.Contains(text, "03:30 +") || strings.Contains(text, "…") {
		t.Errorf("a time that is not repeated has an offset, or a date is cut:\n%s", text)
	}
	var csvOut bytes.Buffer
	if err := e.st.WriteCSV(e.ctx, st, &csvOut, nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2024-10-27T02:30:00+02:00", "2024-10-27T02:30:00+01:00"} {
		if !strings.Contains(csvOut.String(), want) {
			t.Errorf("the CSV lacks %q", want)
		}
	}
}
