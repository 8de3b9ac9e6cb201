package team

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/store"
)

// Wallet is a member's wallet (user:<id>) as an admin sees it: whose it
// is, what it holds and what of that may go back to the pool now.
type Wallet struct {
	Account     string `json:"account"` // user:<id>
	UserID      int64  `json:"userId"`
	Name        string `json:"name"`
	DisplayName string `json:"displayName"`
	Status      string `json:"status"`  // the member's: active, disabled or removed
	Funding     string `json:"funding"` // the member's: pool or wallet
	Balance     string `json:"balance"`
	Available   string `json:"available"` // balance less pending holds
	// Returnable is what a transfer back to the pool may take now: the
	// available balance within the wallet's policy (a minimum balance is
	// kept), "0" when nothing.
	Returnable string `json:"returnable"`
	// ReturnableOnRemoval is what removing the member with returnCredits
	// moves back to the pool: the available balance, a minimum balance
	// included (a removed member's wallet keeps none), "0" when nothing.
	ReturnableOnRemoval string `json:"returnableOnRemoval"`
}

// WalletCredits says what became of a member's wallet when the member was
// removed or stopped paying from it.
type WalletCredits struct {
	Account    string `json:"account"`  // user:<id>
	Balance    string `json:"balance"`  // what it held before
	Returned   string `json:"returned"` // moved back to the pool ("0": nothing)
	Left       string `json:"left"`     // what stays in it
	TransferID int64  `json:"transferId,omitempty"`
}

// MemberChange is a member after a removal, an update, a disable or an
// enable, with their wallet when it stopped being used (removed, or funding
// changed from wallet to the organisation). Unchanged says that an update,
// a disable or an enable asked for what the member had already, so nothing
// was written or audited.
type MemberChange struct {
	Member    Member         `json:"member"`
	Wallet    *WalletCredits `json:"wallet,omitempty"`
	Unchanged bool           `json:"unchanged"`
}

const walletCols = `SELECT u.id, u.name, u.display_name, u.status, u.funding,
	COALESCE(a.balance_minor, 0), COALESCE(a.balance_minor - a.pending_minor, 0)
	FROM users u LEFT JOIN ledger_accounts a ON a.code = 'user:' || u.id`

func (s *Service) scanWallet(ctx context.Context, sc interface{ Scan(...any) error }) (Wallet, error) {
	var w Wallet
	var bal, avail int64
	if err := sc.Scan(&w.UserID, &w.Name, &w.DisplayName, &w.Status, &w.Funding, &bal, &avail); err != nil {
		return w, err
	}
	w.Account = userAccount(w.UserID)
	w.Balance, w.Available, w.ReturnableOnRemoval = money.MinorString(bal), money.MinorString(avail), money.MinorString(max(avail, 0))
	r, err := s.returnable(ctx, w.Account)
	if err != nil {
		return w, err
	}
	w.Returnable = money.String(r)
	return w, nil
}

// returnable is what a transfer from code to the pool may take now: what of
// its own credits may leave it (ledger.Balance.Movable: the available
// balance above its policy's floor, never below zero). An account that does
// not exist has none.
func (s *Service) returnable(ctx context.Context, code string) (decimal.Decimal, error) {
	r, err := s.led.Movable(ctx, code)
	if errors.Is(err, ledger.ErrUnknownAccount) {
		return money.Zero, nil
	}
	return r, err
}

