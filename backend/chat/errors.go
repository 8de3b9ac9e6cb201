package chat

import (
	"context"
	"errors"
	"fmt"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers"
	"meterdesk/backend/team"
)

// Sentinel errors. They are wrapped with context; test with errors.Is.
var (
	// ErrInsufficientCredits: the payer cannot cover the hold (the upper end
	// of the estimate). Nothing was sent to the provider. Wraps
	// ledger.ErrInsufficientFunds. Also Settle's error for a reply that
	// outlived its hold when its payer has nothing left to pay for it
	// (nothing charged; see docs/chat.md). When the member's spending
	// limits leave nothing for such a reply, Settle's error is a limit's
	// (team.ErrLimitExceeded, *team.LimitError), not this one.
	ErrInsufficientCredits = errors.New("not enough credits")
	// ErrOffline: the provider could not be reached (no network, or a local
	// server that is not running). Nothing was charged; the draft is kept.
	ErrOffline = errors.New("offline")
	// ErrInvalid: a bad request (empty text, unknown conversation field, ...).
	ErrInvalid = errors.New("invalid chat request")
	// ErrNotFound: no such conversation or message (or not yours).
	ErrNotFound = errors.New("not found")
	// errNoConversation is ErrNotFound for a conversation, with the
	// window's words for it (NoConversation).
	errNoConversation = &notFoundError{reason: "This conversation does not exist or is not yours"}
	// ErrBusy: a send with this message id, or another send in the same
	// conversation, is already running (a send, a regenerate, an edit or a
	// delete of the conversation waits for it or for Stop).
	ErrBusy = errors.New("a reply is already being generated for this message")
	// ErrOverBudget: the provider kept writing far past the output budget
	// (max tokens) and the stream was cut (see Call.Stream).
	ErrOverBudget = errors.New("the provider kept writing far past the output budget, so the reply was cut off")
	// ErrDuplicate: the request id was already used by another send, settled
	// or still running (perhaps in another process).
	ErrDuplicate = errors.New("this request id was already used")
	// ErrNoProvider: no configured provider serves the requested model.
	ErrNoProvider = errors.New("no provider configured for this model")
)

// Error codes for the UI, the CLI's --json output and the gateway.
const (
	CodeInsufficient = "insufficient_credits"
	CodeLimit        = "limit_exceeded"
	CodeOffline      = "offline"
	CodeRateLimited  = "rate_limited"
	CodeProvider     = "provider_error"
	CodeTimeout      = "timeout"
	CodeInterrupted  = "interrupted"
	CodeMalformed    = "malformed"
	CodeCanceled     = "stopped"
	CodeInvalid      = "invalid"
	CodeNotFound     = "not_found"
	CodeForbidden    = "forbidden"
	CodeNoProvider   = "no_provider"
	CodeBusy         = "busy" // ErrBusy: a reply is still being written in the conversation
	// CodeContextTooLong: the provider refused the prompt as over the
	// model's context window (*ContextTooLongError).
	CodeContextTooLong = "context_too_long"
	CodeInternal       = "error"
)

// ContextTooLongError is a send the provider refused because its prompt
// (the system prompt, the history the conversation's History setting
// keeps, the new message) is over Model's context window, as the provider
// documents it (providers.APIError.ContextWindow). Nothing was generated,
// so nothing is charged, and a new message's draft is kept. Its message
// says what to do, in the window and the CLI alike; Err is the provider's
// error.
type ContextTooLongError struct {
	Model string
	// Earlier is how many earlier exchanges the prompt carried: with none,
	// the new message (and the system prompt) alone is too long, and
	// History or a new chat cannot help.
	Earlier int
	Err     error
}

func (e *ContextTooLongError) Error() string {
	if e.Earlier == 0 {
		return fmt.Sprintf("This message is too long for %s (with the system prompt, if any). Shorten it, or choose a model with a larger context window.", e.Model)
	}
	return fmt.Sprintf("This conversation is too long for %s. Lower History in Model settings, or start a new chat.", e.Model)
}

