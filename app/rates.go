package app

import (
	"fmt"
	"strings"

	"meterdesk/backend/access"
	"meterdesk/backend/fileout"
	"meterdesk/backend/metering"
	"meterdesk/backend/rates"
)

func init() { register(func(a *App) any { return &Rates{app: a} }) }

// Rates is the bound struct for Settings → Rates and the composer's
// estimate. Every write is checked for admin in backend/rates.
type Rates struct{ app *App }

// Table returns the current rate table grouped by provider.
func (r *Rates) Table() (rates.Table, error) {
	return r.app.Backend.Rates.Table(r.app.Ctx())
}

// Providers lists the known providers in display order.
func (r *Rates) Providers() ([]rates.ProviderInfo, error) { return rates.Providers, nil }

// Versions lists recent rate versions, newest first.
func (r *Rates) Versions() ([]rates.VersionInfo, error) {
	return r.app.Backend.Rates.Versions(r.app.Ctx(), 0)
}

// Preview validates a change and lists what it would alter, writing nothing.
func (r *Rates) Preview(c rates.Change) ([]rates.Diff, error) {
	return r.app.Backend.Rates.Preview(r.app.Ctx(), c)
}

// Apply saves a change (admin only) and returns the new table.
func (r *Rates) Apply(c rates.Change) (rates.Table, error) {
	a, err := r.app.Backend.Rates.ApplyChange(r.app.Ctx(), c)
	if err != nil {
		return rates.Table{}, err
	}
	// The version this save made (or found), not the table's, and whether
	// it is still in force: another save may have come between.
	return r.app.Backend.Rates.TableAfter(r.app.Ctx(), a)
}

// AddModel adds a custom model (admin only) and returns the new table.
func (r *Rates) AddModel(provider, model string) (rates.Table, error) {
	if err := r.app.Backend.Rates.AddModel(r.app.Ctx(), provider, strings.TrimSpace(model)); err != nil {
		return rates.Table{}, err
	}
	return r.Table()
}

// RemoveModel removes a custom model (admin only) and returns the new table.
func (r *Rates) RemoveModel(provider, model string) (rates.Table, error) {
	if err := r.app.Backend.Rates.RemoveModel(r.app.Ctx(), provider, model); err != nil {
		return rates.Table{}, err
	}
	return r.Table()
}

// Calculate turns a provider price, a markup and a credit's value into a
// credit rate, with exact decimal arithmetic.
func (r *Rates) Calculate(in rates.CalcInput) (rates.CalcResult, error) {
	return rates.Calculate(in)
}

// Export returns the whole table as CSV or JSON text.
func (r *Rates) Export(format string) (string, error) {
	b, err := r.app.Backend.Rates.Export(r.app.Ctx(), format)
	return string(b), err
}

// Import replaces the whole table with CSV or JSON text (admin only, all or
// nothing) and returns the new table, with the version the import made
// (or found in force, Unchanged: the file held the rates as they are) and
// whether it is still in force (rates.Service.TableAfter).
func (r *Rates) Import(format, data string) (rates.Table, error) {
	a, err := r.app.Backend.Rates.ImportChange(r.app.Ctx(), format, []byte(data))
	if err != nil {
		return rates.Table{}, err
	}
	return r.app.Backend.Rates.TableAfter(r.app.Ctx(), a)
}

// ExportToFile asks where to save and writes the table there; it returns
// the path ("" if the user cancelled).
func (r *Rates) ExportToFile(format string) (string, error) {
	format = strings.ToLower(format)
	data, err := r.app.Backend.Rates.Export(r.app.Ctx(), format)
	if err != nil {
		return "", err
	}
	path, err := r.app.SaveFileDialog("Export rates", "meterdesk-rates."+format, "*."+format)
	if err != nil || path == "" {
		return "", err
	}
	if err := fileout.WriteBytes(path, 0o600, data); err != nil {
		return "", fmt.Errorf("export rates: %w", err)
	}
	return path, nil
}

// ImportFromFile asks for a CSV or JSON file and imports it (admin only:
// a member is refused before the dialog opens or any file is read); it
// returns the new table as Import does (as it is, AppliedVersion 0, if the
// user cancelled).
func (r *Rates) ImportFromFile() (rates.Table, error) {
	if _, err := access.RequireAdmin(r.app.Ctx(), "import rates"); err != nil {
		return rates.Table{}, err
	}
	path, err := r.app.OpenFileDialog("Import rates", "*.csv;*.json")
	if err != nil {
		return rates.Table{}, err
	}
	if path == "" {
		return r.Table()
	}
	return r.importFile(path)
}

// importFile imports the file at path the dialog gave. A file it cannot
// read is refused in the CLI's words for `rates import FILE`
// (fileout.ReadGiven: "PATH: no such file", "PATH cannot be read: it is a
// folder; give a file", "… permission denied; check its permissions …"),
// where it showed Go's "open PATH: …"; nothing is imported.
func (r *Rates) importFile(path string) (rates.Table, error) {
	data, err := fileout.ReadGiven(path)
	if err != nil {
		return rates.Table{}, fmt.Errorf("import rates: %w", err)
	}
	format := rates.FormatCSV
	if strings.HasSuffix(strings.ToLower(path), ".json") {
		format = rates.FormatJSON
	}
	return r.Import(format, string(data))
}

// Estimate is the composer's live estimate: the prompt of messages for
// model counted offline, priced with the current rates, as the range
// [prompt cost, prompt cost + maxOutputTokens at the output rate].
func (r *Rates) Estimate(model string, messages []metering.Message, maxOutputTokens int) (metering.Estimate, error) {
	return r.EstimateFor("", model, messages, maxOutputTokens)
}

// EstimateFor is Estimate for a model of a given provider ("" = any).
func (r *Rates) EstimateFor(provider, model string, messages []metering.Message, maxOutputTokens int) (metering.Estimate, error) {
	return metering.EstimateCost(r.app.Ctx(), r.app.Backend.Rates, provider, model, messages, int64(maxOutputTokens))
}
