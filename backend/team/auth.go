package team

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/store"
)

// Sign-in throttling: after MaxFailedAttempts wrong secrets in a row, the
// member is locked out for LockoutDuration.
const (
	MaxFailedAttempts = 5
	LockoutDuration   = 5 * time.Minute
)

// dummyHash is verified against when the name is unknown, so that a wrong
// name costs as much time as a wrong password (computed on first use).
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashSecret("meterdesk-dummy-secret", DefaultHashParams)
	return h
})

func actorOf(m Member) access.Actor {
	return access.Actor{UserID: m.ID, Name: m.Name, Role: m.Role}
}

// Authenticate checks a member's name and password or PIN and returns them
// as the actor. Wrong names and wrong secrets give the same ErrBadSignIn;
// disabled members get ErrDisabled (only with the right secret); too many
// wrong attempts give ErrLockedOut. Each check is claimed first
// (claimAttempt), so concurrent attempts cannot get past the lockout.
func (s *Service) Authenticate(ctx context.Context, userName, secret string) (access.Actor, error) {
	var id int64
	err := s.db.Read().QueryRowContext(ctx, `SELECT id FROM users
		WHERE `+byName+byNameOrder, nameArgs(strings.TrimSpace(userName))...).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return access.Actor{}, fmt.Errorf("sign in %q: %w", userName, err)
	}
	var hash string
	if err == nil {
		hash, err = s.claimAttempt(ctx, id)
	}
	if errors.Is(err, sql.ErrNoRows) { // unknown, or removed since the look-up
		_, _ = VerifySecret(secret, dummyHash())
		return access.Actor{}, signInRefused("sign in "+strconv.Quote(userName), ErrBadSignIn)
	}
	if err != nil {
		return access.Actor{}, signInRefused("sign in "+strconv.Quote(userName), err)
	}
	ok, err := VerifySecret(secret, hash)
	if err != nil {
		return access.Actor{}, fmt.Errorf("sign in %q: %w", userName, err)
	}
	if !ok {
		return access.Actor{}, signInRefused("sign in "+strconv.Quote(userName), ErrBadSignIn)
	}
	var m Member
	err = s.write(ctx, func(tx *sql.Tx) error {
		if err := passAttempt(ctx, tx, id); err != nil {
			return err
		}
		m, err = getMember(ctx, tx, id)
		return err
	})
	if err != nil {
		return access.Actor{}, fmt.Errorf("sign in %q: %w", userName, err)
	}
	if m.Status != StatusActive {
		return access.Actor{}, signInRefused("sign in "+strconv.Quote(userName), ErrDisabled)
	}
	return actorOf(m), nil
}

// signInRefused is a refused sign-in (or a refused check of the current
// secret, op "change the password of member N") with Go's text as before,
// "OP: wrong name, password or PIN" (the CLI's), and a reason the window
// shows without the operation: "wrong password or PIN" (the window signs
// in a member picked from its list, so the name is never what was wrong),
// "too many wrong attempts: try again in 5 minutes", "this member is
// disabled: an admin can enable them again". Any other error is wrapped
// as it was.
func signInRefused(op string, err error) error {
	var msg string
	var locked *lockedOut
	switch {
	case errors.As(err, &locked):
		msg = "too many wrong attempts: try again in " + locked.wait()
	case errors.Is(err, ErrBadSignIn):
		msg = "wrong password or PIN"
	case errors.Is(err, ErrDisabled):
		msg = "this member is disabled: an admin can enable them again"
	default:
		return fmt.Errorf("%s: %w", op, err)
	}
	return &reasonError{kind: err, msg: msg, text: op + ": " + err.Error()}
}

// lockedOut is ErrLockedOut with when the lock ends: Go's text says
// "… (until RFC 3339)" as before; wait says how long that is from now.
type lockedOut struct {
	until, now time.Time
}

func (e *lockedOut) Error() string {
	return fmt.Sprintf("%v (until %s)", ErrLockedOut, e.until.Format(time.RFC3339))
}
func (e *lockedOut) Unwrap() error { return ErrLockedOut }

// wait is the time left in whole minutes, rounded up: "1 minute", "5 minutes".
func (e *lockedOut) wait() string {
	m := int((e.until.Sub(e.now) + time.Minute - 1) / time.Minute)
	if m <= 1 {
		return "1 minute"
	}
	return strconv.Itoa(m) + " minutes"
}

