package ledger

import (
	"context"
	"slices"

	"meterdesk/backend/access"
)

// ReservationNote says what a hold or void row of the credits history is:
// reserved credits, not a charge (the row's usage charge is what was
// taken). Credits → History's Note column and `meterdesk credits history`
// say it alike; "" for other rows.
func ReservationNote(t Transfer) string {
	switch {
	case t.Op == OpVoid:
		return "reservation released: not charged"
	case t.Op != OpHold:
		return ""
	case t.Status == "pending":
		return "reserved while the reply is written: not charged yet"
	case t.Status == "voided":
		return "reserved, then released: not charged"
	default:
		return "reserved, then settled: not charged (the usage charge is what was taken)"
	}
}

// EmptyHistory is what an empty credits history says instead of rows: a
// title and a sentence (Credits → History and `meterdesk credits
// history` alike).
type EmptyHistory struct {
	Title       string `json:"title"`
	Description string `json:"description"`
}

// EmptyHistoryFor says why f read no rows: an operation, a date, a member,
// a model or a provider narrows it ("Nothing matches these filters yet.");
// one account alone says no credits moved in or out of it (for a member
// reading an account other than their wallet: none of their transfers did,
// as History reads only theirs there); else no credits have moved at all.
// Reading every operation, or every one but the reservations (the default
// of both the window and the CLI; usage stands for post too), is not a
// filter.
func EmptyHistoryFor(ctx context.Context, f Filter) EmptyHistory {
	if f.filtered() {
		return EmptyHistory{"No transfers", "Nothing matches these filters yet."}
	}
	if f.Account != "" {
		if a, err := access.Current(ctx); err == nil && !a.IsAdmin() && f.Account != UserAccount(a.UserID) {
			return EmptyHistory{"No transfers yet", "None of your transfers moved credits in or out of this account yet: " +
				"a transfer between it and your wallet, or a charge to it for your messages, appears here."}
		}
		return EmptyHistory{"No transfers yet", "No credits have moved in or out of this account yet."}
	}
	return EmptyHistory{"No transfers yet", "No credits have moved yet. A top-up or a chat's charge appears here."}
}

// filtered: something other than the account narrows f.
func (f Filter) filtered() bool {
	if !f.From.IsZero() || !f.To.IsZero() || f.UserID != 0 || f.DepartmentID != 0 || f.Model != "" || f.Provider != "" {
		return true
	}
	if len(f.Ops) == 0 {
		return false
	}
	ops := slices.Clone(f.Ops)
	if slices.Contains(ops, OpUsage) { // usage reads the posted holds too
		ops = append(ops, OpPost)
	}
	slices.Sort(ops)
	ops = slices.Compact(ops)
	for _, all := range [][]string{Ops, OpsWithoutReservations()} {
		want := slices.Clone(all)
		slices.Sort(want)
		if slices.Equal(ops, want) {
			return false
		}
	}
	return true
}

// opLabels are how the operations read to a person: Credits → History (its
// rows and its filter), the Usage page (its transaction types, which are
// these operations) and the text of `meterdesk credits history` and
// `credits balance`. A usage transfer and a posted hold are one thing to a
// person, a charge for usage, and read alike ("Usage", which `--op usage`
// and the window's filter select both of). testdata/op_labels.json pins
// frontend/src/lib/labels.ts to them.
var opLabels = map[string]string{
	OpTopUp:      "Top-up",
	OpUsage:      "Usage",
	OpTransfer:   "Transfer",
	OpRefund:     "Refund",
	OpExpiry:     "Expiry",
	OpAdjustment: "Adjustment",
	OpGrant:      "Grant",
	OpHold:       "Reservation",
	OpPost:       "Usage",
	OpVoid:       "Released reservation",
}

// FilterOps are the operations a history's Operation filter offers (the
// window's Credits → History): every one but OpPost, since OpUsage selects
// every charge for usage, a posted hold too, and both read "Usage"
// (OpLabel); `credits history --op post` still reads posted holds alone.
func FilterOps() []string {
	out := make([]string, 0, len(Ops))
	for _, op := range Ops {
		if op != OpPost {
			out = append(out, op)
		}
	}
	return out
}

// OpLabel is how operation op reads to a person ("Usage" for a usage
// transfer and a posted hold alike); an unknown op as it is.
func OpLabel(op string) string {
	if l, ok := opLabels[op]; ok {
		return l
	}
	return op
}
