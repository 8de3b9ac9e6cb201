package cli

import (
	"fmt"
	"io"
	"strings"

	"meterdesk/backend/prefs"
)

func init() {
	Register(Command{
		Name: "settings", Summary: "read or change app preferences (workspace name, theme, density)",
		Example: `meterdesk settings set ui.theme dark`,
		Usage: `meterdesk settings list
meterdesk settings get KEY
meterdesk settings set KEY VALUE

A value the key has already (spaces around it trimmed) is written not at
all: set says "KEY unchanged: it was VALUE already (nothing written)"
("unchanged": true with --json).

Keys:
` + settingsKeys(),
		Run: runSettings,
	})
}

// settingsKeys lists the preferences for the help: each key, what it is, the
// values it takes, and whether only an admin may change it.
func settingsKeys() string {
	var b strings.Builder
	for _, k := range prefs.Keys() {
		fmt.Fprintf(&b, "  %-15s %s", k.Name, k.Description)
		if len(k.Choices) > 0 {
			fmt.Fprintf(&b, ": %s", strings.Join(k.Choices, ", "))
		}
		if k.AdminOnly {
			b.WriteString(" (admins)")
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func runSettings(env *Env, args []string) error {
	if _, _, err := subcommand("settings", args); err != nil {
		return err
	}
	p := env.Backend.Prefs
	switch args[0] {
	case "list":
		if err := noArgs(env, "settings list", args[1:]); err != nil {
			return err
		}
		type row struct {
			prefs.Key
			Value string `json:"value"`
		}
		var rows []row
		for _, k := range prefs.Keys() {
			v, err := p.Get(env.Ctx, k.Name)
			if err != nil {
				return err
			}
			rows = append(rows, row{k, v})
		}
		return env.Print(rows, func(w io.Writer) {
			for _, r := range rows {
				fmt.Fprintf(w, "%-16s %s\n", r.Name, r.Value)
			}
		})
	case "get":
		pos, err := onlyArgs(env, "settings get", args[1:], "KEY")
		if err != nil {
			return err
		}
		v, err := p.Get(env.Ctx, pos[0])
		if err != nil {
			return err
		}
		return env.Print(map[string]string{"key": pos[0], "value": v}, func(w io.Writer) { fmt.Fprintln(w, v) })
	case "set":
		pos, err := onlyArgs(env, "settings set", args[1:], "KEY", "VALUE")
		if err != nil {
			return err
		}
		ch, err := p.Change(env.Ctx, pos[0], pos[1])
		if err != nil {
			return err
		}
		return env.Print(ch, func(w io.Writer) {
			if ch.Unchanged {
				fmt.Fprintf(w, "%s unchanged: it was %s already (nothing written)\n", ch.Key, forTerminal(w)(ch.Value))
				return
			}
			fmt.Fprintf(w, "%s = %s\n", ch.Key, forTerminal(w)(ch.Value))
		})
	default:
		return unknownSubcommand("settings", args[0], nil)
	}
}
