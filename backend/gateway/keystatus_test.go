package gateway_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/gateway"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/team"
)

// A key's Status says whether it is served: the keys of a removed member
// are "member removed" (refused with 401 for good), not "active", and name
// the member "bob (removed)", so they are told from the keys of the member
// given the name since; a disabled member's keys are "member disabled". A
// key for a removed member is refused as such, not as "disabled".
func TestKeyStatusFollowsTheMember(t *testing.T) {
	e := newEnv(t, "1") // bob has the key "test"
	carol, err := e.team.AddMember(e.admin, team.NewMember{Name: "carol", Role: access.RoleMember,
		SecretKind: team.SecretPassword, Secret: "third horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	carolKey, err := e.gw.CreateKey(e.admin, carol.ID, "script")
	if err != nil {
		t.Fatal(err)
	}
	revoked, err := e.gw.CreateKey(e.admin, carol.ID, "old")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.gw.RevokeKey(e.admin, revoked.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.team.DisableMember(e.admin, carol.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.team.RemoveMember(e.admin, e.bob.ID); err != nil {
		t.Fatal(err)
	}
	newBob, err := e.team.AddMember(e.admin, team.NewMember{Name: "bob", Role: access.RoleMember,
		SecretKind: team.SecretPassword, Secret: "fourth horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.gw.CreateKey(e.admin, newBob.ID, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.gw.Authenticate(context.Background(), e.bobKey); !errors.Is(err, gateway.ErrBadKey) {
		t.Fatalf("the removed member's key: %v", err)
	}
	if _, err := e.gw.Authenticate(context.Background(), carolKey.Secret); !errors.Is(err, gateway.ErrBadKey) {
		t.Fatalf("the disabled member's key: %v", err)
	}
	all, err := e.gw.ListKeys(e.admin, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range all {
		got = append(got, k.Member+" "+k.Name+": "+k.Status)
	}
	want := []string{"bob test: active", "carol old: revoked", "carol script: member disabled", "bob (removed) test: member removed"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("keys %q, want %q", got, want)
	}

	// A key for the removed member: refused as removed, nothing written.
	before := len(all)
	_, err = e.gw.CreateKey(e.admin, e.bob.ID, "x")
	if !errors.Is(err, team.ErrNotFound) || errors.Is(err, team.ErrDisabled) || !strings.Contains(err.Error(), "removed") ||
		strings.Contains(err.Error(), "disabled") {
		t.Errorf("a key for a removed member: %v", err)
	}
	// Named as every refusal for a removed member names them (team.Removed),
	// never by id: it said "create an API key for bob (removed): not found:
	// member 2 was removed".
	if got, want := err.Error(), "create an API key: bob was removed"; got != want {
		t.Errorf("a key for a removed member: %q, want %q", got, want)
	}
	if got, want := inputerr.Sentence(err), "bob was removed"; got != want {
		t.Errorf("a key for a removed member reads %q in the window, want %q", got, want)
	}
	if all, _ := e.gw.ListKeys(e.admin, 0); len(all) != before {
		t.Errorf("%d keys after the refusal, want %d", len(all), before)
	}
}
