package ledger

import "testing"

// slowCanonical is canonicalMeta's full path.
func slowCanonical(t testing.TB, meta []byte) (string, bool) {
	t.Helper()
	s, err := reencodeMeta(meta)
	return s, err == nil
}

func TestIsCanonical(t *testing.T) {
	for _, c := range []struct {
		meta string
		want bool
	}{
		{`{}`, true},
		{`{"a":1,"b":"x","c":[1,2.5,-3e-7,true,false,null,{}],"d":{"e":"é ☃"}}`, true},
		{`{"breakdown":{"lines":[{"amount":"0.024","kind":"input"}]},"capped":false}`, true},
		{`{"b":1,"a":2}`, false},            // keys out of order
		{`{"a":1,"a":2}`, false},            // duplicate key
		{`{"a": 1}`, false},                 // space
		{`{"a":"<b>"}`, false},              // Marshal escapes <, >, &
		{`{"a":"x\ny"}`, false},             // any escape takes the full path
		{`{"a":"\u2028"}`, false},           // escaped on output
		{"{\"a\":\"\u2028\"}", false},       // written raw: Marshal escapes it
		{"{\"a\":\"\xff\"}", false},         // invalid UTF-8
		{`{"a":01}`, false},                 // not a number
		{`{"a":1.}`, false},                 // not a number
		{`{"a":-}`, false},                  // not a number
		{`{"a":1}x`, false},                 // trailing data
		{`{"a":[1,]}`, false},               // trailing comma
		{`{"a":tru}`, false},                // bad literal
		{`[1]`, false},                      // not an object
		{`{"a":{"b":{"c":{}}}}`, true},      // nesting
		{`{"a":1E+5,"b":-0,"c":0.5}`, true}, // number texts are kept
	} {
		if got := isCanonical([]byte(c.meta)); got != c.want {
			t.Errorf("isCanonical(%s) = %v, want %v", c.meta, got, c.want)
		}
		if c.want {
			if slow, ok := slowCanonical(t, []byte(c.meta)); !ok || slow != c.meta {
				t.Errorf("%s is called canonical, but the full path gives %q (ok=%v)", c.meta, slow, ok)
			}
		}
	}
}

// FuzzIsCanonical: whatever the fast path accepts, the full path returns
// unchanged, so canonicalMeta gives the same bytes either way.
func FuzzIsCanonical(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1,"b":[true,null,"x"]}`, `{"a":{"b":-1.5e3}}`, `{"b":1,"a":2}`, `{"a":"<"}`, `{"k":"é"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, meta []byte) {
		if !isCanonical(meta) {
			return
		}
		slow, ok := slowCanonical(t, meta)
		if !ok || slow != string(meta) {
			t.Fatalf("fast path accepted %q; full path: %q (ok=%v)", meta, slow, ok)
		}
	})
}
