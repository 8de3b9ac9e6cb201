package team

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
)

func TestHashSecretDefaultParams(t *testing.T) {
	h, err := HashSecret("correct horse", DefaultHashParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not PHC argon2id with the default params", h)
	}
	ok, err := VerifySecret("correct horse", h)
	if err != nil || !ok {
		t.Fatalf("verify: %v %v", ok, err)
	}
	ok, err = VerifySecret("correct horsf", h)
	if err != nil || ok {
		t.Fatalf("wrong secret verified: %v %v", ok, err)
	}
	h2, err := HashSecret("correct horse", DefaultHashParams)
	if err != nil {
		t.Fatal(err)
	}
	if h2 == h {
		t.Fatal("two hashes of one secret are equal: the salt is not random")
	}
}

// TestVerifySecretIndependentVector builds a PHC string from argon2.IDKey
// directly, so the parser is checked against the library, not against itself.
func TestVerifySecretIndependentVector(t *testing.T) {
	salt := []byte("0123456789abcdef")
	key := argon2.IDKey([]byte("hunter22"), salt, 3, 2048, 2, 32)
	enc := fmt.Sprintf("$argon2id$v=19$m=2048,t=3,p=2$%s$%s",
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
	if ok, err := VerifySecret("hunter22", enc); err != nil || !ok {
		t.Fatalf("verify: %v %v", ok, err)
	}
	if ok, err := VerifySecret("hunter23", enc); ok || err != nil {
		t.Fatalf("wrong secret: verified %v, %v; want false without an error", ok, err)
	}
	// The same key with different params must not verify.
	wrong := strings.Replace(enc, "t=3", "t=2", 1)
	if ok, err := VerifySecret("hunter22", wrong); ok || err != nil {
		t.Fatalf("the wrong time parameter: verified %v, %v; want false without an error", ok, err)
	}
}

func TestVerifySecretMalformed(t *testing.T) {
	good, err := HashSecret("password1", testHash)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	for name, enc := range map[string]string{
		"empty":        "",
		"bcrypt":       "$2a$10$abcdefghijklmnopqrstuv",
		"argon2i":      strings.Replace(good, "argon2id", "argon2i", 1),
		"version":      strings.Replace(good, "v=19", "v=16", 1),
		"params":       strings.Replace(good, parts[3], "m=x,t=1,p=1", 1),
		"zero memory":  strings.Replace(good, parts[3], "m=0,t=1,p=1", 1),
		"salt base64":  strings.Replace(good, parts[4], "!!!", 1),
		"short key":    strings.Replace(good, parts[5], "AAAA", 1),
		"extra fields": good + "$x",
	} {
		t.Run(name, func(t *testing.T) {
			ok, err := VerifySecret("password1", enc)
			if ok || !errors.Is(err, ErrBadHash) {
				t.Fatalf("got %v, %v; want ErrBadHash", ok, err)
			}
		})
	}
}

func TestCheckSecret(t *testing.T) {
	for _, c := range []struct {
		kind, secret string
		ok           bool
	}{
		{SecretPassword, "12345678", true},
		{SecretPassword, "1234567", false},
		{SecretPassword, "ünïcödé!", true},
		{SecretPIN, "1234", true},
		{SecretPIN, "123456789012", true},
		{SecretPIN, "123", false},
		{SecretPIN, "1234567890123", false},
		{SecretPIN, "12a4", false},
		{SecretPIN, "١٢٣٤", false}, // Arabic-Indic digits
		{"token", "whatever-long", false},
	} {
		err := checkSecret(c.kind, c.secret)
		if (err == nil) != c.ok {
			t.Errorf("checkSecret(%s, %q) = %v, want ok=%v", c.kind, c.secret, err, c.ok)
		}
	}
}
