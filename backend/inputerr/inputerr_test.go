package inputerr

import (
	"errors"
	"fmt"
	"strings"
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

// TestMoreAndTheGuard: words written after a refusal are its reason's too,
// whether More wrote them or a wrap did (fmt.Errorf("%w (hint)", err)),
// so the window shows the hint; an operation in front is not.
func TestMoreAndTheGuard(t *testing.T) {
	refusal := New(errAmount, "price 0.005 EUR has more than 2 decimal places")
	cases := []struct {
		name         string
		err          error
		text, reason string
	}{
		{"More", fmt.Errorf("top up: %w", More(refusal, " (give the price explicitly)")),
			"top up: invalid amount: price 0.005 EUR has more than 2 decimal places (give the price explicitly)",
			"price 0.005 EUR has more than 2 decimal places (give the price explicitly)"},
		{"More on a field", More(In("price", refusal), " (not %q)", "x"),
			`price: invalid amount: price 0.005 EUR has more than 2 decimal places (not "x")`,
			`price: price 0.005 EUR has more than 2 decimal places (not "x")`},
		{"More on a kind alone", More(New(errAmount, ""), " (not %q)", "x"),
			`invalid amount (not "x")`, `invalid amount (not "x")`},
		{"a wrap with words after", fmt.Errorf("top up: %w", fmt.Errorf("%w (give the price explicitly)", refusal)),
			"top up: invalid amount: price 0.005 EUR has more than 2 decimal places (give the price explicitly)",
			"price 0.005 EUR has more than 2 decimal places (give the price explicitly)"},
		{"a wrap with words after and an error", fmt.Errorf("%w; and the note: %v", refusal, errOther),
			"invalid amount: price 0.005 EUR has more than 2 decimal places; and the note: disk full",
			"price 0.005 EUR has more than 2 decimal places; and the note: disk full"},
		{"an operation only", fmt.Errorf("save package %q: %w", "Starter", refusal),
			`save package "Starter": invalid amount: price 0.005 EUR has more than 2 decimal places`,
			"price 0.005 EUR has more than 2 decimal places"},
		{"a kind alone wrapped", fmt.Errorf("%w (hint)", New(errAmount, "")), "invalid amount (hint)", ""},
		{"no refusal", fmt.Errorf("%w (hint)", errOther), "disk full (hint)", ""},
		{"written into a reason with words after", New(errInput, "%v", fmt.Errorf("%w (not %q)", refusal, "x")),
			`invalid input: invalid amount: price 0.005 EUR has more than 2 decimal places (not "x")`,
			`price 0.005 EUR has more than 2 decimal places (not "x")`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.text {
				t.Errorf("text %q\nwant %q", got, tc.text)
			}
			if got := Reason(tc.err); got != tc.reason {
				t.Errorf("reason %q\nwant %q", got, tc.reason)
			}
			kind := errAmount
			if strings.HasPrefix(tc.name, "written into") {
				kind = errInput // a refusal written into another's reason is not in the chain
			}
			if tc.reason != "" && !errors.Is(tc.err, kind) {
				t.Errorf("%v is not %v", tc.err, kind)
			}
		})
	}
}

// TestAboutNamesTheFieldAndKeepsTheWords: About names the input field a
// refusal is about for the window (Field), through the operations wrapped
// around it and In's or More's words, and changes neither its text (the
// CLI's) nor its reason nor its kind.
func TestAboutNamesTheFieldAndKeepsTheWords(t *testing.T) {
	refusal := New(errInput, "temperature must be a number from 0 to 2")
	cases := []struct {
		name, text, reason, field string
		err                       error
	}{
		{"About", "invalid input: temperature must be a number from 0 to 2", "temperature must be a number from 0 to 2", "temperature",
			fmt.Errorf("update conversation 3: %w", About("temperature", refusal))},
		{"In over About", "settings: invalid input: temperature must be a number from 0 to 2", "settings: temperature must be a number from 0 to 2", "temperature",
			In("settings", About("temperature", refusal))},
		{"More over About", "invalid input: temperature must be a number from 0 to 2 (not 5)", "temperature must be a number from 0 to 2 (not 5)", "temperature",
			More(About("temperature", refusal), " (not 5)")},
		{"the outer field", "invalid input: temperature must be a number from 0 to 2", "temperature must be a number from 0 to 2", "topP",
			About("topP", About("temperature", refusal))},
		{"no field", "invalid input: temperature must be a number from 0 to 2", "temperature must be a number from 0 to 2", "", fmt.Errorf("op: %w", refusal)},
		{"no refusal", "disk full", "", "", fmt.Errorf("%w", errOther)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); !strings.HasSuffix(got, tc.text) {
				t.Errorf("text %q\nwant it to end %q", got, tc.text)
			}
			if got := Reason(tc.err); got != tc.reason {
				t.Errorf("reason %q\nwant %q", got, tc.reason)
			}
			if got := Field(tc.err); got != tc.field {
				t.Errorf("field %q, want %q", got, tc.field)
			}
			if tc.reason != "" && !errors.Is(tc.err, errInput) {
				t.Errorf("%v is not %v", tc.err, errInput)
			}
		})
	}
	if got, want := About("temperature", refusal).Error(), refusal.Error(); got != want {
		t.Errorf("About changed the text: %q, want %q", got, want)
	}
}

