package chat

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"meterdesk/backend/inputerr"
	"meterdesk/backend/providers"
	"meterdesk/backend/rates"
	"meterdesk/backend/shellquote"
)

// rateRowModel reads a model named as the rate table names its rows,
// "PROVIDER/MODEL" ("local/m1": an Ollama's m1, whatever the Ollama is
// called; `meterdesk rates list`, the Getting started checklist), as the
// provider and model it is: the configured provider whose rates key
// (TargetInfo.RateProvider, the rate table's PROVIDER) is PROVIDER and that
// offers MODEL (Meter.models: what the picker offers), so that the send is
// priced by that row and not the default rate of a model named "local/m1".
// provider "" is a send naming no provider (it returns the one found);
// otherwise only that provider (by name) is considered, and it is kept.
//
// A real model name with a '/' wins: when any provider considered offers
// or has listed model itself ("openai/gpt-4o" at OpenRouter), model is
// returned as it is; so is, with no provider named, a PROVIDER other than
// "local" while an OpenAI-compatible server that may take any name is
// configured (takesAnyName: a remote router, or a server whose list is
// unknown; it may serve the name though its last listing lacks it, and it
// is where routing sends a name with a '/'), as is a model with no '/', one no provider's rates key
// and models match, and any model when the providers or rates cannot be
// read (the send then says what it would have said). When PROVIDER/MODEL
// matches more than one provider, it is refused (ErrInvalid), naming them
// and what to pass instead: the send cannot tell which one to send to.
func (m *Meter) rateRowModel(ctx context.Context, provider, model string) (string, string, error) {
	key, rest, ok := strings.Cut(model, "/")
	if !ok || key == "" || rest == "" {
		return provider, model, nil
	}
	targets, err := m.resolver.Targets(ctx)
	if err != nil {
		return provider, model, nil
	}
	opts, _, err := m.models(ctx)
	if err != nil {
		return provider, model, nil
	}
	offers := func(name, model string) bool {
		return slices.ContainsFunc(opts, func(o ModelOption) bool { return o.Provider == name && o.Model == model })
	}
	// With no provider named, a name whose PROVIDER is not the local key
	// is split only when no server that takes any name is configured: such
	// a server (OpenRouter, a remote vLLM) takes any name, and
	// "openai/gpt-4o-mini" went to it before, the router's listing perhaps
	// older than the model; a split would send the prompt to another
	// company (OpenAI) instead. A local server (Ollama on this computer)
	// whose list is known and lacks the name does not count: the name went
	// to OpenAI before, and sending it to Ollama would charge the default
	// rate. "local/m1" names the compatible servers themselves, so it splits.
	anyName := provider == "" && !strings.EqualFold(key, rates.Local) && slices.ContainsFunc(targets, takesAnyName)
	if anyName && slices.ContainsFunc(targets, func(t TargetInfo) bool { return takesAnyName(t) && !t.Local }) {
		return provider, model, nil
	}
	var found, servers []string
	for _, t := range targets {
		if provider != "" && t.Name != provider {
			continue
		}
		if slices.Contains(t.Models, model) || slices.Contains(t.Listed, model) || offers(t.Name, model) {
			return provider, model, nil // a real name: "openai/gpt-4o" at OpenRouter
		}
		if takesAnyName(t) {
			servers = append(servers, t.Name)
		}
		// PROVIDER is the rate table's key ("openai") or a configured
		// provider's name as `providers list` shows it, case aside
		// ("Claude/claude-sonnet-4-5" for a provider named Claude).
		if (strings.EqualFold(t.RateProvider, key) || strings.EqualFold(t.Name, key)) && offers(t.Name, rest) {
			found = append(found, t.Name)
		}
	}
	switch {
	case len(found) == 0:
		return provider, model, nil
	case anyName:
		// Only servers on this computer whose models are not known yet
		// (never listed: an Ollama not running) take any name: one may
		// serve "openai/gpt-4o-mini" as it is, or it means OpenAI's
		// gpt-4o-mini. The prompt went to the server, which was not what
		// was meant when it was OpenAI's; it is refused, nothing sent,
		// with both ways to say which, in words every caller can follow:
		// the local API has no --provider, so the plain name is offered
		// where a send naming no provider takes it to found[0].
		plain := ""
		if t, err := m.resolver.Resolve(ctx, "", rest); err == nil && t.Name == found[0] {
			plain = fmt.Sprintf("ask for %q for %s's, or ", rest, found[0])
		}
		return provider, model, inputerr.New(ErrInvalid, "%q may be %s's %s or a model of %s (on this computer, its models not known yet) named %q: %son the command line add --provider %s for %s's or --provider %s for the name as it is",
			model, found[0], rest, strings.Join(servers, ", "), model, plain, shellquote.Word(found[0]), found[0], shellquote.Word(servers[0]))
	case len(found) == 1:
		return found[0], rest, nil
	}
	// Worded for every caller: the local API has no --provider, the window
	// names its provider and never gets here.
	return provider, model, inputerr.New(ErrInvalid, "%q is offered by %d providers (%s): ask for %q, which the first that lists it answers, or on the command line add --provider with one of them",
		model, len(found), strings.Join(found, ", "), rest)
}

// takesAnyName: an OpenAI-compatible server (rates key "local") that may
// serve a model of any name, "org/model" included, listed or not yet: one
// not on this computer (a router such as OpenRouter), or one whose models
// are unknown (never reported). A local server whose list is known (an
// Ollama listing llama3.2) serves only what it lists.
func takesAnyName(t TargetInfo) bool {
	compatible := t.Kind == providers.KindCompatible || strings.EqualFold(t.RateProvider, rates.Local)
	return compatible && (!t.Local || t.Unreported)
}

// splitOffer is, for a PROVIDER/MODEL name kept whole ("openai/gpt-4o"),
// the one configured provider other than sentTo whose rates key or name is
// PROVIDER and that offers MODEL (openai's gpt-4o): what the send would
// have been split into. "" when there is none, or more than one.
func (m *Meter) splitOffer(ctx context.Context, sentTo, model string) string {
	key, rest, ok := strings.Cut(model, "/")
	if !ok || key == "" || rest == "" {
		return ""
	}
	targets, err := m.resolver.Targets(ctx)
	if err != nil {
		return ""
	}
	opts, _, err := m.models(ctx)
	if err != nil {
		return ""
	}
	var found []string
	for _, t := range targets {
		if t.Name != sentTo && (strings.EqualFold(t.RateProvider, key) || strings.EqualFold(t.Name, key)) &&
			slices.ContainsFunc(opts, func(o ModelOption) bool { return o.Provider == t.Name && o.Model == rest }) {
			found = append(found, t.Name)
		}
	}
	if len(found) != 1 {
		return ""
	}
	return found[0]
}
