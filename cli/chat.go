package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"meterdesk/backend/chat"
	"meterdesk/backend/fileout"
	"meterdesk/backend/money"
	"meterdesk/backend/providers"
	"meterdesk/backend/workzone"
)

const chatUsage = `meterdesk chat --model M [--provider P] [--conversation ID] [--system TEXT] [--max-tokens N]
               [--temperature T] [--top-p P] [--reasoning LEVEL] [--history all|N] [--estimate] "prompt"

Sends one metered message and streams the answer to stdout, then prints the
charge. Without --conversation a new conversation is stored (see
'meterdesk conversations'); with it, --model may be left out: the send uses
the conversation's model. "-" or no prompt reads the prompt from stdin.
--model takes the rate table's PROVIDER/MODEL too ("local/m1": a local
server's m1, priced by that row), PROVIDER a rates key or a provider's
name as 'providers list' shows it ("lab/gpt-4o": provider Lab's gpt-4o);
a model whose own name has a '/' ("openai/gpt-4o" at OpenRouter) is sent
as it is, and so is a cloud row's name ("openai/gpt-4o-mini") while an
OpenAI-compatible server not on this computer is configured: add
--provider openai to mean OpenAI's gpt-4o-mini. With only a server on
this computer whose models are not known yet, such a name is refused,
saying which --provider to add.
--json prints one JSON object instead: conversationId, messageId, text,
status, finishReason ("length": the output budget ran out), outputBudget,
note, statusNote (how a reply that did not finish ended: "Stopped — charged
for what was generated.", "Interrupted: …"; "" otherwise), charge (with its
exact breakdown) and error.
A send refused for credits whose prompt fits but not the room held for its
output says the largest --max-tokens that fits now; a spending limit that
leaves less than the credits, and so bounds it, is said on standard error
("warning: …"), as the window shows it under the refusal.
A reply cut off at its output budget, or one whose whole budget went to
thinking with no answer, is followed by a note on standard error saying so.
--max-tokens, --temperature, --top-p, --reasoning and --history apply to this
send, in place of the conversation's model settings (see 'meterdesk
conversations set'); in a new conversation (no --conversation) they are
stored as its model settings, so the sends that continue it use them too.
--history all|N sends the conversation's last N exchanges (a message and the
reply that answered it; 0: only this message) instead of all of them: a
smaller prompt costs less and fits the model's context window.
--reasoning default|off|low|medium|high asks a reasoning model to think less or
more (Claude, Gemini 2.5+: a thinking budget of its own, held and charged as
output on top of the output budget; OpenAI's o-series and gpt-5: its
reasoning_effort; Gemini 3: its thinking level); default sends nothing, and a
model that takes no such setting is sent nothing, nor is off to a model that
always reasons (gpt-5, the o-series): a note on standard error says so, as
the window's hint does ("gpt-5 always reasons: Reasoning off sends nothing"),
and the send goes. A level the model does not
take (gpt-5-pro: high only), a temperature or top P it refuses, or an output
budget above its documented ceiling is refused before anything is held (exit 2).
--system sets a new conversation's system prompt (--estimate prices it with
the prompt, as the send sends it); an existing one's is changed with
'meterdesk conversations set ID --system TEXT'.
--estimate prints what sending would cost (the range [prompt, prompt + maximum
output], with balance and limit warnings, and the refusal a send would meet,
--temperature and --top-p included) and sends nothing. When the send would be
refused for credits or by a spending limit, it also prints on standard error
the line the send would (with the largest --max-tokens that fits, when the
room held for the output is what does not) and exits as the send would (3);
with --json, "refusal" has its code and message (null when none).
Exit code 3 when the send is refused (not enough credits, a spending limit),
5 when no provider serves the model, 1 when it fails (offline, a provider
error); see 'meterdesk help'. A prompt that starts with '-' goes after '--':
chat --model M -- "-h means help". A send that fails before any reply stores
nothing: no new conversation is left behind (conversationId is null with
--json), and the draft of --conversation ID stays as the window has it. A reply cut off after
some text is kept and charged; the error names its conversation.
Ctrl-C (or SIGTERM: a kill, a service stop) stops the reply as the window's
Stop does: what was delivered is kept and charged (exit code 1); before any
text, nothing is charged. The error line says which stopped it.`

