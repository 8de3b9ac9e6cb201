package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/money"
	"meterdesk/backend/providers"
)

// completions answers POST /v1/chat/completions through the metered flow:
// Begin (estimate, payer, limits, hold), the provider stream, Settle.
func (s *Service) completions(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			(&apiError{Status: http.StatusRequestEntityTooLarge, Type: typeInvalid, Code: ptr("body_too_large"),
				Message: fmt.Sprintf("the request body is larger than %d bytes", maxBody)}).write(w)
			return
		}
		badBody("could not read the request body: %v", err).write(w)
		return
	}
	req, aerr := parseCompletion(body)
	if aerr != nil {
		aerr.write(w)
		return
	}
	ctx := r.Context()
	actor, _ := access.FromContext(ctx)
	id, aerr := requestIDFor(actor, r)
	if aerr != nil {
		aerr.write(w)
		return
	}
	if r.Header.Get(HeaderIdempotencyKey) != "" {
		if id, aerr = s.attemptID(ctx, id); aerr != nil {
			aerr.write(w)
			return
		}
	}
	w.Header().Set(HeaderRequestID, id)
	r = r.WithContext(withRequestID(ctx, id))
	ctx = r.Context()
	call, err := s.meter.Begin(ctx, chat.MeterRequest{ID: id, Model: req.Model, Messages: req.Messages,
		MaxTokens: req.MaxTokens, Sampling: req.Sampling, Reasoning: req.Reasoning, ExactReasoning: true, Source: chat.SourceAPI})
	if errors.Is(err, chat.ErrDuplicate) && r.Header.Get(HeaderIdempotencyKey) != "" {
		// Another request with this key (in this process or another one
		// serving this data folder) took this attempt's hold first.
		idempotencyConflict(id, true).write(w)
		return
	}
	if err != nil {
		err = stoppedBy(ctx, err)
		switch {
		case errors.Is(err, errServerStopped):
			s.logStopped(r, id, req, nil)
		case clientGone(err):
			s.logGone(r, id, req, nil, err)
		}
		s.mapSendError(ctx, err, req.Model).write(w)
		return
	}
	if call.DefaultRate() {
		// No rate of its own: priced at the default rate, which the
		// window and the CLI warn of before a send; a script sees it here.
		w.Header().Set(HeaderDefaultRate, "true")
	}
	if req.Stream {
		s.stream(w, r, req, call)
		return
	}
	res, serr := call.Stream(ctx, nil)
	serr = stoppedBy(ctx, serr)
	if serr != nil {
		s.failed(w, r, req, call, res, serr)
		return
	}
	ch, err := call.Settle(ctx, res, nil, s.countCharge(ctx))
	if err != nil {
		s.mapError(ctx, err).write(w)
		return
	}
	md := s.info(ctx, call, res, ch)
	setCreditHeaders(w.Header(), md)
	out := completion{ID: "chatcmpl-" + id, Object: "chat.completion", Created: s.clock().Unix(), Model: req.Model,
		Choices: []choice{{Message: message{Role: "assistant", Content: res.Text, ReasoningContent: res.Reasoning},
			FinishReason: finishReason(res.FinishReason)}},
		Meterdesk: md}
	if ch != nil {
		out.Usage = usageOf(ch.Usage)
	}
	writeJSON(w, http.StatusOK, out)
}

// failed answers a request whose provider stream failed before anything
// was written to the client, with the error's status and body. It is
// charged by chat's rule (Call.Settle): nothing when the provider had
// generated no text or reasoning text yet (X-Meterdesk-Credits-Charged: 0);
// otherwise what it generated and bills (the counts it reported so far,
// else the tokenizer's count, estimated), the charge in the credit headers
// and in the body's meterdesk object, as on a stream's error event.
func (s *Service) failed(w http.ResponseWriter, r *http.Request, req completionRequest, call *chat.Call, res providers.Result, serr error) {
	ctx := r.Context()
	ch, err := call.Settle(ctx, res, serr, s.countCharge(ctx))
	if err != nil {
		s.mapError(ctx, err).write(w)
		return
	}
	ae := s.mapCutError(r, serr, ch)
	if ch == nil {
		s.logCut(r, call.Req.ID, req, nil, serr)
		w.Header().Set(HeaderCharged, "0")
		ae.write(w)
		return
	}
	md := s.info(ctx, call, res, ch)
	s.logCut(r, call.Req.ID, req, md, serr)
	setCreditHeaders(w.Header(), md)
	ae.writeCharged(w, md)
}

