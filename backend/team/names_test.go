package team

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
	"meterdesk/backend/store"
)

// TestMemberNamesOneRule: sign-in names are stored NFKC and are one name
// regardless of case (Unicode folding), width and look-alike letters; a
// name mixing Latin with Cyrillic or Greek letters is refused. The window
// and the CLI both call AddMember, so this is the rule for both.
func TestMemberNamesOneRule(t *testing.T) {
	e := newEnv(t).setup("UTC") // admin "alice"
	ctx := e.adminCtx()
	for _, n := range []string{"bob", "ss", "Ops.Lead", "иван"} {
		e.addMember(n, nil)
	}
	for _, c := range []struct {
		name   string
		want   error
		stored string // "" when refused
		says   string
	}{
		{"аlice", ErrInvalid, "", "mixes Cyrillic and Latin letters"}, // Cyrillic а
		{"alicе", ErrInvalid, "", "mixes Latin and Cyrillic letters"}, // Cyrillic е
		{"Ορs.Lead", ErrInvalid, "", "mixes Greek and Latin letters"},
		{"ALICE", ErrExists, "", `a member named "alice"`},
		{"Ｂｏｂ", ErrExists, "", `a member named "bob", which "Bob" is taken for`}, // full-width
		{"ВОВ", ErrExists, "", `a member named "bob", which "ВОВ" is taken for`}, // Cyrillic look-alikes
		{"ß", ErrExists, "", `a member named "ss"`},
		{"SS", ErrExists, "", `a member named "ss"`},
		{"OPS.LEAD", ErrExists, "", `a member named "Ops.Lead"`},
		{"ИВАН", ErrExists, "", `a member named "иван"`},
		{"１２", ErrInvalid, "", "a number is read as a member id"}, // full-width digits are digits
		{"ｃａｒｌ", nil, "carl", ""},
		{"ivan.иванов", nil, "ivan.иванов", ""}, // parts in two alphabets are fine
		{"Ærøskøbing", nil, "Ærøskøbing", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, err := e.svc.AddMember(ctx, NewMember{Name: c.name, SecretKind: SecretPIN, Secret: "1234"})
			if c.want == nil {
				if err != nil || m.Name != c.stored {
					t.Fatalf("AddMember(%q) = %q, %v; want stored as %q", c.name, m.Name, err, c.stored)
				}
				return
			}
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("AddMember(%q) = %v; want %v saying %q", c.name, err, c.want, c.says)
			}
		})
	}
	// Finding and signing in use the same rule: the exact name first.
	for typed, want := range map[string]string{"CARL": "carl", "ｃａｒｌ": "carl", "Ｂｏｂ": "bob", "ВОВ": "bob", "SS": "ss", "ß": "ss"} {
		m, err := e.svc.MemberByName(ctx, typed)
		if err != nil || m.Name != want {
			t.Errorf("MemberByName(%q) = %q, %v; want %q", typed, m.Name, err, want)
		}
		a, err := e.svc.Authenticate(context.Background(), typed, "1234")
		if err != nil || a.Name != want {
			t.Errorf("Authenticate(%q) = %q, %v; want %q", typed, a.Name, err, want)
		}
	}
	// A removed member's name (and its look-alikes) is free again.
	bob, _ := e.svc.MemberByName(ctx, "bob")
	if _, err := e.svc.RemoveMember(ctx, bob.ID); err != nil {
		t.Fatal(err)
	}
	if m, err := e.svc.AddMember(ctx, NewMember{Name: "Ｂｏｂ", SecretKind: SecretPIN, Secret: "1234"}); err != nil || m.Name != "Bob" {
		t.Fatalf("re-adding a removed member's name: %q, %v", m.Name, err)
	}
}

// TestDepartmentNamesOneRule: department names follow the same rule; a
// name may hold words in two alphabets, not a word mixing them.
func TestDepartmentNamesOneRule(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	eng, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Eng"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Отдел R&D"}); err != nil {
		t.Fatal(err)
	}
	spare, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Spare"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		want error
		says string
	}{
		{"Еng", ErrInvalid, `"Еng" mixes Cyrillic and Latin letters`},
		{"R&D Отдeл", ErrInvalid, `"Отдeл" mixes Cyrillic and Latin letters`},
		{"ENG", ErrExists, `a department named "Eng"`},
		{"Ｅｎｇ", ErrExists, `a department named "Eng"`},
		{"ＥＮＧ", ErrExists, `a department named "Eng", which "ENG" is taken for`},
		{"E\u200bng", ErrExists, `a department named "Eng"`}, // a zero-width space
		{"ОТДЕЛ  R&D", ErrExists, `a department named "Отдел R&D"`},
	} {
		if _, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: c.name}); !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("CreateDepartment(%q) = %v; want %v saying %q", c.name, err, c.want, c.says)
		}
		if _, err := e.svc.UpdateDepartment(ctx, spare.ID, DepartmentInput{Name: c.name, Overdraft: "0"}); !errors.Is(err, c.want) {
			t.Errorf("rename to %q = %v; want %v", c.name, err, c.want)
		}
	}
	if d, err := e.svc.UpdateDepartment(ctx, eng.ID, DepartmentInput{Name: "ＥＮＧ", Overdraft: "0"}); err != nil || d.Name != "ENG" {
		t.Errorf("renaming Eng to its own name in capitals: %q, %v", d.Name, err)
	}
}