// Wallets lists the wallets an admin may act on (admin only): every wallet
// in use (a member paid by their own wallet, not removed) and every other
// wallet with a balance, removed members' included, so that credits left
// there can be moved back to the pool. Removed members come last.
func (s *Service) Wallets(ctx context.Context) ([]Wallet, error) {
	if _, err := access.RequireAdmin(ctx, "list wallets"); err != nil {
		return nil, err
	}
	rows, err := s.db.Read().QueryContext(ctx, walletCols+`
		WHERE (u.funding = 'wallet' AND u.status <> 'removed') OR COALESCE(a.balance_minor, 0) <> 0
		ORDER BY u.status = 'removed', u.name COLLATE NOCASE, u.id`)
	if err != nil {
		return nil, fmt.Errorf("list wallets: %w", err)
	}
	var ws []Wallet
	for rows.Next() {
		var w Wallet
		var bal, avail int64
		if err := rows.Scan(&w.UserID, &w.Name, &w.DisplayName, &w.Status, &w.Funding, &bal, &avail); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list wallets: %w", err)
		}
		w.Account = userAccount(w.UserID)
		w.Balance, w.Available, w.ReturnableOnRemoval = money.MinorString(bal), money.MinorString(avail), money.MinorString(max(avail, 0))
		ws = append(ws, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list wallets: %w", err)
	}
	out := []Wallet{}
	for _, w := range ws {
		r, err := s.returnable(ctx, w.Account)
		if err != nil {
			return nil, fmt.Errorf("list wallets: %w", err)
		}
		w.Returnable = money.String(r)
		out = append(out, w)
	}
	return out, nil
}

// Wallet returns one member's wallet (admin only), removed members' too.
func (s *Service) Wallet(ctx context.Context, userID int64) (Wallet, error) {
	if _, err := access.RequireAdmin(ctx, "read a wallet"); err != nil {
		return Wallet{}, err
	}
	w, err := s.scanWallet(ctx, s.db.Read().QueryRowContext(ctx, walletCols+" WHERE u.id = ?", userID))
	if errors.Is(err, sql.ErrNoRows) {
		return Wallet{}, fmt.Errorf("wallet of member %d: %w", userID, ErrNotFound)
	}
	if err != nil {
		return Wallet{}, fmt.Errorf("wallet of member %d: %w", userID, err)
	}
	return w, nil
}

// RemoveMemberWith removes a member as RemoveMember does (admin only,
// audited) and says what their wallet holds. The wallet ends with the
// member, in the same transaction: it keeps no minimum balance (its policy
// becomes blocked, floor 0; an overdraft ends too, a debt stays to be
// settled), its auto-recharge rule is removed (audited as recharge.remove)
// and its balance alerts stop (endWalletTx). With returnCredits, the
// wallet's available balance (Wallet.ReturnableOnRemoval) moves back to the
// pool in that transaction too: a ledger transfer, logged as
// credits.transfer like any other; without, it stays in the wallet (Credits
// can move it later). The window's remove dialog and `users remove
// [--return-credits]` both call it.
func (s *Service) RemoveMemberWith(ctx context.Context, id int64, returnCredits bool) (MemberChange, error) {
	const what = "remove a member"
	a, err := access.RequireAdmin(ctx, what)
	if err != nil {
		return MemberChange{}, err
	}
	var after Member
	w, err := s.withWallet(ctx, a, id, returnCredits, true, "removed", func(tx *sql.Tx) (err error) {
		if after, _, err = s.statusTx(ctx, tx, a, id, StatusRemoved, "member.remove"); err != nil {
			return err
		}
		return s.endWalletTx(ctx, tx, a, id)
	})
	if err != nil {
		return MemberChange{}, fmt.Errorf("%s %d: %w", what, id, err)
	}
	return MemberChange{Member: after, Wallet: w}, nil
}

// endWalletTx ends removed member id's wallet in tx, the removal's
// transaction, by actor a (endAccountTx).
func (s *Service) endWalletTx(ctx context.Context, tx *sql.Tx, a access.Actor, id int64) error {
	return s.endAccountTx(ctx, tx, a, userAccount(id))
}

