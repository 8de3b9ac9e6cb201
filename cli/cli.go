// Package cli is Meterdesk's headless command line, built into the same
// binary as the window. Every command calls the same backend services
// (backend/core) as the UI; nothing here holds business logic.
//
// Each command group registers itself from its own file with Register in an
// init function. Global flags (--data-dir, --json, --user) may appear anywhere
// before a "--". Errors go to stderr; the exit code is 1 for a failed command
// and 2 for a usage error.
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
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"

	"meterdesk/backend/access"
	"meterdesk/backend/core"
	"meterdesk/backend/store"
)

// Version is the build's version, set by main (from -ldflags).
var Version = "dev"

// Command is one top-level subcommand (`meterdesk <Name> ...`).
type Command struct {
	Name    string
	Summary string // one line for `meterdesk help`
	Usage   string // full help text for `meterdesk help <Name>`
	// NoBackend commands run without opening the database.
	NoBackend bool
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
func (e *Env) Flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("meterdesk "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// flagError turns an error from FlagSet.Parse into a usage error worded
// with the flags' double dashes ("--amount needs a value", "unknown flag
// --bogus"); --help stays flag.ErrHelp (Run prints the command's help).
func flagError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	msg := err.Error()
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

var invalidFlagValue = regexp.MustCompile(`^invalid (boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?-([\w-]+): (.*)$`)

// UsageError is a mistake in how a command was called (exit code 2).
type UsageError struct{ Msg string }

func (u *UsageError) Error() string { return u.Msg }

// Usagef returns a UsageError.
func Usagef(format string, a ...any) error { return &UsageError{Msg: fmt.Sprintf(format, a...)} }

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

// SplitGlobals removes the global flags from args (up to a "--") and returns
// them with the remaining arguments.
func SplitGlobals(args []string) (Globals, []string, error) {
	var g Globals
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") {
			rest = append(rest, a)
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
				return g, nil, err
			}
			if v == "" {
				return g, nil, Usagef("--data-dir must not be empty")
			}
			g.DataDir = v
		case "user":
			v, err := takeValue()
			if err != nil {
				return g, nil, err
			}
			g.User = v
		case "json":
			if hasVal && val != "true" {
				return g, nil, Usagef("--json takes no value")
			}
			g.JSON = true
		case "h", "help":
			g.Help = true
		default:
			rest = append(rest, a)
		}
	}
	return g, rest, nil
}

// Run executes a command line (without the program name) and returns the
// process exit code. It is what main calls when a subcommand is given.
func Run(args []string, in io.Reader, out, errw io.Writer) int {
	g, rest, err := SplitGlobals(args)
	if err != nil {
		fmt.Fprintln(errw, "meterdesk:", err)
		return 2
	}
	if len(rest) == 0 || g.Help && len(rest) == 0 {
		printHelp(out)
		return 0
	}
	name := rest[0]
	cmd, ok := lookup(name)
	if !ok {
		fmt.Fprintf(errw, "meterdesk: unknown command %q (run `meterdesk help`)\n", name)
		return 2
	}
	if g.Help {
		printCommandHelp(out, cmd)
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := &Env{Ctx: ctx, In: in, Out: out, Err: errw, JSON: g.JSON, DataDir: g.DataDir, User: g.User, Command: name}
	if !cmd.NoBackend {
		closeBackend, err := env.open(false)
		if err != nil {
			fmt.Fprintln(errw, "meterdesk:", err)
			switch {
			case errors.Is(err, store.ErrCorrupt):
				fmt.Fprintln(errw, "meterdesk: to put a backup in its place (the damaged file is kept): meterdesk restore FILE")
			case errors.Is(err, store.ErrNewerSchema):
				fmt.Fprintln(errw, "meterdesk: open it with that newer version, or put a backup in its place (the current file is kept): meterdesk restore FILE")
			}
			return 1
		}
		defer closeBackend()
	}
	if err := cmd.Run(env, rest[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) { // -help after the flags SplitGlobals reads
			printCommandHelp(out, cmd)
			return 0
		}
		var ue *UsageError
		if errors.As(err, &ue) {
			fmt.Fprintf(errw, "meterdesk %s: %v\n", name, err)
			if cmd.Usage != "" {
				fmt.Fprintf(errw, "usage: %s\n", usageFor(cmd.Usage, name, rest[1:]))
			}
			return 2
		}
		fmt.Fprintf(errw, "meterdesk %s: %v\n", name, err)
		return 1
	}
	return 0
}

// open opens the backend on env.DataDir and signs env.User in, setting
// env.Backend and env.Ctx; the caller calls the returned close. A restore
// staged in the window that this open finished is reported on stderr;
// leaveRestore leaves it staged.
func (e *Env) open(leaveRestore bool) (func(), error) {
	fresh := !hasDatabase(e.DataDir)
	b, err := core.Open(e.Ctx, core.Options{DataDir: e.DataDir, Version: Version, LeaveRestore: leaveRestore})
	if err != nil {
		return nil, err
	}
	if fresh && e.Command != "workspace" && e.Command != "restore" {
		// A mistyped --data-dir, or a folder on a drive that is not
		// mounted, would otherwise read as an empty workspace.
		fmt.Fprintf(e.Err, "meterdesk: %s had no Meterdesk data: a new, empty database was made there "+
			"(set it up with `meterdesk workspace setup`, or check --data-dir)\n", b.DataDir)
	}
	if r := b.Restored(); r != nil {
		fmt.Fprintf(e.Err, "meterdesk: finished the restore from %s staged by %s; the database it replaced is kept as %s\n",
			r.Backup.File, r.StagedBy, r.Kept)
	}
	e.Backend = b
	actor, err := signIn(e, e.User)
	if err != nil {
		b.Close()
		return nil, err
	}
	e.Ctx = access.WithActor(e.Ctx, actor)
	return func() { b.Close() }, nil
}

// hasDatabase reports whether the data folder dir ("" = the default) holds
// a database with something in it.
func hasDatabase(dir string) bool {
	if dir == "" {
		var err error
		if dir, err = store.DefaultDir(); err != nil {
			return false
		}
	}
	st, err := os.Stat(filepath.Join(dir, store.FileName))
	return err == nil && st.Size() > 0
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
// their continuation lines, or the first line when there is none.
func usageFor(usage, name string, args []string) string {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return firstLine(usage)
	}
	prefix := "meterdesk " + name + " " + args[0]
	var picked []string
	in := false
	for _, line := range strings.Split(usage, "\n") {
		switch {
		case strings.HasPrefix(line, "meterdesk "):
			in = line == prefix || strings.HasPrefix(line, prefix+" ")
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
	for _, c := range sortedCommands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.Name, c.Summary)
	}
	fmt.Fprint(w, `
Global flags:
  --data-dir DIR  use DIR instead of the user data folder
  --json          machine-readable output
  --user NAME     act as this member (password from METERDESK_PASSWORD or stdin;
                  at a terminal it is prompted for and not echoed)

Run 'meterdesk help <command>' for a command's usage.
`)
}

func printCommandHelp(w io.Writer, c Command) {
	fmt.Fprintf(w, "meterdesk %s — %s\n", c.Name, c.Summary)
	if c.Usage != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.Usage))
	}
}
