package statements

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// DejaVu Sans (Bitstream Vera licence, see fonts/LICENSE.txt and
// docs/reports.md) covers Latin, Greek and Cyrillic and the euro sign; the
// fallback faces in glyphs.go add Chinese, Japanese and Korean, so names
// in those scripts render as typed too.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

const (
	fontFamily  = "DejaVu"
	pageMargin  = 15.0 // mm
	bandHeight  = 24.0 // mm, the coloured header band
	rowHeight   = 5.5  // mm
	bodySize    = 9.0  // pt
	nbPageAlias = "{nb}"
)

// Header band colour (the app's accent) and text colours.
var (
	bandRGB = [3]int{31, 78, 121}
	dimRGB  = [3]int{90, 90, 90}
)

// Align is how a table column aligns its text.
type Align string

// Column alignments.
const (
	Left  Align = "L"
	Right Align = "R"
)

// Column is one column of a PDF table: its heading, width in millimetres
// and alignment (amounts align right). Widths and positions are page
// geometry in fpdf's float64 units; amounts reach the PDF only as exact
// decimal strings (money.MinorString), never as floats.
type Column struct {
	Title string
	Width float64
	Align Align
}

// PDF renders a statement-like document: a header band with the logo and
// title on every page, "Page n of m" in the footer, headings, key/value
// blocks and tables whose heading row repeats on each new page. Text is
// UTF-8; control characters (newlines, tabs) are shown as spaces.
type PDF struct {
	f        *fpdf.Fpdf
	title    string
	subtitle string
	logo     []byte
	cols     []Column        // the table being written, if any
	loaded   map[string]bool // fallback fonts added to the document (family+style)
}

// PDFOptions configure a new document.
type PDFOptions struct {
	Title    string    // shown in the header band and as the document title
	Subtitle string    // second line in the band (e.g. the period)
	Created  time.Time // creation date stamped in the file (deterministic output)
	Logo     []byte    // optional PNG logo; a drawn mark is used when empty
}

// NewPDF starts an A4 portrait document with the embedded fonts.
func NewPDF(o PDFOptions) *PDF {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCompression(true)
	f.SetCreationDate(o.Created)
	f.SetModificationDate(o.Created)
	f.SetCatalogSort(true)
	f.SetTitle(cleanText(o.Title), true)
	f.SetCreator("Meterdesk", true)
	f.AddUTF8FontFromBytes(fontFamily, "", fontRegular)
	f.AddUTF8FontFromBytes(fontFamily, "B", fontBold)
	f.SetMargins(pageMargin, bandHeight+8, pageMargin)
	f.SetAutoPageBreak(true, 18)
	f.AliasNbPages(nbPageAlias)
	p := &PDF{f: f, title: cleanText(o.Title), subtitle: cleanText(o.Subtitle), logo: o.Logo}
	if len(p.logo) > 0 {
		f.RegisterImageOptionsReader("logo", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(p.logo))
		if f.Err() {
			// A broken logo must not break the statement: fall back to the drawn mark.
			f.ClearError()
			p.logo = nil
		}
	}
	f.SetHeaderFunc(p.header)
	f.SetFooterFunc(p.footer)
	f.AddPage()
	return p
}

