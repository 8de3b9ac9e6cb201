package chat

// SetBeforeOverlappedHold makes f run before each overlapped send writes
// its hold, until the returned func restores the default.
func SetBeforeOverlappedHold(f func()) (restore func()) {
	beforeOverlappedHold = f
	return func() { beforeOverlappedHold = func() {} }
}
