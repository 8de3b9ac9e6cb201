// Package inputerr is a refused input said in words: a package's "invalid
// …" kind (ledger.ErrInvalidAmount, team.ErrInvalid, chat.ErrInvalid, …),
// which errors.Is still matches, with the reason the input was refused
// and, when the reason is about one field or item, that field.
//
// The CLI prints the Go text, unchanged: "<operation>: invalid amount:
// amount must be greater than zero". The window shows the reason only
// (Reason, which app.FormatError sends beside the text): the operation is
// what its own form or banner says already, and Go's kind is no words for
// a user: "Credits: amount must be greater than zero".
package inputerr

import (
	"errors"
	"fmt"
)

// Error is a refused input. Its text (Error) is the kind, then the reason
// ("invalid request: tax rate "x" must be …"), with the fields it is about
// in front ("credits: invalid amount: …"); its Reason is that text less
// the kind ("credits: amount must be …").
type Error struct {
	kind   error
	text   string
	reason string
	inner  error // In's wrapped error (its chain is this error's); nil for New
}

// New refuses an input of kind with a reason (fmt.Sprintf(format, args...)):
// its text is "<kind>: <reason>", as fmt.Errorf("%w: "+format, kind, args...)
// writes it. An error among args that is a refused input (an *Error, or
// any error with a Reason() string) is written as its text in Error and
// as its reason in Reason, so that a kind wrapped inside the reason ("what
// a credit is worth: invalid amount: …") is no words in the window ("what
// a credit is worth: credit value …").
// An empty format is the kind alone: no reason of its own, which In gives
// a field ("limit -5: invalid amount").
func New(kind error, format string, args ...any) error {
	if format == "" {
		return &Error{kind: kind, text: kind.Error()}
	}
	reasons := make([]any, len(args))
	for i, a := range args {
		reasons[i] = a
		if r := reasonOf(a); r != "" {
			reasons[i] = r
		}
	}
	return &Error{kind: kind, text: kind.Error() + ": " + fmt.Sprintf(format, args...), reason: fmt.Sprintf(format, reasons...)}
}

// In says which field or item a refused input is about: "credits:
// invalid amount: …", whose reason is "credits: amount must be …". A
// refusal with no reason of its own (New(kind, "")) keeps its kind as its
// words: "limit -5: invalid amount". Any other err is written as its text.
// err is in the chain (errors.Is).
func In(field string, err error) error {
	r := reasonOf(err)
	if r == "" {
		r = err.Error()
	}
	var kind error
	var in *Error
	if errors.As(err, &in) {
		kind = in.kind
	}
	return &Error{kind: kind, text: field + ": " + err.Error(), reason: field + ": " + r, inner: err}
}

// Error is the Go text, as the CLI prints it.
func (e *Error) Error() string { return e.text }

// Reason is what the window shows: the text less the kind, or "" for a
// kind alone, which the window shows as its whole text.
func (e *Error) Reason() string { return e.reason }

// Unwrap gives the kind (or In's wrapped error), so that errors.Is(err,
// kind) matches.
func (e *Error) Unwrap() error {
	if e.inner != nil {
		return e.inner
	}
	return e.kind
}

// reasonOf is the reason of v when v is a refusal said in words itself
// (an *Error, or any error with a Reason, such as chat's refusals of a
// model setting), not one wrapped in an operation's words, which the
// reason keeps; else "".
func reasonOf(v any) string {
	if r, ok := v.(interface{ Reason() string }); ok {
		return r.Reason()
	}
	return ""
}
