package app

import (
	"fmt"
	"strings"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/core"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/ledger"
	"meterdesk/backend/team"
)

func init() { register(func(a *App) any { return &Credits{app: a} }) }

// Credits is the bound struct for the header balance and Settings → Credits.
// Amounts cross the bridge as decimal strings (decimal.Decimal marshals to a
// JSON string); roles are checked in backend/ledger.
type Credits struct{ app *App }

// TopUpInput is a top-up from the UI: a package id or a custom amount.
type TopUpInput struct {
	ID        string `json:"id"` // idempotency id (crypto.randomUUID per user action)
	Account   string `json:"account"`
	PackageID int64  `json:"packageId"`
	Amount    string `json:"amount"` // custom credits when packageId is 0
	Price     string `json:"price"`
	Currency  string `json:"currency"`
	TaxRate   string `json:"taxRate"`
	Note      string `json:"note"`
}

// TransferInput moves credits between pool, department and member wallet
// accounts (e.g. an admin giving a member credits from the pool).
type TransferInput struct {
	ID     string `json:"id"` // idempotency id (crypto.randomUUID per user action)
	From   string `json:"from"`
	To     string `json:"to"`
	Amount string `json:"amount"`
}

// HistoryInput filters the history. Dates are RFC 3339 or YYYY-MM-DD; "" = open.
type HistoryInput struct {
	Account string   `json:"account"`
	Ops     []string `json:"ops"` // those picked (ledger.Ops); none: every one (ledger.HistoryOps)
	// Reservations: with no operation picked, the reservation rows too
	// (ledger.ReservationOps, which move no money), as "Show reservations"
	// asks; without, they are left out.
	Reservations bool   `json:"reservations"`
	From         string `json:"from"` // first day (YYYY-MM-DD, workspace zone) or an RFC 3339 instant
	To           string `json:"to"`   // last day, included (or an RFC 3339 instant: an exclusive end)
	Before       int64  `json:"before"`
	Limit        int    `json:"limit"`
}

// myAccount is the account that pays for the signed-in member's sends
// (team.Service.MyAccount: their wallet, their department or the pool).
func (c *Credits) myAccount() (string, error) {
	return c.app.Backend.Team.MyAccount(c.app.Ctx())
}

// PayerBalance is the balance the header shows: the available credits of
// the account that pays for the signed-in member's sends, and which
// account that is, so that the header can name it ("Pool", "Research",
// "Your wallet"). Kind is team.PayerPool, PayerDepartment or PayerWallet;
// Name is the department's name for a department, else "".
type PayerBalance struct {
	Account string `json:"account"`
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	// AccountName is a department's account in words ("Research
	// department's credits"; team.Payer.AccountName), "" otherwise.
	AccountName string `json:"accountName"`
	Available   string `json:"available"`
}

// MyBalance returns the balance shown in the header: that of the account
// paying for the signed-in member's usage (wallet, department or pool,
// as team.Service.MyPayer decides), with that account named. It is
// core.Backend.MyBalance, which `meterdesk credits balance` shows too.
func (c *Credits) MyBalance() (PayerBalance, error) {
	p, b, err := c.app.Backend.MyBalance(c.app.Ctx())
	if err != nil {
		return PayerBalance{}, err
	}
	return PayerBalance{Account: p.Account, Kind: p.Kind, Name: p.Name, AccountName: p.AccountName, Available: b.Available.String()}, nil
}

// Balance returns an account's balance ("" = the caller's own account).
func (c *Credits) Balance(account string) (ledger.Balance, error) {
	if account == "" {
		var err error
		if account, err = c.myAccount(); err != nil {
			return ledger.Balance{}, err
		}
	}
	return c.app.Backend.Ledger.Balance(c.app.Ctx(), account)
}

// Packages lists the top-up packages.
func (c *Credits) Packages() ([]ledger.Package, error) {
	return c.app.Backend.Ledger.Packages(c.app.Ctx())
}

// SavePackage creates or updates a package (admin only).
func (c *Credits) SavePackage(p ledger.Package) (ledger.Package, error) {
	return c.app.Backend.Ledger.SavePackage(c.app.Ctx(), p)
}

// TopUp issues credits (admin only) and names the invoice issued for them.
func (c *Credits) TopUp(in TopUpInput) (core.TopUpReceipt, error) {
	// The amount goes as typed: the backend checks the role before it
	// reads it (a member is refused, whatever they typed).
	req := ledger.TopUpRequest{ID: in.ID, Account: in.Account, PackageID: in.PackageID, Amount: in.Amount, Price: in.Price,
		Currency: in.Currency, TaxRate: in.TaxRate, Note: in.Note, Source: "ui"}
	if req.Account == "" {
		req.Account = ledger.AccountPool
	}
	return c.app.Backend.TopUp(c.app.Ctx(), req)
}

