package rates

import (
	"strings"

	"meterdesk/backend/inputerr"
	"meterdesk/backend/ledger"
	"meterdesk/backend/textcheck"
)

// Provider identifiers. They match the provider kinds in backend/providers;
// "local" covers OpenAI-compatible local servers.
const (
	OpenAI    = "openai"
	DeepSeek  = "deepseek"
	Gemini    = "gemini"
	Anthropic = "anthropic"
	Local     = "local"
)

// ProviderInfo names a provider for the UI.
type ProviderInfo struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// Providers lists the known providers in display order.
var Providers = []ProviderInfo{
	{OpenAI, "OpenAI"},
	{DeepSeek, "DeepSeek"},
	{Gemini, "Gemini"},
	{Anthropic, "Claude (Anthropic)"},
	{Local, "Local (OpenAI-compatible)"},
}

// providerRank is a provider's position in Providers (-1 if unknown).
func providerRank(id string) int {
	for i, p := range Providers {
		if p.ID == id {
			return i
		}
	}
	return -1
}

// CheckProvider fails for a provider id that is not in Providers.
func CheckProvider(id string) error {
	if providerRank(id) < 0 {
		ids := make([]string, len(Providers))
		for i, p := range Providers {
			ids[i] = p.ID
		}
		return inputerr.About("provider", inputerr.Text(ErrInvalid, "unknown provider %q (want one of %s)", id, strings.Join(ids, ", ")))
	}
	return nil
}

// CheckModel fails for a model name that is empty, too long, contains
// control characters, or is "(no model)" (ledger.NoModel).
//
// CheckProvider's and CheckModel's refusals are refused inputs in words of
// their own (inputerr.Text: no "invalid rates: " in front; the CLI's exit
// 2, ErrInvalid), about the field "model" or "provider" (inputerr.About):
// the window's Add model form marks it.
func CheckModel(name string) error {
	if strings.TrimSpace(name) == "" {
		return inputerr.About("model", inputerr.Text(ErrInvalid, "model name is empty"))
	}
	if name != strings.TrimSpace(name) {
		return inputerr.About("model", inputerr.Text(ErrInvalid, "model name %q has leading or trailing spaces", name))
	}
	if name == ledger.NoModel {
		// The history's filter and the Usage page's bars read it as no
		// model: a model so named would be summed with the charges naming
		// none and never found by its own drill-down.
		return inputerr.About("model", inputerr.Text(ErrInvalid, "model name %q is how the reports name charges with no model; use the model's name at its provider", name))
	}
	if len(name) > 200 {
		return inputerr.About("model", inputerr.Text(ErrInvalid, "model name is longer than 200 characters"))
	}
	if err := textcheck.Line(name); err != nil {
		return inputerr.About("model", inputerr.Text(ErrInvalid, "model name %q: %v", name, err))
	}
	return nil
}
