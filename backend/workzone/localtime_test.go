package workzone

import (
	"encoding/json"
	"os"
	"testing"
	"time"
)

// localTimeCase is one row of testdata/localtime.json, the table the
// frontend's localTime is tested against too (frontend/src/lib/dates.test.ts).
type localTimeCase struct {
	Comment string `json:"comment"`
	Zone    string `json:"zone"`
	UTC     string `json:"utc"`
	Minutes string `json:"minutes"`
	Seconds string `json:"seconds"`
}

func localTimeCases(t *testing.T) []localTimeCase {
	t.Helper()
	raw, err := os.ReadFile("testdata/localtime.json")
	if err != nil {
		t.Fatal(err)
	}
	var all []localTimeCase
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	var out []localTimeCase
	for _, c := range all {
		if c.Zone != "" {
			out = append(out, c)
		}
	}
	if len(out) < 20 {
		t.Fatalf("only %d cases in testdata/localtime.json", len(out))
	}
	return out
}

// LocalTime adds the UTC offset to exactly the local times that occur twice
// (the repeated hour when the clocks go back, at both of its occurrences),
// and to no other: a spring-forward day, zones without DST and UTC print
// without one. To the minute and to the second alike.
func TestLocalTime(t *testing.T) {
	for _, c := range localTimeCases(t) {
		loc := mustLoad(t, c.Zone)
		at, err := time.Parse(time.RFC3339, c.UTC)
		if err != nil {
			t.Fatal(err)
		}
		if got := LocalTime(at, loc, Minutes); got != c.Minutes {
			t.Errorf("LocalTime(%s in %s, Minutes) = %q, want %q", c.UTC, c.Zone, got, c.Minutes)
		}
		if got := LocalTime(at, loc, Seconds); got != c.Seconds {
			t.Errorf("LocalTime(%s in %s, Seconds) = %q, want %q", c.UTC, c.Zone, got, c.Seconds)
		}
		// The location t carries does not matter, only loc.
		if got := LocalTime(at.In(mustLoad(t, "Asia/Tokyo")), loc, Minutes); got != c.Minutes {
			t.Errorf("LocalTime(%s from Tokyo in %s) = %q, want %q", c.UTC, c.Zone, got, c.Minutes)
		}
	}
	// A nil location is UTC.
	at := time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC)
	if got := LocalTime(at, nil, Minutes); got != "2026-10-25 01:30" {
		t.Errorf("LocalTime(nil location) = %q", got)
	}
}

// The two occurrences of a repeated local time print differently, and each
// reads back as the instant it is.
func TestLocalTimeTellsTheRepeatedHourApart(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	first := time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC) // 02:30 CEST
	second := first.Add(time.Hour)                          // 02:30 CET
	a, b := LocalTime(first, berlin, Minutes), LocalTime(second, berlin, Minutes)
	if a == b {
		t.Fatalf("an hour apart, both read %q", a)
	}
	for _, c := range []struct {
		text string
		want time.Time
	}{{a, first}, {b, second}} {
		got, err := time.Parse("2006-01-02 15:04 -07:00", c.text)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("%q reads as %v (%v), want %v", c.text, got, err, c.want)
		}
	}
}