// TaxRateProblem says what is wrong with a top-up's tax rate as typed, in
// the words TopUp would refuse it with (ledger.ParseTaxRate, as a sentence:
// 'Tax rate "19" must be a fraction from 0 to 1: for 19%, type 0.19 or
// 19%'), or "" when TopUp takes it ("0.19", "19%", ""). The top-up form
// shows it under its Tax rate field while it is typed (debounced), so that
// the rule is the backend's only. It reads nothing and writes nothing, but
// answers only a signed-in member, as every bound method does.
func (c *Credits) TaxRateProblem(rate string) (string, error) {
	if _, err := access.Current(c.app.Ctx()); err != nil {
		return "", err
	}
	_, err := ledger.ParseTaxRate(rate)
	return problemWords(err), nil
}

// AmountProblem says what is wrong with credits as typed in one of the
// Credits page's amount fields (a custom top-up's Credits; Give credits,
// Move to the pool, Settle from the pool, Give from your wallet), in the
// words TopUp and Transfer would refuse them with (ledger.ParseCredits, as a
// sentence: `"1,5": not a decimal number: use a point for decimals (1.5),
// and no thousands separators`, "Amount must be greater than zero"), or ""
// when they take them. The forms show it under the field while it is typed
// (debounced), as they do TaxRateProblem's, so that the window says what
// `meterdesk credits topup --amount` and `credits transfer --amount` say.
// It reads nothing and writes nothing, but answers only a signed-in member.
func (c *Credits) AmountProblem(amount string) (string, error) {
	if _, err := access.Current(c.app.Ctx()); err != nil {
		return "", err
	}
	_, err := ledger.ParseCredits(amount)
	return problemWords(err), nil
}

// PriceProblem says what is wrong with a custom top-up's price as typed, in
// the words TopUp would refuse it with: ledger.ParsePrice in the currency a
// custom top-up from the window is priced in, that of what a credit is
// worth (`Price "abc": not a decimal number`, "Price 1.005 EUR has more than
// 2 decimal places"), or "" when TopUp takes it ("" too: no price given).
// The top-up form shows it under its Price field while it is typed
// (debounced), so that the window says what `meterdesk credits topup
// --price` says, and a price the backend refuses is never sent. It writes
// nothing, and answers only a signed-in member.
func (c *Credits) PriceProblem(price string) (string, error) {
	ctx := c.app.Ctx()
	if _, err := access.Current(ctx); err != nil {
		return "", err
	}
	price = strings.TrimSpace(price) // as TopUp reads it
	if price == "" {
		return "", nil
	}
	cv, err := c.app.Backend.Ledger.CreditValue(ctx)
	if err != nil {
		return "", err
	}
	_, err = ledger.ParsePrice(price, cv.Currency)
	return problemWords(err), nil
}

// problemWords is a refusal as the window shows it (FormatError's reason:
// inputerr.Sentence, else its text); "" for nil.
func problemWords(err error) string {
	if err == nil {
		return ""
	}
	if words := inputerr.Sentence(err); words != "" {
		return words
	}
	return err.Error()
}

// Transfer moves credits from one account to another as a ledger transfer
// (op transfer), as `meterdesk credits transfer --op transfer` does: an
// admin between any pool, department and wallet accounts, a member only
// from their own wallet (backend/ledger checks the role), and where to by
// team.Service.GiveTargets' list; a member's refusal reads as the CLI's
// (team.Service.Transfer). The answer says what moved in words (Summary:
// "Gave 25.00 credits from the workspace pool to erin's wallet"), the
// page's toast, as `credits transfer` prints it.
func (c *Credits) Transfer(in TransferInput) (team.TransferReceipt, error) {
	// Read as AmountProblem and `credits transfer --amount` read it.
	v, err := ledger.ParseCredits(in.Amount)
	if err != nil {
		return team.TransferReceipt{}, err
	}
	return c.app.Backend.Team.Transfer(c.app.Ctx(), ledger.TransferRequest{ID: in.ID, Op: ledger.OpTransfer,
		From: in.From, To: in.To, Amount: v, Dims: ledger.Dims{Source: "ui"}})
}

// GiveTargets lists where the signed-in member may give credits from their
// own wallet (Transfer from user:<their id>), by name: the workspace pool,
// their department's credits and the other active members' wallets
// (team.Service.GiveTargets, which `meterdesk credits transfer` lists too).
// The Credits page's "Give credits from your wallet" offers these.
func (c *Credits) GiveTargets() ([]team.GiveTarget, error) {
	return c.app.Backend.Team.GiveTargets(c.app.Ctx())
}

