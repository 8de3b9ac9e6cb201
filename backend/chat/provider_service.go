package chat

import (
	"context"
	"fmt"
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
// no provider.
func kindFor(model string) providers.Kind {
	m := strings.ToLower(model)
	switch {
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
// or for "" the only provider, or the first one of the kind serving model.
func (r *ProviderService) Resolve(ctx context.Context, provider, model string) (Target, error) {
	var p providers.Provider
	if provider != "" {
		var err error
		if p, err = r.Svc.Find(ctx, provider); err != nil {
			return Target{}, fmt.Errorf("%w: %w", ErrNoProvider, err)
		}
	} else {
		list, err := r.Svc.List(ctx)
		if err != nil {
			return Target{}, err
		}
		want, found := kindFor(model), false
		for _, c := range list {
			if len(list) == 1 || c.Kind == want {
				p, found = c, true
				break
			}
		}
		if !found {
			return Target{}, fmt.Errorf("model %q: %w (add one in Settings → Providers, or with meterdesk providers add)", model, ErrNoProvider)
		}
	}
	c, err := r.client(ctx, p)
	if err != nil {
		return Target{}, err
	}
	return Target{Name: p.Name, RateProvider: providers.CatalogueProvider(p.Kind), Local: p.Local, Client: c}, nil
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
		t := TargetInfo{Name: p.Name, RateProvider: providers.CatalogueProvider(p.Kind), Local: p.Local}
		// OpenAI-compatible servers share the "local" rates: each offers
		// the models it reported, not every other server's too. (Cloud
		// kinds keep the catalogue's priced models.)
		if ms, ok := reported[p.ID]; ok && p.Kind == providers.KindCompatible && len(ms) > 0 {
			t.Models = ms
		}
		out = append(out, t)
	}
	return out, nil
}
