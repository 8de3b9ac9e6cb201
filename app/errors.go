package app

import "errors"

// reasoned is a refusal said in plain words: an input refused as invalid
// (inputerr.Error: "invalid amount", team's and chat's "invalid input",
// …, and chat's refusals of a model setting), team's ErrNotFound,
// ErrNotEmpty and ErrBusy refusals, a department's refusals for want of
// funds, a workspace change refused as stale (team.ChangedError),
// gateway.ErrNameTaken. Its Reason is the text without the operations
// wrapped around it, which may name nothing a user knows (a transfer's
// id: "transfer 5d0e…: credits cannot go to user:3: …"), and without Go's
// kind ("invalid amount"), but with the field it is about ("credits:
// amount must be greater than zero").
type reasoned interface{ Reason() string }

// RefusalError is what the window receives for a refused request said in
// plain words: the whole Go text (message, as for any other error) and
// the refusal's own words (reason), which the window shows
// (frontend/src/api/errors.ts, BackendError.from).
type RefusalError struct {
	Message string `json:"message"`
	Reason  string `json:"reason"`
}

// FormatError is the Wails ErrorFormatter (main.go): the Go text of err,
// as Wails sends by default, or, when err's chain holds a refusal in plain
// words, a RefusalError carrying that reason too. The window shows the
// reason; it parses no Go text.
func FormatError(err error) any {
	var r reasoned
	if errors.As(err, &r) && r.Reason() != "" {
		return RefusalError{Message: err.Error(), Reason: r.Reason()}
	}
	return err.Error()
}
