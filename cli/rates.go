package cli

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"meterdesk/backend/fileout"
	"meterdesk/backend/money"
	"meterdesk/backend/providers"
	"meterdesk/backend/rates"
	"meterdesk/backend/workzone"
)

func init() {
	Register(Command{
		Name: "rates", Summary: "list, change, import or export the rate table (credits per token)",
		Example: `meterdesk rates set openai gpt-4o --unit 1m --input 250 --output 1000 --reason "January price list"`,
		Usage: `meterdesk rates list [--provider P] [--unit token|1k|1m]
meterdesk rates set PROVIDER MODEL [--unit token|1k|1m] [--input X] [--output X] [--cache-read X]
                    [--cache-write X] [--reasoning X] [--per-request X] [--per-tool-call X] [--reason TEXT]
meterdesk rates set --default-input X --default-output Y [--unit token|1k|1m] [--reason TEXT]
meterdesk rates import FILE|- [--format csv|json]
meterdesk rates export [--format csv|json] [--out FILE]
meterdesk rates versions
meterdesk rates add-model PROVIDER MODEL
meterdesk rates remove-model PROVIDER MODEL
meterdesk rates calc --price P [--unit 1m] [--markup PCT] [--credit-value V]

Rates are credits per token (per request / per tool call for those two);
--unit says how X is written. "" or "default" clears a field (the default
applies: 1 credit per token for input and output unless changed; cached input
and cache writes fall back to the input rate, reasoning to the output rate).
Flags not given keep their current value. --reason is recorded with the new
version ('rates versions'; default: what changed, "change openai/gpt-4o"). Import replaces the whole table,
all or nothing. Providers: openai, deepseek, gemini, anthropic, local.
calc turns a provider's price into a rate: P x (1 + PCT/100) / V, where V is
what one credit is worth in P's currency (default: the workspace's, 'credits
value', as the Rates page's calculator starts from it; a note on standard
error says which value and currency it took).
Changes need an admin.`,
		Run: runRates,
	})
}

func runRates(env *Env, args []string) error {
	sub, args, err := subcommand("rates", args)
	if err != nil {
		return err
	}
	switch sub {
	case "list":
		return ratesList(env, args)
	case "set":
		return ratesSet(env, args)
	case "import":
		return ratesImport(env, args)
	case "export":
		return ratesExport(env, args)
	case "versions":
		return ratesVersions(env, args)
	case "add-model", "remove-model":
		return ratesModel(env, sub, args)
	case "calc":
		return ratesCalc(env, args)
	}
	return unknownSubcommand("rates", sub, nil)
}

func ratesList(env *Env, args []string) error {
	fs := env.Flags("rates list")
	provider := fs.String("provider", "", "only this provider")
	unitFlag := fs.String("unit", "token", "show rates per token, 1k or 1m")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	unit, err := rates.ParseUnit(*unitFlag)
	if err != nil {
		return Usagef("%v", err)
	}
	if *provider != "" {
		if err := rateTable(env, *provider); err != nil {
			return err
		}
	}
	t, err := env.Backend.Rates.Table(env.Ctx)
	if err != nil {
		return err
	}
	if *provider != "" {
		var keep []rates.ProviderModels
		for _, p := range t.Providers {
			if p.Provider.ID == *provider {
				keep = append(keep, p)
			}
		}
		t.Providers = keep
	}
	loc, err := env.Backend.Zone(env.Ctx)
	if err != nil {
		return err
	}
	return env.Print(t, func(w io.Writer) {
		fmt.Fprintf(w, "rate version %d (%s, by %s: %s); credits per %s; (x) = not set on the row, what it charges: "+
			"the default, the input or output rate, or X's for a row \"(rate of X)\"\n",
			t.Version.ID, effectiveAt(t.Version.EffectiveAt, loc, true), t.Version.CreatedBy, t.Version.Reason, unitName(unit))
		fmt.Fprintf(w, "defaults: input %s, output %s\n\n", rates.Format(t.Defaults.Input, unit), rates.Format(t.Defaults.Output, unit))
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "PROVIDER\tMODEL\tINPUT\tOUTPUT\tCACHE READ\tCACHE WRITE\tREASONING\tPER REQUEST\tPER TOOL CALL")
		for _, p := range t.Providers {
			for _, m := range p.Models {
				name := m.Model
				if m.RatedAs != "" { // a snapshot priced as its base model
					name += " (rate of " + m.RatedAs + ")"
				}
				cells := []string{p.Provider.ID, name}
				for f := rates.Field(0); f < rates.NumFields; f++ {
					u := unit
					if !f.PerToken() {
						u = rates.PerToken
					}
					if v := m.Rates.Get(f); v != "" {
						cells = append(cells, rates.Format(v, u))
					} else {
						cells = append(cells, "("+rates.Format(m.Effective.Get(f), u)+")")
					}
				}
				fmt.Fprintln(tw, strings.Join(cells, "\t"))
			}
		}
		tw.Flush()
	})
}

