package gateway

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/audit"
	"meterdesk/backend/chat"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/namekey"
	"meterdesk/backend/people"
	"meterdesk/backend/store"
	"meterdesk/backend/team"
	"meterdesk/backend/textcheck"
)

// keyPrefix starts every gateway API key.
const keyPrefix = "mdk_"

// maxKeyName bounds a key's label.
const maxKeyName = 80

// Key is a stored API key (never the key itself).
type Key struct {
	ID     int64  `json:"id"`
	Hint   string `json:"hint"` // "mdk_<key id>_…": enough to recognise it, useless to use it
	UserID int64  `json:"userId"`
	// Member is the member's sign-in name, "bob (removed)" once they are
	// removed (backend/people), so their key is told from the keys of the
	// member given their name since.
	Member string `json:"member"`
	Name   string `json:"name"` // a label ("laptop script")
	// Status says whether a request with the key is served: KeyActive,
	// KeyRevoked, KeyMemberDisabled or KeyMemberRemoved.
	Status     string     `json:"status"`
	CreatedAt  time.Time  `json:"createdAt"`
	LastUsedAt *time.Time `json:"lastUsedAt,omitempty"`
	RevokedAt  *time.Time `json:"revokedAt,omitempty"`
	// Requests is how many requests with the key were charged (those
	// charged nothing, refused or failed before any output, are not), and
	// Charged their credits, an exact decimal string ("0.072"): added in
	// the transaction that posts each charge (countCharge), so the keys'
	// sum is the ledger's API usage since the key usage was recorded
	// (migration 1032; a key's earlier usage counts from 0). Requests
	// counts free ones too (chat.Free: every line rated 0 and nothing
	// held, a model whose rates are 0); FreeRequests is how many of them
	// were free (migration 1050, counted in the same transaction; earlier
	// ones are known only for a key whose requests were all charged 0).
	Requests     int64  `json:"requests"`
	FreeRequests int64  `json:"freeRequests"`
	Charged      string `json:"charged"`
	// Usage is Requests, FreeRequests and Charged in words (KeyUsage: "12
	// requests charged, 0.864 credits", "5 requests (2 free), 12.50
	// credits", "1 request, free"), as Settings → API and `meterdesk
	// apikeys list` both show it.
	Usage string `json:"usage"`
}

// KeyUsage words what an API key was charged, for Settings → API and
// `meterdesk apikeys list` alike: "no requests charged yet"; "1,234
// requests charged, 1,500.072 credits" (the credits by the display rule,
// money.Display, as the window writes them); when some of its requests
// were free (a model whose rates are 0), how many: "5 requests (2 free),
// 12.50 credits", not "5 requests charged", which counted the free ones as
// charged; and, when its requests were all free (as the composer's
// estimate says "Free: … costs nothing"), "1 request, free", not "1
// request charged, 0.00 credits". free is how many of requests were free
// (Key.FreeRequests, by the window's rule, chat.Free): a request charged 0
// that was not free (a model rated 0 for input only whose reply generated
// nothing) is said as charged, "1 request charged, 0.00 credits", as the
// window's summary of it says "total 0.00 credits"; it said "free" of
// every charge of 0. charged is an exact decimal string (Key.Charged); one
// that is not is shown as written.
func KeyUsage(requests, free int64, charged string) string {
	if requests == 0 {
		return "no requests charged yet"
	}
	n := money.GroupInt(requests) + " requests"
	if requests == 1 {
		n = "1 request"
	}
	if free >= requests {
		return n + ", free"
	}
	if free > 0 {
		return n + " (" + money.GroupInt(free) + " free), " + money.Credits(money.DisplayString(charged))
	}
	return n + " charged, " + money.Credits(money.DisplayString(charged))
}

