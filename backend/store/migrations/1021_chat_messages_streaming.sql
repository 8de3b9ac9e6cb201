-- The replies of a conversation still streaming (backend/chat): a send
-- asks, in its hold's transaction, whether another process is answering in
-- the conversation (a reply streaming there whose hold is still pending),
-- without reading a long conversation's thousands of messages. Few rows:
-- a reply is streaming only while its send runs (or, left by an app that
-- was closed, until it is read as interrupted).
CREATE INDEX chat_messages_streaming ON chat_messages(conversation_id) WHERE status = 'streaming';
