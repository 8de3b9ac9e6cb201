package cli

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/team"
	"meterdesk/backend/workzone"
)

func init() {
	Register(Command{
		Name: "credits", Summary: "balances, top-ups, history, packages and policies of the credit ledger",
		Example: `meterdesk credits topup --amount 5000 --price 50 --currency EUR`,
		Usage: `meterdesk credits balance [ACCOUNT]   (default: where your sends are charged, as the window's header)
meterdesk credits topup [--account pool] (--amount X | --package ID) [--price P] [--currency EUR]
                        [--tax 0.19] [--note TEXT] [--id ID]
meterdesk credits history [--account A] [--op topup,usage,...] [--member ID|NAME] [--model M]
                          [--provider NAME] [--from 2026-01-01] [--to 2026-02-01] [--limit 50]
                          [--before CURSOR] [--reservations]
meterdesk credits packages
meterdesk credits packages save --name N --credits X --price P [--currency EUR] [--discount PCT]
                                [--sort N] [--inactive] [--id ID]
meterdesk credits transfer --from A --to B --amount X [--op grant|transfer|adjustment|refund] [--id ID]
                           (--op defaults to grant, admin only; a member moves
                           credits from their own wallet with --op transfer;
                           without --to, it lists where they may give them)
meterdesk credits policy ACCOUNT [--kind blocked|overdraft|minimum|carry [--limit X]]
                           (without --kind: the account's policy as it is)
meterdesk credits value [--set AMOUNT --currency C]     (what one credit is worth)
meterdesk credits validity [--set MONTHS]               (top-up lot validity, 0 = never)
meterdesk credits expire | void-stale | verify

Accounts: pool, dept:<id>, user:<id>, sys:topup|usage|expiry|adjust|refund.
History ops: topup, usage, transfer, refund, expiry, adjustment, grant, hold, post,
void; usage is every charge into sys:usage (chat and API charges are posted holds,
op post), as on the Usage page. --provider lists the usage charges at that
provider as the Usage page's "By model" names it ("Lab", "Old (since removed)",
"provider unknown"; a provider renamed since by its name now); with --model
gpt-4o it is that bar's drill-down ("gpt-4o · Lab"). --model alone lists that
model's charges (and, with --reservations, its sends' reservations) at every provider; --model
"(no model)" the transfers with no model (top-ups, moves, a charge naming
none: with --op usage --provider Lab, the bar "(no model) · Lab").
A send's reservation (op hold, and the void that releases it) moves no money:
as on the Credits page, history leaves such rows out unless --reservations
(or --op hold,void) asks for them.
Amounts are exact decimals (at most 9 places); prices are in currency units.
History dates are days in the workspace's time zone, both ends included
(--from 2026-01-01 --to 2026-01-31 is January); an RFC 3339 time is exact,
and as --to it is the first moment left out.
--id of topup and transfer is the idempotency id (default: a new random id);
repeating a command with the same --id and the same content, signed in as the
same person, returns the first result; anyone else's is refused. --id of packages save is the package to change (without it, a
new package is made).
policy says what the account's policy was; a policy it has already is reported
"unchanged" ("unchanged": true with --json), and nothing is written or audited.
value --set and validity --set with what is stored already (0.010 for 0.01)
say "unchanged" the same way ("unchanged": false on a change). The default
(0.01 EUR, 12 months) given while none is stored is stored: a later version's
other default then leaves it as it is.
Top-ups, transfers between accounts, packages, policies and settings need an admin.`,
		Run: runCredits,
	})
}

func runCredits(env *Env, args []string) error {
	sub, args, err := subcommand("credits", args)
	if err != nil {
		return err
	}
	switch sub {
	case "balance":
		return creditsBalance(env, args)
	case "topup":
		return creditsTopUp(env, args)
	case "history":
		return creditsHistory(env, args)
	case "packages":
		if len(args) > 0 && args[0] == "save" {
			return creditsSavePackage(env, args[1:])
		}
		return creditsPackages(env, args)
	case "transfer":
		return creditsTransfer(env, args)
	case "policy":
		return creditsPolicy(env, args)
	case "value":
		return creditsValue(env, args)
	case "validity":
		return creditsValidity(env, args)
	case "expire", "void-stale", "verify":
		return creditsJob(env, sub, args)
	}
	return unknownSubcommand("credits", sub, nil)
}

