package reports

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/money"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestBaseline(t *testing.T) {
	tests := []struct {
		name        string
		values      []int64
		median, mad string
		meanAD      string
		x           int64
		z           string
		ok          bool
	}{
		{"odd", []int64{1, 2, 3, 4, 100}, "3", "1", "20.2", 100, "65.4265", true},
		{"even", []int64{1, 2, 3, 4}, "2.5", "1", "1", 4, "1.01175", true},
		{"mad zero falls back to meanAD", []int64{0, 0, 0, 0, 0, 0, 70}, "0", "0", "10", 70, "5.585192537544462122", true},
		{"no spread", []int64{5, 5, 5}, "5", "0", "0", 9, "0", false},
		{"empty", nil, "0", "0", "0", 1, "0", false},
		{"negative below median", []int64{10, 20, 30}, "20", "10", "6.666666666666666667", 0, "-1.349", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBaseline(tc.values)
			if !b.Median.Equal(d(tc.median)) || !b.MAD.Equal(d(tc.mad)) || !b.MeanAD.Equal(d(tc.meanAD)) {
				t.Fatalf("baseline = median %s MAD %s meanAD %s, want %s %s %s", b.Median, b.MAD, b.MeanAD, tc.median, tc.mad, tc.meanAD)
			}
			z, ok := b.Z(tc.x)
			if ok != tc.ok || !z.Round(15).Equal(d(tc.z).Round(15)) {
				t.Fatalf("Z(%d) = %s, %v; want %s, %v", tc.x, z, ok, tc.z, tc.ok)
			}
		})
	}
}

func TestQuantile(t *testing.T) {
	s := sortedDecimals([]int64{40, 10, 30, 20, 50})
	tests := []struct{ q, want string }{
		{"0", "10"}, {"0.1", "14"}, {"0.5", "30"}, {"0.9", "46"}, {"1", "50"}, {"0.25", "20"},
	}
	for _, tc := range tests {
		if got := quantile(s, d(tc.q)); !got.Equal(d(tc.want)) {
			t.Errorf("quantile(%s) = %s, want %s", tc.q, got, tc.want)
		}
	}
	if got := quantile(nil, d("0.5")); !got.IsZero() {
		t.Errorf("quantile of nothing = %s", got)
	}
	if got := quantile(sortedDecimals([]int64{7}), d("0.9")); !got.Equal(d("7")) {
		t.Errorf("quantile of one = %s", got)
	}
}

func TestOutliers(t *testing.T) {
	tests := []struct {
		name   string
		series []int64
		check  []int
		want   []int
	}{
		{"spike flagged", []int64{10, 11, 9, 10, 12, 10, 11, 95}, nil, []int{7}},
		{"dip not flagged", []int64{100, 101, 99, 100, 102, 100, 101, 0}, nil, nil},
		{"too short", []int64{10, 10, 10, 10, 10, 500}, nil, nil},
		{"flat", []int64{3, 3, 3, 3, 3, 3, 3, 3}, nil, nil},
		{"mostly zero then spend", []int64{0, 0, 0, 0, 0, 0, 0, 0, 5000}, nil, []int{8}},
		{"only checked index", []int64{10, 11, 9, 90, 12, 10, 11, 95}, []int{7}, []int{7}},
		{"check out of range ignored", []int64{10, 11, 9, 10, 12, 10, 11, 95}, []int{-1, 99}, nil},
		{"moderate rise not flagged", []int64{10, 12, 9, 11, 10, 13, 10, 14}, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Outliers(tc.series, tc.check)
			var idx []int
			for _, o := range got {
				idx = append(idx, o.Index)
				if o.Value != tc.series[o.Index] || !o.Z.GreaterThan(AnomalyThreshold) {
					t.Errorf("bad outlier %+v", o)
				}
			}
			if len(idx) != len(tc.want) {
				t.Fatalf("outliers at %v, want %v", idx, tc.want)
			}
			for i := range idx {
				if idx[i] != tc.want[i] {
					t.Fatalf("outliers at %v, want %v", idx, tc.want)
				}
			}
		})
	}
}

