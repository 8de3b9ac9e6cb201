package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
)

// optFloat is a flag that is nil unless given (0 is a value, not "unset").
type optFloat struct{ v *float64 }

func (f *optFloat) String() string {
	if f == nil || f.v == nil {
		return ""
	}
	return strconv.FormatFloat(*f.v, 'g', -1, 64)
}

func (f *optFloat) Set(s string) error {
	v, err := chat.ParseSettingNumber(s) // the window's rule: a plain decimal
	if err != nil {
		return fmt.Errorf("%q is not a number (write a plain decimal such as 0.7)", s)
	}
	f.v = &v
	return nil
}

// reasoningFlag is a --reasoning flag: one of the levels (providers.
// ParseReasoning, case aside; "default" written out), "" unless given. A
// bad level is a usage error (exit 2) before anything is read or written.
type reasoningFlag struct{ v providers.Reasoning }

func (f *reasoningFlag) String() string {
	if f == nil {
		return ""
	}
	return string(f.v)
}

func (f *reasoningFlag) Set(s string) error {
	r, err := providers.ParseReasoning(s)
	if err != nil || strings.TrimSpace(s) == "" { // "" is no level on a command line: default is written out
		return fmt.Errorf("%q is not a reasoning level: use default, off, low, medium or high", s)
	}
	f.v = r
	return nil
}

// historyFlag is a --history flag: "all" or a whole number of exchanges
// (chat.ParseHistory, the window's rule too), not given unless set. A bad
// value is a usage error (exit 2) before anything is read or written.
type historyFlag struct {
	given bool
	v     *int // nil: All
}

func (f *historyFlag) String() string {
	switch {
	case f == nil || !f.given:
		return ""
	case f.v == nil:
		return "all"
	}
	return strconv.Itoa(*f.v)
}

func (f *historyFlag) Set(s string) error {
	v, err := chat.ParseHistory(s)
	if err != nil {
		return fmt.Errorf("%q is not a history: use all, or a whole number of exchanges from 0 to %d", s, chat.MaxHistory)
	}
	f.given, f.v = true, v
	return nil
}

// override is the flag as a send's History (chat.SendRequest.History):
// nil when not given, chat.HistoryAll for all.
func (f *historyFlag) override() *int {
	if !f.given {
		return nil
	}
	if f.v == nil {
		all := chat.HistoryAll
		return &all
	}
	return f.v
}

// settingFlag is a `conversations set` flag: a value, or "default" to
// hand the choice back to the provider or the model.
type settingFlag struct {
	given, reset bool
	text         string
}

func (f *settingFlag) String() string { return f.text }

func (f *settingFlag) Set(s string) error {
	f.given, f.text = true, strings.TrimSpace(s)
	f.reset = strings.EqualFold(f.text, "default")
	return nil
}

// float returns the flag's number (nil for "default"), checked as a number
// only: the ranges are the backend's (chat.ModelSettings).
func (f *settingFlag) float(name string) (*float64, error) {
	if f.reset {
		return nil, nil
	}
	v, err := chat.ParseSettingNumber(f.text) // the window's rule: a plain decimal
	if err != nil {
		return nil, Usagef("--%s %q is not a number (a plain decimal such as 0.7, or \"default\")", name, f.text)
	}
	return &v, nil
}

