package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/shopspring/decimal"
	"golang.org/x/term"

	"meterdesk/backend/access"
	"meterdesk/backend/core"
	"meterdesk/backend/fileout"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/money"
	"meterdesk/backend/people"
	"meterdesk/backend/team"
	"meterdesk/backend/workzone"
)

// Environment variables the team commands read secrets from (never flags).
const (
	envPassword  = "METERDESK_PASSWORD"   // the --user's password or PIN
	envNewSecret = "METERDESK_NEW_SECRET" // a new member's (or a changed) password or PIN
)

func init() {
	SetAuthenticator(teamAuthenticate)
	Register(Command{Name: "workspace", Summary: "set up the workspace (first run) or show and change it",
		Example: `meterdesk workspace update --timezone Europe/Berlin --idle-lock 10`,
		Usage: `meterdesk workspace setup --name N --currency EUR --credit-value 0.01 --admin NAME [--pin]
                          [--tax-id T] [--address A] [--timezone Europe/Berlin] [--idle-lock MINUTES]
                          [--prices-include-tax]
meterdesk workspace show
meterdesk workspace update [--name N] [--currency C] [--credit-value V] [--tax-id T] [--address A]
                           [--timezone Z] [--idle-lock MINUTES] [--prices-include-tax[=false]]

The first admin's password (or PIN with --pin) is read from METERDESK_NEW_SECRET
or the first line of stdin (at a terminal: prompted for twice, not echoed).
Setup signs nobody in (no --user). Everything it is given is checked before
the data folder is touched: a setup that fails leaves the folder exactly as it
was (no database is made), so it can simply be run again.
Changes need an admin. Update changes only the settings given as flags; the
others stay as stored, even when the window changed them a moment before.

--prices-include-tax says that top-up prices are gross: an invoice splits the
price paid into net and tax (net + tax = the price). Without it (or with
--prices-include-tax=false) prices are net and the tax is added on top.
update with what the workspace has already (the name with spaces around it,
--credit-value 0.010 for 0.01, --currency eur for EUR) says "unchanged"
("unchanged": true with --json, false on a change) and writes nothing, no
workspace.update audit entry either.
` + addressHelp, Run: runWorkspace,
		Creates: func(args []string) bool { return len(args) > 0 && args[0] == "setup" }})
	Register(Command{Name: "users", Summary: "list, add, change, disable and remove members",
		Example: `meterdesk users add bob --role member --funding wallet`,
		Usage: `meterdesk users list [--all]
meterdesk users show USER
meterdesk users add NAME [--role member|admin] [--display D] [--pin] [--funding pool|wallet]
                    [--department ID] [--min-balance X]
meterdesk users update USER [--role R] [--display D] [--funding F] [--department ID] [--min-balance X]
                       [--return-credits]
meterdesk users disable|enable USER
meterdesk users remove USER [--return-credits]
meterdesk users passwd USER [--pin]

Removing a member, or changing a member paid by their own wallet to
--funding pool, says what their wallet holds: it stays there (Credits can move
it later: credits transfer --op transfer --from user:ID --to pool) unless
--return-credits moves it back to the pool in the same operation (on a funding
change a minimum balance stays; a removed member's wallet keeps none, and all
of it goes). A wallet that owes credits says how to settle the debt from the
pool: a removed member's wallet takes credits only up to what it owes. Removing
a member also removes their wallet's auto-recharge rule and ends its balance
alerts. The note goes after the member (to stderr with --json).

USER is a name or a numeric id. New secrets come from METERDESK_NEW_SECRET or
the next line of stdin (after the --user password, if that came from stdin); at
a terminal they are prompted for twice and not echoed.
A member changing their own secret signs in with it (METERDESK_PASSWORD).
update with what the member has already (a trimmed display name, 500.00 for a
minimum of 500), disable of a disabled member and enable of an active one say
"unchanged" ("unchanged": true with --json, false on a change) and write
nothing, no member.update, member.disable or member.enable audit entry either.
Everything except passwd for oneself and show for oneself needs an admin.`, Run: runUsers})
	Register(Command{Name: "departments", Summary: "departments (cost centres), their credits, alert budgets and credit moves",
		Example: `meterdesk departments allocate 2 1000`,
		Usage: `meterdesk departments list [--all]
meterdesk departments add NAME [--overdraft X]
meterdesk departments update ID [--name N] [--overdraft X] [--budget X]
meterdesk departments archive ID
meterdesk departments allocate ID AMOUNT [--note TEXT] [--id UUID]
meterdesk departments move FROM TO AMOUNT [--note TEXT] [--id UUID]

FROM and TO are department ids or "pool". --overdraft 0 is overdraft protection
("protected" in the list, as on Team → Departments).
--budget sets the department's alert budget (ALERT BUDGET in the list): percent
alerts (see alerts) warn when its balance falls below a percent of it. It caps
no spending: a department spends its credits (allocate, move) down to its
overdraft, and limits cap each member. An allocation from the pool sets it to
the department's balance afterwards.
update with what the department has already (--overdraft 500.00 for 500, the
name it has) says "unchanged" ("unchanged": true with --json, false on a
change) and writes nothing, no department.update audit entry either.
Needs an admin.`, Run: runDepartments})
	Register(Command{Name: "limits", Summary: "per-member daily, monthly and per-model spending limits",
		Example: `meterdesk limits set bob daily 200`,
		Usage: `meterdesk limits list USER
meterdesk limits set USER daily|monthly AMOUNT
meterdesk limits set USER model MODEL AMOUNT [--period day|month]
meterdesk limits remove USER daily|monthly
meterdesk limits remove USER model MODEL

Limits are in credits and reset at midnight / on the 1st in the workspace time
zone. --period is a model limit's alone (a daily limit is per day). Setting and removing needs an admin; members may list their own.
list shows no reset beside a limit of 0 (RESETS -): it refuses sends until an
admin raises it ("resetFreesRoom": false with --json; resetsAt is still the
period's end).
set with the limit the member has already (50.00 for 50) says "unchanged"
("unchanged": true with --json, false on a change) and writes nothing, no
limit.set audit entry either.`, Run: runLimits})
	Register(Command{Name: "alerts", Summary: "balance alerts, notifications and auto-recharge",
		Example: `meterdesk alerts set --percent "20 10" --depleted=true`,
		Usage: `meterdesk alerts show
meterdesk alerts set [--absolute "100 10"] [--percent "20 12.5"] [--depleted=true|false] [--desktop=true|false]
meterdesk alerts notifications [--unread] [--limit N] [--before ID]
meterdesk alerts unread
meterdesk alerts read [ID ...]
meterdesk alerts recharge list
meterdesk alerts recharge set ACCOUNT --threshold X --amount X --cap X [--disabled]
meterdesk alerts recharge remove ACCOUNT

--absolute (credits) and --percent take lists of thresholds separated by
spaces or ';', with a point for decimals: --percent "20 12.5". A comma is
refused ("2,500" could be two thresholds or one). A percent is of a
department's alert budget, else of the last credit that funded the account
(a top-up, or credits given or moved to it). An account's alerts are
checked after each charge and each move of its credits (credits transfer,
a grant, a refund, an adjustment, a department move, an expiry), so a move
that takes it below a threshold raises the alert at once. ACCOUNT is
dept:<id> or user:<id>. Changes need an admin.
Thresholds are kept highest first, each once: "10 100 10" is "100 10".
set with the settings in force ("10 100" for "100 10", 100.00 for 100) and
recharge set with the rule the account has say "unchanged" ("unchanged":
true with --json, false on a change) and write nothing, no alerts.update or
recharge.set audit entry either.

notifications lists yours and your department's raised while you were in it
(since you joined it, until you left it); admins see all. A * marks the
unread; with none it says "No notifications." ([] with --json). The line
under the list says how many are unread in all (the list
stops at --limit, 1000 at most): --before ID lists those older than
notification ID, the cursor that line names when there are older ones (with
--json, the last one's id). Its --json is the list (an array), as before; unread prints
how many are unread in all ("3 unread"; {"unread": 3} with --json), for scripts
and status bars. read without ids marks all of those read.`, Run: runAlerts})
	Register(Command{Name: "audit", Summary: "the audit log of admin and access changes (filter, CSV export)",
		Example: `meterdesk audit list --action member. --since 2026-01-01 --limit 20`,
		Usage: `meterdesk audit list [--actor USER] [--action PREFIX] [--target T] [--since DATE] [--until DATE] [--limit N]
meterdesk audit export [same filters] [--out FILE|-]

USER is a name or an id: a current member first; a removed one by their
name when no current member has it (a note on stderr says when a removed
member has the name too, and the id that reaches them: --actor 4). WHO reads
"bob (removed)" for a member removed since. TARGET names what an entry is
on, with the target as logged when that differs: "OpenAI (provider:1)",
"Rate table v2 (rates:v2)", "Workspace settings (workspace)"; --target takes
either (a name in any case; one that two targets share is refused, naming
both), and --json gives both ("target", "targetName"). A provider id an
earlier version gave to a second provider after the first was removed is
named per provider ("ollama (removed)", then "openai"); --target takes
either name, or provider:1#1, provider:1#2 (provider:1: both).
DATE is YYYY-MM-DD in the workspace time zone (--until's day included) or
RFC 3339; a range that ends before it starts is refused. PREFIX is the
start of the action, case counts, with no wildcards (member. matches
member.add and member.update; Member. matches none): workspace., member.,
department., credits., limit., alerts., recharge., provider., rates.,
apikey., api., settings., invoice., database., conversation. list shows the newest 500
entries, or --limit N (up to 100000), and says on stderr when it left older
ones out. export writes them all (up to 100000) as CSV to FILE,
replacing it once the whole log is written (a refused export leaves it as it
was), and says "audit log written to FILE"; or to stdout (no --out, or -).
Needs an admin.`, Run: runAudit})
}

