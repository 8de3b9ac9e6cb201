package app

import "meterdesk/backend/inputerr"

// RefusalError is what the window receives for a refused request said in
// plain words: the whole Go text (message, as for any other error) and
// the refusal's own words (reason), which the window shows
// (frontend/src/api/errors.ts, BackendError.from).
//
// Field, when the refusal is about one input field of a form, names it as
// the form does (inputerr.About: a model setting's "temperature",
// "maxOutput"…), so that the window marks that field; absent otherwise.
type RefusalError struct {
	Message string `json:"message"`
	Reason  string `json:"reason"`
	Field   string `json:"field,omitempty"`
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
// after it (a wrap's "(give the price explicitly)").
func FormatError(err error) any {
	if r := inputerr.Reason(err); r != "" {
		return RefusalError{Message: err.Error(), Reason: r, Field: inputerr.Field(err)}
	}
	return err.Error()
}
