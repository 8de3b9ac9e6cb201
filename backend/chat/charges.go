package chat

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/store"
)

// insertCharge writes the charge row explaining posting t, inside the
// ledger's transaction; bd is the breakdown's JSON.
func insertCharge(ctx context.Context, tx *sql.Tx, ch *Charge, c *Call, amount int64, t ledger.Transfer, bd []byte) error {
	u := ch.Usage
	_, err := c.m.exec(ctx, tx, `INSERT INTO chat_charges(request_id, transfer_id, payer, user_id, department_id,
		conversation_id, source, provider, model, rate_version, input_tokens, cache_read_tokens, cache_write_tokens,
		output_tokens, reasoning_tokens, tool_calls, requests, estimated, hold_minor, amount_minor, price_minor, breakdown, created_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		ch.RequestID, t.ID, ch.Payer, c.Dims.UserID, c.Dims.DepartmentID, ch.ConversationID, ch.Source, ch.Provider,
		ch.Model, ch.RateVersion, u.Input, u.CacheRead, u.CacheWrite, u.Output, u.Reasoning, u.ToolCalls, u.Requests,
		ch.Estimated, c.HoldMinor, amount, ch.Breakdown.TotalMinor, string(bd), store.FormatTime(t.CreatedAt))
	if err != nil {
		return fmt.Errorf("charge row for %s: %w", ch.RequestID, err)
	}
	return nil
}

type querier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// chargeColumns are the columns scanCharge reads, of chat_charges aliased
// ch: loadCharge and the replaced replies' read (replacedReplies) read a
// charge alike.
const chargeColumns = `ch.request_id, ch.transfer_id, ch.payer, ch.conversation_id, ch.source, ch.provider, ch.model,
	ch.rate_version, COALESCE((SELECT effective_at FROM rate_versions WHERE id = ch.rate_version), ''),
	ch.input_tokens, ch.cache_read_tokens, ch.cache_write_tokens, ch.output_tokens, ch.reasoning_tokens, ch.tool_calls,
	ch.requests, ch.estimated, ch.hold_minor, ch.amount_minor, ch.price_minor, ch.breakdown`

// chargeScan scans chargeColumns into a Charge; done finishes it once
// scanned (the breakdown, amounts and summary) and returns its amount in
// minor units.
type chargeScan struct {
	ch                  Charge
	bd, ratesAt         string
	hold, amount, price int64
}

// dest is where the row's chargeColumns go, in order.
func (c *chargeScan) dest() []any {
	ch := &c.ch
	return []any{&ch.RequestID, &ch.TransferID, &ch.Payer, &ch.ConversationID, &ch.Source, &ch.Provider, &ch.Model,
		&ch.RateVersion, &c.ratesAt, &ch.Usage.Input, &ch.Usage.CacheRead, &ch.Usage.CacheWrite, &ch.Usage.Output,
		&ch.Usage.Reasoning, &ch.Usage.ToolCalls, &ch.Usage.Requests, &ch.Estimated, &c.hold, &c.amount, &c.price, &c.bd}
}

func (c *chargeScan) done() (*Charge, error) {
	ch := c.ch
	var sb storedBreakdown
	if err := json.Unmarshal([]byte(c.bd), &sb); err != nil {
		return nil, fmt.Errorf("read charge %s: breakdown: %w", ch.RequestID, err)
	}
	ch.Breakdown, ch.thinking = sb.Breakdown, sb.ThinkingBudget
	ch.RatesAt = timeOrNil(store.ParseTimeNano(c.ratesAt)) // as rates.loadVersion reads it
	ch.Hold, ch.Amount, ch.Price = money.MinorString(c.hold), money.MinorString(c.amount), money.MinorString(c.price)
	ch.Capped = c.amount != c.price
	ch.Summary, ch.Free = Summary(&ch), Free(&ch)
	return &ch, nil
}

// freeOfNothing reports whether a charge of nothing (nothing charged,
// priced or held) with the stored breakdown bd is of a free reply (Free).
func freeOfNothing(bd string) (bool, error) {
	var sb storedBreakdown
	if err := json.Unmarshal([]byte(bd), &sb); err != nil {
		return false, fmt.Errorf("a charge's breakdown: %w", err)
	}
	return Free(&Charge{Breakdown: sb.Breakdown, Hold: "0", Amount: "0", Price: "0"}), nil
}

// loadCharge reads the charge of request id (nil when there is none).
func loadCharge(ctx context.Context, q querier, id string) (*Charge, error) {
	var c chargeScan
	err := q.QueryRowContext(ctx, `SELECT `+chargeColumns+` FROM chat_charges ch WHERE ch.request_id = ?`, id).Scan(c.dest()...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read charge %s: %w", id, err)
	}
	return c.done()
}

// timeOrNil is t, or nil when it is the zero time (not known).
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
