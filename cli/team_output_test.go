package cli

import (
	"strings"
	"testing"
	"time"

	"meterdesk/backend/providers/fake"
)

// TestCLITeamOutputInPlainWords: what limits, alerts and departments print
// reads as a sentence: a limit names its kind once ("bob's monthly limit"),
// a limit set below what is used says so with when it resets, empty
// threshold lists read "none", a rule just set shows what it recharged this
// month, and refusals name the department.
func TestCLITeamOutputInPlainWords(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 9, Completion: 1}})
	defer srv.Close()
	dir := teamWorkspace(t) // department 1 Research with a recharge rule; bob paid by the pool
	admin := asAlice(t, dir)
	if code, out, errs := runIn(t, "sk-test-0123456789\n", "--data-dir", dir, "--user", "alice", "providers", "add", "--name", "fake",
		"--kind", "openai", "--url", srv.BaseURL(), "--key-stdin"); code != 0 {
		t.Fatalf("providers add: %d %s %s", code, out, errs)
	}
	admin("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")
	admin("credits", "topup", "--amount", "1000", "--price", "0")
	t.Setenv("METERDESK_PASSWORD", "1234")
	if code, out, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "chat", "--model", "gpt-4o", "Hi"); code != 0 {
		t.Fatalf("bob's chat: %d %s %s", code, out, errs)
	}
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	berlin, _ := time.LoadLocation("Europe/Berlin")
	nextMonth := func() string {
		now := time.Now().In(berlin)
		return time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, berlin).Format("2006-01-02 15:04") + " (Europe/Berlin)"
	}
	before := nextMonth()
	got := admin("limits", "set", "bob", "monthly", "0.01")
	note := func(at string) string {
		return "bob's monthly limit: 0.01 credits per month\n" +
			"note: bob has already used 0.026 credits this month (the limit is 0.01): their sends are refused until it resets " + at + "\n"
	}
	if got != note(before) && got != note(nextMonth()) {
		t.Errorf("limits set below what is used:\n%q\nwant\n%q", got, note(before))
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"limits", "set", "bob", "monthly", "10"}, "bob's monthly limit: 10.00 credits per month\n"},
		{[]string{"limits", "set", "bob", "model", "o3", "5", "--period", "day"}, "bob's limit for o3: 5.00 credits per day\n"},
		{[]string{"alerts", "set", "--absolute", "", "--percent", ""}, "absolute: none\npercent:  none\ndepleted: true\ndesktop:  true\n"},
		{[]string{"alerts", "show"}, "absolute: none\npercent:  none\ndepleted: true\ndesktop:  true\n"},
		{[]string{"alerts", "set", "--absolute", "50", "--percent", "20 10"}, "absolute: 50 credits\npercent:  20 10 %\ndepleted: true\ndesktop:  true\n"},
	} {
		if got := admin(c.args...); got != c.want {
			t.Errorf("%v:\n%q\nwant\n%q", c.args, got, c.want)
		}
	}
	// A rule just set shows what it recharged this month, as the list does
	// (a new threshold: the workspace's rule is 5, and one set unchanged
	// adds a line saying so).
	admin("departments", "allocate", "1", "20")
	admin("users", "update", "carol", "--department", "1", "--funding", "pool")
	set := admin("alerts", "recharge", "set", "dept:1", "--threshold", "6", "--amount", "10", "--cap", "100")
	list := admin("alerts", "recharge", "list")
	if set != list || !strings.Contains(set, "THIS MONTH") || !strings.Contains(strings.Split(set, "\n")[1], " 0.00 ") {
		t.Errorf("recharge set:\n%s\nrecharge list:\n%s", set, list)
	}
	// Refusals name the department, in words.
	admin("departments", "add", "Legal")
	admin("departments", "archive", "2")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"departments", "move", "1", "pool", "500"}, ExitRefused, "meterdesk departments move: Research has only 20.00 credits available; this move needs 500.00\n"},
		{[]string{"departments", "allocate", "2", "5"}, ExitNotFound, "meterdesk departments allocate: move credits: the Legal department is archived\n"},
		{[]string{"departments", "update", "2", "--name", "Law"}, ExitNotFound, "meterdesk departments update: change department 2: the Legal department is archived\n"},
		{[]string{"departments", "archive", "1"}, ExitConflict, "meterdesk departments archive: archive department 1: move its member to another department first\n"},
	} {
		before := dbDump(t, dir)
		code, out, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, c.args...)...)
		if code != c.code || out != "" || errs != c.want {
			t.Errorf("%v: %d %q\nstderr %q\nwant   %q", c.args, code, out, errs, c.want)
		}
		if dbDump(t, dir) != before {
			t.Errorf("%v wrote", c.args)
		}
	}
}