// endAccountTx ends account code, a removed member's wallet or an archived
// department's account, in tx, the transaction of the removal or the
// archive, by actor a: its policy becomes blocked (floor 0: no minimum
// balance keeps credits in it, no overdraft lets it go further below
// zero), logged as credits.policy when it changes, and stays so
// (AcceptsPolicy); its auto-recharge rule is removed (recharge.remove), and
// its alerts' state is dropped (evaluate fires none for it any more,
// accountEnded). An account never made has nothing to end.
func (s *Service) endAccountTx(ctx context.Context, tx *sql.Tx, a access.Actor, code string) error {
	blocked := ledger.Policy{Kind: ledger.PolicyBlocked, Limit: money.Zero}
	before, changed, err := ledger.SetPolicyTx(ctx, tx, code, blocked)
	switch {
	case errors.Is(err, ledger.ErrUnknownAccount):
	case err != nil:
		return err
	case changed:
		if err := s.audit(ctx, tx, a, "credits.policy", code, before, blocked); err != nil {
			return err
		}
	}
	if _, err := s.removeRechargeTx(ctx, tx, a, code); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "DELETE FROM alert_state WHERE account = ?", code)
	return err
}

// UpdateMemberWith changes a member as UpdateMember does (admin only,
// audited). When the change makes a member paid by their own wallet paid by
// the organisation, it says what the wallet holds, and with returnCredits
// moves what it may give back to the pool in the same transaction (as
// RemoveMemberWith). returnCredits on any other change is refused: the
// wallet is still the member's to spend.
func (s *Service) UpdateMemberWith(ctx context.Context, id int64, in MemberUpdate, returnCredits bool) (MemberChange, error) {
	a, u, err := s.checkUpdate(ctx, id, in)
	if err != nil {
		return MemberChange{}, err
	}
	before, err := getMember(ctx, s.db.Read(), id)
	if err != nil {
		return MemberChange{}, fmt.Errorf("change member %d: %w", id, err)
	}
	leaves := before.Funding == FundWallet && u.funding == FundPool
	if returnCredits && !leaves {
		return MemberChange{}, fmt.Errorf("change member %d: %w", id, inputerr.New(ErrInvalid, "credits go back to the pool only when %s stops paying from their wallet "+
			"(funding changed to the organisation) or is removed; otherwise move them with Credits (credits transfer --op transfer --from %s --to pool)", before.Name, userAccount(id)))
	}
	var r updated
	body := func(tx *sql.Tx) (err error) {
		r, err = s.updateTx(ctx, tx, a, id, u)
		return err
	}
	var w *WalletCredits
	if leaves {
		w, err = s.withWallet(ctx, a, id, returnCredits, false, "paid by the organisation", body)
	} else {
		err = s.write(ctx, body)
	}
	after, err := s.afterUpdate(ctx, id, r, err)
	if err != nil {
		return MemberChange{}, err
	}
	return MemberChange{Member: after, Wallet: w, Unchanged: r.unchanged}, nil
}

// withWallet runs body, the change that stops member id's wallet being used
// (why: "removed", ...), and reports the wallet. With returnCredits and
// something to return, body runs first in the transaction of the ledger
// transfer of it to the pool (its Before), so the change and the transfer
// land together or not at all, and the transfer is checked against the
// wallet as body leaves it. removal says that body removes the member,
// which ends the wallet's minimum balance: what is returned is then
// Wallet.ReturnableOnRemoval, otherwise Wallet.Returnable.
func (s *Service) withWallet(ctx context.Context, a access.Actor, id int64, returnCredits, removal bool, why string,
	body func(tx *sql.Tx) error) (*WalletCredits, error) {
	code := userAccount(id)
	amount := money.Zero
	if returnCredits {
		var err error
		if removal {
			amount, err = s.led.Available(ctx, code)
			if errors.Is(err, ledger.ErrUnknownAccount) {
				amount, err = money.Zero, nil
			}
			amount = decimal.Max(amount, money.Zero)
		} else {
			amount, err = s.returnable(ctx, code)
		}
		if err != nil {
			return nil, err
		}
	}
	var t ledger.Transfer
	if amount.Sign() > 0 {
		var bodyErr error
		meta, _ := json.Marshal(map[string]string{"note": "back to the pool: member " + why, "by": a.Name})
		var err error
		t, err = s.led.Transfer(ctx, ledger.TransferRequest{
			ID: newID("return"), Op: ledger.OpTransfer, From: code, To: ledger.AccountPool, Amount: amount,
			Dims: ledger.Dims{UserID: id}, Meta: meta,
			Before: func(_ context.Context, tx *sql.Tx) error {
				bodyErr = body(tx)
				return bodyErr
			},
		})
		if bodyErr != nil {
			return nil, bodyErr
		}
		if err != nil {
			return nil, fmt.Errorf("move the wallet's credits back to the pool: %w", err)
		}
		// The pool may be above a threshold again: the ledger's move hook
		// (AfterMove) evaluated it once the return committed.
	} else if err := s.write(ctx, body); err != nil {
		return nil, err
	}
	after, err := s.led.Balance(ctx, code)
	if errors.Is(err, ledger.ErrUnknownAccount) {
		return nil, nil // no wallet was ever made: nothing to say
	}
	if err != nil {
		return nil, err
	}
	return &WalletCredits{Account: code, Balance: money.String(after.Balance.Add(amount)), Returned: money.String(amount),
		Left: money.String(after.Balance), TransferID: t.ID}, nil
}

