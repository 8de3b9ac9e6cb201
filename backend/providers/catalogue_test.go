package providers_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
)

// failingCatalogue fails every merge, as a database error would, after
// writing one of its models (which the failure must roll back).
type failingCatalogue struct{}

func (failingCatalogue) MergeReportedIn(ctx context.Context, tx *sql.Tx, provider string, models []string) (int, error) {
	if _, err := tx.ExecContext(ctx, "INSERT INTO rate_models(provider, model, source) VALUES (?, ?, 'reported')", provider, models[0]); err != nil {
		return 0, err
	}
	return 0, errors.New("database is locked")
}

func (failingCatalogue) ReportedMerged() {}

// TestCatalogueFailureIsSaid: models listed that could not be added to the
// rate catalogue are the provider's live list, marked Incomplete with why
// (Models), and a save (Provider.CatalogueError) and a connection test of
// the saved provider (TestResult.CatalogueError, and its message) say so.
// Before, the error sat in ModelList.Error of a list that looked complete,
// and a save or a test said nothing.
func TestCatalogueFailureIsSaid(t *testing.T) {
	srv := fake.NewOpenAI(fake.Script{Models: []string{"llama3.2", "qwen3:8b"}})
	defer srv.Close()
	f := newFixture(t, nil)
	f.svc = providers.NewService(f.db, f.dir, providers.ServiceOptions{Vault: &providers.Sealed{Dir: f.dir}, Catalogue: failingCatalogue{}})
	const want = "adding the listed models to the rate catalogue failed: database is locked; the model picker and the rate table may not offer all of them"
	p, err := f.svc.Add(as(admin), providers.Input{Name: "Box", Kind: providers.KindCompatible, BaseURL: srv.BaseURL()})
	if err != nil || p.ModelsError != "" || p.CatalogueError != want {
		t.Fatalf("add: %+v, %v; want CatalogueError %q", p, err, want)
	}
	ml, err := f.svc.Models(as(member), p.ID)
	if err != nil || ml.Stale || !ml.Incomplete || ml.Error != want || strings.Join(ml.Models, ",") != "llama3.2,qwen3:8b" {
		t.Errorf("models: %+v, %v", ml, err)
	}
	// The failed merge wrote nothing; the list is remembered all the same.
	var merged int
	var remembered string
	if err := f.db.Read().QueryRow("SELECT COUNT(*) FROM rate_models WHERE model = 'llama3.2'").Scan(&merged); err != nil || merged != 0 {
		t.Errorf("a failed merge left %d rows (%v)", merged, err)
	}
	if err := f.db.Read().QueryRow("SELECT reported_models FROM providers WHERE id = ?", p.ID).Scan(&remembered); err != nil || remembered != `["llama3.2","qwen3:8b"]` {
		t.Errorf("remembered %q (%v)", remembered, err)
	}
	res, err := f.svc.Test(as(admin), p.ID)
	if err != nil || !res.OK || res.CatalogueError != want || res.Message != "Connected: 2 models available. But "+want+"." {
		t.Errorf("test: %+v, %v", res, err)
	}
}
