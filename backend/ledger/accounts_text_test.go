package ledger

import (
	"errors"
	"testing"
)

// TestShortErrorSaysThePolicyOnce: the insufficient-funds error says the
// account's floor in words, each policy once ("policy minimum minimum 1"
// was printed before), its amounts by the display rule (money.Display).
func TestShortErrorSaysThePolicyOnce(t *testing.T) {
	const one = 1_000_000_000 // one credit in minor units
	for _, c := range []struct {
		a    account
		want string
	}{
		{account{code: "user:2", policy: PolicyBlocked, balance: 3 * one}, "user:2 is short by 2.00 credits (available 3.00; policy blocked: no overdraft)"},
		{account{code: "user:2", policy: PolicyMinimum, limit: one, balance: 3 * one}, "user:2 is short by 3.00 credits (available 3.00; policy minimum: keeps at least 1.00)"},
		{account{code: "dept:1", policy: PolicyOverdraft, limit: 2 * one, balance: 3 * one}, "dept:1 is short by 0.00 credits"},
	} {
		err := c.a.checkDebit(5 * one)
		if c.a.policy == PolicyOverdraft {
			if err != nil {
				t.Errorf("overdraft to -2 refused 5 of 3: %v", err)
			}
			err = c.a.checkDebit(6 * one)
			c.want = "dept:1 is short by 1.00 credits (available 3.00; policy overdraft: down to -2.00)"
		}
		if !errors.Is(err, ErrInsufficientFunds) || err.Error() != "insufficient funds: "+c.want {
			t.Errorf("%s %s: %v; want %q", c.a.code, c.a.policy, err, c.want)
		}
	}
}
