package cli

import (
	"errors"
	"fmt"
	"io"

	"meterdesk/backend/core"
)

func init() {
	Register(Command{
		Name: "help", Summary: "show help for Meterdesk or a command",
		Example: `meterdesk help credits`, NoBackend: true,
		Usage: "meterdesk help [command]",
		Run: func(env *Env, args []string) error {
			c, err := helpCall(env, args)
			if err != nil {
				return err
			}
			if c == nil {
				printHelp(env.Out)
				return nil
			}
			printCommandHelp(env.Out, *c)
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
// [WORDS]]`, and gives the command whose help it shows (nil: Meterdesk's).
// A flag before the command's name is help's own unknown flag (`help
// --bogus`), with no line to give it after "--": no command starts with
// "-". The words after the name are checked as the command checks them
// (helpWords). `help help WORDS` checks WORDS here too, so `help help -x`
// is refused as `help -x` is: an unknown flag, not an unknown command.
func helpCall(env *Env, args []string) (*Command, error) {
	if self, _ := lookup("help"); env.helpFlag && helpTopic(self, args) == "" {
		return &self, nil // `help help -h --bogus` as `help -h --bogus`: help's own help
	}
	i := 0
	for i < len(args) && len(args[i]) > 1 && args[i][0] == '-' && args[i] != "--" {
		i++
	}
	if _, err := parseArgsNamed(env.Flags("help"), args[:i], []string{}); err != nil {
		return nil, err
	}
	if i < len(args) && args[i] == "--" {
		i++
	}
	if i >= len(args) {
		return nil, nil
	}
	c, ok := lookup(args[i])
	if !ok {
		return nil, Usagef("unknown command %q%s", args[i], didYouMean(args[i], commandNames(), ""))
	}
	if err := helpWords(env, c.Name, args[i+1:]); err != nil {
		if te := (*topicError)(nil); errors.As(err, &te) {
			return nil, err // `help help credits extra`: said as credits says it
		}
		return nil, &topicError{cmd: c, args: args[i+1:], err: err}
	}
	return &c, nil
}

// helpWords checks the words after `help COMMAND` as COMMAND checks its
// subcommands (subcommand): `help credits balanse` is refused as `credits
// balanse` is (did you mean "balance"?), `help credits --bogus -h` as
// `credits --bogus -h`; a word after a command or subcommand that has no
// subcommands is refused, with the line that shows its help (it was
// ignored: `help credits extra` showed credits' help), but for a "--" there
// (`help credits balance --`, as `credits balance --` takes it). A -h or
// --help Run took as the global flag (env.helpFlag) prints COMMAND's help
// whatever the words, as `credits -h --bogus` does: `help credits -h
// --bogus` shows it too. After `help help` the words are help's own
// (helpCall): a command's name, its words checked so (`help help credits`
// shows help's help, as `help credits` is a call; `help help credits extra`
// is refused as `help credits extra` is, `help help -x` as `help -x`).
func helpWords(env *Env, cmd string, words []string) error {
	if env.helpFlag && cmd != "help" {
		return nil
	}
	path := cmd
	for i, w := range words {
		if w == "-h" || w == "-help" || w == "--help" { // help asked again (`help -- limits -h`)
			continue
		}
		if _, ok := subcommands[path]; !ok {
			if path == "help" {
				_, err := helpCall(env, words[i:])
				return err
			}
			if w == "--" {
				continue
			}
			return Usagef("%s: unexpected argument %q after it in help (for its help: meterdesk help %s)", path, w, path)
		}
		sub, _, err := subcommand(path, words[i:])
		if err != nil {
			return err
		}
		path += " " + sub
	}
	return nil
}

// topicError is a refusal of the words after `help COMMAND`, said as
// COMMAND says it, with COMMAND's usage (Run).
type topicError struct {
	cmd  Command
	args []string
	err  error
}

func (e *topicError) Error() string { return e.err.Error() }
func (e *topicError) Unwrap() error { return e.err }