// AccountNames returns the names of the ledger accounts the signed-in actor
// may see, by code: for an admin every member's wallet and every department,
// removed members and archived departments too; for a member their own
// wallet and their department's credits, which they may read but not list.
// Names follow backend/people: a member's display name, else their sign-in
// name, "bob (removed)" for a removed member and "Eng (archived)" for an
// archived department, so one that ended is told from a current one that
// took its name. The window's Credits, audit log and alerts and the CLI name
// accounts with it ("Eng" for dept:1), never with the code, and so do the
// statement PDF's lines (backend/statements), through AccountNamesOn.
func (s *Service) AccountNames(ctx context.Context) (map[string]string, error) {
	return AccountNamesOn(ctx, s.db)
}

// AccountNamesOn is AccountNames on db, for a package that has the store
// but not the team service: one rule for which names a reader may see.
func AccountNamesOn(ctx context.Context, db *store.DB) (map[string]string, error) {
	a, err := access.Current(ctx)
	if err != nil {
		return nil, fmt.Errorf("account names: %w", err)
	}
	out := map[string]string{}
	var users, depts string
	var args []any
	if a.IsAdmin() {
		users = "SELECT id, md_member_label(name, display_name, status) FROM users"
		depts = "SELECT id, md_department_label(name, archived) FROM departments"
	} else if a.UserID > 0 {
		users = "SELECT id, md_member_label(name, display_name, status) FROM users WHERE id = ?"
		depts = "SELECT d.id, md_department_label(d.name, d.archived) FROM departments d JOIN users u ON u.department_id = d.id WHERE u.id = ?"
		args = []any{a.UserID}
	} else {
		return out, nil
	}
	for _, q := range []struct {
		sql  string
		code func(int64) string
	}{{users, userAccount}, {depts, deptAccount}} {
		rows, err := db.Read().QueryContext(ctx, q.sql, args...)
		if err != nil {
			return nil, fmt.Errorf("account names: %w", err)
		}
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return nil, fmt.Errorf("account names: %w", err)
			}
			out[q.code(id)] = name
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("account names: %w", err)
		}
	}
	return out, nil
}

// Kinds of account a member may give credits to (GiveTarget.Kind).
const (
	GivePool       = "pool"       // the workspace pool
	GiveDepartment = "department" // the member's own department's credits
	GiveMember     = "member"     // another active member's wallet
)

// GiveTarget is an account the signed-in member may give credits to from
// their own wallet (a ledger transfer, op transfer), named as the window
// and the CLI name it.
type GiveTarget struct {
	Account string `json:"account"` // pool, dept:<id> or user:<id>
	Kind    string `json:"kind"`    // GivePool, GiveDepartment or GiveMember
	Name    string `json:"name"`    // "Workspace pool", "Research", "Bob Martin"
	// Phrase names it within a sentence ("Gave 5.00 credits from your
	// wallet to …"): "the workspace pool", "the Research department's
	// credits" (DepartmentCreditsPhrase), "Bob Martin".
	Phrase string `json:"phrase"`
}

