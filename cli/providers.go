package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"text/tabwriter"

	"meterdesk/backend/providers"
	"meterdesk/backend/shellquote"
)

const providersUsage = `meterdesk providers <subcommand>

  list                          list configured providers (never shows keys;
                                a member sees the name and kind, not the
                                base URL or the key's last characters); to
                                an admin, a note under the table for each
                                provider Meterdesk changed by itself (a
                                credential an older version kept in its
                                base URL, moved to its key or removed)
  presets                       list the known kinds and their base URLs
  add --name N --kind K [--url URL] [--key-stdin | --key-env VAR]
                                add a provider (admin). The API key is read from
                                stdin (--key-stdin: the first line, or typed
                                at a terminal's prompt, not echoed) or from the
                                environment variable VAR (default
                                METERDESK_API_KEY when set) - never from a flag,
                                so it does not show in ps or shell history.
  update ID|NAME [--name N] [--kind K] [--url URL] [--key-stdin | --key-env VAR | --clear-key]
                                change a provider (admin), as the window's edit
                                does: flags not given keep their value (a new
                                --kind without --url takes that kind's URL); the
                                key is kept unless a new one is given the same
                                two ways (METERDESK_API_KEY is not read here) or
                                --clear-key removes it (keyless local servers).
                                A kept key never follows the provider to
                                another server. The models are listed anew.
                                An update that asks for what the provider
                                has (the stored key typed again included)
                                says "unchanged" and writes nothing.
  test ID|NAME                  test the connection (admin); for OpenRouter,
                                whose model list is public, the key too;
                                exit 1 when it fails, and when it connects
                                but is incomplete (no models listed, or
                                they could not be added to the rate
                                catalogue), stderr saying which
  models ID|NAME                list the models the provider reports, when
                                they were fetched on stderr; when the
                                listing fails, the last known list (if any)
                                and why on stderr, exit 1; exit 1 too when
                                it lists none (stderr saying so, as test
                                does) or they could not be added to the
                                rate catalogue
  remove ID|NAME                remove a provider and its key (admin)

Kinds: openai, deepseek, anthropic, gemini, openai_compatible
(Ollama http://localhost:11434/v1, LM Studio http://localhost:1234/v1,
llama.cpp http://localhost:8080/v1, OpenRouter https://openrouter.ai/api/v1).

A base URL is saved cleaned: an endpoint pasted whole (.../v1/chat/completions)
loses its endpoint, Anthropic's /v1 and Gemini's /v1beta go (their SDKs add
them); a space, or http:// for a cloud kind on another machine, is refused.
When listing the models right after add or update fails, the provider is
saved and stderr says why (e.g. "did you mean http://localhost:11434/v1?");
for OpenRouter, whose model list is public, stderr says when the key was
refused or could not be checked.`

func init() {
	Register(Command{
		Name: "providers", Summary: "configure AI providers (OpenAI, DeepSeek, Claude, Gemini, local)",
		Example: `meterdesk providers add --name Ollama --kind openai_compatible --url http://localhost:11434/v1`,
		Usage:   providersUsage,
		Run: func(env *Env, args []string) error {
			sub, rest, err := subcommand("providers", args)
			if err != nil {
				return err
			}
			switch sub {
			case "list":
				return providersList(env, rest)
			case "presets":
				return providersPresets(env, rest)
			case "add":
				return providersAdd(env, rest)
			case "update":
				return providersUpdate(env, rest)
			case "test":
				return providersTest(env, rest)
			case "models":
				return providersModels(env, rest)
			case "remove", "rm":
				return providersRemove(env, rest)
			}
			return unknownSubcommand("providers", sub, nil)
		},
	})
}

func providersList(env *Env, args []string) error {
	if err := noArgs(env, "providers list", args); err != nil {
		return err
	}
	list, err := env.Backend.Providers.List(env.Ctx)
	if err != nil {
		return err
	}
	return env.Print(list, func(w io.Writer) {
		if len(list) == 0 {
			fmt.Fprintln(w, "no providers configured (add one with: meterdesk providers add)")
			return
		}
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tKIND\tBASE URL\tKEY")
		for _, p := range list {
			// A member's list is redacted (no address, no key hint):
			// "-" for the address and "set" for a key.
			base, key := p.BaseURL, "none"
			switch {
			case p.Redacted && p.HasKey:
				base, key = "-", "set"
			case p.Redacted:
				base = "-"
			case p.HasKey:
				key = p.KeyStore + " " + p.KeyHint
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", p.ID, p.Name, p.Kind, base, key)
		}
		tw.Flush()
		// What Meterdesk changed by itself (a credential taken out of an
		// address an older version saved), until the provider is saved.
		for _, p := range list {
			if p.Notice != "" {
				fmt.Fprintf(w, "\nnote: %s: %s (this note goes when the provider is next saved; to keep it as it is: meterdesk providers update %d --name %s)\n", p.Name, p.Notice, p.ID, shellquote.Word(p.Name))
			}
		}
	})
}

func providersPresets(env *Env, args []string) error {
	if err := noArgs(env, "providers presets", args); err != nil {
		return err
	}
	ps := providers.Presets()
	return env.Print(ps, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "PRESET\tKIND\tBASE URL")
		for _, p := range ps {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", p.ID, p.Kind, p.BaseURL)
		}
		tw.Flush()
	})
}