// idTaken is err, a command's refusal, with what to do when the ledger
// refused its --id as one already used for another request (other
// content, or someone else's request: ledger.ErrIdempotencyConflict).
func idTaken(err error) error {
	if errors.Is(err, ledger.ErrIdempotencyConflict) {
		return fmt.Errorf("%w; run it with another --id (or none, for a new random one)", err)
	}
	return err
}

// newID returns a random idempotency id for one command invocation.
func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// payerWhy says which account core.Backend.MyBalance chose, as the chat
// says it (team.Payer.Phrase): "the Research department, where your sends
// are charged"; for the system (no member signed in: a workspace of no
// one), plainly "the workspace pool".
func payerWhy(env *Env, p team.Payer) string {
	if a, err := access.Current(env.Ctx); err != nil || a.System || a.UserID <= 0 {
		return p.Phrase()
	}
	return p.Phrase() + ", where your sends are charged"
}

func creditsBalance(env *Env, args []string) error {
	fs := env.Flags("credits balance")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return wantArgs("credits balance", pos, "[ACCOUNT]")
	}
	// Without an account: the one the window's header shows, the payer of
	// the signed-in member's sends (an admin's too), by the same function.
	var why string
	var b ledger.Balance
	if len(pos) == 1 {
		// An account named by its code is named back ("dept:1 (Research)")
		// when the signed-in member may see the name.
		if names, err := env.Backend.Team.AccountNames(env.Ctx); err == nil {
			why = names[pos[0]]
		}
		if b, err = env.Backend.Ledger.Balance(env.Ctx, pos[0]); err != nil {
			return err
		}
	} else {
		var p team.Payer
		if p, b, err = env.Backend.MyBalance(env.Ctx); err != nil {
			return err
		}
		why = payerWhy(env, p)
	}
	// Dates and times in the workspace's zone, as history and top-ups say them.
	loc, err := env.Backend.Zone(env.Ctx)
	if err != nil {
		return err
	}
	return env.Print(b, func(w io.Writer) {
		if why != "" {
			fmt.Fprintf(w, "%s (%s)", b.Account, why)
		} else {
			fmt.Fprint(w, b.Account)
		}
		// The Credits card's words: credits held for replies still being
		// written are "reserved" there and in history's notes ("reserved,
		// then settled"); --json keeps the ledger's key, "pending".
		fmt.Fprintf(w, "\n  balance    %s\n  reserved   %s\n  available  %s\n  used       %s\n  policy     %s",
			money.Display(b.Balance), money.Display(b.Pending), money.Display(b.Available), money.Display(b.LifetimeUsed), b.Policy.Kind)
		if b.Policy.Kind == ledger.PolicyOverdraft || b.Policy.Kind == ledger.PolicyMinimum {
			fmt.Fprintf(w, " %s", money.Display(b.Policy.Limit))
		}
		fmt.Fprintln(w)
		for _, l := range b.Lots {
			exp := "never expires"
			if l.ExpiresAt != nil {
				exp = fmt.Sprintf("expires %s %s", workzone.LocalTime(*l.ExpiresAt, loc, workzone.Minutes), loc)
			}
			fmt.Fprintf(w, "  lot        %s (%s)\n", money.Display(l.Amount), exp)
		}
		if t := b.LastTransfer; t != nil {
			fmt.Fprintf(w, "  last       %s %s %s -> %s at %s\n", ledger.OpLabel(t.Op), money.Display(t.Amount), t.From, t.To, workzone.LocalTime(t.CreatedAt, loc, workzone.Seconds)+" "+loc.String())
		}
	})
}

