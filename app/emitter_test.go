package app

import "testing"

// addressedPayload is an events.Addressed payload: "Your wallet …" to
// member 2, "… Ask an admin for credits." to a member, as written to an admin.
type addressedPayload struct{ to int64 }

func (p addressedPayload) WordedFor(reader int64, admin bool) any {
	switch {
	case reader == p.to && !admin:
		return "Your wallet is out of credits. Ask an admin for credits."
	case reader == p.to:
		return "Your wallet is out of credits. Top up or move credits to keep chatting."
	case !admin:
		return "bob's wallet is out of credits. Ask an admin for credits."
	}
	return p
}

// TestEmitterWordsAPayloadForItsReader: the window's toast and desktop
// notification of a notification are worded for whoever is signed in
// (events.Addressed.WordedFor gets their id and role): "Your wallet" to
// the wallet's owner, a member's words to a member; nobody signed in, or a
// payload not addressed, get it as written.
func TestEmitterWordsAPayloadForItsReader(t *testing.T) {
	type who struct {
		id        int64
		admin, ok bool
	}
	for _, c := range []struct {
		name    string
		reader  *who
		payload any
		want    any
	}{
		{"bob, a member, reads his wallet's", &who{2, false, true}, addressedPayload{to: 2}, "Your wallet is out of credits. Ask an admin for credits."},
		{"an admin reads their own wallet's", &who{2, true, true}, addressedPayload{to: 2}, "Your wallet is out of credits. Top up or move credits to keep chatting."},
		{"alice, an admin, reads bob's", &who{1, true, true}, addressedPayload{to: 2}, addressedPayload{to: 2}},
		{"carol, a member, reads one for her", &who{3, false, true}, addressedPayload{to: 2}, "bob's wallet is out of credits. Ask an admin for credits."},
		{"nobody signed in", &who{0, false, false}, addressedPayload{to: 2}, addressedPayload{to: 2}},
		{"no reader set", nil, addressedPayload{to: 2}, addressedPayload{to: 2}},
		{"not addressed", &who{2, false, true}, "Research is running low", "Research is running low"},
	} {
		e := &Emitter{}
		if r := c.reader; r != nil {
			e.SetReader(func() (int64, bool, bool) { return r.id, r.admin, r.ok })
		}
		if got := e.worded(c.payload); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
