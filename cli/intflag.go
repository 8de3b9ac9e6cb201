package cli

import (
	"errors"
	"flag"
	"strconv"
)

// wholeNumber is a whole-number flag (an id, a count, months, minutes) read
// in decimal only, the one rule for every integer flag of the CLI: "012"
// is twelve and "08" eight, as typed. Go's flag.Int and flag.Int64 read
// with base 0, so "012" was ten (octal), "0x10" sixteen, "1_000" a
// thousand, and "08" was refused; here a 0x, 0o or 0b prefix or an
// underscore is refused with a message that says so (exit code 2, through
// flagError, before the command does anything).
type wholeNumber[T int | int64] struct{ p *T }

// String is the flag's value in decimal ("0" for the zero wholeNumber the
// flag package makes to find a default).
func (w wholeNumber[T]) String() string {
	if w.p == nil {
		return "0"
	}
	return strconv.FormatInt(int64(*w.p), 10)
}

// Set reads s as a decimal whole number (a sign and leading zeros allowed).
func (w wholeNumber[T]) Set(s string) error {
	bits := 64
	if _, isInt := any(*w.p).(int); isInt {
		bits = strconv.IntSize
	}
	n, err := parseWhole(s, bits)
	if err != nil {
		return err
	}
	*w.p = T(n)
	return nil
}

// Errors of parseWhole, worded for flagError's "invalid value "x" for
// --flag: ..." line.
var (
	errNotDecimal = errors.New("not a decimal number: write it with the digits 0-9 only (0x, 0o, 0b and _ are not read)")
	errNotWhole   = errors.New("not a valid number")
	errOutOfRange = errors.New("out of range")
)

// parseWhole reads s as a whole number in decimal that fits in bits.
func parseWhole(s string, bits int) (int64, error) {
	n, err := strconv.ParseInt(s, 10, bits)
	switch {
	case err == nil:
		return n, nil
	case errors.Is(err, strconv.ErrRange):
		return 0, errOutOfRange
	}
	// What base 0 would read (0x10, 0o17, 0b101, 1_000) is refused for
	// what it is; anything else is not a number at all.
	if _, err0 := strconv.ParseInt(s, 0, bits); err0 == nil || errors.Is(err0, strconv.ErrRange) {
		return 0, errNotDecimal
	}
	return 0, errNotWhole
}

// intFlag defines an int flag read in decimal only (wholeNumber), as
// fs.Int would define one.
func intFlag(fs *flag.FlagSet, name string, value int, usage string) *int {
	p := new(int)
	intVar(fs, p, name, value, usage)
	return p
}

// int64Flag defines an int64 flag read in decimal only (wholeNumber), as
// fs.Int64 would define one.
func int64Flag(fs *flag.FlagSet, name string, value int64, usage string) *int64 {
	p := new(int64)
	int64Var(fs, p, name, value, usage)
	return p
}

// intVar defines an int flag stored in p, read in decimal only
// (wholeNumber), as fs.IntVar would define one.
func intVar(fs *flag.FlagSet, p *int, name string, value int, usage string) {
	*p = value
	fs.Var(wholeNumber[int]{p}, name, usage)
}

// int64Var defines an int64 flag stored in p, read in decimal only
// (wholeNumber), as fs.Int64Var would define one.
func int64Var(fs *flag.FlagSet, p *int64, name string, value int64, usage string) {
	*p = value
	fs.Var(wholeNumber[int64]{p}, name, usage)
}
