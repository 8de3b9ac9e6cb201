package cli

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"meterdesk/backend/shellquote"
)

// aliases are the hidden subcommands the CLI takes, by command, each
// with the subcommand it stands for (`users rm` is `users remove`); the
// help names the subcommands alone. subcommand takes these and no other,
// and usageFor shows an alias the usage line of the one it stands for.
var aliases = map[string]map[string]string{
	"conversations": {"ls": "list", "rm": "delete"},
	"providers":     {"rm": "remove"},
	"users":         {"rm": "remove"},
}

// subcommands are the subcommands of each command that has them, as its
// help names them, by command ("alerts recharge" for the subcommands of
// `alerts recharge`): what subcommand takes (with aliases), and what an
// error is said to be of ("meterdesk conversations list: …", commandFailed).
var subcommands = map[string][]string{
	"alerts":          {"show", "set", "notifications", "unread", "read", "recharge"},
	"alerts recharge": {"list", "set", "remove"},
	"apikeys":         {"create", "list", "revoke"},
	"audit":           {"list", "export"},
	"conversations":   {"new", "list", "show", "set", "export", "delete"},
	// `credits packages` lists them; `credits packages save` is one to
	// save, named so in its errors.
	"credits packages": {"save"},
	"credits":          {"balance", "topup", "history", "packages", "transfer", "policy", "value", "validity", "expire", "void-stale", "verify"},
	"departments":      {"list", "add", "update", "archive", "allocate", "move"},
	"invoice":          {"list", "show", "pdf", "credit-note", "parties"},
	"limits":           {"list", "set", "remove"},
	"providers":        {"list", "presets", "add", "update", "test", "models", "remove"},
	"rates":            {"list", "set", "import", "export", "versions", "add-model", "remove-model", "calc"},
	"report":           {"usage"},
	"settings":         {"list", "get", "set"},
	"users":            {"list", "show", "add", "update", "disable", "enable", "remove", "passwd"},
	"workspace":        {"setup", "show", "update"},
}

// subcommand checks that args start with one of cmd's subcommands
// (subcommands: the ones its help names; or one of its aliases, such as "rm"),
// before any flag or argument is read, and returns it, as typed, with what
// follows. A missing one, a flag where it goes, or a name that is none of
// them is a usage error listing them, with the nearest when the name looks
// like a typo of one ("credits balanse": did you mean "balance"?). An
// alias is returned as the subcommand it stands for ("rm" as "remove").
func subcommand(cmd string, args []string) (string, []string, error) {
	shown := subcommands[cmd]
	if len(args) == 0 {
		return "", nil, Usagef("%s: subcommand missing (want %s)", cmd, orList(shown))
	}
	sub := args[0]
	if strings.HasPrefix(sub, "-") && sub != "-" {
		return "", nil, Usagef("%s: the subcommand goes first, before %s (want %s)", cmd, sub, orList(shown))
	}
	if to, ok := aliases[cmd][sub]; ok {
		return to, args[1:], nil // the name the help, the flags and the errors use
	}
	if slices.Contains(shown, sub) {
		return sub, args[1:], nil
	}
	return "", nil, unknownSubcommand(cmd, sub, shown)
}

// unknownSubcommand is the usage error for a subcommand of cmd that is
// not one of subs.
func unknownSubcommand(cmd, sub string, subs []string) error {
	if len(subs) == 0 {
		return Usagef("%s: unknown subcommand %q", cmd, sub)
	}
	return Usagef("%s: unknown subcommand %q%s (want %s)", cmd, sub, didYouMean(sub, subs, ""), orList(subs))
}

// didYouMean is `; did you mean "X"?` for the names nearest to typed
// (prefix before each), or "" when none is near enough to be a slip: the
// start of exactly one name, of at least three letters ("conv" for
// "conversations", "vali" for "validity" rather than "value", two edits
// away), else one edit away (two for names of five letters or more: a
// letter left out, added, changed or two swapped). The start of two or
// more names is no slip but a choice: "credits val" suggests neither
// "value" nor "validity" (the want list names both).
func didYouMean(typed string, names []string, prefix string) string {
	typed = strings.ToLower(typed)
	if typed == "" {
		return ""
	}
	var starts []string
	for _, n := range names {
		if strings.HasPrefix(n, typed) {
			starts = append(starts, n)
		}
	}
	switch {
	case len(starts) > 1:
		return ""
	case len(starts) == 1 && len(typed) >= 3:
		return fmt.Sprintf("; did you mean %q?", prefix+starts[0])
	}
	var best []string
	bestD := 0
	for _, n := range names {
		d := editDistance(typed, n)
		allowed := 1
		if len(n) >= 5 {
			allowed = 2
		}
		if d > allowed || d >= len(typed) {
			continue
		}
		switch {
		case best == nil || d < bestD:
			best, bestD = []string{n}, d
		case d == bestD:
			best = append(best, n)
		}
	}
	if best == nil {
		return ""
	}
	quoted := make([]string, len(best))
	for i, n := range best {
		quoted[i] = fmt.Sprintf("%q", prefix+n)
	}
	return "; did you mean " + strings.Join(quoted, " or ") + "?"
}

