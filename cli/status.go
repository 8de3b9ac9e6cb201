package cli

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"meterdesk/backend/chat"
	"meterdesk/backend/shellquote"
	"meterdesk/backend/store"
)

// statusHints are the commands that do each step of the checklist (admins).
var statusHints = map[string]string{
	chat.StepWorkspace: "meterdesk workspace setup --name N --currency EUR --credit-value 0.01 --admin NAME [--pin]",
	chat.StepProvider:  "meterdesk providers add --name N --kind K [--url URL] [--key-stdin]",
	chat.StepRates:     "meterdesk rates set PROVIDER MODEL --unit 1m --input X --output Y (or: meterdesk rates import FILE)",
	chat.StepCredits:   "meterdesk credits topup --amount X [--price P --currency C]",
	chat.StepTeam:      "meterdesk users add NAME [--pin]",
}

func init() {
	Register(Command{
		Name: "status", Summary: "what stands between you and a first metered reply (the chat page's Getting started)",
		Example: `meterdesk status --json`,
		Usage: `meterdesk status [--json]

Prints whether chat is ready, the line the chat page's Getting started
shows under its heading (what stands in the way, or where replies are
charged), then the signed-in member's checklist: setting up the workspace (until it
is set up), a provider, for an admin rates for the models the providers
offer, credits where their sends are charged, and for an admin the optional
step of adding the team, with the command that does each open step. [x] is
done, [ ] open. The rates step names the rows to price as 'rates set' and
the Rates page name them (PROVIDER/MODEL: an Ollama's models are local/…):
a model without a rate of its own is charged the default rate (1 credit per
token from the factory), so while others have rates it is a warning ([!],
still "Ready to chat: yes"); only with no rates at all does it block.
Exit status 0 either way; read
"ready" from --json to script it. In a data folder with no workspace yet it
says so on stderr and lists setting one up, creating nothing.`,
		NoDatabase: func(env *Env, args []string) error {
			if err := noArgs(env, "status", args); err != nil {
				return err
			}
			dir := env.DataDir
			if dir == "" {
				dir, _ = store.DefaultDir()
			}
			fmt.Fprintf(env.Err, "meterdesk: no Meterdesk workspace in %s yet (nothing was created there)\n", dir)
			r := chat.NoWorkspace()
			return env.Print(r, func(w io.Writer) { printReadiness(w, r) })
		},
		Run: func(env *Env, args []string) error {
			if err := noArgs(env, "status", args); err != nil {
				return err
			}
			r, err := env.Backend.Chat.Readiness(env.Ctx)
			if err != nil {
				return err
			}
			return env.Print(r, func(w io.Writer) { printReadiness(w, r) })
		},
	})
}

// printReadiness writes whether chat is ready, the line the window's
// Getting started card shows under its heading (chat.Readiness.Summary, as
// --json has it: "A few steps before the first metered reply.", what a
// used-up spending limit blocks), then the checklist, one line per step,
// with the command for each open step an admin can do.
func printReadiness(w io.Writer, r chat.Readiness) {
	if r.Ready {
		fmt.Fprintln(w, "Ready to chat: yes")
	} else {
		fmt.Fprintln(w, "Ready to chat: no")
	}
	if r.Summary != "" {
		fmt.Fprintln(w, r.Summary)
	}
	for _, s := range r.Steps {
		mark, optional := "[ ]", ""
		switch {
		case s.Done:
			mark = "[x]"
		case s.Warning:
			mark = "[!]" // open, but it does not stand in the way of a reply
		}
		if s.Optional {
			optional = " (optional)"
		}
		fmt.Fprintf(w, "%s %s%s: %s\n", mark, s.Title, optional, afterColon(s.Detail))
		if hint := stepHint(s); !s.Done && r.Admin && hint != "" {
			fmt.Fprintf(w, "    %s\n", hint)
		}
	}
}

// afterColon is a step's Detail as the CLI writes what follows a colon
// ("note: …", "charged … to the workspace pool: …"): its first word in
// lower case when it is an ordinary capitalised word ("The workspace pool
// has …" is "the workspace pool has …"). Detail is written as a sentence
// for the window, which shows it on a line of its own; a name that is
// not an ordinary word (OpenAI, DeepSeek) keeps its capitals, and so do
// the sentences after the first.
func afterColon(detail string) string {
	first, _, _ := strings.Cut(detail, " ")
	r, n := utf8.DecodeRuneInString(first)
	if n == 0 || !unicode.IsUpper(r) {
		return detail
	}
	for _, c := range first[n:] {
		if unicode.IsUpper(c) || unicode.IsDigit(c) {
			return detail // OpenAI, GPT, R2D2: a name
		}
	}
	return string(unicode.ToLower(r)) + detail[n:]
}

// stepHint is the command that does step s: for the rates step, `rates
// set` with the first row it names ("meterdesk rates set local gpt-4o
// …"), so the rate-table provider of a local server is not to be guessed.
func stepHint(s chat.ReadyStep) string {
	if s.ID != chat.StepRates || len(s.Rows) == 0 {
		return statusHints[s.ID]
	}
	each := ""
	if len(s.Rows) > 1 {
		each = ", and so for each model named"
	}
	return fmt.Sprintf("meterdesk rates set %s %s --unit 1m --input X --output Y (or: meterdesk rates import FILE%s)",
		shellquote.Word(s.Rows[0].Provider), shellquote.Word(s.Rows[0].Model), each)
}
