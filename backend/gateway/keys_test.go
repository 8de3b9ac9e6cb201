package gateway_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/gateway"
	"meterdesk/backend/team"
)

// TestKeys: keys are shown once, stored only as a hash, listed per member
// (all for admins), revocable by their member or an admin, and nobody else.
func TestKeys(t *testing.T) {
	e := newEnv(t, "1")
	carol, err := e.team.AddMember(e.admin, team.NewMember{Name: "carol", Role: access.RoleMember,
		SecretKind: team.SecretPassword, Secret: "third horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	k, err := e.gw.CreateKey(e.admin, carol.ID, "  ci script ")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(k.Secret, "mdk_") || len(k.Secret) != 4+12+1+43 || k.Name != "ci script" || k.Member != "carol" ||
		!strings.HasPrefix(k.Secret, strings.TrimSuffix(k.Hint, "…")) {
		t.Fatalf("new key %+v", k)
	}
	// Only the hash is stored.
	sum := sha256.Sum256([]byte(k.Secret))
	if n := e.count(`SELECT count(*) FROM gateway_keys WHERE key_hash = ?`, hex.EncodeToString(sum[:])); n != 1 {
		t.Fatalf("hash rows %d", n)
	}
	if n := e.count(`SELECT count(*) FROM gateway_keys WHERE key_hash = ? OR key_id = ? OR name = ?`, k.Secret, k.Secret, k.Secret); n != 0 {
		t.Fatal("the key is stored in plain text")
	}
	a, err := e.gw.Authenticate(context.Background(), k.Secret)
	if err != nil || a.UserID != carol.ID || a.Name != "carol" || a.Role != access.RoleMember {
		t.Fatalf("authenticate: %+v %v", a, err)
	}

	cases := []struct {
		name string
		ctx  context.Context
		run  func(ctx context.Context) error
		want error
	}{
		{"member creates for another", e.as(e.bob), func(ctx context.Context) error {
			_, err := e.gw.CreateKey(ctx, carol.ID, "x")
			return err
		}, access.ErrForbidden},
		{"anonymous creates", context.Background(), func(ctx context.Context) error {
			_, err := e.gw.CreateKey(ctx, carol.ID, "x")
			return err
		}, access.ErrUnauthenticated},
		{"name too long", e.admin, func(ctx context.Context) error {
			_, err := e.gw.CreateKey(ctx, carol.ID, strings.Repeat("n", 81))
			return err
		}, gateway.ErrInvalid},
		{"no name", e.admin, func(ctx context.Context) error {
			_, err := e.gw.CreateKey(ctx, carol.ID, "  ")
			return err
		}, gateway.ErrInvalid},
		{"name of an active key, other case", e.admin, func(ctx context.Context) error {
			_, err := e.gw.CreateKey(ctx, carol.ID, "CI Script")
			return err
		}, gateway.ErrNameTaken},
		{"name of an active key, full-width", e.admin, func(ctx context.Context) error {
			_, err := e.gw.CreateKey(ctx, carol.ID, "ｃｉ　ｓｃｒｉｐｔ")
			return err
		}, gateway.ErrNameTaken},
		{"name of an active key, look-alike letters", e.admin, func(ctx context.Context) error {
			_, err := e.gw.CreateKey(ctx, carol.ID, "сі  script") // a Cyrillic word "сі", two spaces
			return err
		}, gateway.ErrNameTaken},
		{"name mixing alphabets in a word", e.admin, func(ctx context.Context) error {
			_, err := e.gw.CreateKey(ctx, carol.ID, "lаptop") // Cyrillic а
			return err
		}, gateway.ErrInvalid},
		{"name with newline", e.admin, func(ctx context.Context) error {
			_, err := e.gw.CreateKey(ctx, carol.ID, "a\nb")
			return err
		}, gateway.ErrInvalid},
		{"unknown member", e.admin, func(ctx context.Context) error {
			_, err := e.gw.CreateKey(ctx, 999, "x")
			return err
		}, team.ErrNotFound},
		{"member lists another", e.as(e.bob), func(ctx context.Context) error {
			_, err := e.gw.ListKeys(ctx, carol.ID)
			return err
		}, access.ErrForbidden},
		{"member lists all", e.as(e.bob), func(ctx context.Context) error {
			_, err := e.gw.ListKeys(ctx, 0)
			return err
		}, access.ErrForbidden},
		{"member revokes another's", e.as(e.bob), func(ctx context.Context) error { return e.gw.RevokeKey(ctx, k.ID) }, access.ErrForbidden},
		{"revoke unknown", e.admin, func(ctx context.Context) error { return e.gw.RevokeKey(ctx, 12345) }, gateway.ErrKeyNotFound},
	}
	before := e.count(`SELECT count(*) FROM gateway_keys`)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.run(tc.ctx); !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if n := e.count(`SELECT count(*) FROM gateway_keys`); n != before {
				t.Fatalf("%d keys, want %d", n, before)
			}
			if n := e.count(`SELECT count(*) FROM gateway_keys WHERE revoked_at <> ''`); n != 0 {
				t.Fatalf("a key was revoked")
			}
		})
	}

	all, err := e.gw.ListKeys(e.admin, 0)
	if err != nil || len(all) != 2 || all[0].Member != "carol" || all[1].Member != "bob" {
		t.Fatalf("all keys %+v %v", all, err)
	}
	mine, err := e.gw.ListKeys(e.as(carol), carol.ID)
	if err != nil || len(mine) != 1 || mine[0].LastUsedAt == nil || mine[0].RevokedAt != nil {
		t.Fatalf("carol's keys %+v %v", mine, err)
	}
	if err := e.gw.RevokeKey(e.as(carol), k.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.gw.RevokeKey(e.admin, k.ID); err != nil {
		t.Fatalf("revoking twice: %v", err)
	}
	if _, err := e.gw.Authenticate(context.Background(), k.Secret); !errors.Is(err, gateway.ErrBadKey) {
		t.Fatalf("revoked key: %v", err)
	}
	mine, _ = e.gw.ListKeys(e.as(carol), carol.ID)
	if mine[0].RevokedAt == nil {
		t.Fatal("not marked revoked")
	}
	// A revoked key's name is free again; another member's key may share it.
	if _, err := e.gw.CreateKey(e.as(carol), carol.ID, "ci script"); err != nil {
		t.Fatalf("reusing a revoked key's name: %v", err)
	}
	if _, err := e.gw.CreateKey(e.admin, e.bob.ID, "ci script"); err != nil {
		t.Fatalf("another member's key with the same name: %v", err)
	}
	// A disabled member cannot get a key.
	if _, err := e.team.DisableMember(e.admin, carol.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.gw.CreateKey(e.admin, carol.ID, "x"); !errors.Is(err, team.ErrDisabled) {
		t.Fatalf("disabled: %v", err)
	}
}

// TestAuthSchemeInAnyCase: "Authorization: bearer KEY" is the same scheme as
// "Bearer" (RFC 9110 §11.1); another scheme is a missing key.
func TestAuthSchemeInAnyCase(t *testing.T) {
	e := newEnv(t, "100")
	for _, c := range []struct {
		header string
		status int
	}{
		{"bearer " + e.bobKey, http.StatusOK},
		{"BEARER  " + e.bobKey, http.StatusOK},
		{"Basic " + e.bobKey, http.StatusUnauthorized},
		{e.bobKey, http.StatusUnauthorized},
	} {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/v1/models", nil)
		req.Header.Set("Authorization", c.header)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%q: %d, want %d", c.header[:6], resp.StatusCode, c.status)
		}
	}
}
