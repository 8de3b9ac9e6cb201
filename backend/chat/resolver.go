package chat

import (
	"context"
	"fmt"
	"slices"

	"meterdesk/backend/providers"
)

// Target is one configured provider ready to stream.
type Target struct {
	Name         string           // the configured provider's name (stored on messages)
	RateProvider string           // the rates provider id that prices it (openai, deepseek, gemini, anthropic, local)
	Local        bool             // on this machine: works without a network
	Client       providers.Client // the streaming client
	// Kind is the provider's wire format, which decides what a reasoning
	// level sends (providers.ReasoningFor); "" sends none.
	Kind providers.Kind
	// SelfHosted: on this machine or the member's own network
	// (providers.SelfHosted): no reasoning setting applies to an
	// OpenAI-compatible one, whatever its models are called.
	SelfHosted bool
}

// TargetInfo describes a configured provider for the model picker.
type TargetInfo struct {
	Name         string         `json:"name"`
	RateProvider string         `json:"rateProvider"`
	Local        bool           `json:"local"`
	Kind         providers.Kind `json:"kind"`   // the wire format ("" in tests that need none: no reasoning setting applies)
	Models       []string       `json:"models"` // nil = the rate catalogue's models of RateProvider
	// Unreported: an OpenAI-compatible server that has not reported its
	// models yet (never reachable): it offers RateProvider's models with
	// rates of their own and the admins' custom ones, not the models other
	// servers reported.
	Unreported bool `json:"unreported,omitempty"`
	// Listed is, for a cloud provider (Models nil) that has listed its
	// models, the last list it reported: the picker offers, of
	// RateProvider's catalogue, only these and the admins' custom models,
	// not a model it no longer lists (a send would fail with the
	// provider's 404). nil = every catalogue model (it never listed).
	Listed []string `json:"listed,omitempty"`
	// SelfHosted: on this machine or the member's own network
	// (Target.SelfHosted).
	SelfHosted bool `json:"selfHosted,omitempty"`
}

// Resolver finds the configured provider for a send. backend/providers'
// service implements it (adapted in backend/core); tests use StaticResolver.
type Resolver interface {
	// Resolve returns the provider named provider, or, for provider "", the
	// configured provider that serves model. Unknown: ErrNoProvider.
	Resolve(ctx context.Context, provider, model string) (Target, error)
	// Targets lists the configured providers.
	Targets(ctx context.Context) ([]TargetInfo, error)
}

// StaticEntry is one provider of a StaticResolver.
type StaticEntry struct {
	Info   TargetInfo
	Client providers.Client
}

// StaticResolver is a fixed list of providers (tests, benchmarks, and the
// fallback before any provider service is wired).
type StaticResolver []StaticEntry

// Resolve implements Resolver.
func (r StaticResolver) Resolve(_ context.Context, provider, model string) (Target, error) {
	for _, e := range r {
		if provider != "" && e.Info.Name != provider {
			continue
		}
		if provider == "" && e.Info.Models != nil && !slices.Contains(e.Info.Models, model) {
			continue
		}
		return Target{Name: e.Info.Name, RateProvider: e.Info.RateProvider, Local: e.Info.Local, SelfHosted: e.Info.SelfHosted,
			Client: e.Client, Kind: e.Info.Kind}, nil
	}
	if provider != "" {
		return Target{}, fmt.Errorf("provider %q: %w", provider, ErrNoProvider)
	}
	return Target{}, fmt.Errorf("model %q: %w", model, ErrNoProvider)
}

// Targets implements Resolver.
func (r StaticResolver) Targets(context.Context) ([]TargetInfo, error) {
	out := make([]TargetInfo, len(r))
	for i, e := range r {
		out[i] = e.Info
	}
	return out, nil
}

// NoProviders is the Resolver used when nothing is configured.
type NoProviders struct{}

// Resolve always fails with ErrNoProvider.
func (NoProviders) Resolve(_ context.Context, provider, model string) (Target, error) {
	return StaticResolver(nil).Resolve(context.Background(), provider, model)
}

// Targets returns no providers.
func (NoProviders) Targets(context.Context) ([]TargetInfo, error) { return []TargetInfo{}, nil }
