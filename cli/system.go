package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"meterdesk/backend/core"
)

func init() {
	Register(Command{
		Name: "help", Summary: "show help for Meterdesk or a command",
		Example: `meterdesk help credits`, NoBackend: true,
		Usage: "meterdesk help [command]",
		Run: func(env *Env, args []string) error {
			cut := len(args)
			if env.helpFlag {
				cut = env.helpArgs
			}
			c, path, err := helpCall(env, args, cut)
			if err != nil {
				return err
			}
			if c == nil {
				printHelp(env.Out)
				return nil
			}
			printHelpOf(env.Out, *c, path)
			return nil
		},
	})
	Register(Command{
		Name: "version", Summary: "print the version",
		Example: `meterdesk version --json`, NoBackend: true,
		Usage: "meterdesk version [--json]",
		Run: func(env *Env, args []string) error {
			if err := noArgs(env, "version", args); err != nil {
				return err
			}
			return env.Print(map[string]string{"version": Version}, func(w io.Writer) {
				fmt.Fprintf(w, "meterdesk %s\n", Version)
			})
		},
	})
	Register(Command{
		Name: "check", Summary: "check every page of the database for damage (read-only, no sign-in)",
		Example: `meterdesk check --json`, NoBackend: true,
		Usage: `meterdesk check [--json]

Reads the whole database file and checks it as SQLite's quick_check does,
with its header, schema and version, writing nothing: what every start
checks only after a shutdown that did not close the database, or before
it upgrades it. It needs no sign-in and works on a damaged database that
other commands refuse; beside an open window it reads what the window has
written, and it waits a moment for a restore being finished by another
Meterdesk process. An admin can run the same check in the window:
Settings → General → Check database. Exit 0: no damage; 1: damaged (restore a backup
with 'meterdesk restore FILE'), or written by a newer Meterdesk (update
this one), or not a Meterdesk database; 4: busy, another Meterdesk
process finishing a restore held the folder longer than 10 s (try again);
5: no database in the data folder (none, or an empty file); stopped by
Ctrl-C it says it was interrupted (exit 1, no verdict). With --json, a
damaged database (or one a newer Meterdesk wrote) prints
{"ok": false, "problem": "..."} too, as the window's check has it. The
ledger's own sums are checked by 'meterdesk credits verify'.`,
		Run: func(env *Env, args []string) error {
			fs := env.Flags("check")
			if err := parseFlags(fs, args); err != nil {
				return err
			}
			c, err := core.CheckDatabase(env.Ctx, env.DataDir)
			if v, ok := core.CheckVerdict(c, err); ok && env.JSON {
				// The verdict as the window's check has it, then the
				// error line and exit 1 as without --json.
				if perr := env.Print(v, nil); perr != nil {
					return perr
				}
				return err
			}
			if err != nil {
				return err
			}
			return env.Print(c, func(w io.Writer) {
				fmt.Fprintf(w, "no damage in %s (%s): every page checked\n", c.File, humanBytes(c.Bytes))
			})
		},
	})
	Register(Command{
		Name: "backup", Summary: "write a consistent copy of the database (VACUUM INTO)",
		Example: `meterdesk backup --out meterdesk-2026-01-31.db`,
		Usage:   "meterdesk backup --out FILE",
		Run: func(env *Env, args []string) error {
			fs := env.Flags("backup")
			out := fs.String("out", "", "new file to write the backup to (never one that exists)")
			if err := parseFlags(fs, args); err != nil {
				return err
			}
			if *out == "" {
				return Usagef("--out FILE is required")
			}
			if *out == "-" { // every export's standard output; a backup is a database file
				return Usagef("a backup cannot go to standard output (--out -): name a new file, such as %s",
					env.Backend.SuggestBackupName(env.Ctx, "."))
			}
			if err := env.Backend.Backup(env.Ctx, *out); err != nil {
				return err
			}
			return env.Print(map[string]string{"backup": *out}, func(w io.Writer) {
				fmt.Fprintf(w, "backup written to %s\n", *out)
			})
		},
	})
}

// humanBytes writes n bytes as people read a file's size: "812 KB",
// "193.4 MB".
func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// helpCall checks the words of a help call, `help [FLAGS] [--] [COMMAND
// [WORDS]]`, and gives the command and the subcommand path whose help it
// shows (nil: Meterdesk's). A flag before the command's name is help's own
// unknown flag (`help --bogus`), with no line to give it after "--": no
// command starts with "-". The words after the name are checked as the
// command checks them (helpTarget), those before cut (where a -h taken as
// the global flag was: `help credits -h --bogus` reads no --bogus, as
// `credits -h --bogus` does not). `help help WORDS` checks WORDS here too,
// so `help help -x` is refused as `help -x` is: an unknown flag, not an
// unknown command.
func helpCall(env *Env, args []string, cut int) (*Command, []string, error) {
	self, _ := lookup("help")
	if env.helpFlag && helpTopic(self, args) == "" {
		return &self, []string{"help"}, nil // `help help -h --bogus` as `help -h --bogus`: help's own help
	}
	i := 0
	for i < len(args) && len(args[i]) > 1 && args[i][0] == '-' && args[i] != "--" {
		i++
	}
	if _, err := parseArgsNamed(env.Flags("help"), args[:i], []string{}); err != nil {
		return nil, nil, err
	}
	if i < len(args) && args[i] == "--" {
		i++
	}
	if i >= len(args) {
		return nil, nil, nil
	}
	c, ok := lookup(args[i])
	if !ok {
		return nil, nil, Usagef("unknown command %q%s", args[i], didYouMean(args[i], commandNames(), ""))
	}
	words := args[i+1 : max(cut, i+1)]
	path, err := helpTarget(env, c, words)
	if err != nil {
		if te := (*topicError)(nil); errors.As(err, &te) {
			return nil, nil, err // `help help credits extra`: said as credits says it
		}
		return nil, nil, &topicError{cmd: c, args: words, err: err}
	}
	return &c, path, nil
}