// runConversationSet is `meterdesk conversations set ID [flags]`: the
// title, system prompt and model settings, changed through
// chat.UpdateConversation (the window's Model settings panel uses the same).
func runConversationSet(env *Env, args []string) error {
	fs := env.Flags("conversations set")
	var title, system optString
	fs.Var(&title, "title", "new title")
	fs.Var(&system, "system", "new system prompt (\"\" removes it)")
	var temp, topP, maxOut settingFlag
	fs.Var(&temp, "temperature", "sampling temperature, 0 to 2, or default")
	fs.Var(&topP, "top-p", "nucleus sampling, 0 to 1, or default")
	fs.Var(&maxOut, "max-output", "output tokens asked for and held for per reply, or default")
	var reasoning reasoningFlag
	fs.Var(&reasoning, "reasoning", "how much a reasoning model thinks: default, off, low, medium or high")
	var history historyFlag
	fs.Var(&history, "history", "the earlier exchanges each send carries: all, or the last N (0 = only the new message)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("conversations set", pos, "ID"); err != nil {
		return err
	}
	id, err := conversationID(pos[0])
	if err != nil {
		return err
	}
	if title.v == nil && system.v == nil && !temp.given && !topP.given && !maxOut.given && reasoning.v == "" && !history.given {
		return Usagef("conversations set: give at least one of --title, --system, --temperature, --top-p, --max-output, --reasoning, --history")
	}
	svc := env.Backend.Chat
	in := chat.ConversationInput{SystemPrompt: system.v}
	if title.v != nil {
		if in.Title = strings.TrimSpace(*title.v); in.Title == "" {
			return Usagef("--title must not be empty")
		}
	}
	if temp.given || topP.given || maxOut.given || reasoning.v != "" || history.given {
		conv, err := svc.Conversation(env.Ctx, id)
		if err != nil {
			return err
		}
		set := conv.Settings // the settings not named stay as they are
		if temp.given {
			if set.Temperature, err = temp.float("temperature"); err != nil {
				return err
			}
		}
		if topP.given {
			if set.TopP, err = topP.float("top-p"); err != nil {
				return err
			}
		}
		if maxOut.given {
			set.MaxOutput = 0
			if !maxOut.reset {
				if set.MaxOutput, err = strconv.Atoi(maxOut.text); err != nil {
					return Usagef("--max-output %q is not a whole number of tokens (or \"default\")", maxOut.text)
				}
			}
		}
		if reasoning.v != "" {
			set.Reasoning = reasoning.v
		}
		if history.given {
			set.History = history.v
		}
		in.Settings = &set
	}
	conv, err := svc.UpdateConversation(env.Ctx, id, in)
	if err != nil {
		return err
	}
	// A level the conversation's model ignores (off on a model that always
	// reasons, a level on one that takes none) is kept, as the window keeps
	// it; the note says so as `chat --reasoning` does (standard error).
	printReasoningNote(env, id, "", "", reasoning.v)
	return env.Print(conv, func(w io.Writer) {
		fmt.Fprintf(w, "conversation %d (%s): %s\n", conv.ID, conv.Title, describeSettings(conv.Settings))
	})
}

// optString is a string flag that is nil unless given ("" is a value).
type optString struct{ v *string }

func (f *optString) String() string {
	if f == nil || f.v == nil {
		return ""
	}
	return *f.v
}

func (f *optString) Set(s string) error { f.v = &s; return nil }

// describeSettings is one line for people: "temperature 0.7 · top-p
// default · max output 1024 tokens · reasoning high · history all" (or
// "history last 3 exchanges").
func describeSettings(s chat.ModelSettings) string {
	num := func(p *float64) string {
		if p == nil {
			return "default"
		}
		return strconv.FormatFloat(*p, 'g', -1, 64)
	}
	out := "default (the model's)"
	if s.MaxOutput > 0 {
		out = fmt.Sprintf("%d tokens", s.MaxOutput)
	}
	reasoning := s.Reasoning
	if reasoning.IsDefault() {
		reasoning = providers.ReasoningDefault
	}
	return fmt.Sprintf("temperature %s · top-p %s · max output %s · reasoning %s · history %s", num(s.Temperature), num(s.TopP), out,
		reasoning, describeHistory(s.History))
}

// describeHistory is a History setting for people: "all", "last 1
// exchange", "last 3 exchanges", "none (only the new message)".
func describeHistory(h *int) string {
	switch {
	case h == nil:
		return "all"
	case *h == 0:
		return "none (only the new message)"
	case *h == 1:
		return "last 1 exchange"
	}
	return fmt.Sprintf("last %d exchanges", *h)
}
