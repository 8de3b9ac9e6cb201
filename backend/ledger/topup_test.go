package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"meterdesk/backend/access"
	"meterdesk/backend/inputerr"
)

func TestDefaultPackages(t *testing.T) {
	e := newEnv(t)
	ps, err := e.s.Packages(memberCtx(2))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ credits, price, discount string }{
		// Each "% off" is what the price saves against the default credit
		// value (EUR 0.01): 10,000 for 95.00 is 5% off, 5,000 for 50.00 none
		// (migration 0103 mended the seed, which had them the other way).
		{"1000", "10.00", ""}, {"5000", "50.00", ""}, {"10000", "95.00", "5"}, {"50000", "450.00", "10"}, {"100000", "850.00", "15"},
	}
	if len(ps) != len(want) {
		t.Fatalf("packages = %+v", ps)
	}
	for i, w := range want {
		if !ps[i].Credits.Equal(d(w.credits)) || ps[i].Price != w.price || ps[i].Currency != "EUR" || ps[i].Discount != w.discount {
			t.Errorf("package %d = %+v, want %+v", i, ps[i], w)
		}
		list := ps[i].Credits.Mul(d(DefaultCreditValue.Amount))
		if off := d("1").Sub(d(ps[i].Price).Div(list)).Shift(2); (off.IsZero() && w.discount != "") || (!off.IsZero() && off.String() != w.discount) {
			t.Errorf("package %d is labelled %q%% off; it saves %s%%", i, w.discount, off)
		}
	}
}

func TestTopUpPackageRecordsPrice(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "dept:3")
	ps, _ := e.s.Packages(adminCtx)
	tu, err := e.s.TopUp(adminCtx, TopUpRequest{ID: "t1", Account: "dept:3", PackageID: ps[3].ID, TaxRate: "0.19", Source: "ui"})
	if err != nil {
		t.Fatal(err)
	}
	if !tu.Credits.Equal(d("50000")) || tu.PriceMinor != 45000 || tu.Price != "450.00" || tu.Currency != "EUR" || tu.TaxRate != "0.19" {
		t.Fatalf("top-up = %+v", tu)
	}
	if tu.LotExpiresAt == nil || !tu.LotExpiresAt.Equal(e.clk.Now().AddDate(1, 0, 0)) {
		t.Fatalf("lot expiry = %v, want 12 months", tu.LotExpiresAt)
	}
	var price int64
	var cur, tax string
	if err := e.db.Read().QueryRow(`SELECT price_minor, currency, tax_rate FROM ledger_topups WHERE transfer_id = ?`, tu.Transfer.ID).
		Scan(&price, &cur, &tax); err != nil || price != 45000 || cur != "EUR" || tax != "0.19" {
		t.Fatalf("stored top-up = %d %s %s, %v", price, cur, tax, err)
	}
	again, err := e.s.TopUp(adminCtx, TopUpRequest{ID: "t1", Account: "dept:3", PackageID: ps[3].ID, TaxRate: "0.19", Source: "ui"})
	if err != nil || again.Transfer.ID != tu.Transfer.ID || again.PriceMinor != 45000 {
		t.Fatalf("retry = %+v, %v", again, err)
	}
	e.wantBalance(t, "dept:3", "50000", "50000")
	e.verify(t)
}

func TestTopUpCustomAmountUsesCreditValue(t *testing.T) {
	e := newEnv(t)
	tu, err := e.s.TopUp(adminCtx, TopUpRequest{ID: "c1", Account: "pool", Credits: d("1234")})
	if err != nil || tu.PriceMinor != 1234 || tu.Currency != "EUR" {
		t.Fatalf("custom top-up = %+v, %v; want EUR 12.34", tu, err)
	}
	if err := e.s.SetCreditValue(adminCtx, CreditValue{Amount: "1", Currency: "USD"}); err != nil {
		t.Fatal(err)
	}
	tu, err = e.s.TopUp(adminCtx, TopUpRequest{ID: "c2", Account: "pool", Credits: d("2.5")})
	if err != nil || tu.PriceMinor != 250 || tu.Currency != "USD" {
		t.Fatalf("custom top-up = %+v, %v; want USD 2.50", tu, err)
	}
	cv, err := e.s.CreditValue(memberCtx(2))
	if err != nil || cv != (CreditValue{Amount: "1", Currency: "USD"}) {
		t.Fatalf("credit value = %+v, %v", cv, err)
	}
}

