package team

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"meterdesk/backend/inputerr"
)

// HashParams are the argon2id cost parameters encoded into every hash.
type HashParams struct {
	Memory  uint32 // KiB
	Time    uint32 // iterations
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// DefaultHashParams follow the OWASP recommendation for argon2id
// (19 MiB, 2 iterations, 1 lane).
var DefaultHashParams = HashParams{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// ErrBadHash is returned for a stored hash that is not a valid argon2id PHC string.
var ErrBadHash = errors.New("stored secret hash is not a valid argon2id string")

var b64 = base64.RawStdEncoding

// HashSecret hashes a password or PIN with argon2id and returns the PHC
// string "$argon2id$v=19$m=...,t=...,p=...$salt$hash".
func HashSecret(secret string, p HashParams) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash secret: salt: %w", err)
	}
	key := argon2.IDKey([]byte(secret), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifySecret reports whether secret matches the PHC-encoded argon2id hash,
// using the parameters and salt stored in the hash, in constant time.
func VerifySecret(secret, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false, ErrBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrBadHash
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 {
		return false, ErrBadHash
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return false, ErrBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) < 16 {
		return false, ErrBadHash
	}
	got := argon2.IDKey([]byte(secret), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// Secret kinds a member signs in with.
const (
	SecretPassword = "password"
	SecretPIN      = "pin"
)

// ErrWeakSecret is returned for a password or PIN that does not meet the rules.
var ErrWeakSecret = errors.New("password or PIN is too weak")

// weakSecret is ErrWeakSecret (errors.Is) with the rule the secret
// breaks: its text "password or PIN is too weak: a password needs at least
// 8 characters", as the CLI prints it; its Reason the rule alone, which
// app.FormatError sends the window and SecretProblem says as it is typed.
type weakSecret struct{ rule string }

func (e *weakSecret) Error() string        { return ErrWeakSecret.Error() + ": " + e.rule }
func (e *weakSecret) Reason() string       { return e.rule }
func (e *weakSecret) Is(target error) bool { return target == ErrWeakSecret }

// SecretProblem says what is wrong with a new password or PIN as typed, in
// the words its refusal says (checkSecret's, as a sentence: "A password
// needs at least 8 characters."), or "" when it would be taken. An empty
// one is asked for ("Enter a password."), not measured. The window's forms
// (first-run wizard, My account, a new member, a reset) show it while it is
// typed, so that the rule and its words are the backend's only.
func SecretProblem(kind, secret string) string {
	if secret == "" {
		switch kind {
		case SecretPassword:
			return "Enter a password."
		case SecretPIN:
			return "Enter a PIN."
		}
	}
	err := checkSecret(kind, secret)
	if err == nil {
		return ""
	}
	if words := inputerr.Sentence(err); words != "" {
		return words + "."
	}
	return err.Error()
}

// checkSecret validates a new secret: a password has at least 8 characters;
// a PIN is 4 to 12 digits.
func checkSecret(kind, secret string) error {
	switch kind {
	case SecretPassword:
		if utf8.RuneCountInString(secret) < 8 {
			return &weakSecret{"a password needs at least 8 characters"}
		}
		if len(secret) > 1024 {
			return inputerr.New(ErrInvalid, "a password may have at most 1024 bytes")
		}
	case SecretPIN:
		n := utf8.RuneCountInString(secret)
		if n < 4 || n > 12 {
			return &weakSecret{"a PIN has 4 to 12 digits"}
		}
		for _, r := range secret {
			if r > unicode.MaxASCII || !unicode.IsDigit(r) {
				return &weakSecret{"a PIN has digits only"}
			}
		}
	default:
		return inputerr.New(ErrInvalid, "secret kind %q (want password or pin)", kind)
	}
	return nil
}