func (e *ContextTooLongError) Unwrap() error { return e.Err }

// namedContextTooLong is err as a *ContextTooLongError when it is a
// provider's refusal of prompt as over model's context window; err as it
// is otherwise.
func namedContextTooLong(err error, model string, prompt []providers.Message) error {
	var api *providers.APIError
	if err == nil || !errors.As(err, &api) || !api.ContextWindow {
		return err
	}
	earlier := 0
	for _, m := range prompt {
		if m.Role == RoleAssistant {
			earlier++
		}
	}
	return &ContextTooLongError{Model: model, Earlier: earlier, Err: err}
}

// ErrorInfo is an error classified for display: a stable code, the message,
// whether a top-up helps (and who can do it), and the provider's retry hint.
type ErrorInfo struct {
	Code       string `json:"code"`
	Message    string `json:"message"`
	TopUp      bool   `json:"topUp"`                   // offer the top-up action
	AskAdmin   bool   `json:"askAdmin,omitempty"`      // a top-up would help, but only an admin can do it
	RetryAfter int64  `json:"retryAfterSec,omitempty"` // seconds, from Retry-After
	// LocalDown: offline because the provider is a server on this machine
	// that is not answering (start it, rather than wait for a network).
	LocalDown bool `json:"localDown,omitempty"`
	// Address, of a local server that is down (LocalDown), is the address
	// nothing answers at (host:port, e.g. "localhost:11434";
	// providers.LocalAddress), for an admin only (ClassifyFor): the window
	// says "The local server at localhost:11434 is not answering". Never
	// set for a member, nor for a provider elsewhere.
	Address string `json:"address,omitempty"`
	// ResetsAt and RetryAt, of a spending limit's refusal (CodeLimit),
	// are when the limit the message names resets and when the send, as it
	// is, may pass every limit it breaks (team.LimitError.RetryTime: later
	// than ResetsAt when another limit it breaks resets later), as the
	// message says them and the local API's Retry-After; omitted otherwise,
	// and RetryAt where no reset lets the send through
	// (team.LimitError.ResetHelps false; the 429 then has no Retry-After);
	// both for a limit of 0 (team.LimitError.Zero), whose words name no
	// reset: an admin raising it lets sends through.
	ResetsAt *time.Time `json:"resetsAt,omitempty"`
	RetryAt  *time.Time `json:"retryAt,omitempty"`
	// MaxTokens, of a refusal for credits (CodeInsufficient) or by a
	// spending limit (CodeLimit) whose prompt fits but not the room held
	// for its output budget, is the largest output budget (max tokens, any
	// thinking budget on top) that fits both the payer's credits and every
	// limit on the model now (RoomFor, Call.room); omitted when none fits
	// or the output budget is not what is refused. The window offers it
	// ("Use N"), `meterdesk chat` names it as --max-tokens.
	MaxTokens int `json:"maxTokens,omitempty"`
}

// ClassifyFor is Classify for the actor in ctx: only an admin can top up,
// so anyone else is told to ask an admin (AskAdmin) instead of being
// offered the top-up action; only an admin is given the address of a
// local server that is down (Address).
func ClassifyFor(ctx context.Context, err error) *ErrorInfo {
	info := Classify(err)
	if info == nil {
		return nil
	}
	a, aerr := access.Current(ctx)
	admin := aerr == nil && a.IsAdmin()
	if info.TopUp && !admin {
		info.TopUp, info.AskAdmin = false, true
	}
	if info.LocalDown && admin {
		info.Address = providers.LocalAddress(err)
	}
	return info
}

