package cli

import (
	"fmt"
	"io"
)

func init() {
	Register(Command{
		Name: "help", Summary: "show help for Meterdesk or a command", NoBackend: true,
		Usage: "meterdesk help [command]",
		Run: func(env *Env, args []string) error {
			if len(args) == 0 {
				printHelp(env.Out)
				return nil
			}
			c, ok := lookup(args[0])
			if !ok {
				return Usagef("unknown command %q", args[0])
			}
			printCommandHelp(env.Out, c)
			return nil
		},
	})
	Register(Command{
		Name: "version", Summary: "print the version", NoBackend: true,
		Usage: "meterdesk version [--json]",
		Run: func(env *Env, args []string) error {
			if len(args) > 0 {
				return Usagef("version takes no arguments")
			}
			return env.Print(map[string]string{"version": Version}, func(w io.Writer) {
				fmt.Fprintf(w, "meterdesk %s\n", Version)
			})
		},
	})
	Register(Command{
		Name: "backup", Summary: "write a consistent copy of the database (VACUUM INTO)",
		Usage: "meterdesk backup --out FILE",
		Run: func(env *Env, args []string) error {
			fs := env.Flags("backup")
			out := fs.String("out", "", "file to write the backup to (must not exist)")
			if err := fs.Parse(args); err != nil {
				return flagError(err)
			}
			if fs.NArg() > 0 {
				return Usagef("unexpected argument %q", fs.Arg(0))
			}
			if *out == "" {
				return Usagef("--out FILE is required")
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
