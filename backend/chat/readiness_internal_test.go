package chat

import (
	"testing"

	"meterdesk/backend/team"
)

// TestPayerNameStartsASentence: Getting started's credits step begins with
// the payer's phrase: the article the rule added is capitalised, a
// department's name that starts with "department" is not re-cased.
func TestPayerNameStartsASentence(t *testing.T) {
	for name, want := range map[string]string{"Research": "The Research department", "Department 3": "Department 3",
		"department of Physics": "department of Physics", "R&D Department": "The R&D Department"} {
		p := team.Payer{Account: "dept:1", Kind: team.PayerDepartment, Name: name}
		if got := team.PhraseStart(p.Phrase()); got != want {
			t.Errorf("%q starts a sentence as %q, want %q", name, got, want)
		}
	}
	for in, want := range map[string]string{"": "", "the workspace pool": "The workspace pool", "your wallet": "Your wallet",
		"your department": "Your department", "élan's wallet": "élan's wallet"} {
		if got := team.PhraseStart(in); got != want {
			t.Errorf("PhraseStart(%q) = %q, want %q", in, got, want)
		}
	}
}
