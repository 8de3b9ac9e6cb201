package chat

import (
	"encoding/json"

	"meterdesk/backend/ledger"
)

// FreeWord is how the cost of a free reply reads wherever a person reads
// it: its summary ("… · free"), a stopped one's note, and its charge's row
// in the credits history.
const FreeWord = "free"

// HistoryWord is how a credits history row's amount reads where a person
// reads it (Settings → Credits → History, `meterdesk credits history`):
// FreeWord for the charge of a free reply, as the chat says it, not "0.00
// credits"; "" for every other row, whose amount is written as a number
// (the display rule). A free reply's charge is a chat or API charge (a
// posted hold, op post, or a usage transfer, into sys:usage) of nothing
// that Free calls free from what its meta recorded: every line rated 0,
// nothing capped, and nothing held for it (a model rated 0 for input only,
// whose reply generated nothing, was held its output budget: the chat says
// "total 0.00 credits", and so does the history). A charge recorded before
// its hold was (no "hold" in its meta) keeps its number. The CSV and PDF
// exports keep the number: they are for machines and accountants.
func HistoryWord(t ledger.Transfer) string {
	if t.Amount.Sign() != 0 || t.To != ledger.AccountUsage || (t.Op != ledger.OpPost && t.Op != ledger.OpUsage) {
		return ""
	}
	var m postMeta
	if err := json.Unmarshal(t.Meta, &m); err != nil {
		return ""
	}
	if !Free(&Charge{Breakdown: m.Breakdown, Capped: m.Capped, Hold: m.Hold}) {
		return ""
	}
	return FreeWord
}
