package reports

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/store"
)

// TestStreamEqualsEach: the export stream yields exactly Each's rows (but for
// Amount and Meta, which it leaves to the writer), in every filter and
// scope, across chunk boundaries.
func TestStreamEqualsEach(t *testing.T) {
	defer func(n int) { streamChunk = n }(streamChunk)
	streamChunk = 16
	f := newFixture(t)
	var txs []tx
	models := []string{"gpt-4o", "claude", "", "=cmd"}
	for i := range 500 {
		at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 7 * time.Minute).Format("2006-01-02 15:04")
		x := tx{op: "usage", from: "pool", to: "sys:usage", amount: int64(i*7919) - 5000, user: int64(i % 3), dept: int64(i % 2),
			model: models[i%4], conv: int64(i / 50), at: at}
		switch i % 97 {
		case 0:
			x = tx{op: "topup", from: "sys:topup", to: "pool", amount: 100 * c, at: at}
		case 1:
			x = tx{op: "transfer", from: "pool", to: "dept:1", amount: 3, at: at}
		}
		txs = append(txs, x)
	}
	f.add(t, txs...)
	ann := access.WithActor(context.Background(), access.Actor{UserID: 1, Role: access.RoleMember})
	for _, tc := range []struct {
		ctx context.Context
		f   Filter
	}{
		{f.ctx, Filter{}},
		{f.ctx, Filter{Types: []string{"usage"}}},
		{f.ctx, Filter{Types: []string{"topup", "transfer"}, From: "2025-03-02", To: "2025-03-20"}},
		{f.ctx, Filter{Model: "claude", DepartmentID: 1}},
		{ann, Filter{}},
	} {
		var want, got []Row
		if err := f.svc.Each(tc.ctx, tc.f, func(r Row) error { want = append(want, r); return nil }); err != nil {
			t.Fatal(err)
		}
		total := int64(-1)
		if err := f.svc.Stream(tc.ctx, tc.f, func(n int64) { total = n }, func(r *Row) error { got = append(got, *r); return nil }); err != nil {
			t.Fatal(err)
		}
		if total != int64(len(want)) {
			t.Errorf("%+v: begin got %d, want %d", tc.f, total, len(want))
		}
		if len(got) != len(want) || len(want) == 0 {
			t.Fatalf("%+v: stream %d rows, each %d", tc.f, len(got), len(want))
		}
		for i := range want {
			w := want[i]
			w.Amount, w.Meta = "", nil
			if fmt.Sprintf("%+v", got[i]) != fmt.Sprintf("%+v", w) {
				t.Fatalf("%+v row %d:\nstream %+v\neach   %+v", tc.f, i, got[i], w)
			}
		}
	}
	member := access.WithActor(context.Background(), access.Actor{UserID: 1, Role: access.RoleMember})
	if err := f.svc.Stream(member, Filter{UserID: 2}, nil, func(*Row) error { return nil }); err == nil {
		t.Error("a member streamed another member's rows")
	}
	if err := f.svc.Stream(f.ctx, Filter{From: "March"}, nil, func(*Row) error { return nil }); err == nil {
		t.Error("bad filter accepted")
	}
}

// TestParseCreated compares the digit-by-digit parser with time.Parse.
func TestParseCreated(t *testing.T) {
	for _, s := range []string{"2025-03-02T10:00:00.000Z", "2024-02-29T23:59:59.999Z", "2025-02-29T10:00:00.000Z",
		"2025-13-01T10:00:00.000Z", "2025-03-02T24:00:00.000Z", "2025-03-02 10:00:00.000Z", "2025-03-02T10:00:00Z",
		"", "2025-03-0xT10:00:00.000Z", "0001-01-01T00:00:00.000Z", "2025-04-31T00:00:00.000Z"} {
		want, _ := time.Parse(store.TimeLayout, s)
		if got := parseCreated([]byte(s)); !got.Equal(want) || got.Location() != want.Location() {
			t.Errorf("parseCreated(%q) = %v, time.Parse = %v", s, got, want)
		}
	}
}

// TestParseInts covers the packed integer column's parser.
func TestParseInts(t *testing.T) {
	out := make([]int64, 3)
	for _, tc := range []struct {
		in   string
		ok   bool
		want [3]int64
	}{
		{"1 2 3", true, [3]int64{1, 2, 3}},
		{"0 -5 9223372036854775807", true, [3]int64{0, -5, math.MaxInt64}},
		{"-9223372036854775808 0 0", true, [3]int64{math.MinInt64, 0, 0}},
		{"9223372036854775808 0 0", false, [3]int64{}},
		{"-9223372036854775809 0 0", false, [3]int64{}},
		{"99999999999999999999 0 0", false, [3]int64{}},
		{"1 2", false, [3]int64{}},
		{"1 2 3 4", false, [3]int64{}},
		{"1  2 3", false, [3]int64{}},
		{"1 2 x", false, [3]int64{}},
		{"1 - 3", false, [3]int64{}},
		{"", false, [3]int64{}},
	} {
		ok := parseInts([]byte(tc.in), out)
		if ok != tc.ok || (ok && [3]int64(out) != tc.want) {
			t.Errorf("parseInts(%q) = %v %v, want %v %v", tc.in, out, ok, tc.want, tc.ok)
		}
	}
}