const conversationsUsage = `meterdesk conversations new
meterdesk conversations list [--search TEXT] [--limit N]
meterdesk conversations show ID
meterdesk conversations set ID [--title TEXT] [--system TEXT] [--temperature T|default] [--top-p P|default]
                               [--max-output N|default] [--reasoning default|off|low|medium|high]
                               [--history all|N]
meterdesk conversations export ID [--out FILE]
meterdesk conversations delete ID

show prints the messages with each reply's charge; under a reply that
replaced others (a regenerate, an edit) what those were charged and each
one's breakdown ("[1 earlier reply replaced · 0.054 credits]").
export writes the conversation as Markdown (messages, each reply's charge,
the total: what the conversation cost, replies replaced by a regenerate or
an edit included and counted on a line of their own) to FILE, or to stdout.
set changes a conversation's title, system prompt or model settings (sent
with each of its requests): temperature 0 to 2, top-p 0 to 1, max output the
output tokens asked for and held for per reply, reasoning how much a
reasoning model thinks (see 'meterdesk chat -h'), history how many earlier
exchanges each send carries: all (the default) or the last N, 0 to 1000 (0:
only the new message; fewer cost less and keep a long conversation within the
model's context window, but the model no longer sees the rest); "default"
(for temperature, top-p, max output and reasoning) hands the choice back to
the provider or the model; history's own default is "all".`

func init() {
	Register(Command{Name: "chat", Summary: "send a metered message to a model and print the charge",
		Example: `meterdesk chat --model gpt-4o "Summarise the GDPR in one line"
git diff | meterdesk chat --model gpt-4o --system "Review this patch" -`,
		Usage: chatUsage, Run: runChat})
	Register(Command{Name: "conversations", Summary: "start (new), list, show, change (set), export or delete stored chat conversations",
		Example: `meterdesk conversations export 12 --out chat-12.md`,
		Usage:   conversationsUsage, Run: runConversations})
}

// chatResult is `meterdesk chat --json` output. ConversationID is null when
// the send stored nothing in a new conversation (none is kept).
type chatResult struct {
	ConversationID *int64          `json:"conversationId"`
	MessageID      string          `json:"messageId"`
	Text           string          `json:"text"`
	Status         string          `json:"status"`
	FinishReason   string          `json:"finishReason"` // chat.Message.FinishReason
	OutputBudget   int             `json:"outputBudget"` // max output tokens the reply had
	Note           string          `json:"note"`         // chat.ReplyNote: why it ended short or empty
	StatusNote     string          `json:"statusNote"`   // chat.StatusNote: how a reply that did not finish ended, as conversations show --json has it
	Charge         *chat.Charge    `json:"charge"`
	Error          *chat.ErrorInfo `json:"error"` // with maxTokens for a refusal for credits or a limit, as --estimate's refusal
}