// TestTopUpNoteLengthInCharacters: a note has at most 500 characters, in any
// script (500 CJK characters are 1,500 bytes).
// TestTopUpPriceNotInMinorUnits: a top-up without a price whose value at
// what a credit is worth is no whole minor unit (5 credits at 0.001 EUR)
// is refused, nothing written, with the hint to give the price, which the
// refusal's reason (the window's words) says too.
func TestTopUpPriceNotInMinorUnits(t *testing.T) {
	e := newEnv(t)
	if err := e.s.SetCreditValue(adminCtx, CreditValue{Amount: "0.001", Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	snap := e.snapshot(t)
	_, err := e.s.TopUp(adminCtx, TopUpRequest{ID: "c1", Account: "pool", Credits: d("5")})
	if !errors.Is(err, ErrInvalidAmount) || !strings.HasSuffix(err.Error(), "invalid amount: price 0.005 EUR has more than 2 decimal places (give the price explicitly)") {
		t.Fatalf("top-up of 5 credits at 0.001 EUR: %v", err)
	}
	want := "price 0.005 EUR has more than 2 decimal places (give the price explicitly)"
	if got := inputerr.Reason(err); got != want {
		t.Errorf("reason %q\nwant %q", got, want)
	}
	var in *inputerr.Error // the refusal's own reason, not only the guard's
	if !errors.As(err, &in) || in.Reason() != want {
		t.Errorf("the refusal in the chain: %#v\nwant reason %q", in, want)
	}
	if e.snapshot(t) != snap {
		t.Fatal("a refused top-up wrote something")
	}
}

func TestTopUpNoteLengthInCharacters(t *testing.T) {
	e := newEnv(t)
	for i, c := range []struct {
		note string
		ok   bool
	}{
		{strings.Repeat("研", 500), true},
		{strings.Repeat("é", 500), true},
		{strings.Repeat("研", 501), false},
		{strings.Repeat("a", 501), false},
	} {
		_, err := e.s.TopUp(adminCtx, TopUpRequest{ID: fmt.Sprint("n", i), Account: "pool", Credits: d("1"), Note: c.note})
		if (err == nil) != c.ok {
			t.Errorf("a note of %d characters (%d bytes): %v; want ok %v", utf8.RuneCountInString(c.note), len(c.note), err, c.ok)
		}
	}
}

func TestBadTopUpsWriteNothing(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2")
	snap := e.snapshot(t)
	for name, c := range map[string]struct {
		r    TopUpRequest
		ctx  any
		want error
	}{
		"member":            {TopUpRequest{ID: "a", Account: "pool", Credits: d("1")}, memberCtx(2), access.ErrForbidden},
		"zero":              {TopUpRequest{ID: "a", Account: "pool", Credits: d("0")}, nil, ErrInvalidAmount},
		"negative":          {TopUpRequest{ID: "a", Account: "pool", Credits: d("-5")}, nil, ErrInvalidAmount},
		"over-precise":      {TopUpRequest{ID: "a", Account: "pool", Credits: d("0.0000000001")}, nil, ErrInvalidAmount},
		"inexact price":     {TopUpRequest{ID: "a", Account: "pool", Credits: d("0.5")}, nil, ErrInvalidAmount},
		"bad price":         {TopUpRequest{ID: "a", Account: "pool", Credits: d("1"), Price: "1e3"}, nil, ErrInvalidAmount},
		"cents too precise": {TopUpRequest{ID: "a", Account: "pool", Credits: d("1"), Price: "1.001"}, nil, ErrInvalidAmount},
		"bad currency":      {TopUpRequest{ID: "a", Account: "pool", Credits: d("1"), Price: "1", Currency: "euro"}, nil, ErrInvalidRequest},
		"tax over 1":        {TopUpRequest{ID: "a", Account: "pool", Credits: d("1"), TaxRate: "19"}, nil, ErrInvalidRequest},
		"tax NaN":           {TopUpRequest{ID: "a", Account: "pool", Credits: d("1"), TaxRate: "NaN"}, nil, ErrInvalidRequest},
		"unknown package":   {TopUpRequest{ID: "a", Account: "pool", PackageID: 99}, nil, ErrUnknownPackage},
		"package and more":  {TopUpRequest{ID: "a", Account: "pool", PackageID: 1, Credits: d("1")}, nil, ErrInvalidRequest},
		"system account":    {TopUpRequest{ID: "a", Account: AccountUsage, Credits: d("1")}, nil, ErrInvalidRequest},
		"unknown account":   {TopUpRequest{ID: "a", Account: "user:9", Credits: d("1")}, nil, ErrUnknownAccount},
		"price other curr":  {TopUpRequest{ID: "a", Account: "pool", Credits: d("1"), Currency: "USD"}, nil, ErrInvalidRequest},
	} {
		ctx := adminCtx
		if c.ctx != nil {
			ctx = c.ctx.(context.Context)
		}
		if _, err := e.s.TopUp(ctx, c.r); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", name, err, c.want)
		}
	}
	for name, p := range map[string]Package{
		"no name":       {Credits: d("1"), Price: "1", Currency: "EUR"},
		"zero credits":  {Name: "x", Credits: d("0"), Price: "1", Currency: "EUR"},
		"bad price":     {Name: "x", Credits: d("1"), Price: "-1", Currency: "EUR"},
		"bad discount":  {Name: "x", Credits: d("1"), Price: "1", Currency: "EUR", Discount: "150"},
		"yen decimals":  {Name: "x", Credits: d("1"), Price: "1.5", Currency: "JPY"},
		"unknown id":    {ID: 77, Name: "x", Credits: d("1"), Price: "1", Currency: "EUR"},
		"bad currency":  {Name: "x", Credits: d("1"), Price: "1", Currency: "E"},
		"precise creds": {Name: "x", Credits: d("0.0000000001"), Price: "1", Currency: "EUR"},
	} {
		if _, err := e.s.SavePackage(adminCtx, p); err == nil {
			t.Errorf("SavePackage %s: no error", name)
		}
	}
	if _, err := e.s.SavePackage(memberCtx(2), Package{Name: "x", Credits: d("1"), Price: "1", Currency: "EUR"}); !errors.Is(err, access.ErrForbidden) {
		t.Errorf("member saves package: %v", err)
	}
	if err := e.s.SetCreditValue(adminCtx, CreditValue{Amount: "0", Currency: "EUR"}); !errors.Is(err, ErrInvalidAmount) {
		t.Errorf("zero credit value: %v", err)
	}
	if err := e.s.SetCreditValue(memberCtx(2), CreditValue{Amount: "1", Currency: "EUR"}); !errors.Is(err, access.ErrForbidden) {
		t.Errorf("member sets credit value: %v", err)
	}
	if err := e.s.SetLotValidity(adminCtx, -1); !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("negative validity: %v", err)
	}
	if e.snapshot(t) != snap {
		t.Fatal("a rejected top-up or setting wrote something")
	}
}

