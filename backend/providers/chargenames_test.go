package providers

import (
	"context"
	"database/sql"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/store"
)

// TestChargeNames: how the provider name stored with a charge reads now,
// for the usage reports: as it is spelled now, by its name now when renamed
// (the audit log's provider.update), "(since removed)" when it is gone (also
// a provider renamed and then removed), "(since renamed)" for a name two
// providers still here had, "provider unknown" when none was stored.
func TestChargeNames(t *testing.T) {
	ctx := access.WithActor(context.Background(), access.System)
	db, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Write(ctx, func(tx *sql.Tx) error {
		ts := "2025-01-01T00:00:00.000Z"
		for _, q := range []string{
			`INSERT INTO providers(id, name, kind, base_url, secret_ref, created_at, updated_at) VALUES
				(1, 'OpenAI', 'openai', 'https://api.openai.com/v1', 'r1', '` + ts + `', '` + ts + `'),
				(2, 'Workshop', 'openai_compatible', 'http://10.0.0.5/v1', 'r2', '` + ts + `', '` + ts + `'),
				(4, 'B', 'openai_compatible', 'http://10.0.0.7/v1', 'r4', '` + ts + `', '` + ts + `'),
				(5, 'C', 'openai_compatible', 'http://10.0.0.8/v1', 'r5', '` + ts + `', '` + ts + `')`,
			// Lab was renamed Workshop; Temp was renamed Gone2, then removed.
			`INSERT INTO audit_log(at, actor_name, action, target, before_json, after_json) VALUES
				('` + ts + `', 'admin', 'provider.update', 'provider:2', '{"name":"Lab"}', '{"name":"Workshop"}'),
				('` + ts + `', 'admin', 'provider.update', 'provider:3', '{"name":"Temp"}', '{"name":"Gone2"}'),
				('` + ts + `', 'admin', 'provider.remove', 'provider:3', '{"name":"Gone2"}', 'null'),
				('` + ts + `', 'admin', 'provider.update', 'provider:4', '{"name":"Twice"}', '{"name":"B"}'),
				('` + ts + `', 'admin', 'provider.update', 'provider:5', '{"name":"Twice"}', '{"name":"C"}'),
				('` + ts + `', 'admin', 'provider.update', 'provider:5', 'not json', 'null')`,
		} {
			if _, err := tx.Exec(q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	name, err := ChargeNames(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ stored, want string }{
		{"OpenAI", "OpenAI"},
		{"openai", "OpenAI"}, // the name key: one provider
		{"Workshop", "Workshop"},
		{"Lab", "Workshop"},
		{"Temp", "Temp (since removed)"},
		{"Gone2", "Gone2 (since removed)"},
		{"Twice", "Twice (since renamed)"}, // two providers still here had it: neither is chosen
		{"Ollama", "Ollama (since removed)"},
		{"", "provider unknown"},
		{"  ", "provider unknown"},
	} {
		if got := name(c.stored); got != c.want {
			t.Errorf("%q reads %q, want %q", c.stored, got, c.want)
		}
	}
}