func runChat(env *Env, args []string) error {
	fs := env.Flags("chat")
	model := fs.String("model", "", "model to send to (required unless the conversation has one)")
	provider := fs.String("provider", "", "configured provider name or id (default: the one serving the model)")
	convID := int64Flag(fs, "conversation", 0, "continue this conversation")
	system := fs.String("system", "", "system prompt for a new conversation")
	maxTokens := intFlag(fs, "max-tokens", 0, "output budget (default: the conversation's, else per model)")
	var temperature, topP optFloat
	fs.Var(&temperature, "temperature", "sampling temperature, 0 to 2 (default: the conversation's, else the provider's)")
	fs.Var(&topP, "top-p", "nucleus sampling, 0 to 1 (default: the conversation's, else the provider's)")
	var reasoning reasoningFlag
	fs.Var(&reasoning, "reasoning", "default, off, low, medium or high (default: the conversation's)")
	var history historyFlag
	fs.Var(&history, "history", "all, or the last N exchanges to send (default: the conversation's)")
	estimate := fs.Bool("estimate", false, "print the cost range of sending the prompt; send nothing")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	prompt := strings.Join(pos, " ")
	if prompt == "" || prompt == "-" {
		b, err := io.ReadAll(stdin(env))
		if err != nil {
			return fmt.Errorf("read the prompt from stdin: %w", err)
		}
		prompt = strings.TrimRight(string(b), "\r\n")
	}
	if strings.TrimSpace(prompt) == "" {
		return Usagef("chat: no prompt given (give it as arguments, or on standard input)")
	}
	svc := env.Backend.Chat
	if *estimate {
		if *convID == 0 && *model == "" {
			return Usagef("chat --estimate needs --model or --conversation")
		}
		if *convID != 0 && *system != "" { // refused as the send is
			if _, err := svc.Conversation(env.Ctx, *convID); err != nil {
				return err
			}
			return systemOfExisting(*convID)
		}
		// A new conversation's --system is part of the prompt priced, as
		// the send sends it.
		est, err := svc.EstimateDraftWith(env.Ctx, *convID, *provider, *model, prompt, chat.DraftOptions{MaxTokens: *maxTokens,
			Reasoning: reasoning.v, History: history.override(), Temperature: temperature.v, TopP: topP.v, System: *system})
		if err != nil {
			return err
		}
		printReasoningNote(env, *convID, *provider, *model, reasoning.v)
		// A send the hold would refuse (credits, a spending limit): the
		// estimate is printed, then the send's refusal in its words with
		// the command line's way past it, and the send's exit code.
		refusal := est.Refusal()
		out := estimateResult{DraftEstimate: est}
		out.Refusal = est.RefusalInfo
		if err := env.Print(out, func(w io.Writer) {
			e := est.Estimate
			// Token counts grouped as read ("up to 4,096 output tokens"), as
			// the window writes them; --max-tokens is typed without commas.
			// An upper end priced at the reasoning rate says why: the
			// whole budget thought, at a rate above the output rate.
			thinking := ""
			if e.HighThinking {
				thinking = ", " + chat.HighThinkingWords
			}
			fmt.Fprintf(w, "%s: %s prompt tokens (%s), up to %s output tokens: %s to %s credits%s\n",
				e.Model, money.GroupInt(int64(e.PromptTokens)), map[bool]string{true: "exact", false: "approximate"}[e.Exact], money.GroupInt(int64(e.MaxOutputTokens)),
				money.DisplayString(e.Low), money.DisplayString(e.High), thinking)
			warnings := est.Warnings
			if refusal != nil {
				warnings = est.WarningsBesideRefusal() // the refusal says it, below
			}
			for _, warning := range warnings {
				fmt.Fprintln(w, "warning:", warning)
			}
		}); err != nil {
			return err
		}
		if refusal != nil {
			return withHints(refusal, out.Refusal, *convID, oneOff{maxTokens: *maxTokens, reasoning: reasoning.v})
		}
		return nil
	}
	if *convID != 0 {
		conv, err := svc.Conversation(env.Ctx, *convID)
		if err != nil {
			return err
		}
		if *system != "" {
			return systemOfExisting(conv.ID)
		}
	} else if *model == "" {
		return Usagef("chat needs --model")
	}
	// A message refused for its own text (chat.CheckMessage, the send's
	// check) is told that alone: no notes about the model first. The send
	// still makes the refusal, so --json prints its result as for any.
	said := "" // the note printed, which a refusal's line need not repeat
	if chat.CheckMessage(prompt) == nil {
		printReasoningNote(env, *convID, *provider, *model, reasoning.v)
		// An unpriced model is charged the default rate: say so before the
		// reply (standard error, also with --json), as the window's
		// composer does. A model its provider does not list (a mistyped
		// name, most likely) is a warning.
		if note, err := svc.SendNote(env.Ctx, *convID, *provider, *model); err == nil && note.Text != "" {
			fmt.Fprintln(env.Err, map[bool]string{false: "note:", true: "warning:"}[note.Unlisted], note.Text)
			said = note.Text
		}
	}
	id := chat.NewID()
	streamed := false
	show := forTerminal(env.Out)
	sendCtx, stopSend := stopOnInterrupt(env.Ctx, svc, id)
	req := chat.SendRequest{ConversationID: *convID, MessageID: id, Provider: *provider,
		Model: *model, Text: prompt, MaxTokens: *maxTokens, Temperature: temperature.v, TopP: topP.v, Reasoning: reasoning.v,
		History: history.override(), Source: chat.SourceCLI,
		OnDelta: func(text string) {
			if !env.JSON {
				streamed = true
				fmt.Fprint(env.Out, show(text))
			}
		}}
	// A send that stores nothing leaves nothing behind: no new conversation
	// (SendNew removes the one it made), and no draft (a CLI send never
	// writes one, so the window's draft of --conversation stays as it was).
	var m *chat.Message
	var sendErr error
	keptIn := *convID // the conversation that holds the message, 0: none
	if *convID != 0 {
		m, sendErr = svc.Send(sendCtx, req)
	} else {
		keptIn, m, sendErr = svc.SendNew(sendCtx, chat.ConversationInput{Model: model, Provider: provider, SystemPrompt: system}, req)
	}
	stopSend()
	res := chatResult{MessageID: id, Error: chat.ClassifyFor(env.Ctx, sendErr), Status: "failed"}
	if keptIn != 0 {
		res.ConversationID = &keptIn
	}
	if res.Error != nil {
		res.Error.Message = plainSendError(res.Error.Message, id)
	}
	if m != nil {
		res.Text, res.Status, res.Charge = m.Content, m.Status, m.Charge
		res.FinishReason, res.OutputBudget, res.Note, res.StatusNote = m.FinishReason, m.OutputBudget, m.Note, m.StatusNote
	}
	if env.JSON {
		if err := env.Print(res, nil); err != nil {
			return err
		}
	} else {
		if streamed {
			fmt.Fprintln(env.Out)
		}
		if m != nil && m.Charge != nil {
			// The account named as `credits balance` names it: its code,
			// then the chat's words for the member's payer ("dept:1 (the
			// Research department)"), as a refusal names it (after a Ctrl-C too).
			to := m.Charge.Payer
			if p, _, err := env.Backend.MyBalance(context.WithoutCancel(env.Ctx)); err == nil && p.Account == to {
				to += " (" + p.Phrase() + ")"
			}
			fmt.Fprintf(env.Out, "\n%s\n", chat.ChargedToNamed(m.Charge, to))
		}
		// Why the reply ended short or empty (standard error, as the
		// window shows it under the reply), and the command line's way to
		// a bigger budget.
		if m != nil && m.Note != "" {
			fmt.Fprintln(env.Err, "note:", m.Note)
			if m.FinishReason == chat.FinishLength && keptIn != 0 {
				fmt.Fprintf(env.Err, "note: on the command line: --max-tokens N for one send, or for the conversation: meterdesk conversations set %d --max-output N\n", keptIn)
			}
		}
		// A reply in a new conversation: say how to go on with it (standard
		// error, so that the reply and its charge stay alone on the output).
		if sendErr == nil && *convID == 0 && keptIn != 0 {
			fmt.Fprintf(env.Err, "conversation %d: continue it with: meterdesk chat --conversation %d \"…\"\n", keptIn, keptIn)
		}
	}
	// Where a failed send's message is kept: a reply cut off after some
	// text or reasoning text (charged), or one whose charge failed, stays
	// in its conversation, which the error line names so that it can be
	// continued.
	stored := m != nil
	if !stored && sendErr != nil {
		_, err := svc.Message(context.WithoutCancel(env.Ctx), id)
		stored = err == nil
	}
	keptNote := ""
	if stored && keptIn != 0 {
		keptNote = fmt.Sprintf(" (kept in conversation %d; continue it with: meterdesk chat --conversation %d)", keptIn, keptIn)
	}
	if env.Ctx.Err() != nil { // Ctrl-C or SIGTERM
		by := stoppedBy(env.Ctx)
		switch {
		case sendErr == nil && m != nil && m.Status == chat.StatusStopped && chat.Free(m.Charge):
			// As the window's "Stopped — free, nothing charged." (chat.StatusNote).
			return errors.New("stopped by " + by + ": the reply is kept as far as it got; free, nothing charged" + keptNote)
		case sendErr == nil && m != nil && m.Status == chat.StatusStopped:
			return errors.New("stopped by " + by + ": the reply is kept as far as it got, and charged for that" + keptNote)
		case m == nil && errors.Is(sendErr, context.Canceled):
			sendErr = errors.New("stopped by " + by + " before any reply: nothing was charged")
		}
	}
	if sendErr != nil {
		// The error line says what the window says: a refusal in its own
		// words (a spending limit's, as chat.Classify gives it), never the
		// ids of the send's hold or ledger entries.
		if res.Error != nil && res.Error.Code == chat.CodeLimit {
			sendErr = reworded(sendErr, res.Error.Message)
		} else {
			sendErr = reworded(sendErr, plainSendError(sendErr.Error(), id))
		}
		// A refusal for credits repeats the default-rate note printed
		// above: say it once.
		if said != "" && strings.Contains(sendErr.Error(), ". "+said) {
			sendErr = reworded(sendErr, strings.Replace(sendErr.Error(), ". "+said, "", 1))
		}
		if keptNote != "" {
			sendErr = fmt.Errorf("%w%s", sendErr, keptNote)
		}
		if res.Error != nil && res.Error.Code == chat.CodeInsufficient {
			printBesideRefusal(env, svc, *convID, *provider, *model, prompt, *system, said, sendErr.Error(), chat.DraftOptions{
				MaxTokens: *maxTokens, Reasoning: reasoning.v, History: history.override(), Temperature: temperature.v, TopP: topP.v})
		}
		return withHints(sendErr, res.Error, *convID, oneOff{maxTokens: *maxTokens, reasoning: reasoning.v})
	}
	return nil
}