// rateTable checks the PROVIDER of a rates command, the name of a rate
// table (openai, deepseek, gemini, anthropic, local): an unknown one is one
// usage error (exit 2, nothing done) naming the tables, and, when it is the
// name of a provider configured in Settings → Providers, the table its
// models are priced in (an OpenAI-compatible server's: local).
func rateTable(env *Env, name string) error {
	if rates.CheckProvider(name) == nil {
		return nil
	}
	ids := make([]string, len(rates.Providers))
	for i, p := range rates.Providers {
		ids[i] = p.ID
	}
	msg := fmt.Sprintf("unknown rate table %q: rates are kept per provider kind, in the tables %s", name, strings.Join(ids, ", "))
	// A provider of that name says where its models are priced, before the
	// table of that name in lower case: an openai_compatible provider
	// called "OpenAI" is priced in local, not openai. When that table is
	// the name in lower case (LOCAL for a provider called "Local", priced
	// in local), it is the near-match the other lookups suggest: "did you
	// mean local?".
	lower := strings.ToLower(strings.TrimSpace(name))
	if p, err := env.Backend.Providers.Find(env.Ctx, name); err == nil && strings.EqualFold(strings.TrimSpace(name), p.Name) {
		table := providers.CatalogueProvider(p.Kind)
		if table == lower {
			return Usagef(`%s; %q is a provider of yours (%s), whose models are priced in the table %q: did you mean %s?`, msg, p.Name, p.Kind, table, table)
		}
		return Usagef(`%s; %q is a provider of yours (%s), whose models are priced in the table %q: write %s in its place`, msg, p.Name, p.Kind, table, table)
	}
	if lower != name && rates.CheckProvider(lower) == nil {
		return Usagef("%s; did you mean %s?", msg, lower) // LOCAL, Openai: the table's name in lower case
	}
	return Usagef("%s", msg)
}

// tableNote warns (standard error, the command still done) when the rate
// table a rates command changed, table, is also the name of a provider
// configured in Settings → Providers whose models are priced from another
// table (an openai_compatible provider called "openai" is priced from
// "local"): the change is not the one its sends are priced from.
func tableNote(env *Env, table string) {
	p, err := env.Backend.Providers.Find(env.Ctx, table)
	if err != nil || !strings.EqualFold(p.Name, table) {
		return
	}
	if priced := providers.CatalogueProvider(p.Kind); priced != table {
		fmt.Fprintf(env.Err, "note: provider '%s' (%s) is priced from the '%s' table; this changed the '%s' table\n",
			p.Name, p.Kind, priced, table)
	}
}

func unitName(u rates.Unit) string {
	switch u {
	case rates.Per1K:
		return "1K tokens"
	case rates.Per1M:
		return "1M tokens"
	}
	return "token"
}

var fieldFlags = [rates.NumFields]string{"input", "output", "cache-read", "cache-write", "reasoning", "per-request", "per-tool-call"}

