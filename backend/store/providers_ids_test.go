package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// providersBefore0970 is the providers table as migrations 0300 and 0710
// left it: ids without AUTOINCREMENT.
const providersBefore0970 = `CREATE TABLE providers (
	id              INTEGER PRIMARY KEY,
	name            TEXT NOT NULL,
	kind            TEXT NOT NULL CHECK (kind IN ('openai','deepseek','anthropic','gemini','openai_compatible')),
	base_url        TEXT NOT NULL,
	secret_ref      TEXT NOT NULL UNIQUE,
	key_store       TEXT NOT NULL DEFAULT 'none' CHECK (key_store IN ('none','keychain','sealed')),
	key_sealed      BLOB,
	key_hint        TEXT NOT NULL DEFAULT '',
	reported_models TEXT NOT NULL DEFAULT '[]',
	models_at       TEXT NOT NULL DEFAULT '',
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL
, name_key TEXT)`

// Migration 0970 on a database from before it: the rows, ids and name keys
// are kept (a look-alike's suffixed key too), the index and triggers are
// there again and work, the database checks whole, and the next provider
// added gets an id above every id the providers table or the audit log
// ever named, also when the provider with the highest id was removed
// before the upgrade (its row gone, its id only in the log).
func TestMigration0970ProviderIDsAreNeverReused(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		rows   []int64 // providers left at the upgrade
		logged []int64 // provider ids the audit log names
		next   int64   // the id the next provider gets
	}{
		{"the highest-id provider removed", []int64{1, 2}, []int64{1, 2, 3}, 4},
		{"every provider removed", nil, []int64{1, 2}, 3},
		{"none ever", nil, nil, 1},
		{"nothing removed", []int64{1, 2}, []int64{1, 2}, 3},
		{"a row the log never named", []int64{5}, []int64{1}, 6},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, dir := openTemp(t)
			w := db.Writer()
			// Back to the schema before 0970, as an earlier version left it.
			for _, q := range []string{
				"DROP TABLE providers", providersBefore0970,
				"CREATE UNIQUE INDEX providers_name_key ON providers(name_key)",
				`CREATE TRIGGER providers_name_key_insert AFTER INSERT ON providers BEGIN
					UPDATE providers SET name_key = md_name_key(NEW.name) WHERE id = NEW.id;
				END`,
				`CREATE TRIGGER providers_name_key_rename AFTER UPDATE OF name ON providers WHEN NEW.name IS NOT OLD.name BEGIN
					UPDATE providers SET name_key = md_name_key(NEW.name) WHERE id = NEW.id;
				END`,
				"DELETE FROM sqlite_sequence WHERE name = 'providers'",
				"DELETE FROM schema_migrations WHERE version = 970",
			} {
				if _, err := w.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			for _, id := range c.rows {
				if _, err := w.Exec(`INSERT INTO providers(id, name, kind, base_url, secret_ref, key_store, key_sealed, created_at, updated_at)
					VALUES (?, ?, 'openai_compatible', 'http://x/v1', ?, 'sealed', x'0102', 't', 't')`, id, fmt.Sprint("P", id), fmt.Sprint("ref", id)); err != nil {
					t.Fatal(err)
				}
			}
			if len(c.rows) > 0 { // a key 0710 suffixed, kept as it is
				if _, err := w.Exec("UPDATE providers SET name_key = name_key || char(1) || id WHERE id = ?", c.rows[0]); err != nil {
					t.Fatal(err)
				}
			}
			for _, id := range c.logged {
				if _, err := w.Exec(`INSERT INTO audit_log(at, actor_name, action, target) VALUES ('t', 'alice', 'provider.add', ?)`,
					fmt.Sprint("provider:", id)); err != nil {
					t.Fatal(err)
				}
			}
			dump := func(d *DB) string {
				rows, err := d.Read().Query("SELECT * FROM providers ORDER BY id")
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				var b strings.Builder
				cols, _ := rows.Columns()
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				for rows.Next() {
					if err := rows.Scan(ptrs...); err != nil {
						t.Fatal(err)
					}
					fmt.Fprintln(&b, vals...)
				}
				return b.String()
			}
			before := dump(db)
			db.Close()

			if ins, err := Inspect(ctx, dir, InspectOptions{}); err != nil || !ins.Pending {
				t.Fatalf("Inspect before the upgrade: %+v, %v", ins, err)
			}
			db, err := Open(ctx, dir)
			if err != nil {
				t.Fatalf("the upgrade: %v", err)
			}
			defer db.Close()
			if err := Check(ctx, dir); err != nil {
				t.Fatalf("Check after the upgrade: %v", err)
			}
			if ins, err := Inspect(ctx, dir, InspectOptions{}); err != nil || ins.Pending {
				t.Fatalf("Inspect after the upgrade: %+v, %v", ins, err)
			}
			if after := dump(db); after != before {
				t.Errorf("rows changed:\n%s\nwant\n%s", after, before)
			}
			var schema string
			if err := db.Read().QueryRow("SELECT group_concat(type || ' ' || name, ', ') FROM (SELECT type, name FROM sqlite_schema WHERE tbl_name = 'providers' ORDER BY type, name)").Scan(&schema); err != nil {
				t.Fatal(err)
			}
			if want := "index providers_name_key, index sqlite_autoindex_providers_1, table providers, trigger providers_name_key_insert, trigger providers_name_key_rename"; schema != want {
				t.Errorf("providers' schema: %s\nwant %s", schema, want)
			}
			var fk int
			if err := db.Read().QueryRow("SELECT count(*) FROM pragma_foreign_key_check").Scan(&fk); err != nil || fk != 0 {
				t.Errorf("foreign_key_check: %d rows, %v", fk, err)
			}

			// The next provider: a new id, its name key set by the trigger;
			// the unique index still refuses a name taken.
			res, err := db.Writer().Exec(`INSERT INTO providers(name, kind, base_url, secret_ref, created_at, updated_at)
				VALUES ('Ｎｅｗ', 'openai', 'https://x/v1', 'new', 't', 't')`)
			if err != nil {
				t.Fatal(err)
			}
			id, _ := res.LastInsertId()
			var key string
			if err := db.Read().QueryRow("SELECT name_key FROM providers WHERE id = ?", id).Scan(&key); err != nil || id != c.next || key != "new" {
				t.Errorf("the next provider: id %d (want %d), name key %q, %v", id, c.next, key, err)
			}
			if _, err := db.Writer().Exec(`INSERT INTO providers(name, kind, base_url, secret_ref, created_at, updated_at)
				VALUES ('NEW', 'openai', 'https://x/v1', 'new2', 't', 't')`); err == nil || !strings.Contains(err.Error(), "UNIQUE") {
				t.Errorf("a name taken: %v", err)
			}
			if _, err := db.Writer().Exec("UPDATE providers SET name = 'Renamed' WHERE id = ?", id); err != nil {
				t.Fatal(err)
			}
			if err := db.Read().QueryRow("SELECT name_key FROM providers WHERE id = ?", id).Scan(&key); err != nil || key != "renamed" {
				t.Errorf("renamed: name key %q, %v", key, err)
			}
			// Removed, the highest id is not given again.
			if _, err := db.Writer().Exec("DELETE FROM providers WHERE id = ?", id); err != nil {
				t.Fatal(err)
			}
			res, err = db.Writer().Exec(`INSERT INTO providers(name, kind, base_url, secret_ref, created_at, updated_at)
				VALUES ('again', 'openai', 'https://x/v1', 'again', 't', 't')`)
			if err != nil {
				t.Fatal(err)
			}
			if again, _ := res.LastInsertId(); again != id+1 {
				t.Errorf("after removing %d, the next provider got %d", id, again)
			}
		})
	}
}
