package tokenizer

import (
	"encoding/base64"
	"math/rand"
	"strings"
)

// Long inputs for the benchmarks and the tests of long pre-tokenizer pieces:
// what a user may paste into the composer (messages are accepted up to
// 1,000,000 bytes).

// longInput returns about n bytes of the named kind of text: "a" (one run of
// a single letter: one pre-tokenizer piece), "base64" (of random bytes),
// "prose" (English) or "js" (minified JavaScript).
func longInput(kind string, n int) string {
	var s string
	switch kind {
	case "a":
		return strings.Repeat("a", n)
	case "base64":
		r := rand.New(rand.NewSource(int64(n)))
		raw := make([]byte, n*3/4+3)
		r.Read(raw)
		s = base64.StdEncoding.EncodeToString(raw)
	case "prose":
		s = repeatTo(proseSample, n)
	case "js":
		s = repeatTo(minifiedJSSample, n)
	default:
		panic("longInput: unknown kind " + kind)
	}
	if len(s) > n {
		s = s[:n]
	}
	return s
}

func repeatTo(s string, n int) string { return strings.Repeat(s, n/len(s)+1) }

const proseSample = `Meterdesk meters every message a team sends to a model. Before a message is sent, the
composer estimates what it may cost: the prompt is counted with the model's own tokenizer where one is
public, and with a documented approximation where it is not. The send then holds the highest cost the
reply could reach, and settles the hold against the provider's reported usage once the stream ends.
When a stream is cut short, what was delivered is counted instead, so that nobody pays for text they
never received. It's simple, isn't it? Well, mostly: rates change, members leave, and departments
overspend; the ledger records all of it, twice, in credits that never drift by a rounding error.

`

const minifiedJSSample = `!function(e,t){"object"==typeof exports&&"undefined"!=typeof module?module.exports=t():"function"==typeof define&&define.amd?define(t):(e="undefined"!=typeof globalThis?globalThis:e||self).Meter=t()}(this,function(){"use strict";var e=Object.defineProperty,t=(t,n,r)=>n in t?e(t,n,{enumerable:!0,configurable:!0,writable:!0,value:r}):t[n]=r;function n(e){return e&&e.__esModule&&Object.prototype.hasOwnProperty.call(e,"default")?e.default:e}const r=/^[A-Za-z0-9+\/]{4,}={0,2}$/,o=e=>Math.max(0,Math.min(1e6,0|e));class i{constructor(e,n){t(this,"credits",0),this.id=e,this.rate=n||1.25e-4}charge(e){return this.credits+=o(e)*this.rate,this}}return{Wallet:i,isB64:e=>r.test(e),n:n}});`