// printBesideRefusal prints on standard error (also with --json) what
// the window's composer shows under a send refused for credits: the
// estimate's warnings beside the refusal (DraftEstimate.
// WarningsBesideRefusal, as `chat --estimate` prints them), such as a
// spending limit's ("this send may cost up to … more than the 50.00 left
// of the daily limit …"), which is what bounds the --max-tokens the
// refusal's hint names when it leaves less than the credits. Nothing when
// the estimate, read now, meets no refusal for credits (the state
// changed), and no warning already said: the note printed before the send
// (said) or one the error line (refusal) says.
func printBesideRefusal(env *Env, svc *chat.Service, convID int64, provider, model, prompt, system, said, refusal string, opt chat.DraftOptions) {
	if convID == 0 {
		opt.System = system // a new conversation's, priced as the send sent it
	}
	est, err := svc.EstimateDraftWith(env.Ctx, convID, provider, model, prompt, opt)
	if err != nil || est.RefusalInfo == nil || est.RefusalInfo.Code != chat.CodeInsufficient {
		return
	}
	for _, w := range est.WarningsBesideRefusal() {
		if w == said || strings.Contains(refusal, w) {
			continue
		}
		fmt.Fprintln(env.Err, "warning:", w)
	}
}

// printReasoningNote prints, once, on standard error (also with --json,
// whose output has no notes), what the window's hint under its Reasoning
// picker says when the --reasoning level given sends nothing for the
// send's model (chat.ReasoningNote): "note: gpt-5 always reasons:
// Reasoning off sends nothing". Nothing without --reasoning, or when the
// level does what it asks; an error is left to the send or the estimate,
// which say it in their words.
func printReasoningNote(env *Env, convID int64, provider, model string, level providers.Reasoning) {
	if level == "" {
		return
	}
	if note, err := env.Backend.Chat.ReasoningNote(env.Ctx, convID, provider, model, level); err == nil && note != "" {
		fmt.Fprintln(env.Err, "note:", note)
	}
}

