package chat_test

import (
	"net"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/metering"
)

func mustDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func durMS(ms int) time.Duration { return time.Duration(ms) * time.Millisecond }

// closedURL returns a base URL on a loopback port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/v1"
}

func lineOf(kind string, q int64, amount string) metering.Line {
	return metering.Line{Kind: kind, Quantity: q, Amount: amount}
}