// stdinLines reads stdin one line at a time, shared by the authenticator and
// the commands (so a password and a new secret can both come from stdin).
var (
	linesMu      sync.Mutex
	lines        = map[io.Reader]*bufio.Reader{}
	signInSecret string // the --user secret of this run
)

func readLine(env *Env) (string, error) {
	if env.In == nil {
		return "", errors.New("no input to read a secret from")
	}
	s, err := stdin(env).ReadString('\n')
	if err != nil && (!errors.Is(err, io.EOF) || s == "") {
		return "", fmt.Errorf("read a secret from stdin: %w", err)
	}
	return strings.TrimRight(s, "\r\n"), nil
}

// stdin is env.In read through the one buffered reader of this run: a
// command that reads the rest of stdin (a chat prompt, a rates file) after
// a secret was read from its first line gets what followed that line, not
// what the secret's reader left in its buffer.
func stdin(env *Env) *bufio.Reader {
	linesMu.Lock()
	defer linesMu.Unlock()
	r, ok := lines[env.In]
	if !ok {
		r = bufio.NewReader(env.In)
		lines[env.In] = r
	}
	return r
}

// secretFrom returns the environment variable's value or the next stdin
// line. When stdin is a terminal it prompts on stderr with prompt and reads
// without echo; confirm (a new secret) asks a second time and refuses two
// entries that differ.
func secretFrom(env *Env, key, what, prompt string, confirm bool) (string, error) {
	if v := os.Getenv(key); v != "" {
		return v, nil
	}
	if fd, ok := stdinTerminal(env); ok {
		s, err := readHidden(env, fd, prompt)
		if err != nil || !confirm {
			return s, err
		}
		again, err := readHidden(env, fd, "Again: ")
		if err != nil {
			return "", err
		}
		if again != s {
			return "", inputErr(fmt.Errorf("%s: the two entries differ; nothing was changed", what))
		}
		return s, nil
	}
	s, err := readLine(env)
	if err != nil {
		return "", inputErr(fmt.Errorf("%s: set %s or give it on stdin: %w", what, key, err))
	}
	return s, nil
}

// newSecretPrompt is the terminal's prompt for a new secret of kind for
// who, with the rule it must meet in the words the window's labels say
// (team.SecretKinds): "New password for alice (at least 8 characters): ",
// "New PIN for bob (4 to 12 digits): ".
func newSecretPrompt(kind, who string) string {
	k := team.SecretKindOf(kind)
	if k.Rule == "" {
		return "New " + k.Name + " for " + who + ": "
	}
	return "New " + k.Name + " for " + who + " (" + k.Rule + "): "
}

// stdinTerminal returns stdin's descriptor when it is a terminal.
func stdinTerminal(env *Env) (int, bool) {
	f, ok := env.In.(*os.File)
	if !ok {
		return 0, false
	}
	fd := int(f.Fd())
	return fd, term.IsTerminal(fd)
}

// readHidden prints prompt on stderr and reads a line from the terminal fd
// without echoing it. Ctrl-C (env.Ctx done) gives the terminal back as it
// was and stops.
func readHidden(env *Env, fd int, prompt string) (string, error) {
	state, err := term.GetState(fd)
	if err != nil {
		return "", fmt.Errorf("read from the terminal: %w", err)
	}
	fmt.Fprint(env.Err, prompt)
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		fmt.Fprintln(env.Err) // the Enter the terminal did not echo
		if r.err != nil {
			return "", fmt.Errorf("read from the terminal: %w", r.err)
		}
		return strings.TrimRight(string(r.b), "\r\n"), nil
	case <-env.Ctx.Done():
		_ = term.Restore(fd, state)
		fmt.Fprintln(env.Err)
		return "", fmt.Errorf("interrupted: %w", env.Ctx.Err())
	}
}

// teamAuthenticate is the CLI sign-in rule: before setup (only `restore
// FILE` signs in to a database with no workspace: every other command
// refuses it, see Env.open) the system acts, and --user is refused (there
// is no member yet); without --user a
// one-member workspace signs that member in; otherwise --user and a
// password (METERDESK_PASSWORD or stdin) are required.
func teamAuthenticate(env *Env, user string) (access.Actor, error) {
	linesMu.Lock()
	signInSecret = ""
	linesMu.Unlock()
	t := env.Backend.Team
	need, err := t.NeedsSetup(env.Ctx)
	if err != nil {
		return access.Actor{}, err
	}
	if need && user != "" {
		return access.Actor{}, noMembersYet(user)
	}
	if need {
		return access.System, nil
	}
	// A one-member workspace signs its member in, unless --user is given:
	// then the password is asked for (and read), as the help says, so a
	// script that pipes "password, then key" gives each to the right place.
	if user == "" {
		if a, ok, err := t.AutoSignIn(env.Ctx, ""); err != nil {
			return access.Actor{}, err
		} else if ok {
			return a, nil
		}
	}
	if user == "" {
		return access.Actor{}, inputErr(errors.New("this workspace has several members: give --user NAME (password from METERDESK_PASSWORD or stdin)"))
	}
	secret, err := secretFrom(env, envPassword, "password for --user "+user, "Password or PIN for "+user+": ", false)
	if err != nil {
		return access.Actor{}, err
	}
	a, err := t.Authenticate(env.Ctx, user, secret)
	if err == nil {
		linesMu.Lock()
		signInSecret = secret // `users passwd` for oneself needs the current secret
		linesMu.Unlock()
	}
	return a, err
}

// parseArgs parses flags that may appear anywhere among the positional
// arguments and returns the positional ones: --help comes back as
// flag.ErrHelp (exit 0), a bad flag as a usage error (exit 2).
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	return parseArgsNamed(fs, args, nil)
}

