package chat

import "log/slog"

// SetBeforeOverlappedHold makes f run before each overlapped send writes
// its hold, until the returned func restores the default.
func SetBeforeOverlappedHold(f func()) (restore func()) {
	beforeOverlappedHold = f
	return func() { beforeOverlappedHold = func() {} }
}

// Resettle returns a copy of c that has not been settled: a settle retried
// for the same call (same request id, hold and payer), as a process that
// lost the first settle's answer would run it.
func Resettle(c *Call) *Call {
	d := *c
	d.settled = false
	return &d
}

// SetLapsedStep makes f run before each step of the charge of a reply
// whose hold lapsed ("transfer" before each transfer, "void" before the
// hold's void), until the returned func restores the default.
func SetLapsedStep(f func(step string)) (restore func()) {
	lapsedStep = f
	return func() { lapsedStep = func(string) {} }
}

// SetLogger makes m log to l.
func SetLogger(m *Meter, l *slog.Logger) { m.log = l }
