package statements

import "strings"

// PartyLine is a party on one line, as the CLI prints an invoice: the
// printed lines of partyLines (name, address lines, "tax id …", e-mail)
// joined by commas, or "not given" when nothing is set.
func PartyLine(p Party) string {
	kv := partyLines(p)
	if len(kv) == 1 && kv[0].Key == "Not given" {
		return "not given"
	}
	parts := make([]string, 0, len(kv))
	for _, f := range kv {
		switch f.Key {
		case "Tax id":
			parts = append(parts, "tax id "+f.Value)
		default:
			parts = append(parts, f.Value)
		}
	}
	return strings.Join(parts, ", ")
}
