package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
	"meterdesk/backend/store"
)

// TestRefusedHistoryByProviderWritesNothing: `credits history --provider
// Nope` is refused (exit 5, naming the known providers) before anything is
// written: it caught the usage roll-ups (report_daily, derived data) up
// first, then refused. A name that is known still finds its charges, the
// roll-ups caught up then.
func TestRefusedHistoryByProviderWritesNothing(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 9, Completion: 2}})
	defer srv.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	d.must("providers", "add", "--name", "Lab", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin")
	d.must("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")
	d.must("credits", "topup", "--amount", "100", "--price", "0")
	d.must("chat", "--model", "gpt-4o", "--provider", "Lab", "Hello")
	// What the roll-ups hold: how far they are caught up, and their rows.
	rollups := func() string {
		t.Helper()
		db, err := store.Open(context.Background(), d.dir)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var last, rows, conv int64
		if err := db.Read().QueryRow(`SELECT (SELECT last_id FROM report_rollup_state WHERE id = 1),
			(SELECT COUNT(*) FROM report_daily), (SELECT COUNT(*) FROM report_conversation_daily)`).Scan(&last, &rows, &conv); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%d %d %d", last, rows, conv)
	}
	before := rollups()
	if before != "0 0 0" {
		t.Fatalf("the roll-ups are caught up already (%s): nothing to test", before)
	}
	for _, args := range [][]string{
		{"--provider", "Nope"},
		{"--provider", "Nope", "--model", "gpt-4o", "--from", "2020-01-01"},
	} {
		code, out, errs := d.run(append([]string{"credits", "history"}, args...)...)
		if code != ExitNotFound || out != "" || !strings.Contains(errs, `no provider named "Nope" (known: Lab)`) {
			t.Errorf("credits history %v: exit %d %q %q", args, code, out, errs)
		}
		if after := rollups(); after != before {
			t.Errorf("credits history %v, refused, wrote the roll-ups: %s, was %s", args, after, before)
		}
	}
	// A provider whose charges are not rolled up yet is known all the same.
	if code, out, errs := d.run("credits", "history", "--provider", "lab"); code != 0 || strings.Count(out, "  Usage  ") != 1 {
		t.Errorf("--provider lab: exit %d %q %q", code, out, errs)
	}
	if rollups() == before {
		t.Errorf("--provider lab: the roll-ups were not caught up")
	}
}
