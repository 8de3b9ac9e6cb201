package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/core"
	"meterdesk/backend/gateway"
	"meterdesk/backend/workzone"
)

// The API gateway commands: `meterdesk serve` runs the local metered
// OpenAI-compatible API headless; `meterdesk apikeys` manages its keys.
func init() {
	Register(Command{Name: "serve", Summary: "run the local metered OpenAI-compatible API (no window)",
		Example: `meterdesk serve --addr 127.0.0.1:8787`,
		Usage: `meterdesk serve [--addr HOST:PORT] [--allow-remote]

Serves POST /v1/chat/completions, GET /v1/models and GET /v1/credits until
Ctrl+C / SIGTERM. Callers authenticate with a member's API key (meterdesk
apikeys create); each request is charged to that member (source "api").
--addr defaults to the saved setting (127.0.0.1:8787). Listening on anything
but loopback needs --allow-remote (or the saved opt-in) and prints a warning.
Needs an admin. See docs/gateway.md.`, Run: runServe})
	Register(Command{Name: "apikeys", Summary: "create, list and revoke API keys of the local API",
		Example: `meterdesk apikeys create --name "VS Code"`,
		Usage: `meterdesk apikeys create --name LABEL [--member USER]
meterdesk apikeys list [--member USER | --all]
meterdesk apikeys revoke ID

The key is printed once by create and stored only as a hash. USER is a name or
a numeric id (default: the signed-in member). Members manage their own keys;
admins anyone's. list's USAGE says what each key was charged ("12 requests
charged, 0.864 credits", "1 request, free"; --json: requests, charged, usage);
its STATUS is active, revoked DATE, member disabled (refused
until the member is enabled) or member removed (refused for good); a removed
member is named "bob (removed)".`, Run: runAPIKeys})
}

func runServe(env *Env, args []string) error {
	fs := env.Flags("serve")
	addr := fs.String("addr", "", "HOST:PORT to listen on (default: the saved setting, 127.0.0.1:8787)")
	remote := fs.Bool("allow-remote", false, "allow a non-loopback address (anyone on the network with a key can spend credits)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	gw := env.Backend.Gateway
	cfg, err := gw.Config(env.Ctx)
	if err != nil {
		return err
	}
	if *addr != "" {
		cfg.Addr = *addr
	}
	if setFlags(fs)["allow-remote"] {
		cfg.AllowRemote = *remote
	}
	// A team machine runs headless for weeks: keep expiring lots, issuing
	// invoices and watching for anomalies while serving. The jobs start
	// once the server is listening, so a serve refused (a member: admins
	// only; an address in use) runs nothing as the system.
	jobs, stopJobs := context.WithCancel(access.WithActor(env.Ctx, access.System))
	defer stopJobs()
	return gw.Serve(env.Ctx, cfg, func(st gateway.Status) {
		go env.Backend.RunJobs(jobs, core.JobInterval, func(f string, a ...any) { fmt.Fprintf(env.Err, f+"\n", a...) })
		if st.Warning != "" {
			fmt.Fprintln(env.Err, "WARNING:", st.Warning)
		}
		_ = env.Print(st, func(w io.Writer) {
			fmt.Fprintf(w, "Meterdesk API listening on %s (Ctrl+C to stop)\n", st.BaseURL)
		})
	})
}

func runAPIKeys(env *Env, args []string) error {
	sub, args, err := subcommand("apikeys", args)
	if err != nil {
		return err
	}
	fs := env.Flags("apikeys " + sub)
	gw := env.Backend.Gateway
	switch sub {
	case "create":
		member := fs.String("member", "", "the member the key acts as (default: you)")
		name := fs.String("name", "", "a label for the key, unlike the member's other active keys (required)")
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		uid, err := keyOwner(env, *member)
		if err != nil {
			return err
		}
		k, err := gw.CreateKey(env.Ctx, uid, *name)
		if err != nil {
			return err
		}
		return env.Print(k, func(w io.Writer) {
			fmt.Fprintf(w, "API key %d for %s (shown once: store it now):\n%s\n", k.ID, k.Member, k.Secret)
		})
	case "list":
		member := fs.String("member", "", "list this member's keys")
		all := fs.Bool("all", false, "list every member's keys (admins)")
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		var uid int64
		if !*all {
			a, err := keyOwner(env, *member)
			if err != nil && *member == "" {
				a = 0 // the system actor (no workspace yet) lists everything
			} else if err != nil {
				return err
			}
			uid = a
		}
		keys, err := gw.ListKeys(env.Ctx, uid)
		if err != nil {
			return err
		}
		loc, err := env.Backend.Zone(env.Ctx)
		if err != nil {
			return err
		}
		return env.Print(keys, func(w io.Writer) {
			table(w, fmt.Sprintf("ID\tMEMBER\tKEY\tNAME\tCREATED (%s)\tLAST USED\tUSAGE\tSTATUS", loc), func(tw io.Writer) {
				for _, k := range keys {
					used, status := "never", k.Status // a removed member's key: "member removed"
					if k.LastUsedAt != nil {
						used = workzone.LocalTime(*k.LastUsedAt, loc, workzone.Seconds)
					}
					if k.RevokedAt != nil {
						status = "revoked " + k.RevokedAt.In(loc).Format(time.DateOnly)
					}
					// USAGE in the window's words (gateway.KeyUsage): "1 request, free", not "1  0.00".
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Member, k.Hint, k.Name,
						workzone.LocalTime(k.CreatedAt, loc, workzone.Seconds), used, k.Usage, status)
				}
			})
		})
	case "revoke":
		rest, err := parseArgs(fs, args)
		if err != nil {
			return err
		}
		if err := wantArgs("apikeys revoke", rest, "ID"); err != nil {
			return err
		}
		id, err := strconv.ParseInt(strings.TrimSpace(rest[0]), 10, 64)
		if err != nil || id <= 0 {
			return Usagef("key id %q is not a positive number", rest[0])
		}
		if err := gw.RevokeKey(env.Ctx, id); err != nil {
			return err
		}
		return env.Print(map[string]any{"revoked": id}, func(w io.Writer) { fmt.Fprintf(w, "API key %d revoked\n", id) })
	}
	return unknownSubcommand("apikeys", sub, nil)
}

// keyOwner resolves --member (default: the signed-in member).
func keyOwner(env *Env, ref string) (int64, error) {
	if ref != "" {
		m, err := findMember(env, ref)
		if err != nil {
			return 0, err
		}
		return m.ID, nil
	}
	if a, ok := access.FromContext(env.Ctx); ok && a.UserID != 0 {
		return a.UserID, nil
	}
	return 0, Usagef("give --member USER (no member is signed in)")
}