func TestSavePackage(t *testing.T) {
	e := newEnv(t)
	p, err := e.s.SavePackage(adminCtx, Package{Name: "Starter", Credits: d("250"), Price: "2.50", Currency: "EUR", Active: true, Sort: 0})
	if err != nil || p.ID == 0 || p.PriceMinor != 250 {
		t.Fatalf("save = %+v, %v", p, err)
	}
	p.Active = false
	if _, err := e.s.SavePackage(adminCtx, p); err != nil {
		t.Fatal(err)
	}
	member, _ := e.s.Packages(memberCtx(2))
	all, _ := e.s.Packages(adminCtx)
	if len(member) != 5 || len(all) != 6 {
		t.Fatalf("members see %d, admins %d packages; want 5 and 6", len(member), len(all))
	}
	if _, err := e.s.TopUp(adminCtx, TopUpRequest{ID: "x", Account: "pool", PackageID: p.ID}); !errors.Is(err, ErrUnknownPackage) {
		t.Fatalf("inactive package: %v", err)
	}
}

// Negative balance carried: overuse is debt, and the next top-up pays it
// first, visibly (DebtRepaid on the transfer and in history).
func TestTopUpPaysDebtFirst(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2")
	if err := e.s.SetPolicy(adminCtx, "user:2", Policy{Kind: PolicyCarry}); err != nil {
		t.Fatal(err)
	}
	e.fund(t, "user:2", "2")
	if _, err := e.s.Hold(memberCtx(2), HoldRequest{ID: "h", From: "user:2", Amount: d("2")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Post(memberCtx(2), PostRequest{ID: "p", HoldID: "h", Amount: d("3.5")}); err != nil {
		t.Fatal(err)
	}
	e.wantBalance(t, "user:2", "-1.5", "-1.5")
	if _, err := e.s.Hold(memberCtx(2), HoldRequest{ID: "h2", From: "user:2", Amount: d("0.1")}); !errors.Is(err, ErrInsufficientFunds) {
		t.Fatalf("hold while in debt: %v", err)
	}
	tu, err := e.s.TopUp(adminCtx, TopUpRequest{ID: "t", Account: "user:2", Credits: d("10")})
	if err != nil || !tu.DebtRepaid.Equal(d("1.5")) {
		t.Fatalf("top-up = %+v, %v; want 1.5 debt repaid", tu, err)
	}
	b := e.balance(t, "user:2")
	if !b.Balance.Equal(d("8.5")) || len(b.Lots) != 1 || !b.Lots[0].Amount.Equal(d("8.5")) {
		t.Fatalf("after top-up: %+v", b)
	}
	page, err := e.s.History(memberCtx(2), Filter{Ops: []string{OpTopUp}})
	if err != nil || len(page.Items) != 2 || !page.Items[0].DebtRepaid.Equal(d("1.5")) {
		t.Fatalf("history = %+v, %v", page, err)
	}
	e.verify(t)
}

func TestLotValiditySetting(t *testing.T) {
	e := newEnv(t)
	if err := e.s.SetLotValidity(adminCtx, 0); err != nil {
		t.Fatal(err)
	}
	tu := e.fund(t, "pool", "5")
	if tu.LotExpiresAt != nil {
		t.Fatalf("never-expiring lot has expiry %v", tu.LotExpiresAt)
	}
	if err := e.s.SetLotValidity(adminCtx, 3); err != nil {
		t.Fatal(err)
	}
	tu = e.fund(t, "pool", "5")
	if tu.LotExpiresAt == nil || !tu.LotExpiresAt.Equal(e.clk.Now().AddDate(0, 3, 0)) {
		t.Fatalf("lot expiry = %v", tu.LotExpiresAt)
	}
	_ = time.Second
}

// TestTopUpHook: the installed hook runs once per new top-up inside its
// transaction, after the ledger_topups row exists; a replay does not run
// it; an error from it rolls the top-up back.
func TestTopUpHook(t *testing.T) {
	e := newEnv(t)
	calls := 0
	e.s.SetTopUpHook(func(ctx context.Context, tx *sql.Tx, tr Transfer) error {
		calls++
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM ledger_topups WHERE transfer_id = ?", tr.ID).Scan(&n); err != nil || n != 1 {
			t.Errorf("hook: top-up row %d, %v", n, err)
		}
		return nil
	})
	if _, err := e.s.TopUp(adminCtx, TopUpRequest{ID: "h1", Account: "pool", Credits: d("10")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.TopUp(adminCtx, TopUpRequest{ID: "h1", Account: "pool", Credits: d("10")}); err != nil || calls != 1 {
		t.Fatalf("replay: %v, hook ran %d times, want 1", err, calls)
	}
	before := e.snapshot(t)
	boom := errors.New("boom")
	e.s.SetTopUpHook(func(context.Context, *sql.Tx, Transfer) error { return boom })
	if _, err := e.s.TopUp(adminCtx, TopUpRequest{ID: "h2", Account: "pool", Credits: d("10")}); !errors.Is(err, boom) {
		t.Fatalf("failing hook: %v", err)
	}
	if after := e.snapshot(t); after != before {
		t.Fatal("a top-up whose hook failed changed the ledger")
	}
	e.s.SetTopUpHook(nil)
	if _, err := e.s.TopUp(adminCtx, TopUpRequest{ID: "h3", Account: "pool", Credits: d("10")}); err != nil {
		t.Fatal(err)
	}
	e.wantBalance(t, "pool", "20", "20")
}

// TestUnknownCurrencyRefused: a well-formed code that names no ISO 4217
// currency ("EUX", a typo of EUR) is refused where a currency is entered (a
// top-up, a package, the credit value), with nothing written; real codes,
// including those with 0 and 3 minor digits, pass.
func TestUnknownCurrencyRefused(t *testing.T) {
	for _, code := range []string{"EUR", "USD", "JPY", "BHD", "CHF", "GBP", "KRW"} {
		if err := CheckCurrency(code); err != nil {
			t.Errorf("%s: %v", code, err)
		}
	}
	for _, code := range []string{"EUX", "ABC", "QQQ", "eur", "EU", "EURO", ""} {
		if err := CheckCurrency(code); !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("%q: %v, want ErrInvalidRequest", code, err)
		}
	}
	env := newEnv(t)
	ctx := adminCtx
	_, err := env.s.TopUp(ctx, TopUpRequest{ID: "t-eux", Account: AccountPool, Credits: d("10"), Price: "1", Currency: "EUX"})
	if !errors.Is(err, ErrInvalidRequest) || !strings.Contains(err.Error(), `"EUX" is not an ISO 4217 currency code`) {
		t.Fatalf("top-up in EUX: %v", err)
	}
	_, err = env.s.SavePackage(ctx, Package{Name: "Odd", Credits: d("10"), Price: "1", Currency: "EUX", Active: true})
	if !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("package in EUX: %v", err)
	}
	if err := env.s.SetCreditValue(ctx, CreditValue{Amount: "0.01", Currency: "EUX"}); !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("credit value in EUX: %v", err)
	}
	if cv, err := env.s.CreditValue(ctx); err != nil || cv != DefaultCreditValue {
		t.Fatalf("credit value now %+v, %v", cv, err)
	}
	if b, err := env.s.Balance(ctx, AccountPool); err != nil || !b.Balance.IsZero() {
		t.Fatalf("pool %+v after refusals (%v)", b, err)
	}
}

