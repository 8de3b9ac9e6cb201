package ledger

import (
	"context"
	"errors"
	"testing"
)

// History's Filter.Provider is the reports' rule (SetProviderCond): its
// condition narrows the page and its refusal is History's; without a rule
// installed a filter by provider is refused, not ignored. Filter.Model
// narrows to that model.
func TestHistoryByModelAndProvider(t *testing.T) {
	e := newEnv(t)
	e.ensure(t, "user:2")
	e.fund(t, "user:2", "100")
	for i, m := range []string{"a", "b", "a"} {
		if _, err := e.s.Transfer(memberCtx(2), TransferRequest{ID: "u" + m + string(rune('0'+i)), Op: OpUsage, From: "user:2", To: AccountUsage,
			Amount: d("0.5"), Dims: Dims{UserID: 2, Model: m}}); err != nil {
			t.Fatal(err)
		}
	}
	count := func(f Filter) (int, error) {
		p, err := e.s.History(adminCtx, f)
		return len(p.Items), err
	}
	if _, err := count(Filter{Provider: "Lab"}); !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("no rule installed: %v", err)
	}
	if n, err := count(Filter{Model: "a"}); err != nil || n != 2 {
		t.Fatalf("--model a: %d %v", n, err)
	}
	refused := errors.New("no provider named")
	e.s.SetProviderCond(func(_ context.Context, alias, name string) (string, []any, error) {
		if name != "Lab" {
			return "", nil, refused
		}
		return alias + ".model = ?", []any{"b"}, nil
	})
	if n, err := count(Filter{Provider: "Lab"}); err != nil || n != 1 {
		t.Fatalf("provider Lab: %d %v", n, err)
	}
	if n, err := count(Filter{Model: "a", Provider: "Lab"}); err != nil || n != 0 {
		t.Fatalf("model a at Lab: %d %v", n, err)
	}
	if _, err := count(Filter{Provider: "Nope"}); !errors.Is(err, refused) {
		t.Fatalf("provider Nope: %v", err)
	}
	// A member's own history (the walks) takes the condition too.
	if p, err := e.s.History(memberCtx(2), Filter{Provider: "Lab"}); err != nil || len(p.Items) != 1 {
		t.Fatalf("member, provider Lab: %+v %v", p.Items, err)
	}
}