// systemOfExisting refuses --system with --conversation id (a send or its
// estimate): the system prompt is a new conversation's; an existing one's
// is changed with conversations set.
func systemOfExisting(id int64) error {
	return Usagef("--system applies to new conversations; to change conversation %d's: meterdesk conversations set %d --system TEXT", id, id)
}

// estimateResult is `meterdesk chat --estimate --json` output: the
// estimate, and the refusal a send would meet now (not enough credits, a
// spending limit: code, message and maxTokens as a send's "error" has
// them, chat.ClassifyFor of either), null when none.
type estimateResult struct {
	chat.DraftEstimate
	Refusal *chat.ErrorInfo `json:"refusal"`
}

// withHints is err, a send's error or the refusal `chat --estimate` says a
// send would meet (info: chat.ClassifyFor of it), followed by the command
// line's way past it where the window's words name its own: top up (an
// admin: a member's message already says to ask one), a smaller
// --max-tokens when the hold for the output budget is what does not fit,
// another --reasoning, --temperature or --top-p for a model that refuses
// them, --history for a conversation over the context window. The limit's
// words say when it resets. once is the send's one-off --max-tokens and
// --reasoning. One function for `chat` and `chat --estimate`.
func withHints(err error, info *chat.ErrorInfo, convID int64, once oneOff) error {
	if info != nil && info.TopUp { // a member's message already says to ask an admin
		err = fmt.Errorf("%w; top up with: %s", err, statusHints[chat.StepCredits])
	}
	if room, ok := chat.RoomFor(err); ok && outputRoomHint(room, convID, once) != "" {
		err = fmt.Errorf("%w; %s", err, outputRoomHint(room, convID, once))
	}
	var tse *chat.ThinkingSamplingError
	var rle *chat.ReasoningLevelError
	var oce *chat.OutputCeilingError
	switch { // the window's words name its Model settings: the command line's way too
	case errors.As(err, &tse):
		err = fmt.Errorf("%w; %s", err, thinkingSamplingHint(tse, convID, once))
	case errors.As(err, &rle):
		err = fmt.Errorf("%w; %s", err, reasoningLevelHint(rle, convID, once))
	case errors.As(err, &oce):
		err = fmt.Errorf("%w; %s", err, outputCeilingHint(oce, convID, once))
	}
	var tooLong *chat.ContextTooLongError
	if errors.As(err, &tooLong) && convID != 0 && tooLong.Earlier > 0 {
		// The window's words name its Model settings: the command line's way too.
		err = fmt.Errorf("%w (on the command line: meterdesk conversations set %d --history N, or --history N for one send; nothing was charged)",
			err, convID)
	}
	return err
}

// oneOff is what a send's flags override of its conversation's settings
// for that send alone: --max-tokens (0: none) and --reasoning ("": none).
type oneOff struct {
	maxTokens int
	reasoning providers.Reasoning
}

// any reports whether the send overrode a setting of its conversation: a
// hint then names one send's flags, not `conversations set`, which would
// change a setting the refused send did not use.
func (o oneOff) any() bool { return o.maxTokens > 0 || o.reasoning != "" }

// reasoningAgain is the send's one-off --reasoning to send with again
// before a way past that changes only its output budget ("--reasoning
// high ", "" without one): the budget named fits at that level.
func (o oneOff) reasoningAgain() string {
	if o.reasoning == "" {
		return ""
	}
	return "--reasoning " + string(o.reasoning) + " "
}

// maxTokensAgain is the send's one-off --max-tokens to send with again
// after a way past that changes only its level (" --max-tokens 2000", ""
// without one): the level named fits with that budget.
func (o oneOff) maxTokensAgain() string {
	if o.maxTokens == 0 {
		return ""
	}
	return fmt.Sprintf(" --max-tokens %d", o.maxTokens)
}