// parseArgsNamed is parseArgs for a subcommand whose arguments are names
// (nil: as its usage line names them), for the refusal of a word with one
// "-" where one of them goes (dashArg).
func parseArgsNamed(fs *flag.FlagSet, args, names []string) ([]string, error) {
	pos, err := parseArgsWords(fs, args, names)
	if e := envOf(fs); e != nil && e.dry {
		return nil, dryStop{err} // only the flags were to be checked (dryFlags)
	}
	return pos, err
}

// envOf is the Env whose Flags made fs, or nil.
func envOf(fs *flag.FlagSet) *Env {
	if f := fs.Lookup("json"); f != nil {
		if j, ok := f.Value.(jsonFlag); ok {
			return j.e
		}
	}
	return nil
}

func parseArgsWords(fs *flag.FlagSet, args, names []string) ([]string, error) {
	all := args
	var pos []string
	done := func(pos []string) ([]string, error) {
		if err := checkOwnFlags(fs); err != nil { // another subcommand's flag
			return nil, err
		}
		return pos, nil
	}
	for {
		// A negative number where an argument goes ("limits set bob daily
		// -5") is that argument, not an unknown flag "-5": the flags before
		// it are parsed, then it is taken as it is (its command says what
		// is wrong with it). A flag's value ("--amount -5") stays the flag's.
		n := leadingFlags(fs, args)
		if err := fs.Parse(args[:n]); err != nil {
			if oerr := checkOwnFlags(fs); errors.Is(err, flag.ErrHelp) && oerr != nil {
				// Another subcommand's flag before the -h (`users show
				// --pin -h`) is refused as it is without it.
				return nil, oerr
			}
			return nil, dashArg(flagError(fs, err, args[:n]), fs, all, names)
		}
		rest := append(append([]string{}, fs.Args()...), args[n:]...)
		if len(rest) == 0 {
			return done(pos)
		}
		if rest[0] == "--" {
			return done(append(pos, rest[1:]...))
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// leadingFlags is how many of args, from the start, the flag package may
// parse before a negative number that is an argument, not a flag's value,
// or before "--" (not a flag's value), after which each word is an argument.
func leadingFlags(fs *flag.FlagSet, args []string) int {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if negativeNumber(a) {
			return i
		}
		if a == "--" {
			// Every word after it is an argument: parseArgs takes them
			// so. Left to the flag package, it went and the words after
			// were parsed again ("settings set -- workspace.name -Acme":
			// unknown flag -Acme).
			return i
		}
		if a == "-" || !strings.HasPrefix(a, "-") {
			return len(args) // the flag package stops here by itself
		}
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f != nil {
			if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !ok || !b.IsBoolFlag() {
				i++ // its value, whatever it looks like
			}
		}
	}
	return len(args)
}

// negativeNumber reports whether a looks like a negative number: "-5",
// "-0.5", "-.5".
func negativeNumber(a string) bool {
	return len(a) > 1 && a[0] == '-' && (a[1] >= '0' && a[1] <= '9' || a[1] == '.' && len(a) > 2 && a[2] >= '0' && a[2] <= '9')
}

// parseFlags parses a command that takes flags only: a stray argument is a
// usage error (exit 2) instead of being ignored while the command runs.
func parseFlags(fs *flag.FlagSet, args []string) error {
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		// The command's name leads, as commandFailed strips it, so that
		// the line names it once ("meterdesk credits topup: unexpected …").
		return Usagef("%s: unexpected argument %q (it takes flags only)", strings.TrimPrefix(fs.Name(), "meterdesk "), pos[0])
	}
	return nil
}

// emptyFlag refuses a filter or scope flag among names given with nothing
// in it (`--member ""`, `--member " "`: a script's variable left empty):
// read as left out, it would widen what the command reads or writes, the
// workspace's statement for a member's, every member's transfers for one's.
// without says what leaving the flag out does.
func emptyFlag(fs *flag.FlagSet, without string, names ...string) error {
	given := setFlags(fs)
	for _, name := range names {
		if f := fs.Lookup(name); f != nil && given[name] && strings.TrimSpace(f.Value.String()) == "" {
			return Usagef("--%s must not be empty (leave it out for %s)", name, without)
		}
	}
	return nil
}

// setFlags reports which of the command's own flags were given (not the
// global ones, see Env.Flags).
func setFlags(fs *flag.FlagSet) map[string]bool {
	m := map[string]bool{}
	fs.Visit(func(f *flag.Flag) {
		if !globalNames[f.Name] {
			m[f.Name] = true
		}
	})
	return m
}

func findMember(env *Env, ref string) (team.Member, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return env.Backend.Team.Member(env.Ctx, id)
	}
	return env.Backend.Team.MemberByName(env.Ctx, ref)
}

func table(w io.Writer, header string, rows func(tw io.Writer)) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	rows(tw)
	tw.Flush()
}

// ---- workspace ----

func runWorkspace(env *Env, args []string) error {
	sub, args, err := subcommand("workspace", args)
	if err != nil {
		return err
	}
	fs := env.Flags("workspace " + sub)
	name := fs.String("name", "", "workspace name")
	currency := fs.String("currency", "", "ISO 4217 currency")
	value := fs.String("credit-value", "", "what one credit is worth in the currency")
	tax := fs.String("tax-id", "", "tax id")
	addr := fs.String("address", "", `postal address (\n between lines, \\ for a backslash)`)
	tz := fs.String("timezone", "", "IANA time zone (default: the OS zone)")
	idle := intFlag(fs, "idle-lock", 0, "lock the window after this many idle minutes (0 = never)")
	gross := fs.Bool("prices-include-tax", false, "top-up prices include tax: invoices split them into net and tax (=false: tax is added on top)")
	admin := fs.String("admin", "", "first admin's sign-in name")
	pin := fs.Bool("pin", false, "the admin signs in with a PIN instead of a password")
	settings := []string{"name", "currency", "credit-value", "tax-id", "address", "timezone", "idle-lock", "prices-include-tax"}
	ownFlags(fs, map[string][]string{"setup": append(settings, "admin", "pin"), "update": settings}[sub]...)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	text := func(o io.Writer, w team.Workspace) {
		prices := "net (tax is added on top)"
		if w.PricesIncludeTax {
			prices = "include tax"
		}
		fmt.Fprintf(o, "name:        %s\ncurrency:    %s\ncredit:      %s %s\nprices:      %s\ntax id:      %s\naddress:     %s\ntime zone:   %s\nidle lock:   %d min\n",
			w.Name, w.Currency, w.CreditValue, w.Currency, prices, w.TaxID, strings.ReplaceAll(w.Address, "\n", "\n             "), w.TimeZone, w.IdleLockMinutes)
	}
	show := func(w team.Workspace) error {
		return env.Print(w, func(o io.Writer) { text(o, w) })
	}
	switch sub {
	case "setup":
		if *admin == "" {
			return Usagef("workspace setup: give --admin NAME")
		}
		if env.User != "" {
			// Nobody signs in to set up: before setup there is no one to
			// be, and after it there is nothing to set up.
			return Usagef("workspace setup: it takes no --user: it adds the first admin (--admin), with no one signed in; leave out --user %s", env.User)
		}
		kind := team.SecretPassword
		if *pin {
			kind = team.SecretPIN
		}
		in := team.WorkspaceSetup{
			Workspace: team.Workspace{Name: *name, Currency: *currency, CreditValue: *value, TaxID: *tax, Address: addressText(*addr), TimeZone: *tz, IdleLockMinutes: *idle,
				PricesIncludeTax: *gross},
			AdminName: *admin, SecretKind: kind}
		return setUpWorkspace(env, in)
	}
	t := env.Backend.Team
	switch sub {
	case "show":
		w, err := t.Workspace(env.Ctx)
		if err != nil {
			return err
		}
		return show(w)
	case "update":
		// Only the flags given are sent: the rest of the workspace stays as
		// stored when the change is written, whoever changed it since.
		var p team.WorkspacePatch
		set := setFlags(fs)
		if set["name"] {
			p.Name = name
		}
		if set["currency"] {
			p.Currency = currency
		}
		if set["credit-value"] {
			p.CreditValue = value
		}
		if set["tax-id"] {
			p.TaxID = tax
		}
		if set["address"] {
			a := addressText(*addr)
			p.Address = &a
		}
		if set["timezone"] {
			p.TimeZone = tz
		}
		if set["idle-lock"] {
			p.IdleLockMinutes = idle
		}
		if set["prices-include-tax"] {
			p.PricesIncludeTax = gross
		}
		ch, err := t.PatchWorkspace(env.Ctx, p)
		if err != nil {
			return err
		}
		return printUpdated(env, ch, func(o io.Writer) { text(o, ch.Workspace) }, "workspace", "it had these settings already", ch.Unchanged)
	}
	return unknownSubcommand("workspace", sub, nil)
}

