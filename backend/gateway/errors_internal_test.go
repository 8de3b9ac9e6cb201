package gateway

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestInternalErrorsHideTheirText: a failure the client cannot act on is
// answered with a reference, never with its text (paths, queries); a mapped
// error keeps its message.
func TestInternalErrorsHideTheirText(t *testing.T) {
	err := fmt.Errorf("post usage: %w", errors.New("open /home/alice/.local/share/meterdesk/meterdesk.db: disk I/O error"))
	e := mapError(err, time.Now())
	if e.Status != http.StatusInternalServerError || strings.Contains(e.Message, "meterdesk.db") || strings.Contains(e.Message, "alice") ||
		!strings.Contains(e.Message, "reference ") {
		t.Fatalf("internal error answered %d %q", e.Status, e.Message)
	}
	if a, b := mapError(err, time.Now()).Message, mapError(err, time.Now()).Message; a == b {
		t.Fatalf("two internal errors share the reference: %q", a)
	}
}
