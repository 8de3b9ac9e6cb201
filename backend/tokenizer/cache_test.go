package tokenizer

import (
	"fmt"
	"strings"
	"testing"
)

// fakeEnc counts runes and records how often it was asked.
type fakeEnc struct{ calls map[string]int }

func (f *fakeEnc) Count(s string) int {
	f.calls[s]++
	return len([]rune(s))
}

func TestCountCacheGenerations(t *testing.T) {
	c := newCountCache()
	f := &fakeEnc{calls: map[string]int{}}
	const history = "a message of the conversation's history"
	for i := 0; i < 3*cacheEntries; i++ {
		// Every "keystroke" counts the history again and a new one-off draft.
		if n := c.count("enc", f, history); n != len(history) {
			t.Fatalf("history counted %d, want %d", n, len(history))
		}
		draft := fmt.Sprintf("draft %d", i)
		if n := c.count("enc", f, draft); n != len(draft) {
			t.Fatalf("draft counted %d", n)
		}
		if cur, old := c.size(); cur > cacheEntries || old > cacheEntries {
			t.Fatalf("cache grew to %d + %d entries", cur, old)
		}
	}
	if f.calls[history] != 1 {
		t.Fatalf("the history was encoded %d times, want once (it must survive generations)", f.calls[history])
	}
	if f.calls["draft 0"] != 1 {
		t.Fatalf("draft 0 encoded %d times", f.calls["draft 0"])
	}
	// A one-off text from two generations ago is gone and counted again.
	c.count("enc", f, "draft 0")
	if f.calls["draft 0"] != 2 {
		t.Fatal("an old one-off text was still cached: the cache is not bounded by generations")
	}
	// The encoding is part of the key.
	c.count("other", f, history)
	if f.calls[history] != 2 {
		t.Fatal("a count of another encoding was served from the cache")
	}
	if c.count("enc", f, "") != 0 {
		t.Fatal("empty text")
	}
}

func TestCountCacheByteBound(t *testing.T) {
	c := newCountCache()
	f := &fakeEnc{calls: map[string]int{}}
	huge := strings.Repeat("x", cacheBytes) // longer than a generation with its key prefix
	for i := 0; i < 2; i++ {
		if n := c.count("enc", f, huge); n != len(huge) {
			t.Fatalf("huge text counted %d", n)
		}
	}
	if f.calls[huge] != 2 {
		t.Fatalf("a text larger than a generation was cached (%d encodes)", f.calls[huge])
	}
	big := strings.Repeat("y", cacheBytes/3)
	for i := 0; i < 4; i++ {
		c.count("enc", f, fmt.Sprint(i)+big)
	}
	if cur, old := c.size(); cur+old > 4 || cur > 2 {
		t.Fatalf("generations hold %d + %d texts of a third of the byte bound each", cur, old)
	}
}