// setUpWorkspace is `workspace setup` with its flags read into in: it makes
// nothing unless the workspace is made. Its input is checked before the
// data folder is touched, the password too when the folder has no database
// yet; core.SetUp then makes the database all or nothing, so a setup that
// fails there leaves the folder as it was. In a folder with a database, one
// already set up is said (exit 6) before the password is asked for.
func setUpWorkspace(env *Env, in team.WorkspaceSetup) error {
	if err := team.CheckSetup(in, false); err != nil {
		return err
	}
	asked := false
	askSecret := func() error {
		if asked {
			return nil
		}
		asked = true
		secret, err := secretFrom(env, envNewSecret, "the admin's "+in.SecretKind,
			newSecretPrompt(in.SecretKind, in.AdminName), true)
		if err != nil {
			return err
		}
		in.Secret = secret
		return team.CheckSetup(in, true)
	}
	has, err := core.HasDatabase(env.DataDir)
	if err != nil {
		return err
	}
	if !has {
		if err := askSecret(); err != nil {
			return err
		}
	}
	var a access.Actor
	err = core.SetUp(env.Ctx, core.Options{DataDir: env.DataDir, Version: Version}, func(b *core.Backend) error {
		env.noteRestored(b)
		need, err := b.Team.NeedsSetup(env.Ctx)
		if err != nil {
			return err
		}
		if !need {
			return fmt.Errorf("set up the workspace: %w", team.ErrAlreadySetUp)
		}
		if err := askSecret(); err != nil {
			return err
		}
		a, err = b.Team.Setup(env.Ctx, in)
		return err
	})
	if err != nil {
		return err
	}
	return env.Print(a, func(o io.Writer) { fmt.Fprintf(o, "workspace created; admin %s (id %d)\n", a.Name, a.UserID) })
}

// ---- users ----

func printMembers(env *Env, ms []team.Member) error {
	return env.Print(ms, func(w io.Writer) { printMemberTable(w, ms) })
}

func printMemberTable(w io.Writer, ms []team.Member) {
	table(w, "ID\tNAME\tDISPLAY\tROLE\tSTATUS\tFUNDING\tDEPT\tMIN BALANCE", func(tw io.Writer) {
		for _, m := range ms {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", m.ID, m.Name, m.DisplayName, m.Role, m.Status, m.Funding, m.DepartmentID,
				money.DisplayString(m.MinBalance))
		}
	})
}

// updatedMember and updatedDepartment are what `users update` and
// `departments update` print with --json: the list of one the other
// subcommands print, each with "unchanged" beside its fields.
type (
	updatedMember struct {
		team.Member
		Unchanged bool `json:"unchanged"`
	}
	updatedDepartment struct {
		team.Department
		Unchanged bool `json:"unchanged"`
	}
)

// printUpdated prints the result of an update: v with --json (where
// "unchanged" says it), else the text tbl writes, followed by a line saying
// that what (e.g. "department 3 (Research)", "member bob") was unchanged
// when it was, and why (e.g. "it had these settings already"): "department
// 3 (Research) unchanged: it had these settings already (nothing written or
// audited)". Every update that can change nothing says it so (credits
// policy has its own line).
func printUpdated(env *Env, v any, tbl func(w io.Writer), what, why string, unchanged bool) error {
	return env.Print(v, func(w io.Writer) {
		tbl(w)
		if unchanged {
			fmt.Fprintf(w, "%s unchanged: %s (nothing written or audited)\n", what, why)
		}
	})
}

// printMemberChange prints the member, then what became of their wallet
// when it stopped being used (printWalletNote).
func printMemberChange(env *Env, ch team.MemberChange, how string, returnAsked bool) error {
	if err := printMembers(env, []team.Member{ch.Member}); err != nil {
		return err
	}
	return printWalletNote(env, ch, how, returnAsked)
}

// printWalletNote says what became of a member's wallet when it stopped
// being used (how: "was removed with", "stops paying from"): on stdout
// after the table, on stderr with --json (whose output stays the member
// list).
func printWalletNote(env *Env, ch team.MemberChange, how string, returnAsked bool) error {
	w := ch.Wallet
	if w == nil {
		return nil
	}
	out, prefix := env.Out, ""
	if env.JSON {
		out, prefix = env.Err, "note: "
	}
	name := ch.Member.Name
	removed := ch.Member.Status == team.StatusRemoved
	left, _ := decimal.NewFromString(w.Left)
	if w.Returned != "0" {
		fmt.Fprintf(out, "%s%s credits moved from %s's wallet (%s) back to the pool (transfer %d)", prefix, money.DisplayString(w.Returned), name, w.Account, w.TransferID)
		switch {
		case left.IsZero():
		case removed: // a removed member's wallet keeps no minimum
			fmt.Fprintf(out, "; %s stay in the wallet, reserved for a send still being settled (move them later: "+
				"meterdesk credits transfer --op transfer --from %s --to pool --amount %s)", money.DisplayString(w.Left), w.Account, w.Left)
		default:
			fmt.Fprintf(out, "; %s stay in the wallet (its minimum balance, or reserved for a send)", money.DisplayString(w.Left))
		}
		fmt.Fprintln(out)
		return nil
	}
	if left.IsZero() {
		return nil
	}
	if left.IsNegative() {
		// The debt can be settled from the pool, up to what it owes (a
		// removed member's wallet takes no more).
		place := "Give credits from the pool"
		label := ch.Member.DisplayName
		if label == "" {
			label = name
		}
		if removed {
			place, label = "Settle the debt", label+" (removed)"
		}
		fmt.Fprintf(out, "%s%s %s a wallet (%s) that owes %s credits; to settle it from the pool: "+
			"meterdesk credits transfer --op transfer --from pool --to %s --amount %s (in the window: Credits, account \"%s · wallet\", %s)\n",
			prefix, name, how, w.Account, money.Display(left.Neg()), w.Account, left.Neg(), label, place)
		return nil
	}
	if returnAsked { // asked, and nothing could move
		why := "its minimum balance, or reserved for a send still being settled"
		if removed { // a removed member's wallet keeps no minimum
			why = "reserved for a send still being settled"
		}
		fmt.Fprintf(out, "%s%s %s a wallet (%s) holding %s credits (%s): none could move back to the pool now; "+
			"later: meterdesk credits transfer --op transfer --from %s --to pool --amount N (N: what 'meterdesk credits balance %s' shows available, "+
			"without its commas)\n",
			prefix, name, how, w.Account, money.DisplayString(w.Left), why, w.Account, w.Account)
		return nil
	}
	fmt.Fprintf(out, "%s%s %s a wallet (%s) holding %s credits, which stay there: add --return-credits to move them back to the pool, "+
		"or later: meterdesk credits transfer --op transfer --from %s --to pool --amount %s\n", prefix, name, how, w.Account, money.DisplayString(w.Left), w.Account, w.Left)
	return nil
}