func providersAdd(env *Env, args []string) error {
	fs := env.Flags("providers add")
	name := fs.String("name", "", "a name for this provider")
	kind := fs.String("kind", "", "openai, deepseek, anthropic, gemini or openai_compatible")
	url := fs.String("url", "", "base URL (default: the kind's documented URL)")
	keyStdin := fs.Bool("key-stdin", false, "read the API key from the first line of stdin")
	keyEnv := fs.String("key-env", "", "read the API key from this environment variable (default METERDESK_API_KEY if set)")
	err := fs.Parse(args)
	if err != nil {
		err = flagError(fs, err, args)
	}
	if env.dry {
		return dryStop{err}
	}
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return errStrayArgument
	}
	if *keyStdin && *keyEnv != "" {
		return Usagef("use either --key-stdin or --key-env, not both")
	}
	key := ""
	switch {
	case *keyStdin:
		var err error
		if key, err = readKey(env); err != nil {
			return err
		}
	case *keyEnv != "":
		var err error
		if key, err = keyFromEnv(*keyEnv); err != nil {
			return err
		}
	default:
		key = os.Getenv("METERDESK_API_KEY")
	}
	p, err := env.Backend.Providers.Add(env.Ctx, providers.Input{Name: *name, Kind: providers.Kind(*kind), BaseURL: *url, APIKey: key})
	if err != nil {
		return err
	}
	if err := env.Print(p, func(w io.Writer) {
		fmt.Fprintf(w, "added provider %d %q (%s, %s)", p.ID, p.Name, p.Kind, p.BaseURL)
		if p.HasKey {
			fmt.Fprint(w, keyNote(p.KeyHint, p.KeyStore))
		}
		fmt.Fprintln(w)
	}); err != nil {
		return err
	}
	modelsNote(env, p)
	return nil
}

// modelsNote says on stderr that a provider was saved but listing its
// models right after failed, and why (Provider.ModelsError), or that the
// key check that follows where the listing does not need the key
// (OpenRouter) did not pass (Provider.KeyError: "the key was refused: …",
// "the key could not be checked: …"), so that a base URL or key that does
// not work is not reported as a plain success; or that the listing
// answered with no models (Provider.NoModels: "saved; the server lists no
// models: load or pull a model on it …"), or that the models listed could
// not be added to the rate catalogue (Provider.CatalogueError), as `providers test` says
// "Connected, but the server lists no models: …". The save stands (exit
// 0); --json carries the same as "modelsError", "keyError" and
// "noModels".
func modelsNote(env *Env, p providers.Provider) {
	switch {
	case p.ModelsError != "":
		fmt.Fprintf(env.Err, "saved, but listing the models failed: %s\n(check the base URL and the key: meterdesk providers test %d)\n", p.ModelsError, p.ID)
	case p.CatalogueError != "":
		fmt.Fprintf(env.Err, "saved, but %s\n(list them again: meterdesk providers models %d)\n", p.CatalogueError, p.ID)
	case p.KeyError != "":
		fmt.Fprintf(env.Err, "saved, but %s\n(check the key: meterdesk providers test %d)\n", p.KeyError, p.ID)
	case p.NoModels != "":
		fmt.Fprintf(env.Err, "saved; %s\n(test it again: meterdesk providers test %d)\n", p.NoModels, p.ID)
	}
}

// providerUpdate is what `providers update --json` prints: the provider
// with "unchanged" always there, false on a change, as every other update
// prints it (Provider leaves it out when false, so that the list and add
// do not carry it).
type providerUpdate struct {
	providers.Provider
	Unchanged bool `json:"unchanged"`
}

