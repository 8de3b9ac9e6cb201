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
	"strings"
)

// Error is a refused input. Its text (Error) is the kind, then the reason
// ("invalid request: tax rate "x" must be …"), with the fields it is about
// in front ("credits: invalid amount: …"); its Reason is that text less
// the kind ("credits: amount must be …").
type Error struct {
	kind   error
	text   string
	reason string
	inner  error  // In's wrapped error (its chain is this error's); nil for New
	field  string // About's input field ("temperature"); "" when none named
	// nameFirst: the reason starts with a name (a member's sign-in name, a
	// department's), which Sentence never re-cases; taken from the
	// refusal the reason starts with (NameFirst).
	nameFirst bool
}

// New refuses an input of kind with a reason (fmt.Sprintf(format, args...)):
// its text is "<kind>: <reason>", as fmt.Errorf("%w: "+format, kind, args...)
// writes it. An error among args that is a refused input (an *Error, or
// any error with a Reason() string) is written as its text in Error and
// as its reason in Reason, so that a kind wrapped inside the reason ("what
// a credit is worth: invalid amount: …") is no words in the window ("what
// a credit is worth: credit value …").
// An empty format is the kind alone: no reason of its own, which In gives
// a field ("limit: invalid amount"). A reason of its own reads better in
// the window than a kind: "limit -5 is negative".
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
	return &Error{kind: kind, text: kind.Error() + ": " + fmt.Sprintf(format, args...), reason: fmt.Sprintf(format, reasons...),
		nameFirst: startsWithArg(format, args)}
}

// startsWithArg reports whether a reason written by format starts with
// args[0] written whole ("%v", "%s") and args[0] is a refusal whose
// reason starts with a name (NameFirst).
func startsWithArg(format string, args []any) bool {
	return len(args) > 0 && (strings.HasPrefix(format, "%v") || strings.HasPrefix(format, "%s")) && nameFirstOf(args[0])
}

// Text refuses an input of kind in words of its own, which are its whole
// text and its reason (fmt.Sprintf(format, args...), as New writes its
// reason): the kind is matched (errors.Is) but not written. It is for a
// refusal whose words were never "<kind>: <reason>" and must stay as they
// are (the CLI prints them): "model name \" x\" has leading or trailing
// spaces", "invalid month \"2025-13\": want YYYY-MM, e.g. 2025-03".
func Text(kind error, format string, args ...any) error {
	reasons := make([]any, len(args))
	for i, a := range args {
		reasons[i] = a
		if r := reasonOf(a); r != "" {
			reasons[i] = r
		}
	}
	return &Error{kind: kind, text: fmt.Sprintf(format, args...), reason: fmt.Sprintf(format, reasons...), nameFirst: startsWithArg(format, args)}
}

// In says which field or item a refused input is about: "credits:
// invalid amount: …", whose reason is "credits: amount must be …". A
// refusal with no reason of its own (New(kind, "")) keeps its kind as its
// words: "limit: invalid amount". Any other err is written as its text.
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

// About says which input field a refused input is about, by the name the
// window's form knows it by (the JSON name of the field: "temperature",
// "maxOutput"), so that the window marks that field and no other; its
// text and reason are err's, unchanged, for they name the field in words
// already ("invalid chat request: temperature must be a number from 0 to
// 2"), where In writes the field in front. err is in the chain
// (errors.Is). Field reads it back.
func About(field string, err error) error {
	var kind error
	var in *Error
	if errors.As(err, &in) {
		kind = in.kind
	}
	return &Error{kind: kind, text: err.Error(), reason: reasonOf(err), inner: err, field: field, nameFirst: nameFirstOf(err)}
}

// Field is the input field a refusal in err's chain is about, as About
// named it ("temperature"); "" when none names one. app.FormatError sends
// it beside the reason, and the window marks that field.
func Field(err error) string {
	var e *Error
	for errors.As(err, &e) {
		if e.field != "" {
			return e.field
		}
		if e.inner == nil {
			return ""
		}
		err = e.inner
	}
	return ""
}

// Error is the Go text, as the CLI prints it.
func (e *Error) Error() string { return e.text }

// Reason is what the window shows: the text less the kind, or "" for a
// kind alone, which the window shows as its whole text.
func (e *Error) Reason() string { return e.reason }

// NameFirst reports whether the reason starts with a name, which Sentence
// leaves as it is spelt.
func (e *Error) NameFirst() bool { return e.nameFirst }

// Unwrap gives the kind (or In's wrapped error), so that errors.Is(err,
// kind) matches.
func (e *Error) Unwrap() error {
	if e.inner != nil {
		return e.inner
	}
	return e.kind
}

