package statements

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"strings"
	"sync"
	"unicode"
)

// fpdf panics when it embeds a rune beyond the font's highest code point
// (emoji, for instance), so text is filtered against the fonts' character
// maps first: each rune is drawn in the first face that has it, and runes
// no face can draw become replacementRune.
const replacementRune = '?'

// Fallback faces for the scripts DejaVu Sans lacks. Chinese, Japanese
// (kanji and kana) and CJK punctuation come from Droid Sans Fallback
// (Apache 2.0, fonts/LICENSE-Droid.txt), Korean Hangul from NanumSquare
// (SIL OFL 1.1, fonts/LICENSE-Nanum.txt). They are parsed, and embedded in
// a document, only when its text needs them.
var (
	//go:embed fonts/DroidSansFallbackFull.ttf
	fontCJK []byte
	//go:embed fonts/NanumSquareR.ttf
	fontHangul []byte
	//go:embed fonts/NanumSquareB.ttf
	fontHangulBold []byte
)

// face is a font family a PDF draws text in: its regular and bold files
// and, read on first use, the runes both have a glyph for.
type face struct {
	family        string
	regular, bold []byte
	once          sync.Once
	runes         map[rune]bool
}

// faces in the order they are tried: DejaVu Sans first (Latin, Greek,
// Cyrillic and most symbols), then the fallbacks. Droid Sans Fallback has
// no bold: its regular glyphs serve both styles.
var faces = []*face{
	{family: fontFamily, regular: fontRegular, bold: fontBold},
	{family: "DroidFallback", regular: fontCJK, bold: fontCJK},
	{family: "NanumSquare", regular: fontHangul, bold: fontHangulBold},
}

// has reports whether both of the face's fonts have a glyph for r.
func (f *face) has(r rune) bool {
	f.once.Do(func() {
		reg, err1 := bmpCmap(f.regular)
		bold, err2 := bmpCmap(f.bold)
		f.runes = map[rune]bool{}
		if err1 != nil || err2 != nil {
			// Cannot happen with the embedded fonts (tested); keep ASCII only.
			for r := rune(32); r < 127; r++ {
				f.runes[r] = true
			}
			return
		}
		for r := range reg {
			if bold[r] {
				f.runes[r] = true
			}
		}
	})
	return f.runes[r]
}

// faceOf returns the index in faces of the first face that draws r, or -1.
// Text in DejaVu's scripts never loads a fallback's character map.
func faceOf(r rune) int {
	if unicode.IsControl(r) {
		return -1 // some fonts map them; drawable shows them as spaces
	}
	for i, f := range faces {
		if f.has(r) {
			return i
		}
	}
	return -1
}

// covered reports whether some face has a glyph for r.
func covered(r rune) bool { return faceOf(r) >= 0 }

// drawable replaces control characters with spaces and runes no face has
// with replacementRune; first reports whether DejaVu Sans (faces[0]) draws
// all of the result, the common case, found in the same pass.
func drawable(s string) (out string, first bool) {
	first = true
	for _, r := range s {
		if unicode.IsControl(r) || !faces[0].has(r) {
			first = false
			break
		}
	}
	if first {
		return s, true
	}
	var b strings.Builder
	first = true
	for _, r := range s {
		switch f := faceOf(r); {
		case unicode.IsControl(r):
			b.WriteRune(' ')
		case f >= 0:
			b.WriteRune(r)
			first = first && f == 0
		default:
			b.WriteRune(replacementRune)
		}
	}
	return b.String(), first
}

// run is a stretch of drawable text in one face (an index in faces).
type run struct {
	text string
	face int
}

// runsOf splits drawable text into runs by face: one run of face 0 for
// text DejaVu draws whole (the common case).
func runsOf(s string) []run {
	var out []run
	start, cur := 0, -1
	for i, r := range s {
		f := faceOf(r)
		if f < 0 {
			f = 0 // not drawable (drawable replaced it): cannot happen
		}
		if f != cur {
			if cur >= 0 {
				out = append(out, run{s[start:i], cur})
			}
			start, cur = i, f
		}
	}
	if cur >= 0 {
		out = append(out, run{s[start:], cur})
	}
	if out == nil {
		out = []run{{"", 0}}
	}
	return out
}

// bmpCmap reads the Unicode BMP character map (platform 3, encoding 1,
// format 4) of a TrueType font: the set of runes with a glyph.
func bmpCmap(ttf []byte) (map[rune]bool, error) {
	errBad := errors.New("malformed TrueType font")
	u16 := func(off int) (int, bool) {
		if off < 0 || off+2 > len(ttf) {
			return 0, false
		}
		return int(binary.BigEndian.Uint16(ttf[off:])), true
	}
	u32 := func(off int) (int, bool) {
		if off < 0 || off+4 > len(ttf) {
			return 0, false
		}
		return int(binary.BigEndian.Uint32(ttf[off:])), true
	}
	numTables, ok := u16(4)
	if !ok {
		return nil, errBad
	}
	cmap := -1
	for i := 0; i < numTables; i++ {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			return nil, errBad
		}
		if string(ttf[rec:rec+4]) == "cmap" {
			cmap, _ = u32(rec + 8)
		}
	}
	if cmap < 0 {
		return nil, errors.New("font has no cmap table")
	}
	n, ok := u16(cmap + 2)
	if !ok {
		return nil, errBad
	}
	sub := -1
	for i := 0; i < n; i++ {
		pid, _ := u16(cmap + 4 + 8*i)
		eid, _ := u16(cmap + 6 + 8*i)
		off, ok := u32(cmap + 8 + 8*i)
		if ok && pid == 3 && eid == 1 {
			sub = cmap + off
		}
	}
	if format, ok := u16(sub); sub < 0 || !ok || format != 4 {
		return nil, errors.New("font has no Unicode BMP cmap (3,1,4)")
	}
	segX2, ok := u16(sub + 6)
	if !ok {
		return nil, errBad
	}
	ends := sub + 14
	starts := ends + segX2 + 2
	deltas := starts + segX2
	ranges := deltas + segX2
	out := map[rune]bool{}
	for i := 0; i < segX2/2; i++ {
		end, ok1 := u16(ends + 2*i)
		start, ok2 := u16(starts + 2*i)
		delta, ok3 := u16(deltas + 2*i)
		ro, ok4 := u16(ranges + 2*i)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return nil, errBad
		}
		for c := start; c <= end && c < 0xFFFF; c++ {
			var gid int
			if ro == 0 {
				gid = (c + delta) & 0xFFFF
			} else {
				g, ok := u16(ranges + 2*i + ro + 2*(c-start))
				if !ok {
					return nil, errBad
				}
				if g != 0 {
					gid = (g + delta) & 0xFFFF
				}
			}
			if gid != 0 {
				out[rune(c)] = true
			}
		}
	}
	return out, nil
}
