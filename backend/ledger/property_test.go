package ledger

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/money"
)

// source yields choices for the random-operation driver: a seeded PRNG for
// the property test, the fuzzer's bytes for FuzzLedger.
type source interface {
	Intn(n int) int
}

type prng struct{ r *rand.Rand }

func (p prng) Intn(n int) int { return p.r.IntN(n) }

// byteSource reads choices from fuzz input; it reports exhaustion.
type byteSource struct {
	b   []byte
	pos int
}

func (s *byteSource) Intn(n int) int {
	if s.pos+2 > len(s.b) {
		s.pos = len(s.b) + 1
		return 0
	}
	v := int(s.b[s.pos])<<8 | int(s.b[s.pos+1])
	s.pos += 2
	return v % n
}

func (s *byteSource) done() bool { return s.pos > len(s.b) }

var propAccounts = []string{"pool", "dept:1", "user:1", "user:2", "user:3"}

// machine drives random operations against a ledger and checks the
// invariants after every one.
type machine struct {
	t            testing.TB
	e            *env
	src          source
	seq          int
	holds        []string // every hold ever taken
	open         []string // holds not yet resolved by the machine
	held         map[string]decimal.Decimal
	requests     []func() error // replays of accepted requests (same id, same content)
	conflict     []func() error // same ids with different content
	usage        int64          // expected sys:usage balance
	issued       int64          // expected -sys:topup balance
	policies     map[string]Policy
	ok, rejected [14]int // per op, for the log
}

func newMachine(t testing.TB, src source, e *env) *machine {
	m := &machine{t: t, e: e, src: src, policies: map[string]Policy{}, held: map[string]decimal.Decimal{}}
	for _, c := range propAccounts[1:] {
		e.ensure(t, c)
	}
	kinds := []Policy{{Kind: PolicyBlocked}, {Kind: PolicyOverdraft, Limit: d("5")}, {Kind: PolicyMinimum, Limit: d("0.10")}, {Kind: PolicyCarry}}
	for _, c := range propAccounts {
		p := kinds[src.Intn(len(kinds))]
		if err := e.s.SetPolicy(adminCtx, c, p); err != nil {
			t.Fatal(err)
		}
		m.policies[c] = p
	}
	return m
}

func (m *machine) id(prefix string) string {
	m.seq++
	return fmt.Sprintf("%s-%d", prefix, m.seq)
}

func (m *machine) acct() string { return propAccounts[m.src.Intn(len(propAccounts))] }

// amount is a random amount, mostly small, sometimes with nano precision,
// sometimes zero, sometimes invalid.
func (m *machine) amount() decimal.Decimal {
	switch m.src.Intn(10) {
	case 0:
		return decimal.Zero
	case 1:
		return money.FromMinor(int64(m.src.Intn(5000)) + 1) // a few nano-credits
	case 2:
		return decimal.New(int64(m.src.Intn(100)), 0) // whole credits
	case 3:
		return d("-1")
	case 4:
		return d("0.0000000001") // over-precise
	default:
		return decimal.New(int64(m.src.Intn(2000000)), -5) // 0-20 credits, 5 places
	}
}

func (m *machine) actorFor(code string) context.Context {
	if u := userOf(code); u != 0 && m.src.Intn(2) == 0 {
		return memberCtx(u)
	}
	return adminCtx
}

// fingerprint summarises every ledger table; a rejected request must not change it.
func (m *machine) fingerprint() string {
	var s string
	err := m.e.db.Read().QueryRow(`SELECT
		(SELECT count(*) || ':' || COALESCE(max(id),0) FROM ledger_transfers) || '|' ||
		(SELECT group_concat(id || ',' || balance_minor || ',' || pending_minor || ',' || used_minor || ',' ||
			COALESCE(last_transfer_id,0) || ',' || policy, ';') FROM ledger_accounts) || '|' ||
		(SELECT COALESCE(group_concat(transfer_id || status, ';'),'') FROM ledger_holds) || '|' ||
		(SELECT COALESCE(group_concat(account_id || '@' || expires_at || '=' || remaining_minor, ';'),'') FROM ledger_lots) || '|' ||
		(SELECT count(*) FROM ledger_topups) || '|' ||
		(SELECT COALESCE(group_concat(key || '=' || value, ';'),'') FROM settings)`).Scan(&s)
	if err != nil {
		m.t.Fatal(err)
	}
	return s
}

// pickHold returns an open hold most of the time (and its index in open),
// else any hold ever taken or an unknown one (index -1).
func (m *machine) pickHold() (string, int) {
	if len(m.open) > 0 && m.src.Intn(4) != 0 {
		i := m.src.Intn(len(m.open))
		return m.open[i], i
	}
	if len(m.holds) > 0 && m.src.Intn(4) != 0 {
		return m.holds[m.src.Intn(len(m.holds))], -1
	}
	return "no-such-hold", -1
}

