package cli

import (
	"regexp"
	"testing"
)

// TestDepartmentsMoveNamesTheAccounts: `departments move` and `departments
// allocate` printed account codes alone ("moved 5.00 credits from dept:1
// to pool"); they name each account as `credits balance` and `meterdesk
// chat` do, its code and then its words.
func TestDepartmentsMoveNamesTheAccounts(t *testing.T) {
	dir := teamWorkspace(t) // Research is dept:1
	admin := asAlice(t, dir)
	admin("credits", "topup", "--amount", "100", "--price", "0")
	admin("departments", "add", "Sales")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"departments", "allocate", "1", "20"}, `^moved 20\.00 credits from pool \(the workspace pool\) to dept:1 \(the Research department\), transfer \d+\n$`},
		{[]string{"departments", "move", "1", "pool", "5"}, `^moved 5\.00 credits from dept:1 \(the Research department\) to pool \(the workspace pool\), transfer \d+\n$`},
		{[]string{"departments", "move", "1", "2", "1"}, `^moved 1\.00 credits from dept:1 \(the Research department\) to dept:2 \(the Sales department\), transfer \d+\n$`},
	} {
		if out := admin(c.args...); !regexp.MustCompile(c.want).MatchString(out) {
			t.Errorf("%v: %q, want %s", c.args, out, c.want)
		}
	}
}
