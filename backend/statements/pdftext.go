package statements

import "strings"

// Drawing one line of text in a cell: in DejaVu Sans when it has every
// rune (the common case, one fpdf cell), else run by run in the faces that
// have them (glyphs.go), each fallback font added to the document on first
// use. Widths, heights and font sizes here are page geometry in fpdf's
// float64 units; amounts arrive as exact decimal strings and are only drawn.

// minNumberSize is the smallest font size (points) a number shrinks to.
const minNumberSize = 4

// ellipsis ends text cut to fit its cell; DejaVu Sans has it.
const ellipsis = "…"

// cell writes s in a cell width millimetres wide (0: to the right margin).
// Left-aligned text (names, notes) is cut with "…" to fit; right-aligned
// text is an amount or a count and is never cut: its font shrinks until it
// fits, so every digit of an exact amount is printed.
func (p *PDF) cell(width, height float64, s, border string, ln int, align Align, fill bool) {
	if width == 0 {
		pageW, _ := p.f.GetPageSize()
		_, _, right, _ := p.f.GetMargins()
		width = pageW - right - p.f.GetX()
	}
	s, first := drawable(s)
	max := width - 2*p.f.GetCellMargin()
	size, _ := p.f.GetFontSize()
	if first { // the common case, as fpdf draws it
		if align != Right {
			s = p.fitFirstFace(s, max)
		} else {
			for pt := size; p.f.GetStringWidth(s) > max && pt > minNumberSize; {
				pt -= 0.5
				p.f.SetFontSize(pt)
			}
		}
		p.f.CellFormat(width, height, s, border, ln, string(align), fill, 0, "")
		p.restoreSize(size)
		return
	}
	runs := runsOf(s)
	if align != Right {
		runs = p.fit(runs, max)
	} else {
		for pt := size; p.width(runs) > max && pt > minNumberSize; {
			pt -= 0.5
			p.f.SetFontSize(pt)
		}
	}
	p.mixedCell(width, height, runs, border, ln, align, fill)
	p.restoreSize(size)
}

// restoreSize sets the font size back to size after a number shrank
// (each change writes to the page, so only then).
func (p *PDF) restoreSize(size float64) {
	if now, _ := p.f.GetFontSize(); now != size {
		p.f.SetFontSize(size)
	}
}

// mixedCell draws the cell's border and fill, then each run in its face,
// and leaves the position where fpdf's CellFormat would (ln 0: right of
// the cell; 1: start of the next line; 2: below the cell).
func (p *PDF) mixedCell(width, height float64, runs []run, border string, ln int, align Align, fill bool) {
	f := p.f
	total := p.width(runs)
	// The empty cell first: it may start a new page, so the row's place
	// is read after it.
	f.CellFormat(width, height, "", border, 0, "", fill, 0, "")
	x, y := f.GetX()-width, f.GetY()
	margin := f.GetCellMargin()
	tx := x + margin
	if align == Right {
		tx = x + width - margin - total
	}
	f.SetCellMargin(0)
	for _, r := range runs {
		w := p.inFace(r.face, func() float64 {
			w := f.GetStringWidth(r.text)
			f.SetXY(tx, y)
			f.CellFormat(w, height, r.text, "", 0, "L", false, 0, "")
			return w
		})
		tx += w
	}
	f.SetCellMargin(margin)
	switch ln {
	case 1:
		left, _, _, _ := f.GetMargins()
		f.SetXY(left, y+height)
	case 2:
		f.SetXY(x, y+height)
	default:
		f.SetXY(x+width, y)
	}
}

// width is the width of runs in millimetres, each in its face, at the
// current style and size.
func (p *PDF) width(runs []run) float64 {
	if len(runs) == 1 && runs[0].face == 0 {
		return p.f.GetStringWidth(runs[0].text)
	}
	total := 0.0
	for _, r := range runs {
		total += p.inFace(r.face, func() float64 { return p.f.GetStringWidth(r.text) })
	}
	return total
}

// fit cuts runs so they fit in max millimetres, ending them with "…".
func (p *PDF) fit(runs []run, max float64) []run {
	if p.width(runs) <= max {
		return runs
	}
	room := max - p.f.GetStringWidth(ellipsis)
	var out []run
	for _, r := range runs {
		var n int
		room -= p.inFace(r.face, func() float64 {
			var used float64
			n, used = p.fitting(r.text, room)
			return used
		})
		if n > 0 {
			out = append(out, run{r.text[:n], r.face})
		}
		if n < len(r.text) {
			break
		}
	}
	if len(out) > 0 && out[len(out)-1].face == 0 {
		out[len(out)-1].text += ellipsis
	} else {
		out = append(out, run{ellipsis, 0})
	}
	return out
}

// fitFirstFace is fit for text DejaVu draws whole.
func (p *PDF) fitFirstFace(s string, max float64) string {
	if p.f.GetStringWidth(s) <= max {
		return s
	}
	n, _ := p.fitting(s, max-p.f.GetStringWidth(ellipsis))
	return s[:n] + ellipsis
}

// fitting returns the length in bytes of the longest start of text that is
// at most room millimetres wide in the current font, and its width: one
// pass, a rune at a time (fpdf's widths add up, with no kerning).
func (p *PDF) fitting(text string, room float64) (n int, used float64) {
	for i, c := range text {
		w := p.f.GetStringWidth(string(c))
		if used+w > room {
			return i, used
		}
		used += w
	}
	return len(text), used
}

// inFace calls fn with the current font switched to faces[i] (same style
// and size), adding that face's font to the document first if needed.
func (p *PDF) inFace(i int, fn func() float64) float64 {
	if i == 0 {
		return fn()
	}
	f := p.f
	family, style := f.GetFontFamily(), f.GetFontStyle()
	size, _ := f.GetFontSize()
	fc := faces[i]
	bold := style == "B"
	key := fc.family + style
	if !p.loaded[key] {
		if p.loaded == nil {
			p.loaded = map[string]bool{}
		}
		data := fc.regular
		if bold {
			data = fc.bold
		}
		f.AddUTF8FontFromBytes(fc.family, style, data)
		p.loaded[key] = true
	}
	f.SetFont(fc.family, style, size)
	w := fn()
	f.SetFont(family, style, size)
	return w
}

// wrap splits drawable text into lines at most max millimetres wide, each
// rune measured in the face that draws it: lines break at spaces, and a
// word wider than a line (Chinese and Japanese have no spaces) between
// runes.
func (p *PDF) wrap(s string, max float64) []string {
	wide := func(t string) bool { return p.width(runsOf(t)) > max }
	var lines []string
	line := ""
	for _, word := range strings.Split(s, " ") {
		if line != "" && !wide(line+" "+word) {
			line += " " + word
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		line = word
		for wide(line) {
			n := 0
			for i := range line {
				if i > 0 && wide(line[:i]) {
					break
				}
				n = i
			}
			if n == 0 { // not even one rune fits: cell cuts it
				break
			}
			lines = append(lines, line[:n])
			line = line[n:]
		}
	}
	return append(lines, line)
}
