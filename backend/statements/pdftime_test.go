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

// The PDF's "Generated" and a current month's "… covers activity up to …"
// read in the workspace zone to the minute, as its lines and the
// Statements page say them ("2025-05-02 14:00"), not as RFC 3339
// ("2025-05-02T14:00:00+02:00", which the PDF printed before); the CSV
// keeps RFC 3339 for scripts.
func TestStatementPDFSaysGeneratedAsItsLines(t *testing.T) {
	for _, c := range []struct {
		zone, local, rfc string
	}{
		{"UTC", "2025-05-02 12:00", "2025-05-02T12:00:00Z"}, // fixedNow
		{"Europe/Berlin", "2025-05-02 14:00", "2025-05-02T14:00:00+02:00"},
		{"America/Los_Angeles", "2025-05-02 05:00", "2025-05-02T05:00:00-07:00"},
	} {
		t.Run(c.zone, func(t *testing.T) {
			e := newEnv(t)
			e.setZone(t, c.zone)
			st, err := e.st.Build(e.ctx, Request{Month: "2025-05"})
			if err != nil {
				t.Fatal(err)
			}
			rows, pdf := e.statementFiles(t, st)
			for _, want := range []string{"Generated", c.local, "covers activity up to " + c.local + "."} {
				if !strings.Contains(pdf, want) {
					t.Errorf("the PDF lacks %q:\n%.900s", want, pdf)
				}
			}
			if strings.Contains(pdf, c.rfc) || strings.Contains(pdf, "T12:00") {
				t.Errorf("the PDF still has an RFC 3339 time:\n%.900s", pdf)
			}
			if got := csvMessage(rows); !strings.Contains(got, "up to "+c.rfc+".") {
				t.Errorf("CSV message %q, want RFC 3339 %s", got, c.rfc)
			}
		})
	}
}

func TestReadableTimes(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ in, want string }{
		{"up to 2025-05-02T12:00:00Z.", "up to 2025-05-02 14:00."},
		{"2025-05-02T12:00:00.123456789Z", "2025-05-02 14:00"},
		{"at 2024-10-27T02:30:00+02:00 and 2024-10-27T02:30:00+01:00", "at 2024-10-27 02:30 +02:00 and 2024-10-27 02:30 +01:00"}, // the hour that happens twice
		{"no time here", "no time here"},
		{"2025-13-45T99:00:00Z", "2025-13-45T99:00:00Z"}, // not a time: left as it is
	} {
		if got := readableTimes(c.in, berlin); got != c.want {
			t.Errorf("readableTimes(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
