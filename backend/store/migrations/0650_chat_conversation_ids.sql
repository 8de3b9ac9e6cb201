-- Conversation ids are never handed out twice (backend/chat,
-- insertConversation). A deleted conversation's id lives on in its charges,
-- its ledger transfers and the reports built from them; a new conversation
-- that took it would inherit them (the dashboard would give the old charges
-- the new conversation's title). last is the highest id ever handed out; an
-- older database starts it at the highest id still in use or named by a
-- ledger transfer (every hold and charge names its conversation).
CREATE TABLE chat_conversation_ids (
	one  INTEGER PRIMARY KEY CHECK (one = 1),
	last INTEGER NOT NULL
);
INSERT INTO chat_conversation_ids(one, last) VALUES (1, max(
	(SELECT COALESCE(max(id), 0) FROM chat_conversations),
	(SELECT COALESCE(max(conversation_id), 0) FROM ledger_transfers)));