// GiveTargets lists where the signed-in member may give credits from their
// own wallet, by name, as the Credits page's "Give credits from your
// wallet" offers them and `meterdesk credits transfer` lists them: the
// workspace pool, their own department's credits (not an archived one),
// and the wallet of every other active member, in the names the profile
// picker shows to anyone (backend/people's rule). Nothing a member may not
// see is listed: no other department, no disabled or removed member. The
// ledger refuses a member's give anywhere else by the same list (MayGive);
// an admin is offered the same accounts (and may transfer anywhere). The
// system (no member) has no wallet and is offered none.
func (s *Service) GiveTargets(ctx context.Context) ([]GiveTarget, error) {
	a, err := access.Current(ctx)
	if err != nil {
		return nil, fmt.Errorf("give targets: %w", err)
	}
	if a.UserID <= 0 {
		return []GiveTarget{}, nil
	}
	return giveTargetsOn(ctx, s.db.Read(), a.UserID)
}

// GiveRoom says what the signed-in member's wallet lets them give now, as
// the Credits page's "Give credits from your wallet" says it under its
// title (GiveRoomLine of their wallet's balance); "" for the system, which
// has no wallet.
func (s *Service) GiveRoom(ctx context.Context) (string, error) {
	w, err := s.GiveWords(ctx)
	return w.Line, err
}

// GiveWords are the words of the Credits page's "Give credits from your
// wallet", made from the signed-in member's wallet: Line under its title
// (GiveRoomLine) and NoAmount, what Give pressed with no amount typed says
// (NoGiveAmount). Both "" for the system, which has no wallet.
type GiveWords struct {
	Line     string `json:"line"`
	NoAmount string `json:"noAmount"`
}

// GiveWords reads the signed-in member's wallet and says GiveWords of it.
func (s *Service) GiveWords(ctx context.Context) (GiveWords, error) {
	a, err := access.Current(ctx)
	if err != nil {
		return GiveWords{}, fmt.Errorf("give room: %w", err)
	}
	if a.UserID <= 0 {
		return GiveWords{}, nil
	}
	b, err := s.led.Balance(ctx, ledger.UserAccount(a.UserID))
	if err != nil {
		return GiveWords{}, err
	}
	return GiveWords{Line: GiveRoomLine(b), NoAmount: NoGiveAmount(b)}, nil
}

// NoGiveAmount is what "Give credits from your wallet" says when Give is
// pressed with no amount typed, naming what can move (wallet b's Movable,
// as GiveRoomLine does): "Type how many credits to give (at most 17.00
// credits)."
func NoGiveAmount(b ledger.Balance) string {
	return "Type how many credits to give (at most " + money.Credits(money.Display(b.Movable)) + ")."
}

// GiveRoomLine is what a member's wallet b lets them give now, in the words
// a refused give says it (giveRefusal's room): "Moves credits from your
// wallet to the workspace pool, your department or another member: 17.00
// credits can move now (your minimum balance of 3.00 credits stays).", or
// "Nothing in your wallet can move now (its minimum balance of 3.00 credits
// stays)." The minimum balance is named only when it holds credits back
// (what can move is less than what is available).
func GiveRoomLine(b ledger.Balance) string {
	kept := keptMinimum(b.Policy, b.Movable, b.Available)
	if b.Movable.Sign() <= 0 {
		if kept != "" {
			return "Nothing in your wallet can move now (its minimum balance of " + kept + " stays)."
		}
		return "Nothing in your wallet can move now."
	}
	return "Moves credits from your wallet to the workspace pool, your department or another member: " +
		canMoveNow(b.Movable, kept, "your") + "."
}

