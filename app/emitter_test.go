package app

import "testing"

// addressedPayload is an events.Addressed payload: "Your wallet …" to
// member 2, "bob's wallet …" to anyone else.
type addressedPayload struct{ to int64 }

func (p addressedPayload) Addressee() int64 { return p.to }
func (p addressedPayload) ToAddressee() any { return "Your wallet is running low" }

// TestEmitterWordsAPayloadForItsAddressee: the window's toast and desktop
// notification of a notification about a member's own wallet say "Your
// wallet" while that member is signed in; an admin (anyone else), nobody
// signed in, or a payload addressed to no one (0, which isSignedIn would
// take for whoever is signed in) get it as written.
func TestEmitterWordsAPayloadForItsAddressee(t *testing.T) {
	bobSignedIn := func(id int64) bool { return id == 0 || id == 2 }
	aliceSignedIn := func(id int64) bool { return id == 0 || id == 1 }
	for _, c := range []struct {
		name    string
		owner   func(int64) bool
		payload any
		want    any
	}{
		{"bob reads his wallet's", bobSignedIn, addressedPayload{to: 2}, "Your wallet is running low"},
		{"alice reads bob's", aliceSignedIn, addressedPayload{to: 2}, addressedPayload{to: 2}},
		{"nobody signed in", nil, addressedPayload{to: 2}, addressedPayload{to: 2}},
		{"addressed to no one", bobSignedIn, addressedPayload{to: 0}, addressedPayload{to: 0}},
		{"not addressed", bobSignedIn, "Research is running low", "Research is running low"},
	} {
		e := &Emitter{}
		if c.owner != nil {
			e.SetOwner(c.owner)
		}
		if got := e.worded(c.payload); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
