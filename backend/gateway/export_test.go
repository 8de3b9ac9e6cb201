package gateway

import "time"

// SetShutdownGrace sets how long Stop waits for requests in flight, for a
// test; the returned func puts it back.
func SetShutdownGrace(d time.Duration) (restore func()) {
	old := shutdownGrace
	shutdownGrace = d
	return func() { shutdownGrace = old }
}

// CountChargeQuery is the statement that adds a charge to an API key's usage.
const CountChargeQuery = countChargeQuery
