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

// loadCharge reads the charge of request id (nil when there is none).
func loadCharge(ctx context.Context, q querier, id string) (*Charge, error) {
	ch := &Charge{RequestID: id}
	var bd, ratesAt string
	var hold, amount, price int64
	err := q.QueryRowContext(ctx, `SELECT transfer_id, payer, conversation_id, source, provider, model, rate_version,
		COALESCE((SELECT effective_at FROM rate_versions WHERE id = rate_version), ''),
		input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, tool_calls, requests, estimated,
		hold_minor, amount_minor, price_minor, breakdown FROM chat_charges WHERE request_id = ?`, id).Scan(
		&ch.TransferID, &ch.Payer, &ch.ConversationID, &ch.Source, &ch.Provider, &ch.Model, &ch.RateVersion, &ratesAt,
		&ch.Usage.Input, &ch.Usage.CacheRead, &ch.Usage.CacheWrite, &ch.Usage.Output, &ch.Usage.Reasoning,
		&ch.Usage.ToolCalls, &ch.Usage.Requests, &ch.Estimated, &hold, &amount, &price, &bd)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read charge %s: %w", id, err)
	}
	var sb storedBreakdown
	if err := json.Unmarshal([]byte(bd), &sb); err != nil {
		return nil, fmt.Errorf("read charge %s: breakdown: %w", id, err)
	}
	ch.Breakdown, ch.thinking = sb.Breakdown, sb.ThinkingBudget
	ch.RatesAt = timeOrNil(store.ParseTimeNano(ratesAt)) // as rates.loadVersion reads it
	ch.Hold, ch.Amount, ch.Price = money.MinorString(hold), money.MinorString(amount), money.MinorString(price)
	ch.Capped = amount != price
	ch.Summary = Summary(ch)
	return ch, nil
}

// timeOrNil is t, or nil when it is the zero time (not known).
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
