package providers

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"meterdesk/backend/access"
	"meterdesk/backend/audit"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/namekey"
	"meterdesk/backend/rates"
	"meterdesk/backend/store"
	"meterdesk/backend/textcheck"
)

// Catalogue is the rate catalogue (backend/rates.Service) as seen from here:
// the models a provider reports are merged into it.
type Catalogue interface {
	// MergeReportedIn adds a listing's models inside tx, the transaction
	// that records the listing, and says how many were new.
	MergeReportedIn(ctx context.Context, tx *sql.Tx, provider string, models []string) (added int, err error)
	// ReportedMerged is called once that transaction committed, when
	// MergeReportedIn added some.
	ReportedMerged()
}

// ServiceOptions configures NewService. Every field is optional.
type ServiceOptions struct {
	// Vault receives newly saved keys. nil = chosen on first use: the OS
	// keychain when one answers (see KeychainAvailable), otherwise Sealed in
	// the data folder. METERDESK_SECRETS=file forces Sealed, =keychain forces
	// the keychain.
	Vault       Vault
	Catalogue   Catalogue     // nil = reported models are not merged anywhere
	HTTPClient  *http.Client  // for provider traffic (tests); nil = default
	IdleTimeout time.Duration // 0 = DefaultIdleTimeout
	ListTimeout time.Duration // 0 = DefaultListTimeout (a model listing, a connection test)
	// KeyCheckTimeout bounds the key check that follows a listing that
	// needs no key (OpenRouter's GET /key, checkKey), after a save and in
	// a connection test; 0 = DefaultKeyCheckTimeout.
	KeyCheckTimeout time.Duration
	Logger          *slog.Logger // nil = discard
	Now             func() time.Time
}

// Service stores provider configurations and hands out streaming clients.
// Writes (add, edit, remove, test) are admin-only; every signed-in member may
// list providers (never their keys) and stream through them.
type Service struct {
	db     *store.DB
	sealed *Sealed
	opts   ServiceOptions

	once  sync.Once
	vault Vault
}

// NewService returns the provider service for db; dataDir holds secrets.key.
func NewService(db *store.DB, dataDir string, opts ServiceOptions) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.KeyCheckTimeout <= 0 {
		opts.KeyCheckTimeout = DefaultKeyCheckTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Service{db: db, sealed: &Sealed{Dir: dataDir}, opts: opts}
	if sv, ok := opts.Vault.(*Sealed); ok {
		s.sealed = sv
	}
	return s
}

// SetCatalogue connects the rate catalogue after construction.
func (s *Service) SetCatalogue(c Catalogue) { s.opts.Catalogue = c }

// newKeyVault is where a newly entered key goes.
func (s *Service) newKeyVault() Vault {
	s.once.Do(func() {
		switch {
		case s.opts.Vault != nil:
			s.vault = s.opts.Vault
		case os.Getenv("METERDESK_SECRETS") == "file":
			s.vault = s.sealed
		case os.Getenv("METERDESK_SECRETS") == "keychain" || KeychainAvailable():
			s.vault = Keychain{}
		default:
			s.vault = s.sealed
		}
	})
	return s.vault
}

// vaultFor returns the vault a row's key was saved in.
func (s *Service) vaultFor(keyStore string) Vault {
	if keyStore == StoreSealed {
		return s.sealed
	}
	if v := s.opts.Vault; v != nil && v.Name() == StoreKeychain {
		return v
	}
	return Keychain{}
}

// SecretStorage names where new keys are kept: "keychain" or "sealed".
func (s *Service) SecretStorage() string { return s.newKeyVault().Name() }

