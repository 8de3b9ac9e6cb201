package statements

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"
	"time"
)

// Each row of the per-message CSV says which rate version priced the
// charge and whether it was capped at the hold, read from the posting's
// meta as chat writes it, in two columns after the old ones (whose order
// scripts rely on).
func TestDetailCSVRateVersionAndCapped(t *testing.T) {
	e := newEnv(t)
	mar := time.Date(2025, 3, 2, 12, 0, 0, 0, time.UTC)
	e.insert(t, []entry{
		// As backend/chat's postMeta: capped at the hold, priced by version 3.
		{op: "usage", from: "pool", to: "sys:usage", amount: mustMinor("0.08"), user: 2, model: "gpt-4o", at: mar,
			meta: `{"breakdown":{"model":"gpt-4o","rateVersion":3,"total":"800","totalMinor":800000000000},"capped":true,"estimated":false,"price":"800","provider":"fake","rateVersion":3,"usage":{"input":8,"output":100000}}`},
		{op: "usage", from: "pool", to: "sys:usage", amount: mustMinor("0.176"), user: 2, model: "gpt-4o", at: mar.Add(time.Minute),
			meta: `{"breakdown":{"rateVersion":4},"capped":false,"estimated":true,"price":"0.176","provider":"fake","rateVersion":4,"usage":{"input":8,"output":20}}`},
		// Only the breakdown names the version; no meta at all.
		{op: "usage", from: "pool", to: "sys:usage", amount: mustMinor("1"), user: 1, model: "m", at: mar.Add(2 * time.Minute),
			meta: `{"breakdown":{"rateVersion":2},"usage":{"input":1}}`},
		{op: "usage", from: "pool", to: "sys:usage", amount: mustMinor("2"), user: 1, model: "m", at: mar.Add(3 * time.Minute)},
		{op: "topup", from: "sys:topup", to: "pool", amount: mustMinor("100"), price: 1000, at: mar.Add(4 * time.Minute)},
	})
	old := []string{"id", "time", "member", "department", "model", "source", "conversation_id",
		"input_tokens", "cache_read_tokens", "cache_write_tokens", "output_tokens", "reasoning_tokens", "tool_calls",
		"estimated", "credits"}
	for _, c := range []struct {
		req  Request
		want [][]string // output_tokens, estimated, credits, rate_version, capped, provider
	}{
		// "fake" is configured no longer: "(since removed)"; no meta names no provider.
		{Request{Month: "2025-03"}, [][]string{{"100000", "false", "0.08", "3", "true", "fake (since removed)"},
			{"20", "true", "0.176", "4", "false", "fake (since removed)"},
			{"0", "false", "1", "2", "false", "provider unknown"}, {"0", "false", "2", "", "false", "provider unknown"}}},
		{Request{Month: "2025-03", UserID: 2}, [][]string{{"100000", "false", "0.08", "3", "true", "fake (since removed)"},
			{"20", "true", "0.176", "4", "false", "fake (since removed)"}}},
	} {
		st, err := e.st.Build(e.ctx, c.req)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := e.st.WriteDetailCSV(e.ctx, st, &b, nil); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(recs[0], append(old, "rate_version", "capped", "member_id", "department_id", "provider")) {
			t.Fatalf("header %v: want the old columns in their order, then rate_version, capped, member_id, department_id and provider", recs[0])
		}
		var got [][]string
		for _, r := range recs[1:] {
			got = append(got, []string{r[10], r[13], r[14], r[15], r[16], r[19]})
		}
		if !slices.EqualFunc(got, c.want, slices.Equal[[]string]) {
			t.Errorf("%+v rows\n got %q\nwant %q", c.req, got, c.want)
		}
	}
}

// A charge that belongs to no conversation (a local API request, a CLI
// send before conversations were stored) has an empty conversation_id in
// the per-message CSV, as member_id and department_id are empty for none
// and as the transaction CSV (Usage → Export CSV…) writes it: not "0",
// which reads as a conversation's id.
func TestDetailCSVNoConversationIsEmpty(t *testing.T) {
	e := newEnv(t)
	mar := time.Date(2025, 3, 2, 12, 0, 0, 0, time.UTC)
	e.insert(t, []entry{
		{op: "usage", from: "pool", to: "sys:usage", amount: mustMinor("0.5"), user: 2, model: "gpt-4o", conv: 7, at: mar},
		{op: "usage", from: "pool", to: "sys:usage", amount: mustMinor("0.25"), user: 2, model: "gpt-4o", at: mar.Add(time.Minute)},
	})
	for _, req := range []Request{{Month: "2025-03"}, {Month: "2025-03", UserID: 2}} {
		st, err := e.st.Build(e.ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := e.st.WriteDetailCSV(e.ctx, st, &b, nil); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if recs[0][6] != "conversation_id" {
			t.Fatalf("column 6 is %q", recs[0][6])
		}
		var got []string
		for _, r := range recs[1:] {
			got = append(got, r[6])
		}
		if want := []string{"7", ""}; !slices.Equal(got, want) {
			t.Errorf("%+v: conversation_id %q, want %q", req, got, want)
		}
	}
}
