package reports

import (
	"math"

	"github.com/shopspring/decimal"
)

// AnomalyThreshold is the robust z-score above which a value is flagged
// (Iglewicz and Hoaglin recommend 3.5 for the modified z-score).
var AnomalyThreshold = decimal.RequireFromString("3.5")

// MinBaseline is the fewest values a series needs before it is judged: with
// less history every day looks unusual.
const MinBaseline = 7

// AnomalyMethod names the detection method shown next to a flag.
const AnomalyMethod = "robust z-score 0.6745·(x − median)/MAD over the series' own history " +
	"(mean absolute deviation when MAD = 0); flagged above 3.5"

// Outlier is one value of a series that departs upward from the series' own
// baseline. Only spikes are flagged: spending less than usual is no alarm.
type Outlier struct {
	Index  int             // position in the series
	Value  int64           // minor units
	Median decimal.Decimal // baseline median, minor units
	Z      decimal.Decimal // robust z-score
}

// Outliers returns the values of series whose robust z-score against the
// whole series is above AnomalyThreshold. The series is judged only if it
// has at least MinBaseline values; a series with no spread has no outliers.
// Values in check (indexes into series) are the only ones tested; nil tests
// them all.
func Outliers(series []int64, check []int) []Outlier {
	if len(series) < MinBaseline {
		return nil
	}
	b := NewBaseline(series)
	if check == nil {
		check = make([]int, len(series))
		for i := range series {
			check[i] = i
		}
	}
	// A value at or below median + 5·MAD (median + 4·MeanAD when MAD = 0)
	// cannot score above 3.5 (3.5/0.6745 > 5, 3.5·1.253314 > 4), nor can one
	// at or below the median: such values skip the division. The bound is
	// one integer, floor(median + ...), as values are whole minor units.
	bound := b.Median
	switch {
	case b.MAD.Sign() > 0:
		bound = bound.Add(b.MAD.Mul(decimal.NewFromInt(5)))
	case b.MeanAD.Sign() > 0:
		bound = bound.Add(b.MeanAD.Mul(decimal.NewFromInt(4)))
	}
	skip, skipOK := int64(0), false
	if f := bound.Floor(); f.LessThanOrEqual(decimal.NewFromInt(math.MaxInt64)) && f.GreaterThanOrEqual(decimal.NewFromInt(math.MinInt64)) {
		skip, skipOK = f.IntPart(), true
	}
	var out []Outlier
	for _, i := range check {
		if i < 0 || i >= len(series) {
			continue
		}
		if skipOK && series[i] <= skip {
			continue
		}
		z, ok := b.Z(series[i])
		if !ok || z.LessThanOrEqual(AnomalyThreshold) {
			continue
		}
		out = append(out, Outlier{Index: i, Value: series[i], Median: b.Median, Z: z})
	}
	return out
}
