package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"meterdesk/backend/access"
	"meterdesk/backend/money"
	"meterdesk/backend/reports"
	"meterdesk/backend/statements"
	"meterdesk/backend/workzone"
)

func init() {
	Register(Command{Name: "statement", Summary: "write a monthly statement (PDF or CSV) for the workspace, a department or a member",
		Example: `meterdesk statement --month 2026-01 --member bob --format pdf --out bob-2026-01.pdf`,
		Usage: `meterdesk statement --month YYYY-MM [--department D | --member M] [--format pdf|csv|detail-csv] --out FILE
  D and M are ids or names (a removed member's or archived department's
  too; a current one first). detail-csv is the per-message token breakdown,
  with the rate version that priced each charge and whether it was capped at
  the hold. A transaction's note (credits topup --note) is printed with it.
  Without --format, a FILE ending .csv gets the CSV, any other the PDF.
  Without --department and --member: the workspace's statement (admins);
  a member's own (members write only their own).`,
		Run: runStatement})
	Register(Command{Name: "report", Summary: "usage reports (credits by day, model, member or department)",
		Example: `meterdesk report usage --from 2026-01-01 --to 2026-01-31 --by member`,
		Usage: `meterdesk report usage --from YYYY-MM-DD --to YYYY-MM-DD --by day|model|member|department [--json]

--by model has a row per model and provider ("gpt-4o · OpenAI", "gpt-4o · Lab"),
as the Usage page's By model; --json gives each row's model and provider.`,
		Run: runReport})
	Register(Command{Name: "invoice", Summary: "list and show invoices; correct one with a credit note",
		Example: `meterdesk invoice pdf INV-000001 --out INV-000001.pdf`,
		Usage: `meterdesk invoice list [--limit N]
meterdesk invoice show NUMBER
meterdesk invoice pdf NUMBER --out FILE
meterdesk invoice credit-note NUMBER --reason TEXT
meterdesk invoice parties [--seller-name T] [--seller-address T] [--seller-tax-id T] [--seller-email T]
                          [--buyer-name T] [--buyer-address T] [--buyer-tax-id T] [--buyer-email T]

list prints every invoice and credit note, newest first, or with --limit N
(1 to 1000; 0 is every one) the newest N, saying on stderr when it left older
ones out.
parties prints the seller and buyer printed on new invoices, or changes the
fields given; issued invoices keep the details they were issued with.
` + addressHelp,
		Run: runInvoice})
}

func runStatement(env *Env, args []string) error {
	fs := env.Flags("statement")
	month := fs.String("month", "", "month, YYYY-MM (in the workspace time zone)")
	dept := fs.String("department", "", "department id or name")
	member := fs.String("member", "", "member id or name")
	format := fs.String("format", "", "pdf, csv or detail-csv (default: csv for an --out ending .csv, else pdf)")
	out := fs.String("out", "", "output file (-: standard output)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*month) == "" || *out == "" {
		return Usagef("statement: give --month YYYY-MM and --out FILE")
	}
	// A member's statement without a scope is their own, as the window's
	// Statements page opens on it (and as credits history and balance read
	// theirs); the workspace's is an admin's.
	actor, err := access.Current(env.Ctx)
	if err != nil {
		return err
	}
	without := "the workspace's statement"
	if !actor.IsAdmin() {
		without = "your own statement"
	}
	if err := emptyFlag(fs, without, "member", "department"); err != nil {
		return err
	}
	if *dept != "" && *member != "" {
		return Usagef("give --department or --member, not both")
	}
	// Without --format the file's name says which (a statement.csv holds
	// the CSV, where it got a PDF named .csv), as rates export does.
	if *format == "" {
		*format = "pdf"
		if strings.EqualFold(filepath.Ext(*out), ".csv") {
			*format = "csv"
		}
	}
	kind, ok := map[string]string{"pdf": statements.KindStatementPDF, "csv": statements.KindStatementCSV,
		"detail-csv": statements.KindStatementDetail}[strings.ToLower(*format)]
	if !ok {
		return Usagef("--format must be pdf, csv or detail-csv")
	}
	s := env.Backend.Statements
	req := statements.Request{Month: *month}
	if *dept == "" && *member == "" && !actor.IsAdmin() {
		req.UserID = actor.UserID
	}
	var note string
	if *dept != "" {
		// A department's statement is for admins: a member is refused
		// before the name is looked up, so "no such department" (exit 5)
		// against "not allowed" (exit 3) does not tell them which exist.
		if _, err := access.RequireAdmin(env.Ctx, "department statement"); err != nil {
			return err
		}
		if req.DepartmentID, note, err = s.ResolveDepartmentNote(env.Ctx, *dept); err != nil {
			return err
		}
	}
	if *member != "" {
		refusal := fmt.Errorf("member statement: %w", access.ErrForbidden)
		if req.UserID, note, err = resolveMemberFor(env, *member, refusal); err != nil {
			return err
		}
	}
	if note != "" { // a former member or department of that name too
		fmt.Fprintln(env.Err, "note:", note)
	}
	if *out == "-" {
		return s.ExportTo(env.Ctx, statements.ExportRequest{Kind: kind, Statement: req}, env.Out)
	}
	st, err := s.Build(env.Ctx, req)
	if err != nil {
		return err
	}
	if err := s.Export(env.Ctx, statements.ExportRequest{Kind: kind, Statement: req, Path: *out}, nil); err != nil {
		return err
	}
	// --json keeps every field, the balances of an own account left out
	// too ("0"), with "accountLeftOut": true saying so: a script reads the
	// same keys for every statement.
	return env.Print(map[string]any{"file": *out, "statement": st}, func(w io.Writer) { printStatement(w, st, *out) })
}