// Key statuses (Key.Status). Only an active key is served; Authenticate
// refuses the others with 401.
const (
	KeyActive  = "active"
	KeyRevoked = "revoked"
	// KeyMemberDisabled: the key's member is disabled; served again if they
	// are enabled and the key is not revoked meanwhile.
	KeyMemberDisabled = "member disabled"
	// KeyMemberRemoved: the key's member is removed; never served again (a
	// removed member is not enabled again).
	KeyMemberRemoved = "member removed"
)

// keyStatus is a key's Status from its revocation time ("" = not revoked)
// and its member's status (team.Status*).
func keyStatus(revoked, memberStatus string) string {
	switch {
	case revoked != "":
		return KeyRevoked
	case memberStatus == team.StatusRemoved:
		return KeyMemberRemoved
	case memberStatus != team.StatusActive:
		return KeyMemberDisabled
	}
	return KeyActive
}

// NewKey is a freshly created key: Secret is the full key, shown once.
type NewKey struct {
	Key
	Secret string `json:"secret"`
}

// newSecret returns a key: "mdk_" + 12 hex characters (the public id that
// finds the row) + "_" + 256 random bits (base64url).
func newSecret() (keyID, secret string, err error) {
	var id [6]byte
	var body [32]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", "", fmt.Errorf("random key id: %w", err)
	}
	if _, err := rand.Read(body[:]); err != nil {
		return "", "", fmt.Errorf("random key: %w", err)
	}
	keyID = hex.EncodeToString(id[:])
	return keyID, keyPrefix + keyID + "_" + base64.RawURLEncoding.EncodeToString(body[:]), nil
}

func hashKey(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// splitKey returns the public id of a well-formed key.
func splitKey(secret string) (string, bool) {
	rest, ok := strings.CutPrefix(secret, keyPrefix)
	if !ok {
		return "", false
	}
	id, body, ok := strings.Cut(rest, "_")
	if !ok || len(id) != 12 || len(body) != 43 {
		return "", false
	}
	if _, err := hex.DecodeString(id); err != nil {
		return "", false
	}
	return id, true
}

func hintOf(keyID string) string { return keyPrefix + keyID + "_…" }

// keyView is what the audit log keeps of an API key: its id, name, public
// hint and member, never the secret or its hash.
type keyView struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Hint   string `json:"hint"`
	Member string `json:"member"`
}

// CreateKey creates an API key for member userID (the member themself or an
// admin). The returned Secret is the only copy of the key.
func (s *Service) CreateKey(ctx context.Context, userID int64, name string) (NewKey, error) {
	actor, err := access.RequireSelfOrAdmin(ctx, userID, "create an API key")
	if err != nil {
		return NewKey{}, err
	}
	name = namekey.Clean(name)
	if name == "" || utf8.RuneCountInString(name) > maxKeyName || textcheck.Line(name) != nil {
		return NewKey{}, fmt.Errorf("create an API key: %w", inputerr.New(ErrInvalid, "give the key a name of 1 to %d characters on one line (e.g. \"laptop script\")",
			maxKeyName))
	}
	if word, a, b, mixed := namekey.MixedScripts(name); mixed {
		return NewKey{}, fmt.Errorf("create an API key: %w", inputerr.New(ErrInvalid, "the name's word %q mixes %s and %s letters, so it can pass for another name; write each word in one alphabet",
			word, a, b))
	}
	m, err := s.team.Member(access.WithActor(ctx, access.System), userID)
	if err != nil {
		return NewKey{}, fmt.Errorf("create an API key: %w", err)
	}
	switch m.Status {
	case team.StatusActive:
	case team.StatusRemoved:
		// Not "disabled": a removed member is gone for good.
		// "create an API key: Robert was removed" (team.Removed, as every
		// refusal for a removed member says it).
		return NewKey{}, fmt.Errorf("create an API key: %w", team.Removed(m))
	default:
		return NewKey{}, fmt.Errorf("create an API key for %s: %w", people.Member(m.Name, m.DisplayName, false), team.ErrDisabled)
	}
	keyID, secret, err := newSecret()
	if err != nil {
		return NewKey{}, err
	}
	now := s.clock().UTC()
	var id int64
	err = s.db.Write(ctx, func(tx *sql.Tx) error {
		if err := nameFree(ctx, tx, userID, name); err != nil {
			return err
		}
		r, err := tx.ExecContext(ctx, `INSERT INTO gateway_keys(key_id, key_hash, user_id, name, created_by, created_at)
			VALUES (?,?,?,?,?,?)`, keyID, hashKey(secret), userID, name, actor.UserID, store.FormatTime(now))
		if err != nil {
			return err
		}
		if id, err = r.LastInsertId(); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, actor, "apikey.create", ledger.UserAccount(userID), nil,
			keyView{ID: id, Name: name, Hint: hintOf(keyID), Member: m.Name})
	})
	if err != nil {
		return NewKey{}, fmt.Errorf("create an API key for %s: %w", m.Name, err)
	}
	return NewKey{Key: Key{ID: id, Hint: hintOf(keyID), UserID: userID, Member: m.Name, Name: name, Status: KeyActive,
		CreatedAt: store.ParseTime(store.FormatTime(now)), Charged: "0", Usage: KeyUsage(0, 0, "0")}, Secret: secret}, nil
}

