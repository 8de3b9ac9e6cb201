package chat

import (
	"strconv"
	"strings"

	"meterdesk/backend/metering"
)

// lineLabels names each breakdown line in a summary.
var lineLabels = map[string]string{
	metering.LineInput:      "input",
	metering.LineCacheRead:  "cached input",
	metering.LineCacheWrite: "cache write",
	metering.LineOutput:     "output",
	metering.LineReasoning:  "reasoning",
}

// Summary renders a charge on one line, every amount exact:
// "gpt-4o · input 523 tokens (2.1 credits) · output 1,247 tokens (4.9 credits) ·
// tool calls 2 (1) · total 8 credits". Zero-rate request lines are left out.
func Summary(ch *Charge) string {
	parts := []string{ch.Model}
	for _, l := range ch.Breakdown.Lines {
		switch l.Kind {
		case metering.LineRequests:
			if l.Amount != "0" {
				parts = append(parts, "request ("+groupAmount(l.Amount)+")")
			}
		case metering.LineToolCalls:
			parts = append(parts, "tool calls "+groupInt(l.Quantity)+" ("+groupAmount(l.Amount)+")")
		default:
			parts = append(parts, lineLabels[l.Kind]+" "+groupInt(l.Quantity)+" tokens ("+groupAmount(l.Amount)+" credits)")
		}
	}
	total := "total " + groupAmount(ch.Amount) + " credits"
	if ch.Capped {
		at := "at the hold"
		if ch.Amount != ch.Hold { // a reply that outlived its hold: what its payer's policy and its member's limits still allowed
			at = "at what the payer's policy and the member's limits still allowed"
		}
		total += " (capped " + at + "; usage priced at " + groupAmount(ch.Price) + ")"
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

// groupInt writes n with thousands separators (1,247).
func groupInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// groupAmount groups the integer part of a canonical decimal amount.
func groupAmount(a string) string {
	intPart, frac, hasFrac := strings.Cut(a, ".")
	n, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil {
		return a
	}
	g := groupInt(n)
	if intPart == "-0" {
		g = "-0"
	}
	if hasFrac {
		return g + "." + frac
	}
	return g
}