// GiveRoom says what the signed-in member's wallet lets them give now
// (team.Service.GiveWords: line, "… 17.00 credits can move now (your
// minimum balance of 3.00 credits stays).", the line "Give credits from
// your wallet" shows under its title; noAmount, "Type how many credits to
// give (at most 17.00 credits).", what Give with no amount says), made in
// Go with the amounts they name.
func (c *Credits) GiveRoom() (team.GiveWords, error) {
	return c.app.Backend.Team.GiveWords(c.app.Ctx())
}

// PoolLines says, for an admin, what the Credits page shows under "Give
// credits from the pool" and "Settle the debt" for account
// (team.Service.PoolLines: "Moves credits from the workspace pool
// (1,000.00 credits available) to erin's wallet. …", "frank (removed)'s
// wallet owes 18.00 credits: frank was removed, so it takes credits only to
// settle that debt: …"). Admin only.
func (c *Credits) PoolLines(account string) (team.PoolLines, error) {
	return c.app.Backend.Team.PoolLines(c.app.Ctx(), account)
}

// MoveBackRoom says what an admin may move from account back to the
// workspace pool now, as "Move credits back to the pool" says it under its
// title (team.MoveBackLine). Admin only.
func (c *Credits) MoveBackRoom(account string) (string, error) {
	return c.app.Backend.Team.MoveBackRoom(c.app.Ctx(), account)
}

// HistoryRow is a row of the credits history as the window shows it: the
// transfer, AmountWord, how its amount reads when it is not a number
// (chat.HistoryWord: "free" for a free reply's charge, as the chat and
// `meterdesk credits history` say it; "" otherwise), and ReservationNote,
// what a hold or void row is (ledger.ReservationNote: reserved, not
// charged; "" for other rows), as the CLI's NOTE column says it.
type HistoryRow struct {
	ledger.Transfer
	AmountWord      string `json:"amountWord,omitempty"`
	ReservationNote string `json:"reservationNote,omitempty"`
	// Reservation: a row of a send's reservation (ledger.ReservationOps),
	// which moves no money: the window dims it and says it is not charged.
	Reservation bool `json:"reservation,omitempty"`
}

// HistoryPage is one page of the credits history (ledger.Page, each row
// with its words), with the operation types its filter offers. Empty is
// what a first page without rows says instead (ledger.EmptyHistoryFor, as
// `meterdesk credits history` prints it); nil when there are rows, or on a
// later page.
type HistoryPage struct {
	Items []HistoryRow `json:"items"`
	Next  int64        `json:"next"`
	// Ops are the operation types the window's Operation filter offers
	// (ledger.FilterOps: every one but post, which usage selects too).
	Ops   []string             `json:"ops"`
	Empty *ledger.EmptyHistory `json:"empty,omitempty"`
}

// History returns one page of transfers, newest first.
func (c *Credits) History(in HistoryInput) (HistoryPage, error) {
	ctx := c.app.Ctx()
	f := ledger.Filter{Account: in.Account, Ops: ledger.HistoryOps(in.Ops, in.Reservations), Before: in.Before, Limit: in.Limit}
	var err error
	if f.From, f.To, err = c.app.Backend.DateRangeAs(ctx, in.From, in.To, "From", "To"); err != nil {
		return HistoryPage{}, fmt.Errorf("history: %w", err)
	}
	p, err := c.app.Backend.Ledger.History(ctx, f)
	if err != nil {
		return HistoryPage{}, err
	}
	out := HistoryPage{Items: make([]HistoryRow, len(p.Items)), Next: p.Next, Ops: ledger.FilterOps()}
	for i, t := range p.Items {
		out.Items[i] = HistoryRow{Transfer: t, AmountWord: chat.HistoryWord(t), ReservationNote: ledger.ReservationNote(t),
			Reservation: ledger.IsReservation(t.Op)}
	}
	if len(out.Items) == 0 && in.Before == 0 {
		e := ledger.EmptyHistoryFor(ctx, f)
		out.Empty = &e
	}
	return out, nil
}

// CreditValue returns what one credit is worth.
func (c *Credits) CreditValue() (ledger.CreditValue, error) {
	return c.app.Backend.Ledger.CreditValue(c.app.Ctx())
}

// SetCreditValue sets what one credit is worth (admin only) and says
// whether it was stored so already (unchanged: nothing written or
// audited).
func (c *Credits) SetCreditValue(v ledger.CreditValue) (ledger.CreditValueChange, error) {
	return c.app.Backend.Ledger.ChangeCreditValue(c.app.Ctx(), v)
}
