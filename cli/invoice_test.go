package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestInvoiceCommands(t *testing.T) {
	d := newDataDir(t, "")
	dir, run, must := d.dir, d.run, d.must
	if out := must("invoice", "parties"); out != "Seller: Acme\nBuyer: —\n" { // the workspace's name
		t.Fatalf("parties before any are set: %q", out)
	}
	out := must("invoice", "parties", "--seller-name", "Acme GmbH", "--seller-address", `Street 1\n10115 Berlin`, "--buyer-name", "Research team")
	if out != "Seller: Acme GmbH\n  Street 1\n  10115 Berlin\nBuyer: Research team\n" {
		t.Fatalf("parties: %q", out)
	}
	// Only the fields named change.
	if out := must("invoice", "parties", "--buyer-email", "team@example.org"); !strings.Contains(out, "Seller: Acme GmbH\n  Street 1") ||
		!strings.Contains(out, "Buyer: Research team\n  team@example.org") {
		t.Fatalf("parties after one change: %q", out)
	}
	must("credits", "topup", "--amount", "100", "--price", "19.99", "--currency", "EUR")
	if out := must("invoice", "list"); !strings.Contains(out, "INV-000001") {
		t.Fatalf("list: %q", out)
	}
	pdf := filepath.Join(dir, "INV-000001.pdf")
	if out := must("invoice", "pdf", "INV-000001", "--out", pdf); out != "INV-000001 written to "+pdf+"\n" {
		t.Fatalf("pdf: %q", out)
	}
	b, err := os.ReadFile(pdf)
	if err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Fatalf("pdf file: %v", err)
	}
	text, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, w := range []string{"Invoice INV-000001", "Acme GmbH", "10115 Berlin", "Research team", "team@example.org", "19.99 EUR"} {
		if !strings.Contains(string(text), w) {
			t.Errorf("PDF text lacks %q:\n%s", w, text)
		}
	}

	missing := filepath.Join(dir, "missing.pdf")
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"invoice", "pdf", "INV-000009", "--out", missing}, ExitNotFound, "no such invoice"},
		{[]string{"invoice", "pdf", "INV-000001"}, 2, "invoice pdf NUMBER --out FILE"},
		{[]string{"invoice", "pdf", "--out", missing}, 2, "invoice pdf NUMBER --out FILE"},
		{[]string{"invoice", "parties", "--seller-email", "billing.example"}, ExitUsage, "has no @"},
		{[]string{"invoice", "parties", "--seller-name", " "}, ExitUsage, "the seller needs a name"},
		{[]string{"invoice", "parties", "extra"}, 2, "(it takes flags only)"},
		{[]string{"invoice", "frob"}, 2, `meterdesk invoice: unknown subcommand "frob"`},
	} {
		code, _, errs := run(tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.msg) {
			t.Errorf("%v: exit %d %q, want %d and %q", tc.args, code, errs, tc.code, tc.msg)
		}
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Error("a refused export left a file")
	}
	if out := must("invoice", "parties"); !strings.HasPrefix(out, "Seller: Acme GmbH\n") || strings.Contains(out, "billing.example") {
		t.Fatalf("refused changes were stored: %q", out)
	}
}

// invoice list prints every invoice, newest first; --limit N the newest N,
// saying on stderr when it left older ones out.
func TestInvoiceListLimit(t *testing.T) {
	d := newDataDir(t, "")
	for range 4 {
		d.must("credits", "topup", "--amount", "100", "--price", "19.99", "--currency", "EUR")
	}
	numbers := func(out string) []string {
		var n []string
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			n = append(n, strings.Fields(l)[0])
		}
		return n
	}
	for _, c := range []struct {
		args []string
		want string
		note bool
	}{
		{nil, "INV-000004 INV-000003 INV-000002 INV-000001", false},
		{[]string{"--limit", "2"}, "INV-000004 INV-000003", true},
		{[]string{"--limit", "4"}, "INV-000004 INV-000003 INV-000002 INV-000001", false},
	} {
		code, out, errs := d.run(append([]string{"invoice", "list"}, c.args...)...)
		if code != 0 || strings.Join(numbers(out), " ") != c.want {
			t.Fatalf("invoice list %v: exit %d, %q", c.args, code, out)
		}
		if note := errs == "showing the newest 2; without --limit every invoice is listed\n"; note != c.note || (!c.note && errs != "") {
			t.Fatalf("invoice list %v: stderr %q", c.args, errs)
		}
	}
	if code, out, errs := d.run("--json", "invoice", "list", "--limit", "2"); code != 0 || strings.Count(out, `"number"`) != 2 || errs != "" {
		t.Fatalf("--json --limit 2: exit %d, %q, stderr %q", code, out, errs)
	}
	if code, _, _ := d.run("invoice", "list", "--limit", "1001"); code != 2 {
		t.Fatalf("--limit 1001: exit %d", code)
	}
}

// TestInvoicePDFNamesTheNumberAsStored: `invoice pdf` finds a number typed
// in small letters or with spaces (statements.InvoiceNumber) and names it as
// stored, as show and credit-note do: it printed " inv-000001  written to
// F" and --json's "number" was "inv-000001", which no invoice is.
func TestInvoicePDFNamesTheNumberAsStored(t *testing.T) {
	d := newDataDir(t, "")
	d.must("credits", "topup", "--amount", "100", "--price", "19.99", "--currency", "EUR")
	pdf := filepath.Join(d.dir, "i.pdf")
	if out := d.must("invoice", "pdf", " inv-000001 ", "--out", pdf); out != "INV-000001 written to "+pdf+"\n" {
		t.Errorf("invoice pdf ' inv-000001 ': %q", out)
	}
	if out := d.must("--json", "invoice", "pdf", "inv-000001", "--out", pdf); !strings.Contains(out, `"number": "INV-000001"`) {
		t.Errorf("invoice pdf --json: %q", out)
	}
}
