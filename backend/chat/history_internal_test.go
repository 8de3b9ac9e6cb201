package chat

import (
	"strings"
	"testing"

	"meterdesk/backend/providers"
)

// TestPromptTurnsHistoryWindow: the History setting keeps the last N
// exchanges of those a send carries, counted after the unanswered turns
// are left out (an unanswered turn is no exchange), whole exchanges only,
// so user and assistant turns still alternate; a regenerate's pending turn
// is the new message, always kept; nil is All, as before the setting.
func TestPromptTurnsHistoryWindow(t *testing.T) {
	n := func(v int) *int { return &v }
	u := func(s string) Message { return Message{Role: RoleUser, Content: s} }
	a := func(s string) Message { return Message{Role: RoleAssistant, Content: s} }
	// q1→r1, q2 unanswered (empty reply), q3→r3, q4 no reply, q5→r5.
	long := []Message{u("q1"), a("r1"), u("q2"), a(" "), u("q3"), a("r3"), u("q4"), u("q5"), a("r5")}
	for _, c := range []struct {
		name    string
		msgs    []Message
		pending bool
		history *int
		want    string
	}{
		{"all", long, false, nil, "user:q1 assistant:r1 user:q3 assistant:r3 user:q5 assistant:r5"},
		{"more than there are", long, false, n(10), "user:q1 assistant:r1 user:q3 assistant:r3 user:q5 assistant:r5"},
		{"exactly as many", long, false, n(3), "user:q1 assistant:r1 user:q3 assistant:r3 user:q5 assistant:r5"},
		{"last two: unanswered turns are not counted", long, false, n(2), "user:q3 assistant:r3 user:q5 assistant:r5"},
		{"last one", long, false, n(1), "user:q5 assistant:r5"},
		{"none: only the new message", long, false, n(0), ""},
		{"an empty conversation", nil, false, n(2), ""},
		{"regenerate, last one", []Message{u("q1"), a("r1"), u("q2"), a("r2"), u("q3")}, true, n(1), "user:q2 assistant:r2 user:q3"},
		{"regenerate, none", []Message{u("q1"), a("r1"), u("q2")}, true, n(0), "user:q2"},
		{"regenerate, all", []Message{u("q1"), a("r1"), u("q2")}, true, nil, "user:q1 assistant:r1 user:q2"},
		{"regenerate after an unanswered turn", []Message{u("q1"), a("r1"), u("q2"), a(""), u("q3")}, true, n(1), "user:q1 assistant:r1 user:q3"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := turnsText(promptTurns(c.msgs, c.pending, c.history)); got != c.want {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func turnsText(ms []providers.Message) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.Role + ":" + m.Content
	}
	return strings.Join(parts, " ")
}

// TestParseHistory: the one rule for the CLI and the window; bad input is
// an ErrInvalid that says what to write.
func TestParseHistory(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int // -2: All (nil); -3: refused
	}{
		{"all", -2}, {" ALL ", -2}, {"All", -2}, {"0", 0}, {"1", 1}, {" 12 ", 12}, {"1000", 1000}, {"0007", 7},
		{"", -3}, {"-1", -3}, {"+3", -3}, {"1001", -3}, {"3.0", -3}, {"1e2", -3}, {"three", -3}, {"0x10", -3},
		{"99999999999999999999", -3}, {"1_0", -3}, {"al l", -3},
	} {
		got, err := ParseHistory(c.in)
		switch {
		case c.want == -3:
			if err == nil || !strings.Contains(err.Error(), "write all, or a whole number of exchanges from 0 to 1000") {
				t.Errorf("%q: %v, %v; want refused", c.in, got, err)
			}
		case c.want == -2:
			if err != nil || got != nil {
				t.Errorf("%q: %v, %v; want All", c.in, got, err)
			}
		default:
			if err != nil || got == nil || *got != c.want {
				t.Errorf("%q: %v, %v; want %d", c.in, got, err, c.want)
			}
		}
	}
}
