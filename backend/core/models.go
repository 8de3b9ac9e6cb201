package core

import (
	"context"
	"slices"

	"meterdesk/backend/providers"
)

// ProviderModels is a provider's model list as `meterdesk providers
// models` prints it: the live list when the provider answers
// (providers.Service.Models); when it cannot be listed (offline, or it
// answered an error: ModelList.Stale), its last known models merged with
// what the chat's model picker and the local API offer for it
// (chat.Meter.Models: the rate catalogue's models of its kind, all of them
// while it never listed, and the admins' custom ones), the models added so
// named in FromCatalogue. So the command and the window agree offline: a
// cloud provider that never listed offers its catalogue models in both,
// marked as not fetched (Stale), rather than "no last known list" in one.
// Why and Shown say why (a stale or an empty list) and which list it is
// (a live one: when it was fetched), its time in the workspace's zone
// (providers.ListWords), the words both show.
func (b *Backend) ProviderModels(ctx context.Context, id int64) (providers.ModelList, error) {
	ml, err := b.Providers.Models(ctx, id)
	if err != nil {
		return ml, err
	}
	loc, err := b.Zone(ctx)
	if err != nil {
		return providers.ModelList{}, err
	}
	if !ml.Stale {
		// When it was fetched, and an empty list's why (NoModelsChosen).
		ml.Why, ml.Shown = providers.ListWords(ml, loc)
		return ml, nil
	}
	p, err := b.Providers.Get(ctx, id)
	if err != nil {
		return providers.ModelList{}, err
	}
	offered, err := b.Chat.Models(ctx)
	if err != nil {
		return providers.ModelList{}, err
	}
	for _, o := range offered {
		if o.Provider == p.Name && !slices.Contains(ml.Models, o.Model) {
			ml.Models = append(ml.Models, o.Model)
			ml.FromCatalogue = append(ml.FromCatalogue, o.Model)
		}
	}
	// Why, and which list this is, in the one wording of the CLI's error
	// and the window (providers.ListWords), its date in the workspace's
	// zone.
	ml.Why, ml.Shown = providers.ListWords(ml, loc)
	return ml, nil
}