// flagNames lists the flags of fs a call may give, for didYouMean: with
// ownFlags, only the subcommand's own (and the global ones).
func flagNames(fs *flag.FlagSet) []string {
	own := ownedFlags(fs)
	var names []string
	fs.VisitAll(func(f *flag.Flag) {
		if own == nil || own[f.Name] || globalNames[f.Name] {
			names = append(names, f.Name)
		}
	})
	return names
}

// owned holds, for a flag set that several subcommands share (one set for
// `users list`, `users add`, …, each subcommand reading its own), the
// flags the subcommand it was made for takes (ownFlags).
var owned sync.Map // *flag.FlagSet → ownedSet

type ownedSet struct {
	own      map[string]bool
	goesWith map[string]string // flagGoesWith
}

// ownFlags says which of fs's flags (besides the global ones) the
// subcommand fs parses for takes: another is refused, not ignored
// (`workspace show --name X` renamed nothing), and only these are
// suggested for a mistyped one (checkOwnFlags, flagNames).
func ownFlags(fs *flag.FlagSet, names ...string) {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		if fs.Lookup(n) == nil {
			panic("cli: ownFlags: " + fs.Name() + " has no flag --" + n)
		}
		m[n] = true
	}
	o, _ := owned.Load(fs)
	set, _ := o.(ownedSet)
	set.own = m
	owned.Store(fs, set)
}

// flagGoesWith words the refusal of flag name where ownFlags leaves it
// out: "--return-credits goes with " + where.
func flagGoesWith(fs *flag.FlagSet, name, where string) {
	o, _ := owned.Load(fs)
	set, _ := o.(ownedSet)
	if set.goesWith == nil {
		set.goesWith = map[string]string{}
	}
	set.goesWith[name] = where
	owned.Store(fs, set)
}

func ownedFlags(fs *flag.FlagSet) map[string]bool {
	if fs == nil {
		return nil
	}
	o, _ := owned.Load(fs)
	set, _ := o.(ownedSet)
	return set.own
}

// checkOwnFlags refuses a flag given to fs's subcommand that is another
// subcommand's (ownFlags): `workspace show: unexpected flag --name (it
// takes no flags)`, `users list: unexpected flag --role (it takes --all)`.
func checkOwnFlags(fs *flag.FlagSet) error {
	own := ownedFlags(fs)
	if own == nil {
		return nil
	}
	var stray string
	fs.Visit(func(f *flag.Flag) {
		if stray == "" && !own[f.Name] && !globalNames[f.Name] {
			stray = f.Name
		}
	})
	if stray == "" {
		return nil
	}
	cmd := strings.TrimPrefix(fs.Name(), "meterdesk ")
	o, _ := owned.Load(fs)
	if where := o.(ownedSet).goesWith[stray]; where != "" {
		return Usagef("%s: --%s goes with %s", cmd, stray, where)
	}
	takes := "no flags"
	if len(own) > 0 {
		var names []string
		for n := range own {
			names = append(names, "--"+n)
		}
		sort.Strings(names)
		takes = strings.Join(names, ", ")
	}
	return Usagef("%s: unexpected flag --%s (it takes %s)", cmd, stray, takes)
}

// editDistance is the optimal string alignment distance between a and b
// (insertions, deletions, substitutions and swaps of neighbours).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// orList is "a, b or c".
func orList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// commandNames lists the registered commands' names, sorted.
func commandNames() []string {
	var names []string
	for _, c := range sortedCommands() {
		names = append(names, c.Name)
	}
	return names
}

