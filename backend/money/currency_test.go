package money

import (
	"encoding/json"
	"os"
	"testing"
)

// GroupDecimal writes every currency amount of testdata/currency.json as the
// window's formatCurrencyAmount does (frontend/src/lib/money.test.ts reads
// the same rows).
func TestGroupDecimal(t *testing.T) {
	raw, err := os.ReadFile("testdata/currency.json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		In  *string `json:"in"`
		Out string  `json:"out"`
	}
	if err := json.Unmarshal(raw, &rows); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rows {
		if r.In == nil {
			continue // a comment
		}
		n++
		if got := GroupDecimal(*r.In); got != r.Out {
			t.Errorf("GroupDecimal(%q) = %q, want %q", *r.In, got, r.Out)
		}
	}
	if n < 20 {
		t.Fatalf("only %d cases in testdata/currency.json", n)
	}
}
