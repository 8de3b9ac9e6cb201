package chat

import (
	"strings"

	"meterdesk/backend/metering"
	"meterdesk/backend/money"
)

// lineLabels names each breakdown line in a summary.
var lineLabels = map[string]string{
	metering.LineInput:      "input",
	metering.LineCacheRead:  "cached input",
	metering.LineCacheWrite: "cache write",
	metering.LineOutput:     "output",
	metering.LineReasoning:  "reasoning",
}

// Summary renders a charge on one line, every amount exact and written by
// the display rule (money.Display, as the window writes credits):
// "gpt-4o · input 523 tokens (2.10 credits) · output 1,247 tokens (4.90 credits) ·
// tool calls 2 (1.00) · total 8.00 credits"; a capped charge adds why, in a
// member's words ("(charged up to the amount set aside for this reply; the
// usage came to 9.10 credits)"). Zero-rate request lines are left out.
func Summary(ch *Charge) string {
	parts := []string{ch.Model}
	for _, l := range ch.Breakdown.Lines {
		switch l.Kind {
		case metering.LineRequests:
			if l.Amount != "0" {
				parts = append(parts, "request ("+money.DisplayString(l.Amount)+")")
			}
		case metering.LineToolCalls:
			parts = append(parts, "tool calls "+money.GroupInt(l.Quantity)+" ("+money.DisplayString(l.Amount)+")")
		default:
			unit := " tokens ("
			if l.Quantity == 1 {
				unit = " token ("
			}
			parts = append(parts, lineLabels[l.Kind]+" "+money.GroupInt(l.Quantity)+unit+money.DisplayString(l.Amount)+" credits)")
		}
	}
	total := "total " + money.DisplayString(ch.Amount) + " credits"
	if ch.Capped {
		// In a member's words (the window shows this line under every
		// reply): "capped at the hold" is the docs' term.
		why := "charged up to the amount set aside for this reply"
		if ch.Amount != ch.Hold { // a reply that outlived its hold: what its payer's policy and its member's limits still allowed
			why = "charged only what the paying account and the spending limits still allowed"
		}
		total += " (" + why + "; the usage came to " + money.DisplayString(ch.Price) + " credits)"
	}
	parts = append(parts, total)
	switch {
	case ch.Estimated && ch.Breakdown.InputReported:
		parts = append(parts, "estimated: the stream was cut; input as the provider reported it, output counted")
	case ch.Estimated:
		parts = append(parts, "estimated (the provider reported no usage)")
	}
	if ch.Estimated && ch.Breakdown.ReasoningHidden {
		// Never claim a count we do not have: the provider bills the
		// reasoning it did not stream (hidden, or summarised).
		parts = append(parts, "hidden reasoning not counted (the provider bills it; it streamed none of it, or a summary)")
	}
	return strings.Join(parts, " · ")
}