func (m *machine) resolved(i int) {
	if i >= 0 {
		m.open = append(m.open[:i], m.open[i+1:]...)
	}
}

func (m *machine) step() {
	before := m.fingerprint()
	var err error
	var debited string // account whose policy the accepted op must respect
	var gave string    // the wallet an accepted member's give left: at most its Movable moved
	op := m.src.Intn(14)
	switch op {
	case 0, 1: // top-up
		acct, amt := m.acct(), m.amount()
		id := m.id("topup")
		req := TopUpRequest{ID: id, Account: acct, Credits: amt, Price: "0"}
		_, err = m.e.s.TopUp(adminCtx, req)
		if err == nil {
			m.issued += money.MustMinor(amt)
			m.requests = append(m.requests, func() error { _, err := m.e.s.TopUp(adminCtx, req); return err })
			bad := req
			bad.Price = "1"
			m.conflict = append(m.conflict, func() error { _, err := m.e.s.TopUp(adminCtx, bad); return err })
		}
	case 2, 3: // transfer between accounts
		from, to := m.acct(), m.acct()
		req := TransferRequest{ID: m.id("xfer"), Op: OpTransfer, From: from, To: to, Amount: m.amount()}
		ctx := m.actorFor(from)
		_, err = m.e.s.Transfer(ctx, req)
		if err == nil && req.Amount.Sign() > 0 {
			debited = from
			if ctx != adminCtx {
				gave = from
			}
		}
		if err == nil {
			m.requests = append(m.requests, func() error { _, err := m.e.s.Transfer(ctx, req); return err })
			bad := req
			bad.Amount = req.Amount.Add(d("0.000000001"))
			m.conflict = append(m.conflict, func() error { _, err := m.e.s.Transfer(ctx, bad); return err })
		}
	case 4, 5: // usage
		from := m.acct()
		req := TransferRequest{ID: m.id("use"), Op: OpUsage, From: from, To: AccountUsage, Amount: m.amount(), Dims: Dims{Model: "m", Source: "api"}}
		_, err = m.e.s.Transfer(m.actorFor(from), req)
		if err == nil {
			debited = from
			m.usage += money.MustMinor(req.Amount)
		}
	case 6, 7: // hold
		from := m.acct()
		id := m.id("hold")
		ttl := time.Duration(1+m.src.Intn(120)) * time.Minute
		amt := m.amount()
		_, err = m.e.s.Hold(m.actorFor(from), HoldRequest{ID: id, From: from, Amount: amt, TTL: ttl})
		if err == nil {
			m.held[id] = amt
			if amt.Sign() > 0 { // a zero hold is allowed whatever the balance
				debited = from
			}
			m.holds = append(m.holds, id)
			m.open = append(m.open, id)
		}
	case 8, 9: // post a hold (maybe unknown, resolved, expired, overrun)
		hold, i := m.pickHold()
		amt := m.amount()
		if h, ok := m.held[hold]; ok && m.src.Intn(3) != 0 {
			amt = money.Round(h.Mul(decimal.New(int64(m.src.Intn(101)), -2))) // 0-100 % of the hold
		}
		_, err = m.e.s.Post(adminCtx, PostRequest{ID: m.id("post"), HoldID: hold, Amount: amt})
		if err == nil {
			m.usage += money.MustMinor(amt)
			m.resolved(i)
		}
	case 10: // void
		hold, i := m.pickHold()
		_, err = m.e.s.Void(adminCtx, m.id("void"), hold)
		if err == nil {
			m.resolved(i)
		}
	case 11: // time passes; jobs run
		if m.src.Intn(4) == 0 {
			m.e.clk.Advance(time.Duration(m.src.Intn(60*24*45)) * time.Minute)
		} else {
			m.e.clk.Advance(time.Duration(m.src.Intn(30)) * time.Minute)
		}
		if m.src.Intn(2) == 0 {
			_, err = m.e.s.ExpireLots(systemCtx)
		} else {
			_, err = m.e.s.VoidStaleHolds(systemCtx)
		}
		if err != nil {
			m.t.Fatalf("job failed: %v", err)
		}
		if m.src.Intn(3) == 0 {
			if err := m.e.s.SetLotValidity(adminCtx, m.src.Intn(3)); err != nil {
				m.t.Fatal(err)
			}
		}
	case 12: // retries: same content returns the first result, other content conflicts
		if len(m.requests) > 0 {
			if err := m.requests[m.src.Intn(len(m.requests))](); err != nil {
				m.t.Fatalf("idempotent retry failed: %v", err)
			}
			if m.fingerprint() != before {
				m.t.Fatal("an idempotent retry wrote something")
			}
			err = m.conflict[m.src.Intn(len(m.conflict))]()
			if !errors.Is(err, ErrIdempotencyConflict) {
				m.t.Fatalf("conflicting retry: %v", err)
			}
		}
	case 13: // multi-leg, sometimes failing in the last leg; sometimes a member's gives from their wallet
		n := 1 + m.src.Intn(3)
		legs := make([]TransferRequest, n)
		ctx, wallet := adminCtx, ""
		if m.src.Intn(3) == 0 {
			wallet = propAccounts[2+m.src.Intn(3)]
			ctx = memberCtx(userOf(wallet))
		}
		for i := range legs {
			legs[i] = TransferRequest{Op: OpGrant, From: m.acct(), To: m.acct(), Amount: m.amount()}
			if wallet != "" {
				legs[i].Op, legs[i].From = OpTransfer, wallet
			}
		}
		_, err = m.e.s.TransferMany(ctx, m.id("many"), legs)
		if err == nil && wallet != "" {
			gave = wallet
		}
	}
	if err != nil && os.Getenv("LEDGER_PROP_DEBUG") != "" {
		m.t.Logf("op %d: %v", op, err)
	}
	if err != nil {
		m.rejected[op]++
	} else {
		m.ok[op]++
	}
	if err != nil && m.fingerprint() != before {
		m.t.Fatalf("op %d was rejected (%v) but changed the ledger", op, err)
	}
	m.check(debited, gave)
}

