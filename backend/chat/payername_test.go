package chat_test

import (
	"errors"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/team"
)

// The chat names a member's department as their payer by the team's rule
// (team.Payer.Phrase, as the CLI and the composer's estimate do): the
// low-balance status and the refusal for want of credits say "the Research
// department", never its "budget" (a department's alert budget is another
// thing) nor its account code; a funder that cannot name it says "your
// department".
func TestChatNamesTheDepartmentThatPays(t *testing.T) {
	e := newEnvWith(t, nil)
	tm, alice := newTeam(t, e)
	e.svc = chat.New(e.db, e.led, e.rates, tm, e.res, e.rec, nil) // as backend/core wires it
	e.openAI(fake.Script{Usage: fake.Usage{Prompt: 8, Completion: 2}})
	research, err := tm.CreateDepartment(alice, team.DepartmentInput{Name: "Research"})
	if err != nil {
		t.Fatal(err)
	}
	bob, err := tm.AddMember(alice, team.NewMember{Name: "bob", Role: access.RoleMember, SecretKind: team.SecretPIN,
		Secret: "1234", DepartmentID: research.ID})
	if err != nil {
		t.Fatal(err)
	}
	bobCtx := access.WithActor(alice, access.Actor{UserID: bob.ID, Name: "bob", Role: access.RoleMember})
	if st, err := e.svc.Status(bobCtx); err != nil || st.Payer != research.Account || st.PayerName != "the Research department" {
		t.Fatalf("bob's status %+v (%v)", st, err)
	}
	conv := e.conversationAs(bobCtx, "openai", "gpt-4o", "")
	_, err = e.svc.Send(bobCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
	if !errors.Is(err, chat.ErrInsufficientCredits) || !strings.Contains(err.Error(), " but the Research department has 0.00 available; ask an admin for credits") {
		t.Fatalf("bob's refusal: %v", err)
	}
	// The local API's words for it, from the same error.
	var ie *chat.InsufficientCreditsError
	if !errors.As(err, &ie) || ie.Available != "0" || ie.Member != "bob" ||
		!strings.Contains(ie.APIMessage(), " but no credits are available to bob (this API key's member) from the Research department. ") ||
		!strings.HasSuffix(ie.APIMessage(), " An admin can add credits to the Research department. Nothing was sent or charged.") {
		t.Fatalf("bob's refusal for the API: %#v", ie)
	}
	checkAPIWords(t, ie.APIMessage())

	unnamed := newEnv(t, &limitFunder{payer: "dept:7"})
	if st, err := unnamed.svc.Status(memberCtx(3)); err != nil || st.PayerName != "your department" {
		t.Fatalf("a department the funder cannot name: %+v (%v)", st, err)
	}
}