// outputRoomHint is the command line's way past a send refused for credits
// or by a spending limit whose output budget's hold is what does not fit:
// the largest --max-tokens that fits now, or --reasoning LEVEL when the
// refusal names the lower level that fits (chat.OutputRoom.Level), or
// --reasoning off when the same send with Reasoning off fits (its output
// held at the output rate, not the reasoning rate); with the conversation's
// (convID, 0: none) settings that do the same for every send. A send with a
// one-off --max-tokens (maxTokens, 0: none) is told to send again with the
// flag named, not to change the conversation's output budget, which its
// --max-tokens overrides; a conversation's lower level is named with that
// --max-tokens again, since the level fits with that budget. A send with a
// one-off --reasoning is told only one send's flags: the level and the
// budget named fit at its level, not the conversation's, which its
// --reasoning overrides (conversations set … --reasoning or --max-output
// would change a setting the refused send did not use). Each way names the
// one-off flag it leaves as it was ("--reasoning high --max-tokens 3608 or
// less", "--reasoning low --max-tokens 2000"). "" when nothing
// named fits: not even one output token beside the prompt and no level
// (never --max-tokens 0, never a lower --reasoning that does not fit
// either).
func outputRoomHint(room chat.OutputRoom, convID int64, once oneOff) string {
	maxTokens := once.maxTokens
	if once.reasoning != "" {
		convID = 0 // the conversation's settings are not what was refused
	}
	// The conversation's own way to the level the refusal names (Reasoning
	// off included), not only one send's --reasoning.
	level := room.Level
	if room.Thinking == 0 && room.ReasoningOff {
		level = "off"
	}
	convLevel := func() string {
		h := fmt.Sprintf("meterdesk conversations set %d --reasoning %s", convID, level)
		if maxTokens > 0 {
			h += fmt.Sprintf(", then send with --max-tokens %d again", maxTokens)
		}
		return h
	}
	// Each way names the send's one-off flags it leaves as they were: the
	// budget named fits at its --reasoning, the level with its --max-tokens.
	var sends []string
	if room.MaxTokens > 0 {
		sends = append(sends, fmt.Sprintf("%s--max-tokens %d or less", once.reasoningAgain(), room.MaxTokens))
	}
	if level != "" {
		sends = append(sends, "--reasoning "+string(level)+once.maxTokensAgain())
	}
	if len(sends) == 0 {
		return ""
	}
	or := " or "
	if once.any() && len(sends) > 1 { // two ways of more than one flag each: which flags go together
		or = ", or with "
	}
	hint := "on the command line: send with " + strings.Join(sends, or)
	if room.MaxTokens == 0 {
		if convID != 0 {
			hint += ", or " + convLevel()
		}
		if room.Thinking > 0 {
			return hint + " (the thinking budget of the send's level alone does not fit)"
		}
		return hint + " (not even one output token fits at the reasoning rate)"
	}
	if convID != 0 {
		var convs []string
		if maxTokens == 0 { // a one-off --max-tokens overrides the conversation's
			convs = append(convs, fmt.Sprintf("meterdesk conversations set %d --max-output %d", convID, room.MaxTokens))
		}
		if level != "" {
			convs = append(convs, convLevel())
		}
		if len(convs) > 0 {
			hint += " (or " + strings.Join(convs, ", or ") + ")"
		}
	}
	return hint
}

// thinkingSamplingHint is the command line's way past a send refused
// because its model takes no temperature or top P of its own while it
// thinks: clear the conversation's setting (or leave out the flag), or,
// where Default stops the thinking, send with --reasoning default, with
// the send's one-off --max-tokens again (once).
func thinkingSamplingHint(e *chat.ThinkingSamplingError, convID int64, once oneOff) string {
	flag := "--temperature"
	if e.Setting == "topP" {
		flag = "--top-p"
	}
	hint := fmt.Sprintf("on the command line: leave out %s", flag)
	if convID != 0 {
		hint = fmt.Sprintf("on the command line: meterdesk conversations set %d %s default (and no %s on the send)", convID, flag, flag)
	}
	if e.CanDisable {
		hint += ", or send with --reasoning default" + once.maxTokensAgain()
	}
	return hint
}

// reasoningLevelHint is the command line's way past a send refused at a
// reasoning level its model does not take: send with one it takes, or set
// the conversation's. Each level comes with the send's one-off
// --max-tokens again (once), as outputRoomHint names them; a level the
// send's one-off --reasoning asked for is told one send's flags only, not
// `conversations set … --reasoning`, a setting the refused send did not use.
func reasoningLevelHint(e *chat.ReasoningLevelError, convID int64, once oneOff) string {
	levels := make([]string, 0, len(e.Takes)+1)
	for _, l := range e.Takes {
		levels = append(levels, "--reasoning "+string(l)+once.maxTokensAgain())
	}
	levels = append(levels, "--reasoning default"+once.maxTokensAgain())
	or := " or "
	if once.maxTokens > 0 { // ways of two flags each: which flags go together
		or = ", or with "
	}
	hint := "on the command line: send with " + strings.Join(levels, or)
	if convID != 0 && once.reasoning == "" {
		hint += fmt.Sprintf(" (or meterdesk conversations set %d --reasoning %s", convID, e.Takes[len(e.Takes)-1])
		if once.maxTokens > 0 {
			hint += fmt.Sprintf(", then send with --max-tokens %d again", once.maxTokens)
		}
		hint += ")"
	}
	return hint
}

