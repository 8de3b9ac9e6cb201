// Command seedchat appends question-and-answer pairs to a conversation of a
// data folder's database, for the browser tests of long conversations
// (through `meterdesk chat` a few hundred messages take minutes):
//
//	go run ./tests/seedchat -data-dir DIR -conversation 1 -pairs 250
//
// Question i says "Question i"; its answer "Answer i" and a few lines of
// Markdown. Nothing is charged: the answers have no charge. Run it while no
// other process has the folder open.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"meterdesk/backend/store"
)

func main() {
	dir := flag.String("data-dir", "", "the data folder")
	conv := flag.Int64("conversation", 0, "the conversation's id")
	pairs := flag.Int("pairs", 100, "how many questions and answers to add")
	flag.Parse()
	if err := seed(*dir, *conv, *pairs); err != nil {
		fmt.Fprintln(os.Stderr, "seedchat:", err)
		os.Exit(1)
	}
}

func seed(dir string, conv int64, pairs int) error {
	ctx := context.Background()
	db, err := store.Open(ctx, dir)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now().UTC().Add(-time.Duration(pairs) * time.Minute)
	return db.Write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM chat_conversations WHERE id = ?`, conv).Scan(&n); err != nil || n != 1 {
			return fmt.Errorf("conversation %d: not found (%v)", conv, err)
		}
		add, err := tx.PrepareContext(ctx, `INSERT INTO chat_messages(uid, conversation_id, role, content, status,
			provider, model, created_at, updated_at) VALUES (?, ?, ?, ?, 'done', 'fake', 'gpt-4o', ?, ?)`)
		if err != nil {
			return err
		}
		defer add.Close()
		for i := 1; i <= pairs; i++ {
			at := store.FormatTime(start.Add(time.Duration(i) * time.Minute))
			answer := fmt.Sprintf("Answer %d\n\n%s\n\n- one point\n- another point", i, strings.Repeat("Some words of the reply. ", 1+i%7))
			for _, m := range [][2]string{{"user", fmt.Sprintf("Question %d", i)}, {"assistant", answer}} {
				if _, err := add.ExecContext(ctx, fmt.Sprintf("seed-%d-%d-%s", conv, i, m[0]), conv, m[0], m[1], at, at); err != nil {
					return err
				}
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE chat_conversations SET title = 'A long conversation', updated_at = ? WHERE id = ?`,
			store.FormatTime(time.Now().UTC()), conv)
		return err
	})
}
