package money

import "testing"

// TestAPIString: the local API's words write a credit amount as its JSON
// fields do (String), never by the display rule: no grouping, no padded
// places; text that is not a plain decimal is kept.
func TestAPIString(t *testing.T) {
	for in, want := range map[string]string{
		"4104": "4104", "4104.00": "4104", "99.712": "99.712", "0": "0", "-0.00": "0", "0.010": "0.01",
		"1250.5": "1250.5", "0.0000000004": "0", "0.0000000005": "0.000000001", "n/a": "n/a", "": "",
	} {
		if got := APIString(in); got != want {
			t.Errorf("APIString(%q) = %q, want %q", in, got, want)
		}
	}
}