// TestTextIsItsOwnWords: a refusal in words of its own is its text and its
// reason, without its kind, which errors.Is still matches; a refusal
// written into it is its reason there, as New writes one.
func TestTextIsItsOwnWords(t *testing.T) {
	for _, tc := range []struct {
		name, text, reason string
		err                error
	}{
		{"words", `model name " x" has leading or trailing spaces`, `model name " x" has leading or trailing spaces`,
			Text(errInput, "model name %q has leading or trailing spaces", " x")},
		{"the kind written by hand", `invalid amount "x": want a number`, `invalid amount "x": want a number`,
			Text(errInput, "%v %q: want a number", errAmount, "x")},
		{"a refusal inside", "model name: invalid amount: r", "model name: r", Text(errInput, "model name: %v", New(errAmount, "r"))},
		{"wrapped in an operation", `add a model: model name is empty`, "model name is empty",
			fmt.Errorf("add a model: %w", Text(errInput, "model name is empty"))},
		{"with a field", `model name is empty`, "model name is empty", About("model", Text(errInput, "model name is empty"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.text {
				t.Errorf("text %q, want %q", got, tc.text)
			}
			if got := Reason(tc.err); got != tc.reason {
				t.Errorf("reason %q, want %q", got, tc.reason)
			}
			if !errors.Is(tc.err, errInput) {
				t.Errorf("%v is not %v", tc.err, errInput)
			}
		})
	}
}

// namedError is a refusal whose reason starts with a name (as team's
// "alice has no limit for gpt-4o").
type namedError struct{ name string }

func (e namedError) Error() string   { return e.name + " has no daily limit" }
func (e namedError) Reason() string  { return e.name + " has no daily limit" }
func (e namedError) NameFirst() bool { return true }
func (e namedError) Unwrap() error   { return errInput }

// TestSentence: the window's words are a sentence the backend makes:
// an ordinary first word capitalised, a code, a value as typed or a name
// the refusal starts with left as spelt, through the wraps that keep the
// reason's start (About, More, New and Text of "%v" first) and not through
// In, whose field comes first.
func TestSentence(t *testing.T) {
	alice := namedError{"alice"}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"ordinary word", New(errAmount, "amount must be greater than zero"), "Amount must be greater than zero"},
		{"word and colon", In("credits", New(errAmount, "")), "Credits: invalid amount"},
		{"a code", New(errInput, "user:3 cannot take the overdraft policy"), "user:3 cannot take the overdraft policy"},
		{"a hyphenated name", New(errInput, "ml-ops has only 5 credits"), "ml-ops has only 5 credits"},
		{"a quoted value", New(errInput, `"1.2.3": not a decimal number`), `"1.2.3": not a decimal number`},
		{"a name", alice, "alice has no daily limit"},
		{"a name wrapped in an operation", fmt.Errorf("remove a limit: %w", alice), "alice has no daily limit"},
		{"a name with words after it", fmt.Errorf("%w (try another)", alice), "alice has no daily limit (try another)"},
		{"a name in New", New(errInput, "%v", alice), "alice has no daily limit"},
		{"a name in Text", Text(errInput, "%v; nothing changed", alice), "alice has no daily limit; nothing changed"},
		{"a name in About", About("member", alice), "alice has no daily limit"},
		{"a name in More", More(alice, " (pick another)"), "alice has no daily limit (pick another)"},
		{"a name after a field", In("member", alice), "Member: alice has no daily limit"},
		{"a name after words", New(errInput, "removing: %v", alice), "Removing: alice has no daily limit"},
		{"no reason", errOther, ""},
	} {
		if got := Sentence(tc.err); got != tc.want {
			t.Errorf("%s: Sentence(%q) = %q, want %q", tc.name, tc.err, got, tc.want)
		}
	}
}
