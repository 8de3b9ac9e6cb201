package tokenizer

import (
	"fmt"

	"github.com/dlclark/regexp2"
	tiktoken_loader "github.com/pkoukk/tiktoken-go-loader"
)

// Encoder is one tiktoken encoding (o200k_base or cl100k_base): the BPE
// ranks embedded by tiktoken-go-loader and the encoding's pre-tokenizer
// pattern. It produces the same tokens as tiktoken-go's EncodeOrdinary
// (TestEncoderMatchesTiktokenGo compares them), in time near-linear in the
// text's length.
//
// Why not tiktoken-go's own encoder: its byte-pair merge scans the whole
// pre-tokenizer piece for the lowest-ranked pair at every merge and deletes
// from the middle of a slice, which is quadratic in the piece's length. A
// piece is a run of characters with no break (letters, punctuation or
// spaces), so a pasted base64 blob without padding, a long run of one
// letter, a line of dashes or a long indented blank took minutes: 0.5 s for
// 20 kB of "a", ~10 minutes for 1 MB (docs/benchmarks.md). Here the merge
// keeps the pairs in a heap and the parts in a linked list: O(n log n) for a
// piece of n bytes, with exactly the same merges (lowest rank first, the
// leftmost of equal ranks), so every count is unchanged.
type Encoder struct {
	name  string
	ranks map[string]int // token bytes -> rank (= token id)
	pat   *regexp2.Regexp
}

// The encodings' pre-tokenizer patterns, as tiktoken (and tiktoken-go
// v0.1.8's encoding.go) defines them.
const (
	o200kPattern = `[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?` +
		`|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?` +
		`|\p{N}{1,3}` +
		`| ?[^\s\p{L}\p{N}]+[\r\n/]*` +
		`|\s*[\r\n]+` +
		`|\s+(?!\S)` +
		`|\s+`
	cl100kPattern = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
)

// newEncoder builds the named encoding from the embedded ranks (nothing is
// downloaded: the offline loader reads the copy compiled into the binary).
func newEncoder(name string) (*Encoder, error) {
	var pattern string
	switch name {
	case O200kBase:
		pattern = o200kPattern
	case Cl100kBase:
		pattern = cl100kPattern
	default:
		return nil, fmt.Errorf("tokenizer: unsupported encoding %q", name)
	}
	ranks, err := tiktoken_loader.NewOfflineLoader().LoadTiktokenBpe(name + ".tiktoken")
	if err != nil {
		return nil, fmt.Errorf("tokenizer: load %s: %w", name, err)
	}
	pat, err := regexp2.Compile(pattern, regexp2.None)
	if err != nil {
		return nil, fmt.Errorf("tokenizer: %s pattern: %w", name, err)
	}
	return &Encoder{name: name, ranks: ranks, pat: pat}, nil
}

// EncodeOrdinary returns the tokens of text, special-token markers such as
// "<|endoftext|>" being ordinary text (as tiktoken's encode_ordinary).
func (e *Encoder) EncodeOrdinary(text string) []int {
	var out []int
	e.each(text, func(piece string) {
		if tok, ok := e.ranks[piece]; ok {
			out = append(out, tok)
			return
		}
		out = e.appendMerged(out, []byte(piece))
	})
	return out
}

// Count returns len(EncodeOrdinary(text)) without building the tokens.
func (e *Encoder) Count(text string) int {
	n := 0
	var m merger
	e.each(text, func(piece string) {
		if _, ok := e.ranks[piece]; ok {
			n++
			return
		}
		n += m.merge([]byte(piece), e.ranks)
	})
	return n
}

// each calls f with every pre-tokenizer piece of text, in order. Like
// tiktoken-go, the text is matched as runes (invalid UTF-8 reads as U+FFFD).
func (e *Encoder) each(text string, f func(piece string)) {
	runes := []rune(text)
	// The error is a match timeout, and no timeout is set.
	m, _ := e.pat.FindRunesMatch(runes)
	for m != nil {
		f(string(runes[m.Index : m.Index+m.Length]))
		m, _ = e.pat.FindNextMatch(m)
	}
}

