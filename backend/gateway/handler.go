package gateway

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/providers"
	"meterdesk/backend/rates"
)

// Handler returns the HTTP API (every route needs an API key).
func (s *Service) Handler() http.Handler {
	return http.HandlerFunc(s.serveHTTP)
}

func (s *Service) serveHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimSuffix(r.URL.Path, "/")
	var want string
	var h func(http.ResponseWriter, *http.Request)
	switch {
	case path == "/v1/chat/completions":
		want, h = http.MethodPost, s.completions
	case path == "/v1/models":
		want, h = http.MethodGet, s.models
	case strings.HasPrefix(path, "/v1/models/"):
		want, h = http.MethodGet, s.model
	case path == "/v1/credits":
		want, h = http.MethodGet, s.credits
	default:
		(&apiError{Status: http.StatusNotFound, Type: typeNotFound, Code: ptr("unknown_url"),
			Message: "Unknown request URL: " + r.Method + " " + r.URL.Path + ". The Meterdesk gateway serves " +
				"POST /v1/chat/completions, GET /v1/models and GET /v1/credits."}).write(w)
		return
	}
	if path == "/v1/chat/completions" {
		// Every answer of a completion request carries a request id, made
		// here, once, before anything can refuse it (a wrong method or
		// key, a body too large or not JSON), so that a user can quote it;
		// the ledger's id replaces it once the Idempotency-Key gives one
		// (requestIDFor).
		id := newRequestID()
		w.Header().Set(HeaderRequestID, id)
		r = r.WithContext(withRequestID(r.Context(), id))
	}
	if r.Method != want {
		w.Header().Set("Allow", want)
		(&apiError{Status: http.StatusMethodNotAllowed, Type: typeInvalid, Code: ptr("method_not_allowed"),
			Message: r.Method + " is not allowed on " + path + " (use " + want + ")"}).write(w)
		return
	}
	actor, key, aerr := s.authenticate(r)
	if aerr != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="meterdesk"`)
		aerr.write(w)
		return
	}
	h(w, r.WithContext(withKey(access.WithActor(r.Context(), actor), key)))
}

// authenticate reads "Authorization: Bearer <key>" (the scheme in any
// case, as RFC 9110 has it), and returns the key's member and its row id.
func (s *Service) authenticate(r *http.Request) (access.Actor, int64, *apiError) {
	scheme, key, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(key) == "" {
		return access.Actor{}, 0, unauthorized("Missing API key: send \"Authorization: Bearer mdk_...\" with a key created in Meterdesk (Settings → API, or `meterdesk apikeys create`).")
	}
	a, id, err := s.authenticateKey(r.Context(), strings.TrimSpace(key))
	if errors.Is(err, ErrBadKey) {
		return access.Actor{}, 0, unauthorized("Incorrect or revoked API key. Create a new one in Meterdesk (Settings → API).")
	}
	if err != nil {
		return access.Actor{}, 0, s.mapError(r.Context(), err)
	}
	return a, id, nil
}

// requestIDCtx is the context key of a request's id: the one serveHTTP
// made, until the completion's handler has the ledger's (requestIDFor).
type requestIDCtx struct{}

// withRequestID is ctx with the request id id, the one its answer's
// X-Meterdesk-Request-Id header carries.
func withRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDCtx{}, id)
}

// requestIDOf is ctx's request id ("" for a route that has none).
func requestIDOf(ctx context.Context) string {
	id, _ := ctx.Value(requestIDCtx{}).(string)
	return id
}

// earlyRequestID is the request id serveHTTP made for r ("" for a route
// that has none).
func earlyRequestID(r *http.Request) string { return requestIDOf(r.Context()) }

// newRequestID returns a request id for the ledger ("gw-" + 128 random bits).
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "gw-" + hex.EncodeToString(b[:])
}

// remaining returns the payer's available credits ("" if unreadable).
func (s *Service) remaining(ctx context.Context, payer string) string {
	avail, err := s.led.Available(access.WithActor(context.WithoutCancel(ctx), access.System), payer)
	if err != nil {
		return ""
	}
	return money.String(avail)
}

// info describes a settled call (ch nil = nothing charged) whose provider
// delivered res.
func (s *Service) info(ctx context.Context, c *chat.Call, res providers.Result, ch *chat.Charge) *Meterdesk {
	m := &Meterdesk{RequestID: c.Req.ID, CreditsCharged: "0", CreditsRemaining: s.remaining(ctx, c.Payer),
		ReasoningHidden: res.ReasoningHidden}
	if ch != nil {
		m.CreditsCharged, m.Estimated, m.Capped = ch.Amount, ch.Estimated, ch.Capped
	}
	return m
}

// setCreditHeaders writes the charge headers (before the body, or as trailers).
func setCreditHeaders(h http.Header, m *Meterdesk) {
	h.Set(HeaderCharged, m.CreditsCharged)
	if m.CreditsRemaining != "" {
		h.Set(HeaderRemaining, m.CreditsRemaining)
	}
	if m.Estimated {
		h.Set(HeaderEstimated, "true")
	}
}

// credits answers GET /v1/credits: the caller's payer account and limits.
func (s *Service) credits(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor, _ := access.Current(ctx)
	f, err := s.team.Funding(ctx, actor.UserID)
	if err != nil {
		s.mapError(r.Context(), err).write(w)
		return
	}
	out := creditsJSON{Object: "credits", Member: memberJSON{ID: actor.UserID, Name: actor.Name}, Account: f.PayerAccount,
		Balance: "0", Pending: "0", Available: "0", Limits: []limitJSON{}}
	b, err := s.led.Balance(access.WithActor(ctx, access.System), f.PayerAccount)
	switch {
	case errors.Is(err, ledger.ErrUnknownAccount):
	case err != nil:
		s.mapError(r.Context(), err).write(w)
		return
	default:
		out.Balance, out.Pending, out.Available = money.String(b.Balance), money.String(b.Pending), money.String(b.Available)
	}
	limits, err := s.team.Limits(ctx, actor.UserID)
	if err != nil {
		s.mapError(r.Context(), err).write(w)
		return
	}
	for _, l := range limits {
		lj := limitJSON{Kind: l.Kind, Model: l.Model, Period: l.Period, Amount: l.Amount,
			Used: l.Used, Pending: l.Pending, Remaining: l.Remaining, TimeZone: l.TimeZone, Reached: l.Reached}
		if l.ResetHelps() {
			lj.ResetsAt = ptr(l.ResetsAt.UTC().Format("2006-01-02T15:04:05Z07:00"))
		}
		out.Limits = append(out.Limits, lj)
	}
	w.Header().Set(HeaderRemaining, out.Available)
	writeJSON(w, http.StatusOK, out)
}

type creditsJSON struct {
	Object    string      `json:"object"`
	Member    memberJSON  `json:"member"`
	Account   string      `json:"account"` // the payer: pool, dept:<id> or user:<id>
	Balance   string      `json:"balance"`
	Pending   string      `json:"pending"`
	Available string      `json:"available"`
	Limits    []limitJSON `json:"limits"`
}

type memberJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type limitJSON struct {
	Kind      string `json:"kind"`
	Model     string `json:"model,omitempty"`
	Period    string `json:"period"`
	Amount    string `json:"amount"`
	Used      string `json:"used"`
	Pending   string `json:"pending"`
	Remaining string `json:"remaining"`
	// ResetsAt is when the period ends and what it used is freed; null
	// for a limit of 0, which no reset helps (team.LimitStatus.ResetHelps),
	// as its 429 gives no reset header.
	ResetsAt *string `json:"resets_at"`
	TimeZone string  `json:"time_zone"`
	// Reached says, in the words the window and `meterdesk limits list`
	// show (team.LimitStatus.Reached), that the limit refuses requests and
	// until when; omitted while it does not.
	Reached string `json:"reached,omitempty"`
}

// listModels returns the models of every configured provider as the
// window's model picker offers them (chat.Meter.Models: one list for
// both), first provider first, each model once, owned by the first
// provider that offers it.
func (s *Service) listModels(ctx context.Context) ([]modelJSON, error) {
	opts, err := s.meter.Models(ctx)
	if err != nil {
		return nil, err
	}
	since, err := s.meter.ModelsSince(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	out := []modelJSON{}
	for _, o := range opts {
		if !seen[o.Model] {
			seen[o.Model] = true
			// created: since when the model has been in this workspace's
			// catalogue (rates.Service.ModelsSince), stable across rate
			// changes; it was 0 for every model.
			var created int64
			if t, ok := since[rates.ModelKey{Provider: o.RateProvider, Model: o.Model}]; ok {
				created = t.Unix()
			}
			out = append(out, modelJSON{ID: o.Model, Object: "model", Created: created, OwnedBy: o.Provider})
		}
	}
	return out, nil
}

// models answers GET /v1/models.
func (s *Service) models(w http.ResponseWriter, r *http.Request) {
	ms, err := s.listModels(r.Context())
	if err != nil {
		s.mapError(r.Context(), err).write(w)
		return
	}
	writeJSON(w, http.StatusOK, modelList{Object: "list", Data: ms})
}

// model answers GET /v1/models/{id}.
func (s *Service) model(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(strings.TrimSuffix(r.URL.Path, "/"), "/v1/models/")
	ms, err := s.listModels(r.Context())
	if err != nil {
		s.mapError(r.Context(), err).write(w)
		return
	}
	for _, m := range ms {
		if m.ID == id {
			writeJSON(w, http.StatusOK, m)
			return
		}
	}
	modelNotFound(id).write(w)
}