func creditsTopUp(env *Env, args []string) error {
	fs := env.Flags("credits topup")
	account := fs.String("account", ledger.AccountPool, "account to top up")
	amount := fs.String("amount", "", "custom amount of credits")
	pkg := int64Flag(fs, "package", 0, "package id (see credits packages)")
	price := fs.String("price", "", "price in currency units (default: package price or amount x credit value)")
	currency := fs.String("currency", "", "currency code")
	tax := fs.String("tax", "", "tax rate as a fraction or a percent, e.g. 0.19 or 19%")
	note := fs.String("note", "", "note for the statement")
	id := fs.String("id", "", "idempotency id (default: a new random id)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *id == "" && setFlags(fs)["id"] {
		return Usagef("--id must not be empty (leave it out for a new random id)")
	} else if *id == "" {
		*id = newID()
	}
	if (*amount == "") == (*pkg == 0) {
		return Usagef("credits topup: give exactly one of --amount or --package")
	}
	// --amount goes as typed: the backend checks the role before it reads it.
	req := ledger.TopUpRequest{ID: *id, Account: *account, PackageID: *pkg, Amount: *amount, Price: *price, Currency: strings.ToUpper(strings.TrimSpace(*currency)),
		TaxRate: *tax, Note: *note, Source: "cli"}
	tu, err := env.Backend.TopUp(env.Ctx, req)
	if err != nil {
		return idTaken(err)
	}
	loc, err := env.Backend.Zone(env.Ctx)
	if err != nil {
		return err
	}
	return env.Print(tu, func(w io.Writer) {
		// What was paid as the invoice splits it (core.TopUpReceipt.Paid, as the window's toast says it).
		fmt.Fprintf(w, "topped up %s with %s for %s\n", tu.Transfer.To, money.Credits(money.Display(tu.Credits)), tu.Paid)
		if tu.DebtRepaid.Sign() > 0 {
			fmt.Fprintf(w, "%s credits paid the negative balance first\n", money.Display(tu.DebtRepaid))
		}
		if tu.LotExpiresAt != nil {
			fmt.Fprintf(w, "the credits expire on %s (%s)\n", workzone.LocalTime(*tu.LotExpiresAt, loc, workzone.Minutes), loc)
		}
		if tu.Invoice != "" {
			fmt.Fprintf(w, "invoice %s (meterdesk invoice show %s)\n", tu.Invoice, tu.Invoice)
		}
	})
}

// dateError makes a date the CLI cannot read a usage error (exit 2).
func dateError(err error) error {
	if errors.Is(err, workzone.ErrBadDate) {
		return Usagef("%v", err)
	}
	return err
}

