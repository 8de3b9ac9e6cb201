package providers

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// Vault keeps API keys out of the database in plain text.
//
// Put stores secret under ref and returns what the provider row keeps
// (the sealed bytes, or nil when the secret lives elsewhere); Get reverses it;
// Delete forgets it. ref is a random id per provider key, never the key.
type Vault interface {
	Name() string // "keychain" or "sealed", recorded per provider row
	Put(ref, secret string) (stored []byte, err error)
	Get(ref string, stored []byte) (string, error)
	Delete(ref string) error
}

// Storage names recorded in providers.key_store.
const (
	StoreNone     = "none"
	StoreKeychain = "keychain"
	StoreSealed   = "sealed"
)

// KeychainService is the service name under which keys sit in the OS keychain.
const KeychainService = "Meterdesk"

// keychainTimeout bounds every keychain call: a locked keyring can prompt, and
// a broken D-Bus can hang; neither may freeze the app.
const keychainTimeout = 3 * time.Second

// Keychain stores keys in the OS keychain (macOS Keychain, Windows Credential
// Manager, Secret Service on Linux) through github.com/zalando/go-keyring.
type Keychain struct{}

// Name returns "keychain".
func (Keychain) Name() string { return StoreKeychain }

// Put stores secret in the keychain; nothing goes to the database.
func (Keychain) Put(ref, secret string) ([]byte, error) {
	err := withTimeout(func() error { return keyring.Set(KeychainService, ref, secret) })
	if err != nil {
		return nil, fmt.Errorf("save the API key in the OS keychain: %w", err)
	}
	return nil, nil
}

// Get reads the secret from the keychain.
func (Keychain) Get(ref string, _ []byte) (string, error) {
	var s string
	err := withTimeout(func() error {
		var err error
		s, err = keyring.Get(KeychainService, ref)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("%w (OS keychain: %v)", ErrKeyUnavailable, err)
	}
	return s, nil
}

// Delete removes the secret; a missing entry is not an error.
func (Keychain) Delete(ref string) error {
	err := withTimeout(func() error { return keyring.Delete(KeychainService, ref) })
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("remove the API key from the OS keychain: %w", err)
	}
	return nil
}

func withTimeout(fn func() error) error {
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-time.After(keychainTimeout):
		return errors.New("the keychain did not answer")
	}
}

// KeychainAvailable probes the OS keychain quickly. On Linux and BSD without a
// D-Bus session (CI, servers, containers) it answers false without touching
// D-Bus at all, so nothing waits on a bus that is not there.
func KeychainAvailable() bool {
	switch runtime.GOOS {
	case "darwin", "windows":
	default:
		if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
			return false
		}
	}
	done := make(chan error, 1)
	go func() {
		_, err := keyring.Get(KeychainService, "meterdesk-probe")
		done <- err
	}()
	select {
	case err := <-done:
		return err == nil || errors.Is(err, keyring.ErrNotFound)
	case <-time.After(1500 * time.Millisecond):
		return false
	}
}

// KeyFileName is the file in the data folder holding the sealing key.
const KeyFileName = "secrets.key"

// Sealed encrypts keys with AES-256-GCM under a random 256-bit key kept in a
// 0600 file in the data folder (created on first use). The database holds
// only version||nonce||ciphertext, bound to the provider's ref as associated
// data. It protects the database file and its backups when they travel
// without the data folder's key file; it does not protect against someone
// who can read the whole data folder as the user.
type Sealed struct {
	Dir string // the data folder

	mu  sync.Mutex
	key []byte
}

// Name returns "sealed".
func (*Sealed) Name() string { return StoreSealed }

const sealedVersion = 1

func (s *Sealed) aead(create bool) (cipher.AEAD, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.key == nil {
		k, err := loadKeyFile(filepath.Join(s.Dir, KeyFileName), create)
		if err != nil {
			return nil, err
		}
		s.key = k
	}
	block, err := aes.NewCipher(s.key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func loadKeyFile(path string, create bool) ([]byte, error) {
	k, err := os.ReadFile(path)
	if err == nil {
		if len(k) != 32 {
			return nil, fmt.Errorf("%w: %s is damaged (want 32 bytes)", ErrKeyUnavailable, path)
		}
		_ = os.Chmod(path, 0o600)
		return k, nil
	}
	if !errors.Is(err, os.ErrNotExist) || !create {
		return nil, fmt.Errorf("%w: read %s: %v", ErrKeyUnavailable, path, err)
	}
	k = make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, fmt.Errorf("make a secrets key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) { // created concurrently: use that one
		return loadKeyFile(path, false)
	}
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	if _, err := f.Write(k); err != nil {
		f.Close()
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return k, f.Close()
}

// Put encrypts secret and returns the sealed bytes for the database.
func (s *Sealed) Put(ref, secret string) ([]byte, error) {
	g, err := s.aead(true)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, g.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("seal the API key: %w", err)
	}
	out := append([]byte{sealedVersion}, nonce...)
	return g.Seal(out, nonce, []byte(secret), []byte("meterdesk-provider-key:"+ref)), nil
}

// Get decrypts what Put returned.
func (s *Sealed) Get(ref string, stored []byte) (string, error) {
	g, err := s.aead(false)
	if err != nil {
		return "", err
	}
	ns := g.NonceSize()
	if len(stored) < 1+ns+g.Overhead() || stored[0] != sealedVersion {
		return "", fmt.Errorf("%w: the sealed key is damaged", ErrKeyUnavailable)
	}
	plain, err := g.Open(nil, stored[1:1+ns], stored[1+ns:], []byte("meterdesk-provider-key:"+ref))
	if err != nil {
		return "", fmt.Errorf("%w: it was sealed with another secrets.key", ErrKeyUnavailable)
	}
	return string(plain), nil
}

// Delete has nothing to do: the sealed bytes go with the provider row.
func (*Sealed) Delete(string) error { return nil }
