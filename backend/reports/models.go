package reports

import (
	"context"
	"fmt"
	"strings"

	"meterdesk/backend/providers"
	"meterdesk/backend/store"
)

// ProviderSQL is the SQL for the provider a usage transfer was charged for:
// the name its posting's meta holds under "provider" (backend/chat's
// postMeta, the configured provider's name when it was charged), empty when it
// names none or the meta is not JSON (CASE reads json_type only of valid
// JSON: it fails on any other). col is the meta column.
func ProviderSQL(col string) string {
	return `CASE WHEN json_valid(` + col + `) THEN CASE WHEN json_type(` + col + `, '$.provider') = 'text'
		THEN json_extract(` + col + `, '$.provider') ELSE '' END ELSE '' END`
}

// ModelNamer names usage by model and provider, the one rule of the Usage
// page's "By model", `report usage --by model`, the statements' usage by
// model and the per-message CSV: "gpt-4o · OpenAI", "gpt-4o · Lab", the
// provider as it reads now (providers.ChargeNames: renamed, "(since
// removed)", "provider unknown"), so one model at two providers is two
// rows, each at its own rates.
type ModelNamer struct {
	provider func(string) string
}

// NewModelNamer reads the providers' names now (and their renames).
func NewModelNamer(ctx context.Context, db *store.DB) (ModelNamer, error) {
	p, err := providers.ChargeNames(ctx, db)
	if err != nil {
		return ModelNamer{}, fmt.Errorf("usage by model: %w", err)
	}
	return ModelNamer{provider: p}, nil
}

// Provider is how the provider name stored with a charge reads now.
func (n ModelNamer) Provider(stored string) string { return n.provider(stored) }

// Label is the row's name: "gpt-4o · OpenAI"; "(no model)" for a transfer
// with neither a model nor a provider (no chat charge), "(no model) · Lab"
// for a provider's charge with no model. A stored name of spaces is none, as
// the provider reads (providers.ChargeNames).
func (n ModelNamer) Label(model, storedProvider string) string {
	if model == "" && strings.TrimSpace(storedProvider) == "" {
		return "(no model)"
	}
	return ModelLabel(model, n.provider(storedProvider))
}

// ModelLabel joins a model and its provider's name as it reads.
func ModelLabel(model, provider string) string {
	if model == "" {
		model = "(no model)"
	}
	return model + " · " + provider
}
