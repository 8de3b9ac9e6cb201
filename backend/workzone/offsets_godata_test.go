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
