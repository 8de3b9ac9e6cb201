-- Chat history and usage charges (backend/chat). Times are UTC text
-- 'YYYY-MM-DDTHH:MM:SS.fffZ' (fixed width, so text order is time order).

-- One conversation: its title, system prompt, last used provider/model and
-- the unsent draft (kept when a send fails before any output, e.g. offline).
CREATE TABLE chat_conversations (
	id            INTEGER PRIMARY KEY,
	user_id       INTEGER NOT NULL DEFAULT 0,
	title         TEXT    NOT NULL,
	system_prompt TEXT    NOT NULL DEFAULT '',
	provider      TEXT    NOT NULL DEFAULT '',
	model         TEXT    NOT NULL DEFAULT '',
	draft         TEXT    NOT NULL DEFAULT '',
	created_at    TEXT    NOT NULL,
	updated_at    TEXT    NOT NULL
);
CREATE INDEX chat_conversations_user ON chat_conversations(user_id, updated_at);

-- Messages. uid is the client's id (idempotency: hold/post/void ids derive
-- from the assistant message's uid). superseded = 1 hides a message replaced
-- by regenerate or edit-and-resend (kept: its charge still explains money).
-- status: done | streaming | stopped | interrupted | error.
CREATE TABLE chat_messages (
	id              INTEGER PRIMARY KEY,
	uid             TEXT    NOT NULL UNIQUE,
	conversation_id INTEGER NOT NULL REFERENCES chat_conversations(id) ON DELETE CASCADE,
	role            TEXT    NOT NULL CHECK (role IN ('user','assistant')),
	content         TEXT    NOT NULL,
	status          TEXT    NOT NULL CHECK (status IN ('done','streaming','stopped','interrupted','error')),
	provider        TEXT    NOT NULL DEFAULT '',
	model           TEXT    NOT NULL DEFAULT '',
	error           TEXT    NOT NULL DEFAULT '',
	superseded      INTEGER NOT NULL DEFAULT 0,
	created_at      TEXT    NOT NULL,
	updated_at      TEXT    NOT NULL
);
CREATE INDEX chat_messages_conversation ON chat_messages(conversation_id, id);

-- One usage charge per metered request (chat message or gateway request),
-- written inside the ledger transaction of the posting it explains. Not tied
-- to chat_messages by a foreign key: deleting a conversation keeps its
-- charges (the ledger keeps the money trail anyway).
CREATE TABLE chat_charges (
	id              INTEGER PRIMARY KEY,
	request_id      TEXT    NOT NULL UNIQUE, -- message uid or gateway request id
	transfer_id     INTEGER NOT NULL REFERENCES ledger_transfers(id),
	payer           TEXT    NOT NULL,
	user_id         INTEGER NOT NULL DEFAULT 0,
	department_id   INTEGER NOT NULL DEFAULT 0,
	conversation_id INTEGER NOT NULL DEFAULT 0,
	source          TEXT    NOT NULL,
	provider        TEXT    NOT NULL,
	model           TEXT    NOT NULL,
	rate_version    INTEGER NOT NULL,
	input_tokens       INTEGER NOT NULL DEFAULT 0,
	cache_read_tokens  INTEGER NOT NULL DEFAULT 0,
	cache_write_tokens INTEGER NOT NULL DEFAULT 0,
	output_tokens      INTEGER NOT NULL DEFAULT 0,
	reasoning_tokens   INTEGER NOT NULL DEFAULT 0,
	tool_calls         INTEGER NOT NULL DEFAULT 0,
	requests           INTEGER NOT NULL DEFAULT 0,
	estimated       INTEGER NOT NULL DEFAULT 0,
	hold_minor      INTEGER NOT NULL,
	amount_minor    INTEGER NOT NULL, -- what was posted
	price_minor     INTEGER NOT NULL, -- what the usage costs (differs from amount only when capped)
	breakdown       TEXT    NOT NULL, -- metering.Breakdown JSON
	created_at      TEXT    NOT NULL
);
CREATE INDEX chat_charges_conversation ON chat_charges(conversation_id);
