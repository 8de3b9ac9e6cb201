// Package cli is Meterdesk's headless command line, built into the same
// binary as the window. Every command calls the same backend services
// (backend/core) as the UI; nothing here holds business logic.
//
// Each command group registers itself from its own file with Register in an
// init function. Global flags (--data-dir, --json, --user, --help) go before
// the command's name, or after it where no flag of the command can take them
// as its value (SplitGlobals; the command's flag set knows them too, see
// Env.Flags). Errors go to stderr; the exit code says what kind of failure it
// was (ExitCode).
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"

	"meterdesk/backend/access"
	"meterdesk/backend/core"
	"meterdesk/backend/store"
	"meterdesk/backend/team"
)

// Version is the build's version, set by main (from -ldflags).
var Version = "dev"

// Command is one top-level subcommand (`meterdesk <Name> ...`).
type Command struct {
	Name    string
	Summary string // one line for `meterdesk help`
	Usage   string // full help text for `meterdesk help <Name>`
	// Example is one or more real command lines, one a line, shown under
	// the help ("Example:"); each must be a call the command accepts.
	Example string
	// NoBackend commands run without opening the database.
	NoBackend bool
	// Creates reports whether this call (args: what follows the command's
	// name) may make a new database in a data folder that has none
	// (`workspace setup`). Such a call runs with env.Backend nil and opens
	// the folder itself, once it has checked what it was given, through
	// core.SetUp, which makes the database all or nothing: a call that fails
	// leaves the folder as it was. Every other command refuses a folder
	// without a workspace (no database, or one not set up) and leaves it as
	// it was, so a mistyped --data-dir, or a setup that failed, never passes
	// for an empty workspace.
	Creates func(args []string) bool
	// NoDatabase, when set, runs instead of Run in a data folder that has
	// no workspace: no database, or one whose workspace is not set up
	// (env.Backend is nil); it must change nothing. Without it the command
	// is refused there (ExitNotFound).
	NoDatabase func(env *Env, args []string) error
	// Run executes the command; args are what follows the command name, with
	// global flags removed.
	Run func(env *Env, args []string) error
}

// Env is what a command runs with.
type Env struct {
	Ctx     context.Context // carries the signed-in actor (backend/access)
	Backend *core.Backend   // nil for NoBackend commands
	In      io.Reader
	Out     io.Writer
	Err     io.Writer
	JSON    bool   // --json: machine-readable output
	DataDir string // --data-dir, "" = default
	User    string // --user
	Command string // the command's name ("credits")

	mayCreate bool // the command may make a new database and opens it itself (Command.Creates)
	helpFlag  bool // -h or --help was taken as a global flag (`help credits -h --bogus`: helpCall)
	helpArgs  int  // with helpFlag, how many of the command's words came before it (the rest are not read)
	dry       bool // only the flags are checked: the first parse ends the command (helpTarget)
}

