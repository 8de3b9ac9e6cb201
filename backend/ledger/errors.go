package ledger

import "errors"

// Sentinel errors. They are wrapped with context; test with errors.Is.
var (
	// ErrInsufficientFunds: the debit would take the account outside its
	// balance policy. The message names the account and the shortfall.
	ErrInsufficientFunds = errors.New("insufficient funds")
	// ErrUnknownAccount: no account has this code (or the code is malformed).
	ErrUnknownAccount = errors.New("unknown account")
	// ErrIdempotencyConflict: the client id was already used for another
	// request: other content, another kind of request, or another actor's
	// request (a replay is only for the actor who made the request).
	ErrIdempotencyConflict = errors.New("idempotency id already used for another request")
	// ErrHoldResolved: the hold was already posted or voided.
	ErrHoldResolved = errors.New("hold already resolved")
	// ErrHoldExpired: the hold expired before it was posted.
	ErrHoldExpired = errors.New("hold expired")
	// ErrUnknownHold: no hold has this id.
	ErrUnknownHold = errors.New("unknown hold")
	// ErrInvalidAmount: negative, zero (where not allowed), too precise, too large or malformed.
	ErrInvalidAmount = errors.New("invalid amount")
	// ErrInvalidRequest: a request field other than the amount is invalid.
	ErrInvalidRequest = errors.New("invalid request")
	// ErrUnknownPackage: no top-up package has this id (or it is inactive).
	ErrUnknownPackage = errors.New("unknown top-up package")
	// ErrClosed: the service was closed.
	ErrClosed = errors.New("ledger is closed")
)
