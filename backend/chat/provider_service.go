package chat

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"meterdesk/backend/providers"
)

// ProviderService adapts the configured providers (*providers.Service) to
// Resolver. Clients are cached per provider until its configuration changes.
type ProviderService struct {
	Svc *providers.Service

	mu    sync.Mutex
	cache map[int64]cachedClient
}

type cachedClient struct {
	updatedAt string
	client    providers.Client
}

// NewProviderService returns the Resolver over svc.
func NewProviderService(svc *providers.Service) *ProviderService {
	return &ProviderService{Svc: svc, cache: map[int64]cachedClient{}}
}

// kindFor guesses the provider kind that serves model, for sends that name
// no provider and a model no provider has listed. A name with a tag or an
// organisation ("deepseek-r1:7b", "gpt-oss:20b", "meta-llama/llama-3") is a
// local or router model, never a cloud provider's: it must not be sent to
// DeepSeek or OpenAI because of its prefix.
func kindFor(model string) providers.Kind {
	m := strings.ToLower(model)
	switch {
	case strings.ContainsAny(m, ":/"):
		return providers.KindCompatible
	case strings.HasPrefix(m, "gpt") || strings.HasPrefix(m, "o1") || strings.HasPrefix(m, "o3") ||
		strings.HasPrefix(m, "o4") || strings.HasPrefix(m, "chatgpt"):
		return providers.KindOpenAI
	case strings.HasPrefix(m, "deepseek"):
		return providers.KindDeepSeek
	case strings.HasPrefix(m, "claude"):
		return providers.KindAnthropic
	case strings.HasPrefix(m, "gemini"):
		return providers.KindGemini
	}
	return providers.KindCompatible
}

// Resolve implements Resolver: the provider named (or numbered) provider,
// or for "" the one serving model (see serving).
func (r *ProviderService) Resolve(ctx context.Context, provider, model string) (Target, error) {
	var p providers.Provider
	if provider != "" {
		var err error
		if p, err = r.Svc.Find(ctx, provider); err != nil {
			return Target{}, fmt.Errorf("%w: %w", ErrNoProvider, err)
		}
	} else {
		var err error
		if p, err = r.serving(ctx, model); err != nil {
			return Target{}, err
		}
	}
	c, err := r.client(ctx, p)
	if err != nil {
		return Target{}, err
	}
	return Target{Name: p.Name, RateProvider: providers.CatalogueProvider(p.Kind), Local: p.Local, SelfHosted: p.SelfHosted,
		Client: c, Kind: p.Kind}, nil
}

// serving picks the provider for a send that names none, in the order the
// model lists (/v1/models, the picker) show them: the first provider that
// reported model among its models; else one of the kind the name suggests
// (kindFor), a local server before a remote one; else the only provider
// there is.
func (r *ProviderService) serving(ctx context.Context, model string) (providers.Provider, error) {
	list, err := r.Svc.List(ctx)
	if err != nil {
		return providers.Provider{}, err
	}
	reported, err := r.Svc.ReportedModels(ctx)
	if err != nil {
		return providers.Provider{}, err
	}
	for _, c := range list {
		if slices.Contains(reported[c.ID], model) {
			return c, nil
		}
	}
	// Of the kind the name suggests, a server on this computer first: an
	// unlisted "llama3:8b" is more likely a model pulled since Ollama was
	// last asked than one of a cloud router's (OpenRouter is
	// openai_compatible too), and it keeps the prompt on this computer.
	want := kindFor(model)
	var remote *providers.Provider
	for i, c := range list {
		if c.Kind != want {
			continue
		}
		if c.Local {
			return c, nil
		}
		if remote == nil {
			remote = &list[i]
		}
	}
	if remote != nil {
		return *remote, nil
	}
	if len(list) == 1 {
		return list[0], nil
	}
	return providers.Provider{}, fmt.Errorf("model %q: %w (add one in Settings → Providers, or with meterdesk providers add)", model, ErrNoProvider)
}

func (r *ProviderService) client(ctx context.Context, p providers.Provider) (providers.Client, error) {
	r.mu.Lock()
	cc, ok := r.cache[p.ID]
	r.mu.Unlock()
	if ok && cc.updatedAt == p.UpdatedAt {
		return cc.client, nil
	}
	c, err := r.Svc.Client(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.cache[p.ID] = cachedClient{updatedAt: p.UpdatedAt, client: c}
	r.mu.Unlock()
	return c, nil
}

// Targets implements Resolver.
func (r *ProviderService) Targets(ctx context.Context) ([]TargetInfo, error) {
	list, err := r.Svc.List(ctx)
	if err != nil {
		return nil, err
	}
	reported, err := r.Svc.ReportedModels(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]TargetInfo, 0, len(list))
	for _, p := range list {
		t := TargetInfo{Name: p.Name, RateProvider: providers.CatalogueProvider(p.Kind), Local: p.Local, SelfHosted: p.SelfHosted, Kind: p.Kind}
		// OpenAI-compatible servers share the "local" rates: each offers
		// the models it reported, not every other server's too. Cloud
		// kinds offer the catalogue's models that their last listing
		// still had, and the admins' custom ones (Listed).
		ms, ok := reported[p.ID]
		switch {
		case ok && p.Kind == providers.KindCompatible && len(ms) > 0:
			t.Models = ms
		case p.Kind == providers.KindCompatible:
			t.Unreported = true
		case ok && len(ms) > 0:
			t.Listed = ms
		}
		out = append(out, t)
	}
	return out, nil
}