// Print writes v as indented JSON when --json is set, and otherwise calls
// human to write text.
func (e *Env) Print(v any, human func(w io.Writer)) error {
	if e.JSON {
		enc := json.NewEncoder(e.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	human(e.Out)
	return nil
}

// Flags returns a flag set for a subcommand that reports errors as usage
// errors instead of exiting. It prints nothing itself: Run prints the one
// error line (see flagError) and the command's usage once.
//
// The set knows the global flags, for where SplitGlobals leaves them: right
// after a flag of the command, which may take them as its value. There the
// flag package decides as for any flag: "--note -h" is the note "-h", and
// "--pin --json" asks for JSON. -h and --help ask for the command's help
// (flag.ErrHelp). --user and --data-dir may only repeat what the backend
// was opened with: it is open by the time a command parses its flags.
func (e *Env) Flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("meterdesk "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.Var(jsonFlag{e}, "json", "machine-readable output")
	fs.Var(globalFlag{e, "user", &e.User}, "user", "act as this member")
	fs.Var(globalFlag{e, "data-dir", &e.DataDir}, "data-dir", "data folder")
	return fs
}

// globalNames are the flags every command's flag set knows (Env.Flags).
var globalNames = map[string]bool{"json": true, "user": true, "data-dir": true}

// jsonFlag is --json in a command's flag set: it turns JSON output on.
type jsonFlag struct{ e *Env }

func (f jsonFlag) String() string   { return "" }
func (f jsonFlag) IsBoolFlag() bool { return true }
func (f jsonFlag) Set(v string) error {
	if v != "true" {
		return errors.New("--json takes no value")
	}
	f.e.JSON = true
	return nil
}

// globalFlag is --user or --data-dir in a command's flag set.
type globalFlag struct {
	e    *Env
	name string
	v    *string
}

func (f globalFlag) String() string { return "" }
func (f globalFlag) Set(v string) error {
	switch {
	case f.name == "data-dir" && v == "":
		return errors.New("--data-dir must not be empty")
	case f.e.Backend == nil: // not opened yet (restore opens it itself)
		*f.v = v
	case v != *f.v:
		return fmt.Errorf("--%s here follows a flag of the command that could take it as its value: "+
			"put --%s %s before the command's name", f.name, f.name, v)
	}
	return nil
}

// flagError turns an error from FlagSet.Parse into a usage error worded
// with the flags' double dashes and led by fs's (sub)command ("credits
// topup: --amount needs a value", "unknown flag --bogus", with the nearest
// of fs's flags when it looks like a typo of one: "unknown flag --ammount;
// did you mean \"--amount\"?"); --help stays flag.ErrHelp (Run prints the
// command's help).
//
// args are the words parsed: an unknown flag is named as typed in them
// ("unknown flag -bob" for `users remove -bob`, not "--bob").
func flagError(fs *flag.FlagSet, err error, args []string) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	err = flagErrorWords(fs, err, args)
	if fs == nil {
		return err
	}
	// The (sub)command first, which commandFailed prints once: "meterdesk
	// alerts recharge list: unknown flag --amout", not "meterdesk alerts: …".
	return Usagef("%s: %s", strings.TrimPrefix(fs.Name(), "meterdesk "), err.Error())
}

// flagErrorWords is flagError's message, without the command.
func flagErrorWords(fs *flag.FlagSet, err error, args []string) error {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok && fs != nil {
		return Usagef("unknown flag %s%s", typedFlag(args, rest), didYouMean(strings.TrimLeft(rest, "-"), flagNames(fs), "--"))
	}
	for _, r := range []struct{ prefix, format string }{
		{"flag needs an argument: -", "--%s needs a value"},
		{"flag provided but not defined: -", "unknown flag --%s"},
		{"bad flag syntax: ", "bad flag syntax %q"},
	} {
		if rest, ok := strings.CutPrefix(msg, r.prefix); ok {
			return Usagef(r.format, rest)
		}
	}
	// invalid value "x" for flag -package: parse error
	// invalid boolean value "x" for -inactive: parse error
	if m := invalidFlagValue.FindStringSubmatch(msg); m != nil {
		why := m[4]
		switch {
		case strings.HasSuffix(why, "parse error"):
			why = "not a " + map[bool]string{true: "boolean (true or false)", false: "valid number"}[m[1] != ""]
		case strings.HasSuffix(why, "value out of range"):
			why = "out of range"
		}
		return Usagef("invalid value %s for --%s: %s", m[2], m[3], why)
	}
	return Usagef("%s", strings.ReplaceAll(msg, " -", " --"))
}

// typedFlag is the unknown flag name (as the flag package names it,
// without its dashes) as it was typed among args: "-bob" or "--bob" (the
// flag package says "-bob" for both). Not found there, it is "--" + name.
func typedFlag(args []string, name string) string {
	for _, a := range args {
		if a == "--" {
			break
		}
		dashes := len(a) - len(strings.TrimLeft(a, "-"))
		if dashes > 0 && dashes <= 2 && strings.SplitN(a[dashes:], "=", 2)[0] == name {
			return a[:dashes] + name
		}
	}
	return "--" + name
}

var invalidFlagValue = regexp.MustCompile(`^invalid (boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?-([\w-]+): (.*)$`)

// UsageError is a mistake in how a command was called (exit code 2); Run
// prints the command's usage after it.
type UsageError struct{ Msg string }

func (u *UsageError) Error() string { return u.Msg }

// Usagef returns a UsageError.
func Usagef(format string, a ...any) error { return &UsageError{Msg: fmt.Sprintf(format, a...)} }

// inputError marks err as a mistake in what the command was given (exit
// code 2) where the command's usage would not help: a password that was
// not given, two entries of a new one that differ.
type inputError struct{ error }

func (e inputError) Unwrap() error { return e.error }

// inputErr marks err (nil stays nil) as an input mistake (exit code 2).
func inputErr(err error) error {
	if err == nil {
		return nil
	}
	return inputError{err}
}

// reworded is err with another message (a plainer one for the terminal)
// that still is err for errors.Is and errors.As, so that its exit code is
// the same.
func reworded(err error, msg string) error { return &rewordedError{err, msg} }

type rewordedError struct {
	err error
	msg string
}

func (e *rewordedError) Error() string { return e.msg }
func (e *rewordedError) Unwrap() error { return e.err }

// Authenticator decides which actor a command runs as. The team area
// installs one (password sign-in); until then every command runs as the
// system actor.
type Authenticator func(env *Env, user string) (access.Actor, error)

var (
	mu       sync.Mutex
	commands = map[string]Command{}
	authn    Authenticator
)

// Register adds a command; it panics on a duplicate name (a programming error).
func Register(c Command) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := commands[c.Name]; dup {
		panic("cli: duplicate command " + c.Name)
	}
	commands[c.Name] = c
}

