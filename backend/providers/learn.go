package providers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"
)

// learnTimeout bounds the model listing that follows saving a provider, so
// that Save never waits long on a server that does not answer. The key
// check after it has its own bound (ServiceOptions.KeyCheckTimeout).
const learnTimeout = 3 * time.Second

// learnTimedOut is what a save says of a listing that learnTimeout cut
// off: the server at baseURL accepted the connection, or took long to,
// and did not answer within 3 s. The save stands; a connection test
// waits longer (DefaultListTimeout) and says what it then finds.
func learnTimedOut(baseURL string) string {
	host := baseURL
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		host = u.Host
	}
	return fmt.Sprintf("list models %s: no answer within %s (a server that is slow or busy, or a network that does not let the connection through); test the connection to wait longer",
		host, seconds(learnTimeout))
}

// learned is what the listing after a save found wrong: why the models
// could not be listed (Provider.ModelsError), or, when they were, why the
// key check did not pass (Provider.KeyError, keyCheckError.short), and
// that none was listed (Provider.NoModels, noModels), or that they were
// listed but could not be added to the rate catalogue
// (Provider.CatalogueError, ModelList.Incomplete); all "" when all was
// well.
type learned struct {
	models, key, none, catalogue string
}

// learnModels asks a provider that was just saved, or that passed a
// connection test, for its models (Models: remembered for offline use and
// merged into the rate catalogue, so that they reach the model picker and
// the rate table without a separate step). With proveKey (a save) it then
// checks the key where the listing does not (checkKey, the check "Test
// connection" makes: OpenRouter's model list answers without one). It is
// best effort and bounded: a server that cannot be reached keeps what was
// known, and the save stands. It returns what went wrong, which Add and
// Update pass on (Provider.ModelsError, Provider.KeyError) so that a save
// is not reported as a plain success when the provider does not answer as
// configured.
func (s *Service) learnModels(ctx context.Context, id int64, proveKey bool) learned {
	ctx = context.WithoutCancel(ctx)
	lctx, cancel := context.WithTimeout(ctx, learnTimeout)
	defer cancel()
	c, p, err := s.client(lctx, id)
	var ml ModelList
	if err == nil {
		ml, err = s.listWith(lctx, c, p)
	}
	if err != nil || ml.Stale {
		s.opts.Logger.Info("provider models not learned yet", "id", id, "err", err, "stale", ml.Stale)
	}
	switch {
	case err != nil:
		return learned{models: err.Error()}
	case ml.Stale && !ml.Offline && errors.Is(lctx.Err(), context.DeadlineExceeded):
		// Cut off by learnTimeout, not by the provider: Go's "context
		// deadline exceeded" says nothing a user can act on.
		return learned{models: learnTimedOut(p.BaseURL)}
	case ml.Stale:
		return learned{models: ml.Error}
	}
	var l learned
	if ml.Incomplete {
		l.catalogue = ml.Error
	}
	if len(ml.Models) == 0 {
		l.none = noModels(p.Kind, p.BaseURL)
	}
	if !proveKey {
		return l
	}
	if _, kerr := checkKey(ctx, c, s.opts.KeyCheckTimeout); kerr != nil { // its own bound, not the listing's
		s.opts.Logger.Info("provider key not accepted", "id", id, "err", kerr)
		l.key = kerr.short()
	}
	return l
}

// ReportedModels returns, for each provider that has listed its models, the
// last list it reported (providers that never answered are absent).
func (s *Service) ReportedModels(ctx context.Context) (map[int64][]string, error) {
	rows, err := s.db.Read().QueryContext(ctx, "SELECT id, reported_models FROM providers WHERE models_at <> ''")
	if err != nil {
		return nil, fmt.Errorf("reported models: %w", err)
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var id int64
		var raw string
		if err := rows.Scan(&id, &raw); err != nil {
			return nil, fmt.Errorf("reported models: %w", err)
		}
		var ms []string
		if json.Unmarshal([]byte(raw), &ms) == nil {
			out[id] = ms
		}
	}
	return out, rows.Err()
}
