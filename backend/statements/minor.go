package statements

import (
	"strconv"

	"meterdesk/backend/money"
)

// minorPerCredit is 10^money.Scale.
var minorPerCredit = func() uint64 {
	p := uint64(1)
	for range money.Scale {
		p *= 10
	}
	return p
}()

// appendMinor appends the amount n (minor units) to dst exactly as
// money.MinorString(n) renders it ("-12.5", "0.000000001", "3"), without
// going through decimal.Decimal, so that the CSV hot path allocates nothing.
// The equality is tested on edge values (0, ±1 minor unit, ±MaxMinor,
// MinInt64/MaxInt64, trailing zeros) and on random values.
func appendMinor(dst []byte, n int64) []byte {
	if n == 0 {
		return append(dst, '0')
	}
	u := uint64(n)
	if n < 0 {
		dst = append(dst, '-')
		u = -u // two's complement: exact for MinInt64 too
	}
	ip, fp := u/minorPerCredit, u%minorPerCredit
	dst = strconv.AppendUint(dst, ip, 10)
	if fp == 0 {
		return dst
	}
	var frac [money.Scale]byte
	for i := money.Scale - 1; i >= 0; i-- {
		frac[i] = byte('0' + fp%10)
		fp /= 10
	}
	end := money.Scale
	for frac[end-1] == '0' {
		end--
	}
	dst = append(dst, '.')
	return append(dst, frac[:end]...)
}
