package store

import (
	"context"
	"testing"
)

// TestOthersVersionChangesOnlyForOtherConnections: the writer's own commits
// leave it alone; a second DB on the same file (another process) changes it.
func TestOthersVersionChangesOnlyForOtherConnections(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	other, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	v0, err := db.OthersVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetSetting(ctx, "test.own", "1"); err != nil {
		t.Fatal(err)
	}
	if v, err := db.OthersVersion(ctx); err != nil || v != v0 {
		t.Fatalf("own commit changed OthersVersion %d -> %d (%v)", v0, v, err)
	}
	if err := other.SetSetting(ctx, "test.other", "1"); err != nil {
		t.Fatal(err)
	}
	if v, err := db.OthersVersion(ctx); err != nil || v == v0 {
		t.Fatalf("another connection's commit left OthersVersion unchanged: %d -> %d (%v)", v0, v, err)
	}
	db.Close()
	if _, err := db.OthersVersion(ctx); err == nil {
		t.Fatal("OthersVersion on a closed DB gave no error")
	}
}

// BenchmarkOthersVersion is what the window's once-a-second look for other
// processes' changes costs (core.WatchOthers).
func BenchmarkOthersVersion(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := db.OthersVersion(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
