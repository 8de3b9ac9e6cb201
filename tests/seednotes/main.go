// Command seednotes adds unread low-balance notifications about the pool
// to a data folder's database, for the browser test of the notification
// centre's pages (raising hundreds through real alerts would take a
// spending run per threshold):
//
//	go run ./tests/seednotes -data-dir DIR -count 250
//
// Notification i is titled "Low balance i" (1 the oldest). Admins see
// them all. Run it while no other process has the folder open.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"time"

	"meterdesk/backend/store"
)

func main() {
	dir := flag.String("data-dir", "", "the data folder")
	count := flag.Int("count", 250, "how many notifications to add")
	flag.Parse()
	if err := seed(*dir, *count); err != nil {
		fmt.Fprintln(os.Stderr, "seednotes:", err)
		os.Exit(1)
	}
}

func seed(dir string, count int) error {
	if dir == "" || count < 1 {
		return fmt.Errorf("give -data-dir and a -count of at least 1")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dir)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now().UTC().Add(-time.Duration(count) * time.Minute)
	return db.Write(ctx, func(tx *sql.Tx) error {
		add, err := tx.PrepareContext(ctx, `INSERT INTO notifications(created_at, kind, level, account, title, body)
			VALUES (?, 'alert', 'warning', 'pool', ?, 'The pool is below 100 credits.')`)
		if err != nil {
			return err
		}
		defer add.Close()
		for i := 1; i <= count; i++ {
			if _, err := add.ExecContext(ctx, store.FormatTimeNano(start.Add(time.Duration(i)*time.Minute)), fmt.Sprintf("Low balance %d", i)); err != nil {
				return err
			}
		}
		return nil
	})
}
