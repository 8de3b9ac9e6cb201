package cli

import (
	"slices"
	"strings"
	"testing"
)

// TestEveryCommandsErrorNamesItOnce: an error names the command run once, with
// its subcommand: "meterdesk conversations list: unknown flag --zzqx".
// It said "meterdesk conversations: conversations list: unknown flag …"
// for an alias (`conversations ls`), and "meterdesk providers: providers
// remove: …" or "meterdesk users: member …" with no subcommand. Every
// command and every subcommand of the CLI's own tables (commands,
// subcommands, aliases) is run with a flag none takes.
func TestEveryCommandsErrorNamesItOnce(t *testing.T) {
	dir := newDatabase(t)
	type call struct {
		args []string
		path string
	}
	var calls []call
	var walk func(args []string, path string)
	walk = func(args []string, path string) {
		subs := subcommands[path]
		if len(subs) == 0 {
			calls = append(calls, call{args, path})
			return
		}
		for _, s := range subs {
			walk(append(slices.Clone(args), s), path+" "+s)
		}
		for alias, to := range aliases[path] {
			if len(subcommands[path+" "+to]) == 0 {
				calls = append(calls, call{append(slices.Clone(args), alias), path + " " + to})
			}
		}
	}
	for _, c := range sortedCommands() {
		walk([]string{c.Name}, c.Name)
	}
	if len(calls) < 60 {
		t.Fatalf("only %d calls: the tables were not walked", len(calls))
	}
	for _, c := range calls {
		args := append([]string{"--data-dir", dir}, append(c.args, "--zzqx")...)
		code, _, errs := run(t, args...)
		line, _, _ := strings.Cut(errs, "\n")
		if code == 0 || !strings.HasPrefix(line, "meterdesk "+c.path+": ") {
			t.Errorf("%v: exit %d, %q: want it to start %q", c.args, code, line, "meterdesk "+c.path+": ")
			continue
		}
		// Named again: the command as typed or as its help names it, or
		// the command's name at the start of the words.
		rest := strings.TrimPrefix(line, "meterdesk "+c.path+": ")
		name, _, _ := strings.Cut(c.path, " ")
		for _, again := range []string{strings.Join(c.args, " ") + " ", strings.Join(c.args, " ") + ":", c.path + " ", c.path + ":"} {
			if strings.Contains(rest, again) || strings.HasPrefix(rest, name+" ") || strings.HasPrefix(rest, name+":") {
				t.Errorf("%v: %q names the command again", c.args, line)
				break
			}
		}
	}
}
