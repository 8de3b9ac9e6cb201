package gateway_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/audit/audittest"
	"meterdesk/backend/gateway"
)

// entries returns the audit entries whose action starts with prefix.
func entries(t *testing.T, e *env, prefix string) []audittest.Entry {
	t.Helper()
	var out []audittest.Entry
	for _, x := range audittest.Entries(t, e.db) {
		if strings.HasPrefix(x.Action, prefix) {
			out = append(out, x)
		}
	}
	return out
}

// Creating and revoking an API key, by its member or an admin, is in the
// audit log with the key's name and public hint, never its secret; a
// revoke of a revoked key changes nothing and logs nothing.
func TestKeyChangesAreAudited(t *testing.T) {
	e := newEnv(t, "1") // bob created his key "test" himself
	k, err := e.gw.CreateKey(e.admin, e.bob.ID, "ci")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.gw.RevokeKey(e.as(e.bob), k.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.gw.RevokeKey(e.admin, k.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.gw.CreateKey(e.as(e.bob), e.bob.ID+100, "not mine"); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("a key for another member: %v", err)
	}
	got := entries(t, e, "apikey.")
	bob := "user:" + strconv.FormatInt(e.bob.ID, 10)
	want := []struct{ actor, action, json string }{
		{"bob", "apikey.create", `"name":"test"`},
		{"alice", "apikey.create", `"name":"ci","hint":"` + k.Hint + `","member":"bob"}`},
		{"bob", "apikey.revoke", `"name":"ci","hint":"` + k.Hint + `","member":"bob"}`},
	}
	if len(got) != len(want) {
		t.Fatalf("entries %+v", got)
	}
	for i, w := range want {
		g := got[i]
		if g.ActorName != w.actor || g.Action != w.action || g.Target != bob || !strings.Contains(g.Before+g.After, w.json) {
			t.Errorf("entry %d = %+v, want %s by %s with %s", i, g, w.action, w.actor, w.json)
		}
		if strings.Contains(g.Before+g.After, k.Secret) || strings.Contains(g.Before+g.After, e.bobKey) {
			t.Errorf("entry %d holds a secret: %+v", i, g)
		}
	}
}

// A change of the API's settings is one transaction with its audit entry
// (before and after); a refused or unchanged setting logs nothing.
func TestConfigChangesAreAudited(t *testing.T) {
	e := newEnv(t, "1")
	if _, err := e.gw.SetConfig(e.admin, gateway.Config{Addr: "0.0.0.0:9999"}); !errors.Is(err, gateway.ErrRemoteNotAllowed) {
		t.Fatalf("remote without opt-in: %v", err)
	}
	if _, err := e.gw.SetConfig(e.as(e.bob), gateway.Config{Addr: "127.0.0.1:9999"}); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("member: %v", err)
	}
	if _, err := e.gw.SetConfig(e.admin, gateway.Config{}); err != nil { // the defaults: no change
		t.Fatal(err)
	}
	if got := entries(t, e, "api."); len(got) != 0 {
		t.Fatalf("refused or unchanged settings were logged: %+v", got)
	}
	if _, err := e.gw.SetConfig(e.admin, gateway.Config{Addr: "0.0.0.0:9999", AllowRemote: true, Enabled: true}); err != nil {
		t.Fatal(err)
	}
	got := entries(t, e, "api.")
	want := audittest.Entry{ActorID: got[0].ActorID, ActorName: "alice", Action: "api.settings", Target: "api",
		Before: `{"addr":"` + gateway.DefaultAddr + `","allowRemote":false,"enabled":false}`,
		After:  `{"addr":"0.0.0.0:9999","allowRemote":true,"enabled":true}`}
	if len(got) != 1 || got[0] != want || got[0].ActorID == 0 {
		t.Fatalf("entries %+v, want %+v", got, want)
	}
	if c, err := e.gw.Config(e.admin); err != nil || c != (gateway.Config{Addr: "0.0.0.0:9999", AllowRemote: true, Enabled: true}) {
		t.Fatalf("stored %+v %v", c, err)
	}
}
