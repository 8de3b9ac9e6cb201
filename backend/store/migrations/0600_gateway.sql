-- Per-member API keys of the local OpenAI-compatible gateway (backend/gateway).
-- The key itself is never stored: key_id is the public part written in the key
-- ("mdk_<key_id>_<secret>"), used to find the row; key_hash is the SHA-256
-- (hex) of the whole key, compared in constant time. Revoked keys stay (their
-- rows explain past requests). Times are UTC text 'YYYY-MM-DDTHH:MM:SS.fffZ'.
CREATE TABLE gateway_keys (
	id           INTEGER PRIMARY KEY,
	key_id       TEXT    NOT NULL UNIQUE,
	key_hash     TEXT    NOT NULL,
	user_id      INTEGER NOT NULL REFERENCES users(id),
	name         TEXT    NOT NULL DEFAULT '',
	created_by   INTEGER NOT NULL DEFAULT 0,
	created_at   TEXT    NOT NULL,
	last_used_at TEXT    NOT NULL DEFAULT '',
	revoked_at   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX gateway_keys_user ON gateway_keys(user_id, id);