// Provider is a configured provider as shown to people. It never carries
// the key: only whether one is set and, to an admin, its last four
// characters. A member gets the redacted view (Redacted): no base URL (it
// may name an internal host) and no key hint; the name and kind are what a
// member needs to pick a model.
type Provider struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Kind      Kind   `json:"kind"`
	BaseURL   string `json:"baseUrl"`
	HasKey    bool   `json:"hasKey"`
	KeyHint   string `json:"keyHint"`  // e.g. "…a1b2", "" when no key
	KeyStore  string `json:"keyStore"` // none|keychain|sealed
	Local     bool   `json:"local"`    // runs on this machine (works offline)
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
	// SelfHosted: runs on this machine or on the member's own network
	// (SelfHosted), so its model names say nothing of what it takes: no
	// reasoning setting applies to it (ReasoningFor).
	SelfHosted bool `json:"selfHosted"`
	// Redacted: this is a member's view, BaseURL and KeyHint left empty
	// (forRole); the CLI and the window show no address or hint for it.
	Redacted bool `json:"redacted,omitempty"`
	// Notice is what Meterdesk changed in the provider by itself, for an
	// admin to read until the provider is next saved: a credential an
	// older version kept in its base URL, moved to its API key or removed
	// (MoveURLCredentials). Never the credential. "" for a member.
	Notice string `json:"notice,omitempty"`
	// ModelsError is set only on what Add and Update return: the provider
	// was saved, but listing its models right after failed, and this is
	// why ("provider error 404 Not Found: …; did you mean …/v1?"). The
	// window and the CLI say "saved, but listing the models failed: …".
	ModelsError string `json:"modelsError,omitempty"`
	// KeyError is set only on what Add and Update return: the models were
	// listed, but the key check that follows a listing that does not need
	// the key (OpenRouter's public model list; checkKey, as "Test
	// connection" does) did not pass. It starts "the key was refused: "
	// (the server answered 401 or 403) or "the key could not be checked: "
	// (offline, a timeout, a 429 or a 5xx); the window and the CLI say
	// "saved, but " and it. Never the key itself.
	KeyError string `json:"keyError,omitempty"`
	// NoModels is set only on what Add and Update return: the models were
	// listed right after the save, and there are none (noModels: "the
	// server lists no models: load or pull a model on it …, then test
	// again."), so the provider cannot be chatted with yet. The window
	// and the CLI say "saved; " and it, as a warning, as "Test connection"
	// says "Connected, but " and it. "" when a model was listed, or the
	// listing failed (ModelsError).
	NoModels string `json:"noModels,omitempty"`
	// CatalogueError is set only on what Add and Update return: the models
	// were listed right after the save, but adding them to the rate
	// catalogue failed (a database error, a name the catalogue refused), so
	// the model picker and the rate table may not offer all of them
	// (ModelList.Incomplete: "adding the listed models to the rate
	// catalogue failed: …"). The window and the CLI say "saved,
	// but " and it.
	CatalogueError string `json:"catalogueError,omitempty"`
	// Unchanged is set only on what Update returns: the edit asked for
	// what the provider has already (the name, kind and address as they
	// are stored, and no new key: none typed, or the stored one typed
	// again), so no setting was written and nothing audited.
	Unchanged bool `json:"unchanged,omitempty"`
	// NoticeCleared is set only on what Update returns Unchanged: the
	// provider had a Notice, which saving it as it is cleared (a write, not
	// audited: it is no setting), so the window and the CLI say "the note
	// about its address is cleared", not "nothing written".
	NoticeCleared bool `json:"noticeCleared,omitempty"`
}

// Input is what an admin enters to add or edit a provider.
type Input struct {
	Name    string `json:"name"`
	Kind    Kind   `json:"kind"`
	BaseURL string `json:"baseUrl"` // "" = the kind's documented URL
	// APIKey: a new key; "" on edit keeps the stored one.
	APIKey string `json:"apiKey"`
	// ClearKey removes the stored key on edit (keyless local servers).
	ClearKey bool `json:"clearKey"`
}

type row struct {
	Provider
	ref    string
	sealed []byte
	stored string // base_url as the row has it (Provider.BaseURL is it normalised)
}

const selectCols = `id, name, kind, base_url, secret_ref, key_store, key_sealed, key_hint, created_at, updated_at, notice`

// scanRow reads a provider row. Its base URL is shown and used as
// NormalizeBaseURL cleans it: a URL an older version saved as it was typed
// (a trailing "/", an endpoint pasted whole, Anthropic's /v1) reads as the
// one every client calls, in lists and the edit form alike, without the
// row being rewritten (one the rules now refuse stays as saved, and fails
// when used). Nothing else changes: the key is bound to the row's
// secret_ref (the sealed blob's associated data, the keychain entry's
// name), not to its address, and normalising keeps the scheme, host and
// port a kept key follows (keyFollows).
func scanRow(sc interface{ Scan(...any) error }) (row, error) {
	var r row
	err := sc.Scan(&r.ID, &r.Name, &r.Kind, &r.stored, &r.ref, &r.KeyStore, &r.sealed, &r.KeyHint, &r.CreatedAt, &r.UpdatedAt, &r.Notice)
	r.BaseURL = r.stored
	if base, nerr := NormalizeBaseURL(r.Kind, r.stored); err == nil && nerr == nil {
		r.BaseURL = base
	}
	r.HasKey = r.KeyStore != StoreNone
	r.Local = IsLocal(r.BaseURL)
	r.SelfHosted = SelfHosted(r.BaseURL)
	return r, err
}

// view is what the audit log keeps of the row as it is stored.
func (r row) view() auditView {
	v := viewOf(r.Provider)
	v.BaseURL = r.stored
	return v
}

func (s *Service) load(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id int64) (row, error) {
	r, err := scanRow(q.QueryRowContext(ctx, "SELECT "+selectCols+" FROM providers WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("provider %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("read provider %d: %w", id, err)
	}
	return r, nil
}

// forRole returns p as a may see it: whole to an admin (and the system);
// to a member without its base URL and key hint (Redacted). Local and
// SelfHosted, which chat needs to decide the reasoning settings and the
// picker shows as "local", stay.
func forRole(a access.Actor, p Provider) Provider {
	if a.IsAdmin() {
		return p
	}
	p.BaseURL, p.KeyHint, p.Notice, p.Redacted = "", "", "", true
	return p
}

// List returns every provider, by name, as the actor may see it (forRole).
func (s *Service) List(ctx context.Context) ([]Provider, error) {
	actor, err := access.Current(ctx)
	if err != nil {
		return nil, fmt.Errorf("list providers: %w", err)
	}
	rows, err := s.db.Read().QueryContext(ctx, "SELECT "+selectCols+" FROM providers ORDER BY name COLLATE NOCASE")
	if err != nil {
		return nil, fmt.Errorf("list providers: %w", err)
	}
	defer rows.Close()
	out := []Provider{}
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return nil, fmt.Errorf("list providers: %w", err)
		}
		out = append(out, forRole(actor, r.Provider))
	}
	return out, rows.Err()
}