// SetAuthenticator installs the function that signs a CLI user in.
func SetAuthenticator(a Authenticator) {
	mu.Lock()
	defer mu.Unlock()
	authn = a
}

func lookup(name string) (Command, bool) {
	mu.Lock()
	defer mu.Unlock()
	c, ok := commands[name]
	return c, ok
}

func sortedCommands() []Command {
	mu.Lock()
	defer mu.Unlock()
	out := make([]Command, 0, len(commands))
	for _, c := range commands {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Globals are the flags that apply to every command.
type Globals struct {
	DataDir string
	JSON    bool
	User    string
	Help    bool
}

// SplitGlobals removes the global flags from args and returns them with
// the remaining arguments. Before the command's name every global flag is
// taken. After it, one is taken unless it comes right after a flag of the
// command written without "=" ("--note -h", "--pin --json"): that flag may
// take it as its value, so it is left in place for the command's flag set,
// which knows the global flags and decides (Env.Flags). Nothing after a
// "--" is a global flag.
func SplitGlobals(args []string) (Globals, []string, error) {
	g, rest, _, err := splitGlobals(args)
	return g, rest, err
}

// splitGlobals is SplitGlobals, with where the first -h or --help was
// taken: how many of the remaining arguments came before it (-1: none was).
// `credits balance -h extra` asks for the help of `credits balance`, its
// words before the -h checked as `help credits balance` checks them.
func splitGlobals(args []string) (Globals, []string, int, error) {
	var g Globals
	var rest []string
	helpAt := -1
	named := false // the command's name has been seen
	maybeValue := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		if a == "-" || !strings.HasPrefix(a, "-") || negativeNumber(a) {
			named = named || !strings.HasPrefix(a, "-")
			maybeValue = false
			rest = append(rest, a)
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if maybeValue {
			// The command's own flag just before may take a as its value.
			// A --user or --data-dir left here keeps its value with it.
			rest = append(rest, a)
			maybeValue = globalNames[name] && name != "json" && !hasVal
			continue
		}
		takeValue := func() (string, error) {
			if hasVal {
				return val, nil
			}
			if i+1 >= len(args) {
				return "", Usagef("flag %s needs a value", a)
			}
			i++
			return args[i], nil
		}
		switch name {
		case "data-dir":
			v, err := takeValue()
			if err != nil {
				return g, nil, -1, err
			}
			if v == "" {
				return g, nil, -1, Usagef("--data-dir must not be empty")
			}
			g.DataDir = v
		case "user":
			v, err := takeValue()
			if err != nil {
				return g, nil, -1, err
			}
			g.User = v
		case "json":
			if hasVal && val != "true" {
				return g, nil, -1, Usagef("--json takes no value")
			}
			g.JSON = true
		case "h", "help":
			if !g.Help {
				helpAt = len(rest)
			}
			g.Help = true
		default:
			rest = append(rest, a)
			maybeValue = named && !hasVal
		}
	}
	return g, rest, helpAt, nil
}

// Run executes a command line (without the program name) and returns the
// process exit code (ExitCode). It is what main calls when a subcommand is
// given.
func Run(args []string, in io.Reader, out, errw io.Writer) int {
	g, rest, helpAt, err := splitGlobals(args)
	if err != nil {
		fmt.Fprintln(errw, "meterdesk:", err)
		return ExitUsage
	}
	if len(rest) == 0 {
		printHelp(out)
		return ExitOK
	}
	name := rest[0]
	cmd, ok := lookup(name)
	if !ok {
		fmt.Fprintf(errw, "meterdesk: unknown command %q%s (run `meterdesk help`)\n", name, didYouMean(name, commandNames(), ""))
		return ExitUsage
	}
	// `help credits -h` (or --help) asks for the help of credits, as `help
	// credits` does, which help's Run prints (or refuses a word that is no
	// command, as without -h); `help -h` asks for help's own. `credits
	// balance -h` asks for the help of credits balance, as `help credits
	// balance` does: the words before the -h are checked by the same
	// function (helpTarget), those after it are not read.
	helpArgs := len(rest) - 1 // how many of the command's words came before the -h
	if g.Help {
		helpArgs = max(helpAt-1, 0)
	}
	if g.Help && helpTopic(cmd, rest[1:]) == "" {
		if cmd.Name == "help" {
			printCommandHelp(out, cmd)
			return ExitOK
		}
		env := &Env{Ctx: context.Background(), In: in, Out: out, Err: errw, JSON: g.JSON, DataDir: g.DataDir, User: g.User, Command: name, helpFlag: true}
		words := rest[1 : 1+helpArgs]
		path, err := helpTarget(env, cmd, words)
		if err != nil {
			return usageFailed(errw, cmd, words, err)
		}
		printHelpOf(out, cmd, path)
		return ExitOK
	}
	mayCreate := cmd.Creates != nil && cmd.Creates(rest[1:])
	if !g.Help && !cmd.NoBackend && !mayCreate && helpWord(rest[1:]) {
		// A -h SplitGlobals left to the command, right after one of its
		// flags (`users list --all -h`): whether it is the help flag or
		// that flag's value, the command's own parser says, run dry
		// before the data folder is opened and anyone signed in, so the
		// help is printed (or the words refused) as `help users list
		// --all` does it, with no workspace and no password read.
		env := &Env{Ctx: context.Background(), In: in, Out: out, Err: errw, JSON: g.JSON, DataDir: g.DataDir, User: g.User, Command: name}
		switch err := dryVerdict(env, cmd, rest[1:]); {
		case errors.Is(err, flag.ErrHelp):
			printHelpOf(out, cmd, commandPath(cmd.Name, rest[1:]))
			return ExitOK
		case err != nil:
			return usageFailed(errw, cmd, rest[1:], err)
		}
	}
	ctx, stop := notifyContext(context.Background())
	defer stop()
	env := &Env{Ctx: ctx, In: in, Out: out, Err: errw, JSON: g.JSON, DataDir: g.DataDir, User: g.User, Command: name,
		helpFlag: g.Help, helpArgs: helpArgs}
	run := cmd.Run
	env.mayCreate = mayCreate
	if !cmd.NoBackend && !env.mayCreate {
		closeBackend, err := env.open(openOptions{})
		var none *noWorkspaceError
		switch {
		case errors.As(err, &none) && cmd.NoDatabase != nil && env.User == "":
			run = cmd.NoDatabase
		case errors.As(err, &none) && cmd.NoDatabase != nil:
			return failed(errw, "meterdesk", noMembersYet(env.User))
		case err != nil:
			code := failed(errw, "meterdesk", err)
			if name := leftGlobal(rest[1:]); name != "" {
				fmt.Fprintf(errw, "meterdesk: the --%s after the command's flags was not used to open the data folder: "+
					"right after a flag of the command it may be that flag's value; put it before the command's name\n", name)
			}
			badDatabaseHint(errw, err)
			return code
		default:
			defer closeBackend()
		}
	}
	if err := run(env, rest[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) { // -h or --help among the command's flags (`users add x --pin -h`)
			printHelpOf(out, cmd, commandPath(cmd.Name, rest[1:]))
			return ExitOK
		}
		words := rest[1:]
		var te *topicError // `help credits extra`: said as credits says it
		if errors.As(err, &te) {
			cmd, words = te.cmd, te.args
		}
		code := usageFailed(errw, cmd, words, err)
		if env.mayCreate || cmd.NoBackend { // it opened the data folder itself, or looked at it (check)
			badDatabaseHint(errw, err)
		} else if store.IsCorrupt(err) { // a damaged page no open had read
			fmt.Fprintln(errw, "meterdesk: the database is damaged: 'meterdesk check' says where; to put a backup in its place (the damaged file is kept): meterdesk restore FILE")
		}
		return code
	}
	return ExitOK
}

// helpWord reports whether a -h or --help is among the words before a
// "--" (after it every word is an argument).
func helpWord(words []string) bool {
	for _, w := range words {
		if w == "--" {
			return false
		}
		if name, _, _ := strings.Cut(strings.TrimLeft(w, "-"), "="); strings.HasPrefix(w, "-") && (name == "h" || name == "help") {
			return true
		}
	}
	return false
}

// usageFailed prints the error of cmd (run with words) as commandFailed
// does, with the usage of the subcommand called after a usage error, and
// returns its exit code.
func usageFailed(errw io.Writer, cmd Command, words []string, err error) int {
	code := commandFailed(errw, cmd.Name, words, err)
	var ue *UsageError
	if errors.As(err, &ue) && cmd.Usage != "" {
		fmt.Fprintf(errw, "usage: %s\n", usageFor(cmd.Usage, cmd.Name, words))
	}
	return code
}

// helpTopic is the word `help COMMAND -h` names a command with (its first
// word that is no flag, or the word after "--"), or "" when cmd is not help.
func helpTopic(cmd Command, args []string) string {
	if cmd.Name != "help" {
		return ""
	}
	for i, a := range args {
		if a == "--" {
			if i+1 < len(args) {
				return args[i+1]
			}
			break
		}
		if a == "-" || !strings.HasPrefix(a, "-") {
			return a
		}
	}
	return ""
}

// notifyContext returns a context that ends when the process gets SIGINT
// (Ctrl-C) or SIGTERM (a kill, a service manager stopping it), with a
// *signalled cause naming which (stoppedBy); stop releases the signals.
// Later signals are caught too, until stop: the command ends as it decides.
func notifyContext(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case s := <-ch:
			cancel(&signalled{s})
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		cancel(nil)
	}
}

// signalled is the cause of a command's context ended by a signal; it is
// context.Canceled for errors.Is.
type signalled struct{ sig os.Signal }

func (s *signalled) Error() string        { return s.sig.String() + " signal received" }
func (s *signalled) Is(target error) bool { return target == context.Canceled }

// stoppedBy names what ended ctx, for "stopped by ...": "Ctrl-C" for
// SIGINT, "SIGTERM" for SIGTERM, "an interrupt" for anything else.
func stoppedBy(ctx context.Context) string {
	var s *signalled
	switch {
	case !errors.As(context.Cause(ctx), &s):
		return "an interrupt"
	case s.sig == os.Interrupt:
		return "Ctrl-C"
	case s.sig == syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.sig.String()
}

// badDatabaseHint names the way out of a database that could not be opened.
func badDatabaseHint(errw io.Writer, err error) {
	switch {
	case errors.Is(err, store.ErrCorrupt):
		fmt.Fprintln(errw, "meterdesk: to put a backup in its place (the damaged file is kept): meterdesk restore FILE")
	case errors.Is(err, store.ErrNewerSchema):
		fmt.Fprintln(errw, "meterdesk: open it with that newer version, or put a backup in its place (the current file is kept): meterdesk restore FILE")
	}
}

// leftGlobal names the first --data-dir or --user that SplitGlobals left
// among the command's arguments (after one of its flags), "" for none.
func leftGlobal(args []string) string {
	for _, a := range args {
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "data-dir" || name == "user" {
			return name
		}
	}
	return ""
}

// failed prints err after prefix on stderr and returns its exit code.
func failed(errw io.Writer, prefix string, err error) int {
	fmt.Fprintf(errw, "%s: %v\n", prefix, err)
	return ExitCode(err)
}

// commandFailed prints the error of command name (run with args) on
// stderr as "meterdesk NAME SUB: ERR" and returns its exit code: the
// prefix names the subcommand run (commandPath: `conversations ls` is
// "conversations list"). The command is named once: an error whose words
// already start with it, or with the start of it, as the backend names
// what failed for the window ("restore: …", "statement: …") and many
// commands their usage errors ("conversations list: unknown flag …",
// "providers: …"), is not prefixed with it again ("meterdesk
// conversations list: unknown flag …", not "meterdesk conversations:
// conversations list: …"). Nor is an error whose words start with the
// subcommand alone, as the ledger names its history ("meterdesk credits
// history: unknown account …", not "… history: history: unknown account").
func commandFailed(errw io.Writer, name string, args []string, err error) int {
	path, msg := commandPath(name, args), err.Error()
	for _, p := range append(fullPrefixes(path), subPrefixes(path)...) {
		if rest, ok := strings.CutPrefix(msg, p); ok {
			msg = rest
			break
		}
	}
	fmt.Fprintf(errw, "meterdesk %s: %s\n", strings.Join(path, " "), msg)
	return ExitCode(err)
}

// fullPrefixes are the starts of path as an error's words may lead with
// them, longest first: "credits history: ", "credits: ".
func fullPrefixes(path []string) []string {
	var out []string
	for n := len(path); n > 0; n-- {
		out = append(out, strings.Join(path[:n], " ")+": ")
	}
	return out
}

// subPrefixes are path's subcommands without the command, as a backend
// package names what failed, longest first: "recharge list: ", "list: "
// of "alerts recharge list"; none for a command alone.
func subPrefixes(path []string) []string {
	var out []string
	for i := 1; i < len(path); i++ {
		out = append(out, strings.Join(path[i:], " ")+": ")
	}
	return out
}

// commandPath is the command name and the subcommands args start with
// ("alerts", "recharge", "list"), each as its help names it (an alias
// such as `users rm` is "remove"), as far as they are subcommands
// (the subcommands table): an argument (`restore FILE`), a flag or a
// name that is no subcommand ends it.
func commandPath(name string, args []string) []string {
	path := []string{name}
	for _, a := range args {
		cmd := strings.Join(path, " ")
		if to, ok := aliases[cmd][a]; ok {
			a = to
		}
		if !slices.Contains(subcommands[cmd], a) {
			break
		}
		path = append(path, a)
	}
	return path
}

// noWorkspaceError: the data folder has no workspace — no database, or
// one whose workspace was never set up (a setup that failed or was cut
// short, a window closed at its first-run wizard) — and the command may
// not make one (Command.Creates). It is team.ErrNotSetUp for errors.Is.
type noWorkspaceError struct {
	dir      string
	explicit bool // the folder was given with --data-dir
	notSetUp bool // the folder has a database, with no workspace
	opened   bool // found so only once the database was opened (which may have changed the folder)
}

func (e *noWorkspaceError) Error() string {
	what := "no Meterdesk workspace in " + e.dir
	if e.notSetUp {
		what += " yet (its database has no workspace: it was never set up)"
	}
	if e.explicit {
		unchanged := "; nothing was changed"
		if e.opened {
			unchanged = ""
		}
		return fmt.Sprintf("%s: run `meterdesk workspace setup` there "+
			"(or `meterdesk restore FILE` to bring a backup), or check --data-dir%s", what, unchanged)
	}
	if !e.notSetUp {
		what += " yet"
	}
	return fmt.Sprintf("%s: set one up with `meterdesk workspace setup` "+
		"or in the window (`meterdesk` without a command), or `meterdesk restore FILE` a backup; "+
		"--data-dir DIR names another folder", what)
}

func (e *noWorkspaceError) Unwrap() error { return team.ErrNotSetUp }

// noMembersYet refuses --user before the workspace is set up: there is no
// member to sign in as (the system acts until setup adds the first admin).
func noMembersYet(user string) error {
	return fmt.Errorf("--user %s: %w: it has no members to sign in as; leave out --user until "+
		"`meterdesk workspace setup` has added the first admin", user, team.ErrNotSetUp)
}

// openOptions says how Env.open treats the data folder.
type openOptions struct {
	// leaveRestore leaves a restore staged in the window staged
	// (core.Options.LeaveRestore).
	leaveRestore bool
	// notSetUp opens a database with no workspace too, where signIn has
	// the system act and refuses --user: `restore --check`, `--status` and
	// `--cancel` work there, as `restore FILE` does.
	notSetUp bool
}

// open opens the backend on env.DataDir and signs env.User in, setting
// env.Backend and env.Ctx; the caller calls the returned close. A data
// folder without a workspace is refused (*noWorkspaceError) before
// anything is written to it: one without a database before anything is
// created, one whose database has no workspace (nobody ever finished
// setting it up) before it is opened, migrated or locked
// (core.Open's RequireWorkspace decides it in the read-only look it makes
// before opening: one look, not a second open; o.notSetUp opens it
// instead), so
// that no command runs as the system actor on a database with no
// workspace and the refusal's "nothing was changed" holds. (`workspace
// setup` does not come here: Command.Creates.) A restore staged in the
// window that this open finished is reported on stderr.
func (e *Env) open(o openOptions) (func(), error) {
	has, err := core.HasDatabase(e.DataDir)
	if err != nil {
		return nil, err
	}
	if !has {
		return nil, e.noWorkspace(false)
	}
	b, err := core.Open(e.Ctx, core.Options{DataDir: e.DataDir, Version: Version, LeaveRestore: o.leaveRestore,
		RequireWorkspace: !o.notSetUp})
	if errors.Is(err, core.ErrNoWorkspace) {
		return nil, e.noWorkspace(true)
	}
	if err != nil {
		return nil, err
	}
	e.noteRestored(b)
	// Where the look could not tell (a staged restore this open
	// finished may have brought a database with no workspace), the open
	// decides, and it may have changed the folder.
	need, err := b.Team.NeedsSetup(e.Ctx)
	if err != nil || need && !o.notSetUp {
		b.Close()
		if err != nil {
			return nil, err
		}
		none := e.noWorkspace(true)
		none.opened = true
		return nil, none
	}
	e.Backend = b
	actor, err := signIn(e, e.User)
	if err != nil {
		b.Close()
		e.Backend = nil
		return nil, err
	}
	e.Ctx = access.WithActor(e.Ctx, actor)
	return func() { b.Close() }, nil
}

// noWorkspace is the error for env's data folder without a workspace;
// notSetUp: it has a database, with no workspace.
func (e *Env) noWorkspace(notSetUp bool) *noWorkspaceError {
	dir := e.DataDir
	if dir == "" {
		dir, _ = store.DefaultDir()
	}
	return &noWorkspaceError{dir: dir, explicit: e.DataDir != "", notSetUp: notSetUp}
}

// noteRestored reports on stderr a restore staged in the window that
// opening b finished.
func (e *Env) noteRestored(b *core.Backend) {
	if r := b.Restored(); r != nil {
		fmt.Fprintf(e.Err, "meterdesk: finished the restore from %s staged by %s; the database it replaced is kept as %s\n",
			r.Backup.File, r.StagedBy, r.Kept)
	}
}

func signIn(env *Env, user string) (access.Actor, error) {
	mu.Lock()
	a := authn
	mu.Unlock()
	if a == nil {
		return access.System, nil
	}
	return a(env, user)
}

// usageFor picks from a command's usage text the lines of the subcommand
// that was called (`meterdesk credits topup …` for `credits topup`), with
// their continuation lines, or the first line when there is none. A line
// naming several subcommands (`meterdesk credits expire | void-stale |
// verify`, `meterdesk users disable|enable USER`) is the called one's, and
// is given with that one alone (`meterdesk credits verify`). An alias
// (`users rm`) has the lines of the subcommand it stands for (`meterdesk
// users remove USER …`; it had the command's first line, `users list`'s).
// A usage that lists its subcommands under `meterdesk NAME <subcommand>`
// (providers) gives the called one's synopsis there (subEntry's first
// line: `meterdesk providers test ID|NAME`; it gave `meterdesk providers
// <subcommand>`).
func usageFor(usage, name string, args []string) string {
	lines := usageLines(usage, name, args)
	if len(args) == 0 || strings.HasPrefix(args[0], "-") || strings.HasPrefix(lines, "meterdesk "+name+" "+args[0]) {
		return lines
	}
	sub := args[0]
	if to, ok := aliases[name][sub]; ok {
		sub = to
	}
	if lines == firstLine(usage) {
		if entry := subEntry(usage, name, sub); entry != "" {
			return firstLine(entry)
		}
	}
	return lines
}

// usageLines is usageFor without its entries of a usage listing its
// subcommands under `meterdesk NAME <subcommand>`: the called
// subcommand's lines, or the usage's first line.
func usageLines(usage, name string, args []string) string {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return firstLine(usage)
	}
	sub := args[0]
	if to, ok := aliases[name][sub]; ok {
		sub = to
	}
	var picked []string
	in := false
	for _, line := range strings.Split(usage, "\n") {
		switch {
		case strings.HasPrefix(line, "meterdesk "):
			names, rest := synopsisNames(line, name)
			in = slices.Contains(names, sub)
			if in && len(names) > 1 {
				line = "meterdesk " + name + " " + sub + rest
			}
		case strings.TrimSpace(line) == "" || !strings.HasPrefix(line, " "):
			in = false
		}
		if in {
			picked = append(picked, line)
		}
	}
	if len(picked) == 0 {
		return firstLine(usage)
	}
	return strings.Join(picked, "\n")
}

// synopsisWords is a usage line's command, its subcommand or subcommands
// ("a | b" or "a|b"), and the rest of the line.
var synopsisWords = regexp.MustCompile(`^meterdesk (\S+) ([a-z][a-z0-9-]*(?: ?\| ?[a-z][a-z0-9-]*)*)(.*)$`)

// synopsisNames gives the subcommands a usage line of command name is for
// ("topup" for `meterdesk credits topup [--account pool] …`; "expire",
// "void-stale" and "verify" for `meterdesk credits expire | void-stale |
// verify`) and the rest of the line after them; none for a line of
// another command or one without a subcommand.
func synopsisNames(line, name string) (names []string, rest string) {
	m := synopsisWords.FindStringSubmatch(line)
	if m == nil || m[1] != name {
		return nil, ""
	}
	for _, n := range strings.Split(m[2], "|") {
		names = append(names, strings.TrimSpace(n))
	}
	return names, m[3]
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}

func printHelp(w io.Writer) {
	fmt.Fprintf(w, `Meterdesk %s — metered AI chat and team credits, offline-first.

Usage:
  meterdesk [--data-dir DIR]                 open the desktop window
  meterdesk [global flags] <command> [args]  run a command without a window

Commands:
`, Version)
	width := 0
	for _, c := range sortedCommands() {
		width = max(width, len(c.Name))
	}
	for _, c := range sortedCommands() {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.Name, c.Summary)
	}
	fmt.Fprint(w, `
Global flags (before the command, or after it):
  --data-dir DIR  use DIR instead of the user data folder; only
                  'workspace setup' (and 'restore FILE') start a workspace
                  in a folder that has none, other commands refuse it
  --json          machine-readable output
  --user NAME     act as this member (password from METERDESK_PASSWORD or stdin;
                  at a terminal it is prompted for and not echoed); refused
                  before 'workspace setup' has added the first member
  -h, --help      the command's help

A value starting with '-' goes right after its flag (--note -h is the note
"-h"); an argument or prompt starting with '-' goes after '--':
meterdesk chat --model M -- "-h, explained".

`)
	fmt.Fprint(w, exitCodesHelp)
	fmt.Fprint(w, `
Run 'meterdesk help <command>' for a command's usage.
`)
}