// mapCutError is mapError for the error that cut r's provider stream; ch
// is what the request was charged for it (nil: nothing). A charged one's
// message says the charge in words (chargedWords), since the official
// SDKs keep only the error object of a body or a stream's error event,
// not the meterdesk object beside it, nor the trailers. A request charged
// under an Idempotency-Key (a timeout, a cut or malformed stream, the
// provider's error event, the server's stop, after output) is told, after
// the charge and without saying it again, that the key is used and to
// retry with a new one (the same one is answered 409
// idempotency_key_reused), not only to retry (keyUsedWords).
func (s *Service) mapCutError(r *http.Request, serr error, ch *chat.Charge) *apiError {
	return chargedCut(s.mapError(r.Context(), serr), ch, r.Header.Get(HeaderIdempotencyKey) != "", errors.Is(serr, errServerStopped))
}

// chargedCut is mapCutError's rule on ae, the cut's mapped error: keyed,
// the request had an Idempotency-Key; stopped, the server's stop cut it.
func chargedCut(ae *apiError, ch *chat.Charge, keyed, stopped bool) *apiError {
	if ch == nil || ae.Status == statusClientClosed {
		return ae // nothing charged; or the client went away: nobody reads it
	}
	paid := !chargedNothing(ch)
	if stopped {
		ae = serverStoppedCharged(keyed || paid)
	}
	ae.Message = sentence(ae.Message) + " " + chargedWords(ch)
	switch {
	case keyed:
		ae.Message += " " + keyUsedWords(ch, stopped)
		ae.Final = true
	case paid:
		// Final, as writeCharged makes it (a retry would be charged
		// again): said here with the words that agree with it.
		ae.Final = true
		if stopped {
			ae.Message += " " + sendAgainWords
		}
	}
	return ae
}

// chargedWords says what a request that failed after output was charged,
// for its error's message: "This request was charged 0.42 credits for its
// prompt and the 120 tokens generated before it failed." (the amount in
// the API's canonical form, money.APIString, as credits_charged has it;
// the tokens the completion_tokens of its usage, reasoning included),
// "(estimated: …)" when the tokenizer counted them, and "Nothing was
// charged for …" for a charge of 0 (a free model). It is the one sentence
// of an error's message that says the charge.
func chargedWords(ch *chat.Charge) string {
	generated := "the " + money.GroupInt(usageOf(ch.Usage).CompletionTokens) + " tokens generated before it failed"
	if usageOf(ch.Usage).CompletionTokens == 1 {
		generated = "the 1 token generated before it failed"
	}
	est := ""
	if ch.Estimated {
		est = " (estimated: the provider reported no final usage, so Meterdesk counted them)"
	}
	if chargedNothing(ch) {
		return "Nothing was charged for its prompt and " + generated + est + "."
	}
	return "This request was charged " + money.Credits(money.APIString(ch.Amount)) + " for its prompt and " + generated + est + "."
}

