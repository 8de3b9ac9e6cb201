package tokenizer

import "sync"

// countCache remembers the token counts of long texts, so that the
// composer's live estimate (which recounts the whole conversation on every
// keystroke) only tokenizes the message being typed. Bounded: it is cleared
// when full.
type countCache struct {
	mu    sync.Mutex
	m     map[string]int
	bytes int
}

const (
	cacheMinLen  = 256      // shorter texts are cheaper to count than to hash
	cacheEntries = 4096     // entries kept before the cache is cleared
	cacheBytes   = 32 << 20 // total key bytes kept before the cache is cleared
)

var counts = countCache{m: map[string]int{}}

// count returns the token count of text in encoding enc, via the cache.
func (c *countCache) count(enc string, e interface{ EncodeOrdinary(string) []int }, text string) int {
	if len(text) < cacheMinLen {
		return len(e.EncodeOrdinary(text))
	}
	key := enc + "\x00" + text
	c.mu.Lock()
	n, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return n
	}
	n = len(e.EncodeOrdinary(text))
	c.mu.Lock()
	if len(c.m) >= cacheEntries || c.bytes+len(key) > cacheBytes {
		clear(c.m)
		c.bytes = 0
	}
	if len(key) <= cacheBytes {
		c.m[key] = n
		c.bytes += len(key)
	}
	c.mu.Unlock()
	return n
}