func creditsHistory(env *Env, args []string) error {
	fs := env.Flags("credits history")
	var f ledger.Filter
	fs.StringVar(&f.Account, "account", "", "either side of the transfer")
	ops := fs.String("op", "", "comma-separated operation types (usage = every charge, posted chat and API holds included)")
	reservations := fs.Bool("reservations", false, "also list reservations (a send's holds and the voids that release them: no money moves); without --op they are left out, as in the window")
	member := fs.String("member", "", "only this member's transfers (id or name; --user is the global sign-in)")
	fs.StringVar(&f.Model, "model", "", "only this model's transfers (at every provider, unless --provider); \"(no model)\": those with none")
	fs.StringVar(&f.Provider, "provider", "", "only the usage charges at this provider, as the Usage page's By model names it")
	from := fs.String("from", "", "from this date (inclusive; a date is in the workspace time zone)")
	to := fs.String("to", "", "to this date (inclusive; an RFC 3339 time is an exclusive end)")
	intVar(fs, &f.Limit, "limit", 50, "page size (max 500)")
	int64Var(fs, &f.Before, "before", 0, "page cursor printed by the previous page")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := emptyFlag(fs, "every member's transfers you may read", "member"); err != nil {
		return err
	}
	if err := emptyFlag(fs, "every account's transfers you may read", "account"); err != nil {
		return err
	}
	if err := emptyFlag(fs, "every model's and provider's transfers", "model", "provider"); err != nil {
		return err
	}
	var picked []string
	if *ops != "" {
		picked = strings.Split(*ops, ",")
	}
	f.Ops = ledger.HistoryOps(picked, *reservations)
	if *member != "" {
		id, note, err := resolveMemberFor(env, *member, ledger.ErrOthersHistory)
		if err != nil {
			return err
		}
		if note != "" { // a removed member of that name too
			fmt.Fprintln(env.Err, "note:", note)
		}
		f.UserID = id
	}
	var err error
	if f.From, f.To, err = env.Backend.DateRangeAs(env.Ctx, *from, *to, "--from", "--to"); err != nil {
		return dateError(err)
	}
	p, err := env.Backend.Ledger.History(env.Ctx, f)
	if err != nil {
		return err
	}
	loc, err := env.Backend.Zone(env.Ctx)
	if err != nil {
		return err
	}
	return env.Print(p, func(w io.Writer) {
		if len(p.Items) == 0 { // what the window says instead of an empty table
			e := ledger.EmptyHistoryFor(env.Ctx, f)
			fmt.Fprintf(w, "%s. %s\n", e.Title, e.Description)
			return
		}
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "ID\tTIME (%s)\tOP\tFROM\tTO\tAMOUNT\tNOTE\n", loc)
		for _, t := range p.Items {
			// A free reply's charge reads "free", as the chat and the window say it (chat.HistoryWord); --json keeps the number.
			amount := money.Display(t.Amount)
			if w := chat.HistoryWord(t); w != "" {
				amount = w
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, workzone.LocalTime(t.CreatedAt, loc, workzone.Seconds), ledger.OpLabel(t.Op), t.From, t.To,
				amount, historyNote(t))
		}
		tw.Flush()
		if p.Next != 0 {
			fmt.Fprintf(w, "more: --before %d\n", p.Next)
		}
	})
}

// historyNote is the NOTE column of a history row: the model of a usage
// row, the note given with a top-up or move, repaid debt, and for a send's
// reservation (a hold, or the void that releases it) that it moved no money,
// so it does not read as a second debit beside its usage charge.
func historyNote(t ledger.Transfer) string {
	var meta struct {
		Note string `json:"note"`
	}
	_ = json.Unmarshal(t.Meta, &meta)
	parts := []string{t.Model, meta.Note}
	if t.DebtRepaid.Sign() > 0 {
		parts = append(parts, "repaid debt "+money.Display(t.DebtRepaid))
	}
	parts = append(parts, reservationNote(t))
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "; ")
}

// reservationNote is ledger.ReservationNote, or for another row its status.
func reservationNote(t ledger.Transfer) string {
	if t.Op == ledger.OpHold || t.Op == ledger.OpVoid {
		return ledger.ReservationNote(t)
	}
	return t.Status
}

func creditsPackages(env *Env, args []string) error {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") { // credits packages sav …
		return Usagef("credits packages: unexpected argument %q%s (it takes flags only, or: credits packages save …)",
			args[0], didYouMean(args[0], []string{"save"}, ""))
	}
	if err := noArgs(env, "credits packages", args); err != nil {
		return err
	}
	ps, err := env.Backend.Ledger.Packages(env.Ctx)
	if err != nil {
		return err
	}
	return env.Print(ps, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tCREDITS\tPRICE\tDISCOUNT\tACTIVE")
		for _, p := range ps {
			disc := ""
			if p.Discount != "" {
				disc = p.Discount + "%"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s %s\t%s\t%v\n", p.ID, p.Name, money.Display(p.Credits), money.GroupDecimal(p.Price), p.Currency, disc, p.Active)
		}
		tw.Flush()
	})
}

