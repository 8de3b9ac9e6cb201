package providers

import (
	"context"
	"fmt"

	"meterdesk/backend/access"
)

// UnreadableKeys names, in name order, the providers whose saved API keys
// cannot be read on this machine for the data folder dataDir: sealed with
// a secrets.key other than dataDir's (or dataDir has none: a backup never
// holds it), or not in this machine's OS keychain. They are the keys that
// must be entered again once this database is in dataDir, which is what a
// restore checks (backend/core) on the copy of a backup it opened. It
// only reads: no secrets.key is made, nothing is written. Any signed-in
// actor (only names are returned, never a key).
func (s *Service) UnreadableKeys(ctx context.Context, dataDir string) ([]string, error) {
	if _, err := access.Current(ctx); err != nil {
		return nil, fmt.Errorf("check the saved API keys: %w", err)
	}
	rows, err := s.db.Read().QueryContext(ctx, "SELECT "+selectCols+" FROM providers WHERE key_store <> ? ORDER BY name COLLATE NOCASE", StoreNone)
	if err != nil {
		return nil, fmt.Errorf("check the saved API keys: %w", err)
	}
	defer rows.Close()
	var keyed []row
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return nil, fmt.Errorf("check the saved API keys: %w", err)
		}
		keyed = append(keyed, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("check the saved API keys: %w", err)
	}
	sealed := &Sealed{Dir: dataDir}
	if sv, ok := s.opts.Vault.(*Sealed); ok && sv.Dir == dataDir {
		sealed = sv
	}
	// The OS keychain is asked only if it answers at all (on a machine
	// without one, or with a hung bus, each key would wait its timeout);
	// a keychain given in the options (tests) is asked as it is.
	keychain, probed, reachable := s.opts.Vault, true, true
	if keychain == nil || keychain.Name() != StoreKeychain {
		keychain, probed = Keychain{}, false
	}
	out := []string{}
	for _, r := range keyed {
		var v Vault = sealed
		if r.KeyStore != StoreSealed {
			if !probed {
				probed, reachable = true, KeychainAvailable()
			}
			if !reachable {
				out = append(out, r.Name)
				continue
			}
			v = keychain
		}
		if _, err := v.Get(r.ref, r.sealed); err != nil {
			out = append(out, r.Name)
		}
	}
	return out, nil
}
