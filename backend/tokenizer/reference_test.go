package tokenizer

import (
	"sync"
	"testing"

	"github.com/pkoukk/tiktoken-go"
	tiktoken_loader "github.com/pkoukk/tiktoken-go-loader"
)

// The tests and benchmarks compare Encoder with tiktoken-go's own encoder
// (the one the package used before, quadratic in a piece's length), read
// from the same embedded ranks.
var (
	refMu   sync.Mutex
	refEncs = map[string]*tiktoken.Tiktoken{}
)

func init() { tiktoken.SetBpeLoader(tiktoken_loader.NewOfflineLoader()) }

// reference returns tiktoken-go's encoder for the named encoding.
func reference(tb testing.TB, name string) *tiktoken.Tiktoken {
	tb.Helper()
	refMu.Lock()
	defer refMu.Unlock()
	if e, ok := refEncs[name]; ok {
		return e
	}
	e, err := tiktoken.GetEncoding(name)
	if err != nil {
		tb.Fatal(err)
	}
	refEncs[name] = e
	return e
}