// helpTarget checks the words after a command's name whose help is asked
// for, `help COMMAND WORDS` and `COMMAND WORDS -h` alike, as the command
// checks them, and gives the subcommand path whose help that is
// (["credits", "balance"]). A subcommand is checked as the command checks
// it (subcommand): `help credits balanse` is refused as `credits balanse`
// is (did you mean "balance"?), `help credits --bogus -h` as `credits
// --bogus -h`. The words after the last subcommand are the call's
// arguments: its flags are checked by the command's own parser, run dry
// (dryFlags: `help credits balance --bogus -h` says "unknown flag --bogus"
// as `credits balance --bogus -h` does), its other words are taken (`help
// rates set openai gpt-4o` shows rates set's help, as `rates set openai
// gpt-4o -h` does). After `help help` the words are help's own (helpCall):
// a command's name, its words checked so (`help help credits` shows help's
// help, as `help credits` is a call; `help help credits extra` is refused
// as `help credits extra` is, `help help -x` as `help -x`).
func helpTarget(env *Env, c Command, words []string) ([]string, error) {
	path, typed := []string{c.Name}, []string{}
	for i := 0; i < len(words); i++ {
		p := strings.Join(path, " ")
		if p == "help" {
			if _, _, err := helpCall(env, words[i:], len(words)-i); err != nil {
				return nil, err
			}
			return path, nil
		}
		w := words[i]
		_, group := subcommands[p]
		if group && (w == "-h" || w == "-help" || w == "--help") { // help asked again (`help -- limits -h`)
			continue
		}
		sub, isSub := aliases[p][w]
		if !isSub {
			sub, isSub = w, slices.Contains(subcommands[p], w)
		}
		if !group || !isSub {
			// The call's own words from here (`credits balance --bogus`,
			// `credits balanse`, `credits packages --bogus`): checked by
			// the command itself, as far as its flags.
			return path, dryFlags(env, c, append(typed, words[i:]...))
		}
		path, typed = append(path, sub), append(typed, w)
	}
	return path, nil
}

// dryFlags runs c with args only as far as its first parse of flags
// (Env.dry: parseArgsNamed returns its verdict as a dryStop), with no
// database open, and returns that parse's refusal, if any: an unknown flag,
// a flag without its value, another subcommand's flag; or the refusal of
// its words before it ("unknown subcommand", `credits packages sav`). The Backend it
// runs with has no service in it (a command may name one, `t :=
// env.Backend.Team`, before it parses its flags); a call that would use
// one before its parse reaches none and is taken as it is
// (TestHelpAgreesWithDashH checks that every subcommand reaches it).
func dryFlags(env *Env, c Command, args []string) error {
	if err := dryVerdict(env, c, args); !errors.Is(err, flag.ErrHelp) {
		return err
	}
	return nil
}

// dryVerdict is dryFlags with flag.ErrHelp when the first parse took a -h
// or --help as the help flag (`users list --all -h`).
func dryVerdict(env *Env, c Command, args []string) (err error) {
	d := &Env{Ctx: env.Ctx, Backend: &core.Backend{}, In: strings.NewReader(""), Out: io.Discard, Err: io.Discard,
		JSON: env.JSON, DataDir: env.DataDir, User: env.User, Command: c.Name, dry: true}
	defer func() {
		if recover() != nil { // a service used before the parse
			err = nil
		}
	}()
	var stop dryStop
	var ue *UsageError
	switch err := c.Run(d, args); {
	case errors.As(err, &stop):
		return stop.err
	case !errors.As(err, &stop) && errors.As(err, &ue): // its words refused before its flags (`credits balanse`)
		return err
	}
	return nil
}

// dryStop is the verdict of the first parse of a dry run (dryFlags): nil
// when the flags were fine.
type dryStop struct{ err error }

func (e dryStop) Error() string { return fmt.Sprintf("flags checked: %v", e.err) }

// topicError is a refusal of the words after `help COMMAND`, said as
// COMMAND says it, with COMMAND's usage (Run).
type topicError struct {
	cmd  Command
	args []string
	err  error
}

func (e *topicError) Error() string { return e.err.Error() }
func (e *topicError) Unwrap() error { return e.err }
