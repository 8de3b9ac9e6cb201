package inputerr

import (
	"errors"
	"fmt"
	"testing"
)

var (
	errAmount = errors.New("invalid amount")
	errInput  = errors.New("invalid input")
	errOther  = errors.New("disk full")
)

// levelError is a refusal with a Reason of its own (as chat's and
// providers' refusals of a model setting are).
type levelError struct{}

func (levelError) Error() string {
	return `invalid chat request: this model takes no reasoning level "x"`
}
func (levelError) Reason() string { return `this model takes no reasoning level "x"` }

func TestTextReasonAndKind(t *testing.T) {
	cases := []struct {
		name         string
		err          error
		kind         error
		text, reason string
	}{
		{"a reason", New(errAmount, "amount must be greater than %s", "zero"), errAmount,
			"invalid amount: amount must be greater than zero", "amount must be greater than zero"},
		{"a field", In("credits", New(errAmount, "amount must be greater than zero")), errAmount,
			"credits: invalid amount: amount must be greater than zero", "credits: amount must be greater than zero"},
		{"a kind alone", New(errAmount, ""), errAmount, "invalid amount", ""},
		{"a field over a kind alone", In("limit -5", New(errAmount, "")), errAmount, "limit -5: invalid amount", "limit -5: invalid amount"},
		{"a refusal inside the reason", New(errInput, "what a credit is worth: %v", New(errAmount, "credit value %q must be positive", "-1")), errInput,
			`invalid input: what a credit is worth: invalid amount: credit value "-1" must be positive`,
			`what a credit is worth: credit value "-1" must be positive`},
		{"a refusal of its own type inside the reason", New(errInput, "%v", levelError{}), errInput,
			"invalid input: invalid chat request: this model takes no reasoning level \"x\"", `this model takes no reasoning level "x"`},
		{"another error inside the reason", New(errInput, "the note: %v", errOther), errInput,
			"invalid input: the note: disk full", "the note: disk full"},
		{"a refusal wrapped in an operation inside the reason", New(errInput, "%v", fmt.Errorf("op: %w", New(errAmount, "r"))), errInput,
			"invalid input: op: invalid amount: r", "op: invalid amount: r"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wrapped := fmt.Errorf("save package %q: %w", "Starter", tc.err)
			var e *Error
			if !errors.As(wrapped, &e) {
				t.Fatal("not an *Error")
			}
			if e.Error() != tc.text || e.Reason() != tc.reason {
				t.Errorf("text %q reason %q\nwant %q and %q", e.Error(), e.Reason(), tc.text, tc.reason)
			}
			if !errors.Is(wrapped, tc.kind) {
				t.Errorf("%v is not %v", wrapped, tc.kind)
			}
			if tc.kind == errInput && errors.Is(wrapped, errAmount) {
				t.Errorf("a refusal written inside the reason is in the chain: %v", wrapped)
			}
		})
	}
}