// Get returns one provider, as the actor may see it (forRole).
func (s *Service) Get(ctx context.Context, id int64) (Provider, error) {
	actor, err := access.Current(ctx)
	if err != nil {
		return Provider{}, fmt.Errorf("read provider: %w", err)
	}
	r, err := s.load(ctx, s.db.Read(), id)
	return forRole(actor, r.Provider), err
}

// Find returns the provider whose id or name (case-insensitive; then by the
// names rule of backend/namekey) is ref. A
// number is an id first: it names the provider with that id, whatever other
// provider may be called (a name of digits only is refused since, but one
// saved before may exist), and only a number that is no provider's id is
// looked up as a name.
func (s *Service) Find(ctx context.Context, ref string) (Provider, error) {
	list, err := s.List(ctx)
	if err != nil {
		return Provider{}, err
	}
	ref = strings.TrimSpace(ref)
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && id > 0 {
		for _, p := range list {
			if p.ID == id {
				return p, nil
			}
		}
	}
	for _, p := range list {
		if strings.EqualFold(p.Name, ref) {
			return p, nil
		}
	}
	key := namekey.Key(ref) // "LOCAL", "Ｌｏｃａｌ": the same name
	for _, p := range list {
		if namekey.Key(p.Name) == key {
			return p, nil
		}
	}
	return Provider{}, fmt.Errorf("provider %q: %w", ref, ErrNotFound)
}

// clean validates in and fills defaults; the key is trimmed. A refusal
// names the field of Input it is about by its JSON name ("name",
// "baseUrl", "apiKey"; inputerr.About), which the window's form marks. The name is
// stored NFKC (namekey.Clean) and checked, unless it is saved, the name the
// provider already has: a name saved before a rule was added stays usable.
func clean(in Input, saved string) (Input, error) {
	if strings.TrimSpace(in.Name) == saved && saved != "" {
		in.Name = saved
	} else {
		name, err := checkName(in.Name)
		if err != nil {
			return in, inputerr.About("name", err)
		}
		in.Name = name
	}
	in.Kind = Kind(strings.TrimSpace(string(in.Kind)))
	if !in.Kind.Valid() {
		return in, fmt.Errorf("provider kind %q: %w (want one of %s)", in.Kind, ErrUnknownKind, kindList())
	}
	base, err := NormalizeBaseURL(in.Kind, in.BaseURL)
	if err != nil {
		return in, inputerr.About("baseUrl", err)
	}
	in.BaseURL = base
	in.APIKey = strings.TrimSpace(in.APIKey)
	if len(in.APIKey) > 1024 {
		return in, inputerr.About("apiKey", inputerr.New(ErrBadKey, "longer than 1024 characters"))
	}
	if strings.IndexFunc(in.APIKey, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return in, inputerr.About("apiKey", inputerr.New(ErrBadKey, "contains spaces or control characters (was more than the key pasted?)"))
	}
	return in, nil
}

// checkName validates a provider name and returns it as stored: 1 to 64
// characters on one line, not digits only, no word mixing Latin, Cyrillic
// and Greek letters (backend/namekey).
func checkName(name string) (string, error) {
	name = namekey.Clean(name)
	switch {
	case name == "":
		return name, inputerr.New(ErrBadName, "the name is empty")
	case utf8.RuneCountInString(name) > 64:
		return name, inputerr.New(ErrBadName, "longer than 64 characters")
	case textcheck.Line(name) != nil:
		return name, inputerr.New(ErrBadName, "%v", textcheck.Line(name))
	case strings.Trim(name, "0123456789") == "":
		// Commands take a provider by id or name: "2" must mean one.
		return name, inputerr.New(ErrBadName, "%q needs a letter or another character besides digits (a number is read as a provider id)", name)
	}
	if word, a, b, mixed := namekey.MixedScripts(name); mixed {
		return name, inputerr.New(ErrBadName, "%q mixes %s and %s letters in one word, so it can pass for another name; write each word in one alphabet", word, a, b)
	}
	return name, nil
}

func kindList() string {
	var ks []string
	for _, k := range Kinds() {
		ks = append(ks, string(k))
	}
	return strings.Join(ks, ", ")
}

func hintOf(key string) string {
	if len(key) < 12 {
		return ""
	}
	return "…" + key[len(key)-4:]
}

func newRef() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "provider-" + hex.EncodeToString(b)
}

// nameTaken refuses a name that is another provider's by the names rule
// (backend/namekey: case, width, look-alike letters aside), naming it.
func (s *Service) nameTaken(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, name string, except int64) error {
	var other string
	err := q.QueryRowContext(ctx, "SELECT name FROM providers WHERE "+namekey.TakenSQL+" AND id != ?2 ORDER BY id LIMIT 1", namekey.Key(name), except).Scan(&other)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("check provider name: %w", err)
	case other != name:
		return fmt.Errorf("%q: %w: %q (names are compared regardless of case, width and look-alike letters)", name, ErrDuplicate, other)
	}
	return fmt.Errorf("%q: %w", name, ErrDuplicate)
}

func (s *Service) stamp() string { return s.opts.Now().UTC().Format(time.RFC3339Nano) }

