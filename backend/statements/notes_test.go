package statements

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// noteMeta is a top-up's or transfer's meta with note, as the ledger and
// departments write it.
func noteMeta(t *testing.T, note string) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"currency": "EUR", "note": note, "packageId": 0, "price": "10.00", "taxRate": "0"})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A top-up's note ("PO 4711") is printed with its line, in the statement
// CSV's note column (neutralised like every cell) and under its row in the
// PDF — Chinese and Korean as typed, a long one cut after three lines — and
// a transfer's note likewise; rows without one leave it empty.
func TestStatementShowsTransactionNotes(t *testing.T) {
	e := newEnv(t)
	mar := time.Date(2025, 3, 2, 12, 0, 0, 0, time.UTC)
	var long []string
	for i := 1; i <= 80; i++ {
		long = append(long, fmt.Sprintf("ref%02d", i))
	}
	notes := map[string]string{
		"po":      "PO 4711",
		"cjk":     "発注書 4711 김민수 für Jürgen",
		"formula": `=HYPERLINK("http://x","PO")`,
		"long":    strings.Join(long, " ") + " TAILEND",
		"move":    "Q2 budget for R&D",
	}
	e.insert(t, []entry{
		{op: "topup", from: "sys:topup", to: "pool", amount: mustMinor("100"), price: 1000, meta: noteMeta(t, notes["po"]), at: mar},
		{op: "usage", from: "pool", to: "sys:usage", amount: mustMinor("1"), user: 1, model: "gpt-4o", at: mar.Add(time.Hour)},
		{op: "topup", from: "sys:topup", to: "pool", amount: mustMinor("200"), price: 2000, meta: noteMeta(t, notes["cjk"]), at: mar.Add(2 * time.Hour)},
		{op: "topup", from: "sys:topup", to: "pool", amount: mustMinor("300"), price: 3000, meta: noteMeta(t, notes["formula"]), at: mar.Add(3 * time.Hour)},
		{op: "topup", from: "sys:topup", to: "pool", amount: mustMinor("400"), price: 4000, meta: noteMeta(t, notes["long"]), at: mar.Add(4 * time.Hour)},
		{op: "topup", from: "sys:topup", to: "pool", amount: mustMinor("500"), price: 5000, meta: noteMeta(t, ""), at: mar.Add(5 * time.Hour)},
		{op: "transfer", from: "pool", to: "dept:1", amount: mustMinor("50"), meta: `{"by":"alice","note":"Q2 budget for R&D"}`, at: mar.Add(6 * time.Hour)},
	})

	st, err := e.st.Build(e.ctx, Request{Month: "2025-03"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := e.st.WriteCSV(e.ctx, st, &b, nil); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	old := []string{"section", "date", "id", "type", "description", "member", "department", "model", "amount", "balance", "count"}
	if !slices.Equal(recs[0], append(old, "note", "member_id", "department_id")) {
		t.Fatalf("header %v: want the old columns in their order, then note, member_id and department_id", recs[0])
	}
	var got []string // the transactions' notes, in order
	for _, r := range recs[1:] {
		if r[0] == "transaction" {
			got = append(got, r[11]+"|"+r[3])
		} else if r[11] != "" {
			t.Errorf("a %s row has a note: %v", r[0], r)
		}
	}
	want := []string{"PO 4711|topup", "|usage", notes["cjk"] + "|topup", "'" + notes["formula"] + "|topup", notes["long"] + "|topup", "|topup"}
	if !slices.Equal(got, want) {
		t.Errorf("transaction notes\n got %q\nwant %q", got, want)
	}

	var pdf bytes.Buffer
	if err := e.st.WritePDF(e.ctx, st, &pdf, nil); err != nil {
		t.Fatal(err)
	}
	raw := pdfText(t, pdf.Bytes())
	flat := strings.Join(strings.Fields(raw), " ")
	// Each note right after its own line, before the next one.
	order := []string{"2025-03-02 12:00 Top-up", "Note: PO 4711", "2025-03-02 13:00 Usage", "2025-03-02 14:00 Top-up",
		"Note: " + notes["cjk"], "2025-03-02 15:00 Top-up", "Note: " + notes["formula"], "2025-03-02 16:00 Top-up",
		"Note: ref01 ref02", "2025-03-02 17:00 Top-up"}
	at := 0
	for _, w := range order {
		i := strings.Index(flat[at:], w)
		if i < 0 {
			t.Fatalf("the PDF lacks %q after offset %d:\n%s", w, at, raw)
		}
		at += i + len(w)
	}
	if strings.Count(flat, "Note:") != 4 || strings.Contains(flat, "??") {
		t.Errorf("want four notes, none drawn as ??:\n%s", raw)
	}
	longLines := 0
	for _, l := range strings.Split(raw, "\n") {
		if strings.Contains(l, "ref") {
			longLines++
		}
	}
	if longLines != noteMaxLines || strings.Contains(raw, "TAILEND") || !strings.Contains(raw, "…") {
		t.Errorf("the long note is on %d lines (want %d, cut with …):\n%s", longLines, noteMaxLines, raw)
	}
	for _, font := range []string{"droidfallback", "nanumsquare"} {
		if !bytes.Contains(pdf.Bytes(), []byte(font)) {
			t.Errorf("a note in Chinese and Korean does not embed %s", font)
		}
	}

	// The department's statement shows the transfer's note.
	st, err = e.st.Build(e.ctx, Request{Month: "2025-03", DepartmentID: 1})
	if err != nil {
		t.Fatal(err)
	}
	rows, flat := e.statementFiles(t, st)
	n := 0
	for _, r := range rows {
		if r["section"] == "transaction" {
			n++
			if r["type"] != "in" || r["note"] != notes["move"] {
				t.Errorf("department transaction %v", r)
			}
		}
	}
	if n != 1 || !strings.Contains(flat, "Transfer in Workspace pool 50.00 50.00 Note: "+notes["move"]) {
		t.Errorf("%d transactions; PDF:\n%s", n, flat)
	}
}

// A row and its note are never split across pages: no page starts with a
// note under the repeated table heading.
func TestPDFNoteStaysWithItsRow(t *testing.T) {
	p := NewPDF(PDFOptions{Title: "Notes"})
	p.Table([]Column{{"Date", 44, Left}, {"Type", 22, Left}, {"Detail", 50, Left}, {"Credits", 32, Right}, {"Balance", 32, Right}})
	for i := 0; i < 120; i++ {
		note := ""
		if i%2 == 1 {
			note = strings.Repeat(fmt.Sprintf("note%03d ", i), 40) // three lines
		}
		p.NotedRow(note, fmt.Sprintf("row%03d", i), "Top-up", "", "1", "1")
	}
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(pdfText(t, b.Bytes()), "\f")
	if len(pages) < 4 {
		t.Fatalf("%d pages, want several", len(pages))
	}
	for i, page := range pages {
		lines := strings.Split(page, "\n")
		for j, l := range lines {
			if strings.Contains(l, "Balance") { // the heading: the next text line is a row
				for _, next := range lines[j+1:] {
					if strings.TrimSpace(next) == "" {
						continue
					}
					if !strings.Contains(next, "row") {
						t.Errorf("page %d starts with %q, not a row", i+1, next)
					}
					break
				}
				break
			}
		}
	}
	flat := strings.Join(strings.Fields(strings.Join(pages, " ")), " ")
	if !strings.Contains(flat, "row119 Top-up 1 1 Note: note119 note119") {
		t.Errorf("the last row and its note:\n%s", flat)
	}
}