// outputCeilingHint is the command line's way past a send refused for an
// output budget above its model's ceiling: a smaller --max-tokens (the
// answer's, the thinking budget on top), or a lower --reasoning, each with
// the send's one-off flag it leaves as it was (once: the budget named fits
// at the send's --reasoning; a lower level is asked for with its
// --max-tokens); the conversation's --max-output only when the send used
// its conversation's settings (a one-off --max-tokens overrides it, and the
// budget named fits at a one-off --reasoning, not the conversation's level).
func outputCeilingHint(e *chat.OutputCeilingError, convID int64, once oneOff) string {
	hint := fmt.Sprintf("on the command line: send with %s--max-tokens %d or less", once.reasoningAgain(), e.Ceiling-e.Thinking)
	if e.Thinking > 0 {
		switch {
		case once.maxTokens > 0:
			hint += fmt.Sprintf(", or with a lower --reasoning and --max-tokens %d", once.maxTokens)
		case once.any():
			hint += ", or with a lower --reasoning"
		default:
			hint += " or a lower --reasoning"
		}
	}
	if convID != 0 && !once.any() {
		hint += fmt.Sprintf(" (or meterdesk conversations set %d --max-output %d)", convID, e.Ceiling-e.Thinking)
	}
	return hint
}

// plainSendError takes the ids of the send of message id (its ledger hold
// "hold:<id>", the request id it charges under) out of an error's text:
// "send to gpt-4o: hold hold:<id>: …" reads "send to gpt-4o: …", "charge
// <id>: …" reads "charge: …". They mean nothing to the person reading it.
func plainSendError(msg, id string) string {
	if id == "" {
		return msg
	}
	msg = strings.ReplaceAll(msg, "hold hold:"+id+": ", "")
	msg = strings.ReplaceAll(msg, "hold:"+id, "its hold")
	msg = strings.ReplaceAll(msg, " of "+id, " of this message")
	msg = strings.ReplaceAll(msg, " "+id, "")
	return strings.ReplaceAll(msg, id, "this message")
}

// stopOnInterrupt returns the context to send message id with: Ctrl-C or
// SIGTERM (ctx ending) stops a reply that is streaming as the window's Stop does (the
// reply is kept as "stopped", charged for what was delivered), and cancels a
// send that has not started streaming (nothing is charged or stored). Call
// release when the send has returned.
func stopOnInterrupt(ctx context.Context, svc *chat.Service, id string) (sendCtx context.Context, release func()) {
	sendCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			if !svc.Stop(sendCtx, id) {
				cancel()
			}
		case <-done:
		}
	}()
	return sendCtx, func() { close(done); cancel() }
}

