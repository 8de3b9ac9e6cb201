package statements

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/audit"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/store"
	"meterdesk/backend/team"
	"meterdesk/backend/textcheck"
	"meterdesk/backend/workzone"
)

// Invoice errors.
var (
	ErrUnknownInvoice  = errors.New("no such invoice")
	ErrAlreadyCredited = errors.New("the invoice is already fully credited")
	ErrNoReason        = errors.New("a credit note needs a reason")
	ErrBadParty        = errors.New("invalid invoice party")
	ErrBadInvoicePage  = errors.New("invalid invoice page")
)

// Settings keys for the invoice parties (JSON Party) and price convention.
const (
	SettingSeller           = "invoice.seller"
	SettingBuyer            = "invoice.buyer"
	SettingPricesIncludeTax = team.KeyPricesIncludeTax // "true": top-up prices are gross (team.Workspace.PricesIncludeTax)
)

// Party is a seller or buyer on an invoice.
type Party struct {
	Name    string `json:"name"`
	Address string `json:"address"`
	TaxID   string `json:"taxId"`
	Email   string `json:"email"`
}

// Invoice is an issued invoice or credit note (negative amounts). Amounts
// are decimal strings in the currency.
type Invoice struct {
	ID          int64  `json:"id"`
	Number      string `json:"number"`
	Kind        string `json:"kind"` // invoice|credit_note
	TransferID  int64  `json:"transferId,omitempty"`
	Corrects    string `json:"corrects,omitempty"` // number of the corrected invoice
	IssueDate   string `json:"issueDate"`
	Seller      Party  `json:"seller"`
	Buyer       Party  `json:"buyer"`
	Description string `json:"description"`
	Credits     string `json:"credits"`
	Net         string `json:"net"`
	TaxRate     string `json:"taxRate"` // percent
	Tax         string `json:"tax"`
	Gross       string `json:"gross"`
	Currency    string `json:"currency"`
	Reason      string `json:"reason,omitempty"`
}

// Parties returns the configured seller and buyer (admin only). Until a
// seller is set, the seller is the workspace (workspaceSeller).
func (s *Service) Parties(ctx context.Context) (seller, buyer Party, err error) {
	if _, err := access.RequireAdmin(ctx, "invoice parties"); err != nil {
		return seller, buyer, err
	}
	return s.parties(ctx, s.db.Read())
}

func (s *Service) parties(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (seller, buyer Party, err error) {
	for _, x := range []struct {
		key string
		p   *Party
	}{{SettingSeller, &seller}, {SettingBuyer, &buyer}} {
		var v string
		err := q.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", x.key).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) && x.key == SettingSeller {
			if seller, err = workspaceSeller(ctx, q); err != nil {
				return seller, buyer, err
			}
			continue
		}
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return seller, buyer, fmt.Errorf("read %s: %w", x.key, err)
		}
		_ = json.Unmarshal([]byte(v), x.p)
	}
	return seller, buyer, nil
}

// workspaceSeller is the seller until one is set: the workspace's name,
// address and tax id from its set-up, so that an invoice issued before
// anyone opened Invoice details still names who issued it. A value that
// would not pass checkParty (a workspace address may be longer than an
// invoice's) is left out rather than printed.
func workspaceSeller(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (Party, error) {
	var p Party
	for _, f := range []struct {
		key string
		v   *string
	}{{team.KeyName, &p.Name}, {team.KeyAddress, &p.Address}, {team.KeyTaxID, &p.TaxID}} {
		err := q.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", f.key).Scan(f.v)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return Party{}, fmt.Errorf("read %s: %w", f.key, err)
		}
		if _, bad := checkParty("seller", p); bad != nil {
			*f.v = ""
		}
	}
	p, _ = checkParty("seller", p)
	return p, nil
}