// wantArgs checks that a subcommand (cmd: "users add") got exactly the
// arguments names, saying which are missing ("departments move: TO and
// AMOUNT are missing (it takes FROM TO AMOUNT)") or which one is one too
// many (`users add: unexpected argument "x" (it takes NAME)`).
func wantArgs(cmd string, pos []string, names ...string) error {
	takes := "flags only"
	if len(names) > 0 {
		takes = strings.Join(names, " ")
	}
	return wantArgsTaking(cmd, pos, takes, names)
}

// wantArgsOr is wantArgs for a subcommand with a second form, other, that
// takes no arguments: the refusal names both (`rates set: MODEL is missing
// (it takes PROVIDER MODEL, or --default-input/--default-output with no
// arguments)`). It is for a call not of the other form.
func wantArgsOr(cmd string, pos []string, other string, names ...string) error {
	return wantArgsTaking(cmd, pos, strings.Join(names, " ")+", or "+other, names)
}

func wantArgsTaking(cmd string, pos []string, takes string, names []string) error {
	switch {
	case len(pos) > len(names):
		return Usagef("%s: unexpected argument %q (it takes %s)", cmd, pos[len(names)], takes)
	case len(pos) < len(names):
		missing := names[len(pos):]
		verb := "is"
		if len(missing) > 1 {
			verb = "are"
		}
		return Usagef("%s: %s %s missing (it takes %s)", cmd, andList(missing), verb, takes)
	}
	return nil
}

// onlyArgs parses a subcommand (cmd: "providers remove") that takes the
// arguments names and no flags but the global ones: a flag there is an
// unknown flag (`providers remove --bogus`), not the argument it stands in
// place of ("no provider named --bogus"), and a missing or extra argument is
// said as wantArgs says it. An argument that starts with "-" goes after "--".
func onlyArgs(env *Env, cmd string, args []string, names ...string) ([]string, error) {
	pos, err := parseArgsNamed(env.Flags(cmd), args, names)
	if err != nil {
		return nil, err
	}
	return pos, wantArgs(cmd, pos, names...)
}

// dashArg is the refusal of a word with one "-" where an argument goes (a
// provider named "-x", a member "-bob": `users remove -bob`, a workspace
// name "-Acme": `settings set workspace.name -Acme`), for every subcommand
// that parses its words with parseArgs: an unknown flag, said as typed
// ("unknown flag -Acme", not "--Acme", flagErrorWords), and how to give it
// as the argument it was meant to be ("to give VALUE \"-Acme\", put it
// after \"--\": meterdesk settings set -- workspace.name -Acme"). The
// argument is named by names, or by the subcommand's usage line
// (usageArgNames) when names is nil. A word with "--" (`--bogus`), or one
// near a flag (did you mean …), is refused as it was.
func dashArg(err error, fs *flag.FlagSet, args, names []string) error {
	var ue *UsageError
	if !errors.As(err, &ue) || fs == nil {
		return err
	}
	cmd := strings.TrimPrefix(fs.Name(), "meterdesk ")
	flagName, ok := strings.CutPrefix(ue.Msg, cmd+": unknown flag -")
	// Not one near a flag ("-jsn; did you mean ..."); a word with a space
	// ("-Acme Inc", a workspace name or a title) is given the line too.
	if !ok || strings.HasPrefix(flagName, "-") || strings.Contains(flagName, "; did you mean ") {
		return err
	}
	var before []string // the arguments before it
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if len(a) < 2 || a[0] != '-' || negativeNumber(a) {
			before = append(before, a)
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if a[1] == '-' || name != flagName {
			if f := fs.Lookup(name); f != nil && !hasValue && !isBoolFlag(f) {
				i++ // its value
			}
			continue
		}
		if names == nil {
			names = usageArgNames(cmd, before)
		}
		if len(names) == 0 {
			return err // it takes no arguments (credits topup): a flag
		}
		name, ok := argName(names, len(before))
		if !ok {
			// Every argument is given already: after "--" it would be one
			// too many ("users remove bob -x": `unexpected argument "-x"`),
			// so no line is offered that is then refused.
			return err
		}
		msg := fmt.Sprintf("%s: unknown flag %s (to give %s %q, put it after \"--\"", cmd, a, name, a)
		if line, ok := afterDashes(cmd, args, a); ok {
			msg += ": " + line
		}
		return Usagef("%s)", msg)
	}
	return err
}