// nameFree refuses a name that one of the member's unrevoked keys already
// has by the names rule (backend/namekey: case, width, spaces and look-alike
// letters aside): a list of keys has to tell them apart when one is to be
// revoked. A revoked key's name may be reused.
func nameFree(ctx context.Context, tx *sql.Tx, userID int64, name string) error {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM gateway_keys WHERE user_id = ? AND revoked_at = ''`, userID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var other string
		if err := rows.Scan(&other); err != nil {
			return err
		}
		if namekey.Key(other) == namekey.Key(name) {
			return nameTaken(other)
		}
	}
	return rows.Err()
}

// ListKeys lists API keys, newest first: userID's (the member themself or an
// admin), or, for userID 0, everyone's (admins only). Revoked keys are listed
// too, with RevokedAt set; each key's Status says whether it is served (a
// key of a removed member is "member removed", not "active").
func (s *Service) ListKeys(ctx context.Context, userID int64) ([]Key, error) {
	q := `SELECT k.id, k.key_id, k.user_id, COALESCE(md_member_label(u.name, '', u.status), ''), COALESCE(u.status, ''),
		k.name, k.created_at, k.last_used_at, k.revoked_at, k.charged_requests, k.free_requests, k.charged_minor
		FROM gateway_keys k LEFT JOIN users u ON u.id = k.user_id`
	var args []any
	if userID == 0 {
		if _, err := access.RequireAdmin(ctx, "list every API key"); err != nil {
			return nil, err
		}
	} else {
		if _, err := access.RequireSelfOrAdmin(ctx, userID, "list API keys"); err != nil {
			return nil, err
		}
		q += " WHERE k.user_id = ?"
		args = append(args, userID)
	}
	rows, err := s.db.Read().QueryContext(ctx, q+" ORDER BY k.id DESC", args...)
	if err != nil {
		return nil, fmt.Errorf("list API keys: %w", err)
	}
	defer rows.Close()
	out := []Key{}
	for rows.Next() {
		var k Key
		var keyID, memberStatus, created, used, revoked string
		var chargedMinor int64
		if err := rows.Scan(&k.ID, &keyID, &k.UserID, &k.Member, &memberStatus, &k.Name, &created, &used, &revoked,
			&k.Requests, &k.FreeRequests, &chargedMinor); err != nil {
			return nil, fmt.Errorf("list API keys: %w", err)
		}
		k.Charged = money.String(money.FromMinor(chargedMinor))
		k.Usage = KeyUsage(k.Requests, k.FreeRequests, k.Charged)
		k.Hint, k.CreatedAt, k.Status = hintOf(keyID), store.ParseTime(created), keyStatus(revoked, memberStatus)
		k.LastUsedAt, k.RevokedAt = optTS(used), optTS(revoked)
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list API keys: %w", err)
	}
	return out, nil
}

// RevokeKey revokes key id (its member or an admin). Requests with it fail
// with 401 from then on. Revoking a revoked key is a no-op.
func (s *Service) RevokeKey(ctx context.Context, id int64) error {
	var userID int64
	var keyID, name, member string
	err := s.db.Read().QueryRowContext(ctx, `SELECT k.user_id, k.key_id, k.name, COALESCE(u.name, '')
		FROM gateway_keys k LEFT JOIN users u ON u.id = k.user_id WHERE k.id = ?`, id).Scan(&userID, &keyID, &name, &member)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("revoke API key %d: %w", id, ErrKeyNotFound)
	}
	if err != nil {
		return fmt.Errorf("revoke API key %d: %w", id, err)
	}
	actor, err := access.RequireSelfOrAdmin(ctx, userID, "revoke an API key")
	if err != nil {
		return err
	}
	err = s.db.Write(ctx, func(tx *sql.Tx) error {
		now := s.clock()
		res, err := tx.ExecContext(ctx, `UPDATE gateway_keys SET revoked_at = ? WHERE id = ? AND revoked_at = ''`,
			store.FormatTime(now), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // already revoked: nothing changed, nothing to log
		}
		return audit.Record(ctx, tx, now, actor, "apikey.revoke", ledger.UserAccount(userID),
			keyView{ID: id, Name: name, Hint: hintOf(keyID), Member: member}, nil)
	})
	if err != nil {
		return fmt.Errorf("revoke API key %d: %w", id, err)
	}
	s.used.Delete(id)
	return nil
}

// Authenticate returns the actor an API key acts as. Unknown, malformed and
// revoked keys, and keys of members who are not active, fail with
// ErrBadKey (the caller answers 401 without saying which).
func (s *Service) Authenticate(ctx context.Context, secret string) (access.Actor, error) {
	a, _, err := s.authenticateKey(ctx, secret)
	return a, err
}

// authenticateKey is Authenticate that also returns the key's row id
// (gateway_keys.id), which the handler keeps in the request's context for
// the key's usage (countCharge).
func (s *Service) authenticateKey(ctx context.Context, secret string) (access.Actor, int64, error) {
	keyID, ok := splitKey(secret)
	if !ok {
		return access.Actor{}, 0, fmt.Errorf("%w: malformed key", ErrBadKey)
	}
	var id, userID int64
	var hash, revoked string
	err := s.db.QueryRow(ctx, `SELECT id, key_hash, user_id, revoked_at FROM gateway_keys WHERE key_id = ?`,
		keyID).Scan(&id, &hash, &userID, &revoked)
	got := hashKey(secret)
	if errors.Is(err, sql.ErrNoRows) {
		// Compare anyway so that unknown ids take as long as known ones.
		subtle.ConstantTimeCompare([]byte(got), []byte(strings.Repeat("0", len(got))))
		return access.Actor{}, 0, fmt.Errorf("%w: unknown key", ErrBadKey)
	}
	if err != nil {
		return access.Actor{}, 0, fmt.Errorf("check API key: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(hash)) != 1 {
		return access.Actor{}, 0, fmt.Errorf("%w: wrong key", ErrBadKey)
	}
	if revoked != "" {
		return access.Actor{}, 0, fmt.Errorf("%w: revoked key", ErrBadKey)
	}
	m, err := s.team.Member(access.WithActor(ctx, access.System), userID)
	if errors.Is(err, team.ErrNotFound) {
		return access.Actor{}, 0, fmt.Errorf("%w: no such member", ErrBadKey)
	}
	if err != nil {
		return access.Actor{}, 0, fmt.Errorf("check API key: %w", err)
	}
	if m.Status != team.StatusActive {
		return access.Actor{}, 0, fmt.Errorf("%w: member %s is %s", ErrBadKey, m.Name, m.Status)
	}
	s.touch(ctx, id)
	return access.Actor{UserID: m.ID, Name: m.Name, Role: m.Role}, id, nil
}

// touchEvery is how often a key's last-used time is written (not on every
// request, to keep writes off the hot path).
const touchEvery = time.Minute

// touch records that key id was used, at most once per touchEvery.
func (s *Service) touch(ctx context.Context, id int64) {
	now := s.clock()
	if v, ok := s.used.Load(id); ok && now.Sub(v.(time.Time)) < touchEvery {
		return
	}
	s.used.Store(id, now)
	ctx = context.WithoutCancel(ctx)
	_ = s.db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE gateway_keys SET last_used_at = ? WHERE id = ?`, store.FormatTime(now), id)
		return err
	})
}