// SetParties stores the seller and buyer details used on new invoices
// (admin only). Issued invoices keep the details they were issued with.
func (s *Service) SetParties(ctx context.Context, seller, buyer Party) error {
	actor, err := access.RequireAdmin(ctx, "set invoice parties")
	if err != nil {
		return err
	}
	if seller, err = checkParty("seller", seller); err != nil {
		return fmt.Errorf("set invoice parties: %w", err)
	}
	if buyer, err = checkParty("buyer", buyer); err != nil {
		return fmt.Errorf("set invoice parties: %w", err)
	}
	if seller.Name == "" {
		return fmt.Errorf("set invoice parties: %w", inputerr.New(ErrBadParty, "the seller needs a name"))
	}
	sb, _ := json.Marshal(seller)
	bb, _ := json.Marshal(buyer)
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		// Saved even when equal to what invoices use now: until saved, the
		// seller follows the workspace's details; saving pins them.
		oldSeller, oldBuyer, err := s.parties(ctx, tx)
		if err != nil {
			return err
		}
		if err := store.SetSettingTx(ctx, tx, SettingSeller, string(sb)); err != nil {
			return err
		}
		if err := store.SetSettingTx(ctx, tx, SettingBuyer, string(bb)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, s.clock(), actor, "invoice.parties", "invoices",
			parties{oldSeller, oldBuyer}, parties{seller, buyer})
	})
}

// parties is what the audit log keeps of a change of invoice parties.
type parties struct {
	Seller Party `json:"seller"`
	Buyer  Party `json:"buyer"`
}

// checkParty trims p's fields and checks them: name, tax id and e-mail are
// one line (at most 200, 100 and 200 characters; an e-mail has an @), the
// address at most 10 lines and 500 characters.
func checkParty(role string, p Party) (Party, error) {
	p.Name, p.TaxID, p.Email = strings.TrimSpace(p.Name), strings.TrimSpace(p.TaxID), strings.TrimSpace(p.Email)
	p.Address = strings.TrimSpace(strings.ReplaceAll(p.Address, "\r\n", "\n"))
	for _, f := range []struct {
		name, v string
		max     int
	}{{"name", p.Name, 200}, {"tax id", p.TaxID, 100}, {"e-mail", p.Email, 200}} {
		if utf8.RuneCountInString(f.v) > f.max || textcheck.Line(f.v) != nil {
			return p, inputerr.New(ErrBadParty, "the %s's %s must be one line of at most %d characters", role, f.name, f.max)
		}
	}
	if p.Email != "" && !strings.Contains(p.Email, "@") {
		return p, inputerr.New(ErrBadParty, "the %s's e-mail %q has no @", role, p.Email)
	}
	if utf8.RuneCountInString(p.Address) > 500 || strings.Count(p.Address, "\n") >= 10 ||
		strings.ContainsAny(p.Address, "\r\t") || textcheck.Lines(p.Address) != nil {
		return p, inputerr.New(ErrBadParty, "the %s's address must be at most 10 lines and 500 characters", role)
	}
	return p, nil
}

// roundUnits rounds an amount in currency minor units to a whole unit with
// Meterdesk's one rounding rule (money.Round: half away from zero), applied
// after shifting the unit to money's last decimal place.
func roundUnits(d decimal.Decimal) int64 {
	return money.Round(d.Shift(-money.Scale)).Shift(money.Scale).IntPart()
}

// taxSplit splits a price (currency minor units) at rate (a fraction) into
// net and tax. Net prices get tax on top; gross prices contain it.
func taxSplit(price int64, rate decimal.Decimal, gross bool) (net, tax int64) {
	p := decimal.NewFromInt(price)
	if gross {
		tax = roundUnits(p.Mul(rate).DivRound(decimal.NewFromInt(1).Add(rate), 18))
		return price - tax, tax
	}
	return price, roundUnits(p.Mul(rate))
}

// IssuePending issues an invoice for every top-up that has none yet, oldest
// first, each number allocated in the same transaction that inserts the
// invoice (MAX+1 under the single writer, checked by a trigger). It is the
// follow-up that makes invoicing crash-safe and gap-free: a crash before the
// commit leaves no number used and the next call issues it. It returns how
// many were issued. Runs as the caller; invoices are admin data.
func (s *Service) IssuePending(ctx context.Context) (int, error) {
	if _, err := access.RequireAdmin(ctx, "issue invoices"); err != nil {
		return 0, err
	}
	n := 0
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = s.issuePendingTx(ctx, tx)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("issue invoices: %w", err)
	}
	return n, nil
}