func providersUpdate(env *Env, args []string) error {
	fs := env.Flags("providers update")
	name := fs.String("name", "", "new name")
	kind := fs.String("kind", "", "openai, deepseek, anthropic, gemini or openai_compatible")
	url := fs.String("url", "", "base URL (\"\" = the kind's documented URL)")
	keyStdin := fs.Bool("key-stdin", false, "read a new API key from the first line of stdin")
	keyEnv := fs.String("key-env", "", "read a new API key from this environment variable")
	clearKey := fs.Bool("clear-key", false, "remove the stored key")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return errStrayArgument
	}
	given := setFlags(fs)
	if n := btoi(*keyStdin) + btoi(given["key-env"]) + btoi(*clearKey); n > 1 {
		return Usagef("use one of --key-stdin, --key-env and --clear-key")
	}
	if len(given) == 0 {
		return Usagef("providers update: nothing to change (give --name, --kind, --url or a key flag)")
	}
	p, err := oneProvider(env, pos, "update")
	if err != nil {
		return err
	}
	in := providers.Input{Name: p.Name, Kind: p.Kind, BaseURL: p.BaseURL, ClearKey: *clearKey}
	if given["name"] {
		in.Name = *name
	}
	if given["kind"] && providers.Kind(*kind) != p.Kind {
		in.Kind, in.BaseURL = providers.Kind(*kind), "" // the new kind's URL unless --url says
	}
	if given["url"] {
		in.BaseURL = *url
	}
	switch {
	case *keyStdin:
		if in.APIKey, err = readKey(env); err != nil {
			return err
		}
	case given["key-env"]:
		if in.APIKey, err = keyFromEnv(*keyEnv); err != nil {
			return err
		}
	}
	up, err := env.Backend.Providers.Update(env.Ctx, p.ID, in)
	if err != nil {
		return err
	}
	if err := env.Print(providerUpdate{up, up.Unchanged}, func(w io.Writer) {
		if up.Unchanged {
			what := " (nothing written or audited)"
			if up.NoticeCleared {
				// Saving it as it is (what the note says to run) clears the note: a write.
				what = "; the note about its address is cleared (no setting written, nothing audited)"
			}
			fmt.Fprintf(w, "provider %d %q (%s, %s) unchanged: it had these settings already%s\n",
				up.ID, up.Name, up.Kind, up.BaseURL, what)
			return
		}
		fmt.Fprintf(w, "updated provider %d %q (%s, %s)", up.ID, up.Name, up.Kind, up.BaseURL)
		if up.HasKey {
			fmt.Fprint(w, keyNote(up.KeyHint, up.KeyStore))
		} else {
			fmt.Fprint(w, ", no key")
		}
		fmt.Fprintln(w)
	}); err != nil {
		return err
	}
	modelsNote(env, up)
	return nil
}

// errStrayArgument refuses an argument providers add or update does not
// take without showing it: it is most often the API key itself, typed where
// it would show in ps and the shell history, and stderr may be logged too.
var errStrayArgument = Usagef("unexpected argument (not shown: it may be a key; use --key-stdin or --key-env NAME)")

// envName is the shape of an environment variable name.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// keyFromEnv reads the key from the environment variable name (--key-env).
// A value that is no variable name (a key given by mistake: sk-…, with
// dashes) is refused without being shown, and so is the name of an unset
// variable that looks like a key itself (long, or mixing upper and lower
// case letters and digits, as some keys do) rather than like a name.
func keyFromEnv(name string) (string, error) {
	if !envName.MatchString(name) {
		return "", Usagef("--key-env takes the NAME of an environment variable (e.g. --key-env ANTHROPIC_API_KEY), not the key; the value given is not shown")
	}
	key := os.Getenv(name)
	if key != "" {
		return key, nil
	}
	if mayBeKey(name) {
		return "", Usagef("--key-env: no environment variable of that name is set (name not shown: it may be a key; --key-env takes the NAME of an environment variable)")
	}
	return "", Usagef("--key-env: $%s is empty or unset", name)
}

// mayBeKey reports whether a valid variable name looks more like a random
// token than a name people choose (ANTHROPIC_API_KEY, my_key, KEY2).
func mayBeKey(name string) bool {
	var lower, upper, digit bool
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		}
	}
	return len(name) > 40 || lower && upper && digit
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// oneProvider resolves the single ID|NAME argument.
func oneProvider(env *Env, pos []string, what string) (providers.Provider, error) {
	if err := wantArgs("providers "+what, pos, "ID|NAME"); err != nil {
		return providers.Provider{}, err
	}
	return env.Backend.Providers.Find(env.Ctx, pos[0])
}

// providerArg is the provider a subcommand that takes ID|NAME and no flags
// of its own (test, models, remove) names: `providers remove --bogus` is
// an unknown flag, not a provider named "--bogus".
func providerArg(env *Env, args []string, what string) (providers.Provider, error) {
	pos, err := onlyArgs(env, "providers "+what, args, "ID|NAME")
	if err != nil {
		return providers.Provider{}, err
	}
	return env.Backend.Providers.Find(env.Ctx, pos[0])
}

