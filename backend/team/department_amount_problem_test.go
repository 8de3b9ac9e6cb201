package team

import (
	"testing"

	"meterdesk/backend/inputerr"
)

// TestDepartmentAmountProblemSaysTheRefusal: Team → Departments' alert
// budget dialog said one line of its own for every text it refused ("A
// number of credits, 0 or more, with a point for decimals.") where the
// refusal (and `meterdesk departments update`) says why. The problem said
// while it is typed is the refusal's own sentence, for the budget and the
// overdraft alike; "" for what is taken.
func TestDepartmentAmountProblemSaysTheRefusal(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	d, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Ops", Overdraft: "7"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		field, text, want string
	}{
		{FieldBudget, "-5", "Budget -5 is negative"},
		{FieldBudget, "abc", `Budget: "abc": not a decimal number`},
		{FieldBudget, "1,5", `Budget: "1,5": not a decimal number: use a point for decimals (1.5), and no thousands separators`},
		{FieldBudget, "1.1234567891", `Budget: "1.1234567891": more than 9 decimal places`},
		{FieldBudget, "", "The alert budget needs an amount; 0 means none"},
		{FieldBudget, "0", ""},
		{FieldBudget, " 250.5 ", ""},
		{FieldOverdraft, "-1", "Overdraft -1 is negative"},
		{FieldOverdraft, " ", "The overdraft needs an amount; 0 means no overdraft"},
		{FieldOverdraft, "10", ""},
		{"name", "-5", ""},
	} {
		got := DepartmentAmountProblem(c.field, c.text)
		if got != c.want {
			t.Errorf("DepartmentAmountProblem(%s, %q) = %q, want %q", c.field, c.text, got, c.want)
		}
		if c.field == "name" || c.text == "" {
			continue // a blank budget is "unchanged" to UpdateDepartment
		}
		in := DepartmentInput{Name: "Ops", Overdraft: "7"}
		if c.field == FieldBudget {
			in.Budget = c.text
		} else {
			in.Overdraft = c.text
		}
		_, err := e.svc.UpdateDepartment(ctx, d.ID, in)
		if refused := inputerr.Sentence(err); refused != c.want {
			t.Errorf("UpdateDepartment with %s %q refused as %q (%v), the problem said %q", c.field, c.text, refused, err, got)
		}
	}
}