// More is the refused input err with more words after its reason (a hint
// or what was given: More(err, " (give the price explicitly)")): its text
// is err's text and then the words, its reason err's reason and then the
// same words, and err stays in the chain (errors.Is). Wrapping a refusal
// as fmt.Errorf("%w (hint)", err) would keep the hint out of the window's
// words, were it not for Reason's guard.
func More(err error, format string, args ...any) error {
	tail := fmt.Sprintf(format, args...)
	r := reasonOf(err)
	if r == "" {
		r = err.Error()
	}
	var kind error
	var in *Error
	if errors.As(err, &in) {
		kind = in.kind
	}
	return &Error{kind: kind, text: err.Error() + tail, reason: r + tail, inner: err, nameFirst: nameFirstOf(err)}
}

// Reason is the window's words for err: the Reason of the first refusal
// said in words in its chain (an *Error, or any error with a Reason()
// string), without the operations written in front of it, but with
// whatever err's text says after the refusal's own text (a wrap such as
// fmt.Errorf("%w (give the price explicitly)", refusal) or "%w; %v": those
// words are the reason's too, not an operation's). "" when err holds no
// refusal, or one with no reason of its own (a kind alone).
func Reason(err error) string {
	var r interface {
		error
		Reason() string
	}
	if !errors.As(err, &r) || r.Reason() == "" {
		return ""
	}
	return r.Reason() + tailAfter(err.Error(), r.Error())
}

// Sentence is Reason(err) as the window shows it, a sentence (app.FormatError
// sends it, and the window re-cases nothing): its first letter capitalised
// when its first word is an ordinary lower-case word of Go's own ("credits
// cannot go…", "move its 2 members…", "overdraft: "abc": not a decimal
// number", "the Research department is archived"), never when it is a code,
// a number, a value as typed ("user:3 cannot take…", "ml-ops has only…",
// ""1.2.3": not a decimal number") or a name the refusal says it starts
// with (NameFirst: "alice has no limit for gpt-4o", "department of Physics
// is archived"). "" when Reason is.
func Sentence(err error) string {
	reason := Reason(err)
	if reason == "" {
		return ""
	}
	var r interface {
		error
		Reason() string
	}
	if errors.As(err, &r) && nameFirstOf(r) {
		return reason
	}
	first, _, _ := strings.Cut(reason, " ")
	if !ordinaryWord(first) {
		return reason
	}
	return strings.ToUpper(reason[:1]) + reason[1:]
}

// ordinaryWord reports whether w is lower-case ASCII letters, with a
// ':', ',' or ';' after them: a word a sentence may capitalise.
func ordinaryWord(w string) bool {
	if n := len(w); n > 0 && strings.ContainsRune(":,;", rune(w[n-1])) {
		w = w[:n-1]
	}
	if w == "" {
		return false
	}
	for _, c := range w {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// nameFirstOf reports whether v is a refusal whose reason starts with a
// name (its NameFirst), or an error that starts with such a refusal's
// text (a wrap with words after it only).
func nameFirstOf(v any) bool {
	if n, ok := v.(interface{ NameFirst() bool }); ok {
		return n.NameFirst()
	}
	err, ok := v.(error)
	if !ok {
		return false
	}
	var r interface {
		error
		NameFirst() bool
	}
	return errors.As(err, &r) && r.NameFirst() && strings.HasPrefix(err.Error(), r.Error())
}

// tailAfter is what text says after own, the text of an error in its
// chain: "" when text ends with own (or does not hold it at all).
func tailAfter(text, own string) string {
	if own == "" || strings.HasSuffix(text, own) {
		return ""
	}
	i := strings.LastIndex(text, own)
	if i < 0 {
		return ""
	}
	return text[i+len(own):]
}

// reasonOf is the reason of v when v is a refusal said in words itself
// (an *Error, or any error with a Reason, such as chat's refusals of a
// model setting), or a refusal with words after it only (fmt.Errorf("%w
// (not %q)", refusal, s): its reason and those words); not one wrapped in
// an operation's words, which the reason keeps as text; else "".
func reasonOf(v any) string {
	if r, ok := v.(interface{ Reason() string }); ok {
		return r.Reason()
	}
	err, ok := v.(error)
	if !ok {
		return ""
	}
	var r interface {
		error
		Reason() string
	}
	if errors.As(err, &r) && r.Reason() != "" && strings.HasPrefix(err.Error(), r.Error()) {
		return r.Reason() + strings.TrimPrefix(err.Error(), r.Error())
	}
	return ""
}
