package cli

import (
	"strings"
	"testing"
)

// TestInvoiceIssuedAtTopUp: a top-up's invoice is issued with the top-up,
// so that renaming its package and changing the seller afterwards does not
// reach it (issued invoices keep the details they were issued with), while
// a later top-up's invoice takes the new ones.
func TestInvoiceIssuedAtTopUp(t *testing.T) {
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	admin("invoice", "parties", "--seller-name", "Old Seller GmbH", "--buyer-name", "Research team")
	saved := admin("credits", "packages", "save", "--name", "Starter", "--credits", "1000", "--price", "10", "--currency", "EUR")
	id, _, ok := strings.Cut(strings.TrimPrefix(saved, "saved package "), ":")
	if !ok {
		t.Fatalf("packages save: %q", saved)
	}
	admin("credits", "topup", "--package", id, "--tax", "0.19")
	// Issued already: the invoice exists before anyone lists invoices.
	if dump := dbDump(t, dir); !strings.Contains(dump, "INV-000001") {
		t.Fatal("no invoice right after the top-up")
	}
	admin("credits", "packages", "save", "--name", "Starter renamed", "--credits", "1000", "--price", "10", "--currency", "EUR", "--id", id)
	admin("invoice", "parties", "--seller-name", "New Seller AG")
	out := admin("invoice", "show", "INV-000001")
	// Only names set: no empty address or "tax id" after them.
	if !strings.Contains(out, "Seller: Old Seller GmbH\nBuyer:  Research team\n") || !strings.Contains(out, "Starter for the workspace pool") ||
		strings.Contains(out, "renamed") {
		t.Errorf("the invoice took details changed after its top-up:\n%s", out)
	}
	admin("credits", "topup", "--package", id, "--tax", "0.19")
	if out := admin("invoice", "show", "INV-000002"); !strings.Contains(out, "Seller: New Seller AG\n") || !strings.Contains(out, "Starter renamed") {
		t.Errorf("a later top-up's invoice:\n%s", out)
	}
}
