package tokenizer

import "sync"

// countCache remembers token counts, so that a send (which recounts the
// whole conversation) and the composer's live estimate (which recounts it on
// every keystroke) only tokenize the text that is new. Encoding is costly
// even for short texts (~24 µs for a 36-byte sentence, ~2.7 µs for a role
// name, against ~20 ns for a map hit), so every text is cached.
//
// It keeps two generations: new counts go into cur; when cur is full it
// becomes old and a new cur starts; a hit in old is copied back into cur.
// Texts counted again and again (the conversation's history, role names)
// therefore survive a stream of one-off texts (a draft being typed), and at
// most two generations are ever held.
type countCache struct {
	mu       sync.Mutex
	cur, old map[string]int
	bytes    int // key bytes in cur
}

const (
	cacheEntries = 4096     // entries per generation
	cacheBytes   = 16 << 20 // key bytes per generation; longer texts are not cached
)

var counts = newCountCache()

func newCountCache() *countCache { return &countCache{cur: map[string]int{}} }

// count returns the token count of text in encoding enc, via the cache.
func (c *countCache) count(enc string, e interface{ Count(string) int }, text string) int {
	if text == "" {
		return 0
	}
	key := enc + "\x00" + text
	c.mu.Lock()
	n, ok := c.cur[key]
	if !ok {
		if n, ok = c.old[key]; ok {
			c.putLocked(key, n)
		}
	}
	c.mu.Unlock()
	if ok {
		return n
	}
	n = e.Count(text)
	c.mu.Lock()
	c.putLocked(key, n)
	c.mu.Unlock()
	return n
}

// putLocked stores key in cur, starting a new generation first when cur is
// full. A key longer than a whole generation is not stored.
func (c *countCache) putLocked(key string, n int) {
	if len(key) > cacheBytes {
		return
	}
	if len(c.cur) >= cacheEntries || c.bytes+len(key) > cacheBytes {
		c.old, c.cur, c.bytes = c.cur, make(map[string]int, len(c.cur)), 0
	}
	if _, ok := c.cur[key]; !ok {
		c.bytes += len(key)
	}
	c.cur[key] = n
}

// size returns the entries held in both generations (tests).
func (c *countCache) size() (cur, old int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.cur), len(c.old)
}