func providersTest(env *Env, args []string) error {
	p, err := providerArg(env, args, "test")
	if err != nil {
		return err
	}
	res, err := env.Backend.Providers.Test(env.Ctx, p.ID)
	if err != nil {
		return err
	}
	// Message is a sentence for the window; after the name's colon its
	// first word is in lower case, as the CLI writes (afterColon).
	if perr := env.Print(res, func(w io.Writer) { fmt.Fprintf(w, "%s: %s (%d ms)\n", p.Name, afterColon(res.Message), res.LatencyMs) }); perr != nil {
		return perr
	}
	if !res.OK {
		return fmt.Errorf("provider %q failed the connection test", p.Name)
	}
	// Connected, but the provider cannot be chatted with as configured, or
	// the picker and the rate table miss its models: a failure (exit 1),
	// not a success with a caveat nobody reads, as `providers models` says.
	switch {
	case res.Models == 0:
		return fmt.Errorf("provider %q connected, but its test is incomplete: %s", p.Name, providers.NoModelsChosen)
	case res.CatalogueError != "":
		return fmt.Errorf("provider %q connected, but its test is incomplete: %s", p.Name, res.CatalogueError)
	}
	return nil
}

func providersModels(env *Env, args []string) error {
	p, err := providerArg(env, args, "models")
	if err != nil {
		return err
	}
	ml, err := env.Backend.ProviderModels(env.Ctx, p.ID)
	if err != nil {
		return err
	}
	if err := env.Print(ml, func(w io.Writer) {
		for _, m := range ml.Models {
			fmt.Fprintln(w, m)
		}
	}); err != nil {
		return err
	}
	if ml.Stale {
		return staleError(p, ml)
	}
	if len(ml.Models) == 0 {
		// Nothing to choose: a failure (exit 1), as `providers test`
		// says of the same, not an empty success.
		return fmt.Errorf("provider %q: %s; %s", p.Name, ml.Why, ml.Shown) // providers.NoModelsChosen
	}
	if ml.Incomplete {
		// The list printed is the provider's, but the picker and the rate
		// table may miss some of it: a failure (exit 1), not a success
		// with a caveat nobody reads.
		return fmt.Errorf("provider %q: %s; %s", p.Name, ml.Error, ml.Shown)
	}
	// When it was fetched, on stderr (stdout stays the list alone), in
	// the words the window shows (ml.Shown, providers.ListWords).
	if !env.JSON {
		fmt.Fprintln(env.Err, ml.Shown)
	}
	return nil
}

// staleError is a listing that failed (ModelList.Stale): the command
// printed the last known list, if there is one, completed with the rate
// catalogue's models the chat offers for it (--json: the list with
// "stale", "error", "offline", "why" and "shown"), and fails with why
// (exit 1, like a failed connection test: a provider or the network
// failed), then which list it is: ml.Why and ml.Shown, the words the
// window shows too (providers.ListWords, filled by core.Backend.
// ProviderModels; the date in the workspace's zone).
func staleError(p providers.Provider, ml providers.ModelList) error {
	return fmt.Errorf("provider %q: %s; %s", p.Name, ml.Why, ml.Shown)
}

func providersRemove(env *Env, args []string) error {
	p, err := providerArg(env, args, "remove")
	if err != nil {
		return err
	}
	if err := env.Backend.Providers.Remove(env.Ctx, p.ID); err != nil {
		return err
	}
	return env.Print(map[string]any{"removed": p.ID, "name": p.Name}, func(w io.Writer) {
		fmt.Fprintf(w, "removed provider %d %q\n", p.ID, p.Name)
	})
}

// readKey reads an API key for --key-stdin: from a terminal after a prompt,
// without echo; otherwise the next line of stdin (after a --user password
// given there).
func readKey(env *Env) (string, error) {
	var line string
	var err error
	if fd, ok := stdinTerminal(env); ok {
		line, err = readHidden(env, fd, "API key: ")
	} else if line, err = readLine(env); errors.Is(err, io.EOF) {
		line, err = "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read the API key: %w", err)
	}
	if line = strings.TrimSpace(line); line == "" {
		return "", Usagef("--key-stdin: stdin was empty")
	}
	return line, nil
}

// keyNote says where a provider's key is kept: ", key …cdef kept in the
// OS keychain" (a key too short to hint at is not hinted at).
func keyNote(hint, store string) string {
	where := store
	switch store {
	case providers.StoreKeychain:
		where = "the OS keychain"
	case providers.StoreSealed:
		where = "the database, encrypted (sealed)"
	}
	if hint == "" {
		return ", key kept in " + where
	}
	return ", key " + hint + " kept in " + where
}
