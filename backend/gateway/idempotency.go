package gateway

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"meterdesk/backend/access"
)

// HeaderIdempotencyKey is the request header a client sets to make a retry
// safe: a request whose key this member already used is never sent or
// charged again.
const HeaderIdempotencyKey = "Idempotency-Key"

// maxIdempotencyKey bounds the header's length.
const maxIdempotencyKey = 200

// requestIDFor returns the ledger request id of a request: from the
// member's Idempotency-Key when the client sent one (the same key from the
// same member always gives the same base id, see attemptID; another
// member's never does), else the random id serveHTTP made for it and
// answers with (earlyRequestID).
func requestIDFor(a access.Actor, r *http.Request) (string, *apiError) {
	key := r.Header.Get(HeaderIdempotencyKey)
	if key == "" {
		if id := earlyRequestID(r); id != "" {
			return id, nil
		}
		return newRequestID(), nil
	}
	if len(key) > maxIdempotencyKey || strings.IndexFunc(key, func(c rune) bool { return c > unicode.MaxASCII || !unicode.IsPrint(c) }) >= 0 {
		return "", &apiError{Status: http.StatusBadRequest, Type: typeInvalid, Code: ptr("invalid_value"),
			Message: "the Idempotency-Key header has 1 to 200 printable ASCII characters"}
	}
	sum := sha256.Sum256([]byte(strconv.FormatInt(a.UserID, 10) + "\x00" + key))
	return "gw-k-" + hex.EncodeToString(sum[:16]), nil
}

// maxAttempts bounds the retries of one Idempotency-Key that were refused
// without a charge (each takes a new ledger id).
const maxAttempts = 20

// attemptID returns the ledger id for a request with the Idempotency-Key
// whose base id is base: the first attempt's id, or after attempts that
// were refused with nothing charged (a provider error, too few credits
// once a hold was taken), the next one's, so such a request can be retried
// with the same key. A key whose request was charged is refused with 409:
// it is sent and charged once.
func (s *Service) attemptID(ctx context.Context, base string) (string, *apiError) {
	for n := 0; n < maxAttempts; n++ {
		id := base + "-" + strconv.Itoa(n)
		status, err := s.meter.HoldStatus(ctx, id)
		if err != nil {
			return "", s.mapError(ctx, err)
		}
		switch status {
		case "":
			return id, nil
		case "pending":
			return "", idempotencyConflict(id, true)
		}
		var charged bool
		if err := s.db.Read().QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM chat_charges WHERE request_id = ?)`, id).Scan(&charged); err != nil {
			return "", s.mapError(ctx, err)
		}
		if charged {
			return "", idempotencyConflict(id, false)
		}
	}
	// The id of its last attempt, refused (its voided hold is in the
	// ledger), as the request's id.
	return "", &apiError{Status: http.StatusConflict, Type: typeInvalid, Param: ptr(HeaderIdempotencyKey), Code: ptr("idempotency_key_exhausted"), Final: true,
		Header:  map[string]string{HeaderRequestID: base + "-" + strconv.Itoa(maxAttempts-1)},
		Message: fmt.Sprintf("the requests with this Idempotency-Key were refused %d times (nothing was charged); use a new key", maxAttempts)}
}

// idempotencyConflict answers a request whose Idempotency-Key's request id
// was charged, or, running, is still held by a request that runs (which
// may yet be refused with nothing charged, after which a retry with the
// key is sent): only a charged one is final (retryFinal). It carries that
// request's id in X-Meterdesk-Request-Id, as every answer of a request
// with an id does, and in its message.
func idempotencyConflict(id string, running bool) *apiError {
	return &apiError{Status: http.StatusConflict, Type: typeInvalid, Param: ptr(HeaderIdempotencyKey), Code: ptr("idempotency_key_reused"), Final: !running,
		Header: map[string]string{HeaderRequestID: id},
		Message: "a request with this Idempotency-Key was already made (request " + id + "); it is sent and charged once. " +
			"Use a new key for a new request."}
}
