package ledger

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
)

// Many goroutines spend from and move between the same accounts: no update
// is lost and nothing is spent twice.
func TestConcurrentWritersNoLostUpdateNoDoubleSpend(t *testing.T) {
	e := newEnv(t)
	users := []string{"user:1", "user:2", "user:3", "user:4"}
	e.ensure(t, users...)
	for _, u := range users {
		e.fund(t, u, "100")
	}
	const workers, each = 32, 25
	var wg sync.WaitGroup
	var mu sync.Mutex
	spent := decimal.Zero
	refused := 0
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				from := users[(w+i)%len(users)]
				id := fmt.Sprintf("w%d-%d", w, i)
				var err error
				var amt decimal.Decimal
				switch i % 3 {
				case 0: // a usage of 1.5 credits: 4 x 100 credits cannot pay for all of them
					amt = d("1.5")
					_, err = e.s.Transfer(adminCtx, TransferRequest{ID: id, Op: OpUsage, From: from, To: AccountUsage, Amount: amt})
				case 1: // hold and post
					amt = d("0.75")
					if _, err = e.s.Hold(adminCtx, HoldRequest{ID: id, From: from, Amount: d("1")}); err == nil {
						_, err = e.s.Post(adminCtx, PostRequest{ID: id + "-p", HoldID: id, Amount: amt})
					}
				default: // move credits around
					_, err = e.s.Transfer(adminCtx, TransferRequest{ID: id, Op: OpTransfer, From: from, To: users[(w+i+1)%len(users)], Amount: d("2")})
					amt = decimal.Zero
				}
				mu.Lock()
				switch {
				case err == nil:
					spent = spent.Add(amt)
				case errors.Is(err, ErrInsufficientFunds):
					refused++
				default:
					mu.Unlock()
					t.Errorf("%s: %v", id, err)
					return
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	e.verify(t)
	total := decimal.Zero
	for _, u := range users {
		b := e.balance(t, u)
		if b.Available.Sign() < 0 {
			t.Fatalf("%s overdrawn: %s", u, b.Available)
		}
		total = total.Add(b.Balance)
	}
	if !total.Add(spent).Equal(d("400")) {
		t.Fatalf("balances %s + spent %s != 400: an update was lost or doubled", total, spent)
	}
	if got := e.balance(t, AccountUsage).Balance; !got.Equal(spent) {
		t.Fatalf("sys:usage = %s, want %s", got, spent)
	}
	if refused == 0 {
		t.Fatal("no request was refused: the test did not exhaust the balances")
	}
}
