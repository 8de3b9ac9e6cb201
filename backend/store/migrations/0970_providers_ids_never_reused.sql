-- Provider ids are never handed out twice. The audit log names a provider
-- by its id ("provider:3"), and removing a provider deletes its row: with a
-- plain INTEGER PRIMARY KEY the next provider added took the id of a removed
-- one that had the highest id, and the removed provider's entries read as
-- the new one's (`meterdesk audit list --target NEWNAME` listed them too).
-- The table is rebuilt with AUTOINCREMENT (sqlite.org/lang_altertable.html,
-- "Making Other Kinds Of Table Schema Changes": new table, copy, drop,
-- rename, indexes and triggers again), keeping every row, id and name key;
-- no foreign key or view refers to providers. The counter starts at the
-- highest id still in use or named by the audit log, so an id whose
-- provider was removed before this upgrade is not given again either.
-- Logs an earlier version already gave an id twice are named per provider
-- by backend/team (audit_targets.go).
CREATE TABLE providers_new (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	name            TEXT NOT NULL,
	kind            TEXT NOT NULL CHECK (kind IN ('openai','deepseek','anthropic','gemini','openai_compatible')),
	base_url        TEXT NOT NULL,
	secret_ref      TEXT NOT NULL UNIQUE,            -- random id: keychain account and sealing context
	key_store       TEXT NOT NULL DEFAULT 'none' CHECK (key_store IN ('none','keychain','sealed')),
	key_sealed      BLOB,                            -- only when key_store = 'sealed'
	key_hint        TEXT NOT NULL DEFAULT '',        -- last 4 characters, for display
	reported_models TEXT NOT NULL DEFAULT '[]',      -- JSON array, last successful model listing
	models_at       TEXT NOT NULL DEFAULT '',        -- when reported_models was fetched (RFC 3339)
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	name_key        TEXT                             -- backend/namekey (migration 0710), kept by the triggers below
);
INSERT INTO providers_new(id, name, kind, base_url, secret_ref, key_store, key_sealed, key_hint,
		reported_models, models_at, created_at, updated_at, name_key)
	SELECT id, name, kind, base_url, secret_ref, key_store, key_sealed, key_hint,
		reported_models, models_at, created_at, updated_at, name_key FROM providers;
DROP TABLE providers;
ALTER TABLE providers_new RENAME TO providers;

CREATE UNIQUE INDEX providers_name_key ON providers(name_key);
CREATE TRIGGER providers_name_key_insert AFTER INSERT ON providers BEGIN
	UPDATE providers SET name_key = md_name_key(NEW.name) WHERE id = NEW.id;
END;
CREATE TRIGGER providers_name_key_rename AFTER UPDATE OF name ON providers WHEN NEW.name IS NOT OLD.name BEGIN
	UPDATE providers SET name_key = md_name_key(NEW.name) WHERE id = NEW.id;
END;

-- The rows copied above with their ids set sqlite_sequence to the highest
-- id in use; the audit log may name a higher one.
UPDATE sqlite_sequence SET seq = max(seq, (SELECT COALESCE(max(CAST(substr(target, 10) AS INTEGER)), 0)
	FROM audit_log WHERE target LIKE 'provider:%'))
	WHERE name = 'providers';
INSERT INTO sqlite_sequence(name, seq)
	SELECT 'providers', (SELECT COALESCE(max(CAST(substr(target, 10) AS INTEGER)), 0) FROM audit_log WHERE target LIKE 'provider:%')
	WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'providers');