// printStatement is `statement`'s printed summary, in the words the PDF
// and the Statements page use (the attributed table's heading, the
// summary rows' labels and signed amounts, made once in Go). Like the Statements page,
// the PDF and the CSV, it leads a member's or department's statement with
// the usage attributed to them (whoever paid), and it leaves out the
// balances of an own account with nothing in it (st.AccountLeftOut, the
// one rule, backend/statements): a member the pool pays for reads what
// they used and who paid, not "Opening balance 0.00 … Closing balance 0.00".
func printStatement(w io.Writer, st *statements.Statement, out string) {
	fmt.Fprintf(w, "%s statement %s (%s) written to %s\n", st.Scope, st.Month, st.ScopeName, out)
	if u := st.AttributedUsage; u != nil && len(u.Lines) > 0 {
		fmt.Fprintf(w, "  %s %s\n", u.Heading, money.DisplayString(u.Total))
	}
	if !st.AccountLeftOut {
		// The summary's opening, top-ups, usage and closing rows in the
		// words and signs the PDF and the page print them (Statement.Summary).
		var rows []string
		for _, r := range st.Summary {
			switch r.Key {
			case "opening", "topUps", "usage", "closing":
				rows = append(rows, r.Label+" "+money.DisplayString(r.Amount))
			}
		}
		fmt.Fprintf(w, "  %s\n", strings.Join(rows, "  "))
	}
	if st.Message != "" {
		fmt.Fprintln(w, "  note:", st.ReadableMessage()) // its times as the PDF and the page write them
	}
}

func runReport(env *Env, args []string) error {
	if _, _, err := subcommand("report", args); err != nil {
		return err
	}
	fs := env.Flags("report usage")
	from := fs.String("from", "", "first day, YYYY-MM-DD")
	to := fs.String("to", "", "last day, YYYY-MM-DD")
	by := fs.String("by", "model", "day, model, member or department")
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return err
	}
	if err := wantArgs("report usage", pos); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		return Usagef("report usage: give --from and --to")
	}
	pts, total, err := env.Backend.Reports.UsageBy(env.Ctx, reports.Range{From: *from, To: *to}, reports.Group(*by), 0)
	if err != nil {
		// An inverted range names the flags: "--to 2026-11-01 is before --from 2026-11-30".
		return workzone.NameRange(err, "--from", "--to")
	}
	if pts == nil {
		pts = []reports.Point{} // "rows": [], not null, for a range with no usage
	}
	return env.Print(map[string]any{"from": *from, "to": *to, "by": *by, "total": total, "rows": pts}, func(w io.Writer) {
		fmt.Fprintf(w, "%-32s %8s %24s\n", strings.ToUpper(*by), "CHARGES", "CREDITS")
		for _, p := range pts {
			fmt.Fprintf(w, "%-32s %8d %24s\n", p.Label, p.Count, money.DisplayString(p.Amount))
		}
		fmt.Fprintf(w, "%-32s %8s %24s\n", "Total", "", money.DisplayString(total))
	})
}