func creditsSavePackage(env *Env, args []string) error {
	fs := env.Flags("credits packages save")
	var p ledger.Package
	int64Var(fs, &p.ID, "id", 0, "package id to change (0 = new)")
	fs.StringVar(&p.Name, "name", "", "name")
	credits := fs.String("credits", "", "credits")
	fs.StringVar(&p.Price, "price", "", "price in currency units")
	fs.StringVar(&p.Currency, "currency", "EUR", "currency code")
	fs.StringVar(&p.Discount, "discount", "", "advertised discount percentage")
	intVar(fs, &p.Sort, "sort", 0, "display order")
	inactive := fs.Bool("inactive", false, "hide the package")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	v, err := ledger.ParseAmount(*credits)
	if err != nil {
		return err
	}
	p.Credits, p.Active, p.Currency = v, !*inactive, strings.ToUpper(strings.TrimSpace(p.Currency))
	saved, err := env.Backend.Ledger.SavePackage(env.Ctx, p)
	if err != nil {
		return err
	}
	return env.Print(saved, func(w io.Writer) {
		fmt.Fprintf(w, "saved package %d: %s credits for %s %s\n", saved.ID, money.Display(saved.Credits), money.GroupDecimal(saved.Price), saved.Currency)
	})
}

func creditsTransfer(env *Env, args []string) error {
	fs := env.Flags("credits transfer")
	from := fs.String("from", "", "debit account")
	to := fs.String("to", "", "credit account")
	amount := fs.String("amount", "", "credits")
	op := fs.String("op", ledger.OpGrant, "grant (admin only), transfer, adjustment or refund")
	id := fs.String("id", "", "idempotency id (default: a new random id)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *id == "" && setFlags(fs)["id"] {
		return Usagef("--id must not be empty (leave it out for a new random id)")
	} else if *id == "" {
		*id = newID()
	}
	if *from == "" || *to == "" || *amount == "" {
		return Usagef("credits transfer: give --from, --to and --amount%s", giveTargetsHint(env, *from))
	}
	// As the window reads its amount fields (Credits.AmountProblem): refused
	// before a transfer is made, so without its random id.
	v, err := ledger.ParseCredits(*amount)
	if err != nil {
		return err
	}
	t, err := env.Backend.Team.Transfer(env.Ctx, ledger.TransferRequest{ID: *id, Op: *op, From: *from, To: *to,
		Amount: v, Dims: ledger.Dims{Source: "cli"}})
	if errors.Is(err, access.ErrForbidden) && !setFlags(fs)["op"] {
		return fmt.Errorf("%w; --op grant is the default: to move credits from your own wallet, give --op transfer", err)
	}
	if err != nil {
		if errors.Is(err, ledger.ErrIdempotencyConflict) {
			return idTaken(err)
		}
		return withGiveTargets(env, err, *op, *from, *to)
	}
	return env.Print(t, func(w io.Writer) {
		// The operation and the accounts by code first, as ever (a script reads that line), then what
		// moved, in the words of the Credits page's toast (team.TransferReceipt.Summary).
		fmt.Fprintf(w, "%s %s: %s -> %s (transfer %d)\n%s\n", t.Op, money.Display(t.Amount), t.From, t.To, t.ID, t.Summary)
	})
}

// giveTargetsHint lists, for a signed-in member whose transfer leaves --from
// out or names their own wallet, where they may give credits from it, by
// the rule the Credits page's "Give credits from your wallet" offers
// (team.Service.GiveTargets): "; from your wallet (--op transfer --from
// user:2) you may give to: pool (Workspace pool), dept:1 (Research), user:3
// (Bob Martin)". "" otherwise, or when nothing is known.
func giveTargetsHint(env *Env, from string) string {
	a, err := access.Current(env.Ctx)
	if err != nil || a.UserID <= 0 || (from != "" && from != ledger.UserAccount(a.UserID)) {
		return ""
	}
	names, _ := giveTargetNames(env)
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf("; from your wallet (--op transfer --from %s) you may give to: %s", ledger.UserAccount(a.UserID), strings.Join(names, ", "))
}