// IssuePendingTx is IssuePending inside an open write transaction: core
// installs it as the ledger's top-up hook (ledger.Service.SetTopUpHook), so
// that a top-up's invoice is issued in the top-up's transaction with the
// details of that moment.
func (s *Service) IssuePendingTx(ctx context.Context, tx *sql.Tx) (int, error) {
	return s.issuePendingTx(ctx, tx)
}

func (s *Service) issuePendingTx(ctx context.Context, tx *sql.Tx) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT tp.transfer_id, tp.credits_minor, tp.price_minor, tp.currency, tp.tax_rate,
		tp.created_at, a.code, COALESCE(p.name, '')
		FROM ledger_topups tp JOIN ledger_accounts a ON a.id = tp.account_id
		LEFT JOIN ledger_packages p ON p.id = tp.package_id
		WHERE NOT EXISTS (SELECT 1 FROM invoices i WHERE i.transfer_id = tp.transfer_id)
		ORDER BY tp.transfer_id`)
	if err != nil {
		return 0, err
	}
	type pending struct {
		id, credits, price   int64
		currency, rate, at   string
		account, packageName string
	}
	var todo []pending
	for rows.Next() {
		var p pending
		if err := rows.Scan(&p.id, &p.credits, &p.price, &p.currency, &p.rate, &p.at, &p.account, &p.packageName); err != nil {
			rows.Close()
			return 0, err
		}
		todo = append(todo, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(todo) == 0 {
		return 0, err
	}
	seller, buyer, err := s.parties(ctx, tx)
	if err != nil {
		return 0, err
	}
	var grossSetting string
	_ = tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", SettingPricesIncludeTax).Scan(&grossSetting)
	loc, err := workzone.Load(ctx, tx)
	if err != nil {
		return 0, err
	}
	sj, _ := json.Marshal(seller)
	bj, _ := json.Marshal(buyer)
	for _, p := range todo {
		rate, err := decimal.NewFromString(p.rate)
		if err != nil {
			return 0, fmt.Errorf("top-up %d: tax rate %q: %w", p.id, p.rate, err)
		}
		net, tax := taxSplit(p.price, rate, grossSetting == "true")
		desc := money.Credits(groupThousands(money.MinorString(p.credits)))
		if p.packageName != "" {
			desc = p.packageName
		}
		desc += " for " + accountLabel(ctx, tx, p.account)
		at := store.ParseTime(p.at)
		if _, err := insertInvoice(ctx, tx, "INV", invoiceRow{transfer: p.id, date: at.In(loc).Format(time.DateOnly),
			seller: string(sj), buyer: string(bj), desc: desc, credits: p.credits, net: net,
			rate: rate.Shift(2).String(), tax: tax, currency: p.currency, created: s.clock().UTC().Format(time.RFC3339)}); err != nil {
			return 0, fmt.Errorf("invoice top-up %d: %w", p.id, err)
		}
	}
	return len(todo), nil
}

type invoiceRow struct {
	transfer, corrects   int64
	date, seller, buyer  string
	desc, rate, currency string
	credits, net, tax    int64
	reason, created      string
}

// insertInvoice allocates the next number of series and inserts the row.
func insertInvoice(ctx context.Context, tx *sql.Tx, series string, r invoiceRow) (string, error) {
	var seq int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) + 1 FROM invoices WHERE series = ?", series).Scan(&seq); err != nil {
		return "", err
	}
	number := fmt.Sprintf("%s-%06d", series, seq)
	_, err := tx.ExecContext(ctx, `INSERT INTO invoices(series, seq, number, transfer_id, corrects_id, issue_date, seller, buyer,
		description, credits_minor, net_minor, tax_rate, tax_minor, gross_minor, currency, reason, created_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, series, seq, number, nullID(r.transfer), nullID(r.corrects), r.date,
		r.seller, r.buyer, r.desc, r.credits, r.net, r.rate, r.tax, r.net+r.tax, r.currency, r.reason, r.created)
	return number, err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

