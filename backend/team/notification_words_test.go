package team

import (
	"strings"
	"testing"

	"meterdesk/backend/ledger"
)

// TestNotificationsSayYourWalletToItsOwner: a notification about a
// member's own wallet speaks to that member ("Your wallet is running
// low", "… to recharge your wallet …"), in the list and in the live event
// the window shows (Addressee, ToAddressee), while an admin reads the
// member's name; a department reads "The Research department" at a
// sentence's start and "the Research department" within one, never
// "Department Research", to everyone, and so do notifications an earlier
// version stored with "Department Research".
func TestNotificationsSayYourWalletToItsOwner(t *testing.T) {
	e := newEnv(t).setup("UTC")
	dep, bob, carol := notifyEveryKind(t, e, "Research", "Robert")
	wallet := ledger.UserAccount(bob.ID)

	// An earlier version's words, its name stored beside them (0850).
	for _, q := range []struct{ title, body string }{
		{"Department Research is running low", "Department Research has 5.00 credits left, below 10.00 credits."},
		{"Auto-recharge", "Moved 5.00 credits from the pool to Department Research."},
	} {
		if _, err := e.db.Writer().Exec(`INSERT INTO notifications(created_at, kind, level, account, title, body, named)
			VALUES ('2026-05-10T13:00:00.000000000Z', 'alert', 'warning', ?, ?, ?, 'Department Research')`, dep.Account, q.title, q.body); err != nil {
			t.Fatal(err)
		}
	}
	deptWant := "The Research department is running low: The Research department has 55.00 credits left, below 60.00 credits.\n" +
		"Auto-recharge: Moved 100.00 credits from the pool to the Research department.\n" +
		"Auto-recharge: Moved 50.00 credits from the pool to the Research department.\n" +
		"Auto-recharge cap reached: The Research department reached its auto-recharge cap of 150.00 credits for 2026-05; no more automatic recharges this month.\n" +
		"The Research department is out of credits: The Research department has 0.00 credits left. Top up or move credits to keep chatting.\n" +
		"The Research department is running low: The Research department has 5.00 credits left, below 10.00 credits.\n" +
		"Auto-recharge: Moved 5.00 credits from the pool to the Research department."
	// A member cannot top up or move credits: they read what they can do.
	deptMember := strings.Replace(deptWant, "0.00 credits left. Top up or move credits to keep chatting.", "0.00 credits left. Ask an admin for credits.", 1)
	if deptMember == deptWant {
		t.Fatal("the department's words have no admin instruction")
	}
	for _, c := range []struct {
		reader  string
		as      Member
		account string
		want    string
	}{
		{"an admin, Robert's wallet", Member{}, wallet,
			"Auto-recharge failed: The pool has too few credits to recharge Robert's wallet with 10.00 credits. Top up the pool.\n" +
				"Robert's wallet is running low: Robert's wallet has 5.00 credits left, below 60.00 credits."},
		{"bob, his own wallet", bob, wallet,
			"Auto-recharge failed: The pool has too few credits to recharge your wallet with 10.00 credits. Ask an admin for credits.\n" +
				"Your wallet is running low: Your wallet has 5.00 credits left, below 60.00 credits."},
		{"an admin, the department", Member{}, dep.Account, deptWant},
		{"carol, her department", carol, dep.Account, deptMember},
	} {
		if got := listed(t, e, e.svc, c.as, c.account); got != c.want {
			t.Errorf("%s:\n%s\nwant\n%s", c.reader, got, c.want)
		}
	}

	// Live: the event is written for anyone; the window words it for its
	// reader (WordedFor): the wallet's owner reads "Your wallet", a member
	// "Ask an admin for credits.", an admin as written.
	for _, n := range notifications(e, wallet, dep.Account) {
		for _, r := range []struct {
			who   string
			id    int64
			admin bool
		}{{"an admin", e.admin.UserID, true}, {"bob", bob.ID, false}, {"carol", carol.ID, false}} {
			to := n.WordedFor(r.id, r.admin).(Notification)
			line := to.Title + ": " + to.Body
			switch {
			case n.Account == wallet && n.Kind == KindAlert && r.id == bob.ID:
				if w := "Your wallet is running low: Your wallet has 5.00 credits left, below 60.00 credits."; line != w {
					t.Errorf("bob's live alert: %q, want %q", line, w)
				}
			case n.Account == wallet && r.id == bob.ID:
				if w := "Auto-recharge failed: The pool has too few credits to recharge your wallet with 10.00 credits. Ask an admin for credits."; line != w {
					t.Errorf("bob's live recharge notice: %q, want %q", line, w)
				}
			case n.Account == wallet && r.admin:
				if strings.Contains(line, "our wallet") || strings.Contains(line, "Ask an admin") {
					t.Errorf("the admin's live notice of bob's wallet: %q", line)
				}
			case n.Account == wallet:
				// carol never receives bob's wallet's notices (Audience).
			case strings.Contains(line, "Department") || !strings.Contains(line, "he Research department"):
				t.Errorf("the department's live notification to %s: %q", r.who, line)
			case strings.Contains(n.Body, "Top up") && r.admin != strings.Contains(line, "Top up"):
				t.Errorf("the department's live notification to %s: %q", r.who, line)
			case strings.Contains(n.Body, "Top up") && !r.admin && !strings.HasSuffix(line, "Ask an admin for credits."):
				t.Errorf("the department's live notification to %s: %q, want it to end 'Ask an admin for credits.'", r.who, line)
			}
		}
	}
}

// TestReplaceName: the name a text was written with, in whichever form,
// is replaced by the start form where it begins a sentence and the mid form
// elsewhere; a member's wallet is never re-cased.
func TestReplaceName(t *testing.T) {
	dept := wordsOf(departmentPhrase("Research"))
	for _, c := range []struct {
		text, old string
		w         accountWords
		want      string
	}{
		{"Department Research is running low", "Department Research", dept, "The Research department is running low"},
		{"Moved 5 credits from the pool to Department Research.", "Department Research", dept, "Moved 5 credits from the pool to the Research department."},
		{"The Ops department has 0 left. Top up the Ops department.", "The Ops department", dept, "The Research department has 0 left. Top up the Ops department."},
		{"Ops has 0 left. Ops again.", "Ops", dept, "The Research department has 0 left. The Research department again."},
		{"bob's wallet is running low", "bob's wallet", yourWallet, "Your wallet is running low"},
		{"The pool has too few credits to recharge bob's wallet with 1 credits.", "bob's wallet", yourWallet, "The pool has too few credits to recharge your wallet with 1 credits."},
		{"the boss's wallet is low", "the boss's wallet", accountWords{"Robert's wallet", "Robert's wallet"}, "Robert's wallet is low"},
		{"Sales Department is low", "Sales Department", wordsOf(departmentPhrase("Sales Department")), "The Sales Department is low"},
		{"as written", "", dept, "as written"},
	} {
		if got := replaceName(c.text, c.old, c.w); got != c.want {
			t.Errorf("replaceName(%q, %q): %q, want %q", c.text, c.old, got, c.want)
		}
	}
}
