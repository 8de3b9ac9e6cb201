package chat_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/team"
)

// preflightFunder is limitFunder plus team's PreflightBeside, answering from the
// scripted balance and limit.
type preflightFunder struct {
	limitFunder
	available string
	blocked   bool
}

func (f *preflightFunder) PreflightBeside(ctx context.Context, userID int64, model, estimate string, _ func(string) int64) (team.Preflight, error) {
	p := team.Preflight{Estimate: estimate, Available: f.available, Warnings: []string{}}
	if f.blocked {
		p.ExceedsBalance = true
		p.Warnings = append(p.Warnings, "This send may cost up to "+estimate+" credits but your wallet has only "+f.available+" available.")
	}
	return p, nil
}

func TestEstimateDraftMatchesTheHoldOfASend(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	srv := e.openAI(fake.Script{Usage: fake.Usage{Prompt: 8, Completion: 2}})
	conv := e.conversation("openai", "gpt-4o", "Be brief.")

	est, err := e.svc.EstimateDraft(adminCtx, conv.ID, "", "", "Hi", 0, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if est.Estimate.Model != "gpt-4o" || est.Estimate.PromptTokens == 0 || est.Estimate.Low == "" || est.Blocked || len(est.Warnings) != 0 {
		t.Fatalf("estimate %+v", est)
	}
	// Nothing was reserved or sent.
	if n := srv.ChatRequests(); n != 0 || e.balance("pool") != "100" {
		t.Fatalf("estimating sent %d requests, pool %s", n, e.balance("pool"))
	}
	// The send that follows holds exactly the upper end the composer showed.
	m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
	if err != nil || m.Charge == nil {
		t.Fatalf("send: %v", err)
	}
	page, err := e.led.History(systemCtx, ledger.Filter{Ops: []string{ledger.OpHold}})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("holds: %v %v", page.Items, err)
	}
	if got := page.Items[0].Amount.String(); got != est.Estimate.High {
		t.Fatalf("hold %s, estimate high %s", got, est.Estimate.High)
	}
}

// A new conversation's first message is priced with the system prompt it
// will have (DraftOptions.System), as SendNew sends it: the estimate's
// high end is the send's hold (without it, the estimate left the system
// prompt out and was below the hold). A system prompt with a conversation,
// or one the conversation would refuse, is ErrInvalid.
func TestEstimateDraftOfANewConversationCountsItsSystemPrompt(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	e.openAI(fake.Script{Usage: fake.Usage{Prompt: 8, Completion: 2}})
	system := "You are a terse assistant. Answer in one word, and never more."
	bare, err := e.svc.EstimateDraftWith(adminCtx, 0, "openai", "gpt-4o", "Hi", chat.DraftOptions{})
	if err != nil {
		t.Fatal(err)
	}
	est, err := e.svc.EstimateDraftWith(adminCtx, 0, "openai", "gpt-4o", "Hi", chat.DraftOptions{System: system})
	if err != nil {
		t.Fatal(err)
	}
	if est.Estimate.PromptTokens <= bare.Estimate.PromptTokens {
		t.Fatalf("%d prompt tokens with a system prompt, %d without", est.Estimate.PromptTokens, bare.Estimate.PromptTokens)
	}
	model, prov := "gpt-4o", "openai"
	id, m, err := e.svc.SendNew(adminCtx, chat.ConversationInput{Model: &model, Provider: &prov, SystemPrompt: &system},
		chat.SendRequest{Text: "Hi", Source: chat.SourceCLI})
	if err != nil || m.Charge == nil {
		t.Fatalf("send: %v", err)
	}
	page, err := e.led.History(systemCtx, ledger.Filter{Ops: []string{ledger.OpHold}})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("holds: %v %v", page.Items, err)
	}
	if got := page.Items[0].Amount.String(); got != est.Estimate.High {
		t.Fatalf("hold %s, estimate high %s", got, est.Estimate.High)
	}
	for _, c := range []struct {
		name   string
		conv   int64
		system string
	}{
		{"the conversation has its own", id, "Be brief."},
		{"not plain text", 0, "Be\x00brief."},
		{"too long", 0, strings.Repeat("x", chat.MaxSystemPrompt+1)},
	} {
		if _, err := e.svc.EstimateDraftWith(adminCtx, c.conv, "openai", "gpt-4o", "Hi", chat.DraftOptions{System: c.system}); !errors.Is(err, chat.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", c.name, err)
		}
	}
}