// appendMerged appends the tokens of one piece (not itself a token).
func (e *Encoder) appendMerged(out []int, piece []byte) []int {
	var m merger
	m.merge(piece, e.ranks)
	for p := int32(0); p < int32(len(piece)); p = m.next[p] {
		out = append(out, e.ranks[string(piece[p:m.next[p]])])
	}
	return out
}

// merger runs the byte-pair merge of one piece. Parts are named by the
// offset of their first byte: next[p] is where part p ends (len(piece) for
// the last), prev[p] where the part before it starts (-1 for the first);
// rank[p] is the rank of part p joined with the part after it (-1: not a
// token, or p is the last part). The heap holds candidate merges packed as
// rank<<32|p, so the smallest is the lowest rank and, among equal ranks, the
// leftmost: the merge tiktoken's quadratic scan picks. A heap entry whose
// rank no longer matches rank[p] (p was merged away or its pair changed) is
// stale and skipped: ranks are unique per byte string and a part only grows,
// so a current pair cannot share its rank with an older one.
type merger struct {
	next, prev, rank []int32
	heap             []uint64
}

// merge merges piece (len >= 2) and returns the number of parts (tokens)
// left; m.next then links them.
func (m *merger) merge(piece []byte, ranks map[string]int) int {
	n := int32(len(piece))
	m.next = grow(m.next, n)
	m.prev = grow(m.prev, n)
	m.rank = grow(m.rank, n)
	m.heap = m.heap[:0]
	pairRank := func(start, end int32) int32 {
		if r, ok := ranks[string(piece[start:end])]; ok {
			return int32(r)
		}
		return -1
	}
	for p := int32(0); p < n; p++ {
		m.next[p], m.prev[p], m.rank[p] = p+1, p-1, -1
		if p+2 <= n {
			if r := pairRank(p, p+2); r >= 0 {
				m.rank[p] = r
				m.push(uint64(r)<<32 | uint64(p))
			}
		}
	}
	parts := int(n)
	for len(m.heap) > 0 {
		top := m.pop()
		r, p := int32(top>>32), int32(uint32(top))
		if m.rank[p] != r {
			continue // stale
		}
		// Join p with the part after it, q.
		q := m.next[p]
		m.next[p] = m.next[q]
		if m.next[p] < n {
			m.prev[m.next[p]] = p
		}
		m.rank[q] = -1 // q is gone: its heap entries are stale
		parts--
		m.rank[p] = -1
		if end := m.next[p]; end < n {
			if r := pairRank(p, m.next[end]); r >= 0 {
				m.rank[p] = r
				m.push(uint64(r)<<32 | uint64(p))
			}
		}
		if pp := m.prev[p]; pp >= 0 {
			m.rank[pp] = -1
			if r := pairRank(pp, m.next[p]); r >= 0 {
				m.rank[pp] = r
				m.push(uint64(r)<<32 | uint64(pp))
			}
		}
	}
	return parts
}

func grow(s []int32, n int32) []int32 {
	if int32(cap(s)) < n {
		return make([]int32, n)
	}
	return s[:n]
}

// push and pop keep m.heap a binary min-heap.
func (m *merger) push(v uint64) {
	h := append(m.heap, v)
	i := len(h) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if h[parent] <= v {
			break
		}
		h[i] = h[parent]
		i = parent
	}
	h[i] = v
	m.heap = h
}

func (m *merger) pop() uint64 {
	h := m.heap
	top := h[0]
	last := h[len(h)-1]
	h = h[:len(h)-1]
	i := 0
	for {
		c := 2*i + 1
		if c >= len(h) {
			break
		}
		if c+1 < len(h) && h[c+1] < h[c] {
			c++
		}
		if last <= h[c] {
			break
		}
		h[i] = h[c]
		i = c
	}
	if len(h) > 0 {
		h[i] = last
	}
	m.heap = h
	return top
}