// Classify maps err to an ErrorInfo (nil for nil).
func Classify(err error) *ErrorInfo {
	if err == nil {
		return nil
	}
	info := &ErrorInfo{Code: CodeInternal, Message: err.Error()}
	var api *providers.APIError
	var tooLong *ContextTooLongError
	switch {
	case errors.As(err, &tooLong):
		info.Code, info.Message = CodeContextTooLong, tooLong.Error()
	case errors.Is(err, ErrInsufficientCredits), errors.Is(err, ledger.ErrInsufficientFunds):
		info.Code, info.TopUp = CodeInsufficient, true
		if room, ok := RoomFor(err); ok {
			info.MaxTokens = room.MaxTokens
		}
	case errors.Is(err, team.ErrLimitExceeded):
		info.Code = CodeLimit
		// The limit's own words, without the ids of the hold it refused
		// (the window puts "Spending limit:" before them).
		if msg, ok := LimitMessage(err); ok {
			info.Message = msg
		}
		var le *team.LimitError
		if errors.As(err, &le) && !le.Zero() { // a limit of 0: no reset to name, an admin raises it
			resets, retry := le.ResetsAt, le.RetryTime()
			info.ResetsAt = &resets
			if le.ResetHelps() { // else no reset lets the send as it is through: no time to retry at
				info.RetryAt = &retry
			}
		}
		if room, ok := RoomFor(err); ok {
			info.MaxTokens = room.MaxTokens
		}
	case errors.Is(err, ErrOffline), errors.Is(err, providers.ErrOffline):
		info.Code, info.LocalDown = CodeOffline, errors.Is(err, providers.ErrLocalDown)
	case errors.Is(err, context.Canceled):
		info.Code = CodeCanceled
	case errors.Is(err, providers.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		info.Code = CodeTimeout
	case errors.Is(err, providers.ErrInterrupted), errors.Is(err, ErrOverBudget):
		info.Code = CodeInterrupted
	case errors.Is(err, providers.ErrMalformed):
		info.Code = CodeMalformed
	case errors.Is(err, providers.ErrRedirected):
		info.Code = CodeProvider // the provider's doing; nothing was sent elsewhere
	case errors.Is(err, providers.ErrNotAnAnswer):
		info.Code = CodeProvider // a sign-in page or the like answered for it; nothing came
	case errors.As(err, &api):
		info.Code = CodeProvider
		if api.Status == 429 {
			info.Code = CodeRateLimited
		}
		info.RetryAfter = int64(api.RetryAfter.Seconds())
	case errors.Is(err, ErrBusy):
		info.Code = CodeBusy
	case errors.Is(err, ErrNoProvider), errors.Is(err, providers.ErrNotFound):
		info.Code = CodeNoProvider
	case errors.Is(err, ErrInvalid), errors.Is(err, providers.ErrBadRequest), errors.Is(err, ErrDuplicate),
		errors.Is(err, ledger.ErrIdempotencyConflict):
		info.Code = CodeInvalid
	case errors.Is(err, ErrNotFound):
		info.Code = CodeNotFound
	case errors.Is(err, access.ErrForbidden), errors.Is(err, access.ErrUnauthenticated):
		info.Code = CodeForbidden
	}
	return info
}

func wrapf(err error, format string, a ...any) error {
	return fmt.Errorf(format+": %w", append(a, err)...)
}

// notFoundError is ErrNotFound (errors.Is) said in words: its text is
// ErrNotFound's ("conversation 42: not found", as the CLI prints it), its
// Reason (inputerr.Reason, which app.FormatError sends the window) says
// what is missing: "This conversation does not exist or is not yours",
// which a window opened on another member's conversation by its URL shows.
type notFoundError struct{ reason string }

func (e *notFoundError) Error() string        { return ErrNotFound.Error() }
func (e *notFoundError) Reason() string       { return e.reason }
func (e *notFoundError) Is(target error) bool { return target == ErrNotFound }

// NoConversation is the refusal of conversation id: none such, or not the
// signed-in member's (to whom another's is not there at all).
func NoConversation(id int64) error {
	return fmt.Errorf("conversation %d: %w", id, errNoConversation)
}
