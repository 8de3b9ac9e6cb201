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

// The rule of a new secret, in one place: checkSecret applies it and
// SecretKinds says it.
const (
	minPasswordChars = 8  // a password has at least this many characters
	minPINDigits     = 4  // a PIN has this many digits or more
	maxPINDigits     = 12 // and this many or fewer
)

// SecretKind is a kind of secret a member may sign in with and its rule, in
// the words the window and the CLI show where one is chosen or typed:
// Label names it with its rule where it is chosen ("Password (8+
// characters)", the first-run wizard's and My account's choice), Hint says
// the rule under the field it is typed in ("At least 8 characters."), and
// Rule is the same within a sentence ("at least 8 characters", the CLI's
// prompt: "New password for alice (at least 8 characters): ").
type SecretKind struct {
	Kind  string `json:"kind"`  // SecretPassword or SecretPIN
	Name  string `json:"name"`  // "password", "PIN": as a sentence names it
	Label string `json:"label"` // "Password (8+ characters)"
	Hint  string `json:"hint"`  // "At least 8 characters."
	Rule  string `json:"rule"`  // "at least 8 characters"
}

// SecretKinds lists the kinds of secret, password first, each with its rule
// as checkSecret applies it: changing the rule here changes what the
// window's labels and the CLI's prompts say.
func SecretKinds() []SecretKind {
	pw := fmt.Sprintf("at least %d characters", minPasswordChars)
	pin := fmt.Sprintf("%d to %d digits", minPINDigits, maxPINDigits)
	return []SecretKind{
		{Kind: SecretPassword, Name: "password", Label: fmt.Sprintf("Password (%d+ characters)", minPasswordChars),
			Hint: fmt.Sprintf("At least %d characters.", minPasswordChars), Rule: pw},
		{Kind: SecretPIN, Name: "PIN", Label: fmt.Sprintf("PIN (%d–%d digits)", minPINDigits, maxPINDigits),
			Hint: pin + ".", Rule: pin},
	}
}

// SecretKindOf is kind's entry of SecretKinds (an unknown kind: its name
// alone, no rule).
func SecretKindOf(kind string) SecretKind {
	for _, k := range SecretKinds() {
		if k.Kind == kind {
			return k
		}
	}
	return SecretKind{Kind: kind, Name: kind, Label: kind}
}

// checkSecret validates a new secret: a password has at least
// minPasswordChars characters; a PIN is minPINDigits to maxPINDigits digits.
func checkSecret(kind, secret string) error {
	switch kind {
	case SecretPassword:
		if utf8.RuneCountInString(secret) < minPasswordChars {
			return &weakSecret{"a password needs " + SecretKindOf(SecretPassword).Rule}
		}
		if len(secret) > 1024 {
			return inputerr.New(ErrInvalid, "a password may have at most 1024 bytes")
		}
	case SecretPIN:
		n := utf8.RuneCountInString(secret)
		if n < minPINDigits || n > maxPINDigits {
			return &weakSecret{"a PIN has " + SecretKindOf(SecretPIN).Rule}
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