// header draws the band, the logo and the title; a table in progress gets
// its heading row again.
func (p *PDF) header() {
	f := p.f
	w, _ := f.GetPageSize()
	f.SetFillColor(bandRGB[0], bandRGB[1], bandRGB[2])
	f.Rect(0, 0, w, bandHeight, "F")
	if len(p.logo) > 0 {
		f.ImageOptions("logo", pageMargin, 4, 16, 16, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	} else {
		p.drawMark(pageMargin, 4, 16)
	}
	f.SetTextColor(255, 255, 255)
	f.SetFont(fontFamily, "B", 15)
	f.SetXY(pageMargin+20, 5)
	p.cell(w-2*pageMargin-20, 8, p.title, "", 2, Left, false)
	f.SetFont(fontFamily, "", 10)
	f.SetX(pageMargin + 20)
	p.cell(w-2*pageMargin-20, 6, p.subtitle, "", 0, Left, false)
	f.SetTextColor(0, 0, 0)
	f.SetXY(pageMargin, bandHeight+8)
	if p.cols != nil && f.PageNo() > 1 {
		p.tableHeading()
	}
}

// drawMark draws Meterdesk's mark: a white rounded square with a gauge arc
// and a needle, in the band colour.
func (p *PDF) drawMark(x, y, size float64) {
	f := p.f
	f.SetFillColor(255, 255, 255)
	f.RoundedRect(x, y, size, size, 3, "1234", "F")
	f.SetDrawColor(bandRGB[0], bandRGB[1], bandRGB[2])
	f.SetLineWidth(1.2)
	cx, cy, r := x+size/2, y+size*0.68, size*0.32
	f.Arc(cx, cy, r, r, 0, 180, 360, "D")
	f.Line(cx, cy, cx+r*0.65, cy-r*0.75)
	f.SetFillColor(bandRGB[0], bandRGB[1], bandRGB[2])
	f.Circle(cx, cy, 1.1, "F")
	f.SetLineWidth(0.2)
	f.SetDrawColor(0, 0, 0)
}

func (p *PDF) footer() {
	f := p.f
	f.SetY(-12)
	f.SetFont(fontFamily, "", 8)
	f.SetTextColor(dimRGB[0], dimRGB[1], dimRGB[2])
	f.CellFormat(0, 5, fmt.Sprintf("Page %d of %s", f.PageNo(), nbPageAlias), "", 0, "C", false, 0, "")
	f.SetTextColor(0, 0, 0)
}

// Heading writes a bold section heading and ends any table.
func (p *PDF) Heading(s string) {
	p.cols = nil
	p.f.Ln(3)
	p.f.SetFont(fontFamily, "B", 12)
	p.cell(0, 8, s, "", 1, Left, false)
	p.f.SetFont(fontFamily, "", bodySize)
}

// Note writes a paragraph of wrapped text (messages such as "no activity in
// this period"). Text DejaVu draws whole goes through fpdf's MultiCell;
// other text (a Chinese or Korean name in it) is wrapped here and each line
// drawn run by run in the faces that have them, as table cells are.
func (p *PDF) Note(s string) {
	p.cols = nil
	p.f.SetFont(fontFamily, "", bodySize)
	p.f.SetTextColor(dimRGB[0], dimRGB[1], dimRGB[2])
	if s, first := drawable(s); first {
		p.f.MultiCell(0, rowHeight, s, "", "L", false)
	} else {
		pageW, _ := p.f.GetPageSize()
		left, _, right, _ := p.f.GetMargins()
		p.f.SetX(left)
		for _, line := range p.wrap(s, pageW-left-right-2*p.f.GetCellMargin()) {
			p.cell(0, rowHeight, line, "", 1, Left, false)
		}
	}
	p.f.SetTextColor(0, 0, 0)
}

// KeyValues writes label/value pairs, values right-aligned as in a summary
// (opening balance, totals, closing balance). Bold rows are totals.
func (p *PDF) KeyValues(rows []KV) {
	p.cols = nil
	for _, r := range rows {
		style := ""
		if r.Bold {
			style = "B"
		}
		p.f.SetFont(fontFamily, style, bodySize+1)
		p.cell(110, rowHeight+0.5, r.Key, "", 0, Left, false)
		p.cell(70, rowHeight+0.5, r.Value, "", 1, Right, false)
	}
	p.f.SetFont(fontFamily, "", bodySize)
}

// KV is one label/value line of a KeyValues block.
type KV struct {
	Key, Value string
	Bold       bool
}

// Table starts a table with cols; write its rows with Row. The heading row
// repeats at the top of every page the table continues on.
func (p *PDF) Table(cols []Column) {
	p.cols = cols
	p.tableHeading()
}

func (p *PDF) tableHeading() {
	f := p.f
	f.SetFont(fontFamily, "B", bodySize)
	f.SetFillColor(230, 236, 243)
	for _, c := range p.cols {
		p.cell(c.Width, rowHeight+1, c.Title, "B", 0, c.Align, true)
	}
	f.Ln(-1)
	f.SetFont(fontFamily, "", bodySize)
}

// Row writes one table row; text too wide for its column is cut with an
// ellipsis so that every row stays one line.
func (p *PDF) Row(cells ...string) {
	p.row("", cells)
}

// Lines under a table row that carry its note (NotedRow).
const (
	noteSize     = bodySize - 1 // pt
	noteHeight   = 4.5          // mm, one line
	noteMaxLines = 3
)

// NotedRow writes one table row (as Row) and, when note is not empty, the
// note under it: "Note: PO 4711" in smaller, dimmer text from the second
// column to the right margin, wrapped onto at most noteMaxLines lines (the
// last cut with "…"), each line drawn run by run in the faces its text
// needs, as Note does. The row and its note start a new page together
// rather than be split.
func (p *PDF) NotedRow(note string, cells ...string) {
	if note == "" {
		p.row("", cells)
		return
	}
	f := p.f
	left, _, right, _ := f.GetMargins()
	pageW, pageH := f.GetPageSize()
	indent := 0.0
	if len(p.cols) > 1 {
		indent = p.cols[0].Width
	}
	f.SetFont(fontFamily, "", noteSize)
	lines := p.wrap(cleanText("Note: "+note), pageW-left-right-indent-2*f.GetCellMargin())
	if len(lines) > noteMaxLines {
		// The last line takes the rest; cell cuts it to fit with "…".
		lines[noteMaxLines-1] = strings.Join(lines[noteMaxLines-1:], " ")
		lines = lines[:noteMaxLines]
	}
	f.SetFont(fontFamily, "", bodySize)
	if _, bottom := f.GetAutoPageBreak(); f.GetY()+rowHeight+float64(len(lines))*noteHeight > pageH-bottom {
		f.AddPage() // the header repeats the table's heading row
	}
	p.row("", cells)
	f.SetFont(fontFamily, "", noteSize)
	f.SetTextColor(dimRGB[0], dimRGB[1], dimRGB[2])
	for _, l := range lines {
		f.SetX(left + indent)
		p.cell(0, noteHeight, l, "", 1, Left, false)
	}
	f.SetTextColor(0, 0, 0)
	f.SetFont(fontFamily, "", bodySize)
}

// TotalRow writes a bold row with a rule above it.
func (p *PDF) TotalRow(cells ...string) {
	p.f.SetFont(fontFamily, "B", bodySize)
	p.row("T", cells)
	p.f.SetFont(fontFamily, "", bodySize)
}

func (p *PDF) row(border string, cells []string) {
	for i, c := range p.cols {
		s := ""
		if i < len(cells) {
			s = cells[i]
		}
		p.cell(c.Width, rowHeight, s, border, 0, c.Align, false)
	}
	p.f.Ln(-1)
}

// Output writes the finished document to w.
func (p *PDF) Output(w io.Writer) error {
	if err := p.f.Output(w); err != nil {
		return fmt.Errorf("render pdf: %w", err)
	}
	return nil
}

// cleanText makes s drawable in one line: control characters (newlines,
// tabs, NUL, ...) become spaces and runes no embedded font has (emoji)
// become '?'.
func cleanText(s string) string {
	out, _ := drawable(s)
	return out
}