func runUsers(env *Env, args []string) error {
	t := env.Backend.Team
	sub, args, err := subcommand("users", args)
	if err != nil {
		return err
	}
	fs := env.Flags("users " + sub)
	all := fs.Bool("all", false, "include removed members")
	role := fs.String("role", "", "admin or member")
	display := fs.String("display", "", "display name")
	pin := fs.Bool("pin", false, "sign in with a PIN instead of a password")
	funding := fs.String("funding", "", "pool (organisation-funded) or wallet (self-funded)")
	dept := int64Flag(fs, "department", 0, "department id (0 = none)")
	minBal := fs.String("min-balance", "", "minimum wallet balance in credits")
	returnCredits := fs.Bool("return-credits", false, "remove / update --funding pool: move the wallet's credits back to the pool")
	ownFlags(fs, map[string][]string{
		"list":   {"all"},
		"add":    {"role", "display", "pin", "funding", "department", "min-balance"},
		"update": {"role", "display", "funding", "department", "min-balance", "return-credits"},
		"remove": {"return-credits"},
		"rm":     {"return-credits"},
		"passwd": {"pin"},
	}[sub]...)
	flagGoesWith(fs, "return-credits", "users remove or users update --funding pool")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	want := func(names ...string) error { return wantArgs("users "+sub, pos, names...) }
	switch sub {
	case "list":
		if err := want(); err != nil {
			return err
		}
		ms, err := t.ListMembers(env.Ctx, *all)
		if err != nil {
			return err
		}
		return printMembers(env, ms)
	case "show":
		if err := want("USER"); err != nil {
			return err
		}
		m, err := findMember(env, pos[0])
		if err != nil {
			return err
		}
		return printMembers(env, []team.Member{m})
	case "add":
		if err := want("NAME"); err != nil {
			return err
		}
		if _, err := access.RequireAdmin(env.Ctx, "add a member"); err != nil {
			return err // refuse before reading a secret
		}
		kind := team.SecretPassword
		if *pin {
			kind = team.SecretPIN
		}
		secret, err := secretFrom(env, envNewSecret, "the new member's "+kind, newSecretPrompt(kind, pos[0]), true)
		if err != nil {
			return err
		}
		m, err := t.AddMember(env.Ctx, team.NewMember{Name: pos[0], DisplayName: *display, Role: access.Role(*role), SecretKind: kind,
			Secret: secret, Funding: *funding, DepartmentID: *dept, MinBalance: *minBal})
		if err != nil {
			return err
		}
		return printMembers(env, []team.Member{m})
	case "update":
		if err := want("USER"); err != nil {
			return err
		}
		m, err := findMember(env, pos[0])
		if err != nil {
			return err
		}
		up := team.MemberUpdate{DisplayName: m.DisplayName, Role: m.Role, Funding: m.Funding, DepartmentID: m.DepartmentID, MinBalance: m.MinBalance}
		set := setFlags(fs)
		if set["display"] {
			up.DisplayName = *display
		}
		if set["role"] {
			up.Role = access.Role(*role)
		}
		if set["funding"] {
			up.Funding = *funding
		}
		if set["department"] {
			up.DepartmentID = *dept
		}
		if set["min-balance"] {
			up.MinBalance = *minBal
		}
		ch, err := t.UpdateMemberWith(env.Ctx, m.ID, up, *returnCredits)
		if err != nil {
			return err
		}
		if err := printUpdated(env, []updatedMember{{ch.Member, ch.Unchanged}}, func(w io.Writer) {
			printMemberTable(w, []team.Member{ch.Member})
		}, "member "+ch.Member.Name, "they had these settings already", ch.Unchanged); err != nil {
			return err
		}
		return printWalletNote(env, ch, "stops paying from", *returnCredits)
	case "remove", "rm":
		if err := want("USER"); err != nil {
			return err
		}
		m, err := findMember(env, pos[0])
		if err != nil {
			return err
		}
		ch, err := t.RemoveMemberWith(env.Ctx, m.ID, *returnCredits)
		if err != nil {
			return err
		}
		return printMemberChange(env, ch, "was removed with", *returnCredits)
	case "disable", "enable":
		if err := want("USER"); err != nil {
			return err
		}
		m, err := findMember(env, pos[0])
		if err != nil {
			return err
		}
		op := map[string]func(ctx context.Context, id int64) (team.MemberChange, error){
			"disable": t.DisableMember, "enable": t.EnableMember}[sub]
		ch, err := op(env.Ctx, m.ID)
		if err != nil {
			return err
		}
		state := map[string]string{"disable": "disabled", "enable": "active"}[sub]
		return printUpdated(env, []updatedMember{{ch.Member, ch.Unchanged}}, func(w io.Writer) {
			printMemberTable(w, []team.Member{ch.Member})
		}, "member "+ch.Member.Name, "they were "+state+" already", ch.Unchanged)
	case "passwd":
		if err := want("USER"); err != nil {
			return err
		}
		m, err := findMember(env, pos[0])
		if err != nil {
			return err
		}
		if _, err := access.RequireSelfOrAdmin(env.Ctx, m.ID, "change a password"); err != nil {
			return err
		}
		kind := team.SecretPassword
		if *pin {
			kind = team.SecretPIN
		}
		secret, err := secretFrom(env, envNewSecret, "the new "+kind, newSecretPrompt(kind, m.Name), true)
		if err != nil {
			return err
		}
		linesMu.Lock()
		current := signInSecret
		linesMu.Unlock()
		if err := t.ChangeSecret(env.Ctx, m.ID, current, kind, secret); err != nil {
			return err
		}
		return env.Print(map[string]any{"userId": m.ID, "secretKind": kind}, func(w io.Writer) {
			fmt.Fprintf(w, "%s of %s changed\n", kind, m.Name)
		})
	}
	return unknownSubcommand("users", sub, nil)
}

// ---- departments ----

func deptRef(s string) (int64, error) {
	if s == "pool" || s == "0" {
		return 0, nil
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "dept:"), 10, 64)
	if err != nil || id <= 0 {
		return 0, Usagef("department %q: want an id or \"pool\"", s)
	}
	return id, nil
}

func printDepartments(env *Env, ds []team.Department) error {
	return env.Print(ds, func(w io.Writer) { printDepartmentTable(w, ds) })
}

func printDepartmentTable(w io.Writer, ds []team.Department) {
	table(w, "ID\tNAME\tBALANCE\tAVAILABLE\tALERT BUDGET\tOVERDRAFT\tMEMBERS\tARCHIVED", func(tw io.Writer) {
		for _, d := range ds {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%v\n", d.ID, d.Name, money.DisplayString(d.Balance), money.DisplayString(d.Available),
				money.DisplayString(d.Budget), overdraftShown(d.Overdraft), d.Members, d.Archived)
		}
	})
}

// overdraftShown is a department's overdraft as Team → Departments shows
// it: "protected" for none (--overdraft 0), else the credits it may go
// below zero. --json keeps the amount ("0").
func overdraftShown(overdraft string) string {
	if d, err := decimal.NewFromString(overdraft); err == nil && d.IsZero() {
		return "protected"
	}
	return money.DisplayString(overdraft)
}

