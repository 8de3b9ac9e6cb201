-- Conversation search looks in the text a message shows, not in its
-- Markdown: "very important" finds the reply "**very** important", and a
-- link's hidden address is not found (backend/mdtext). search_text holds
-- that text folded (md_message_search: case and accents aside), kept by
-- the triggers below, so a search compares text and parses no Markdown
-- (md_fold of the raw content ran for every message of every search).
ALTER TABLE chat_messages ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

UPDATE chat_messages SET search_text = md_message_search(role, content);

CREATE TRIGGER chat_messages_search_text_insert AFTER INSERT ON chat_messages BEGIN
	UPDATE chat_messages SET search_text = md_message_search(NEW.role, NEW.content) WHERE id = NEW.id;
END;
CREATE TRIGGER chat_messages_search_text_update AFTER UPDATE OF role, content ON chat_messages
	WHEN NEW.content IS NOT OLD.content OR NEW.role IS NOT OLD.role BEGIN
	UPDATE chat_messages SET search_text = md_message_search(NEW.role, NEW.content) WHERE id = NEW.id;
END;
