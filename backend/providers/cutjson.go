package providers

import (
	"encoding/json"
	"unicode/utf8"
)

// closeJSON makes a JSON document of prefix, the start of a longer one
// (a whole answer read up to the limit, watch.tooLong): it is cut back to
// the last point where a document can end there, and the arrays and
// objects still open are closed. That point is the end of the last whole
// value or an opening bracket; or, when prefix ends inside a string that is
// a value (not an object's key), the last whole character of that string,
// which is then closed: a reply cut inside its text keeps the text up to
// the cut. A number or a literal (true, false, null) at the very end may
// be cut short, so it goes, with its key. ok is false when nothing can be
// kept (prefix does not start with an array or an object) or when prefix
// is not the start of a JSON document. The result is a new slice.
func closeJSON(prefix []byte) (doc []byte, ok bool) {
	var stack []jsonFrame
	safe, safeDepth := -1, 0 // where a document can end, and how many frames are open there
	mark := func(i int) { safe, safeDepth = i, len(stack) }
	n := len(prefix)
	i := 0
scan:
	for i < n {
		switch c := prefix[i]; c {
		case ' ', '\t', '\r', '\n', ':':
			i++
		case ',':
			if len(stack) > 0 && stack[len(stack)-1].open == '{' {
				stack[len(stack)-1].key = true
			}
			i++
		case '{', '[':
			stack = append(stack, jsonFrame{open: c, key: c == '{'})
			i++
			mark(i)
		case '}', ']':
			if len(stack) == 0 {
				break scan
			}
			stack = stack[:len(stack)-1]
			i++
			mark(i)
			if len(stack) == 0 {
				break scan // the whole document
			}
		case '"':
			isKey := len(stack) > 0 && stack[len(stack)-1].key
			end, last := scanString(prefix, i)
			if end < 0 { // prefix ends inside this string
				if isKey || len(stack) == 0 {
					break scan
				}
				out := make([]byte, 0, last+1+len(stack))
				out = append(append(out, prefix[:last]...), '"')
				return closeFrames(out, stack, len(stack))
			}
			i = end
			if isKey {
				stack[len(stack)-1].key = false
			} else {
				mark(i)
			}
		default: // a number or a literal: whole only when something follows it
			j := i
			for j < n && isScalarByte(prefix[j]) {
				j++
			}
			if j == i || j == n {
				break scan
			}
			i = j
			mark(i)
		}
	}
	if safe < 0 {
		return nil, false
	}
	return closeFrames(append([]byte(nil), prefix[:safe]...), stack, safeDepth)
}

// jsonFrame is an array or an object closeJSON has seen open.
type jsonFrame struct {
	open byte // '{' or '['
	// key: an object that expects a key (after '{' or ','), so the next
	// string is one.
	key bool
}

// closeFrames appends to out the closing brackets of the first depth
// frames of stack, innermost first, and checks that the result is JSON.
func closeFrames(out []byte, stack []jsonFrame, depth int) ([]byte, bool) {
	for k := depth - 1; k >= 0; k-- {
		if stack[k].open == '{' {
			out = append(out, '}')
		} else {
			out = append(out, ']')
		}
	}
	if !json.Valid(out) {
		return nil, false
	}
	return out, true
}

// scanString reads the JSON string that starts at b[i] (its opening quote).
// end is the index after its closing quote, or -1 when b ends first; last
// is then the end of its last whole character (an escape sequence or a
// UTF-8 character cut by the end of b is not whole, nor is the escaped
// high surrogate of a pair whose low half b cuts off or lacks: \ud83d
// alone decodes as U+FFFD, not as the start of \ud83d\ude00, 😀, which
// vLLM and llama-cpp-python write so).
func scanString(b []byte, i int) (end, last int) {
	j := i + 1
	for j < len(b) {
		switch c := b[j]; {
		case c == '"':
			return j + 1, j
		case c == '\\':
			w := 2
			if j+1 < len(b) && b[j+1] == 'u' {
				w = 6
			}
			if j+w > len(b) {
				return -1, j
			}
			if w == 6 && highSurrogateEscape(b[j:j+6]) && lowHalfCut(b[j+6:]) {
				return -1, j
			}
			j += w
		case c < utf8.RuneSelf:
			j++
		default:
			if !utf8.FullRune(b[j:]) {
				return -1, j
			}
			_, w := utf8.DecodeRune(b[j:])
			j += w
		}
	}
	return -1, j
}

// highSurrogateEscape reports whether esc, a \uXXXX escape, is the first
// half of a surrogate pair (U+D800 to U+DBFF).
func highSurrogateEscape(esc []byte) bool {
	v := 0
	for _, h := range esc[2:6] {
		switch {
		case h >= '0' && h <= '9':
			v = v<<4 | int(h-'0')
		case h >= 'a' && h <= 'f':
			v = v<<4 | int(h-'a'+10)
		case h >= 'A' && h <= 'F':
			v = v<<4 | int(h-'A'+10)
		default:
			return false
		}
	}
	return v >= 0xd800 && v <= 0xdbff
}

// lowHalfCut reports whether rest, what follows an escaped high surrogate
// up to the end of the prefix, is shorter than an escape and may be the
// start of the escape of its low half: the end of the prefix cut the pair.
// A high surrogate followed by anything else (a character, a whole escape,
// the closing quote) is alone in the whole text too.
func lowHalfCut(rest []byte) bool {
	if len(rest) >= 6 {
		return false
	}
	for k, h := range rest {
		switch k {
		case 0:
			if h != '\\' {
				return false
			}
		case 1:
			if h != 'u' {
				return false
			}
		default:
			if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
				return false
			}
		}
	}
	return true
}

// isScalarByte reports whether c can be part of a JSON number or literal.
func isScalarByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == '-' || c == '+' || c == '.' || c >= 'A' && c <= 'Z'
}
