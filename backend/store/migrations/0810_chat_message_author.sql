-- Who wrote each message (backend/chat, Message.WrittenBy). author_id is the
-- member whose send stored the message: for a user turn the member who wrote
-- it, for a reply the member who asked for it (the send, regenerate or edit
-- that produced it, whose charge names the same member). NULL = not recorded:
-- read as the conversation's owner. Only the owner writes in a conversation
-- now, so every send stores the owner; an admin could write into a member's
-- conversation before that rule, and such turns read as the member's.
ALTER TABLE chat_messages ADD COLUMN author_id INTEGER;

-- Earlier messages: the send's charge names its sender (chat_charges.user_id;
-- request_id is the reply's uid, and a user turn's uid is that uid followed
-- by ':user'). A message without a charge (a reply that failed before it
-- could be charged, or whose user turn never got one), or whose charge names
-- no member (0: the system) or another conversation, stays NULL.
UPDATE chat_messages SET author_id = (
	SELECT ch.user_id FROM chat_charges ch
	WHERE ch.request_id = CASE
		WHEN chat_messages.role = 'user' AND substr(chat_messages.uid, -5) = ':user'
		THEN substr(chat_messages.uid, 1, length(chat_messages.uid) - 5)
		ELSE chat_messages.uid END
		AND ch.conversation_id = chat_messages.conversation_id AND ch.user_id <> 0);