// keyUsedWords follows chargedWords in the message of a request that
// failed after output under an Idempotency-Key: the key is used (its
// request is recorded as charged, a charge of 0 too), and a retry with it
// is answered 409 idempotency_key_reused instead of being sent again, so a
// retry needs a new key; after the server's stop (stopped), once it runs
// again. It does not say the charge again: the sentence before it does.
func keyUsedWords(ch *chat.Charge, stopped bool) string {
	used := "This Idempotency-Key is therefore used: "
	if chargedNothing(ch) {
		used = "This Idempotency-Key is used all the same (the request is recorded): "
	}
	retry := "retry with a new Idempotency-Key"
	if stopped {
		retry = "once the server runs again, retry with a new Idempotency-Key"
	}
	return used + retry + " (this one is answered 409 idempotency_key_reused)."
}

// chargedNothing reports whether ch's amount is 0 (a free model's).
func chargedNothing(ch *chat.Charge) bool {
	d, err := decimal.NewFromString(ch.Amount)
	return err == nil && d.IsZero()
}

// sse writes a chat.completion.chunk stream.
type sse struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	id      string
	model   string
	created int64
	started bool
	broken  bool // a write failed: the client is gone
}

// start sends the headers (the credit headers follow as trailers).
func (e *sse) start() {
	if e.started {
		return
	}
	e.started = true
	h := e.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	h.Set("Trailer", HeaderCharged+", "+HeaderRemaining+", "+HeaderEstimated)
	e.w.WriteHeader(http.StatusOK)
}

// data writes one "data: <json>" event and flushes it.
func (e *sse) data(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return e.raw("data: " + string(b) + "\n\n")
}

func (e *sse) raw(s string) error {
	if e.broken {
		return errClientGone
	}
	if _, err := io.WriteString(e.w, s); err != nil {
		e.broken = true
		return fmt.Errorf("%w: %v", errClientGone, err)
	}
	if err := e.rc.Flush(); err != nil {
		e.broken = true
		return fmt.Errorf("%w: %v", errClientGone, err)
	}
	return nil
}

// errClientGone: a write to the client failed (a broken pipe, a reset
// connection): it went away.
var errClientGone = errors.New("the client went away")

// clientGone reports whether err says the request's client went away: a
// write to it failed (errClientGone), or its connection closed or it gave up,
// which cancels the request's context (context.Canceled, which is all a
// cancelled request's context says). Either is the client's doing, not a
// failure of the gateway: answered 499 (which it never reads) and logged
// at info level (Service.logGone), never as an internal error.
func clientGone(err error) bool {
	return errors.Is(err, errClientGone) || errors.Is(err, context.Canceled)
}

// logCut logs a request cut short by its client (logGone) or by the
// server's stop (logStopped), with what it was charged (md nil: nothing);
// other failures are the client's answer, not the log's.
func (s *Service) logCut(r *http.Request, id string, req completionRequest, md *Meterdesk, err error) {
	switch {
	case errors.Is(err, errServerStopped):
		s.logStopped(r, id, req, md)
	case clientGone(err):
		s.logGone(r, id, req, md, err)
	}
}

// logStopped logs, at warning level, a request the server's stop cut short
// (errServerStopped), with what it was charged (md nil: nothing), as chat
// charges a cut stream: "the server stopped while request gw-… was
// streaming; charged 0.04 credits for what was delivered". The member and
// the model are named; never the key nor the prompt.
func (s *Service) logStopped(r *http.Request, id string, req completionRequest, md *Meterdesk) {
	actor, _ := access.FromContext(r.Context())
	charged, estimated := "0", false
	if md != nil {
		charged, estimated = md.CreditsCharged, md.Estimated
	}
	msg := fmt.Sprintf("gateway: the server stopped while request %s was running; charged %s for what the provider had generated", id, money.Credits(charged))
	if req.Stream {
		msg = fmt.Sprintf("gateway: the server stopped while request %s was streaming; charged %s for what was delivered", id, money.Credits(charged))
	}
	s.log.Warn(msg, "request", id, "member", actor.Name, "model", req.Model, "stream", req.Stream,
		"charged", charged, "estimated", estimated)
}

