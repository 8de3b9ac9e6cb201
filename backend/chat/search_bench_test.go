package chat_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
)

// benchReply is a model reply of about 1 KB of Markdown (headings, a
// list, emphasis, code, a table), as most replies are.
var benchReply = strings.Repeat("## Steps\n\nHere is **how** to do it, with `code` and a [link](https://example.com):\n\n"+
	"1. First, *open* the file.\n2. Then run:\n\n```go\nfmt.Println(\"hello\")\n```\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n", 5)

// BenchmarkSearchConversations: a search that matches nothing (so it reads
// every message) over one member's 200 conversations of 50 messages each,
// half of them replies of about 1 KB of Markdown (10,000 messages).
func BenchmarkSearchConversations(b *testing.B) {
	e := newEnvTB(b)
	const convs, msgs = 200, 50
	err := e.db.Write(adminCtx, func(tx *sql.Tx) error {
		for c := 1; c <= convs; c++ {
			if _, err := tx.Exec(`INSERT INTO chat_conversations(id, user_id, title, created_at, updated_at)
				VALUES (?, 0, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`, c, fmt.Sprintf("Chat %d", c)); err != nil {
				return err
			}
			for m := 0; m < msgs; m++ {
				role, content := "user", "How do I print hello in Go, and what does **this** mean?"
				if m%2 == 1 {
					role, content = "assistant", benchReply
				}
				if _, err := tx.Exec(`INSERT INTO chat_messages(uid, conversation_id, role, content, status, created_at, updated_at)
					VALUES (?, ?, ?, ?, 'done', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
					fmt.Sprintf("%d-%d", c, m), c, role, content); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		list, err := e.svc.ListConversations(adminCtx, "nothing like this", 0)
		if err != nil || len(list) != 0 {
			b.Fatalf("found %d (%v)", len(list), err)
		}
	}
}