func TestComputeForecast(t *testing.T) {
	const c = 1_000_000_000 // one credit in minor units
	day := func(s string) time.Time { tm, _ := time.Parse(time.DateOnly, s); return tm.Add(15 * time.Hour) }
	tests := []struct {
		name                      string
		in                        ForecastInput
		mean, monthEnd, low, high string
		runOut, early, late       string
		remaining                 int
		enough                    bool
	}{
		{
			name: "steady spend",
			in: ForecastInput{Today: day("2025-03-10"), Daily: []int64{2 * c, 2 * c, 2 * c, 2 * c, 2 * c, 2 * c, 2 * c},
				MonthToDate: 19 * c, Balance: 10 * c},
			mean: "2", monthEnd: "61", low: "61", high: "61", runOut: "2025-03-15", early: "2025-03-15", late: "2025-03-15",
			remaining: 21, enough: true,
		},
		{
			name: "varied spend gives a band",
			in: ForecastInput{Today: day("2024-02-27"), Daily: []int64{1 * c, 2 * c, 3 * c, 4 * c, 5 * c, 6 * c, 7 * c, 8 * c, 9 * c, 10 * c},
				MonthToDate: 100 * c, Balance: 11 * c},
			// mean 5.5, p10 1.9, p90 9.1; Feb 2024 has 29 days -> 2 days left
			mean: "5.5", monthEnd: "111", low: "103.8", high: "118.2",
			runOut: "2024-02-29", early: "2024-02-28", late: "2024-03-03",
			remaining: 2, enough: true,
		},
		{
			name: "no spend never runs out",
			in:   ForecastInput{Today: day("2025-12-31"), Daily: []int64{0, 0, 0}, MonthToDate: 0, Balance: 5 * c},
			mean: "0", monthEnd: "0", low: "0", high: "0", runOut: "", early: "", late: "",
			remaining: 0, enough: false,
		},
		{
			name: "empty balance has run out today",
			in:   ForecastInput{Today: day("2025-01-15"), Daily: nil, MonthToDate: 3, Balance: 0},
			mean: "0", monthEnd: "0.000000003", low: "0.000000003", high: "0.000000003",
			runOut: "2025-01-15", early: "2025-01-15", late: "2025-01-15",
			remaining: 16, enough: false,
		},
		{
			name: "fractional mean is rounded once",
			in:   ForecastInput{Today: day("2025-04-30"), Daily: []int64{1, 1, 0}, MonthToDate: 0, Balance: 1},
			mean: "0.000000001", monthEnd: "0", low: "0", high: "0",
			runOut: "2025-05-01", early: "2025-05-01", late: "2025-05-05",
			remaining: 0, enough: false,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := ComputeForecast(tc.in)
			got := []string{f.DailyMean, f.MonthEnd, f.MonthEndLow, f.MonthEndHigh, f.RunOut, f.RunOutEarly, f.RunOutLate}
			want := []string{tc.mean, tc.monthEnd, tc.low, tc.high, tc.runOut, tc.early, tc.late}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("field %d = %q, want %q (forecast %+v)", i, got[i], want[i], f)
				}
			}
			if f.RemainingDays != tc.remaining || f.Enough != tc.enough || f.Method == "" {
				t.Errorf("remaining %d enough %v method %q", f.RemainingDays, f.Enough, f.Method)
			}
		})
	}
}

// TestBaselineIntEqualsDecimal: the integer fast path gives exactly the
// decimal computation's numbers, odd and even counts, negatives, ties and
// the largest amounts; values beyond MaxMinor take the decimal path.
func TestBaselineIntEqualsDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	cases := [][]int64{{0}, {1, 2}, {3, 3, 3, 4}, {-5, 7, 7, 2, 0, 0, 0, 1}, {money.MaxMinor, money.MaxMinor - 1, -money.MaxMinor, 0},
		{money.MaxMinor, -money.MaxMinor}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 1000}}
	for range 500 {
		v := make([]int64, 1+r.IntN(60))
		scale := []int64{3, 1000, 5_000_000_000, money.MaxMinor}[r.IntN(4)]
		for i := range v {
			v[i] = r.Int64N(scale)
			if r.IntN(5) == 0 {
				v[i] = 0
			}
		}
		cases = append(cases, v)
	}
	fastPaths := 0
	for _, v := range cases {
		if _, ok := baselineInt(v); ok {
			fastPaths++
		}
		fast, slow := NewBaseline(v), baselineDecimal(v)
		if !fast.Median.Equal(slow.Median) || !fast.MAD.Equal(slow.MAD) || !fast.MeanAD.Equal(slow.MeanAD) || fast.N != slow.N {
			t.Fatalf("%v: NewBaseline %+v, decimal %+v", v, fast, slow)
		}
	}
	if fastPaths < 300 {
		t.Errorf("only %d of %d series took the integer path", fastPaths, len(cases))
	}
	if _, ok := baselineInt([]int64{math.MaxInt64, 0, 1}); ok {
		t.Error("a value beyond MaxMinor took the integer path")
	}
	if b := NewBaseline([]int64{math.MaxInt64, 0, 1}); !b.Median.Equal(decimal.NewFromInt(1)) {
		t.Errorf("decimal fallback median %s", b.Median)
	}
}

// TestOutliersSkipIsExact: skipping values below the bound changes nothing
// against scoring every value (random series, spikes, flat series, MAD = 0).
func TestOutliersSkipIsExact(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	flagged := 0
	for n := range 3000 {
		v := make([]int64, 7+r.IntN(60))
		for i := range v {
			switch n % 3 {
			case 0:
				v[i] = 1000 + r.Int64N(200)
			case 1:
				v[i] = 0 // mostly zero: MAD = 0, MeanAD path
			default:
				v[i] = r.Int64N(money.MaxMinor / 100)
			}
			if r.IntN(12) == 0 {
				v[i] += r.Int64N(5000)
			}
		}
		b := NewBaseline(v)
		var want []Outlier
		for i, x := range v {
			if z, ok := b.Z(x); ok && z.GreaterThan(AnomalyThreshold) {
				want = append(want, Outlier{Index: i, Value: x, Median: b.Median, Z: z})
			}
		}
		got := Outliers(v, nil)
		if len(got) != len(want) {
			t.Fatalf("%v: %d outliers, want %d", v, len(got), len(want))
		}
		for i := range got {
			if got[i].Index != want[i].Index || !got[i].Z.Equal(want[i].Z) {
				t.Fatalf("%v: outlier %d = %+v, want %+v", v, i, got[i], want[i])
			}
		}
		flagged += len(got)
	}
	if flagged == 0 {
		t.Fatal("no series had an outlier: the test proves nothing")
	}
}

func TestForecastMethodNamesTheHistory(t *testing.T) {
	for n, want := range map[int]string{0: "no complete day of history yet", 1: "last complete day", 5: "last 5 complete days"} {
		daily := make([]int64, n)
		got := ComputeForecast(ForecastInput{Today: time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC), Daily: daily}).Method
		if !strings.Contains(got, want) {
			t.Errorf("%d days: method %q, want it to mention %q", n, got, want)
		}
	}
}
