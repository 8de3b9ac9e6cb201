package app

import "meterdesk/backend/providers"

func init() { register(func(a *App) any { return &Providers{app: a} }) }

// Providers is the bound struct for Settings → Providers. Role checks happen
// in backend/providers (writes and tests are admin-only).
type Providers struct{ app *App }

// List returns the configured providers (never their keys).
func (p *Providers) List() ([]providers.Provider, error) {
	return p.app.Backend.Providers.List(p.app.Ctx())
}

// Presets returns the known kinds with their documented base URLs.
func (p *Providers) Presets() ([]providers.Preset, error) { return providers.Presets(), nil }

// SecretStorage says where new keys are kept: "keychain" or "sealed".
func (p *Providers) SecretStorage() (string, error) {
	return p.app.Backend.Providers.SecretStorage(), nil
}

// Add saves a new provider. When listing its models right after fails,
// it is saved all the same and the result's modelsError says why (the
// window's toast: "Saved, but listing the models failed: …"); when the key
// check that follows a listing that needs no key (OpenRouter) does not
// pass, keyError says so ("Saved, but the key was refused: …").
func (p *Providers) Add(in providers.Input) (providers.Provider, error) {
	return p.app.Backend.Providers.Add(p.app.Ctx(), in)
}

// Update edits a provider; an empty APIKey keeps the stored key. As Add,
// the result's modelsError and keyError say what the listing afterwards
// found wrong; unchanged says the edit asked for what the provider had
// already (the stored key typed again included), so nothing was saved.
func (p *Providers) Update(id int64, in providers.Input) (providers.Provider, error) {
	return p.app.Backend.Providers.Update(p.app.Ctx(), id, in)
}

// Remove deletes a provider and its key; it returns the removed id.
func (p *Providers) Remove(id int64) (int64, error) {
	if err := p.app.Backend.Providers.Remove(p.app.Ctx(), id); err != nil {
		return 0, err
	}
	return id, nil
}

// Test checks a saved provider.
func (p *Providers) Test(id int64) (providers.TestResult, error) {
	return p.app.Backend.Providers.Test(p.app.Ctx(), id)
}

// TestInput checks the form's values before saving (id 0 = a new provider;
// otherwise empty fields fall back to the saved ones, including the key).
func (p *Providers) TestInput(id int64, in providers.Input) (providers.TestResult, error) {
	return p.app.Backend.Providers.TestInput(p.app.Ctx(), id, in)
}

// Models lists the provider's models (offline: the last known list with
// the rate catalogue's models the chat offers for it, as `meterdesk
// providers models` prints it: core.Backend.ProviderModels).
func (p *Providers) Models(id int64) (providers.ModelList, error) {
	return p.app.Backend.ProviderModels(p.app.Ctx(), id)
}
