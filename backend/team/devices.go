package team

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// RememberedMember returns the id of the member a "remember me" device
// token belongs to (any status), or false when the token is unknown or
// empty. It signs nobody in: the window uses it to tell whether a sign-in
// is by the member this computer remembers.
func (s *Service) RememberedMember(ctx context.Context, deviceToken string) (int64, bool, error) {
	if deviceToken == "" {
		return 0, false, nil
	}
	var id int64
	err := s.db.Read().QueryRowContext(ctx, "SELECT user_id FROM devices WHERE token_hash = ?", tokenHash(deviceToken)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("remembered member: %w", err)
	}
	return id, true, nil
}