func printCommandHelp(w io.Writer, c Command) {
	fmt.Fprintf(w, "meterdesk %s — %s\n", c.Name, c.Summary)
	if c.Usage != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.Usage))
	}
	if c.Example != "" {
		fmt.Fprintf(w, "\nExample:\n")
		for _, l := range strings.Split(strings.TrimSpace(c.Example), "\n") {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
}

// printHelpOf prints the help of path, a command (["credits"]: its whole
// help) or one of its subcommands (["credits", "balance"]: that one's).
func printHelpOf(w io.Writer, c Command, path []string) {
	if len(path) < 2 || c.Usage == "" {
		printCommandHelp(w, c)
		return
	}
	name := strings.Join(path, " ")
	fmt.Fprintf(w, "meterdesk %s — in meterdesk %s: %s\n", name, c.Name, c.Summary)
	fmt.Fprintf(w, "\n%s\n", subUsage(c.Usage, c.Name, path[1:]))
	if notes := usageNotes(c.Usage); notes != "" {
		fmt.Fprintf(w, "\n%s\n", notes)
	}
	var examples []string
	for _, l := range strings.Split(strings.TrimSpace(c.Example), "\n") {
		if l == "meterdesk "+name || strings.HasPrefix(l, "meterdesk "+name+" ") {
			examples = append(examples, l)
		}
	}
	if len(examples) > 0 {
		fmt.Fprintf(w, "\nExample:\n")
		for _, l := range examples {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
	fmt.Fprintf(w, "\nEvery %s subcommand: meterdesk help %s\n", c.Name, c.Name)
}

// subUsage is the usage lines of the subcommand subs of command name
// (["packages", "save"]), with their continuation lines: the lines
// usageLines gives, or, for a usage listing its subcommands under
// `meterdesk NAME <subcommand>` (providers), the entry of subs[0] there
// ("  add --name N …" and its description), given as `meterdesk NAME add
// --name N …` with the description under it.
func subUsage(usage, name string, subs []string) string {
	picked := usageLines(usage, name, subs)
	if !strings.HasPrefix(picked, "meterdesk "+name+" "+subs[0]) {
		if entry := subEntry(usage, name, subs[0]); entry != "" {
			return entry
		}
		return picked
	}
	if len(subs) < 2 {
		return picked
	}
	// A subcommand's subcommand (`credits packages save`): its lines among
	// its parent's.
	var out []string
	in := false
	for _, line := range strings.Split(picked, "\n") {
		if strings.HasPrefix(line, "meterdesk ") {
			words := strings.Fields(line)
			in = len(words) > 2+len(subs)-1 && slices.Equal(words[2:2+len(subs)], subs)
		}
		if in {
			out = append(out, line)
		}
	}
	if len(out) == 0 {
		return picked
	}
	return strings.Join(out, "\n")
}

// subEntry is the entry of sub in a usage that lists the subcommands of
// name indented under `meterdesk NAME <subcommand>`: its synopsis after
// `meterdesk NAME`, then its description, or "" when there is none.
var entryColumns = regexp.MustCompile(`^  (\S.*?)(?:\s{2,}(\S.*))?$`)

func subEntry(usage, name, sub string) string {
	var out []string
	for _, line := range strings.Split(usage, "\n") {
		if len(out) > 0 {
			if !strings.HasPrefix(line, "   ") || strings.TrimSpace(line) == "" {
				break
			}
			out = append(out, "  "+strings.TrimSpace(line))
			continue
		}
		m := entryColumns.FindStringSubmatch(line)
		if m == nil || (m[1] != sub && !strings.HasPrefix(m[1], sub+" ")) {
			continue
		}
		out = append(out, "meterdesk "+name+" "+m[1])
		if m[2] != "" {
			out = append(out, "  "+m[2])
		}
	}
	return strings.Join(out, "\n")
}

// usageNotes is what a command's usage says besides its subcommands'
// lines: its paragraphs that start with neither `meterdesk …` nor an
// indented entry.
func usageNotes(usage string) string {
	var notes []string
	for _, p := range strings.Split(strings.TrimSpace(usage), "\n\n") {
		if p = strings.Trim(p, "\n"); p == "" || strings.HasPrefix(p, "meterdesk ") || strings.HasPrefix(p, " ") {
			continue
		}
		notes = append(notes, p)
	}
	return strings.Join(notes, "\n\n")
}