func runDepartments(env *Env, args []string) error {
	t := env.Backend.Team
	sub, args, err := subcommand("departments", args)
	if err != nil {
		return err
	}
	fs := env.Flags("departments " + sub)
	all := fs.Bool("all", false, "include archived departments")
	name := fs.String("name", "", "new name")
	overdraft := fs.String("overdraft", "", "how far below zero it may go (0 = protected)")
	budget := fs.String("budget", "", "alert budget: the credits percent alerts count from (caps no spending)")
	id := fs.String("id", "", "idempotency id (a UUID)")
	note := fs.String("note", "", "note on the transfer")
	ownFlags(fs, map[string][]string{
		"list":     {"all"},
		"add":      {"overdraft"},
		"update":   {"name", "overdraft", "budget"},
		"allocate": {"id", "note"},
		"move":     {"id", "note"},
	}[sub]...)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	// A flag given blank is a slip, not "0" or "unchanged".
	set := setFlags(fs)
	if set["overdraft"] && strings.TrimSpace(*overdraft) == "" {
		return Usagef("--overdraft needs an amount; 0 means no overdraft")
	}
	if set["budget"] && strings.TrimSpace(*budget) == "" {
		return Usagef("--budget needs an amount (the credits percent alerts count from)")
	}
	switch sub {
	case "list":
		if err := wantArgs("departments list", pos); err != nil {
			return err
		}
		ds, err := t.ListDepartments(env.Ctx, *all)
		if err != nil {
			return err
		}
		return printDepartments(env, ds)
	case "add":
		if err := wantArgs("departments add", pos, "NAME"); err != nil {
			return err
		}
		d, err := t.CreateDepartment(env.Ctx, team.DepartmentInput{Name: pos[0], Overdraft: *overdraft})
		if err != nil {
			return err
		}
		return printDepartments(env, []team.Department{d})
	case "update":
		if err := wantArgs("departments update", pos, "ID"); err != nil {
			return err
		}
		did, err := deptRef(pos[0])
		if err != nil {
			return err
		}
		cur, err := t.Department(env.Ctx, did)
		if err != nil {
			return err
		}
		in := team.DepartmentInput{Name: cur.Name, Overdraft: cur.Overdraft}
		if set["name"] {
			in.Name = *name
		}
		if set["overdraft"] {
			in.Overdraft = *overdraft
		}
		if set["budget"] {
			in.Budget = *budget
		}
		ch, err := t.ChangeDepartment(env.Ctx, did, in)
		if err != nil {
			return err
		}
		d := ch.Department
		return printUpdated(env, []updatedDepartment{{d, ch.Unchanged}}, func(w io.Writer) {
			printDepartmentTable(w, []team.Department{d})
		}, fmt.Sprintf("department %d (%s)", d.ID, d.Name), "it had these settings already", ch.Unchanged)
	case "archive":
		if err := wantArgs("departments archive", pos, "ID"); err != nil {
			return err
		}
		did, err := deptRef(pos[0])
		if err != nil {
			return err
		}
		if err := t.ArchiveDepartment(env.Ctx, did); err != nil {
			return err
		}
		return env.Print(map[string]any{"archived": did}, func(w io.Writer) { fmt.Fprintf(w, "department %d archived\n", did) })
	case "allocate", "move":
		var req team.MoveRequest
		if sub == "allocate" {
			if err := wantArgs("departments allocate", pos, "ID", "AMOUNT"); err != nil {
				return err
			}
			to, err := deptRef(pos[0])
			if err != nil {
				return err
			}
			req = team.MoveRequest{To: to, Amount: pos[1]}
		} else {
			if err := wantArgs("departments move", pos, "FROM", "TO", "AMOUNT"); err != nil {
				return err
			}
			from, err := deptRef(pos[0])
			if err != nil {
				return err
			}
			to, err := deptRef(pos[1])
			if err != nil {
				return err
			}
			req = team.MoveRequest{From: from, To: to, Amount: pos[2]}
		}
		req.ID, req.Note = *id, *note
		tr, err := t.MoveCredits(env.Ctx, req)
		if err != nil {
			return idTaken(err)
		}
		return env.Print(tr, func(w io.Writer) {
			// Each account named as `credits balance` names it: "dept:1 (the Research department)".
			fmt.Fprintf(w, "moved %s from %s to %s, transfer %d\n", money.Credits(money.Display(tr.Amount)),
				t.AccountNamed(env.Ctx, tr.From), t.AccountNamed(env.Ctx, tr.To), tr.ID)
		})
	}
	return unknownSubcommand("departments", sub, nil)
}

// ---- limits ----

func runLimits(env *Env, args []string) error {
	t := env.Backend.Team
	sub, args, err := subcommand("limits", args)
	if err != nil {
		return err
	}
	fs := env.Flags("limits " + sub)
	period := fs.String("period", "", "day or month (model limits; default month)")
	ownFlags(fs, map[string][]string{"set": {"period"}}[sub]...)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	// The arguments' count, then the kind, before the member is looked up:
	// a slip in either is a usage error naming what is missing, left over
	// or meant (limits set alice daliy 5: did you mean "daily"?), not a
	// lookup.
	switch {
	case sub == "list":
		err = wantArgs("limits list", pos, "USER")
	case len(pos) > 1 && pos[1] == team.LimitModel && sub == "set":
		err = wantArgs("limits set", pos, "USER", "model", "MODEL", "AMOUNT")
	case len(pos) > 1 && pos[1] == team.LimitModel:
		err = wantArgs("limits remove", pos, "USER", "model", "MODEL")
	case sub == "set":
		err = wantArgs("limits set", pos, "USER", "daily|monthly|model", "AMOUNT")
	default:
		err = wantArgs("limits remove", pos, "USER", "daily|monthly|model")
	}
	if err != nil {
		return err
	}
	if kinds := []string{team.LimitDaily, team.LimitMonthly, team.LimitModel}; sub != "list" && !slices.Contains(kinds, pos[1]) {
		return Usagef("limits %s: limit kind %q%s (want daily, monthly or model)", sub, pos[1], didYouMean(pos[1], kinds, ""))
	}
	// --period is the model form's alone: a daily limit is per day and a
	// monthly one per month, so the backend refuses it there (and a period
	// other than day or month), in its own words; asked here, before the
	// member is looked up, as the kind is.
	if sub == "set" {
		if _, err := team.LimitPeriod(pos[1], *period); err != nil {
			return Usagef("limits set: %s", inputerr.Reason(err))
		}
	}
	m, err := findMember(env, pos[0])
	if err != nil {
		return err
	}
	pos = pos[1:]
	switch sub {
	case "list":
		ls, err := t.Limits(env.Ctx, m.ID)
		if err != nil {
			return err
		}
		loc, err := env.Backend.Zone(env.Ctx)
		if err != nil {
			return err
		}
		return env.Print(ls, func(w io.Writer) {
			// The zone's name in the header, as every table's times; the
			// columns in the Limits page's words (Held for sends, Left).
			table(w, fmt.Sprintf("KIND\tMODEL\tPERIOD\tLIMIT\tUSED\tHELD FOR SENDS\tLEFT\tRESETS (%s)", loc), func(tw io.Writer) {
				for _, l := range ls {
					// No reset beside a limit of 0, which waits for an
					// admin (Go's rule, LimitStatus.ResetFreesRoom, as the
					// window's and /v1/credits' resets_at null).
					resets := "-"
					if l.ResetFreesRoom {
						resets = workzone.LocalTime(l.ResetsAt, loc, workzone.Minutes)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", l.Kind, l.Model, l.Period, money.DisplayString(l.Amount), money.DisplayString(l.Used),
						money.DisplayString(l.Pending), money.DisplayString(l.Remaining), resets)
				}
			})
			// Which limits refuse sends and until when, in the Usage
			// page's words (Go's: LimitStatus.Reached).
			for _, l := range ls {
				if l.Reached != "" {
					fmt.Fprintf(w, "note: %s: %s\n", limitWhat(l.Kind, l.Model), l.Reached)
				}
			}
		})
	case "set":
		l := team.Limit{UserID: m.ID, Kind: pos[0], Period: *period, Amount: pos[len(pos)-1]}
		if pos[0] == team.LimitModel {
			l.Model = pos[1]
		}
		got, err := t.ChangeLimit(env.Ctx, l)
		if err != nil {
			return err
		}
		what := limitWhat(got.Kind, got.Model)
		return printUpdated(env, got, func(w io.Writer) {
			fmt.Fprintf(w, "%s's %s: %s credits per %s\n", memberShown(m), what, money.DisplayString(got.Amount), got.Period)
			if got.Note != "" {
				fmt.Fprintf(w, "note: %s\n", got.Note)
			}
		}, memberShown(m)+"'s "+what, "they had it already", got.Unchanged)
	case "remove":
		kind, model := pos[0], ""
		if kind == team.LimitModel {
			model = pos[1]
		}
		if err := t.RemoveLimit(env.Ctx, m.ID, kind, model); err != nil {
			return err
		}
		return env.Print(map[string]any{"removed": kind, "model": model}, func(w io.Writer) {
			fmt.Fprintf(w, "%s's %s removed\n", memberShown(m), limitWhat(kind, model))
		})
	}
	return unknownSubcommand("limits", sub, nil)
}