// logGone logs, at info level, a request whose client went away, with what
// it was charged (md nil: nothing), so that the log says what happened and
// what it cost: the charge is chat's rule for a cut stream (docs/gateway.md,
// "Failures after output").
func (s *Service) logGone(r *http.Request, id string, req completionRequest, md *Meterdesk, err error) {
	actor, _ := access.FromContext(r.Context())
	charged, estimated := "0", false
	if md != nil {
		charged, estimated = md.CreditsCharged, md.Estimated
	}
	s.log.Info("gateway: the client went away before the reply was complete",
		"request", id, "member", actor.Name, "model", req.Model, "stream", req.Stream,
		"charged", charged, "estimated", estimated, "reason", err.Error())
}

func (e *sse) chunk(d delta, finish *string) chunk {
	return chunk{ID: e.id, Object: "chat.completion.chunk", Created: e.created, Model: e.model,
		Choices: []chunkChoice{{Delta: d, FinishReason: finish}}}
}

// stream relays the provider's stream as OpenAI chunks: the reply text as
// delta.content, the reasoning text as delta.reasoning_content (DeepSeek's
// name; OpenAI's SDKs pass it through). Until the first piece of either
// nothing is written, so a failure before any output is an ordinary error
// response (with its status) and charges nothing. After that, the client is
// charged for what it was sent, reasoning included; the final chunk
// (finish_reason), the usage chunk (stream_options.include_usage), an SSE
// comment and the HTTP trailers carry the charge, or, on a failure, the
// error event, the comment and the trailers.
func (s *Service) stream(w http.ResponseWriter, r *http.Request, req completionRequest, call *chat.Call) {
	ctx := r.Context()
	e := &sse{w: w, rc: http.NewResponseController(w), id: "chatcmpl-" + call.Req.ID, model: req.Model, created: s.clock().Unix()}
	send := func(d delta) error {
		if !e.started {
			e.start()
			d.Role = "assistant"
		}
		return e.data(e.chunk(d, nil))
	}
	res, serr := call.StreamReasoning(ctx,
		func(text string) error { return send(delta{Content: &text}) },
		func(text string) error { return send(delta{ReasoningContent: &text}) })
	serr = stoppedBy(ctx, serr)
	if !e.started && serr != nil {
		s.failed(w, r, req, call, res, serr)
		return
	}
	ch, err := call.Settle(ctx, res, serr, s.countCharge(ctx))
	if err != nil {
		if !e.started {
			s.mapError(ctx, err).write(w)
			return
		}
		_ = e.data(s.mapError(ctx, err).body())
		return
	}
	md := s.info(ctx, call, res, ch)
	if !e.started { // an empty reply
		e.start()
		empty := ""
		_ = e.data(e.chunk(delta{Role: "assistant", Content: &empty}, nil))
	}
	setCreditHeaders(w.Header(), md) // trailers: declared in start
	if serr != nil {
		s.logCut(r, call.Req.ID, req, md, serr)
		_ = e.data(chargedError{s.mapCutError(r, serr, ch).body(), md})
		_ = e.raw(comment(md))
		return
	}
	fin := finishReason(res.FinishReason)
	last := e.chunk(delta{}, &fin)
	last.Meterdesk = md
	_ = e.data(last)
	if req.IncludeUsage {
		u := usageJSON{}
		if ch != nil {
			u = usageOf(ch.Usage)
		}
		uc := chunk{ID: e.id, Object: "chat.completion.chunk", Created: e.created, Model: e.model,
			Choices: []chunkChoice{}, Usage: &u, Meterdesk: md}
		_ = e.data(uc)
	}
	_ = e.raw(comment(md))
	_ = e.raw("data: [DONE]\n\n")
}

// comment is the SSE comment that repeats the charge before [DONE].
func comment(md *Meterdesk) string {
	s := ": meterdesk credits-charged=" + md.CreditsCharged
	if md.CreditsRemaining != "" {
		s += " credits-remaining=" + md.CreditsRemaining
	}
	if md.Estimated {
		s += " estimated=true"
	}
	return s + "\n\n"
}