func optTS(v string) *time.Time {
	if v == "" {
		return nil
	}
	t := store.ParseTime(v)
	return &t
}

// nameTaken is nameFree's refusal, in plain words, matching ErrNameTaken:
// the name is fine, an active key has it (the CLI's exit 6, a conflict).
type nameTaken string

func (e nameTaken) Error() string {
	return fmt.Sprintf("an active key is already named %q; pick another name or revoke that key", string(e))
}
func (e nameTaken) Unwrap() error { return ErrNameTaken }

// Reason is the refusal without the operation ("create an API key for
// bob"): what the window shows (app.FormatError).
func (e nameTaken) Reason() string { return e.Error() }

// keyCtx is the context key of the request's API key row id (authenticateKey).
type keyCtx struct{}

func withKey(ctx context.Context, id int64) context.Context {
	return context.WithValue(ctx, keyCtx{}, id)
}

// keyOf is the API key row id the request was authenticated with (0: none).
func keyOf(ctx context.Context) int64 {
	id, _ := ctx.Value(keyCtx{}).(int64)
	return id
}

// countChargeQuery adds one charge to an API key's usage (countCharge):
// ?1 its amount in minor units, ?2 1 when it was free (chat.Free), ?3 the
// key.
const countChargeQuery = `UPDATE gateway_keys SET charged_requests = charged_requests + 1,
			free_requests = free_requests + ?2, charged_minor = charged_minor + ?1 WHERE id = ?3`