// limitWhat names a limit as the Limits page does after the member's
// name (team.LimitWhat, as a refused removal says it too).
func limitWhat(kind, model string) string { return team.LimitWhat(kind, model) }

// memberShown names a member as the window does (people.Member): their
// display name, else their sign-in name ("Robert's daily limit", as the
// Limits page's picker and its "unchanged" toast say it).
func memberShown(m team.Member) string {
	return people.Member(m.Name, m.DisplayName, m.Status == team.StatusRemoved)
}

// ---- alerts ----

func runAlerts(env *Env, args []string) error {
	t := env.Backend.Team
	sub, args, err := subcommand("alerts", args)
	if err != nil {
		return err
	}
	if sub == "recharge" {
		return runRecharge(env, args)
	}
	fs := env.Flags("alerts " + sub)
	abs := fs.String("absolute", "", "credit thresholds, separated by spaces or ';' (e.g. \"100 10\")")
	pct := fs.String("percent", "", "percent thresholds, separated by spaces or ';' (e.g. \"20 12.5\")")
	depleted := fs.Bool("depleted", true, "alert when the balance reaches zero")
	desktop := fs.Bool("desktop", true, "also show OS desktop notifications")
	unread := fs.Bool("unread", false, "only unread notifications")
	limit := intFlag(fs, "limit", 50, "how many notifications, the newest (1 to 1000)")
	before := int64Flag(fs, "before", 0, "only notifications older than this id (the cursor the list's last line names)")
	if sub != "unread" { // which says why it takes none
		ownFlags(fs, map[string][]string{
			"set":           {"absolute", "percent", "depleted", "desktop"},
			"notifications": {"unread", "limit", "before"},
		}[sub]...)
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	settingsText := func(w io.Writer, a team.AlertSettings) {
		abs, pct := "none", "none"
		if len(a.Absolute) > 0 {
			abs = strings.Join(a.Absolute, " ") + " credits"
		}
		if len(a.Percent) > 0 {
			pct = strings.Join(a.Percent, " ") + " %"
		}
		fmt.Fprintf(w, "absolute: %s\npercent:  %s\ndepleted: %v\ndesktop:  %v\n", abs, pct, a.Depleted, a.Desktop)
	}
	printSettings := func(a team.AlertSettings) error {
		return env.Print(a, func(w io.Writer) { settingsText(w, a) })
	}
	if sub != "read" { // which takes notification ids
		if err := wantArgs("alerts "+sub, pos); err != nil {
			return err
		}
	}
	switch sub {
	case "show":
		a, err := t.AlertSettings(env.Ctx)
		if err != nil {
			return err
		}
		return printSettings(a)
	case "set":
		a, err := t.AlertSettings(env.Ctx)
		if err != nil {
			return err
		}
		set := setFlags(fs)
		if set["absolute"] {
			if a.Absolute, err = team.ParseThresholds(*abs); err != nil {
				return fmt.Errorf("--absolute: %w", err)
			}
		}
		if set["percent"] {
			if a.Percent, err = team.ParseThresholds(*pct); err != nil {
				return fmt.Errorf("--percent: %w", err)
			}
		}
		if set["depleted"] {
			a.Depleted = *depleted
		}
		if set["desktop"] {
			a.Desktop = *desktop
		}
		ch, err := t.ChangeAlertSettings(env.Ctx, a)
		if err != nil {
			return err
		}
		return printUpdated(env, ch, func(w io.Writer) { settingsText(w, ch.AlertSettings) },
			"alert settings", "they were in force already", ch.Unchanged)
	case "notifications":
		if *limit < 1 || *limit > 1000 {
			return Usagef("--limit %d: list 1 to 1000 notifications", *limit)
		}
		page, err := t.NotificationsPage(env.Ctx, *unread, *before, *limit)
		if err != nil {
			return err
		}
		ns := page.Items
		if ns == nil {
			ns = []team.Notification{} // --json: [], not null
		}
		total, err := t.UnreadNotifications(env.Ctx)
		if err != nil {
			return err
		}
		loc, err := env.Backend.Zone(env.Ctx)
		if err != nil {
			return err
		}
		return env.Print(ns, func(w io.Writer) {
			if len(ns) == 0 {
				fmt.Fprintln(w, noNotifications(*unread, *before))
				return
			}
			shown := 0
			for _, n := range ns {
				mark := " "
				if !n.Read {
					mark, shown = "*", shown+1
				}
				fmt.Fprintf(w, "%s %d %s [%s] %s: %s\n", mark, n.ID, n.CreatedAt.In(loc).Format("2006-01-02 15:04:05 -07:00"), n.Level, n.Title, n.Body)
			}
			fmt.Fprint(w, unreadLine(total, shown, len(ns), *limit, *before, page.Next))
		})
	case "unread":
		if err := wantArgs("alerts unread", pos); err != nil {
			return err
		}
		for name := range setFlags(fs) {
			return Usagef("alerts unread: it takes no --%s: it counts every unread notification", name)
		}
		total, err := t.UnreadNotifications(env.Ctx)
		if err != nil {
			return err
		}
		return env.Print(map[string]int{"unread": total}, func(w io.Writer) { fmt.Fprintf(w, "%d unread\n", total) })
	case "read":
		var ids []int64
		for _, p := range pos {
			id, err := strconv.ParseInt(p, 10, 64)
			if err != nil {
				return Usagef("notification id %q is not a number", p)
			}
			ids = append(ids, id)
		}
		if err := t.MarkRead(env.Ctx, ids); err != nil {
			return err
		}
		return env.Print(map[string]any{"read": ids}, func(w io.Writer) { fmt.Fprintln(w, "marked read") })
	}
	return unknownSubcommand("alerts", sub, nil)
}

// noNotifications is what `alerts notifications` says when it lists none,
// rather than nothing at all: "No notifications.", or which ones there are
// none of (--unread, --before ID).
func noNotifications(unread bool, before int64) string {
	what := "notifications"
	if unread {
		what = "unread notifications"
	}
	if before != 0 {
		return fmt.Sprintf("No %s older than %d.", what, before)
	}
	return "No " + what + "."
}

// unreadLine is the line under `alerts notifications`: how many of the
// member's notifications are unread in all (the list stops at --limit),
// and, when the list leaves some out, which ones it shows and how to see
// the others: a larger --limit, or, at the most one list shows (1000) or
// on a page of older ones (--before), the cursor of the next older page
// (next, 0 = none). "" when none is unread.
func unreadLine(total, shown, listed, limit int, before, next int64) string {
	if total == 0 {
		return ""
	}
	if shown >= total {
		return fmt.Sprintf("%d unread\n", total)
	}
	older := ""
	if next != 0 {
		older = fmt.Sprintf(" (--before %d lists older ones)", next)
	}
	switch {
	case before != 0:
		return fmt.Sprintf("%d unread in all; the %d notifications older than %d are shown%s\n", total, listed, before, older)
	case limit < team.NotificationMaxPage && next != 0:
		return fmt.Sprintf("%d unread in all; the newest %d notifications are shown (--limit N, up to %d, shows more)\n", total, listed, team.NotificationMaxPage)
	}
	return fmt.Sprintf("%d unread in all; the newest %d notifications are shown%s\n", total, listed, older)
}

func runRecharge(env *Env, args []string) error {
	t := env.Backend.Team
	sub, args, err := subcommand("alerts recharge", args)
	if err != nil {
		return err
	}
	fs := env.Flags("alerts recharge " + sub)
	threshold := fs.String("threshold", "", "recharge when the balance falls below this")
	amount := fs.String("amount", "", "credits moved from the pool per recharge")
	capm := fs.String("cap", "", "at most this many credits per month")
	disabled := fs.Bool("disabled", false, "keep the rule but do not run it")
	ownFlags(fs, map[string][]string{"set": {"threshold", "amount", "cap", "disabled"}}[sub]...)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	rulesTable := func(w io.Writer, rs []team.AutoRecharge) {
		table(w, "ACCOUNT\tTHRESHOLD\tAMOUNT\tMONTHLY CAP\tTHIS MONTH\tENABLED", func(tw io.Writer) {
			for _, r := range rs {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%v\n", r.Account, money.DisplayString(r.Threshold), money.DisplayString(r.Amount),
					money.DisplayString(r.MonthlyCap), money.DisplayString(r.ThisMonth), r.Enabled)
			}
		})
	}
	switch sub {
	case "list":
		if err := wantArgs("alerts recharge list", pos); err != nil {
			return err
		}
		rs, err := t.ListAutoRecharge(env.Ctx)
		if err != nil {
			return err
		}
		return env.Print(rs, func(w io.Writer) { rulesTable(w, rs) })
	case "set":
		if err := wantArgs("alerts recharge set", pos, "ACCOUNT"); err != nil {
			return err
		}
		ch, err := t.ChangeAutoRecharge(env.Ctx, team.AutoRecharge{Account: pos[0], Threshold: *threshold, Amount: *amount, MonthlyCap: *capm, Enabled: !*disabled})
		if err != nil {
			return err
		}
		// --json: the list of one that list prints, with "unchanged" in the element.
		return printUpdated(env, []team.AutoRechargeChange{ch}, func(w io.Writer) {
			rulesTable(w, []team.AutoRecharge{ch.AutoRecharge})
		}, "auto-recharge for "+ch.Account, "the account had this rule already", ch.Unchanged)
	case "remove":
		if err := wantArgs("alerts recharge remove", pos, "ACCOUNT"); err != nil {
			return err
		}
		if err := t.RemoveAutoRecharge(env.Ctx, pos[0]); err != nil {
			return err
		}
		return env.Print(map[string]string{"removed": pos[0]}, func(w io.Writer) { fmt.Fprintln(w, "removed") })
	}
	return unknownSubcommand("alerts recharge", sub, nil)
}