const invoiceSelect = `SELECT i.id, i.number, i.series, COALESCE(i.transfer_id, 0), COALESCE(c.number, ''), i.issue_date,
	i.seller, i.buyer, i.description, i.credits_minor, i.net_minor, i.tax_rate, i.tax_minor, i.gross_minor, i.currency, i.reason
	FROM invoices i LEFT JOIN invoices c ON c.id = i.corrects_id `

// Invoices issues any pending invoices and lists all invoices and credit
// notes, newest first (admin only).
func (s *Service) Invoices(ctx context.Context) ([]Invoice, error) {
	// A member is refused for what they asked, not for the issuing below.
	if _, err := access.RequireAdmin(ctx, "list invoices"); err != nil {
		return nil, err
	}
	if _, err := s.IssuePending(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.Read().QueryContext(ctx, invoiceSelect+"ORDER BY i.id DESC")
	if err != nil {
		return nil, fmt.Errorf("list invoices: %w", err)
	}
	defer rows.Close()
	out := []Invoice{}
	for rows.Next() {
		inv, err := scanInvoice(rows)
		if err != nil {
			return nil, fmt.Errorf("list invoices: %w", err)
		}
		out = append(out, inv)
	}
	return out, rows.Err()
}

// Invoice pages: the window lists a page at a time, newest first.
const (
	InvoicePageSize = 50   // invoices a page holds by default
	MaxInvoicePage  = 1000 // the most a page holds
)

// InvoicePage is a page of invoices and credit notes, newest first. Next is
// the cursor of the following page (an invoice id: those below it; 0 when
// there is none).
type InvoicePage struct {
	Items []Invoice `json:"items"`
	Next  int64     `json:"next"`
}

// InvoicesPage lists up to limit (0: InvoicePageSize, at most
// MaxInvoicePage) invoices and credit notes with an id below before (0: the
// newest), newest first (admin only). The first page (before 0) issues any
// pending invoices first, as Invoices does.
func (s *Service) InvoicesPage(ctx context.Context, before int64, limit int) (InvoicePage, error) {
	if _, err := access.RequireAdmin(ctx, "list invoices"); err != nil {
		return InvoicePage{}, err
	}
	switch {
	case before < 0 || limit < 0:
		return InvoicePage{}, fmt.Errorf("list invoices: %w", inputerr.New(ErrBadInvoicePage, "a cursor and a limit are positive (0 = the default)"))
	case limit == 0:
		limit = InvoicePageSize
	case limit > MaxInvoicePage:
		limit = MaxInvoicePage
	}
	if before == 0 {
		if _, err := s.IssuePending(ctx); err != nil {
			return InvoicePage{}, err
		}
		before = math.MaxInt64
	}
	rows, err := s.db.Read().QueryContext(ctx, invoiceSelect+"WHERE i.id < ? ORDER BY i.id DESC LIMIT ?", before, limit+1)
	if err != nil {
		return InvoicePage{}, fmt.Errorf("list invoices: %w", err)
	}
	defer rows.Close()
	page := InvoicePage{Items: []Invoice{}}
	for rows.Next() {
		inv, err := scanInvoice(rows)
		if err != nil {
			return InvoicePage{}, fmt.Errorf("list invoices: %w", err)
		}
		page.Items = append(page.Items, inv)
	}
	if err := rows.Err(); err != nil {
		return InvoicePage{}, fmt.Errorf("list invoices: %w", err)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.Next = page.Items[limit-1].ID
	}
	return page, nil
}

// InvoicesState says cheaply whether the invoice list may have changed
// since it was read: invoices are append-only, so a new invoice or credit
// note moves LastID; Pending counts top-ups still without an invoice (an
// older version's, issued when the list is next read).
type InvoicesState struct {
	LastID  int64 `json:"lastId"`
	Pending int   `json:"pending"`
}

// InvoicesState reads the state of the invoice list in one query (admin only).
func (s *Service) InvoicesState(ctx context.Context) (InvoicesState, error) {
	if _, err := access.RequireAdmin(ctx, "list invoices"); err != nil {
		return InvoicesState{}, err
	}
	var st InvoicesState
	err := s.db.Read().QueryRowContext(ctx, `SELECT COALESCE((SELECT max(id) FROM invoices), 0),
		(SELECT count(*) FROM ledger_topups tp WHERE NOT EXISTS (SELECT 1 FROM invoices i WHERE i.transfer_id = tp.transfer_id))`).
		Scan(&st.LastID, &st.Pending)
	if err != nil {
		return InvoicesState{}, fmt.Errorf("invoices: %w", err)
	}
	return st, nil
}

// Invoice returns one invoice or credit note by number (admin only).
func (s *Service) Invoice(ctx context.Context, number string) (Invoice, error) {
	number = InvoiceNumber(number)
	if _, err := access.RequireAdmin(ctx, "read invoice"); err != nil {
		return Invoice{}, err
	}
	if _, err := s.IssuePending(ctx); err != nil {
		return Invoice{}, err
	}
	row := s.db.Read().QueryRowContext(ctx, invoiceSelect+"WHERE i.number = ?", number)
	inv, err := scanInvoice(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Invoice{}, fmt.Errorf("%w %q", ErrUnknownInvoice, number)
	}
	if err != nil {
		return Invoice{}, fmt.Errorf("read invoice %s: %w", number, err)
	}
	return inv, nil
}

// InvoiceNumberFor returns the number of the invoice issued for the top-up
// transfer transferID, or "" when there is none (a transfer that is not a
// top-up).
func (s *Service) InvoiceNumberFor(ctx context.Context, transferID int64) (string, error) {
	var number string
	err := s.db.Read().QueryRowContext(ctx, `SELECT number FROM invoices WHERE transfer_id = ?`, transferID).Scan(&number)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("the invoice of transfer %d: %w", transferID, err)
	}
	return number, nil
}