func TestEstimateDraftWarnsAndRefusesBadInput(t *testing.T) {
	f := &preflightFunder{limitFunder: limitFunder{payer: "user:5"}, available: "0.5", blocked: true}
	e := newEnv(t, f)
	e.openAI(fake.Script{})
	ctx := memberCtx(5)
	model, prov := "gpt-4o", "openai"
	conv, err := e.svc.CreateConversation(ctx, chat.ConversationInput{Model: &model, Provider: &prov})
	if err != nil {
		t.Fatal(err)
	}
	est, err := e.svc.EstimateDraft(ctx, conv.ID, "", "", "Hello there", 0, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !est.Blocked || len(est.Warnings) != 1 || !strings.Contains(est.Warnings[0], "has only 0.5 available") {
		t.Fatalf("want a blocking balance warning, got %+v", est)
	}
	for name, call := range map[string]func() error{
		"empty draft":   func() error { _, err := e.svc.EstimateDraft(ctx, conv.ID, "", "", "   ", 0, "", nil); return err },
		"unknown convo": func() error { _, err := e.svc.EstimateDraft(ctx, 999999, "", "", "Hi", 0, "", nil); return err },
		"signed out": func() error {
			_, err := e.svc.EstimateDraft(context.Background(), conv.ID, "", "", "Hi", 0, "", nil)
			return err
		},
		"new chat, empty":    func() error { _, err := e.svc.EstimateDraft(ctx, 0, "", "gpt-4o", " ", 0, "", nil); return err },
		"new chat, no model": func() error { _, err := e.svc.EstimateDraft(ctx, 0, "", "", "Hi", 0, "", nil); return err },
		"budget too big":     func() error { _, err := e.svc.EstimateDraft(ctx, conv.ID, "", "", "Hi", 1<<30, "", nil); return err },
		"unknown provider": func() error {
			_, err := e.svc.EstimateDraft(ctx, conv.ID, "nope", "gpt-4o", "Hi", 0, "", nil)
			return err
		},
	} {
		if err := call(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// An unpriced model is charged the default rate: the estimate says so
// before the member spends (a warning naming what the default charges and
// who can set a rate), and only then.
func TestEstimateDraftWarnsOfTheDefaultRate(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100000")
	e.openAI(fake.Script{})
	for _, c := range []struct {
		ctx     context.Context
		model   string
		warn    string
		wantAny bool
	}{
		{adminCtx, "gpt-4o", "", false},
		{adminCtx, "gpt-unpriced", "gpt-unpriced has no rate of its own, so the default rate applies (1 credit per token); you can set one in Settings → Rates", true},
		{memberCtx(5), "gpt-unpriced", "gpt-unpriced has no rate of its own, so the default rate applies (1 credit per token); an admin can set one in Settings → Rates", true},
	} {
		est, err := e.svc.EstimateDraft(c.ctx, 0, "openai", c.model, "Hello there", 0, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if est.DefaultRateNote != c.warn || (c.wantAny && !slices.Contains(est.Warnings, c.warn)) || (!c.wantAny && len(est.Warnings) != 0) || est.Blocked {
			t.Fatalf("%s: estimate %+v, want the warning %q", c.model, est, c.warn)
		}
	}
}

// DefaultRateNote gives, without pricing a draft, the note EstimateDraft
// gives: for the model named, else the conversation's; "" for a priced one.
func TestDefaultRateNoteIsTheEstimatesNote(t *testing.T) {
	e := newEnv(t, nil)
	e.openAI(fake.Script{})
	conv := e.conversation("openai", "gpt-unpriced", "")
	est, err := e.svc.EstimateDraft(adminCtx, conv.ID, "", "", "Hi", 0, "", nil)
	if err != nil || est.DefaultRateNote == "" {
		t.Fatalf("estimate: %+v, %v", est, err)
	}
	for _, c := range []struct{ model, want string }{{"", est.DefaultRateNote}, {"gpt-unpriced", est.DefaultRateNote}, {"gpt-4o", ""}} {
		got, err := e.svc.DefaultRateNote(adminCtx, conv.ID, "", c.model)
		if err != nil || got != c.want {
			t.Fatalf("model %q: %q, %v; want %q", c.model, got, err, c.want)
		}
	}
	if _, err := e.svc.DefaultRateNote(adminCtx, 999999, "", ""); err == nil {
		t.Fatal("an unknown conversation: no error")
	}
}

// TestEstimateDraftRefusesTheTextASendRefuses: the estimate of a new
// conversation's first message skipped the send's check of the text (plan
// makes it; the new conversation's estimate has no plan): a message not
// valid UTF-8 or longer than MaxText was priced (the long one tokenized for
// minutes) while the send refuses it. Both now make one check
// (checkMessage): the estimate, of a new conversation or an existing one,
// refuses what the send and SendNew refuse, with the same words, and
// nothing is sent or written (SendNew refuses before it makes the
// conversation).
func TestEstimateDraftRefusesTheTextASendRefuses(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	srv := e.openAI(fake.Script{Chunks: []string{"Hello"}})
	conv := e.conversation("openai", "gpt-4o", "")
	reason := func(err error) string { // the words after the operation ("estimate: ", "send: ")
		s := err.Error()
		for _, op := range []string{"estimate: ", "send: "} {
			s = strings.TrimPrefix(s, op)
		}
		return s
	}
	for _, c := range []struct{ name, text, want string }{
		{"blank", " \n\t", "invalid chat request: the message is empty"},
		{"not valid UTF-8", "Hi \xff\xfe", "invalid chat request: the message is not valid text: it holds bytes that are not UTF-8 (at byte 4)"},
		{"one byte too long", strings.Repeat("a", chat.MaxText+1), "invalid chat request: the message is 1000001 bytes, more than the 1000000 a message may be"},
		{"too long and not UTF-8: the length is said", strings.Repeat("\xff", chat.MaxText+1), "invalid chat request: the message is 1000001 bytes, more than the 1000000 a message may be"},
	} {
		model := "gpt-4o"
		_, _, sendNew := e.svc.SendNew(adminCtx, chat.ConversationInput{Model: &model}, chat.SendRequest{Text: c.text, Source: chat.SourceCLI})
		_, send := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: c.text, Source: chat.SourceCLI})
		_, estNew := e.svc.EstimateDraft(adminCtx, 0, "openai", "gpt-4o", c.text, 0, "", nil)
		_, est := e.svc.EstimateDraft(adminCtx, conv.ID, "", "", c.text, 0, "", nil)
		for what, err := range map[string]error{"SendNew": sendNew, "Send": send, "estimate, new": estNew, "estimate": est} {
			if !errors.Is(err, chat.ErrInvalid) || reason(err) != c.want {
				t.Errorf("%s: %s: %v; want ErrInvalid, %q", c.name, what, err, c.want)
			}
		}
	}
	if srv.ChatRequests() != 0 || e.count(`SELECT count(*) FROM chat_conversations`) != 1 ||
		e.count(`SELECT count(*) FROM chat_messages`) != 0 || e.balance("pool") != "100" {
		t.Fatalf("%d requests, %d conversations, %d messages, pool %s: want nothing sent or written",
			srv.ChatRequests(), e.count(`SELECT count(*) FROM chat_conversations`), e.count(`SELECT count(*) FROM chat_messages`), e.balance("pool"))
	}
	// The next conversation is the second: none was made and removed.
	if next := e.conversation("openai", "gpt-4o", ""); next.ID != conv.ID+1 {
		t.Fatalf("next conversation %d, want %d", next.ID, conv.ID+1)
	}
}

// TestEstimateOfAnEditMatchesItsHold: edit-and-resend is priced as its send
// builds the prompt (the history before the edited message and the new
// text, not the whole conversation with the text after it): the estimate's
// upper end is the edit's hold. An edit of no user message of the
// conversation, or without a conversation, is refused, nothing held.
func TestEstimateOfAnEditMatchesItsHold(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	srv := e.openAI(fake.Script{Chunks: []string{strings.Repeat("A long answer. ", 40)}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	conv := e.conversation("openai", "gpt-4o", "")
	first, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: strings.Repeat("A long question. ", 40), Source: chat.SourceUI})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "And then?", Source: chat.SourceUI}); err != nil {
		t.Fatal(err)
	}
	msgs, err := e.svc.Messages(adminCtx, conv.ID)
	if err != nil || len(msgs) != 4 {
		t.Fatalf("messages %d, %v", len(msgs), err)
	}
	edited := msgs[0].UID
	if first.UID != msgs[1].UID {
		t.Fatalf("first reply %s, messages %s", first.UID, msgs[1].UID)
	}
	est, err := e.svc.EstimateDraftWith(adminCtx, conv.ID, "", "", "Short", chat.DraftOptions{EditMessageID: edited})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := e.svc.EstimateDraft(adminCtx, conv.ID, "", "", "Short", 0, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if est.Estimate.PromptTokens >= plain.Estimate.PromptTokens {
		t.Fatalf("the edit's prompt (%d tokens) should leave out the history after it (%d as a new message)",
			est.Estimate.PromptTokens, plain.Estimate.PromptTokens)
	}
	for name, call := range map[string]func() error{
		"an unknown message": func() error {
			_, err := e.svc.EstimateDraftWith(adminCtx, conv.ID, "", "", "Short", chat.DraftOptions{EditMessageID: "nope"})
			return err
		},
		"a reply": func() error {
			_, err := e.svc.EstimateDraftWith(adminCtx, conv.ID, "", "", "Short", chat.DraftOptions{EditMessageID: msgs[1].UID})
			return err
		},
		"no conversation": func() error {
			_, err := e.svc.EstimateDraftWith(adminCtx, 0, "openai", "gpt-4o", "Short", chat.DraftOptions{EditMessageID: edited})
			return err
		},
	} {
		if err := call(); !errors.Is(err, chat.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	requests := srv.ChatRequests()
	reply, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Short", EditMessageID: edited, Source: chat.SourceUI})
	if err != nil {
		t.Fatal(err)
	}
	if srv.ChatRequests() != requests+1 {
		t.Fatalf("estimating sent requests")
	}
	page, err := e.led.History(systemCtx, ledger.Filter{Ops: []string{ledger.OpHold}})
	if err != nil || len(page.Items) != 3 {
		t.Fatalf("holds: %v %v", page.Items, err)
	}
	// The edit's own hold (its reply's), not any of the three: the
	// earlier sends' holds may happen to be the same amount.
	var own *ledger.Transfer
	for i, h := range page.Items {
		if h.RequestID == "hold:"+reply.UID {
			own = &page.Items[i]
		}
	}
	if own == nil {
		t.Fatalf("no hold of the edit's reply %s among %+v", reply.UID, page.Items)
	}
	if got := own.Amount.String(); got != est.Estimate.High {
		t.Fatalf("the edit's hold %s, its estimate %s", got, est.Estimate.High)
	}
}
