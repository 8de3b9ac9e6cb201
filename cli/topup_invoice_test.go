package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestTopUpNamesItsInvoice: a top-up says the invoice it issued, in words
// and in --json; repeating it (the same --id) names the same invoice.
func TestTopUpNamesItsInvoice(t *testing.T) {
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	if out := admin("credits", "topup", "--amount", "100", "--id", "po-1"); !strings.Contains(out, "invoice INV-000001 (meterdesk invoice show INV-000001)") {
		t.Fatalf("topup: %q", out)
	}
	var r struct {
		Invoice  string `json:"invoice"`
		Credits  string `json:"credits"`
		Transfer struct {
			ID int64 `json:"id"`
		} `json:"transfer"`
	}
	out := admin("--json", "credits", "topup", "--amount", "100", "--id", "po-1")
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Invoice != "INV-000001" || r.Credits != "100" || r.Transfer.ID == 0 {
		t.Fatalf("topup --json (a repeat): %v %q", err, out)
	}
	if out := admin("--json", "credits", "topup", "--amount", "5", "--id", "po-2"); !strings.Contains(out, `"invoice": "INV-000002"`) {
		t.Fatalf("second topup --json: %q", out)
	}
}
