package ledger

import (
	"testing"

	"meterdesk/backend/audit/audittest"
)

// TestPolicyUnchangedIsNotAudited: setting an account's policy to exactly
// what it is (the same kind and limit, however the limit is written) writes
// nothing and no credits.policy entry, and says so (Unchanged, with the
// policy before); a real change is still audited with before and after.
// Before, every `credits policy` wrote an entry, so the audit log said a
// policy was changed when nothing was.
func TestPolicyUnchangedIsNotAudited(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, AccountPool, "user:2", "dept:1")
	for _, c := range []struct {
		name      string
		account   string
		policy    Policy
		unchanged bool
		before    string // the policy before, as audited ("" = nothing audited)
	}{
		{"a new account's own blocked", "user:2", Policy{Kind: PolicyBlocked}, true, ""},
		{"blocked to an overdraft", "user:2", Policy{Kind: PolicyOverdraft, Limit: d("25")}, false, `{"kind":"blocked","limit":"0"}`},
		{"the same overdraft", "user:2", Policy{Kind: PolicyOverdraft, Limit: d("25")}, true, ""},
		{"the same overdraft written 25.000", "user:2", Policy{Kind: PolicyOverdraft, Limit: d("25.000")}, true, ""},
		{"another limit", "user:2", Policy{Kind: PolicyOverdraft, Limit: d("25.5")}, false, `{"kind":"overdraft","limit":"25"}`},
		{"the same limit, another kind", "user:2", Policy{Kind: PolicyMinimum, Limit: d("25.5")}, false, `{"kind":"overdraft","limit":"25.5"}`},
		{"carry", "dept:1", Policy{Kind: PolicyCarry}, false, `{"kind":"blocked","limit":"0"}`},
		{"carry again", "dept:1", Policy{Kind: PolicyCarry}, true, ""},
		{"the pool's own blocked", AccountPool, Policy{Kind: PolicyBlocked}, true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			entries := len(audittest.Entries(t, e.db))
			snap := e.snapshot(t)
			ch, err := e.s.ChangePolicy(adminCtx, c.account, c.policy)
			if err != nil {
				t.Fatal(err)
			}
			if ch.Unchanged != c.unchanged || ch.Account != c.account || ch.Kind != c.policy.Kind || !ch.Limit.Equal(c.policy.Limit) {
				t.Fatalf("got %+v", ch)
			}
			got := audittest.Entries(t, e.db)
			if c.unchanged {
				if len(got) != entries {
					t.Fatalf("an unchanged policy was audited: %+v", got[len(got)-1])
				}
				if e.snapshot(t) != snap {
					t.Fatal("an unchanged policy wrote something")
				}
				if ch.Before.Kind != ch.Kind || !ch.Before.Limit.Equal(ch.Limit) {
					t.Fatalf("before %+v, now %+v", ch.Before, ch.Policy)
				}
				return
			}
			if len(got) != entries+1 {
				t.Fatalf("%d entries written, want 1", len(got)-entries)
			}
			if g := got[len(got)-1]; g.Action != "credits.policy" || g.Target != c.account || g.Before != c.before {
				t.Fatalf("entry %+v, want before %s", g, c.before)
			}
		})
	}
}