// MoveBackRoom says what an admin may move from account back to the
// workspace pool now, as the Credits page's "Move credits back to the pool"
// says it under its title (MoveBackLine, the account named as notifications
// name it).
func (s *Service) MoveBackRoom(ctx context.Context, account string) (string, error) {
	if _, err := access.RequireAdmin(ctx, "read what can move back to the pool"); err != nil {
		return "", err
	}
	b, err := s.led.Balance(ctx, account)
	if err != nil {
		return "", err
	}
	return MoveBackLine(accountName(ctx, s.db.Read(), account).mid, b), nil
}

// MoveBackLine is what of account b, named name mid-sentence ("erin's
// wallet", "the Research department"), may move back to the workspace pool
// now, in GiveRoomLine's words: "Moves credits from erin's wallet to the
// workspace pool: 400.00 credits can move now (its minimum balance of
// 100.00 credits stays).", or "Nothing in erin's wallet can move now (its
// minimum balance of 100.00 credits stays)."
func MoveBackLine(name string, b ledger.Balance) string {
	kept := keptMinimum(b.Policy, b.Movable, b.Available)
	if b.Movable.Sign() <= 0 {
		if kept != "" {
			return "Nothing in " + name + " can move now (its minimum balance of " + kept + " stays)."
		}
		return "Nothing in " + name + " can move now."
	}
	return "Moves credits from " + name + " to the workspace pool: " + canMoveNow(b.Movable, kept, "its") + "."
}

// canMoveNow says that room can move now, with the minimum balance kept
// (keptMinimum; "" none) named as whose ("your", "its"), as GiveRoomLine,
// MoveBackLine and a refused give (giveRefusal) say it: "17.00 credits can
// move now (your minimum balance of 3.00 credits stays)".
func canMoveNow(room decimal.Decimal, kept, whose string) string {
	s := money.Credits(money.Display(room)) + " can move now"
	if kept != "" {
		s += " (" + whose + " minimum balance of " + kept + " stays)"
	}
	return s
}

// keptMinimum is a wallet's minimum balance in credits ("3.00 credits")
// when it holds some of the available balance back (what can move, room,
// is less than available), else "": a minimum of 0 keeps nothing back,
// and nothing is named.
func keptMinimum(p ledger.Policy, room, available decimal.Decimal) string {
	if p.Kind != ledger.PolicyMinimum || !room.LessThan(available) {
		return ""
	}
	return money.Credits(money.Display(p.Limit))
}

// MayGive is the ledger's GiveCheck (ledger.SetGiveCheck, wired by core): a
// member (not an admin) may give credits from their own wallet only to an
// account GiveTargets offers them, read in the ledger's write transaction
// (tx), so a member disabled or moved to another department meanwhile is
// judged as they are when the give is written. Anything else is refused as
// forbidden, naming the account only by the code asked for (another
// department's or a disabled member's name is not the member's to read).
func (s *Service) MayGive(ctx context.Context, tx *sql.Tx, code string) error {
	a, err := access.Current(ctx)
	if err != nil {
		return err
	}
	targets, err := giveTargetsOn(ctx, tx, a.UserID)
	if err != nil {
		return err
	}
	for _, t := range targets {
		if t.Account == code {
			return nil
		}
	}
	return reasonf(access.ErrForbidden, "%s", givesOnlyTo(code))
}

// Transfer is a transfer as a person asks for one, from the window
// (Credits.Transfer) or the CLI (`credits transfer`): ledger.Transfer, with
// what moved in words (TransferReceipt.Summary: "Gave 5.00 credits from
// your wallet to Bob Martin"), whose refusal of a member's give from their
// own wallet is said as the member knows their accounts (giveRefusal), the
// same words in both. The refusal keeps its sentinel (errors.Is: the CLI's
// exit code, the window's code); an admin's, and any other transfer's, is
// the ledger's.
func (s *Service) Transfer(ctx context.Context, req ledger.TransferRequest) (TransferReceipt, error) {
	a, aerr := access.Current(ctx)
	t, err := s.led.Transfer(ctx, req)
	if err == nil {
		return TransferReceipt{Transfer: t, Summary: transferSummary(ctx, s.db.Read(), a, t)}, nil
	}
	if aerr != nil || a.IsAdmin() || a.UserID <= 0 || req.Op != ledger.OpTransfer || req.From != ledger.UserAccount(a.UserID) {
		return TransferReceipt{Transfer: t}, err
	}
	return TransferReceipt{Transfer: t}, giveRefusal(err, req)
}