// countCharge is the Settle hook (chat.Call.Settle's onPost) that adds a
// charge to the usage of the request's API key (Key.Requests, Key.Charged),
// in the ledger transaction that posts it: both are written or neither. It
// runs in the ledger's one writer, so with the writer's cached statement
// (store.DB.ExecTx), not parsed and planned for every charge. A request
// counts as free by the window's rule, chat.Free (every line of its
// breakdown rated 0 and nothing held for it: a free model), not for a
// charge of 0 alone (a model rated 0 for input only whose reply generated
// nothing, a charge capped at a hold of nothing), which the window's
// summary says "total 0.00 credits" of.
func (s *Service) countCharge(ctx context.Context) func(context.Context, *sql.Tx, *chat.Charge) error {
	id := keyOf(ctx)
	if id == 0 {
		return nil
	}
	return func(ctx context.Context, tx *sql.Tx, ch *chat.Charge) error {
		amount, err := decimal.NewFromString(ch.Amount)
		if err != nil {
			return fmt.Errorf("count the charge of API key %d: %w", id, err)
		}
		minor, err := money.ToMinor(amount)
		if err != nil {
			return fmt.Errorf("count the charge of API key %d: %w", id, err)
		}
		free := 0
		if chat.Free(ch) {
			free = 1
		}
		_, err = s.db.ExecTx(ctx, tx, countChargeQuery, minor, free, id)
		if err != nil {
			return fmt.Errorf("count the charge of API key %d: %w", id, err)
		}
		return nil
	}
}