func scanInvoice(sc interface{ Scan(...any) error }) (Invoice, error) {
	var inv Invoice
	var series, seller, buyer string
	var credits, net, tax, gross int64
	if err := sc.Scan(&inv.ID, &inv.Number, &series, &inv.TransferID, &inv.Corrects, &inv.IssueDate, &seller, &buyer,
		&inv.Description, &credits, &net, &inv.TaxRate, &tax, &gross, &inv.Currency, &inv.Reason); err != nil {
		return inv, err
	}
	inv.Kind = "invoice"
	if series == "CN" {
		inv.Kind = "credit_note"
	}
	_ = json.Unmarshal([]byte(seller), &inv.Seller)
	_ = json.Unmarshal([]byte(buyer), &inv.Buyer)
	inv.Credits = money.MinorString(credits)
	inv.Net = ledger.FormatPrice(net, inv.Currency)
	inv.Tax = ledger.FormatPrice(tax, inv.Currency)
	inv.Gross = ledger.FormatPrice(gross, inv.Currency)
	return inv, nil
}

// InvoiceNumber is an invoice or credit note number as typed, read as it
// is stored: spaces around it dropped, in capitals ("inv-000001" is
// INV-000001; the series, INV and CN, are capitals). Earlier versions
// refused a number typed in small letters as "no such invoice", and a credit
// note for " INV-000001" wrote "Credit note for  INV-000001" into its
// description.
func InvoiceNumber(v string) string { return strings.ToUpper(strings.TrimSpace(v)) }