func runConversations(env *Env, args []string) error {
	sub, rest, err := subcommand("conversations", args)
	if err != nil {
		return err
	}
	args = append([]string{sub}, rest...) // an alias as the subcommand it stands for ("rm" as "delete")
	svc := env.Backend.Chat
	idArg := func() (int64, error) {
		pos, err := onlyArgs(env, "conversations "+args[0], args[1:], "ID")
		if err != nil {
			return 0, err
		}
		return conversationID(pos[0])
	}
	switch args[0] {
	case "new":
		if err := noArgs(env, "conversations new", args[1:]); err != nil {
			return err
		}
		// Not the window's blank conversation holding its draft: a send
		// from here would leave that draft under it (StartEmptyConversation).
		conv, err := svc.StartEmptyConversation(env.Ctx)
		if err != nil {
			return err
		}
		return env.Print(conv, func(w io.Writer) { fmt.Fprintf(w, "conversation %d (%s)\n", conv.ID, conv.Title) })
	case "list", "ls":
		fs := env.Flags("conversations list")
		search := fs.String("search", "", "only conversations containing this text (case and accents aside)")
		limit := intFlag(fs, "limit", chat.ListLimit, fmt.Sprintf("list at most this many, newest first (1 to %d)", chat.MaxListLimit))
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		if *limit < 1 || *limit > chat.MaxListLimit {
			return Usagef("--limit must be 1 to %d", chat.MaxListLimit)
		}
		list, err := svc.ListConversations(env.Ctx, *search, *limit+1) // one more: are there older ones?
		if err != nil {
			return err
		}
		if len(list) > *limit {
			list = list[:*limit]
			if !env.JSON {
				fmt.Fprintf(env.Err, "the %d most recent are listed: --limit or --search finds older ones\n", *limit)
			}
		}
		loc, err := env.Backend.Zone(env.Ctx)
		if err != nil {
			return err
		}
		return env.Print(list, func(w io.Writer) {
			if len(list) == 0 {
				fmt.Fprintln(w, "no conversations")
				return
			}
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintf(tw, "ID\tUPDATED (%s)\tMODEL\tMESSAGES\tTITLE\n", loc)
			for _, c := range list {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\n", c.ID, workzone.LocalTime(c.UpdatedAt, loc, workzone.Minutes), c.Model, c.Messages, c.Title)
			}
			tw.Flush()
		})
	case "show":
		id, err := idArg()
		if err != nil {
			return err
		}
		conv, err := svc.Conversation(env.Ctx, id)
		if err != nil {
			return err
		}
		msgs, err := svc.Messages(env.Ctx, id)
		if err != nil {
			return err
		}
		out := struct {
			chat.Conversation
			Messages []chat.Message `json:"messages"`
		}{conv, msgs}
		return env.Print(out, func(w io.Writer) {
			show := forTerminal(w)
			fmt.Fprintf(w, "# %s (conversation %d, %s)\n", conv.Title, conv.ID, conv.Model)
			if conv.SystemPrompt != "" {
				fmt.Fprintf(w, "\nsystem: %s\n", conv.SystemPrompt)
			}
			if !conv.Settings.IsDefault() {
				fmt.Fprintf(w, "\nsettings: %s\n", describeSettings(conv.Settings))
			}
			for _, m := range msgs {
				who := m.Role
				if m.WrittenBy != nil { // not the owner: an admin's turn written before only the owner could
					what := "written"
					if m.Role == chat.RoleAssistant {
						what = "sent"
					}
					who = fmt.Sprintf("%s (%s by %s)", m.Role, what, show(m.WrittenBy.Name))
				}
				fmt.Fprintf(w, "\n%s:\n%s\n", who, show(m.Content))
				// How a reply that did not finish ended, in the window's
				// words, once (chat.StatusNote: "Stopped — free, nothing
				// charged.", "Interrupted: …", "Error: …"); another status
				// (a reply still being written) by its name.
				switch {
				case m.StatusNote != "":
					fmt.Fprintf(w, "[%s]\n", show(m.StatusNote))
				case m.Status != chat.StatusDone:
					fmt.Fprintf(w, "[%s] %s\n", m.Status, show(m.Error))
				}
				if m.Note != "" {
					fmt.Fprintf(w, "[note] %s\n", m.Note)
				}
				if m.Charge != nil {
					fmt.Fprintf(w, "[%s]\n", m.Charge.Summary)
				}
				printReplaced(w, m.Replaced, show)
			}
			if conv.Draft != "" {
				fmt.Fprintf(w, "\ndraft (not sent):\n%s\n", conv.Draft)
			}
		})
	case "set":
		return runConversationSet(env, args[1:])
	case "export":
		fs := env.Flags("conversations export")
		out := fs.String("out", "", "file to write (default or -: stdout)")
		pos, err := parseArgs(fs, args[1:])
		if err != nil {
			return err
		}
		if err := wantArgs("conversations export", pos, "ID"); err != nil {
			return err
		}
		id, err := conversationID(pos[0])
		if err != nil {
			return err
		}
		ex, err := svc.ExportMarkdown(env.Ctx, id)
		if err != nil {
			return err
		}
		if toStdout(*out) {
			_, err := io.WriteString(env.Out, ex.Markdown)
			return err
		}
		if err := fileout.WriteBytes(*out, 0o600, []byte(ex.Markdown)); err != nil {
			return fmt.Errorf("conversation %d: %w", id, err) // fileout's error names the file: "export to F: …"
		}
		return env.Print(map[string]any{"conversationId": id, "file": *out}, func(w io.Writer) {
			fmt.Fprintf(w, "conversation %d written to %s\n", id, *out)
		})
	case "delete", "rm":
		id, err := idArg()
		if err != nil {
			return err
		}
		if err := svc.DeleteConversation(env.Ctx, id); err != nil {
			return err
		}
		return env.Print(map[string]any{"deleted": id}, func(w io.Writer) { fmt.Fprintf(w, "deleted conversation %d\n", id) })
	}
	return unknownSubcommand("conversations", args[0], nil)
}

// printReplaced prints under a reply what the charged replies it replaced
// cost (a regenerate's earlier replies, a stopped one included; the answers
// an edit-and-resend replaced), whose messages `conversations show` leaves
// out but whose charges the ledger took: "[1 earlier reply replaced · 0.054 credits]",
// then each one's line ("  [Stopped reply · gpt-4o · … · total 0.054
// credits]"), the window's words as its collapsed line opens to (Go's:
// chat.ReplacedLine, chat.ReplacedReplyLine).
func printReplaced(w io.Writer, r *chat.Replaced, show func(string) string) {
	if r == nil || len(r.Replies) == 0 {
		return
	}
	fmt.Fprintf(w, "[%s]\n", r.Summary)
	for _, p := range r.Replies {
		fmt.Fprintf(w, "  [%s]\n", show(p.Line))
	}
	if r.NotListed != "" { // never so in a whole read; said if it were
		fmt.Fprintf(w, "  [%s]\n", r.NotListed)
	}
}

// conversationID parses a conversation id argument (a usage error if it is
// not a positive number).
func conversationID(arg string) (int64, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return 0, Usagef("conversation id %q is not a positive number", arg)
	}
	return id, nil
}
