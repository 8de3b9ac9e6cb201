-- A conversation's Reasoning setting (backend/chat ModelSettings.Reasoning,
-- providers.Reasoning): how much a reasoning model is asked to think.
-- 'default' sends nothing (the provider's default), as every conversation
-- did before; providers.ReasoningFor maps the others to each provider's
-- request field. Not money: the thinking budget it adds to a send's output
-- budget is held and charged as output, like the rest of it.
ALTER TABLE chat_conversations ADD COLUMN reasoning TEXT NOT NULL DEFAULT 'default'
	CHECK (reasoning IN ('default', 'off', 'low', 'medium', 'high'));