func ratesSet(env *Env, args []string) error {
	fs := env.Flags("rates set")
	unitFlag := fs.String("unit", "token", "unit of the per-token values: token, 1k or 1m")
	var vals [rates.NumFields]*string
	for f := range vals {
		vals[f] = fs.String(fieldFlags[f], "", "rate ('' or 'default' = blank)")
	}
	defIn := fs.String("default-input", "", "default input rate")
	defOut := fs.String("default-output", "", "default output rate")
	reason := fs.String("reason", "", "why (recorded with the version)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	unit, err := rates.ParseUnit(*unitFlag)
	if err != nil {
		return Usagef("%v", err)
	}
	// Only the flags given become edits, applied to the rates as they are
	// when the change is written (not as read here): a change saved
	// meanwhile by the window or another terminal is kept.
	change := rates.Change{Reason: *reason}
	var probs []string
	conv := func(name, v string, u rates.Unit) string {
		if v == "default" {
			return ""
		}
		c, err := rates.ParseOptional(v, u)
		if err != nil {
			probs = append(probs, money.Named("--"+name, err).Error())
		}
		return c
	}
	for _, d := range []struct {
		flag, field string
		val         *string
	}{{"default-input", "input", defIn}, {"default-output", "output", defOut}} {
		if given[d.flag] {
			change.Edits = append(change.Edits, rates.Edit{Field: d.field, Value: conv(d.flag, *d.val, unit)})
		}
	}
	// Its two forms: PROVIDER MODEL with rate flags, or the default rates
	// alone; a call of neither is refused naming both, in wantArgs' words.
	const defaultsForm = "--default-input/--default-output with no arguments"
	switch len(pos) {
	case 0:
		if len(change.Edits) == 0 {
			return wantArgsOr("rates set", pos, defaultsForm, "PROVIDER", "MODEL")
		}
	case 2:
		if err := rateTable(env, pos[0]); err != nil {
			return err
		}
		n := 0
		for f := rates.Field(0); f < rates.NumFields; f++ {
			if given[fieldFlags[f]] {
				u := unit
				if !f.PerToken() {
					u = rates.PerToken
				}
				change.Edits = append(change.Edits, rates.Edit{Provider: pos[0], Model: pos[1], Field: f.String(),
					Value: conv(fieldFlags[f], *vals[f], u)})
				n++
			}
		}
		if n == 0 {
			return Usagef("rates set %s %s: give at least one rate flag (--input, --output, ...)", pos[0], pos[1])
		}
	default:
		return wantArgsOr("rates set", pos, defaultsForm, "PROVIDER", "MODEL")
	}
	if len(probs) > 0 {
		return Usagef("rates set: %s (nothing changed)", strings.Join(probs, "; "))
	}
	a, err := env.Backend.Rates.ApplyChange(env.Ctx, change)
	if err != nil {
		return err
	}
	if len(pos) == 2 {
		tableNote(env, pos[0])
	}
	return printApplied(env, a, "set")
}

func formatFor(name, flagVal string) (string, error) {
	if flagVal != "" {
		f := strings.ToLower(flagVal)
		if f != rates.FormatCSV && f != rates.FormatJSON {
			return "", Usagef("--format must be csv or json")
		}
		return f, nil
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return rates.FormatJSON, nil
	case ".csv", "":
		return rates.FormatCSV, nil
	}
	return "", Usagef("cannot tell the format of %s: use --format csv|json", name)
}

func ratesImport(env *Env, args []string) error {
	fs := env.Flags("rates import")
	format := fs.String("format", "", "csv or json (default: from the file name)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("rates import", pos, "FILE|-"); err != nil {
		return err
	}
	f, err := formatFor(pos[0], *format)
	if err != nil {
		return err
	}
	var data []byte
	if pos[0] == "-" {
		data, err = io.ReadAll(stdin(env))
	} else {
		data, err = fileout.ReadGiven(pos[0]) // "FILE cannot be read: it is a folder; give a file"
	}
	if err != nil {
		return fmt.Errorf("rates import: %w", err)
	}
	a, err := env.Backend.Rates.ImportChange(env.Ctx, f, data)
	if err != nil {
		return err
	}
	return printApplied(env, a, "import")
}

// printApplied prints what a rates set or import (what) did, one printer
// for both, in the same words where they mean the same, as the window's
// toasts (frontend appliedToast), an import's led by "imported: " (the
// toast's title): a change that made a version, "rate version 4 in force
// (REASON)" (an import left out its reason, "import rates (csv)"); one that
// only added models to the catalogue, addedOnlyWords; an unchanged one
// (rates as they are make no version, so neither the version in force nor
// its reason is this change's), "unchanged: the rates were these already"
// (set) or "the file holds the rates as they are" (import), ", rate
// version 2 stays in force (nothing written or audited)". --json is
// appliedResult.
func printApplied(env *Env, a rates.Applied, what string) error {
	v := a.Version
	return env.Print(appliedResult(a), func(w io.Writer) {
		lead := map[string]string{"set": "", "import": "imported: "}[what]
		switch {
		case a.Unchanged:
			already := map[string]string{"set": "the rates were these already", "import": "the file holds the rates as they are"}[what]
			fmt.Fprintf(w, "unchanged: %s, rate version %d stays in force (nothing written or audited)\n", already, v.ID)
		case len(a.ModelsAddedOnly) > 0:
			fmt.Fprintf(w, "%s%s\n", lead, addedOnlyWords(a))
		default:
			fmt.Fprintf(w, "%srate version %d in force (%s)\n", lead, v.ID, v.Reason)
		}
	})
}

// appliedResult is the --json of a rates set or import: the version in
// force, its reason only when this change made it (an unchanged one, or
// one that only added models to the catalogue, made none), and the models
// added when that was all it did (rates.Applied.ModelsAddedOnly).
func appliedResult(a rates.Applied) map[string]any {
	res := map[string]any{"version": a.Version.ID, "reason": a.Version.Reason, "unchanged": a.Unchanged}
	if a.Unchanged || len(a.ModelsAddedOnly) > 0 {
		delete(res, "reason")
	}
	if len(a.ModelsAddedOnly) > 0 {
		res["modelsAddedOnly"] = a.ModelsAddedOnly
	}
	return res
}

// addedOnlyWords says what a change that only added models to the
// catalogue did: "added model local/x to the catalogue; rate version 3
// stays in force".
func addedOnlyWords(a rates.Applied) string {
	what := "model"
	if len(a.ModelsAddedOnly) > 1 {
		what = "models"
	}
	return fmt.Sprintf("added %s %s to the catalogue; rate version %d stays in force", what, strings.Join(a.ModelsAddedOnly, ", "), a.Version.ID)
}

func ratesExport(env *Env, args []string) error {
	fs := env.Flags("rates export")
	format := fs.String("format", "", "csv or json (default: from --out, else csv)")
	out := fs.String("out", "", "file to write (default or -: standard output)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	f, err := formatFor(*out, *format)
	if err != nil {
		return err
	}
	data, err := env.Backend.Rates.Export(env.Ctx, f)
	if err != nil {
		return err
	}
	if toStdout(*out) {
		_, err = env.Out.Write(data)
		return err
	}
	if err := fileout.WriteBytes(*out, 0o600, data); err != nil {
		return fmt.Errorf("rates export: %w", err)
	}
	return env.Print(map[string]string{"file": *out, "format": f}, func(w io.Writer) {
		fmt.Fprintf(w, "rates written to %s\n", *out)
	})
}

func ratesVersions(env *Env, args []string) error {
	if err := noArgs(env, "rates versions", args); err != nil {
		return err
	}
	vs, err := env.Backend.Rates.Versions(env.Ctx, 0)
	if err != nil {
		return err
	}
	loc, err := env.Backend.Zone(env.Ctx)
	if err != nil {
		return err
	}
	return env.Print(vs, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		defer tw.Flush()
		fmt.Fprintf(tw, "VERSION\tEFFECTIVE (%s)\tBY\tREASON\n", loc)
		for _, v := range vs {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", v.ID, effectiveAt(v.EffectiveAt, loc, false), v.CreatedBy, v.Reason)
		}
	})
}

func ratesModel(env *Env, sub string, args []string) error {
	// Flags are read, so that one typed here is refused as an unknown flag
	// rather than taken for a model's name ("rates add-model --zzqx").
	args, err := parseArgs(env.Flags("rates "+sub), args)
	if err != nil {
		return err
	}
	if err := wantArgs("rates "+sub, args, "PROVIDER", "MODEL"); err != nil {
		return err
	}
	if err := rateTable(env, args[0]); err != nil {
		return err
	}
	if sub == "add-model" {
		err = env.Backend.Rates.AddModel(env.Ctx, args[0], args[1])
	} else {
		err = env.Backend.Rates.RemoveModel(env.Ctx, args[0], args[1])
	}
	if err != nil {
		return err
	}
	tableNote(env, args[0])
	return env.Print(map[string]string{"provider": args[0], "model": args[1], "done": sub}, func(w io.Writer) {
		fmt.Fprintf(w, "%s: %s/%s\n", sub, args[0], args[1])
	})
}

func ratesCalc(env *Env, args []string) error {
	fs := env.Flags("rates calc")
	var in rates.CalcInput
	fs.StringVar(&in.Price, "price", "", "provider price in currency per --unit")
	fs.StringVar(&in.Unit, "unit", "1m", "token, 1k or 1m")
	fs.StringVar(&in.MarkupPct, "markup", "0", "markup in percent")
	fs.StringVar(&in.CreditValue, "credit-value", "", "value of one credit in the same currency (default: the workspace's)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("rates calc", pos); err != nil {
		return err
	}
	var missing []string // the required flags left out, as report usage names them
	for _, f := range []struct{ name, val string }{{"--price", in.Price}} {
		if f.val == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return Usagef("rates calc: give %s", andList(missing))
	}
	if setFlags(fs)["credit-value"] && strings.TrimSpace(in.CreditValue) == "" {
		return Usagef("--credit-value must not be empty (leave it out for the workspace's, what 'credits value' says)")
	} else if in.CreditValue == "" {
		// What one credit is worth in the workspace, as the Rates page's
		// calculator fills in its "Value of one credit".
		cv, err := env.Backend.Ledger.CreditValue(env.Ctx)
		if err != nil {
			return err
		}
		in.CreditValue = cv.Amount
		// Said, as the page shows it in its field: a price in another
		// currency (a provider's USD) would give a rate off by the rate of
		// exchange, silently. Standard error, also with --json.
		fmt.Fprintf(env.Err, "note: 1 credit = %s %s, the workspace's value ('credits value'): --price is taken in %s; give --credit-value for another\n",
			cv.Amount, cv.Currency, cv.Currency)
	}
	r, err := rates.Calculate(in)
	if err != nil {
		return err
	}
	return env.Print(r, func(w io.Writer) {
		note := ""
		if !r.Exact {
			note = fmt.Sprintf(" (rounded to %d places)", rates.Precision)
		}
		fmt.Fprintf(w, "%s credits per token = %s credits per %s%s\n", r.PerToken, r.Display, in.Unit, note)
	})
}

// effectiveAt is when a rate version took effect, in the workspace's zone
// (withZone: followed by the zone's name); the factory defaults, in effect
// from the start, say "always" (as the window's Rates page does).
func effectiveAt(t time.Time, loc *time.Location, withZone bool) string {
	if t.UTC().Year() <= 1970 {
		return "always"
	}
	if withZone {
		return workzone.LocalTime(t, loc, workzone.Seconds) + " " + loc.String()
	}
	return workzone.LocalTime(t, loc, workzone.Seconds)
}
