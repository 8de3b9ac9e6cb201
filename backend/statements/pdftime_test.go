package statements

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// PDFTime adds the UTC offset to exactly the local times that occur twice
// (the repeated hour when the clocks go back), and to no other: a
// spring-forward day, zones without DST and UTC print as before.
func TestPDFTime(t *testing.T) {
	for _, c := range []struct {
		zone, utc, want string
	}{
		// Europe/Berlin falls back at 01:00Z on 2026-10-25: 03:00 CEST -> 02:00 CET.
		{"Europe/Berlin", "2026-10-24T23:59:00Z", "2026-10-25 01:59"},
		{"Europe/Berlin", "2026-10-25T00:00:00Z", "2026-10-25 02:00 +02:00"},
		{"Europe/Berlin", "2026-10-25T00:30:00Z", "2026-10-25 02:30 +02:00"},
		{"Europe/Berlin", "2026-10-25T00:59:59Z", "2026-10-25 02:59 +02:00"},
		{"Europe/Berlin", "2026-10-25T01:00:00Z", "2026-10-25 02:00 +01:00"},
		{"Europe/Berlin", "2026-10-25T01:30:00Z", "2026-10-25 02:30 +01:00"},
		{"Europe/Berlin", "2026-10-25T01:59:59Z", "2026-10-25 02:59 +01:00"},
		{"Europe/Berlin", "2026-10-25T02:00:00Z", "2026-10-25 03:00"},
		{"Europe/Berlin", "2026-10-25T12:00:00Z", "2026-10-25 13:00"},
		{"Europe/Berlin", "2026-07-01T10:00:00Z", "2026-07-01 12:00"},
		// Spring forward at 01:00Z on 2026-03-29: 02:00 CET -> 03:00 CEST (02:xx never happens).
		{"Europe/Berlin", "2026-03-29T00:59:00Z", "2026-03-29 01:59"},
		{"Europe/Berlin", "2026-03-29T01:00:00Z", "2026-03-29 03:00"},
		{"Europe/Berlin", "2026-03-29T01:30:00Z", "2026-03-29 03:30"},
		// New York falls back at 06:00Z on 2026-11-01: 02:00 EDT -> 01:00 EST.
		{"America/New_York", "2026-11-01T04:59:00Z", "2026-11-01 00:59"},
		{"America/New_York", "2026-11-01T05:30:00Z", "2026-11-01 01:30 -04:00"},
		{"America/New_York", "2026-11-01T06:30:00Z", "2026-11-01 01:30 -05:00"},
		{"America/New_York", "2026-11-01T07:00:00Z", "2026-11-01 02:00"},
		// Lord Howe Island goes back half an hour (02:00 +11 -> 01:30 +10:30 at 15:00Z).
		{"Australia/Lord_Howe", "2026-04-04T14:20:00Z", "2026-04-05 01:20"},
		{"Australia/Lord_Howe", "2026-04-04T14:40:00Z", "2026-04-05 01:40 +11:00"},
		{"Australia/Lord_Howe", "2026-04-04T15:10:00Z", "2026-04-05 01:40 +10:30"},
		{"Australia/Lord_Howe", "2026-04-04T15:30:00Z", "2026-04-05 02:00"},
		// No DST at all.
		{"Asia/Tokyo", "2026-10-25T00:30:00Z", "2026-10-25 09:30"},
		{"Asia/Kolkata", "2026-10-25T01:30:00Z", "2026-10-25 07:00"},
		{"UTC", "2026-10-25T00:30:00Z", "2026-10-25 00:30"},
		{"", "2026-10-25T01:30:00Z", "2026-10-25 01:30"}, // nil location: UTC
	} {
		var loc *time.Location
		if c.zone != "" {
			var err error
			if loc, err = time.LoadLocation(c.zone); err != nil {
				t.Fatal(err)
			}
		}
		at, err := time.Parse(time.RFC3339, c.utc)
		if err != nil {
			t.Fatal(err)
		}
		if got := PDFTime(at, loc); got != c.want {
			t.Errorf("PDFTime(%s in %s) = %q, want %q", c.utc, c.zone, got, c.want)
		}
	}
}

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