// withGiveTargets is err, the refusal of a signed-in member's give (--op
// transfer) from their own wallet to --to, with where they may give
// (giveTargetNames, the list a transfer without --to gives) when --to is
// none of those places: "…, not to dept:1; you may give to: pool
// (Workspace pool), user:1 (alice), user:3 (carol)". err as it is
// otherwise (a give to one of them refused for its amount, to the wallet
// itself, an admin's transfer); its class, and so the exit code, is
// kept.
func withGiveTargets(env *Env, err error, op, from, to string) error {
	a, aerr := access.Current(env.Ctx)
	if aerr != nil || a.UserID <= 0 || a.IsAdmin() || op != ledger.OpTransfer || from != ledger.UserAccount(a.UserID) || to == from {
		return err
	}
	names, accounts := giveTargetNames(env)
	if len(names) == 0 || slices.Contains(accounts, to) {
		return err
	}
	return fmt.Errorf("%w; you may give to: %s", err, strings.Join(names, ", "))
}

// giveTargetNames are the places the signed-in member may give credits
// from their wallet (team.Service.GiveTargets, the list the Credits page's
// "Give credits from your wallet" offers), each as "pool (Workspace
// pool)", and their account codes; none when nothing is known.
func giveTargetNames(env *Env) (names, accounts []string) {
	targets, err := env.Backend.Team.GiveTargets(env.Ctx)
	if err != nil {
		return nil, nil
	}
	for _, t := range targets {
		names = append(names, fmt.Sprintf("%s (%s)", t.Account, t.Name))
		accounts = append(accounts, t.Account)
	}
	return names, accounts
}

func creditsPolicy(env *Env, args []string) error {
	fs := env.Flags("credits policy")
	kind := fs.String("kind", "", "blocked, overdraft, minimum or carry")
	limit := fs.String("limit", "0", "overdraft limit or minimum balance")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("credits policy", pos, "ACCOUNT"); err != nil {
		return err
	}
	given := setFlags(fs)
	if !given["kind"] {
		if given["limit"] {
			return Usagef("--limit goes with --kind overdraft or minimum")
		}
		// No change asked for: the account's policy as it is, as other
		// `X ACCOUNT` commands show state (read as `credits balance` reads it).
		b, err := env.Backend.Ledger.Balance(env.Ctx, pos[0])
		if err != nil {
			return err
		}
		p := accountPolicy{Account: b.Account, Policy: b.Policy}
		return env.Print(p, func(w io.Writer) {
			fmt.Fprintf(w, "%s: policy %s (limit %s)\n", p.Account, p.Kind, money.Display(p.Limit))
		})
	}
	l, err := ledger.ParseAmount(*limit)
	if err != nil {
		return err
	}
	ch, err := env.Backend.Ledger.ChangePolicy(env.Ctx, pos[0], ledger.Policy{Kind: ledger.PolicyKind(*kind), Limit: l})
	if err != nil {
		return err
	}
	return env.Print(ch, func(w io.Writer) {
		if ch.Unchanged {
			fmt.Fprintf(w, "%s: policy %s (limit %s) unchanged: it had it already (nothing written or audited)\n",
				ch.Account, ch.Kind, money.Display(ch.Limit))
			return
		}
		fmt.Fprintf(w, "%s: policy %s (limit %s), was %s (limit %s)\n", ch.Account, ch.Kind, money.Display(ch.Limit),
			ch.Before.Kind, money.Display(ch.Before.Limit))
	})
}

// accountPolicy is what `credits policy ACCOUNT` prints with no change
// asked for: the account and its policy (--json: account, kind, limit, as
// a change prints them).
type accountPolicy struct {
	Account string `json:"account"`
	ledger.Policy
}