// sealKey stores key under a fresh ref and returns ref, store, sealed bytes.
func (s *Service) sealKey(key string) (ref, keyStore string, sealed []byte, err error) {
	ref = newRef()
	if key == "" {
		return ref, StoreNone, nil, nil
	}
	v := s.newKeyVault()
	sealed, err = v.Put(ref, key)
	if err != nil {
		return "", "", nil, err
	}
	return ref, v.Name(), sealed, nil
}

// forget deletes a key from its vault, logging (never returning) a failure.
func (s *Service) forget(ref, keyStore string) {
	if keyStore != StoreKeychain {
		return
	}
	if err := s.vaultFor(keyStore).Delete(ref); err != nil {
		s.opts.Logger.Warn("could not remove an API key from the keychain", "ref", ref, "err", err)
	}
}

// Add saves a new provider (admin only). The key goes to the vault first;
// if the row cannot be written, the key is removed again.
func (s *Service) Add(ctx context.Context, in Input) (Provider, error) {
	actor, err := access.RequireAdmin(ctx, "add a provider")
	if err != nil {
		return Provider{}, err
	}
	in, err = clean(in, "")
	if err != nil {
		return Provider{}, fmt.Errorf("add provider: %w", err)
	}
	if in.APIKey == "" {
		if err := noKey(in); err != nil {
			return Provider{}, fmt.Errorf("add provider %q: %w", in.Name, err)
		}
	}
	if err := s.nameTaken(ctx, s.db.Read(), in.Name, 0); err != nil {
		return Provider{}, fmt.Errorf("add provider: %w", err)
	}
	ref, keyStore, sealed, err := s.sealKey(in.APIKey)
	if err != nil {
		return Provider{}, fmt.Errorf("add provider %q: %w", in.Name, err)
	}
	var id int64
	now := s.stamp()
	err = s.db.Write(ctx, func(tx *sql.Tx) error {
		if err := s.nameTaken(ctx, tx, in.Name, 0); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO providers(name, kind, base_url, secret_ref, key_store, key_sealed, key_hint, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, in.Name, in.Kind, in.BaseURL, ref, keyStore, sealed, hintOf(in.APIKey), now, now)
		if err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		return audit.Record(ctx, tx, s.opts.Now(), actor, "provider.add", auditTarget(id), nil,
			auditView{Name: in.Name, Kind: in.Kind, BaseURL: in.BaseURL, Key: keyStore})
	})
	if err != nil {
		s.forget(ref, keyStore)
		return Provider{}, fmt.Errorf("add provider %q: %w", in.Name, err)
	}
	s.opts.Logger.Info("provider added", "id", id, "name", in.Name, "kind", in.Kind, "key_store", keyStore)
	l := s.learnModels(ctx, id, true)
	p, err := s.Get(ctx, id)
	p.ModelsError, p.KeyError, p.NoModels, p.CatalogueError = l.models, l.key, l.none, l.catalogue
	return p, err
}

// noKey is the ErrNoKey for in, which has no key, when its provider cannot
// work without one: a kind that needs one (Kind.NeedsKey), or an
// OpenAI-compatible server at the host of a preset that needs one
// (OpenRouter, whose model list answers without a key although its chat
// does not); nil otherwise.
func noKey(in Input) error {
	label, need := needsKey(in.Kind, in.BaseURL)
	switch {
	case !need:
		return nil
	case in.Kind.NeedsKey():
		return ErrNoKey
	}
	return fmt.Errorf("%w: %s answers only with one (enter the key from its settings page)", ErrNoKey, label)
}

