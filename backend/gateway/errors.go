package gateway

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers"
	"meterdesk/backend/team"
)

// apiError is an error in OpenAI's shape, with its HTTP status and headers.
type apiError struct {
	Status     int
	Message    string
	Type       string
	Param      *string
	Code       *string
	RetryAfter time.Duration // > 0: Retry-After header (seconds, rounded up)
	Header     map[string]string
	// Final: a retry of this very request is refused again, whatever
	// the status says to a client (X-Should-Retry: false; retryFinal).
	// Set where the status alone does not tell.
	Final bool
	// Transient: a moment may change the answer, though its status says
	// the request itself is refused (retryFinal): a 402 while requests
	// still running hold credits on the payer that would make it fit
	// (heldMayCover).
	Transient bool
	internal  error  // an internal error's cause, for the log (Service.mapError)
	ref       string // the reference its message gives
}

// errorBody is {"error":{"message","type","param","code"}}.
type errorBody struct {
	Error errorFields `json:"error"`
}

type errorFields struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

// OpenAI error types.
const (
	typeInvalid    = "invalid_request_error"
	typeAuth       = "authentication_error"
	typePermission = "permission_error"
	typeNotFound   = "not_found_error"
	typeRateLimit  = "rate_limit_error"
	typeCredits    = "insufficient_credits"
	typeAPI        = "api_error"
	typeProvider   = "provider_error"
)

func ptr(s string) *string { return &s }

// badRequest is a 400 for the request's parameter param (its name, as
// "messages[1].role"), as OpenAI's 400s name it.
func badRequest(param, format string, a ...any) *apiError {
	e := badBody(format, a...)
	if param != "" {
		e.Param = ptr(param)
	}
	return e
}

// badBody is a 400 for a body that is not one JSON object, or could not be
// read: no parameter is at fault, so param is null, as OpenAI's is and as
// every other error without one (401, 413, 429 …) has it. It was "".
func badBody(format string, a ...any) *apiError {
	return &apiError{Status: http.StatusBadRequest, Message: fmt.Sprintf(format, a...), Type: typeInvalid,
		Code: ptr("invalid_value")}
}

func unauthorized(msg string) *apiError {
	return &apiError{Status: http.StatusUnauthorized, Message: msg, Type: typeAuth, Code: ptr("invalid_api_key")}
}

func (e *apiError) body() errorBody {
	return errorBody{Error: errorFields{Message: e.Message, Type: e.Type, Param: e.Param, Code: e.Code}}
}

// write sends e as the response.
func (e *apiError) write(w http.ResponseWriter) {
	e.header(w)
	writeJSON(w, e.Status, e.body())
}

// header sets e's headers (Retry-After, X-Should-Retry and the others it
// carries).
func (e *apiError) header(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range e.Header {
		h.Set(k, v)
	}
	if e.RetryAfter > 0 {
		h.Set("Retry-After", strconv.FormatInt(int64(math.Ceil(e.RetryAfter.Seconds())), 10))
	}
	if e.retryFinal() {
		h.Set(HeaderShouldRetry, "false")
	}
}

// retryFinal reports whether a retry of the very same request could never
// be answered otherwise, so the answer says X-Should-Retry: false: the
// official OpenAI SDKs (Python, Node) retry 408, 409, 429 and every 5xx
// twice by default, a second or so apart, and obey that header before the
// status. The one rule for every answer of the API:
//   - e.Final (set where the status does not tell): a spending limit's 429
//     (it lasts until the limit resets, hours away; unless the member's
//     requests still running hold the room it needs, team.LimitError's
//     HeldRoom: as they finish, a retry may pass), a 409 for an
//     Idempotency-Key whose request was charged or whose attempts are used
//     up, a failure charged for what the provider generated (writeCharged:
//     the SDKs' retry, sent without a key, was charged again, up to three
//     charges for the one failure their caller sees; under a key, its
//     retry is that 409; a charge of 0, a free model's, only under a
//     key), the provider's 401/403 (the workspace's provider key is
//     wrong), a redirect or something that is not the provider's answer
//     (its configuration, or a sign-in page, in the way), a prompt over
//     the context window;
//   - every other 4xx but 408, 409 and 429 (and e.Transient): the request
//     itself is refused (a bad body, key, model or parameter, too few
//     credits, a disabled member), and only another request, or an admin's
//     change, passes;
//   - never for a 408, a 409 for a key whose first request still runs (it
//     may yet be refused with nothing charged, and the retry is sent), the
//     provider's 429 (a short rate limit, with its Retry-After), a 402
//     while requests still running hold enough credits on the payer that
//     it would fit without their holds (released or charged as they
//     finish: e.Transient, heldMayCover), or a 5xx
//     a moment may cure that charged nothing (an internal error, the
//     provider's own failure, a timeout or a cut stream before any output,
//     or a free model's after output without a key, the provider offline,
//     the server stopped).
func (e *apiError) retryFinal() bool {
	if e.Final {
		return true
	}
	if e.Transient {
		return false
	}
	switch e.Status {
	case http.StatusRequestTimeout, http.StatusConflict, http.StatusTooManyRequests:
		return false
	}
	return e.Status >= 400 && e.Status < 500
}

