package app

import (
	"meterdesk/backend/reports"
	"meterdesk/backend/statements"
)

func init() { register(func(a *App) any { return &Statements{app: a} }) }

// Statements is the bound struct for the Statements page and the history's
// CSV export: previews, background exports with progress
// (events.ExportProgress) and cancel, and invoices.
type Statements struct{ app *App }

// Preview computes a statement without writing a file.
func (s *Statements) Preview(req statements.Request) (*statements.Statement, error) {
	return s.app.Backend.Statements.Build(s.app.Ctx(), req)
}

// ChooseFile opens the native save dialog and returns the chosen path ("" if
// cancelled). kind is an export kind (statements.Kind*).
func (s *Statements) ChooseFile(kind, defaultName string) (string, error) {
	pattern := "*.csv"
	if kind == statements.KindStatementPDF || kind == statements.KindInvoicePDF {
		pattern = "*.pdf"
	}
	return s.app.SaveFileDialog("Save export", defaultName, pattern)
}

// Export starts a background export to req.Path, a file the user chose
// with ChooseFile, and returns its job id.
func (s *Statements) Export(req statements.ExportRequest) (string, error) {
	if err := s.app.saves.check(req.Path); err != nil {
		return "", err
	}
	id, err := s.app.Backend.Statements.StartExport(s.app.Ctx(), req)
	if err == nil {
		s.app.saves.used(req.Path)
	}
	return id, err
}

// ExportTransactions starts a CSV export of the filtered history to path
// (chosen with ChooseFile).
func (s *Statements) ExportTransactions(f reports.Filter, path string) (string, error) {
	return s.Export(statements.ExportRequest{Kind: statements.KindTransactionsCSV, Filter: f, Path: path})
}

// Cancel stops a running export (its partial file is removed).
func (s *Statements) Cancel(id string) error {
	return s.app.Backend.Statements.CancelExport(s.app.Ctx(), id)
}

// Status returns an export's progress.
func (s *Statements) Status(id string) (statements.JobStatus, error) {
	return s.app.Backend.Statements.ExportStatus(s.app.Ctx(), id)
}

// Invoices lists invoices and credit notes, newest first (admin only).
func (s *Statements) Invoices() ([]statements.Invoice, error) {
	return s.app.Backend.Statements.Invoices(s.app.Ctx())
}

// InvoicesPage lists limit (0: 50) invoices and credit notes below invoice
// id before (0: the newest), newest first, with the next page's cursor
// (admin only).
func (s *Statements) InvoicesPage(before int64, limit int) (statements.InvoicePage, error) {
	return s.app.Backend.Statements.InvoicesPage(s.app.Ctx(), before, limit)
}

// InvoicesState is a cheap read of whether the invoice list may have
// changed (admin only): the window re-reads its pages only when it did.
func (s *Statements) InvoicesState() (statements.InvoicesState, error) {
	return s.app.Backend.Statements.InvoicesState(s.app.Ctx())
}

// CreditNote reverses an invoice with a credit note (admin only).
func (s *Statements) CreditNote(number, reason string) (statements.Invoice, error) {
	return s.app.Backend.Statements.CreditNote(s.app.Ctx(), number, reason)
}

// Parties returns the seller and buyer printed on new invoices (admin only).
func (s *Statements) Parties() (map[string]statements.Party, error) {
	seller, buyer, err := s.app.Backend.Statements.Parties(s.app.Ctx())
	return map[string]statements.Party{"seller": seller, "buyer": buyer}, err
}

// SetParties changes the seller and buyer for new invoices (admin only).
func (s *Statements) SetParties(seller, buyer statements.Party) error {
	return s.app.Backend.Statements.SetParties(s.app.Ctx(), seller, buyer)
}