// argName is the name of the argument at index n of names, as
// usageArgNames gives them: the last one, "ID ...", stands for any number
// of them (`alerts read [ID ...]`); false past the last one.
func argName(names []string, n int) (string, bool) {
	if n < len(names) {
		return strings.TrimSuffix(names[n], " ..."), true
	}
	if last := len(names) - 1; last >= 0 && strings.HasSuffix(names[last], " ...") {
		return strings.TrimSuffix(names[last], " ..."), true
	}
	return "", false
}

// synopses are the "meterdesk …" lines of a usage text, each with the
// indented lines that go on with it, without what is said beside it after
// two spaces or more ("meterdesk restore [--yes] FILE   replace the …").
func synopses(usage string) []string {
	var out []string
	more := false
	for _, line := range strings.Split(usage, "\n") {
		text, _, _ := strings.Cut(strings.TrimSpace(line), "  ")
		switch {
		case strings.HasPrefix(line, "meterdesk "):
			out = append(out, text)
			more = true
		case more && strings.HasPrefix(line, " ") && text != "":
			out[len(out)-1] += " " + text
		default:
			more = false
		}
	}
	return out
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// usageArgNames names the arguments of a subcommand (cmd: "users remove")
// as its command's usage line does ("USER" for `meterdesk users remove USER
// [--return-credits]`, "ACCOUNT" for `[ACCOUNT]`), leaving out its flags and
// their values: from the first of its lines whose literal words ("model"
// in `limits set USER model MODEL AMOUNT`, "daily|monthly") take the
// arguments typed before; nil if none does.
func usageArgNames(cmd string, before []string) []string {
	words := strings.Fields(cmd)
	if len(words) == 0 {
		return nil
	}
	c, ok := lookup(words[0])
	if !ok {
		return nil
	}
lines:
	for _, line := range synopses(c.Usage) {
		tokens := strings.Fields(line)
		if len(tokens) < len(words)+1 || tokens[0] != "meterdesk" {
			continue
		}
		for i, w := range words {
			if !slices.Contains(strings.Split(tokens[i+1], "|"), w) {
				continue lines
			}
		}
		var names []string
		depth := 0
		for i := len(words) + 1; i < len(tokens); i++ {
			t := tokens[i]
			opens := strings.Count(t, "[") + strings.Count(t, "(")
			closes := strings.Count(t, "]") + strings.Count(t, ")")
			switch {
			case depth > 0:
			case strings.HasPrefix(t, "-"):
				if i+1 < len(tokens) && !strings.ContainsAny(tokens[i+1], "-[(") {
					i++ // the flag's value (--threshold X)
				}
			case strings.HasPrefix(t, "[") && opens == 1 && closes == 0 && !strings.HasPrefix(t, "[-") &&
				i+1 < len(tokens) && tokens[i+1] == "...]":
				// "[ID ...]": any number of them (alerts read).
				names = append(names, strings.TrimPrefix(t, "[")+" ...")
				i++
				continue
			case strings.HasPrefix(t, "[") && opens == 1 && closes == 1 && !strings.HasPrefix(t, "[-"):
				names = append(names, strings.Trim(t, "[]"))
			case opens == 0 && t != "...":
				names = append(names, strings.Trim(t, `"`))
			}
			depth += opens - closes
		}
		for i, typed := range before {
			if i >= len(names) {
				break
			}
			if n := names[i]; n == strings.ToLower(n) && !slices.Contains(strings.Split(n, "|"), typed) {
				continue lines // a literal word other than the one typed
			}
		}
		return names
	}
	return nil
}

// afterDashes is the command line of cmd with args given after "--"
// ("meterdesk providers remove -- -x"), when each of them is an argument or
// the word dash (not a flag the line also has, such as --json, which "--"
// would make an argument).
func afterDashes(cmd string, args []string, dash string) (string, bool) {
	words := []string{"meterdesk", cmd, "--"}
	for _, a := range args {
		if a != dash && len(a) > 1 && a[0] == '-' && !negativeNumber(a) {
			return "", false
		}
		words = append(words, shellquote.Word(a))
	}
	return strings.Join(words, " "), true
}

// noArgs checks a command (cmd: "providers list") that takes no arguments
// and no flags but the global ones: a flag is an unknown flag, with the
// nearest one (`version --jsn`: did you mean "--json"?), an argument is
// unexpected (`providers list: unexpected argument "x" (it takes flags
// only)`), as parseFlags says them for a command with flags.
func noArgs(env *Env, cmd string, args []string) error {
	return parseFlags(env.Flags(cmd), args)
}

// andList is "a, b and c".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