// ---- audit ----

// auditTargetText is an entry's TARGET: its name, with the target as logged
// when that differs ("OpenAI (provider:1)"), which --target takes too.
func auditTargetText(e team.AuditEntry) string {
	if e.TargetName == "" || e.TargetName == e.Target {
		return e.Target
	}
	return e.TargetName + " (" + e.Target + ")"
}

func runAudit(env *Env, args []string) error {
	t := env.Backend.Team
	sub, args, err := subcommand("audit", args)
	if err != nil {
		return err
	}
	fs := env.Flags("audit " + sub)
	actor := fs.String("actor", "", "only this member's actions")
	action := fs.String("action", "", "the start of the action, case counts (member. matches member.add and member.update)")
	target := fs.String("target", "", "target, as TARGET names it (OpenAI, Rate table v2, bob) or as logged (provider:1, rates:v2, user:3)")
	since := fs.String("since", "", "from this date (YYYY-MM-DD in the workspace time zone, or RFC 3339)")
	until := fs.String("until", "", "to this date, included (an RFC 3339 time is an exclusive end)")
	limit := intFlag(fs, "limit", 0, fmt.Sprintf("at most this many entries (list: %d by default; at most 100000)", team.AuditListLimit))
	out := fs.String("out", "", "export: write CSV to this file (default or -: stdout)")
	filters := []string{"actor", "action", "target", "since", "until", "limit"}
	ownFlags(fs, map[string][]string{"list": filters, "export": append(filters, "out")}[sub]...)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	// The role before any value is read (the limit, the dates, --actor
	// and --target: a member is not told "no such member" or a usage error
	// for what is not theirs to do); a command line that does not parse
	// (an unknown flag, a --limit that is no number) is a usage error
	// first, as for every command.
	what := map[string]string{"list": "read the audit log", "export": "export the audit log"}[sub]
	if what == "" {
		return unknownSubcommand("audit", sub, nil)
	}
	if _, err := access.RequireAdmin(env.Ctx, what); err != nil {
		return err
	}
	if err := emptyFlag(fs, "every member's entries", "actor"); err != nil {
		return err
	}
	if err := emptyFlag(fs, "every action's entries", "action"); err != nil {
		return err
	}
	if err := emptyFlag(fs, "every target's entries", "target"); err != nil {
		return err
	}
	if *limit < 0 || *limit > 100000 {
		return Usagef("--limit must be 1 to 100000 (0: the default)")
	}
	f := team.AuditFilter{Action: *action, Limit: *limit}
	// A target as logged ("provider:1") or its name as TARGET shows it ("OpenAI").
	if f.Target, err = t.ResolveAuditTarget(env.Ctx, *target); err != nil {
		return err
	}
	if f.Since, f.Until, err = env.Backend.AuditRange(env.Ctx, *since, *until, "--since", "--until"); err != nil {
		return dateError(err)
	}
	if *actor != "" {
		// As statement --member and credits history --member: a current
		// member first, a removed one by their name when no current member
		// has it, and a note when the name is ambiguous (removed bob beside
		// the bob added since), naming the id that reaches the other.
		id, note, err := env.Backend.Statements.ResolveMemberNoteAs(env.Ctx, *actor, "--actor")
		if err != nil {
			return err
		}
		if note != "" {
			fmt.Fprintln(env.Err, "note:", note)
		}
		f.ActorID = id
	}
	switch sub {
	case "list":
		shown := f.Limit
		if shown == 0 {
			shown = team.AuditListLimit
		}
		f.Limit = shown + 1 // one more: were entries left out?
		es, err := t.ListAudit(env.Ctx, f)
		if err != nil {
			return err
		}
		if len(es) > shown {
			es = es[:shown]
			if !env.JSON {
				fmt.Fprintf(env.Err, "showing the newest %d entries; use --limit N or --since/--until for the others\n", shown)
			}
		}
		loc, err := env.Backend.Zone(env.Ctx)
		if err != nil {
			return err
		}
		return env.Print(es, func(w io.Writer) {
			table(w, "ID\tWHEN ("+loc.String()+")\tWHO\tACTION\tTARGET", func(tw io.Writer) {
				for _, e := range es {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", e.ID, workzone.LocalTime(e.At, loc, workzone.Seconds), e.ActorName, e.Action, auditTargetText(e))
				}
			})
		})
	case "export":
		if toStdout(*out) {
			return t.ExportAuditCSV(env.Ctx, f, env.Out)
		}
		// The file appears only once the whole log is written: a refused
		// export or a bad filter leaves nothing behind.
		if err := fileout.Write(*out, 0o600, func(w io.Writer) error { return t.ExportAuditCSV(env.Ctx, f, w) }); err != nil {
			return err
		}
		return env.Print(map[string]string{"file": *out}, func(w io.Writer) {
			fmt.Fprintf(w, "audit log written to %s\n", *out)
		})
	}
	return unknownSubcommand("audit", sub, nil)
}
