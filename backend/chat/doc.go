// Package chat stores conversations and messages and owns THE metered send
// flow that the window, the CLI and the API gateway share:
//
//	estimate (metering) -> payer + limits (team) -> ledger.Hold -> provider
//	stream -> normalised usage -> metering.Price -> ledger.Post (+ charge row)
//	-> the rest of the hold is released.
//
// Meter is the stateless step API (Begin, Call.Stream, Call.Settle, or Run)
// for a request without a stored conversation (the gateway); Service.Send
// wraps it with conversation history, message storage, streaming events and
// Stop. Hold, post and void ids derive from the request id (the assistant
// message's uid), so a retried request can never be charged twice. See
// docs/chat.md.
package chat
