-- A conversation's History setting (backend/chat ModelSettings.History):
-- how many of its earlier exchanges (a user turn and the reply that
-- answered it) a send carries. NULL is All, as every conversation sent
-- before; N (0 to chat.MaxHistory) is the last N exchanges, 0 only the new
-- message. Not money: a shorter prompt makes a smaller hold and charge.
ALTER TABLE chat_conversations ADD COLUMN history INTEGER
	CHECK (history IS NULL OR (typeof(history) = 'integer' AND history BETWEEN 0 AND 1000));
