package workzone

import (
	"archive/zip"
	"io"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// goZone loads name from Go's own zone data ($GOROOT/lib/time/zoneinfo.zip,
// what `import _ "time/tzdata"` embeds and a Windows build reads), not the
// system's files: its later changes come from the rule at the end of each
// zone file, as in macOS' slim files.
func goZone(t *testing.T, name string) *time.Location {
	t.Helper()
	z, err := zip.OpenReader(filepath.Join(runtime.GOROOT(), "lib", "time", "zoneinfo.zip"))
	if err != nil {
		t.Skipf("Go's zone data: %v", err)
	}
	defer z.Close()
	f, err := z.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocationFromTZData(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestOffsetsOverALeapYearsEndWithGosZoneData: with Go's own zone data,
// time.ZoneBounds on the last UTC day of a leap year gives an end at or
// before the instant asked about (golang/go#81583), and Offsets walked on
// from it for ever: a usage roll-up with a transfer on 31 Dec 2028 in a DST
// zone never finished (reachable on Windows once the binary embedded the
// zone data). Offsets now finds the next change by the offset itself.
func TestOffsetsOverALeapYearsEndWithGosZoneData(t *testing.T) {
	cases := []struct {
		zone     string
		from, to string
		want     []Offset
	}{
		{"Europe/Berlin", "2028-12-31T10:00:00Z", "2028-12-31T11:00:00Z", []Offset{{Seconds: 3600}}},
		{"Europe/Berlin", "2028-12-30T12:00:00Z", "2029-04-01T00:00:00Z", []Offset{
			{Until: time.Date(2029, 3, 25, 1, 0, 0, 0, time.UTC), Seconds: 3600}, {Seconds: 7200}}},
		{"America/New_York", "2028-11-01T00:00:00Z", "2029-03-12T00:00:00Z", []Offset{
			{Until: time.Date(2028, 11, 5, 6, 0, 0, 0, time.UTC), Seconds: -4 * 3600},
			{Until: time.Date(2029, 3, 11, 7, 0, 0, 0, time.UTC), Seconds: -5 * 3600}, {Seconds: -4 * 3600}}},
		{"Australia/Sydney", "2032-12-30T00:00:00Z", "2033-01-02T00:00:00Z", []Offset{{Seconds: 11 * 3600}}},
	}
	for _, c := range cases {
		t.Run(c.zone+" "+c.from, func(t *testing.T) {
			loc := goZone(t, c.zone)
			from, _ := time.Parse(time.RFC3339, c.from)
			to, _ := time.Parse(time.RFC3339, c.to)
			done := make(chan []Offset, 1)
			go func() { done <- Offsets(loc, from, to) }()
			var got []Offset
			select {
			case got = <-done:
			case <-time.After(time.Minute): // a hang, not a speed bound: the loop never ends
				t.Fatalf("Offsets(%s, %s, %s) did not return", c.zone, c.from, c.to)
			}
			if len(got) != len(c.want) {
				t.Fatalf("Offsets = %v, want %v", got, c.want)
			}
			for i := range got {
				if !got[i].Until.Equal(c.want[i].Until) || got[i].Seconds != c.want[i].Seconds {
					t.Errorf("Offsets[%d] = %v, want %v", i, got[i], c.want[i])
				}
			}
		})
	}
}

// ruleZone is a zone as Go reads one from a slim zone file: one transition
// (in 2000, to standard time) and then only the rule at the file's end,
// footer (a POSIX TZ string), from which Go works out every later change.
func ruleZone(t *testing.T, name, footer string, stdOffset int32) *time.Location {
	t.Helper()
	be32 := func(b []byte, v uint32) []byte { return append(b, byte(v>>24), byte(v>>16), byte(v>>8), byte(v)) }
	header := func(b []byte, timecnt uint32) []byte {
		b = append(b, "TZif2"...)
		b = append(b, make([]byte, 15)...)
		for _, n := range []uint32{0, 0, 0, timecnt, 1, 4} { // isut, isstd, leap, time, type, char counts
			b = be32(b, n)
		}
		return b
	}
	b := header(nil, 0) // the version 1 block, empty: Go reads the version 2 one
	b = be32(b, uint32(stdOffset))
	b = append(b, 0, 0)
	b = append(b, "XST\x00"...)
	b = header(b, 1)
	when := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	b = be32(be32(b, uint32(uint64(when)>>32)), uint32(when))
	b = append(b, 0) // the transition's type
	b = be32(b, uint32(stdOffset))
	b = append(b, 0, 0)
	b = append(b, "XST\x00"...)
	b = append(b, '\n')
	b = append(b, footer...)
	b = append(b, '\n')
	loc, err := time.LoadLocationFromTZData(name, b)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestRepeatedOverALeapYearsEndWithGosZoneData: Repeated read t's span's
// end from time.ZoneBounds, which with Go's own zone data gives an end at
// or before t on the last UTC day of a leap year (golang/go#81583, as for
// Offsets): a time the clocks go back over just after it was not told
// apart. It reads the end by nextChange now. No zone in the tz database
// goes back within an hour of a year's end in UTC: Berlin, New York and
// Sydney read as they did (nothing repeated there), and a zone that does
// (+14, back to +13 at 00:00 UTC on 1 January, as Go reads a slim zone
// file's rule) shows the case: 13:30 on 1 January 2029 there is two
// instants, the first on 31 December 2028 in UTC.
func TestRepeatedOverALeapYearsEndWithGosZoneData(t *testing.T) {
	back := ruleZone(t, "Test/Back_at_new_year", "XST-13XDT,M9.5.0,J1/14", 13*3600)
	cases := []struct {
		loc  *time.Location
		utc  string
		want bool
	}{
		{goZone(t, "Europe/Berlin"), "2028-12-31T00:00:00Z", false},
		{goZone(t, "Europe/Berlin"), "2028-12-31T22:59:59Z", false},
		{goZone(t, "Europe/Berlin"), "2028-12-31T23:30:00Z", false},
		{goZone(t, "America/New_York"), "2028-12-31T04:30:00Z", false},
		{goZone(t, "America/New_York"), "2028-12-31T23:59:59Z", false},
		{goZone(t, "Australia/Sydney"), "2028-12-31T12:30:00Z", false},
		{goZone(t, "Australia/Sydney"), "2028-12-31T13:30:00Z", false},
		{back, "2028-12-31T22:59:59Z", false}, // 12:59:59 on 1 January, +14: once
		{back, "2028-12-31T23:00:00Z", true},  // 13:00 +14, and again at 00:00 UTC
		{back, "2028-12-31T23:30:00Z", true},  // 13:30 +14
		{back, "2029-01-01T00:30:00Z", true},  // 13:30 +13, the second
		{back, "2029-01-01T01:00:00Z", false}, // 14:00 +13: once
		{back, "2029-12-31T23:30:00Z", true},  // not a leap year: ZoneBounds' end was right
	}
	for _, c := range cases {
		u, err := time.Parse(time.RFC3339, c.utc)
		if err != nil {
			t.Fatal(err)
		}
		if got := Repeated(u.In(c.loc)); got != c.want {
			t.Errorf("Repeated(%s in %s, %s) = %v, want %v", c.utc, c.loc, u.In(c.loc).Format(time.RFC3339), got, c.want)
		}
	}
	// As LocalTime prints them: the two 13:30s with their offsets.
	for utc, want := range map[string]string{"2028-12-31T23:30:00Z": "2029-01-01 13:30 +14:00", "2029-01-01T00:30:00Z": "2029-01-01 13:30 +13:00"} {
		u, _ := time.Parse(time.RFC3339, utc)
		if got := LocalTime(u, back, Minutes); got != want {
			t.Errorf("LocalTime(%s) = %q, want %q", utc, got, want)
		}
	}
}
