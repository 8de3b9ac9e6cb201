package ledger

import (
	"context"
	"database/sql"
	"errors"
	"testing"
)

// TestPolicyCheck: SetPolicy puts a department's or a member's account to
// the installed PolicyCheck, in its transaction, with the policy asked for;
// a refusal comes back as the check's error and writes nothing (no policy,
// no audit entry). Other accounts, SetPolicyTx and a ledger without a check
// are not asked.
func TestPolicyCheck(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:7", "dept:3")
	refused := errors.New("keeps its policy")
	var asked []string
	e.s.SetPolicyCheck(func(ctx context.Context, tx *sql.Tx, code string, p Policy) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM ledger_accounts WHERE code = ?", code).Scan(&n); err != nil || n != 1 {
			t.Errorf("the check does not see %s in its transaction: %d %v", code, n, err)
		}
		asked = append(asked, code+" "+string(p.Kind)+" "+p.Limit.String())
		if code == "user:7" {
			return refused
		}
		return nil
	})
	before, err := e.db.Dump(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetPolicy(adminCtx, "user:7", Policy{Kind: PolicyMinimum, Limit: d("5.50")}); !errors.Is(err, refused) {
		t.Fatalf("refused: %v", err)
	}
	if after, _ := e.db.Dump(context.Background()); after != before {
		t.Fatal("a refused policy wrote something")
	}
	if err := e.s.SetPolicy(adminCtx, "dept:3", Policy{Kind: PolicyOverdraft, Limit: d("10")}); err != nil {
		t.Fatal(err)
	}
	if got := e.balance(t, "dept:3").Policy; got.Kind != PolicyOverdraft {
		t.Fatalf("dept:3: %+v", got)
	}
	// A bad policy is refused before the check is asked.
	if err := e.s.SetPolicy(adminCtx, "dept:3", Policy{Kind: PolicyBlocked, Limit: d("1")}); !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("blocked with a limit: %v", err)
	}
	if err := e.db.Write(context.Background(), func(tx *sql.Tx) error {
		_, _, err := SetPolicyTx(context.Background(), tx, "user:7", Policy{Kind: PolicyBlocked, Limit: d("0")})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"user:7 minimum 5.5", "dept:3 overdraft 10"}; len(asked) != len(want) || asked[0] != want[0] || asked[1] != want[1] {
		t.Fatalf("asked %q, want %q", asked, want)
	}
	e.s.SetPolicyCheck(nil)
	if err := e.s.SetPolicy(adminCtx, "user:7", Policy{Kind: PolicyMinimum, Limit: d("5")}); err != nil {
		t.Fatalf("without a check: %v", err)
	}
	e.verify(t)
}
