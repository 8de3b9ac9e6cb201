package chat

// SelectMessagesState is the state's query, for its plan test.
const SelectMessagesState = selectMessagesState