func runInvoice(env *Env, args []string) error {
	if _, _, err := subcommand("invoice", args); err != nil {
		return err
	}
	s := env.Backend.Statements
	switch args[0] {
	case "list":
		fs := env.Flags("invoice list")
		limit := intFlag(fs, "limit", 0, fmt.Sprintf("only the newest N (1 to %d; default: all)", statements.MaxInvoicePage))
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		if *limit < 0 || *limit > statements.MaxInvoicePage {
			return Usagef("--limit must be 1 to %d (0 or none: all)", statements.MaxInvoicePage)
		}
		var list []statements.Invoice
		var err error
		if *limit == 0 {
			list, err = s.Invoices(env.Ctx)
		} else {
			var page statements.InvoicePage
			page, err = s.InvoicesPage(env.Ctx, 0, *limit)
			list = page.Items
			if err == nil && page.Next != 0 && !env.JSON {
				fmt.Fprintf(env.Err, "showing the newest %d; without --limit every invoice is listed\n", *limit)
			}
		}
		if err != nil {
			return err
		}
		return env.Print(list, func(w io.Writer) {
			for _, i := range list {
				fmt.Fprintf(w, "%-10s %s %12s %-3s  %s\n", i.Number, i.IssueDate, money.GroupDecimal(i.Gross), i.Currency, i.Description)
			}
		})
	case "show":
		pos, err := onlyArgs(env, "invoice show", args[1:], "NUMBER")
		if err != nil {
			return err
		}
		i, err := s.Invoice(env.Ctx, pos[0])
		if err != nil {
			return err
		}
		return env.Print(i, func(w io.Writer) { printInvoice(w, i) })
	case "credit-note":
		fs := env.Flags("invoice credit-note")
		reason := fs.String("reason", "", "why the invoice is corrected")
		pos, err := parseArgs(fs, args[1:])
		if err != nil {
			return err
		}
		if err := wantArgs("invoice credit-note", pos, "NUMBER"); err != nil {
			return err
		}
		if *reason == "" {
			return Usagef("invoice credit-note: --reason TEXT is missing (why the invoice is corrected)")
		}
		i, err := s.CreditNote(env.Ctx, pos[0], *reason)
		if err != nil {
			return err
		}
		return env.Print(i, func(w io.Writer) { printInvoice(w, i) })
	case "pdf":
		fs := env.Flags("invoice pdf")
		out := fs.String("out", "", "output file (-: standard output)")
		pos, err := parseArgs(fs, args[1:])
		if err != nil {
			return err
		}
		if err := wantArgs("invoice pdf", pos, "NUMBER"); err != nil {
			return err
		}
		if *out == "" {
			return Usagef("invoice pdf: --out FILE is missing (- for standard output)")
		}
		// The number as stored, as show and credit-note name it: "inv-000001"
		// is INV-000001 in the line and in --json's "number".
		number := statements.InvoiceNumber(pos[0])
		if *out == "-" {
			return s.ExportTo(env.Ctx, statements.ExportRequest{Kind: statements.KindInvoicePDF, Invoice: number}, env.Out)
		}
		if err := s.Export(env.Ctx, statements.ExportRequest{Kind: statements.KindInvoicePDF, Invoice: number, Path: *out}, nil); err != nil {
			return err
		}
		return env.Print(map[string]string{"number": number, "file": *out}, func(w io.Writer) {
			fmt.Fprintf(w, "%s written to %s\n", number, *out)
		})
	case "parties":
		return runInvoiceParties(env, args[1:])
	}
	return unknownSubcommand("invoice", args[0], nil)
}

func printInvoice(w io.Writer, i statements.Invoice) {
	title := "Invoice"
	if i.Kind == "credit_note" {
		title = "Credit note (corrects " + i.Corrects + ")"
	}
	fmt.Fprintf(w, "%s %s, issued %s\n", title, i.Number, i.IssueDate)
	fmt.Fprintf(w, "Seller: %s\n", statements.PartyLine(i.Seller))
	fmt.Fprintf(w, "Buyer:  %s\n", statements.PartyLine(i.Buyer))
	fmt.Fprintf(w, "%s (%s credits)\n", i.Description, money.DisplayString(i.Credits))
	// Currency amounts grouped as the window's invoice list and the invoice
	// PDF write them (money.GroupDecimal: "1,190,000.50"); --json keeps them
	// canonical.
	fmt.Fprintf(w, "Net %s %s, tax %s%% %s, gross %s %s\n", money.GroupDecimal(i.Net), i.Currency, i.TaxRate, money.GroupDecimal(i.Tax),
		money.GroupDecimal(i.Gross), i.Currency)
	if i.Reason != "" {
		fmt.Fprintln(w, "Reason:", i.Reason)
	}
}