// TestAPIKeyNameRuleIsShared is in backend/gateway; providers in
// backend/providers.

// undoNameKeys puts the schema back as it was before migration 0710 (NOCASE
// unique indexes, no name_key) and forgets that it ran.
func undoNameKeys(t *testing.T, db *store.DB) {
	t.Helper()
	for _, q := range []string{
		"DROP TRIGGER users_name_key_insert", "DROP TRIGGER users_name_key_rename",
		"DROP TRIGGER departments_name_key_insert", "DROP TRIGGER departments_name_key_rename",
		"DROP TRIGGER providers_name_key_insert", "DROP TRIGGER providers_name_key_rename",
		"DROP INDEX users_name_key", "DROP INDEX departments_name_key", "DROP INDEX providers_name_key",
		"ALTER TABLE users DROP COLUMN name_key", "ALTER TABLE departments DROP COLUMN name_key",
		"ALTER TABLE providers DROP COLUMN name_key",
		"CREATE UNIQUE INDEX departments_name ON departments(name COLLATE NOCASE) WHERE archived = 0",
		"CREATE UNIQUE INDEX users_name ON users(name COLLATE NOCASE) WHERE status <> 'removed'",
		"CREATE UNIQUE INDEX providers_name ON providers(name COLLATE NOCASE)",
		"DELETE FROM schema_migrations WHERE version = 710",
	} {
		if _, err := db.Writer().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// TestMigrationKeepsLookAlikeNames: a database where earlier versions let
// look-alike names in (one name by the new rule) migrates without failing;
// every row and name stays, each stays reachable by its exact name, the
// oldest is the one the rule finds, and new look-alikes are refused.
func TestMigrationKeepsLookAlikeNames(t *testing.T) {
	e := newEnv(t).setup("UTC") // admin "alice" (id 1)
	undoNameKeys(t, e.db)
	const ts = "2026-06-15T12:00:00Z"
	for _, q := range []string{
		`INSERT INTO users(name, role, secret_kind, secret_hash, created_at, updated_at) VALUES
			('аlice', 'member', 'pin', 'x', '` + ts + `', '` + ts + `'),
			('bob', 'member', 'pin', 'x', '` + ts + `', '` + ts + `'),
			('Ｂｏｂ', 'member', 'pin', 'x', '` + ts + `', '` + ts + `'),
			('ß', 'member', 'pin', 'x', '` + ts + `', '` + ts + `'),
			('SS', 'member', 'pin', 'x', '` + ts + `', '` + ts + `')`,
		`INSERT INTO users(name, role, secret_kind, secret_hash, status, created_at, updated_at) VALUES
			('BOB', 'member', 'pin', 'x', 'removed', '` + ts + `', '` + ts + `')`,
		`INSERT INTO departments(name, created_at, updated_at) VALUES ('Eng', '` + ts + `', '` + ts + `'), ('Еng', '` + ts + `', '` + ts + `')`,
		`INSERT INTO providers(name, kind, base_url, secret_ref, created_at, updated_at) VALUES
			('Local', 'openai_compatible', 'http://127.0.0.1:1/v1', 'r1', '` + ts + `', '` + ts + `'),
			('Lосal', 'openai_compatible', 'http://127.0.0.1:2/v1', 'r2', '` + ts + `', '` + ts + `')`,
	} {
		if _, err := e.db.Writer().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	e.db.Close()
	db, err := store.Open(context.Background(), filepath.Dir(e.db.Path))
	if err != nil {
		t.Fatalf("the migration failed on look-alike names: %v", err)
	}
	defer db.Close()
	for table, want := range map[string]int{"users": 7, "departments": 2, "providers": 2} {
		var n, keyed int
		if err := db.Read().QueryRow("SELECT count(*), count(name_key) FROM "+table).Scan(&n, &keyed); err != nil || n != want || keyed != want {
			t.Errorf("%s: %d rows, %d with a key (%v); want %d each", table, n, keyed, err, want)
		}
	}
	led := ledger.New(db, e.rec, e.clock.Now)
	defer led.Close()
	svc := New(db, led, e.rec, e.clock.Now)
	svc.SetHashParams(testHash)
	ctx := access.WithActor(context.Background(), e.admin)
	for typed, want := range map[string]string{"alice": "alice", "аlice": "аlice", "bob": "bob", "Ｂｏｂ": "Ｂｏｂ", "ß": "ß", "SS": "SS", "ss": "SS"} {
		m, err := svc.MemberByName(ctx, typed)
		if err != nil || m.Name != want {
			t.Errorf("after the migration MemberByName(%q) = %q, %v; want %q", typed, m.Name, err, want)
		}
	}
	if _, err := svc.AddMember(ctx, NewMember{Name: "BOB", SecretKind: SecretPIN, Secret: "1234"}); !errors.Is(err, ErrExists) {
		t.Errorf("a new look-alike after the migration: %v, want ErrExists", err)
	}
	// With the holder of the plain key removed, the kept look-alike (its
	// key suffixed) still keeps a third spelling out.
	bob, err := svc.MemberByName(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RemoveMember(ctx, bob.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddMember(ctx, NewMember{Name: "BOB", SecretKind: SecretPIN, Secret: "1234"}); !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), "Ｂｏｂ") {
		t.Errorf("a look-alike of the kept Ｂｏｂ once bob is removed: %v, want ErrExists naming Ｂｏｂ", err)
	}
	// The look-alike department can still be edited under its name, and
	// renamed to a free one.
	var dupe int64
	if err := db.Read().QueryRow("SELECT id FROM departments WHERE name = 'Еng'").Scan(&dupe); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.UpdateDepartment(ctx, dupe, DepartmentInput{Name: "Еng", Overdraft: "0", Budget: "5"}); err != nil {
		t.Errorf("editing a department kept under its look-alike name: %v", err)
	}
	if _, err := svc.UpdateDepartment(ctx, dupe, DepartmentInput{Name: "ENG", Overdraft: "0"}); !errors.Is(err, ErrExists) {
		t.Errorf("renaming it to the other's name: %v, want ErrExists", err)
	}
	if d, err := svc.UpdateDepartment(ctx, dupe, DepartmentInput{Name: "Eng 2", Overdraft: "0"}); err != nil || d.Name != "Eng 2" {
		t.Errorf("renaming it to a free name: %q, %v", d.Name, err)
	}
}

// TestNameTakenWords: a name taken is refused with ErrExists in Go's words
// (the CLI's, unchanged: "add member "alice": already exists: a member
// named "alice"") and with a reason the window shows as a sentence, with
// no operation and no Go kind.
func TestNameTakenWords(t *testing.T) {
	e := newEnv(t).setup("UTC") // admin "alice"
	ctx := e.adminCtx()
	if _, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Research"}); err != nil {
		t.Fatal(err)
	}
	add := func(name string) error {
		_, err := e.svc.AddMember(ctx, NewMember{Name: name, SecretKind: SecretPIN, Secret: "1234"})
		return err
	}
	dept := func(name string) error {
		_, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: name})
		return err
	}
	const rule = " (names are compared regardless of case, width and look-alike letters)"
	for _, c := range []struct {
		name         string
		err          error
		text, reason string
	}{
		{"member", add("alice"), `add member "alice": already exists: a member named "alice"`, `a member named "alice" already exists`},
		{"member in capitals", add("ALICE"), `add member "ALICE": already exists: a member named "alice", which "ALICE" is taken for` + rule,
			`"ALICE" is taken: a member named "alice" already exists` + rule},
		{"department", dept("Research"), `create department "Research": already exists: a department named "Research"`, `a department named "Research" already exists`},
		{"department in capitals", dept("RESEARCH"), `create department "RESEARCH": already exists: a department named "Research", which "RESEARCH" is taken for` + rule,
			`"RESEARCH" is taken: a department named "Research" already exists` + rule},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !errors.Is(c.err, ErrExists) || c.err.Error() != c.text {
				t.Errorf("err %v\nwant %s (ErrExists)", c.err, c.text)
			}
			var r interface{ Reason() string }
			if !errors.As(c.err, &r) || r.Reason() != c.reason {
				t.Errorf("reason of %v\nwant %q", c.err, c.reason)
			}
		})
	}
}
