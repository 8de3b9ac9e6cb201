package team

import (
	"context"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
	"meterdesk/backend/people"
)

func TestMyAccountFollowsFunding(t *testing.T) {
	e := newEnv(t).setup("UTC")
	wallet := e.addMember("wanda", func(m *NewMember) { m.Funding = FundWallet })
	pooled := e.addMember("pete", nil)
	cases := []struct {
		name string
		ctx  context.Context
		want string
	}{
		{"system actor sees the pool", e.as(access.System), ledger.AccountPool},
		{"admin without department pays from the pool", e.adminCtx(), ledger.AccountPool},
		{"self-funded member sees the wallet", e.as(actorFor(wallet)), ledger.UserAccount(wallet.ID)},
		{"organisation-funded member sees the pool", e.as(actorFor(pooled)), ledger.AccountPool},
	}
	for _, c := range cases {
		got, err := e.svc.MyAccount(c.ctx)
		if err != nil || got != c.want {
			t.Errorf("%s: got %q, %v; want %q", c.name, got, err, c.want)
		}
	}
	if _, err := e.svc.MyAccount(context.Background()); err == nil {
		t.Error("MyAccount without a signed-in actor succeeded")
	}
}

// TestMyPayerNamesTheAccount: the header's balance comes with the account it
// is of — the pool, the member's department by name, or their own wallet —
// and follows an admin's change of funding or department, and a rename.
func TestMyPayerNamesTheAccount(t *testing.T) {
	e := newEnv(t).setup("UTC")
	research, err := e.svc.CreateDepartment(e.adminCtx(), DepartmentInput{Name: "Research"})
	if err != nil {
		t.Fatal(err)
	}
	legal, err := e.svc.CreateDepartment(e.adminCtx(), DepartmentInput{Name: "Legal"})
	if err != nil {
		t.Fatal(err)
	}
	wanda := e.addMember("wanda", func(m *NewMember) { m.Funding = FundWallet; m.DepartmentID = research.ID })
	pete := e.addMember("pete", nil)
	rita := e.addMember("rita", func(m *NewMember) { m.DepartmentID = research.ID })
	check := func(name string, ctx context.Context, want Payer) {
		t.Helper()
		got, err := e.svc.MyPayer(ctx)
		if err != nil || got != want {
			t.Errorf("%s: got %+v, %v; want %+v", name, got, err, want)
		}
		if acct, err := e.svc.MyAccount(ctx); err != nil || acct != want.Account {
			t.Errorf("%s: MyAccount %q, %v; want %q", name, acct, err, want.Account)
		}
	}
	pool := Payer{Account: ledger.AccountPool, Kind: PayerPool}
	for _, c := range []struct {
		name string
		ctx  context.Context
		want Payer
	}{
		{"the system actor", e.as(access.System), pool},
		{"an admin without a department", e.adminCtx(), pool},
		{"a member paid by their wallet (in a department)", e.as(actorFor(wanda)), Payer{Account: ledger.UserAccount(wanda.ID), Kind: PayerWallet}},
		{"a member paid by the organisation, no department", e.as(actorFor(pete)), pool},
		{"a member paid by the organisation in Research", e.as(actorFor(rita)), Payer{Account: research.Account, Kind: PayerDepartment, Name: "Research", AccountName: "Research department's credits"}},
	} {
		check(c.name, c.ctx, c.want)
	}

	// The name follows the payer: moved to Legal, Legal renamed, then paid by her wallet.
	move := func(in MemberUpdate) {
		t.Helper()
		if _, err := e.svc.UpdateMember(e.adminCtx(), rita.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	move(MemberUpdate{Role: access.RoleMember, Funding: FundPool, DepartmentID: legal.ID, MinBalance: "0"})
	check("rita moved to Legal", e.as(actorFor(rita)), Payer{Account: legal.Account, Kind: PayerDepartment, Name: "Legal", AccountName: "Legal department's credits"})
	if _, err := e.svc.UpdateDepartment(e.adminCtx(), legal.ID, DepartmentInput{Name: "Legal & Compliance", Overdraft: "0"}); err != nil {
		t.Fatal(err)
	}
	check("Legal renamed", e.as(actorFor(rita)), Payer{Account: legal.Account, Kind: PayerDepartment, Name: "Legal & Compliance", AccountName: "Legal & Compliance department's credits"})
	move(MemberUpdate{Role: access.RoleMember, Funding: FundWallet, DepartmentID: legal.ID, MinBalance: "0"})
	check("rita paid by her wallet", e.as(actorFor(rita)), Payer{Account: ledger.UserAccount(rita.ID), Kind: PayerWallet})

	if _, err := e.svc.MyPayer(context.Background()); err == nil {
		t.Error("MyPayer without a signed-in actor succeeded")
	}
}

// TestDepartmentCredits: a department's account named in a statement's
// heading reads as the header names it, not "Research's credits".
func TestDepartmentCredits(t *testing.T) {
	for label, want := range map[string]string{
		"Research":              "Research department's credits",
		" Vertrieb € ":          "Vertrieb € department's credits",
		"Sales Department":      "Sales Department's credits",
		"Department of Sales":   "Department of Sales's credits",
		"Department 3":          "Department 3's credits",
		"Departmental":          "Departmental department's credits",
		"Eng (archived)":        "Eng department's credits (archived)",
		"Legal dept (archived)": "Legal dept department's credits (archived)",
	} {
		if got := DepartmentCredits(label); got != want {
			t.Errorf("DepartmentCredits(%q) = %q, want %q", label, got, want)
		}
	}
	for label, want := range map[string]string{"Research": "Research department", "Sales Department": "Sales Department",
		"Eng (archived)": "Eng department (archived)"} {
		if got := DepartmentTitle(label); got != want {
			t.Errorf("DepartmentTitle(%q) = %q, want %q", label, got, want)
		}
	}
}

// TestDepartmentWordsOneRule: a sentence (notifications, the chat, the
// CLI, statements), a heading and the window's Pays from and header name a
// department by one rule: the word "department" is added unless the name
// starts or ends with it, in any case, and the name's own case is kept; a
// sentence puts "the" before it unless the name starts with the word
// "department", which reads as a name of its own. "Department 3" read "The
// Department 3 is running low" and "the Department 3's credits".
func TestDepartmentWordsOneRule(t *testing.T) {
	for _, tc := range []struct{ name, phrase, start, credits, creditsPhrase string }{
		{"Research", "the Research department", "The Research department", "Research department's credits", "the Research department's credits"},
		{"Department 3", "Department 3", "Department 3", "Department 3's credits", "Department 3's credits"},
		{"department of Physics", "department of Physics", "department of Physics", "department of Physics's credits", "department of Physics's credits"},
		{"R&D Department", "the R&D Department", "The R&D Department", "R&D Department's credits", "the R&D Department's credits"},
		{"lab", "the lab department", "The lab department", "lab department's credits", "the lab department's credits"},
		{"Sales Department", "the Sales Department", "The Sales Department", "Sales Department's credits", "the Sales Department's credits"},
		{"DEPARTMENT of Lab", "DEPARTMENT of Lab", "DEPARTMENT of Lab", "DEPARTMENT of Lab's credits", "DEPARTMENT of Lab's credits"},
		{"department", "department", "department", "department's credits", "department's credits"},
		{"Departmental", "the Departmental department", "The Departmental department", "Departmental department's credits", "the Departmental department's credits"},
		{"Subdepartment", "the Subdepartment department", "The Subdepartment department", "Subdepartment department's credits", "the Subdepartment department's credits"},
		{" Ops ", "the Ops department", "The Ops department", "Ops department's credits", "the Ops department's credits"},
		{" Department 3 ", "Department 3", "Department 3", "Department 3's credits", "Department 3's credits"},
	} {
		if got := departmentPhrase(tc.name); got != tc.phrase {
			t.Errorf("departmentPhrase(%q) = %q, want %q", tc.name, got, tc.phrase)
		}
		if got := (Payer{Account: "dept:1", Kind: PayerDepartment, Name: tc.name}).Phrase(); got != tc.phrase {
			t.Errorf("Payer{%q}.Phrase() = %q, want %q", tc.name, got, tc.phrase)
		}
		if got := DepartmentCredits(tc.name); got != tc.credits {
			t.Errorf("DepartmentCredits(%q) = %q, want %q", tc.name, got, tc.credits)
		}
		if got := DepartmentCreditsPhrase(tc.name); got != tc.creditsPhrase {
			t.Errorf("DepartmentCreditsPhrase(%q) = %q, want %q", tc.name, got, tc.creditsPhrase)
		}
		if got := DepartmentCreditsPhrase(tc.name + people.ArchivedMark); got != tc.creditsPhrase+people.ArchivedMark {
			t.Errorf("DepartmentCreditsPhrase(%q) = %q, want %q", tc.name+people.ArchivedMark, got, tc.creditsPhrase+people.ArchivedMark)
		}
		if got := wordsOf(departmentPhrase(tc.name)); got.start != tc.start || got.mid != tc.phrase {
			t.Errorf("a notification's words for %q = %+v, want start %q, mid %q", tc.name, got, tc.start, tc.phrase)
		}
	}
}

// TestDepartmentAccountNameSent: the window gets a department's account in
// the backend's words (Department.AccountName, Payer.AccountName), so
// Team → Members and the header's tooltip need no rule of their own.
func TestDepartmentAccountNameSent(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	d3, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Department 3"})
	if err != nil {
		t.Fatal(err)
	}
	lab, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "lab"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]string{d3.ID: "Department 3's credits", lab.ID: "lab department's credits"}
	wantPhrase := map[int64]string{d3.ID: "Department 3's credits", lab.ID: "the lab department's credits"}
	list, err := e.svc.ListDepartments(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range append(list, d3, lab) {
		if d.AccountName != want[d.ID] {
			t.Errorf("department %q: accountName %q, want %q", d.Name, d.AccountName, want[d.ID])
		}
		if d.AccountPhrase != wantPhrase[d.ID] {
			t.Errorf("department %q: accountPhrase %q, want %q", d.Name, d.AccountPhrase, wantPhrase[d.ID])
		}
	}
	bob := e.addMember("bob", func(n *NewMember) { n.DepartmentID = lab.ID })
	p, err := e.svc.MyPayer(e.as(actorFor(bob)))
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind != PayerDepartment || p.AccountName != "lab department's credits" {
		t.Errorf("bob's payer %+v, want lab department's credits", p)
	}
	p, err = e.svc.MyPayer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p.AccountName != "" {
		t.Errorf("the admin's payer (the pool) is named %q, want \"\"", p.AccountName)
	}
}

// TestPayerPhrase: the one rule by which the chat, the composer's estimate
// and the CLI name a member's payer to them: a department by its name, as
// the department (never its "budget", which is the alert budget), the name
// not doubled when it already says "department", and by its code alone
// (PayerOf) unnamed.
func TestPayerPhrase(t *testing.T) {
	for _, tc := range []struct {
		p    Payer
		want string
	}{
		{Payer{Account: "pool", Kind: PayerPool}, "the workspace pool"},
		{Payer{Account: "user:3", Kind: PayerWallet}, "your wallet"},
		{Payer{Account: "dept:1", Kind: PayerDepartment, Name: "Research"}, "the Research department"},
		{Payer{Account: "dept:1", Kind: PayerDepartment, Name: " Vertrieb € "}, "the Vertrieb € department"},
		{Payer{Account: "dept:1", Kind: PayerDepartment, Name: "Sales Department"}, "the Sales Department"},
		{Payer{Account: "dept:1", Kind: PayerDepartment, Name: "Sales-department"}, "the Sales-department"},
		{Payer{Account: "dept:1", Kind: PayerDepartment, Name: "Subdepartment"}, "the Subdepartment department"},
		{Payer{Account: "dept:1", Kind: PayerDepartment, Name: "  "}, "your department"},
		{PayerOf("pool"), "the workspace pool"},
		{PayerOf("dept:7"), "your department"},
		{PayerOf("user:2"), "your wallet"},
		{PayerOf("sys:usage"), "sys:usage"},
	} {
		if got := tc.p.Phrase(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.p, got, tc.want)
		}
	}
}
