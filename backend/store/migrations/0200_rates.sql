-- Rate table (backend/rates). Rates are exact decimal TEXT in credits per
-- token (at most 12 decimal places); NULL means blank (the default applies).
-- Every change inserts a new immutable version holding a full snapshot.
CREATE TABLE rate_versions (
	id                 INTEGER PRIMARY KEY,
	effective_at       TEXT    NOT NULL, -- UTC, fixed-width RFC 3339 with nanoseconds (sortable)
	created_by_user_id INTEGER NOT NULL DEFAULT 0,
	created_by         TEXT    NOT NULL,
	reason             TEXT    NOT NULL DEFAULT '',
	default_input      TEXT    NOT NULL,
	default_output     TEXT    NOT NULL
);
CREATE INDEX rate_versions_effective ON rate_versions(effective_at, id);

CREATE TABLE rate_entries (
	version_id    INTEGER NOT NULL REFERENCES rate_versions(id),
	provider      TEXT    NOT NULL,
	model         TEXT    NOT NULL,
	input         TEXT,
	output        TEXT,
	cache_read    TEXT,
	cache_write   TEXT,
	reasoning     TEXT,
	per_request   TEXT,
	per_tool_call TEXT,
	PRIMARY KEY (version_id, provider, model)
) WITHOUT ROWID;

-- Models beyond the built-in catalogue: reported by a configured provider or
-- added by an admin.
CREATE TABLE rate_models (
	provider TEXT NOT NULL,
	model    TEXT NOT NULL,
	source   TEXT NOT NULL CHECK (source IN ('reported', 'custom')),
	added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
	PRIMARY KEY (provider, model)
) WITHOUT ROWID;

-- Version 1: the factory defaults (1 credit per token for input and output),
-- in force since the epoch so that every moment has a version.
INSERT INTO rate_versions(id, effective_at, created_by, reason, default_input, default_output)
VALUES (1, '1970-01-01T00:00:00.000000000Z', 'system', 'factory defaults', '1', '1');