// TestSavePackageRefusalQuotesTheName: a refused package names itself
// quoted (%q), so a name holding ": " or '"' stays one value, and the
// window (frontend/src/api/errors.ts errorReason) keeps the field the
// reason is about ("Credits: …") instead of a piece of the name. Nothing
// is saved.
func TestSavePackageRefusalQuotesTheName(t *testing.T) {
	for _, tc := range []struct {
		name, credits, price, discount string
		want                           string
	}{
		{"Pro: annual", "0", "2.50", "", `save package "Pro: annual": credits: invalid amount: `},
		{`Say "hi"`, "0", "2.50", "", `save package "Say \"hi\"": credits: invalid amount: `},
		{"Credits pack", "10", "2.50", "200", `save package "Credits pack": invalid request: discount "200" must be a percentage 0-100`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			before, _ := e.s.Packages(adminCtx)
			_, err := e.s.SavePackage(adminCtx, Package{Name: tc.name, Credits: d(tc.credits), Price: tc.price, Currency: "EUR", Discount: tc.discount, Active: true})
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err %v; want it to start %q", err, tc.want)
			}
			if after, _ := e.s.Packages(adminCtx); len(after) != len(before) {
				t.Errorf("%d packages after the refusal, %d before", len(after), len(before))
			}
		})
	}
}

