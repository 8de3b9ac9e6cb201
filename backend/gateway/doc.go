// Package gateway is Meterdesk's local, metered, OpenAI-compatible HTTP API.
//
// It serves POST /v1/chat/completions (streaming and not), GET /v1/models and
// GET /v1/credits on 127.0.0.1 by default (another address needs an explicit
// opt-in). Each request carries a per-member API key ("mdk_<id>_<secret>",
// stored only as a SHA-256 hash, compared in constant time) and is charged to
// that member through backend/chat's Meter, the same estimate -> limits ->
// hold -> provider -> settle -> release flow the chat window uses, with the
// ledger dimension source = "api".
//
// Responses carry the charge and the payer's remaining credits in
// X-Meterdesk-Credits-Charged / X-Meterdesk-Credits-Remaining; streams, whose
// headers go out first, repeat them as HTTP trailers, as an SSE comment and
// in a "meterdesk" extension object on the final chunks. Errors use OpenAI's
// {"error":{"message","type","param","code"}} shape. See docs/gateway.md.
package gateway
