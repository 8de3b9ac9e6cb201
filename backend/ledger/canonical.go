package ledger

import "unicode/utf8"

// isCanonical reports whether meta is already exactly what canonicalMeta
// would return for it, checked in one pass without decoding: a JSON object
// with no insignificant space, keys in strictly increasing byte order at
// every level, valid number literals, and strings that encoding/json writes
// byte for byte as they are (printable ASCII other than ", \, <, > and &,
// and valid UTF-8 other than U+2028 and U+2029; any escape sends the meta to
// the full path). false means only "not proven": canonicalMeta then decodes
// and re-encodes it. Callers that marshal their meta from structs with
// fields in key order (chat, the gateway) are served by this path.
func isCanonical(meta []byte) bool {
	c := canonScanner{b: meta}
	return len(meta) > 0 && meta[0] == '{' && c.value(0) && c.i == len(meta)
}

// maxCanonDepth bounds the nesting the fast path follows.
const maxCanonDepth = 32

// canonScanner walks a JSON text for isCanonical.
type canonScanner struct {
	b []byte
	i int
}

func (c *canonScanner) value(depth int) bool {
	if c.i >= len(c.b) || depth > maxCanonDepth {
		return false
	}
	switch ch := c.b[c.i]; {
	case ch == '{':
		return c.object(depth)
	case ch == '[':
		return c.array(depth)
	case ch == '"':
		_, ok := c.str()
		return ok
	case ch == '-' || (ch >= '0' && ch <= '9'):
		return c.number()
	default:
		return c.literal("true") || c.literal("false") || c.literal("null")
	}
}

func (c *canonScanner) object(depth int) bool {
	var prev []byte
	return c.list('}', func(first bool) bool {
		key, ok := c.str()
		if !ok || (!first && string(key) <= string(prev)) || c.i >= len(c.b) || c.b[c.i] != ':' {
			return false
		}
		prev = key
		c.i++
		return c.value(depth + 1)
	})
}

func (c *canonScanner) array(depth int) bool {
	return c.list(']', func(bool) bool { return c.value(depth + 1) })
}

// list reads the items of an object or array (c.i at its opening bracket)
// up to end, with exactly one comma between items.
func (c *canonScanner) list(end byte, item func(first bool) bool) bool {
	c.i++
	for first := true; ; first = false {
		if c.i >= len(c.b) {
			return false
		}
		if c.b[c.i] == end {
			c.i++
			return true
		}
		if !first {
			if c.b[c.i] != ',' {
				return false
			}
			c.i++
		}
		if !item(first) {
			return false
		}
	}
}

// str reads a string that needs no escaping and returns its contents.
func (c *canonScanner) str() ([]byte, bool) {
	if c.i >= len(c.b) || c.b[c.i] != '"' {
		return nil, false
	}
	start := c.i + 1
	for i := start; i < len(c.b); {
		ch := c.b[i]
		switch {
		case ch == '"':
			c.i = i + 1
			return c.b[start:i], true
		case ch < 0x20 || ch == '\\' || ch == '<' || ch == '>' || ch == '&':
			return nil, false
		case ch < utf8.RuneSelf:
			i++
		default:
			r, n := utf8.DecodeRune(c.b[i:])
			if r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
				return nil, false
			}
			i += n
		}
	}
	return nil, false
}

// number reads a JSON number literal (json.Number keeps its text).
func (c *canonScanner) number() bool {
	b, i := c.b, c.i
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	c.i = i
	return true
}

func (c *canonScanner) literal(word string) bool {
	if len(c.b)-c.i >= len(word) && string(c.b[c.i:c.i+len(word)]) == word {
		c.i += len(word)
		return true
	}
	return false
}
