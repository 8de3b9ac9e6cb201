package chat_test

import (
	"errors"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
)

// TestReasoningNote: the words `meterdesk chat --reasoning` prints on
// standard error when the level sends nothing for the model (the window's
// hint under its Reasoning picker); "" when it does what it asks; a level
// that is none of the five, or no model, is refused (ErrInvalid).
func TestReasoningNote(t *testing.T) {
	e := newEnv(t, nil)
	e.openAI(fake.Script{})
	conv := e.conversation("openai", "gpt-5", "")
	for _, c := range []struct {
		name    string
		conv    int64
		model   string
		level   providers.Reasoning
		want    string
		invalid bool
	}{
		{"off to a model that always reasons", 0, "gpt-5", "off", "gpt-5 always reasons: Reasoning off sends nothing", false},
		{"as typed", 0, "o3-mini", " Off ", "o3-mini always reasons: Reasoning off sends nothing", false},
		{"the conversation's model", conv.ID, "", "off", "gpt-5 always reasons: Reasoning off sends nothing", false},
		{"a model that takes no setting", 0, "gpt-4o", "medium", "Reasoning medium does not apply to gpt-4o: nothing is sent for it", false},
		{"a level it honours", 0, "gpt-5", "high", "", false},
		{"gpt-5.1 turns it off", 0, "gpt-5.1", "off", "", false},
		{"default", 0, "gpt-4o", "default", "", false},
		{"none given", 0, "gpt-4o", "", "", false},
		{"not a level", 0, "gpt-5", "extreme", "", true},
		{"no model", 0, "", "off", "", true},
	} {
		got, err := e.svc.ReasoningNote(adminCtx, c.conv, "", c.model, c.level)
		if got != c.want || errors.Is(err, chat.ErrInvalid) != c.invalid || (err != nil) != c.invalid {
			t.Errorf("%s: %q (%v), want %q (invalid %v)", c.name, got, err, c.want, c.invalid)
		}
	}
}

// TestReasoningNoteRefusalWords: a level that is none of the five is
// refused in chat's words, once, and its reason (what the window shows)
// names the levels and what was given, without Go's kinds.
func TestReasoningNoteRefusalWords(t *testing.T) {
	e := newEnv(t, nil)
	_, err := e.svc.ReasoningNote(adminCtx, 0, "", "gpt-5", "extreme")
	if want := `reasoning note: invalid chat request: reasoning must be default, off, low, medium or high (not "extreme")`; err == nil || err.Error() != want {
		t.Fatalf("err %v\nwant %s", err, want)
	}
	if got, want := inputerr.Reason(err), `reasoning must be default, off, low, medium or high (not "extreme")`; got != want {
		t.Errorf("reason %q\nwant %q", got, want)
	}
}
