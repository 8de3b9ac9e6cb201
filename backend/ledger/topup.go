package ledger

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/audit"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/money"
	"meterdesk/backend/store"
	"meterdesk/backend/textcheck"
	"meterdesk/backend/workzone"
)

// TopUpRequest issues credits to a pool, department or user account from
// sys:topup: either a package (PackageID) or a custom amount (Credits).
type TopUpRequest struct {
	ID        string
	Account   string
	PackageID int64           // > 0: buy this package
	Credits   decimal.Decimal // custom amount when PackageID is 0
	// Amount is the custom amount as typed ("1000"), read (ParseAmount)
	// after the role check, so that a member is told the top-up is not
	// theirs to make, never that what they typed is no amount; "" = Credits.
	Amount string
	// Price in currency units ("12.50"). Empty: the package price, or for a
	// custom amount Credits x the credit value, which must come out exact in
	// the currency's minor units (nothing is rounded).
	Price    string
	Currency string // empty: the package's or the credit value's currency
	TaxRate  string // a decimal fraction, "0.19" = 19 %, or a percent, "19%" (ParseTaxRate); empty = "0"
	Source   string // ui|cli|api|system
	Note     string
}

// TopUp is a committed top-up with its commercial record.
type TopUp struct {
	Transfer     Transfer        `json:"transfer"`
	Credits      decimal.Decimal `json:"credits"`
	PackageID    int64           `json:"packageId,omitempty"`
	Price        string          `json:"price"`
	PriceMinor   int64           `json:"priceMinor"`
	Currency     string          `json:"currency"`
	TaxRate      string          `json:"taxRate"`
	DebtRepaid   decimal.Decimal `json:"debtRepaid"`
	LotExpiresAt *time.Time      `json:"lotExpiresAt,omitempty"`
}

// topUpView is what the audit log keeps of a top-up (the ledger keeps the
// rest: the transfer, its lot and its price).
type topUpView struct {
	Transfer  int64  `json:"transfer"`
	Credits   string `json:"credits"`
	PackageID int64  `json:"packageId,omitempty"`
	Price     string `json:"price"`
	Currency  string `json:"currency"`
	Note      string `json:"note,omitempty"`
}

type topUpInput struct {
	Account  string `json:"account"`
	Package  int64  `json:"package"`
	Credits  int64  `json:"credits"`
	Price    string `json:"price"`
	Currency string `json:"currency"`
	TaxRate  string `json:"taxRate"`
	Source   string `json:"source"`
	Note     string `json:"note"`
}

// TopUp issues credits (admin only). If the account's balance is negative
// the top-up pays that debt first (Transfer.DebtRepaid) and only the rest
// becomes a lot, valid for the configured number of months.
func (s *Service) TopUp(ctx context.Context, req TopUpRequest) (TopUp, error) {
	t, err := s.topUp(ctx, req)
	if err != nil {
		return TopUp{}, fmt.Errorf("top up %s: %w", req.Account, err)
	}
	return t, nil
}

// ParseCredits reads credits as a person types them for a custom top-up
// or a transfer ("2500", "12.5"), as TopUp reads TopUpRequest.Amount and
// Credits.Transfer and `meterdesk credits transfer --amount` read theirs: a
// plain decimal (ParseAmount) greater than zero, with the ledger's refusal
// (`"abc": not a decimal number`, "amount -1 is negative", "amount must be
// greater than zero"; "enter an amount" for nothing typed, which the window's
// forms say when an empty amount field is pressed). The window asks about its amount fields with it (app
// Credits.AmountProblem: Top up's Credits, Give, Move back, Settle) while
// they are typed, so that it says what `meterdesk credits topup --amount`
// and `credits transfer --amount` say.
func ParseCredits(s string) (decimal.Decimal, error) {
	if strings.TrimSpace(s) == "" {
		return decimal.Zero, inputerr.New(ErrInvalidAmount, "enter an amount")
	}
	d, err := ParseAmount(s)
	if err != nil {
		return decimal.Zero, err
	}
	if _, err := checkAmount(d, false); err != nil {
		return decimal.Zero, err
	}
	return d, nil
}