// giveRefusal says err, the ledger's refusal of the signed-in member's give
// req from their own wallet, in their words: "your wallet is short by 0.01
// credits: 17.00 credits can move now (your minimum balance of 3.00
// credits stays)", what can move said as the give form's line says it, not "insufficient funds: user:2 is short by …"; "credits from
// your wallet cannot go to your wallet itself"; an account that is none
// (a mistyped code) as MayGive refuses one it may not give to; a refusal
// already in words (MayGive's, AcceptsCredits') without the transfer's
// random id. What can move is the wallet's Movable (the ledger refuses a
// give beyond it: an overdraft lends to sends, never to a give), so no
// overdraft is named. Anything else (an amount refused as invalid:
// already in words) is err.
func giveRefusal(err error, req ledger.TransferRequest) error {
	var short *ledger.ShortError
	var reason *reasonError
	switch {
	case errors.As(err, &short) && short.Account == req.From:
		kept := keptMinimum(short.Policy, short.Room, short.Available)
		room := canMoveNow(short.Room, kept, "your") // the words of the line over the give form (GiveRoomLine)
		if short.Room.Sign() <= 0 {
			room = "nothing in it can move now"
			if kept != "" {
				room += " (your minimum balance of " + kept + " stays)"
			}
		}
		return &reasonError{kind: err, msg: fmt.Sprintf("your wallet is short by %s: %s", money.Credits(money.Display(short.Short)), room)}
	case req.To == req.From && errors.Is(err, ledger.ErrInvalidRequest):
		return &reasonError{kind: err, msg: "credits from your wallet cannot go to your wallet itself"}
	case errors.Is(err, ledger.ErrUnknownAccount):
		return &reasonError{kind: err, msg: givesOnlyTo(req.To)}
	case errors.As(err, &reason):
		return &reasonError{kind: err, msg: reason.msg, nameFirst: reason.nameFirst}
	}
	return err
}

// givesOnlyTo refuses a member's give to code, which GiveTargets does not
// offer them, naming it only by its code.
func givesOnlyTo(code string) string {
	return "credits from your wallet go only to the workspace pool, your department's credits " +
		"or another active member's wallet, not to " + code
}

// giveTargetsOn is GiveTargets for member userID, read on q (the store, or
// the ledger's write transaction): the one list both offer and check.
func giveTargetsOn(ctx context.Context, q queryer, userID int64) ([]GiveTarget, error) {
	out := []GiveTarget{{Account: ledger.AccountPool, Kind: GivePool, Name: fixedTargetNames[ledger.AccountPool], Phrase: "the workspace pool"}}
	for _, q1 := range []struct {
		sql  string
		kind string
		code func(int64) string
	}{
		{`SELECT d.id, md_department_label(d.name, d.archived) FROM departments d JOIN users u ON u.department_id = d.id
			WHERE u.id = ? AND d.archived = 0`, GiveDepartment, deptAccount},
		{`SELECT id, md_member_label(name, display_name, status) FROM users WHERE status = 'active' AND id <> ?
			ORDER BY md_member_label(name, display_name, status) COLLATE NOCASE, id`, GiveMember, userAccount},
	} {
		rows, err := q.QueryContext(ctx, q1.sql, userID)
		if err != nil {
			return nil, fmt.Errorf("give targets: %w", err)
		}
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return nil, fmt.Errorf("give targets: %w", err)
			}
			phrase := name
			if q1.kind == GiveDepartment {
				phrase = DepartmentCreditsPhrase(name)
			}
			out = append(out, GiveTarget{Account: q1.code(id), Kind: q1.kind, Name: name, Phrase: phrase})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("give targets: %w", err)
		}
	}
	return out, nil
}