// TestTopUpTaxRateAsPercent: a tax rate is a fraction ("0.19") or a
// percent with its sign ("19%", which the user expects to work, in the
// window and on the command line alike: both read it here), recorded as
// the fraction; a bare number above 1 is refused saying how 19% is
// written, and nothing is written.
func TestTopUpTaxRateAsPercent(t *testing.T) {
	for _, c := range []struct{ typed, want, refusal string }{
		{"", "0", ""},
		{"0.19", "0.19", ""},
		{"19%", "0.19", ""},
		{" 7.5 % ", "0.075", ""},
		{"0.5%", "0.005", ""},
		{"100%", "1", ""},
		{"0%", "0", ""},
		{"1", "1", ""},
		{"19", "", `tax rate "19" must be a fraction from 0 to 1: for 19%, type 0.19 or 19%`},
		{"7.5", "", `tax rate "7.5" must be a fraction from 0 to 1: for 7.5%, type 0.075 or 7.5%`},
		{"150%", "", `tax rate "150%" must be a fraction from 0 to 1 (e.g. 0.19) or a percent from 0% to 100% (e.g. 19%)`},
		{"-5%", "", "must be a fraction"},
		{"250", "", "or a percent from 0% to 100%"},
		{"19.00000001%", "", "at most 6 decimal places"},
		{"%", "", "must be a fraction"},
		{"abc", "", "must be a fraction"},
		// A refusal never suggests what it then refuses: 0.1912345 and
		// 19.12345% have 7 places as a fraction.
		{"19.12345", "", `tax rate "19.12345" must be a fraction from 0 to 1 (e.g. 0.19) or a percent from 0% to 100% (e.g. 19%), with at most 6 decimal places as a fraction`},
		{"19.1234", "", `for 19.1234%, type 0.191234 or 19.1234%`},
		{"0.191234", "0.191234", ""},
		{"19.1234%", "0.191234", ""},
		// Trailing zeros are no decimal places of the rate.
		{"19.000000%", "0.19", ""},
		{"0.1900000", "0.19", ""},
		// A comma decimal is told to use a point.
		{"7,5%", "", "with at most 6 decimal places as a fraction: use a point for decimals"},
	} {
		t.Run(c.typed, func(t *testing.T) {
			got, err := ParseTaxRate(c.typed)
			if c.refusal != "" {
				if !errors.Is(err, ErrInvalidRequest) || !strings.Contains(err.Error(), c.refusal) {
					t.Fatalf("ParseTaxRate(%q) = %v, %v; want a refusal saying %q", c.typed, got, err, c.refusal)
				}
				return
			}
			if err != nil || got.String() != c.want {
				t.Fatalf("ParseTaxRate(%q) = %v, %v; want %s", c.typed, got, err, c.want)
			}
		})
	}
	e := newEnv(t)
	snap := e.snapshot(t)
	if _, err := e.s.TopUp(adminCtx, TopUpRequest{ID: "t0", Account: "pool", Credits: d("100"), TaxRate: "19", Source: "ui"}); !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("tax 19: %v", err)
	}
	if e.snapshot(t) != snap {
		t.Fatal("a refused tax rate wrote something")
	}
	tu, err := e.s.TopUp(adminCtx, TopUpRequest{ID: "t1", Account: "pool", Credits: d("100"), TaxRate: "19%", Source: "ui"})
	if err != nil || tu.TaxRate != "0.19" {
		t.Fatalf("tax 19%%: %+v, %v", tu, err)
	}
	var tax string
	if err := e.db.Read().QueryRow(`SELECT tax_rate FROM ledger_topups WHERE transfer_id = ?`, tu.Transfer.ID).Scan(&tax); err != nil || tax != "0.19" {
		t.Fatalf("stored tax rate %q, %v", tax, err)
	}
}
