package reports

import (
	"slices"

	"github.com/shopspring/decimal"

	"meterdesk/backend/money"
)

// divPrecision is the number of decimal places kept by the divisions inside
// the statistics (medians, means, quantiles, z-scores). Statistics are not
// money: amounts shown to people are passed through money.Round afterwards.
const divPrecision = 18

// sortedDecimals returns the values, in minor units, as sorted decimals.
func sortedDecimals(values []int64) []decimal.Decimal {
	s := slices.Clone(values)
	slices.Sort(s)
	out := make([]decimal.Decimal, len(s))
	for i, v := range s {
		out[i] = decimal.NewFromInt(v)
	}
	return out
}

// median of sorted values (mean of the two middle ones for an even count).
// It returns zero for no values.
func median(sorted []decimal.Decimal) decimal.Decimal {
	n := len(sorted)
	if n == 0 {
		return decimal.Zero
	}
	if n%2 == 1 {
		return sorted[n/2]
	}
	return sorted[n/2-1].Add(sorted[n/2]).DivRound(decimal.NewFromInt(2), divPrecision)
}

// mean of values; zero for no values.
func mean(values []decimal.Decimal) decimal.Decimal {
	if len(values) == 0 {
		return decimal.Zero
	}
	sum := decimal.Zero
	for _, v := range values {
		sum = sum.Add(v)
	}
	return sum.DivRound(decimal.NewFromInt(int64(len(values))), divPrecision)
}

// quantile returns the q-quantile (0 <= q <= 1) of sorted values by linear
// interpolation between closest ranks (the "type 7" definition used by R and
// NumPy's default). It returns zero for no values.
func quantile(sorted []decimal.Decimal, q decimal.Decimal) decimal.Decimal {
	n := len(sorted)
	if n == 0 {
		return decimal.Zero
	}
	if n == 1 {
		return sorted[0]
	}
	h := q.Mul(decimal.NewFromInt(int64(n - 1)))
	lo := h.Floor()
	i := int(lo.IntPart())
	if i >= n-1 {
		return sorted[n-1]
	}
	if i < 0 {
		return sorted[0]
	}
	frac := h.Sub(lo)
	return sorted[i].Add(sorted[i+1].Sub(sorted[i]).Mul(frac))
}

// Robust z-score constants (Iglewicz and Hoaglin): z = 0.6745 (x - median) / MAD.
// When MAD is zero (more than half the values are equal), the mean absolute
// deviation is used instead: z = (x - median) / (1.253314 MeanAD).
var (
	madFactor    = decimal.RequireFromString("0.6745")
	meanADFactor = decimal.RequireFromString("1.253314")
)

// Baseline is the robust centre and spread of a series.
type Baseline struct {
	Median decimal.Decimal
	MAD    decimal.Decimal // median absolute deviation from the median
	MeanAD decimal.Decimal // mean absolute deviation from the median (fallback)
	N      int
}

// NewBaseline computes the baseline of values (minor units). Values within
// ±money.MaxMinor (every amount and sum the ledger allows) take an exact
// integer path; others the decimal one. Both give the same numbers (tested).
func NewBaseline(values []int64) Baseline {
	if b, ok := baselineInt(values); ok {
		return b
	}
	return baselineDecimal(values)
}

// baselineInt computes the baseline in doubled integer units (2·value, the
// sum of the two middle values), so that half-unit medians stay exact
// without decimals, and converts once at the end. ok is false when a value
// is beyond ±money.MaxMinor or a sum would overflow.
func baselineInt(values []int64) (Baseline, bool) {
	n := len(values)
	if n == 0 {
		return Baseline{}, false
	}
	s := slices.Clone(values)
	slices.Sort(s)
	if s[0] < -money.MaxMinor || s[n-1] > money.MaxMinor {
		return Baseline{}, false
	}
	med2 := 2 * s[n/2] // 2·median
	if n%2 == 0 {
		med2 = s[n/2-1] + s[n/2]
	}
	dev2 := make([]int64, n) // 2·|value − median|, at most 4·MaxMinor
	sum2 := int64(0)
	for i, v := range s {
		d := 2*v - med2
		if d < 0 {
			d = -d
		}
		dev2[i] = d
		if sum2 += d; sum2 < 0 {
			return Baseline{}, false
		}
	}
	slices.Sort(dev2)
	two := decimal.NewFromInt(2)
	var mad decimal.Decimal
	if n%2 == 1 {
		mad = decimal.NewFromInt(dev2[n/2]).DivRound(two, divPrecision)
	} else {
		mad = decimal.NewFromInt(dev2[n/2-1]).Add(decimal.NewFromInt(dev2[n/2])).DivRound(decimal.NewFromInt(4), divPrecision)
	}
	return Baseline{
		Median: decimal.NewFromInt(med2).DivRound(two, divPrecision),
		MAD:    mad,
		MeanAD: decimal.NewFromInt(sum2).DivRound(decimal.NewFromInt(int64(2*n)), divPrecision),
		N:      n,
	}, true
}

// baselineDecimal is the baseline computed in decimals throughout.
func baselineDecimal(values []int64) Baseline {
	s := sortedDecimals(values)
	med := median(s)
	dev := make([]decimal.Decimal, len(s))
	for i, v := range s {
		dev[i] = v.Sub(med).Abs()
	}
	meanAD := mean(dev)
	slices.SortFunc(dev, func(a, b decimal.Decimal) int { return a.Cmp(b) })
	return Baseline{Median: med, MAD: median(dev), MeanAD: meanAD, N: len(values)}
}

// Z returns the robust z-score of x against the baseline, and false when the
// baseline has no spread at all (every value equal), where no score exists.
func (b Baseline) Z(x int64) (decimal.Decimal, bool) {
	d := decimal.NewFromInt(x).Sub(b.Median)
	switch {
	case b.MAD.Sign() > 0:
		return madFactor.Mul(d).DivRound(b.MAD, divPrecision), true
	case b.MeanAD.Sign() > 0:
		return d.DivRound(meanADFactor.Mul(b.MeanAD), divPrecision), true
	default:
		return decimal.Zero, false
	}
}
