package ledger

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/money"
	"meterdesk/backend/store"
)

// checkID validates a client idempotency id: 1-128 printable characters.
func checkID(id string) error {
	if id == "" || len(id) > 128 {
		return inputerr.New(ErrInvalidRequest, "id must be 1-128 characters")
	}
	for _, r := range id {
		if !unicode.IsPrint(r) || unicode.IsSpace(r) {
			return inputerr.New(ErrInvalidRequest, "id %q has a space or control character", id)
		}
	}
	return nil
}

// canonicalMeta validates meta (empty or a JSON object) and returns it with
// sorted keys and no insignificant space; numbers keep their exact text.
func canonicalMeta(meta json.RawMessage) (string, error) {
	if len(bytes.TrimSpace(meta)) == 0 {
		return "{}", nil
	}
	if isCanonical(meta) {
		return string(meta), nil
	}
	return reencodeMeta(meta)
}

// reencodeMeta is canonicalMeta's full path: decode (numbers kept as text)
// and encode again, which sorts the keys and drops insignificant space.
func reencodeMeta(meta json.RawMessage) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(meta))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil || v == nil {
		return "", inputerr.New(ErrInvalidRequest, "meta must be a JSON object")
	}
	if dec.More() {
		return "", inputerr.New(ErrInvalidRequest, "meta has trailing data")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", inputerr.New(ErrInvalidRequest, "meta: %v", err)
	}
	return string(b), nil
}

// checkAmount validates an amount: exact at money.Scale, within MaxMinor,
// not negative, and not zero unless zeroOK. It returns minor units.
func checkAmount(d decimal.Decimal, zeroOK bool) (int64, error) {
	if d.Sign() < 0 {
		return 0, inputerr.New(ErrInvalidAmount, "%v", money.Negative(d.String()))
	}
	if d.Sign() == 0 && !zeroOK {
		return 0, inputerr.New(ErrInvalidAmount, "amount must be greater than zero")
	}
	n, err := money.ToMinor(d)
	if err != nil {
		return 0, inputerr.New(ErrInvalidAmount, "%v", err)
	}
	return n, nil
}

var sources = []string{"", "ui", "cli", "api", "system"}

func checkDims(d Dims) error {
	if !slices.Contains(sources, d.Source) {
		return inputerr.New(ErrInvalidRequest, "source %q (want ui, cli, api or system)", d.Source)
	}
	if d.UserID < 0 || d.DepartmentID < 0 || d.ConversationID < 0 {
		return inputerr.New(ErrInvalidRequest, "negative dimension id")
	}
	if len(d.Model) > 200 {
		return inputerr.New(ErrInvalidRequest, "model name too long")
	}
	return nil
}

// hashOf is the hex SHA-256 of the request kind and its canonical JSON input.
func hashOf(kind string, input any) string {
	b, err := json.Marshal(input)
	if err != nil {
		panic(err) // inputs are plain structs of strings and numbers
	}
	h := sha256.New()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// requestHash is what a request's rows store as input_hash: hashOf(kind,
// input), then "@" and who asked (actorKey), so that a request id replays
// only for the actor who made the request (replay).
func requestHash(ctx context.Context, kind string, input any) string {
	return hashOf(kind, input) + "@" + actorKey(ctx)
}

// actorKey names the signed-in actor in a request's input_hash: "system"
// for the system's own jobs, else "user:<id>" (the member's id, which a
// rename or a change of role keeps).
func actorKey(ctx context.Context) string {
	a, _ := access.FromContext(ctx)
	if a.System {
		return "system"
	}
	return "user:" + strconv.FormatInt(a.UserID, 10)
}

// sameRequest reports whether a request's hash (requestHash) is the one
// stored by the first request with its id: the same content from the same
// actor. A row written before the actor was kept stores the content's hash
// alone (no "@"): its content decides, as it did when it was written.
func sameRequest(stored, hash string) bool {
	if stored == hash {
		return true
	}
	content, _, _ := strings.Cut(hash, "@")
	return stored == content
}

// replay looks up a request id. found=false: new request. found with the
// same hash from the same actor (sameRequest): the first result. Other
// content, or another actor's request: ErrIdempotencyConflict, the same
// refusal for both, which tells another actor nothing of the first request.
func (w *wtx) replay(id, hash string) (ts []Transfer, found bool, err error) {
	var have string
	err = w.queryRow(`SELECT input_hash FROM ledger_transfers WHERE request_id = ? AND leg = 0`, id).Scan(&have)
	if err == sql.ErrNoRows {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("look up request %s: %w", id, err)
	}
	if !sameRequest(have, hash) {
		return nil, true, fmt.Errorf("%w: %q", ErrIdempotencyConflict, id)
	}
	rows, err := w.query(selectTransfers+` WHERE t.request_id = ? ORDER BY t.leg`, id)
	if err != nil {
		return nil, true, fmt.Errorf("load request %s: %w", id, err)
	}
	ts, err = scanTransfers(rows)
	for i := range ts {
		ts[i].Replayed = true
	}
	return ts, true, err
}

// selectTransfers reads transfer rows with their account codes and hold state.
const selectTransfers = `SELECT t.id, t.request_id, t.leg, t.op, t.kind, d.code, c.code, t.amount_minor,
	COALESCE(t.hold_id, 0), t.debt_repaid_minor, COALESCE(t.user_id, 0), COALESCE(t.department_id, 0),
	t.model, t.source, COALESCE(t.conversation_id, 0), t.meta, t.created_at,
	COALESCE(h.expires_at, ''), COALESCE(h.status, '')
	FROM ledger_transfers t
	JOIN ledger_accounts d ON d.id = t.debit_id
	JOIN ledger_accounts c ON c.id = t.credit_id
	LEFT JOIN ledger_holds h ON h.transfer_id = t.id`

func scanTransfers(rows *sql.Rows) ([]Transfer, error) {
	defer rows.Close()
	var out []Transfer
	for rows.Next() {
		var t Transfer
		var amount, repaid int64
		var meta, created, expires string
		if err := rows.Scan(&t.ID, &t.RequestID, &t.Leg, &t.Op, &t.Kind, &t.From, &t.To, &amount,
			&t.HoldID, &repaid, &t.UserID, &t.DepartmentID, &t.Model, &t.Source, &t.ConversationID,
			&meta, &created, &expires, &t.Status); err != nil {
			return nil, fmt.Errorf("read transfer: %w", err)
		}
		t.Amount, t.DebtRepaid = money.FromMinor(amount), money.FromMinor(repaid)
		t.Meta = json.RawMessage(meta)
		t.CreatedAt = store.ParseTime(created)
		if expires != "" {
			e := store.ParseTime(expires)
			t.ExpiresAt = &e
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read transfers: %w", err)
	}
	return out, nil
}

// ParseAmount reads a credit amount typed by a person or sent by a client
// (UI, CLI, API) with money.Parse: plain decimals only, never rounded.
// Failures wrap ErrInvalidAmount.
func ParseAmount(s string) (decimal.Decimal, error) {
	v, err := money.Parse(s)
	if err != nil {
		return decimal.Zero, inputerr.New(ErrInvalidAmount, "%v", err)
	}
	return v, nil
}
