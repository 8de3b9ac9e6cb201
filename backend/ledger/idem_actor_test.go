package ledger

import (
	"context"
	"errors"
	"strings"
	"testing"

	"meterdesk/backend/access"
)

// TestReplayIsOnlyForWhoAsked: a request id replays its first result only
// for the actor who made that request. Anyone else sending the same id with
// the same content is refused as a reuse with other content
// (ErrIdempotencyConflict), told nothing about the first request and
// writing nothing; the first actor's own retry (a person's, or the
// system's) still gets the first result. On every path that takes an id:
// transfers (one leg and many), usage, top-ups, holds, posts and voids.
func TestReplayIsOnlyForWhoAsked(t *testing.T) {
	var (
		admin  = adminCtx // user 1
		admin2 = access.WithActor(context.Background(), access.Actor{UserID: 4, Name: "ben", Role: access.RoleAdmin})
		member = memberCtx(2)
		other  = memberCtx(3)
		system = systemCtx
	)
	type request func(ctx context.Context, e *env) (Transfer, error)
	give := func(id string) request { // a move from member 2's wallet: theirs to make, or an admin's
		return func(ctx context.Context, e *env) (Transfer, error) {
			return e.s.Transfer(ctx, TransferRequest{ID: id, Op: OpTransfer, From: "user:2", To: AccountPool, Amount: d("1.5")})
		}
	}
	many := func(ctx context.Context, e *env) (Transfer, error) {
		ts, err := e.s.TransferMany(ctx, "many-1", []TransferRequest{
			{Op: OpTransfer, From: "user:2", To: AccountPool, Amount: d("1")},
			{Op: OpTransfer, From: "user:2", To: "user:3", Amount: d("2")},
		})
		if err != nil {
			return Transfer{}, err
		}
		return ts[0], nil
	}
	usage := func(ctx context.Context, e *env) (Transfer, error) {
		return e.s.Transfer(ctx, TransferRequest{ID: "use-1", Op: OpUsage, From: "user:2", To: AccountUsage, Amount: d("0.25"),
			Dims: Dims{UserID: 2, Model: "m", Source: "api"}})
	}
	topUp := func(ctx context.Context, e *env) (Transfer, error) {
		tu, err := e.s.TopUp(ctx, TopUpRequest{ID: "top-1", Account: "user:2", Credits: d("7"), Price: "0"})
		return tu.Transfer, err
	}
	hold := func(ctx context.Context, e *env) (Transfer, error) {
		return e.s.Hold(ctx, HoldRequest{ID: "hold:msg-1", From: "user:2", Amount: d("3"), Dims: Dims{UserID: 2, Model: "m", Source: "ui"}})
	}
	post := func(ctx context.Context, e *env) (Transfer, error) {
		return e.s.Post(ctx, PostRequest{ID: "post:msg-0", HoldID: "hold:msg-0", Amount: d("2"), Asked: []byte(`{"price":"2"}`)})
	}
	void := func(ctx context.Context, e *env) (Transfer, error) {
		return e.s.Void(ctx, "void:msg-0", "hold:msg-0")
	}
	for _, c := range []struct {
		name           string
		req            request
		first, replay  context.Context
		replayedByWhom string // "" : refused
	}{
		{"an admin's move from a member's wallet, replayed by the member", give("x-1"), admin, member, ""},
		{"an admin's move, replayed by another admin", give("x-1"), admin, admin2, ""},
		{"an admin's move, replayed by the system", give("x-1"), admin, system, ""},
		{"an admin's move, replayed by the admin", give("x-1"), admin, admin, "admin"},
		{"a member's give, replayed by an admin", give("x-1"), member, admin, ""},
		{"a member's give, replayed by the member", give("x-1"), member, member, "member"},
		{"an admin's legs, replayed by the member", many, admin, member, ""},
		{"an admin's legs, replayed by the admin", many, admin, admin, "admin"},
		{"a member's legs, replayed by the member", many, member, member, "member"},
		{"an admin's usage charge, replayed by the member", usage, admin, member, ""},
		{"a member's usage charge, replayed by the member", usage, member, member, "member"},
		{"an admin's top-up, replayed by another admin", topUp, admin, admin2, ""},
		{"an admin's top-up, replayed by the admin", topUp, admin, admin, "admin"},
		{"a member's hold, replayed by another member", hold, member, other, ""},
		{"a member's hold, replayed by an admin", hold, member, admin, ""},
		{"a member's hold, replayed by the member (a send's retry)", hold, member, member, "member"},
		{"an admin's hold on a member's wallet, replayed by the member", hold, admin, member, ""},
		{"a member's post of their hold, replayed by the member", post, member, member, "member"},
		{"a member's post, replayed by another member", post, member, other, ""},
		{"the system's post of a member's hold, replayed by the system", post, system, system, "system"},
		{"the system's post of a member's hold, replayed by the member", post, system, member, ""},
		{"an admin's post of a member's hold, replayed by the member", post, admin, member, ""},
		{"a member's void of their hold, replayed by the member", void, member, member, "member"},
		{"the system's void of a member's hold, replayed by the system", void, system, system, "system"},
		{"the system's void of a member's hold, replayed by the member", void, system, member, ""},
		{"a member's void, replayed by an admin", void, member, admin, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			e.s.indexEvery.Store(-1) // no debit index catch-up (on its own clock) between the snapshots
			e.ensure(t, "user:2", "user:3")
			e.fund(t, "user:2", "100")
			// The member's send in flight: its hold, which the post and
			// void cases resolve.
			if _, err := e.s.Hold(member, HoldRequest{ID: "hold:msg-0", From: "user:2", Amount: d("4"),
				Dims: Dims{UserID: 2, Model: "m", Source: "ui"}}); err != nil {
				t.Fatal(err)
			}
			first, err := c.req(c.first, e)
			if err != nil {
				t.Fatalf("first request: %v", err)
			}
			before := e.snapshot(t)
			again, err := c.req(c.replay, e)
			if c.replayedByWhom == "" {
				if !errors.Is(err, ErrIdempotencyConflict) {
					t.Fatalf("replay by another actor = %+v, %v; want ErrIdempotencyConflict", again, err)
				}
				if again.ID != 0 {
					t.Fatalf("the refusal returned the first request's transfer %d", again.ID)
				}
			} else if err != nil || again.ID != first.ID || !again.Replayed || !again.Amount.Equal(first.Amount) {
				t.Fatalf("%s's own retry = %+v, %v; want transfer %d replayed", c.replayedByWhom, again, err, first.ID)
			}
			if after := e.snapshot(t); after != before {
				t.Fatal("the replay wrote something")
			}
			e.verify(t)
		})
	}
}

