package chat

import "context"

// SelectMessagesState is the state's query, for its plan test.
const SelectMessagesState = selectMessagesState

// AddReplacedTo runs the replaced replies' read on msgs as they were read
// earlier (the messages' read and this one are two reads: a send may come
// between them), as a page of the newest messages, listing all.
func (s *Service) AddReplacedTo(ctx context.Context, convID, owner int64, msgs []Message) error {
	return s.addReplaced(ctx, convID, msgs, true, true, &authorNames{owner: owner})
}