func (s *Service) topUp(ctx context.Context, req TopUpRequest) (TopUp, error) {
	actor, err := access.RequireAdmin(ctx, "top up")
	if err != nil {
		return TopUp{}, err
	}
	if req.Amount != "" {
		if req.PackageID > 0 || !req.Credits.IsZero() {
			return TopUp{}, inputerr.New(ErrInvalidRequest, "give a package or a custom amount, not both")
		}
		if req.Credits, err = ParseCredits(req.Amount); err != nil {
			return TopUp{}, err
		}
	}
	if err := checkID(req.ID); err != nil {
		return TopUp{}, err
	}
	kind, err := kindOf(req.Account)
	if err != nil {
		return TopUp{}, err
	}
	if kind == "system" {
		return TopUp{}, inputerr.New(ErrInvalidRequest, "top up a pool, department or user account")
	}
	in := topUpInput{Account: req.Account, Package: req.PackageID, Price: strings.TrimSpace(req.Price),
		Currency: req.Currency, Source: req.Source, Note: strings.TrimSpace(req.Note)}
	switch {
	case req.PackageID < 0:
		return TopUp{}, fmt.Errorf("%w: %d", ErrUnknownPackage, req.PackageID)
	case req.PackageID > 0:
		if !req.Credits.IsZero() {
			return TopUp{}, inputerr.New(ErrInvalidRequest, "give a package or a custom amount, not both")
		}
	default:
		if in.Credits, err = checkAmount(req.Credits, false); err != nil {
			return TopUp{}, err
		}
	}
	taxRate, err := ParseTaxRate(req.TaxRate)
	if err != nil {
		return TopUp{}, err
	}
	in.TaxRate = taxRate.String()
	if err := checkDims(Dims{Source: req.Source}); err != nil {
		return TopUp{}, err
	}
	if utf8.RuneCountInString(in.Note) > 500 {
		return TopUp{}, inputerr.New(ErrInvalidRequest, "note longer than 500 characters")
	}
	if err := textcheck.Line(in.Note); err != nil {
		return TopUp{}, inputerr.New(ErrInvalidRequest, "the note: %v", err)
	}
	if in.Currency != "" {
		if err := CheckCurrency(in.Currency); err != nil {
			return TopUp{}, err
		}
	}
	hash := requestHash(ctx, "topup", in)
	var out TopUp
	err = s.submit(ctx, func(w *wtx) error {
		prev, found, err := w.replay(req.ID, hash)
		if found || err != nil {
			if len(prev) > 0 {
				out, err = w.loadTopUp(prev[0])
			}
			return err
		}
		if out, err = w.topUp(req.ID, hash, in); err != nil {
			return err
		}
		if h := s.topUpHook.Load(); h != nil {
			if err := h.fn(w.ctx, w.tx, out.Transfer); err != nil {
				return err
			}
		}
		return audit.Record(w.ctx, w.tx, w.s.now(), actor, "credits.topup", req.Account, nil, topUpView{
			Transfer: out.Transfer.ID, Credits: money.String(out.Credits), PackageID: out.PackageID,
			Price: out.Price, Currency: out.Currency, Note: in.Note})
	})
	return out, err
}