func creditsValue(env *Env, args []string) error {
	fs := env.Flags("credits value")
	set := fs.String("set", "", "amount of currency one credit is worth")
	currency := fs.String("currency", "", "currency code")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	given := setFlags(fs)
	if given["currency"] && !given["set"] {
		return Usagef("--currency goes with --set AMOUNT (what one credit is worth in that currency)")
	}
	text := func(w io.Writer, cv ledger.CreditValue) { fmt.Fprintf(w, "1 credit = %s %s\n", cv.Amount, cv.Currency) }
	if given["set"] {
		cv := ledger.CreditValue{Amount: *set, Currency: strings.ToUpper(strings.TrimSpace(*currency))}
		ch, err := env.Backend.Ledger.ChangeCreditValue(env.Ctx, cv)
		if err != nil {
			return err
		}
		return printUpdated(env, ch, func(w io.Writer) { text(w, ch.CreditValue) },
			"credit value", "it was that already", ch.Unchanged)
	}
	cv, err := env.Backend.Ledger.CreditValue(env.Ctx)
	if err != nil {
		return err
	}
	return env.Print(cv, func(w io.Writer) { text(w, cv) })
}

func creditsValidity(env *Env, args []string) error {
	fs := env.Flags("credits validity")
	set := intFlag(fs, "set", 0, "months a top-up lot is valid (0 = never)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	text := func(w io.Writer, m int) {
		if m == 0 {
			fmt.Fprintln(w, "top-up credits never expire")
		} else {
			fmt.Fprintf(w, "top-up credits are valid for %d months\n", m)
		}
	}
	if setFlags(fs)["set"] { // any value given is set or refused (-1 too)
		ch, err := env.Backend.Ledger.ChangeLotValidity(env.Ctx, *set)
		if err != nil {
			return err
		}
		return printUpdated(env, ch, func(w io.Writer) { text(w, ch.Months) }, "lot validity", "it was that already", ch.Unchanged)
	}
	m, err := env.Backend.Ledger.LotValidity(env.Ctx)
	if err != nil {
		return err
	}
	return env.Print(map[string]int{"months": m}, func(w io.Writer) { text(w, m) })
}

func creditsJob(env *Env, job string, args []string) error {
	if err := noArgs(env, "credits "+job, args); err != nil {
		return err
	}
	l := env.Backend.Ledger
	// Opening the data folder ran both jobs already (core's start-up, as
	// the system): what they did is this command's work too.
	voided, expired := env.Backend.StartupJobs()
	var n int
	var err error
	switch job {
	case "expire":
		n, err = l.ExpireLots(env.Ctx)
		n += expired
	case "void-stale":
		n, err = l.VoidStaleHolds(env.Ctx)
		n += voided
	case "verify":
		if _, err := access.RequireAdmin(env.Ctx, "verify the ledger"); err != nil {
			return err
		}
		if err := l.Verify(env.Ctx); err != nil {
			return err
		}
		return env.Print(map[string]bool{"ok": true}, func(w io.Writer) {
			fmt.Fprintln(w, "ledger ok: zero sum, balances equal postings, holds and lots consistent")
		})
	}
	if err != nil {
		return err
	}
	return env.Print(map[string]int{"count": n}, func(w io.Writer) { fmt.Fprintf(w, "%s: %d\n", job, n) })
}

// resolveMemberFor resolves a --member a member may give for themselves
// only (credits history, statement): for a member, anyone else and a name or
// id that matches nobody (or several) is the same refusal, exit 3, and the
// note about a removed member of that name is left out, so the answer does
// not tell which members exist, their ids or who was removed. An admin gets
// ResolveMemberNote's answer, its note and its "no such member" included.
func resolveMemberFor(env *Env, v string, refusal error) (id int64, note string, err error) {
	id, note, err = env.Backend.Statements.ResolveMemberNote(env.Ctx, v)
	if a, ok := access.FromContext(env.Ctx); ok && !a.IsAdmin() {
		if err != nil || id != a.UserID {
			return 0, "", refusal
		}
		return id, "", nil
	}
	return id, note, err
}
