package rates

import (
	"errors"
	"testing"

	"meterdesk/backend/ledger"
)

// TestNoModelIsNoModelName: "(no model)" is refused as a model's name (in
// the catalogue, a rate row, a provider's list, a send: CheckModel is their
// rule). The history's model filter and the Usage page's bars read it as
// the charges with no model (ledger.NoModel): a model so named was summed
// into the "(no model) · Lab" bar with them, and its drill-down found only
// the charges naming no model (the bar said 2, its transactions 1).
func TestNoModelIsNoModelName(t *testing.T) {
	f := newFixture(t)
	if err := CheckModel(ledger.NoModel); !errors.Is(err, ErrInvalid) {
		t.Fatalf("CheckModel(%q) = %v, want ErrInvalid", ledger.NoModel, err)
	}
	if err := f.svc.AddModel(f.admin, Local, ledger.NoModel); !errors.Is(err, ErrInvalid) {
		t.Fatalf("AddModel(%q) = %v, want ErrInvalid", ledger.NoModel, err)
	}
	// Names that only look like it stay models.
	for _, m := range []string{"(no model)-v2", "no model", "(No Model)"} {
		if err := CheckModel(m); err != nil {
			t.Errorf("CheckModel(%q) = %v", m, err)
		}
	}
}