func (w *wtx) topUp(id, hash string, in topUpInput) (TopUp, error) {
	credits, price, currency := in.Credits, int64(0), in.Currency
	if in.Package > 0 {
		p, err := w.pkg(in.Package)
		if err != nil {
			return TopUp{}, err
		}
		credits = money.MustMinor(p.Credits)
		if currency == "" {
			currency = p.Currency
		}
		if in.Price == "" {
			if currency != p.Currency {
				return TopUp{}, inputerr.New(ErrInvalidRequest, "package %q is priced in %s; give a price in %s", p.Name, p.Currency, currency)
			}
			price = p.PriceMinor
		}
	}
	// Whether the account takes these credits (an archived department, a
	// removed member: see OpenCheck), once the package says how many.
	if err := w.s.checkOpen(w.ctx, w.tx, in.Account, credits); err != nil {
		return TopUp{}, err
	}
	if in.Price != "" || in.Package == 0 {
		v, err := w.setting(SettingCreditValue)
		if err != nil {
			return TopUp{}, err
		}
		cv := decodeCreditValue(v)
		if currency == "" {
			currency = cv.Currency
		}
		exp, err := CurrencyExponent(currency)
		if err != nil {
			return TopUp{}, err
		}
		if in.Price != "" {
			if price, err = ParsePrice(in.Price, currency); err != nil {
				return TopUp{}, err
			}
		} else {
			if currency != cv.Currency {
				return TopUp{}, inputerr.New(ErrInvalidRequest, "a credit is valued in %s; give a price in %s", cv.Currency, currency)
			}
			unit, _ := cv.validate()
			total := money.FromMinor(credits).Mul(unit)
			if price, err = priceMinor(total, exp, currency); err != nil {
				return TopUp{}, inputerr.More(err, " (give the price explicitly)")
			}
		}
	}
	v, err := w.setting(SettingLotValidity)
	if err != nil {
		return TopUp{}, err
	}
	months := decodeValidity(v)
	lotExpiry := never
	var lotAt *time.Time
	if months > 0 {
		// Calendar months as the workspace's zone reads them: the same
		// local time of day, on the same local date or the month's last.
		zone, err := w.setting(workzone.Key)
		if err != nil {
			return TopUp{}, err
		}
		loc, err := workzone.Named(zone)
		if err != nil {
			if zone == "" {
				zone = workzone.OS()
			}
			return TopUp{}, &zoneError{zone: zone, err: err}
		}
		e := addMonths(w.s.now().In(loc), months).UTC()
		lotExpiry, lotAt = store.FormatTime(e), &e
	}
	from, err := w.account(AccountTopUp)
	if err != nil {
		return TopUp{}, err
	}
	to, err := w.account(in.Account)
	if err != nil {
		return TopUp{}, err
	}
	meta, _ := json.Marshal(map[string]any{"packageId": in.Package, "price": FormatPrice(price, currency),
		"currency": currency, "taxRate": in.TaxRate, "note": in.Note})
	src := in.Source
	if src == "" {
		src = "system"
	}
	t, err := w.post(&row{requestID: id, hash: hash, op: OpTopUp, kind: KindPosted, from: from, to: to,
		amount: credits, dims: Dims{Source: src, UserID: userOf(in.Account)}, meta: string(meta), lotExpiry: lotExpiry})
	if err != nil {
		return TopUp{}, err
	}
	if _, err := w.exec(`INSERT INTO ledger_topups(transfer_id, account_id, credits_minor, package_id, price_minor,
		currency, tax_rate, lot_expires_at, debt_repaid_minor, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)`,
		t.ID, to.id, credits, nullInt(in.Package), price, currency, in.TaxRate, lotExpiry,
		money.MustMinor(t.DebtRepaid), store.FormatTime(t.CreatedAt)); err != nil {
		return TopUp{}, fmt.Errorf("record top-up: %w", err)
	}
	return TopUp{Transfer: t, Credits: t.Amount, PackageID: in.Package, Price: FormatPrice(price, currency),
		PriceMinor: price, Currency: currency, TaxRate: in.TaxRate, DebtRepaid: t.DebtRepaid, LotExpiresAt: lotAt}, nil
}

// zoneError refuses a top-up whose lot expiry cannot be counted because
// the workspace's zone does not load here (a zone this computer's zone data
// lacks): it says what to do, and nothing is written.
type zoneError struct {
	zone string
	err  error
}

func (e *zoneError) Error() string {
	return fmt.Sprintf("cannot work out when these credits expire: the workspace time zone %q cannot be loaded on this computer; "+
		"set another in Settings → General → Time zone and lock (or `meterdesk workspace update --timezone ZONE`)", e.zone)
}

func (e *zoneError) Unwrap() error { return e.err }

