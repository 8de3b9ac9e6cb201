package chat

import (
	"strings"
	"testing"
)

func TestExportFileName(t *testing.T) {
	for title, want := range map[string]string{
		"Trip plans":            "Trip plans",
		"a/b\\c:d*e?f\"g<h>i|j": "a-b-c-d-e-f-g-h-i-j",
		"  spaced   out  ":      "spaced out",
		"..":                    "conversation",
		"":                      "conversation",
		"???":                   "conversation",
		"Ωmega 🚀":               "Ωmega 🚀",
		strings.Repeat("é", 90): strings.Repeat("é", 80),
	} {
		if got := fileName(title); got != want {
			t.Errorf("fileName(%q) = %q, want %q", title, got, want)
		}
	}
}
