package money

import "testing"

// TestCredits: exactly one credit, written "1", reads "1 credit"; every
// other amount, "1.00" and "-1" too, reads "credits".
func TestCredits(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"1", "1 credit"},
		{"0", "0 credits"},
		{"0.5", "0.5 credits"},
		{"1.5", "1.5 credits"},
		{"1.00", "1.00 credits"},
		{"-1", "-1 credits"},
		{"10", "10 credits"},
		{"1,000", "1,000 credits"},
		{APIString("1.000"), "1 credit"},
	} {
		if got := Credits(c.in); got != c.want {
			t.Errorf("Credits(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