// loadTopUp rebuilds a committed top-up for an idempotent retry.
func (w *wtx) loadTopUp(t Transfer) (TopUp, error) {
	var pkg, price int64
	var currency, tax, lot string
	err := w.queryRow(`SELECT COALESCE(package_id,0), price_minor, currency, tax_rate, lot_expires_at
		FROM ledger_topups WHERE transfer_id = ?`, t.ID).Scan(&pkg, &price, &currency, &tax, &lot)
	if err != nil {
		return TopUp{}, fmt.Errorf("load top-up: %w", err)
	}
	out := TopUp{Transfer: t, Credits: t.Amount, PackageID: pkg, Price: FormatPrice(price, currency),
		PriceMinor: price, Currency: currency, TaxRate: tax, DebtRepaid: t.DebtRepaid}
	if lot != never {
		e := store.ParseTime(lot)
		out.LotExpiresAt = &e
	}
	return out, nil
}

// addMonths is t plus n calendar months at the same time of day, both read
// in t's location (a top-up's in the workspace's zone, so that a lot made
// at 10:00 on 31 January there expires at 10:00 on 28 February there,
// whatever the UTC date or a DST change in between); a day the later month
// lacks becomes its last day (Jan 31 + 1 month = Feb 28 or 29, where
// time.AddDate would give Mar 3 or 2). The date is counted as a date label
// (no zone, so no DST change moves it) and the time of day is placed on it
// once by workzone.At: a time the clocks skip that day is the instant after
// the change it would have been (02:30 in New York on 8 March 2026 is 03:30
// EDT), one they repeat the first of the two (02:30 +02:00 in Berlin on 25
// October 2026). Lot validity uses it.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	last := time.Date(y, m+time.Month(n)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	day := time.Date(y, m+time.Month(n), min(d, last), 0, 0, 0, 0, time.UTC)
	clock := time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute +
		time.Duration(t.Second())*time.Second + time.Duration(t.Nanosecond())
	return workzone.At(day, clock, t.Location())
}

// ParseTaxRate reads a top-up's tax rate as the window's Tax rate field and
// `credits topup --tax` take it: a decimal fraction from 0 to 1 ("0.19"),
// or a percent from 0 to 100 with a percent sign ("19%", "7.5 %", which is
// 0.075), at most 6 decimal places as a fraction (trailing zeros aside:
// "19.000000%" is 0.19); "" is 0. A number above 1 up to 100 without the
// sign ("19") is refused, saying how 19% is written, when that fits the
// 6 places (for "19.12345" neither 0.1912345 nor 19.12345% would be
// taken, so the general refusal is said): a rate of 1900% is no tax rate,
// and "1" (100% or 1%?) could not be told apart from a percent. The
// refusal is ErrInvalidRequest, naming what was typed (and, for a comma
// decimal, to use a point).
func ParseTaxRate(s string) (decimal.Decimal, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return decimal.Zero, nil
	}
	one := decimal.NewFromInt(1)
	percent := strings.HasSuffix(t, "%")
	if percent {
		t = strings.TrimSpace(strings.TrimSuffix(t, "%"))
	}
	d, err := parseDecimal(t)
	if err == nil && percent {
		d = d.Shift(-2) // exact: 19 -> 0.19
	}
	fits := func(d decimal.Decimal) bool { return d.Equal(d.Truncate(taxRatePlaces)) }
	switch {
	case err != nil || d.Sign() < 0 || !fits(d):
	case d.GreaterThan(one) && !percent && d.LessThanOrEqual(decimal.NewFromInt(100)) && fits(d.Shift(-2)):
		return decimal.Zero, inputerr.New(ErrInvalidRequest, "tax rate %q must be a fraction from 0 to 1: for %s%%, type %s or %s%%",
			s, d.String(), d.Shift(-2).String(), d.String())
	case d.LessThanOrEqual(one):
		return d, nil
	}
	why := ""
	if r := money.Why(err); r != "" {
		why = ": " + r
	}
	return decimal.Zero, inputerr.New(ErrInvalidRequest, "tax rate %q must be a fraction from 0 to 1 (e.g. 0.19) or a percent from 0%% to 100%% (e.g. 19%%), with at most %d decimal places as a fraction%s", s, taxRatePlaces, why)
}

// taxRatePlaces is how many decimal places a tax rate may have as a
// fraction (0.123456 = 12.3456%).
const taxRatePlaces = 6
