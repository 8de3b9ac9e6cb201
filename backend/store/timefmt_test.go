package store

import (
	"sort"
	"testing"
	"time"
)

func TestTimeTextIsUTCFixedWidthAndSortsAsTime(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	times := []time.Time{
		time.Date(2026, 3, 29, 3, 0, 0, 0, berlin), // 01:00 UTC, just after the spring change
		time.Date(2026, 3, 29, 1, 59, 59, 999_000_000, berlin),
		time.Date(2025, 12, 31, 23, 59, 59, 1_000_000, time.UTC),
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	var texts []string
	for _, at := range times {
		s, n := FormatTime(at), FormatTimeNano(at)
		if len(s) != len(TimeLayout) || len(n) != len(TimeLayoutNano) || s[len(s)-1] != 'Z' {
			t.Fatalf("%v: %q / %q: not fixed-width UTC", at, s, n)
		}
		if back := ParseTime(s); !back.Equal(at.Truncate(time.Millisecond)) {
			t.Fatalf("ParseTime(%q) = %v, want %v", s, back, at)
		}
		texts = append(texts, s)
	}
	if got := FormatTime(times[0]); got != "2026-03-29T01:00:00.000Z" {
		t.Fatalf("FormatTime in Berlin = %q, want the UTC instant", got)
	}
	byText := append([]string(nil), texts...)
	sort.Strings(byText)
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	for i, at := range times {
		if byText[i] != FormatTime(at) {
			t.Fatalf("text order %v differs from time order at %d", byText, i)
		}
	}
	for _, bad := range []string{"", "2026-13-01T00:00:00.000Z", "2026-01-01 00:00:00", "yesterday"} {
		if got := ParseTime(bad); !got.IsZero() {
			t.Fatalf("ParseTime(%q) = %v, want the zero time", bad, got)
		}
	}
}
