package rates

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ErrChanged is matched (errors.Is) by every *ChangedError.
var ErrChanged = errors.New("the rates changed")

// ChangedError refuses a change whose BaseVersion is no longer the latest
// version: someone (another admin, the CLI) saved rates after the editor
// read them, and saving over what they have not seen could undo it without
// a word. Nothing was written; the editor reads the table again, reviews
// and saves again.
type ChangedError struct {
	Base   int64  `json:"base"`   // the version the change was made against
	Latest int64  `json:"latest"` // the version in force now
	By     string `json:"by"`     // who saved Latest
}

func (e *ChangedError) Error() string {
	return fmt.Sprintf("the rates changed since you opened them (version %d by %s); review and save again", e.Latest, e.By)
}

// Is lets errors.Is(err, ErrChanged) match a ChangedError.
func (e *ChangedError) Is(target error) bool { return target == ErrChanged }

// checkBase returns a transaction step that refuses with a *ChangedError
// unless version base is the latest one (base 0: no check).
func checkBase(ctx context.Context, base int64) func(tx *sql.Tx) error {
	return func(tx *sql.Tx) error {
		if base == 0 {
			return nil
		}
		var latest int64
		var by string
		err := tx.QueryRowContext(ctx, `SELECT id, created_by FROM rate_versions
			ORDER BY effective_at DESC, id DESC LIMIT 1`).Scan(&latest, &by)
		if err != nil {
			return fmt.Errorf("find the latest rate version: %w", err)
		}
		if latest == base {
			return nil
		}
		var one int
		err = tx.QueryRowContext(ctx, `SELECT 1 FROM rate_versions WHERE id = ?`, base).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("base rate version %d: %w", base, ErrNoVersion)
		}
		if err != nil {
			return fmt.Errorf("find rate version %d: %w", base, err)
		}
		return &ChangedError{Base: base, Latest: latest, By: by}
	}
}