// TestReplayOfARowFromBeforeTheActorWasKept: a request written by an
// earlier version stored the hash of its content alone (no actor): its
// retry after the upgrade still replays, as it did before.
func TestReplayOfARowFromBeforeTheActorWasKept(t *testing.T) {
	e := newEnv(t)
	e.s.indexEvery.Store(-1) // no debit index catch-up (on its own clock) between the snapshots
	e.ensure(t, "user:2")
	e.fund(t, "user:2", "10")
	member := memberCtx(2)
	req := HoldRequest{ID: "hold:old", From: "user:2", Amount: d("3"), Dims: Dims{UserID: 2, Model: "m", Source: "ui"}}
	first, err := e.s.Hold(member, req)
	if err != nil {
		t.Fatal(err)
	}
	var stored string
	if err := e.db.Read().QueryRow(`SELECT input_hash FROM ledger_transfers WHERE request_id = 'hold:old'`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	content, actor, ok := strings.Cut(stored, "@")
	if !ok || actor != "user:2" || len(content) != 64 {
		t.Fatalf("input_hash %q: want the content's SHA-256 @ user:2", stored)
	}
	// As an earlier version wrote it.
	if _, err := e.db.Writer().Exec(`UPDATE ledger_transfers SET input_hash = ? WHERE request_id = 'hold:old'`, content); err != nil {
		t.Fatal(err)
	}
	before := e.snapshot(t)
	again, err := e.s.Hold(member, req)
	if err != nil || again.ID != first.ID || !again.Replayed {
		t.Fatalf("retry after the upgrade = %+v, %v; want hold %d replayed", again, err, first.ID)
	}
	other := req
	other.Amount = d("3.000000001")
	if _, err := e.s.Hold(member, other); !errors.Is(err, ErrIdempotencyConflict) {
		t.Fatalf("other content after the upgrade: %v, want ErrIdempotencyConflict", err)
	}
	if e.snapshot(t) != before {
		t.Fatal("a retry wrote something")
	}
}
