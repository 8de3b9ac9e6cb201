-- Providers (issue 5): configured AI providers. The API key is never stored
-- here in plain text: it lives in the OS keychain (key_store='keychain',
-- account = secret_ref) or is sealed with AES-256-GCM under the data folder's
-- secrets.key (key_store='sealed', key_sealed = version||nonce||ciphertext).
CREATE TABLE providers (
	id              INTEGER PRIMARY KEY,
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
	updated_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX providers_name ON providers(name COLLATE NOCASE);
