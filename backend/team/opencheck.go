package team

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// AcceptsCredits is the ledger's OpenCheck (ledger.SetOpenCheck, wired by
// core): credits may go to a member's wallet only while the member exists
// and is not removed, and to a department only while it exists and is not
// archived. A disabled member's wallet still takes credits (they may be
// enabled again). It runs in the ledger's write transaction (tx).
func (s *Service) AcceptsCredits(ctx context.Context, tx *sql.Tx, code string, _ decimal.Decimal) error {
	kind, idText, _ := strings.Cut(code, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return nil // not a team account: the ledger judges it
	}
	switch kind {
	case "user":
		var name, status string
		err := tx.QueryRowContext(ctx, `SELECT name, status FROM users WHERE id = ?`, id).Scan(&name, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: credits cannot go to %s: there is no member %d", ErrNotFound, code, id)
		}
		if err != nil {
			return fmt.Errorf("check %s: %w", code, err)
		}
		if status == StatusRemoved {
			return fmt.Errorf("%w: credits cannot go to %s: member %s was removed", ErrInvalid, code, name)
		}
	case "dept":
		var name string
		var archived bool
		err := tx.QueryRowContext(ctx, `SELECT name, archived FROM departments WHERE id = ?`, id).Scan(&name, &archived)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: credits cannot go to %s: there is no department %d", ErrNotFound, code, id)
		}
		if err != nil {
			return fmt.Errorf("check %s: %w", code, err)
		}
		if archived {
			return fmt.Errorf("%w: credits cannot go to %s: department %s is archived", ErrInvalid, code, name)
		}
	}
	return nil
}
