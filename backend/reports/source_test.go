package reports

import "testing"

func TestSourceLabel(t *testing.T) {
	for code, want := range map[string]string{"ui": "App", "cli": "CLI", "api": "API", "system": "System", "": "", "x": "x"} {
		if got := SourceLabel(code); got != want {
			t.Errorf("SourceLabel(%q) = %q, want %q", code, got, want)
		}
	}
}