// CreditNote issues a credit note that reverses the whole of invoice number
// (admin only). The invoice itself is never changed; an invoice can be
// credited once. The ledger is not touched: taking credits back is a
// separate ledger adjustment or refund.
func (s *Service) CreditNote(ctx context.Context, number, reason string) (Invoice, error) {
	number = InvoiceNumber(number)
	actor, err := access.RequireAdmin(ctx, "issue credit note")
	if err != nil {
		return Invoice{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Invoice{}, fmt.Errorf("credit note for %s: %w", number, ErrNoReason)
	}
	var out string
	err = s.db.Write(ctx, func(tx *sql.Tx) error {
		var id, credits, net, tax int64
		var series, seller, buyer, rate, currency, desc string
		err := tx.QueryRowContext(ctx, `SELECT id, series, seller, buyer, description, credits_minor, net_minor, tax_rate, tax_minor, currency
			FROM invoices WHERE number = ?`, number).Scan(&id, &series, &seller, &buyer, &desc, &credits, &net, &rate, &tax, &currency)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w %q", ErrUnknownInvoice, number)
		}
		if err != nil {
			return err
		}
		if series != "INV" {
			return inputerr.New(ErrBadExport, "%s is a credit note: only an invoice can be credited", number)
		}
		var credited int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM invoices WHERE corrects_id = ?", id).Scan(&credited); err != nil {
			return err
		}
		if credited > 0 {
			return fmt.Errorf("%s: %w", number, ErrAlreadyCredited)
		}
		// An invoice issued before invoices recorded their seller (before
		// the workspace's details were used by default) names none: the
		// credit note, a new document, names the seller as it is now.
		var was Party
		if _ = json.Unmarshal([]byte(seller), &was); was.Name == "" {
			now, _, err := s.parties(ctx, tx)
			if err != nil {
				return err
			}
			b, err := json.Marshal(now)
			if err != nil {
				return err
			}
			seller = string(b)
		}
		loc, err := workzone.Load(ctx, tx)
		if err != nil {
			return err
		}
		out, err = insertInvoice(ctx, tx, "CN", invoiceRow{corrects: id, date: s.clock().In(loc).Format(time.DateOnly),
			seller: seller, buyer: buyer, desc: "Credit note for " + number + ": " + desc, credits: -credits,
			net: -net, rate: rate, tax: -tax, currency: currency, reason: reason, created: s.clock().UTC().Format(time.RFC3339)})
		if err != nil {
			return err
		}
		type creditNote struct {
			Number   string `json:"number"`
			Corrects string `json:"corrects"`
			Reason   string `json:"reason"`
		}
		return audit.Record(ctx, tx, s.clock(), actor, "invoice.credit_note", "invoice:"+number, nil,
			creditNote{Number: out, Corrects: number, Reason: reason})
	})
	if err != nil {
		return Invoice{}, fmt.Errorf("credit note for %s: %w", number, err)
	}
	return s.Invoice(ctx, out)
}

// accountLabel names a ledger account for an invoice line: the workspace
// pool, a department or a member by name (the code when the name is gone).
func accountLabel(ctx context.Context, tx *sql.Tx, code string) string {
	var q string
	var id int64
	switch {
	case code == "pool":
		return "the workspace pool"
	case strings.HasPrefix(code, "dept:"):
		q = "SELECT 'department ' || name FROM departments WHERE id = ?"
		id, _ = strconv.ParseInt(strings.TrimPrefix(code, "dept:"), 10, 64)
	case strings.HasPrefix(code, "user:"):
		q = "SELECT 'the wallet of ' || COALESCE(NULLIF(display_name, ''), name) FROM users WHERE id = ?"
		id, _ = strconv.ParseInt(strings.TrimPrefix(code, "user:"), 10, 64)
	default:
		return code
	}
	var name string
	if err := tx.QueryRowContext(ctx, q, id).Scan(&name); err != nil || name == "" {
		return code
	}
	return name
}

// groupThousands puts thousands separators into a canonical decimal string's
// integer part ("125000" -> "125,000", "1234.5" -> "1,234.5"), for an
// invoice's stored description, whose words stay as they were
// (money.GroupDigits, the grouping of the display rule).
func groupThousands(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if hasFrac {
		return sign + money.GroupDigits(intPart) + "." + frac
	}
	return sign + money.GroupDigits(intPart)
}
