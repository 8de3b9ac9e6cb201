// Package prefs holds the small app-wide preferences the UI and the CLI read
// and write (workspace display name, theme, density): which keys exist, who
// may change them and what values are valid. Area-specific settings (credit
// value, alert thresholds, ...) belong to their own services.
package prefs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"meterdesk/backend/access"
	"meterdesk/backend/audit"
	"meterdesk/backend/store"
)

// ErrUnknownKey is returned for a key that is not a preference.
var ErrUnknownKey = errors.New("unknown setting")

// ErrInvalidValue: a value the setting does not take (not one line, too
// long or short, not one of its choices). The message says which rule;
// test with errors.Is.
var ErrInvalidValue = errors.New("invalid setting value")

// invalidValue is an ErrInvalidValue worded as the rule it breaks.
type invalidValue struct{ msg string }

func (e *invalidValue) Error() string        { return e.msg }
func (e *invalidValue) Is(target error) bool { return target == ErrInvalidValue }

func invalidf(format string, a ...any) error { return &invalidValue{msg: fmt.Sprintf(format, a...)} }

// Key describes one preference.
type Key struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	AdminOnly   bool     `json:"adminOnly"` // workspace-wide: only admins change it
	Choices     []string `json:"choices,omitempty"`
	MinLen      int      `json:"minLen,omitempty"` // after trimming spaces
	MaxLen      int      `json:"maxLen"`
}

// Keys are stored under their own names in the settings table; workspace.name
// is the same row backend/team writes during first-run set-up.
var keys = map[string]Key{
	"workspace.name": {Name: "workspace.name", Description: "workspace display name", AdminOnly: true, MinLen: 1, MaxLen: 200},
	"ui.theme":       {Name: "ui.theme", Description: "colour theme", Choices: []string{"system", "light", "dark"}, MaxLen: 10},
	"ui.density":     {Name: "ui.density", Description: "table density", Choices: []string{"comfortable", "compact"}, MaxLen: 12},
}

// elsewhere names where a setting that another area owns is changed, so
// that trying it here says where to go instead of only "unknown setting".
var elsewhere = map[string]string{
	"invoice.prices_include_tax": "meterdesk workspace update --prices-include-tax[=false] or Settings → General → Billing details",
}

func unknownKey(key string) error {
	if where, ok := elsewhere[key]; ok {
		return fmt.Errorf("%w %q: it is not a preference; change it with %s", ErrUnknownKey, key, where)
	}
	return fmt.Errorf("%w %q", ErrUnknownKey, key)
}

// Keys lists every preference, sorted by name.
func Keys() []Key {
	out := make([]Key, 0, len(keys))
	for _, k := range keys {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Service reads and writes preferences.
type Service struct{ db *store.DB }

// New returns the preferences service.
func New(db *store.DB) *Service { return &Service{db: db} }

// Get returns the value of key ("" when unset).
func (s *Service) Get(ctx context.Context, key string) (string, error) {
	if _, ok := keys[key]; !ok {
		return "", unknownKey(key)
	}
	return s.db.GetSetting(ctx, key, "")
}

// Set validates and stores value under key, returning the stored value:
// Change without its report.
func (s *Service) Set(ctx context.Context, key, value string) (string, error) {
	ch, err := s.Change(ctx, key, value)
	return ch.Value, err
}

// Change is what Service.Change did: the key, its value as stored now
// (trimmed), and whether it had that value already, so nothing was written
// or audited.
type Change struct {
	Key       string `json:"key"`
	Value     string `json:"value"`
	Unchanged bool   `json:"unchanged"`
}

// Change validates value and stores it under key (a workspace-wide key,
// AdminOnly, by an admin and audited as settings.set), and reports what it
// did. A value the key has already, once trimmed, is checked as any other,
// then written and audited not at all (Unchanged): the window and
// `meterdesk settings set` say so instead of "saved". The read, the
// comparison, the write and the audit are one write transaction.
func (s *Service) Change(ctx context.Context, key, value string) (Change, error) {
	k, ok := keys[key]
	if !ok {
		return Change{}, unknownKey(key)
	}
	actor, err := access.Current(ctx)
	if err != nil {
		return Change{}, fmt.Errorf("change %s: %w", key, err)
	}
	if k.AdminOnly {
		if _, err := access.RequireAdmin(ctx, "change "+key); err != nil {
			return Change{}, err
		}
	}
	value = strings.TrimSpace(value)
	if !utf8.ValidString(value) || strings.ContainsAny(value, "\x00\r\n") {
		return Change{}, invalidf("%s: the value must be one line of text", key)
	}
	if n := utf8.RuneCountInString(value); n > k.MaxLen {
		return Change{}, invalidf("%s: at most %d characters (got %d)", key, k.MaxLen, n)
	} else if n < k.MinLen {
		return Change{}, invalidf("%s: at least %d character(s) (it cannot be empty)", key, k.MinLen)
	}
	if len(k.Choices) > 0 && !contains(k.Choices, value) {
		return Change{}, invalidf("%s: must be one of %s", key, strings.Join(k.Choices, ", "))
	}
	out := Change{Key: key, Value: value}
	err = s.db.Write(ctx, func(tx *sql.Tx) error {
		var before string
		err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&before)
		switch {
		case err == nil && before == value:
			out.Unchanged = true
			return nil // nothing to write or log
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if err := store.SetSettingTx(ctx, tx, key, value); err != nil {
			return err
		}
		if !k.AdminOnly { // a personal preference: not an admin change, not audited
			return nil
		}
		type setting struct {
			Value string `json:"value"`
		}
		return audit.Record(ctx, tx, time.Now(), actor, "settings.set", key, setting{before}, setting{value})
	})
	if err != nil {
		return Change{}, fmt.Errorf("change %s: %w", key, err)
	}
	return out, nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
