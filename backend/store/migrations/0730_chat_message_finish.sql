-- Why a reply ended, kept with it (backend/chat, Message.FinishReason and
-- Message.Note): finish_reason is the provider's, in the OpenAI vocabulary
-- the adapters map every provider's to ("stop", "length" = the output
-- budget ran out, "content_filter", ...; '' = none reported, or a message
-- stored before this column); output_budget is the max output tokens the
-- send asked for and held for (0 = unknown). A reply cut off at its budget,
-- or one whose whole budget went to thinking with no answer, says so again
-- after a reload, in `conversations show` and in an export.
ALTER TABLE chat_messages ADD COLUMN finish_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE chat_messages ADD COLUMN output_budget INTEGER NOT NULL DEFAULT 0 CHECK (output_budget >= 0);
