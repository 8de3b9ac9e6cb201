package chat

import (
	"strings"

	"github.com/shopspring/decimal"

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
//
// A free reply (Free: what it used is rated 0, a free model or a local
// server) says so, as the API key list does (gateway.KeyUsage: "1 request,
// free"), and not "total 0.00 credits": "llama3 · input 523 tokens · output
// 1,247 tokens · free". Its charge is exactly 0 even when its counts are
// estimated, so only the counts are said to be ("token counts estimated
// (the provider reported no usage)"), and hidden reasoning, which costs no
// credits there either, is not mentioned.
func Summary(ch *Charge) string {
	free := Free(ch)
	parts := []string{ch.Model}
	for _, l := range ch.Breakdown.Lines {
		if free {
			if l.Kind == metering.LineRequests {
				continue
			}
			if l.Kind == metering.LineToolCalls {
				parts = append(parts, "tool calls "+money.GroupInt(l.Quantity))
				continue
			}
			parts = append(parts, lineLabels[l.Kind]+" "+tokens(l.Quantity))
			continue
		}
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
	if free {
		parts = append(parts, FreeWord)
		switch {
		case ch.Estimated && ch.Breakdown.InputReported:
			parts = append(parts, "token counts estimated: the stream was cut; input as the provider reported it, output counted")
		case ch.Estimated:
			parts = append(parts, "token counts estimated (the provider reported no usage)")
		}
		return strings.Join(parts, " · ")
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

// tokens is a count of tokens as a person writes it: "1 token", "1,247
// tokens".
func tokens(n int64) string {
	if n == 1 {
		return "1 token"
	}
	return money.GroupInt(n) + " tokens"
}

// Free reports whether a charge is of a free reply: every line of its
// breakdown is rated 0 and nothing was set aside for it (a free model, or
// a local server rated 0: the estimate it was held for, its output budget
// at the output rate among it, came to 0, as the picker's "free" and the
// composer's "Free: … costs nothing" say), so it cost exactly nothing
// whatever its counts. A charge of nothing for other reasons is not free:
// its summary says "total 0.00 credits" and why: capped at a hold of
// nothing, no usage at all, or a model rated 0 for input but not for
// output whose reply generated nothing (Price leaves out a line of
// nothing used, so its one line, input, is rated 0; what was held for its
// output was not 0).
func Free(ch *Charge) bool {
	if ch == nil || len(ch.Breakdown.Lines) == 0 || ch.Capped || ch.Breakdown.TotalMinor != 0 {
		return false
	}
	if h, err := decimal.NewFromString(ch.Hold); err != nil || !h.IsZero() {
		return false
	}
	for _, l := range ch.Breakdown.Lines {
		r, err := decimal.NewFromString(l.Rate)
		if err != nil || !r.IsZero() {
			return false
		}
	}
	return true
}

// ChargedTo is the line `meterdesk chat` prints after a reply: what was
// charged to whom, then the reply's summary: "charged 8.00 credits to pool:
// gpt-4o · … · total 8.00 credits"; for a charge of nothing, "nothing
// charged to pool: llama3 · … · free" (its JSON keeps the exact "0").
func ChargedTo(ch *Charge) string {
	return ChargedToNamed(ch, ch.Payer)
}

// ChargedToNamed is ChargedTo with the paying account as payer names it:
// `meterdesk chat` gives its code and, when it is the member's payer, the
// chat's phrase for it, as `credits balance` names it ("charged 5.25
// credits to dept:1 (the Research department): …"), the words of the
// refusal "the Research department has 4.75 available".
func ChargedToNamed(ch *Charge, payer string) string {
	if d, err := decimal.NewFromString(ch.Amount); err == nil && d.IsZero() {
		return "nothing charged to " + payer + ": " + ch.Summary
	}
	return "charged " + money.Credits(money.DisplayString(ch.Amount)) + " to " + payer + ": " + ch.Summary
}
