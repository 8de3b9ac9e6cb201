-- A conversation's model settings (backend/chat, ModelSettings), sent with
-- each of its requests: temperature (0 to 2) and top_p (0 to 1), NULL = the
-- provider's default; max_output, the output tokens asked for and held for
-- per reply, 0 = the model's default. They are generation parameters, not
-- money: no amount is ever computed from the two REAL columns.
ALTER TABLE chat_conversations ADD COLUMN temperature REAL
	CHECK (temperature IS NULL OR (temperature >= 0 AND temperature <= 2));
ALTER TABLE chat_conversations ADD COLUMN top_p REAL
	CHECK (top_p IS NULL OR (top_p >= 0 AND top_p <= 1));
ALTER TABLE chat_conversations ADD COLUMN max_output INTEGER NOT NULL DEFAULT 0
	CHECK (max_output >= 0 AND max_output <= 1048576);