// chargedError is an error body with the charge of the failed request
// (a stream's error event, or the reply to a request that failed after the
// provider generated output).
type chargedError struct {
	errorBody
	Meterdesk *Meterdesk `json:"meterdesk"`
}

// writeCharged sends e as the response, with md in the body: the answer
// to a request charged for what the provider generated before it failed,
// which is final (retryFinal) when it cost credits: an SDK's retry would be
// another request, charged again, while its caller sees one failure. A
// charge of 0 (a free model) is left to the SDKs' retries, as a failure
// before any output is: a retry costs nothing and may pass (under an
// Idempotency-Key it is final all the same, keyUsed).
func (e *apiError) writeCharged(w http.ResponseWriter, md *Meterdesk) {
	if d, err := decimal.NewFromString(md.CreditsCharged); err != nil || !d.IsZero() {
		e.Final = true
	}
	e.header(w)
	writeJSON(w, e.Status, chargedError{e.body(), md})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// mapError is mapError at the service's clock that logs an internal error
// at error level: every answer of the handlers goes through it. A
// completion's internal error gives its request id (ctx's, requestIDOf:
// the one its X-Meterdesk-Request-Id header carries) and is logged under
// it ("request", as the gateway's other lines of a request), so the id a
// user quotes is found in the log; another route's gives a reference
// ("ref").
func (s *Service) mapError(ctx context.Context, err error) *apiError {
	ae := mapError(err, s.clock())
	if ae.internal == nil {
		return ae
	}
	if id := requestIDOf(ctx); id != "" {
		ae = internalErrorOf(ae.internal, "request", id)
		s.log.Error("gateway: internal error", "request", id, "err", ae.internal)
		return ae
	}
	s.log.Error("gateway: internal error", "ref", ae.ref, "err", ae.internal)
	return ae
}

// mapError turns an error of the metered flow into the response the client
// gets. now is for the limit's Retry-After.
func mapError(err error, now time.Time) *apiError {
	var le *team.LimitError
	var pe *providers.APIError
	var re *chat.ReasoningError
	var tse *chat.ThinkingSamplingError
	var rle *chat.ReasoningLevelError
	var oce *chat.OutputCeilingError
	var ice *chat.InsufficientCreditsError
	switch {
	case errors.Is(err, errServerStopped):
		// Stop (Ctrl-C on meterdesk serve, the window's Stop or its
		// closing) cut the request after its grace: the server's doing,
		// neither the client's nor an internal error.
		return serverStopped()
	case errors.As(err, &re):
		return reasoningRefused(re)
	case errors.As(err, &tse):
		return thinkingSamplingRefused(tse)
	case errors.As(err, &rle):
		return badRequest("reasoning_effort", "%s takes reasoning_effort %s only, not %s: send %s or leave "+
			"reasoning_effort out (nothing was sent or charged)", rle.Model, providers.JoinLevels(rle.Takes), effortOf(rle.Level),
			map[bool]string{true: "that", false: "one of those"}[len(rle.Takes) == 1])
	case errors.As(err, &oce):
		return badRequest("max_tokens", "%s writes at most %d output tokens: max_tokens %d plus the %d thinking tokens of "+
			"reasoning_effort %s is above it: lower max_tokens to %d or less (nothing was sent or charged)",
			oce.Model, oce.Ceiling, oce.MaxOutput, oce.Thinking, effortOf(oce.Level), oce.Ceiling-oce.Thinking)
	case errors.As(err, &ice):
		// The API's words for it (chat builds them from the refusal's
		// facts), never the window's nor a wrapping chain.
		return &apiError{Status: http.StatusPaymentRequired, Message: ice.APIMessage(), Type: typeCredits,
			Code: ptr(chat.CodeInsufficient), Transient: heldMayCover(ice)}
	case errors.Is(err, chat.ErrInsufficientCredits), errors.Is(err, ledger.ErrInsufficientFunds):
		return &apiError{Status: http.StatusPaymentRequired, Type: typeCredits, Code: ptr(chat.CodeInsufficient),
			Message: "This request may cost more credits than are available to this API key's member; an admin can add credits " +
				"to the account that pays for them. Nothing was sent or charged."}
	case errors.As(err, &le):
		retryAt := le.RetryTime() // every limit the request breaks reset, not only the one named
		wait := retryAt.Sub(now)
		if wait < time.Second {
			wait = time.Second
		}
		// The limit's words for the API (and, for a reply that outlived
		// its hold, that nothing was charged), with when it resets.
		// 429, as OpenAI's own quota refusals are, which clients catch as a
		// rate limit; but the wait is hours, not seconds: the official
		// SDKs retry a 429 twice by default, waiting what Retry-After says
		// only up to a minute or two and else a second or so, so each
		// retry would be refused again. X-Should-Retry: false, which they
		// obey before the status, stops that (go-openai retries nothing);
		// but not while the member's requests still running hold the room
		// this one needs (le.HeldRoom): as they finish, a retry may pass.
		msg, _ := chat.LimitAPIMessage(err)
		if !le.ResetHelps() {
			// A limit it breaks is, whole, less than the least the request
			// may hold: no reset lets it through, and the words say so; no
			// time to retry at either (nor HeldRoom: the request alone is
			// over that limit, its holds released or not).
			return &apiError{Status: http.StatusTooManyRequests, Type: typeRateLimit, Code: ptr(chat.CodeLimit), Message: msg, Final: !le.HeldRoom}
		}
		return &apiError{Status: http.StatusTooManyRequests, Type: typeRateLimit, Code: ptr(chat.CodeLimit), Message: msg,
			RetryAfter: wait, Final: !le.HeldRoom, Header: map[string]string{HeaderLimitResetsAt: retryAt.UTC().Format(time.RFC3339)}}
	case errors.Is(err, team.ErrDisabled):
		// A fixed sentence: team's words ("funding of member 5: this
		// member is disabled") name ids and the flow's steps.
		return &apiError{Status: http.StatusForbidden, Type: typePermission, Code: ptr("forbidden"),
			Message: "This API key's member is disabled (an admin disabled them after the key was checked); an admin can enable them again."}
	case errors.Is(err, access.ErrForbidden):
		return &apiError{Status: http.StatusForbidden, Type: typePermission, Code: ptr("forbidden"),
			Message: "The role of this API key's member does not allow this request."}
	case errors.Is(err, chat.ErrNoProvider), errors.Is(err, providers.ErrNotFound):
		return modelNotFound("")
	case errors.Is(err, chat.ErrInvalid), errors.Is(err, providers.ErrBadRequest):
		return &apiError{Status: http.StatusBadRequest, Message: refusalWords(err), Type: typeInvalid, Code: ptr("invalid_value")}
	case errors.As(err, &pe):
		// The provider's own status, except that its 401/403 mean the
		// workspace's provider key is wrong, not the caller's: 502.
		st := pe.Status
		keyWrong := st == http.StatusUnauthorized || st == http.StatusForbidden
		if keyWrong || st < 400 || st > 599 {
			st = http.StatusBadGateway
		}
		typ := typeProvider
		if st == http.StatusTooManyRequests {
			typ = typeRateLimit
		}
		// pe's own words (its status and the provider's message, the key
		// removed), not the chain around it ("chat: …", "chat stream: …"),
		// after the provider's host, as a timeout's or a cut stream's
		// (providerWords): "api.openai.com: provider error 500 …".
		msg := pe.Error()
		if pe.Host != "" {
			msg = pe.Host + ": " + msg
		}
		if pe.ContextWindow {
			// A prompt over the model's context window, in the provider's
			// words, with OpenAI's code for it (which clients such as
			// LangChain read) and what to do.
			return &apiError{Status: st, Message: providers.AddClause(msg, "shorten the messages (fewer earlier turns) or use a model with a larger context window"),
				Type: typeInvalid, Param: ptr("messages"), Code: ptr("context_length_exceeded"), Final: true}
		}
		return &apiError{Status: st, Message: msg, Type: typ, Code: ptr(chat.CodeProvider), RetryAfter: pe.RetryAfter, Final: keyWrong}
	case errors.Is(err, chat.ErrOffline), errors.Is(err, providers.ErrOffline):
		return &apiError{Status: http.StatusServiceUnavailable, Type: typeProvider, Code: ptr(chat.CodeOffline),
			Message: fromSentinel(err, providers.ErrOffline.Error(), providers.ErrOffline)}
	case errors.Is(err, providers.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return &apiError{Status: http.StatusGatewayTimeout, Type: typeProvider, Code: ptr(chat.CodeTimeout),
			Message: providerWords(err, providers.ErrTimeout.Error(), providers.ErrTimeout)}
	case errors.Is(err, chat.ErrOverBudget):
		// chat's words say "output budget", the window's; the API's is max_tokens.
		return &apiError{Status: http.StatusBadGateway, Type: typeProvider, Code: ptr(chat.CodeInterrupted),
			Message: "the provider kept writing far past max_tokens, so the reply was cut off"}
	case errors.Is(err, providers.ErrInterrupted):
		return &apiError{Status: http.StatusBadGateway, Type: typeProvider, Code: ptr(chat.CodeInterrupted),
			Message: providerWords(err, providers.ErrInterrupted.Error(), providers.ErrInterrupted)}
	case errors.Is(err, providers.ErrMalformed):
		return &apiError{Status: http.StatusBadGateway, Type: typeProvider, Code: ptr(chat.CodeMalformed),
			Message: providerWords(err, providers.ErrMalformed.Error(), providers.ErrMalformed)}
	case errors.Is(err, providers.ErrRedirected), errors.Is(err, providers.ErrNotAnAnswer):
		// The provider pointed elsewhere and the key was not sent there; or
		// something else (a captive portal's sign-in page) answered for it:
		// the typed error's own words, after the provider's host as a
		// status's or a timeout's ("127.0.0.1:8080: the provider answered
		// with an HTML page …"; earlier versions left it out).
		var rde *providers.RedirectError
		var nae *providers.NotAnAnswerError
		msg := fromSentinel(err, "the provider's answer is not what its API answers", providers.ErrRedirected, providers.ErrNotAnAnswer)
		host := ""
		switch {
		case errors.As(err, &rde):
			msg, host = rde.Error(), rde.Host
		case errors.As(err, &nae):
			msg, host = nae.Error(), nae.Host
		}
		if host != "" {
			msg = host + ": " + msg
		}
		return &apiError{Status: http.StatusBadGateway, Message: msg, Type: typeProvider, Code: ptr(chat.CodeProvider), Final: true}
	case clientGone(err):
		// The client went away (its connection closed, or a write to it
		// failed): nobody reads the answer, and it is not the gateway's
		// failure (logged as the client's, Service.logGone, never as an
		// internal error).
		return &apiError{Status: statusClientClosed, Message: "the request was cancelled by the client", Type: typeAPI, Code: ptr("cancelled")}
	}
	return internalError(err)
}

// heldMayCover reports whether a request refused for credits would fit
// once the requests still running on its payer finish: what they hold
// (ice.Held), released, with what is available now covers what it may
// cost. Only then may a retry a moment later pass (retryFinal's
// Transient); when even all of it would not do, the refusal is final.
func heldMayCover(ice *chat.InsufficientCreditsError) bool {
	if ice.Held == "" {
		return false
	}
	held, herr := decimal.NewFromString(ice.Held)
	avail, aerr := decimal.NewFromString(ice.Available)
	needed, nerr := decimal.NewFromString(ice.Needed)
	if herr != nil || aerr != nil || nerr != nil {
		return true // not known: a retry may pass
	}
	return avail.Add(held).GreaterThanOrEqual(needed)
}

// serverStopped answers a request the server's stop cut (errServerStopped)
// that was charged nothing (a charged one: serverStoppedCharged).
func serverStopped() *apiError {
	return &apiError{Status: http.StatusServiceUnavailable, Type: typeAPI, Code: ptr("server_stopped"),
		Message: "The Meterdesk API server was stopped while this request was running (an admin stopped it, or Meterdesk " +
			"closed); retry once it runs again. Nothing was charged: the provider had generated nothing yet."}
}

// serverStoppedCharged answers a request the server's stop cut after the
// provider generated output, which is charged for it: the charge's words
// follow (mapCutError: chargedWords), so it does not say it. final: the
// answer says X-Should-Retry: false (retryFinal: a charge other than 0,
// or one under an Idempotency-Key), so it does not say "retry" either:
// what follows the charge says when and how the request may be sent again
// (keyUsedWords under a key, else sendAgainWords). A free model's charge
// of 0 without a key is left to the SDKs' retries, and says to retry.
func serverStoppedCharged(final bool) *apiError {
	ae := serverStopped()
	ae.Message = "The Meterdesk API server was stopped while this request was running (an admin stopped it, or Meterdesk " +
		"closed); retry once it runs again."
	if final {
		ae.Message = "The Meterdesk API server was stopped while this request was running (an admin stopped it, or Meterdesk closed)."
	}
	return ae
}

// sendAgainWords follow chargedWords in the message of a request the
// server's stop cut after output, charged without an Idempotency-Key: its
// answer says X-Should-Retry: false, since the SDKs' retry would be a new
// request charged again while their caller sees one failure, and the words
// agree: no "retry", but that the person may send it again once the server
// runs, as a new request.
const sendAgainWords = "It is not retried for you, since a retry is a new request that costs credits again: once the server runs again, it may be sent again."

// sentence is msg ending as a sentence does (a full stop added where it
// ends without one), so that another sentence may follow it.
func sentence(msg string) string {
	msg = strings.TrimRightFunc(msg, unicode.IsSpace)
	if msg != "" && !strings.ContainsRune(".!?", rune(msg[len(msg)-1])) {
		msg += "."
	}
	return msg
}

// providerWords is the message of a provider's failure the window and the
// CLI name its host in (a timeout, a cut or malformed stream: a
// providers.StepError, "chat stream api.openai.com: the provider stopped
// responding …"): the host, then what went wrong, without the step and
// the chain before it ("api.openai.com: the provider stopped responding
// (timeout) (nothing received for 2m0s)"); the key is never in either.
// Without a host, fromSentinel's words. Earlier versions answered without
// the host.
func providerWords(err error, fallback string, sentinels ...error) string {
	var se *providers.StepError
	if errors.As(err, &se) && se.Host != "" && se.Err != nil {
		return se.Host + ": " + se.Err.Error()
	}
	return fromSentinel(err, fallback, sentinels...)
}

// refusalWords is the API's words for a chat request refused as invalid
// (chat.ErrInvalid, providers.ErrBadRequest, both "invalid chat
// request"): that kind, then the refusal's typed reason (inputerr.Reason:
// its own words and any after them, without the operations wrapped around
// it, "send to gpt-4o: ", or a kind written inside it, "invalid chat
// request: invalid chat request: …"); the kind alone for a refusal with no
// reason of its own. It reads the reason the refusal carries, never its
// text.
func refusalWords(err error) string {
	if r := inputerr.Reason(err); r != "" {
		return chat.ErrInvalid.Error() + ": " + r
	}
	return chat.ErrInvalid.Error()
}

// fromSentinel is err's message from the first of sentinels whose text
// it carries on: the provider's and chat's words for what went wrong (and
// the detail after them), without the wrapping chain before them ("chat
// stream api.openai.com: ", "send to gpt-4o: "). fallback is the message
// when none of them is in the text. The one place the API cuts a prefix
// off an error's text (TestFromSentinel): for a provider's failures
// (offline, a redirect), which carry no typed reason of their own; a
// request refused as invalid is said from its typed reason (refusalWords).
func fromSentinel(err error, fallback string, sentinels ...error) string {
	msg := err.Error()
	for _, s := range sentinels {
		if i := strings.Index(msg, s.Error()); i >= 0 {
			return msg[i:]
		}
	}
	return fallback
}

// modelNotFound answers a model that no configured provider serves (a
// completion's, or GET /v1/models/{id}), naming it ("" when not known)
// and where the models served are listed.
func modelNotFound(model string) *apiError {
	what := "This model is"
	if model != "" {
		what = "The model '" + model + "' is"
	}
	return &apiError{Status: http.StatusNotFound, Type: typeInvalid, Param: ptr("model"), Code: ptr("model_not_found"),
		Message: what + " not served by any provider configured in Meterdesk. GET /v1/models lists the models this API serves."}
}

// mapSendError is mapError for a completion's error, which knows the model
// asked: one that no provider serves is named in the 404.
func (s *Service) mapSendError(ctx context.Context, err error, model string) *apiError {
	if errors.Is(err, chat.ErrNoProvider) {
		return modelNotFound(model)
	}
	return s.mapError(ctx, err)
}

// statusClientClosed is the status recorded for a request its client
// cancelled (nginx's 499; the client never receives it).
const statusClientClosed = 499

// internalError answers an error the client cannot act on (a database or
// file-system failure) without its text, which may name paths or queries:
// the detail goes to the log (Service.mapError) under a reference the
// message gives (a completion's request id, else a random one).
func internalError(err error) *apiError {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return internalErrorOf(err, "reference", hex.EncodeToString(b))
}

// internalErrorOf is internalError under ref, which the message calls what
// ("reference", "request").
func internalErrorOf(err error, what, ref string) *apiError {
	return &apiError{Status: http.StatusInternalServerError, Type: typeAPI, Code: ptr(chat.CodeInternal),
		Message: "internal error (" + what + " " + ref + "); the details are in Meterdesk's log", internal: err, ref: ref}
}

// reasoningRefused answers a reasoning_effort the model does not take
// (chat.ReasoningError) in the API's terms, naming the field.
func reasoningRefused(e *chat.ReasoningError) *apiError {
	if e.AlwaysReasons {
		return badRequest("reasoning_effort", "%s always reasons and takes no reasoning_effort %q: send %s, "+
			"or leave reasoning_effort out for the provider's default (nothing was sent or charged)", e.Model, effortOf(e.Level), e.Levels())
	}
	return badRequest("reasoning_effort", "%s takes no reasoning_effort: Meterdesk sends it only to the models whose reasoning "+
		"setting it knows (OpenAI's reasoning models, Claude's thinking models, Gemini 2.5 and later), not to one that does not reason, "+
		"DeepSeek's or a server on this machine; leave reasoning_effort out (nothing was sent or charged)", e.Model)
}

// thinkingSamplingRefused answers a temperature or top_p the model takes
// not while it thinks (chat.ThinkingSamplingError: Claude) in the API's
// terms, naming the field: what to send instead, and, where the model can
// stop thinking, the reasoning_effort that lets it take the value.
func thinkingSamplingRefused(e *chat.ThinkingSamplingError) *apiError {
	param, what, fix := "temperature", "no temperature other than 1", "send temperature 1 or leave it out"
	if e.Setting == "topP" {
		param, what, fix = "top_p", "a top_p only from 0.95 to 1", "send a top_p from 0.95 to 1 or leave it out"
	}
	if e.Always { // Claude Opus 4.7 and later: whether it thinks or not
		what, fix = "no "+param+" other than 1", "send "+param+" 1 or leave it out"
		return badRequest(param, "%s takes %s, whatever its reasoning_effort: %s (nothing was sent or charged)", e.Model, what, fix)
	}
	if !e.CanDisable {
		return badRequest(param, "%s always thinks and takes %s: %s (nothing was sent or charged)", e.Model, what, fix)
	}
	return badRequest(param, "%s takes %s while it thinks (reasoning_effort %s): %s, or leave reasoning_effort out "+
		"or send none (nothing was sent or charged)", e.Model, what, effortOf(e.Level), fix)
}
