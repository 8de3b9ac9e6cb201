package app

import (
	"errors"

	"meterdesk/backend/chat"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/rates"
	"meterdesk/backend/team"
)

// RefusalError is what the window receives for a refused request said in
// plain words: the whole Go text (message, as for any other error) and
// the refusal's own words as a sentence (reason), which the window shows as
// they are (frontend/src/api/errors.ts, BackendError.from).
//
// Field, when the refusal is about one input field of a form, names it as
// the form does (inputerr.About: a model setting's "temperature",
// "maxOutput"…), so that the window marks that field; absent otherwise.
//
// Code, for a refusal the window acts on and not only shows, says which
// (refusalCodes: "changed", "busy", "notfound"), so that the window reads no words of
// the error to tell; absent otherwise. A refusal with a code but no reason
// of its own has reason "", and the window shows its message.
type RefusalError struct {
	Message string `json:"message"`
	Reason  string `json:"reason"`
	Field   string `json:"field,omitempty"`
	Code    string `json:"code,omitempty"`
}

// The codes of RefusalError.
const (
	// CodeChanged: a change refused because what it was made against
	// changed meanwhile (rates.ErrChanged: a rates save over a newer
	// version; team.ErrChanged: a workspace setting someone else changed):
	// the window reads it again, the edits kept.
	CodeChanged = "changed"
	// CodeBusy: a reply is still being written in the conversation
	// (chat.ErrBusy, chat.CodeBusy): the window says to stop it or wait.
	CodeBusy = chat.CodeBusy
	// CodeNotFound: what was asked for is not there, or not the member's
	// (chat.ErrNotFound: a conversation opened by its URL, #/chat/ID): the
	// window says what is missing and the way back, and offers no Retry,
	// which could not help.
	CodeNotFound = "notfound"
)

// refusalCodes are the refusals the window acts on, by their sentinel
// (errors.Is), first match wins.
var refusalCodes = []struct {
	err  error
	code string
}{
	{rates.ErrChanged, CodeChanged},
	{team.ErrChanged, CodeChanged},
	{chat.ErrBusy, CodeBusy},
	{chat.ErrNotFound, CodeNotFound},
}

// refusalCode is err's RefusalError.Code: "" when the window need not act on it.
func refusalCode(err error) string {
	for _, c := range refusalCodes {
		if errors.Is(err, c.err) {
			return c.code
		}
	}
	return ""
}

// FormatError is the Wails ErrorFormatter (main.go): the Go text of err,
// as Wails sends by default, or, when err's chain holds a refusal in plain
// words, a RefusalError carrying that reason too. The window shows the
// reason; it parses no Go text.
//
// A refusal in plain words is an error with a Reason() string: an input
// refused as invalid (inputerr.Error, of a kind such as ledger's "invalid
// amount", team's "invalid input", chat's "invalid chat request"; chat's
// refusals of a model setting), team's ErrNotFound, ErrNotEmpty and
// ErrBusy refusals, a department's refusals for want of funds, a workspace
// change refused as stale (team.ChangedError), gateway.ErrNameTaken. The
// reason sent (inputerr.Reason) is the text without the operations
// wrapped around the refusal, which may name nothing a user knows (a
// transfer's id: "transfer 5d0e…: credits cannot go to user:3: …"), and
// without Go's kind ("invalid amount"), but with the field it is about
// ("credits: amount must be greater than zero") and with any words written
// after it (a wrap's "(give the price explicitly)"), as a sentence
// (inputerr.Sentence: "Credits: amount must be…", but a name it starts with
// as spelt, "alice has no limit for gpt-4o"), which the window shows as
// sent. A refusal the window
// acts on (refusalCode) is a RefusalError with its code, also when it has
// no reason of its own (a rates save over a newer version, a delete while
// a reply is written): the window shows its message as before.
func FormatError(err error) any {
	code := refusalCode(err)
	if r := inputerr.Sentence(err); r != "" {
		return RefusalError{Message: err.Error(), Reason: r, Field: inputerr.Field(err), Code: code}
	}
	if code != "" {
		return RefusalError{Message: err.Error(), Code: code}
	}
	return err.Error()
}