// claimAttempt counts one check of member id's secret before it is made, in
// one short write transaction (the slow argon2 check runs outside it), and
// returns the hash to check against, read in that transaction. A
// member locked out is refused with ErrLockedOut and nothing is checked.
// Otherwise the counter goes up, and the claim that reaches
// MaxFailedAttempts locks the member out at once, before its own check: the
// checks already claimed may finish, later claims are refused, so however
// many attempts run at the same time at most MaxFailedAttempts secrets are
// checked per lockout. A right secret then resets counter and lock
// (passAttempt); a wrong one writes nothing more, so it can never clear a
// lock that another attempt set. sql.ErrNoRows: no such member (or removed).
func (s *Service) claimAttempt(ctx context.Context, id int64) (string, error) {
	var hash string
	now := s.now()
	err := s.write(ctx, func(tx *sql.Tx) error {
		var n int
		var lockedUntil string
		if err := tx.QueryRowContext(ctx, `SELECT secret_hash, failed_attempts, locked_until FROM users
			WHERE id = ? AND status <> 'removed'`, id).Scan(&hash, &n, &lockedUntil); err != nil {
			return err
		}
		if until := parseTS(lockedUntil); !until.IsZero() && now.Before(until) {
			return &lockedOut{until: until, now: now}
		}
		n++
		locked := "" // a lock found here has run out
		if n >= MaxFailedAttempts {
			n, locked = 0, store.FormatTimeNano(now.Add(LockoutDuration))
		}
		_, err := tx.ExecContext(ctx, "UPDATE users SET failed_attempts = ?, locked_until = ? WHERE id = ?", n, locked, id)
		return err
	})
	return hash, err
}

// passAttempt ends the wrong-secret run of member id after a right secret:
// counter and lock are reset.
func passAttempt(ctx context.Context, tx *sql.Tx, id int64) error {
	_, err := tx.ExecContext(ctx, "UPDATE users SET failed_attempts = 0, locked_until = '' WHERE id = ?", id)
	return err
}

// AutoSignIn signs in without a secret when that is allowed: a workspace
// with exactly one member signs that member in; otherwise a device token
// from Remember signs its (active) member in. ok is false when the profile
// picker must be shown.
func (s *Service) AutoSignIn(ctx context.Context, deviceToken string) (access.Actor, bool, error) {
	rows, err := s.db.Read().QueryContext(ctx, "SELECT "+memberCols+" FROM users WHERE status <> 'removed' LIMIT 2")
	if err != nil {
		return access.Actor{}, false, fmt.Errorf("automatic sign-in: %w", err)
	}
	var ms []Member
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			rows.Close()
			return access.Actor{}, false, fmt.Errorf("automatic sign-in: %w", err)
		}
		ms = append(ms, m)
	}
	rows.Close()
	if len(ms) == 1 && ms[0].Status == StatusActive {
		return actorOf(ms[0]), true, nil
	}
	if deviceToken == "" {
		return access.Actor{}, false, nil
	}
	var id int64
	err = s.db.Read().QueryRowContext(ctx, `SELECT d.user_id FROM devices d JOIN users u ON u.id = d.user_id
		WHERE d.token_hash = ? AND u.status = 'active'`, tokenHash(deviceToken)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return access.Actor{}, false, nil
	}
	if err != nil {
		return access.Actor{}, false, fmt.Errorf("automatic sign-in: %w", err)
	}
	var m Member
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE devices SET last_used_at = ? WHERE token_hash = ?",
			store.FormatTimeNano(s.now()), tokenHash(deviceToken)); err != nil {
			return err
		}
		m, err = getMember(ctx, tx, id)
		return err
	})
	if err != nil {
		return access.Actor{}, false, fmt.Errorf("automatic sign-in: %w", err)
	}
	return actorOf(m), true, nil
}

// Remember issues a device token that signs userID in automatically on this
// computer ("remember me"). The caller stores the token outside the
// database (the app keeps it in the data folder); only its hash is kept here.
func (s *Service) Remember(ctx context.Context, userID int64) (string, error) {
	if _, err := access.RequireSelfOrAdmin(ctx, userID, "remember a member on this computer"); err != nil {
		return "", err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("remember member %d: %w", userID, err)
	}
	token := hex.EncodeToString(b)
	err := s.write(ctx, func(tx *sql.Tx) error {
		var status string
		if err := tx.QueryRowContext(ctx, "SELECT status FROM users WHERE id = ?", userID).Scan(&status); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		if status != StatusActive {
			return ErrDisabled
		}
		now := store.FormatTimeNano(s.now())
		_, err := tx.ExecContext(ctx, "INSERT INTO devices(token_hash, user_id, created_at, last_used_at) VALUES (?, ?, ?, ?)",
			tokenHash(token), userID, now, now)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("remember member %d: %w", userID, err)
	}
	return token, nil
}

// Forget revokes a device token (signing out of "remember me").
func (s *Service) Forget(ctx context.Context, deviceToken string) error {
	if deviceToken == "" {
		return nil
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM devices WHERE token_hash = ?", tokenHash(deviceToken))
		return err
	})
	if err != nil {
		return fmt.Errorf("forget device: %w", err)
	}
	return nil
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