// Update edits a provider (admin only), audited as provider.update. An
// empty APIKey keeps the stored key, and so does the stored key typed
// again (compared with the vault's copy, which is never logged or
// returned): it is no new key, and as a key typed it may go to a new
// server. An edit that changes nothing (the name, kind and address it has,
// as clean normalises them, and no new key: the stored one kept or typed
// again, or none to clear) is checked as any other, then written and
// audited not at all (but a Notice it had is cleared: NoticeCleared), and
// returned with Unchanged set.
func (s *Service) Update(ctx context.Context, id int64, in Input) (Provider, error) {
	actor, err := access.RequireAdmin(ctx, "edit a provider")
	if err != nil {
		return Provider{}, err
	}
	old, err := s.load(ctx, s.db.Read(), id)
	if err != nil {
		return Provider{}, fmt.Errorf("edit provider: %w", err)
	}
	in, err = clean(in, old.Name)
	if err != nil {
		return Provider{}, fmt.Errorf("edit provider %q: %w", old.Name, err)
	}
	if in.APIKey != "" && in.ClearKey {
		return Provider{}, fmt.Errorf("edit provider %q: %w", old.Name, inputerr.New(ErrBadKey, "give a new key or clear it, not both"))
	}
	// The stored key typed again is kept as it is: no new secret, and
	// typed, it may follow the provider to another server.
	retyped := in.APIKey != "" && s.isStoredKey(old, in.APIKey)
	if retyped {
		in.APIKey = ""
	}
	keepKey := in.APIKey == "" && !in.ClearKey && old.HasKey
	if keepKey && !retyped && !keyFollows(old.Provider, in.Kind, in.BaseURL) {
		return Provider{}, fmt.Errorf("edit provider %q: %w", old.Name, ErrKeyForOtherServer)
	}
	if in.APIKey == "" && !keepKey {
		if err := noKey(in); err != nil {
			return Provider{}, fmt.Errorf("edit provider %q: %w", old.Name, err)
		}
	}
	if in.Name == old.Name && in.Kind == old.Kind && in.BaseURL == old.BaseURL && in.APIKey == "" && (keepKey || !old.HasKey) {
		// What it has already (the name and address as clean stores them,
		// no new key, the key kept or none to clear): nothing to write or
		// log, and nothing to list anew (Test does that). A notice is
		// read: saving clears it (not audited; it is no setting).
		if old.Notice != "" {
			if err := s.db.Write(ctx, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, "UPDATE providers SET notice = '' WHERE id = ?", id)
				return err
			}); err != nil {
				return Provider{}, fmt.Errorf("edit provider %q: %w", old.Name, err)
			}
		}
		p, err := s.Get(ctx, id)
		p.Unchanged = err == nil
		p.NoticeCleared = err == nil && old.Notice != ""
		return p, err
	}
	renamed := in.Name != old.Name // an unchanged name is not checked again
	if renamed {
		if err := s.nameTaken(ctx, s.db.Read(), in.Name, id); err != nil {
			return Provider{}, fmt.Errorf("edit provider: %w", err)
		}
	}
	ref, keyStore, sealed, hint := old.ref, old.KeyStore, old.sealed, old.KeyHint
	if !keepKey {
		ref, keyStore, sealed, err = s.sealKey(in.APIKey)
		if err != nil {
			return Provider{}, fmt.Errorf("edit provider %q: %w", old.Name, err)
		}
		hint = hintOf(in.APIKey)
	}
	err = s.db.Write(ctx, func(tx *sql.Tx) error {
		if renamed {
			if err := s.nameTaken(ctx, tx, in.Name, id); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE providers SET name = ?, kind = ?, base_url = ?, secret_ref = ?, key_store = ?,
			key_sealed = ?, key_hint = ?, notice = '', updated_at = ? WHERE id = ?`,
			in.Name, in.Kind, in.BaseURL, ref, keyStore, sealed, hint, s.stamp(), id)
		if err != nil {
			return fmt.Errorf("update: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("provider %d: %w", id, ErrNotFound)
		}
		return audit.Record(ctx, tx, s.opts.Now(), actor, "provider.update", auditTarget(id), old.view(),
			auditView{Name: in.Name, Kind: in.Kind, BaseURL: in.BaseURL, Key: keyStore, KeyChanged: !keepKey})
	})
	if err != nil {
		if !keepKey {
			s.forget(ref, keyStore)
		}
		return Provider{}, fmt.Errorf("edit provider %q: %w", old.Name, err)
	}
	if !keepKey {
		s.forget(old.ref, old.KeyStore)
	}
	s.opts.Logger.Info("provider edited", "id", id, "name", in.Name, "kind", in.Kind, "key_changed", !keepKey)
	var l learned
	if !keepKey || in.Kind != old.Kind || in.BaseURL != old.BaseURL { // a rename lists nothing anew
		l = s.learnModels(ctx, id, true)
	}
	p, err := s.Get(ctx, id)
	p.ModelsError, p.KeyError, p.NoModels, p.CatalogueError = l.models, l.key, l.none, l.catalogue
	return p, err
}

// isStoredKey reports whether key is the key r has stored, compared in
// constant time; false when r has none or it cannot be read (a key gone
// from the keychain, a backup restored elsewhere: typing it stores it
// anew). The stored key is neither logged nor returned.
func (s *Service) isStoredKey(r row, key string) bool {
	if key == "" || !r.HasKey {
		return false
	}
	stored, err := s.keyOf(r)
	return err == nil && subtle.ConstantTimeCompare([]byte(stored), []byte(key)) == 1
}

// Remove deletes a provider and its key (admin only).
func (s *Service) Remove(ctx context.Context, id int64) error {
	actor, err := access.RequireAdmin(ctx, "remove a provider")
	if err != nil {
		return err
	}
	old, err := s.load(ctx, s.db.Read(), id)
	if err != nil {
		return fmt.Errorf("remove provider: %w", err)
	}
	err = s.db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM providers WHERE id = ?", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("provider %d: %w", id, ErrNotFound)
		}
		return audit.Record(ctx, tx, s.opts.Now(), actor, "provider.remove", auditTarget(id), old.view(), nil)
	})
	if err != nil {
		return fmt.Errorf("remove provider %q: %w", old.Name, err)
	}
	s.forget(old.ref, old.KeyStore)
	s.opts.Logger.Info("provider removed", "id", id, "name", old.Name)
	return nil
}

// keyOf reads a row's key from its vault.
func (s *Service) keyOf(r row) (string, error) {
	if r.KeyStore == StoreNone {
		return "", nil
	}
	k, err := s.vaultFor(r.KeyStore).Get(r.ref, r.sealed)
	if err != nil {
		return "", fmt.Errorf("provider %q: %w", r.Name, err)
	}
	return k, nil
}

func (s *Service) config(kind Kind, baseURL, key string) Config {
	return Config{Kind: kind, BaseURL: baseURL, APIKey: key, HTTPClient: s.opts.HTTPClient,
		IdleTimeout: s.opts.IdleTimeout, ListTimeout: s.opts.ListTimeout, Now: s.opts.Now}
}

// Client returns a streaming client for provider id, for any signed-in
// member (chat and the gateway call this).
func (s *Service) Client(ctx context.Context, id int64) (Client, error) {
	c, _, err := s.client(ctx, id)
	return c, err
}

func (s *Service) client(ctx context.Context, id int64) (Client, row, error) {
	if _, err := access.Current(ctx); err != nil {
		return nil, row{}, fmt.Errorf("use provider: %w", err)
	}
	r, err := s.load(ctx, s.db.Read(), id)
	if err != nil {
		return nil, r, err
	}
	// Its errors, and those of making it (a stored base URL the rules now
	// refuse, a key that cannot be read), are worded for whoever calls it
	// (memberwords.go).
	key, err := s.keyOf(r)
	if err != nil {
		return nil, r, wordsFor(ctx, err, r.Name, r.BaseURL)
	}
	c, err := New(s.config(r.Kind, r.BaseURL, key))
	if err != nil {
		return nil, r, wordsFor(ctx, err, r.Name, r.BaseURL)
	}
	return memberClient{Client: c, name: r.Name, base: r.BaseURL}, r, nil
}

// TestResult is the outcome of "Test connection".
type TestResult struct {
	OK        bool   `json:"ok"`
	Message   string `json:"message"`   // what happened, for people; never contains the key
	Offline   bool   `json:"offline"`   // the host could not be reached
	Status    int    `json:"status"`    // HTTP status of a provider error, 0 otherwise
	Models    int    `json:"models"`    // models the provider listed
	LatencyMs int64  `json:"latencyMs"` // how long the check took
	// CatalogueError: the test passed and the models were listed, but
	// adding them to the rate catalogue failed (ModelList.Incomplete), so
	// the model picker may not offer all of them; Message says so too.
	// Only a saved provider's test (Test) merges its models.
	CatalogueError string `json:"catalogueError,omitempty"`
}

// Test checks a saved provider (admin only). A failing provider is a
// TestResult with OK false, not an error. A provider that answers has its
// models learned (see learnModels).
func (s *Service) Test(ctx context.Context, id int64) (TestResult, error) {
	res, err := s.TestInput(ctx, id, Input{})
	if err == nil && res.OK {
		if l := s.learnModels(ctx, id, false); l.catalogue != "" { // the key was just checked
			res.CatalogueError = l.catalogue
			res.Message += " But " + l.catalogue + "."
		}
	}
	return res, err
}

// TestInput checks a configuration before (or without) saving it (admin
// only). With id > 0, empty fields of in are taken from the saved provider,
// so the edit form can test without re-entering the key.
func (s *Service) TestInput(ctx context.Context, id int64, in Input) (TestResult, error) {
	actor, err := access.RequireAdmin(ctx, "test a provider")
	if err != nil {
		return TestResult{}, err
	}
	var old *row
	if id > 0 {
		p, err := s.load(ctx, s.db.Read(), id)
		if err != nil {
			return TestResult{}, fmt.Errorf("test provider: %w", err)
		}
		old = &p
		if in.Name == "" {
			in.Name = p.Name
		}
		if in.Kind == "" {
			in.Kind = p.Kind
		}
		if in.BaseURL == "" && in.Kind == p.Kind {
			in.BaseURL = p.BaseURL
		}
	}
	if in.Name == "" {
		in.Name = "unsaved"
	}
	saved := ""
	if old != nil {
		saved = old.Name
	}
	in, err = clean(in, saved)
	if err != nil {
		return TestResult{}, fmt.Errorf("test provider: %w", err)
	}
	savedKey := old != nil && in.APIKey == "" && !in.ClearKey && old.HasKey
	if savedKey {
		if !keyFollows(old.Provider, in.Kind, in.BaseURL) {
			return TestResult{}, fmt.Errorf("test provider %q: %w", old.Name, ErrKeyForOtherServer)
		}
		if in.APIKey, err = s.keyOf(*old); err != nil {
			return TestResult{OK: false, Message: err.Error()}, nil
		}
	}
	if in.APIKey == "" {
		if err := noKey(in); err != nil {
			return TestResult{}, fmt.Errorf("test provider: %w", err)
		}
	}
	c, err := New(s.config(in.Kind, in.BaseURL, in.APIKey))
	if err != nil {
		return TestResult{}, fmt.Errorf("test provider: %w", err)
	}
	start := time.Now()
	models, err := c.Models(ctx)
	keyChecked := false
	if err == nil {
		var kerr *keyCheckError
		if keyChecked, kerr = checkKey(ctx, c, s.opts.KeyCheckTimeout); kerr != nil {
			err = kerr
		}
	}
	res := TestResult{LatencyMs: time.Since(start).Milliseconds(), Models: len(models)}
	if err != nil {
		res.Message = TestFailure(err)
		res.Offline = errors.Is(err, ErrOffline)
		var ae *APIError
		if errors.As(err, &ae) {
			res.Status = ae.Status
		}
		s.opts.Logger.Warn("provider test failed", "provider", in.Name, "kind", in.Kind, "err", err)
	} else {
		res.OK = true
		res.Message = connectedMessage(in, len(models), keyChecked)
	}
	if savedKey {
		if err := s.auditTest(ctx, actor, id, in, res); err != nil {
			return TestResult{}, err
		}
	}
	return res, nil
}

// keyProver is a client that can check its key where listing the models
// does not (openaiClient.proveKey: OpenRouter).
type keyProver interface {
	proveKey(ctx context.Context) (checked bool, err error)
}

// keyCheckError is a key check that did not pass, for a provider whose
// model list answers without a key (OpenRouter): the server refused the
// key (Refused: a 401 or 403), or the check could not be made (offline, a
// timeout, a 429 or a 5xx, which say nothing of the key). It wraps the
// check's error (an *APIError, ErrOffline, ErrTimeout…).
type keyCheckError struct {
	Refused bool
	Err     error
}

// Error is what a connection test says: "the model list answers without
// a key, but the key was refused: key check: provider error 401 …".
func (e *keyCheckError) Error() string {
	if e.Refused {
		return "the model list answers without a key, but the key was refused: " + e.Err.Error()
	}
	return "the model list answers without a key, and the key could not be checked: " + e.Err.Error()
}

// Unwrap returns the check's own error.
func (e *keyCheckError) Unwrap() error { return e.Err }

// short is what follows "saved, but " after a save: "the key was refused:
// …" or "the key could not be checked: …".
func (e *keyCheckError) short() string {
	if e.Refused {
		return "the key was refused: " + e.Err.Error()
	}
	return "the key could not be checked: " + e.Err.Error()
}

// DefaultKeyCheckTimeout bounds the key check (checkKey: OpenRouter's GET
// /key) on its own, apart from the listing before it: 10 s, as long as
// connecting may take, so that a slow but working server is not reported
// as "the key could not be checked" (it shared the 3 s of the listing
// after a save, learnTimeout), while a save still returns in seconds.
const DefaultKeyCheckTimeout = 10 * time.Second

// checkKey checks c's key where listing its models, which has just
// answered, does not (a keyProver: OpenRouter's GET /key): the one check
// "Test connection" and the listing after a save make, bounded by limit
// (ServiceOptions.KeyCheckTimeout). checked is false when c has no such
// check (the listing proved the key as far as anything can); a check that
// did not pass is a *keyCheckError, one that ran out of time wrapping
// ErrTimeout: "key check timed out: no answer within 10 s".
func checkKey(ctx context.Context, c Client, limit time.Duration) (checked bool, kerr *keyCheckError) {
	kp, ok := c.(keyProver)
	if !ok {
		return false, nil
	}
	kctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	checked, err := kp.proveKey(kctx)
	if err == nil {
		return checked, nil
	}
	if ctx.Err() == nil && errors.Is(kctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("key check timed out: no answer within %s: %w", seconds(limit), ErrTimeout)
	}
	var ae *APIError
	refused := errors.As(err, &ae) && (ae.Status == http.StatusUnauthorized || ae.Status == http.StatusForbidden)
	return checked, &keyCheckError{Refused: refused, Err: err}
}

// connectedMessage is what a passed connection test says: the number of
// models, that the key was checked where the listing does not check it,
// and, when the server lists no model, that it is connected but offers
// nothing yet, with what to do (a base URL without /v1, a local server
// with no model loaded).
func connectedMessage(in Input, models int, keyChecked bool) string {
	if models == 0 {
		return "Connected, but " + noModels(in.Kind, in.BaseURL)
	}
	msg := fmt.Sprintf("Connected: %d models available", models)
	if keyChecked {
		msg += "; the key was accepted"
	}
	return msg + "."
}

// noModels says that a provider at baseURL answered with no models, and
// what to do (a base URL without /v1, a local server with no model
// loaded, a key without access to models): what a passed connection test
// says after "Connected, but " and a save after "saved; "
// (Provider.NoModels).
func noModels(kind Kind, baseURL string) string {
	base, _ := url.Parse(baseURL)
	if hint := versionHint(kind, base); hint != "" {
		return "the server lists no models: " + hint
	}
	if kind == KindCompatible {
		return "the server lists no models: load or pull a model on it (Ollama: ollama pull NAME; LM Studio: load one), then test again."
	}
	return "the provider lists no models for this key: check the key's project or account has access to models."
}

// auditTest records a connection test that sent provider id's saved key:
// where it went and how it went (never the key). A test with a key typed
// into the form uses no stored secret and is not recorded. A test whose
// provider was removed while it ran is recorded all the same: the saved
// key was sent by then, and the log must say so. Its entry, after the
// removal, reads as the removed provider's ("lab (removed)",
// team.providerSpans), and ids are never given again (migration 0970).
func (s *Service) auditTest(ctx context.Context, actor access.Actor, id int64, in Input, res TestResult) error {
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		return audit.Record(ctx, tx, s.opts.Now(), actor, "provider.test", auditTarget(id), nil,
			testView{Name: in.Name, Kind: in.Kind, BaseURL: in.BaseURL, OK: res.OK, Status: res.Status})
	})
	if err != nil {
		return fmt.Errorf("test provider %q: %w", in.Name, err)
	}
	return nil
}

// ModelList is what Models returns.
type ModelList struct {
	Models    []string `json:"models"`    // model ids the provider reports
	Stale     bool     `json:"stale"`     // the provider could not be asked; this is the last known list
	CheckedAt string   `json:"checkedAt"` // when the list was fetched
	Error     string   `json:"error"`     // why the live list is missing, if it is
	// Offline: the live list is missing because the provider could not be
	// reached (ErrOffline), not because it answered with an error.
	Offline bool `json:"offline"`
	// Incomplete: the provider listed these models (the list is live, not
	// Stale), but adding them to the rate catalogue failed (a database
	// error, a name the catalogue refused; Error says why: "adding the
	// listed models to the rate catalogue failed: …"), so
	// the model picker and the rate table may not offer all of them.
	// `meterdesk providers models` prints the list and fails (exit 1).
	Incomplete bool `json:"incomplete"`
	// FromCatalogue: models a Stale list was completed with, not fetched
	// from the provider and not in its last known list: the rate
	// catalogue's models (and the admins' custom ones) the chat's model
	// picker offers for it (core.Backend.ProviderModels), so that
	// `meterdesk providers models` offline lists what the window offers.
	// They are also in Models, after the last known ones.
	FromCatalogue []string `json:"fromCatalogue,omitempty"`
	// Why and Shown: a Stale list's why and which list it is, a live
	// list's when it was fetched ("fetched from the provider …") and, if
	// it is empty, why (NoModelsChosen), in the words `meterdesk providers
	// models` says and the window shows (ListWords, times in the
	// workspace's zone; filled by core.Backend.ProviderModels, "" from
	// Service.Models).
	Why   string `json:"why,omitempty"`
	Shown string `json:"shown,omitempty"`
}

// CatalogueProvider is the rate-catalogue provider id for a kind
// (OpenAI-compatible servers are priced under "local").
func CatalogueProvider(k Kind) string {
	if k == KindCompatible {
		return "local"
	}
	return string(k)
}

// Models asks the provider for its models (any signed-in member), remembers
// the list for offline use and merges it into the rate catalogue. When the
// provider cannot be reached it returns the last known list, marked Stale.
func (s *Service) Models(ctx context.Context, id int64) (ModelList, error) {
	c, p, err := s.client(ctx, id)
	if err != nil {
		return ModelList{}, err
	}
	return s.listWith(ctx, c, p)
}

// listWith is Models with provider p's client c.
func (s *Service) listWith(ctx context.Context, c Client, p row) (ModelList, error) {
	id := p.ID
	models, lerr := c.Models(ctx)
	if lerr != nil {
		var raw, at string
		// The last known list is read whatever became of ctx: a listing
		// cut off by its caller's deadline (the 3 s after a save) must say
		// so, not that this local read was cut off too ("models of
		// provider 5: context deadline exceeded").
		rctx := context.WithoutCancel(ctx)
		err := s.db.Read().QueryRowContext(rctx, "SELECT reported_models, models_at FROM providers WHERE id = ?", id).Scan(&raw, &at)
		if errors.Is(err, sql.ErrNoRows) { // removed while the listing was in flight
			return ModelList{}, fmt.Errorf("provider %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return ModelList{}, fmt.Errorf("models of provider %d: %w", id, err)
		}
		out := ModelList{Models: []string{}, Stale: true, CheckedAt: at, Error: lerr.Error(), Offline: errors.Is(lerr, ErrOffline)}
		_ = json.Unmarshal([]byte(raw), &out.Models)
		return out, nil
	}
	valid := models[:0:0]
	for _, m := range models {
		if rates.CheckModel(m) == nil { // the rate table's rule for a model name
			valid = append(valid, m)
		}
	}
	raw, _ := json.Marshal(valid)
	at := s.stamp()
	// The list is remembered and its models merged into the rate catalogue
	// in one transaction, and only if the provider still exists: one
	// removed while the listing was in flight gets nothing written (its
	// models would reach the picker and the rate table with no provider
	// reporting them). A merge that fails (a database error) is rolled
	// back alone, to its savepoint: the list is still remembered, and
	// marked Incomplete.
	var added int
	var merr error
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		added, merr = 0, nil
		res, err := tx.ExecContext(ctx, "UPDATE providers SET reported_models = ?, models_at = ? WHERE id = ?", string(raw), at, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("provider %d: %w", id, ErrNotFound)
		}
		if s.opts.Catalogue == nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "SAVEPOINT merge_reported"); err != nil {
			return err
		}
		if added, merr = s.opts.Catalogue.MergeReportedIn(ctx, tx, CatalogueProvider(p.Kind), valid); merr != nil {
			added = 0
			if _, err := tx.ExecContext(ctx, "ROLLBACK TO merge_reported"); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, "RELEASE merge_reported")
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return ModelList{}, err
	}
	if err != nil {
		return ModelList{}, fmt.Errorf("remember models of provider %d: %w", id, err)
	}
	if added > 0 {
		s.opts.Catalogue.ReportedMerged()
	}
	out := ModelList{Models: valid, CheckedAt: at}
	if merr != nil {
		out.Incomplete = true
		out.Error = catalogueFailed(merr)
		s.opts.Logger.Warn("merge reported models", "provider", p.Name, "err", merr)
	}
	return out, nil
}

// catalogueFailed is what a listing says when its models could not be
// added to the rate catalogue (ModelList.Incomplete, Provider.CatalogueError).
func catalogueFailed(err error) string {
	return fmt.Sprintf("adding the listed models to the rate catalogue failed: %v; the model picker and the rate table may not offer all of them", err)
}
