package core

import (
	"context"
	"errors"
	"testing"
	"time"

	"meterdesk/backend/store"
)

// TestUpgradeWaitsForTheFolderToItself: a database this version must
// migrate is upgraded only while no other Meterdesk process has the folder
// open (one of the earlier version would go on against a schema it does
// not know): with one open the upgrade is refused, naming the reason, and
// nothing is applied; once it closes, the upgrade runs. A database with
// nothing to apply opens beside another process as always.
func TestUpgradeWaitsForTheFolderToItself(t *testing.T) {
	dir := t.TempDir()
	b, err := Open(context.Background(), Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	// The database as the previous version left it: migration 0700 not applied.
	for _, q := range []string{`DROP TRIGGER team_usage_quarters_count`, `DROP TABLE team_usage_quarters`,
		`DELETE FROM schema_migrations WHERE version = 700`} {
		if _, err := b.DB.Writer().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	defer func(w time.Duration) { upgradeWait = w }(upgradeWait)
	upgradeWait = 200 * time.Millisecond

	other, err := lockShared(context.Background(), dir) // an older window, say
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), Options{DataDir: dir}); !errors.Is(err, ErrUpgradeInUse) || !errors.Is(err, ErrInUse) {
		t.Fatalf("upgrade beside another process: %v, want ErrUpgradeInUse", err)
	}
	if ins, err := store.Inspect(context.Background(), dir, store.InspectOptions{}); err != nil || !ins.Pending {
		t.Fatalf("the refused upgrade applied something: needs migration %v (%v)", ins.Pending, err)
	}
	if err := other.Release(); err != nil {
		t.Fatal(err)
	}
	b, err = Open(context.Background(), Options{DataDir: dir})
	if err != nil {
		t.Fatalf("upgrade alone: %v", err)
	}
	var n int
	if err := b.DB.Read().QueryRow(`SELECT count(*) FROM schema_migrations WHERE version = 700`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("migration 700 applied %d times (%v)", n, err)
	}
	// Nothing to apply: a second process opens beside the first.
	second, err := Open(context.Background(), Options{DataDir: dir})
	if err != nil {
		t.Fatalf("a second process without an upgrade: %v", err)
	}
	if err := second.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
}