// check asserts every invariant. debited is the account an accepted debit
// left, gave the wallet an accepted member's give left ("" none): it moved
// at most the wallet's Movable, its own credits, so the give left nothing
// owed (an overdraft lends to a member's sends, never to their gives).
func (m *machine) check(debited, gave string) {
	t := m.t
	ctx := context.Background()
	if err := m.e.s.Verify(ctx); err != nil {
		t.Fatalf("after %d ops: %v", m.seq, err)
	}
	if n := count(t, m.e.db.Read(), `SELECT count(*) FROM (SELECT hold_id FROM ledger_transfers
		WHERE kind IN ('post','void') GROUP BY hold_id HAVING count(*) > 1)`); n != 0 {
		t.Fatalf("%d holds resolved more than once", n)
	}
	if n := count(t, m.e.db.Read(), `SELECT count(*) FROM ledger_holds h WHERE
		(h.status = 'pending') != (h.resolved_by IS NULL)
		OR (h.status = 'posted' AND (SELECT kind FROM ledger_transfers WHERE id = h.resolved_by) != 'post')
		OR (h.status = 'voided' AND (SELECT kind FROM ledger_transfers WHERE id = h.resolved_by) != 'void')`); n != 0 {
		t.Fatalf("%d holds with an inconsistent resolution", n)
	}
	for _, code := range propAccounts {
		b := m.e.balance(t, code)
		p := m.policies[code]
		avail := money.MustMinor(b.Available)
		var floor int64
		switch p.Kind {
		case PolicyOverdraft:
			floor = -money.MustMinor(p.Limit)
		case PolicyCarry:
			floor = -money.MaxMinor // debt only through hold overruns
		}
		if avail < floor {
			t.Fatalf("%s (%s) is outside its policy: available %s", code, p.Kind, b.Available)
		}
		if code == gave && avail < 0 {
			t.Fatalf("%s (%s): a member's give left available %s, more than Movable moved (last %+v)", code, p.Kind, b.Available, b.LastTransfer)
		}
		if code == debited && p.Kind == PolicyMinimum && avail < money.MustMinor(p.Limit) {
			t.Fatalf("%s: an accepted debit left available %s below the minimum %s (last %+v)", code, b.Available, p.Limit, b.LastTransfer)
		}
	}
	if got := money.MustMinor(m.e.balance(t, AccountUsage).Balance); got != m.usage {
		t.Fatalf("sys:usage = %s, want %s (lost or doubled usage)", money.MinorString(got), money.MinorString(m.usage))
	}
	if got := money.MustMinor(m.e.balance(t, AccountTopUp).Balance); got != -m.issued {
		t.Fatalf("sys:topup = %s, want -%s", money.MinorString(got), money.MinorString(m.issued))
	}
}

// TestLedgerProperties runs thousands of seeded random operations and
// checks the invariants after each one.
func TestLedgerProperties(t *testing.T) {
	steps := 2500
	if testing.Short() || raceEnabled {
		steps = 400
	}
	for _, seed := range []uint64{1, 2} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			m := newMachine(t, prng{rand.New(rand.NewPCG(seed, 42))}, newEnv(t))
			for range steps / 2 {
				m.step()
			}
			t.Logf("accepted per op %v, rejected per op %v", m.ok, m.rejected)
		})
	}
}

// FuzzLedger drives the same operations from the fuzzer's bytes:
// go test -fuzz FuzzLedger ./backend/ledger
func FuzzLedger(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 0, 5, 0, 2, 0, 7, 1, 3, 0, 9, 0, 0, 0, 12})
	f.Add([]byte("top up, hold, post more than the hold, expire, retry"))
	f.Add(make([]byte, 64))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 240 {
			data = data[:240]
		}
		src := &byteSource{b: data}
		m := newMachine(t, src, newEnvIn(t, fastDir(t)))
		for !src.done() {
			m.step()
		}
	})
}
