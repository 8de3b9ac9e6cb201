package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/providers/fake"
)

// TestReportUsageHasAHeader: the human output names its columns (the
// count's column was unlabelled).
func TestReportUsageHasAHeader(t *testing.T) {
	dir := teamWorkspace(t)
	for by, want := range map[string]string{"model": "MODEL", "member": "MEMBER", "day": "DAY"} {
		code, out, errs := runIn(t, "correct horse\n", "--data-dir", dir, "--user", "alice", "report", "usage", "--from", "2026-01-01", "--to", "2026-01-31", "--by", by)
		lines := strings.Split(out, "\n")
		if code != 0 || len(lines) < 2 || strings.Fields(lines[0])[0] != want || !strings.Contains(lines[0], "CHARGES") || !strings.Contains(lines[0], "CREDITS") {
			t.Errorf("report usage --by %s: %d %q %q", by, code, out, errs)
		}
	}
}

// TestReportUsageByModelAndProvider: `report usage --by model` has a row per
// model and provider ("gpt-4o · OpenAI", "gpt-4o · Lab"), where one gpt-4o
// row summed both; --json gives each row's model and provider; a provider
// renamed since reads by its name now, one removed "(since removed)".
func TestReportUsageByModelAndProvider(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	openai := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 10, Completion: 20}})
	defer openai.Close()
	lab := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 100, Completion: 200}})
	defer lab.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	d.must("providers", "add", "--name", "OpenAI", "--kind", "openai", "--url", openai.BaseURL(), "--key-stdin")
	d.must("providers", "add", "--name", "Lab", "--kind", "openai", "--url", lab.BaseURL(), "--key-stdin")
	d.must("rates", "set", "openai", "gpt-4o", "--input", "0.001", "--output", "0.002")
	d.must("credits", "topup", "--amount", "1000", "--price", "0", "--currency", "USD")
	d.must("chat", "--provider", "OpenAI", "--model", "gpt-4o", "Hi")
	d.must("chat", "--provider", "Lab", "--model", "gpt-4o", "Hi")
	from, to := time.Now().AddDate(0, 0, -2).Format(time.DateOnly), time.Now().AddDate(0, 0, 2).Format(time.DateOnly)
	rows := func() string {
		out := d.must("report", "usage", "--from", from, "--to", to, "--by", "model")
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
			got = append(got, strings.Join(strings.Fields(l), " "))
		}
		return strings.Join(got, "\n")
	}
	// 10*0.001 + 20*0.002 = 0.05; 100*0.001 + 200*0.002 = 0.5
	if got, want := rows(), "gpt-4o · Lab 1 0.50\ngpt-4o · OpenAI 1 0.05\nTotal 0.55"; got != want {
		t.Errorf("report usage --by model:\n%s\nwant\n%s", got, want)
	}
	var res struct {
		Total string
		Rows  []struct{ Key, Label, Model, Provider, Amount string }
	}
	if err := json.Unmarshal([]byte(d.must("--json", "report", "usage", "--from", from, "--to", to, "--by", "model")), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 2 || res.Rows[0].Model != "gpt-4o" || res.Rows[0].Provider != "Lab" || res.Rows[0].Label != "gpt-4o · Lab" ||
		res.Rows[1].Provider != "OpenAI" || res.Total != "0.55" {
		t.Errorf("--json: %+v", res)
	}
	d.must("providers", "update", "Lab", "--name", "Workshop")
	d.must("providers", "remove", "OpenAI")
	if got, want := rows(), "gpt-4o · Workshop 1 0.50\ngpt-4o · OpenAI (since removed) 1 0.05\nTotal 0.55"; got != want {
		t.Errorf("after a rename and a removal:\n%s\nwant\n%s", got, want)
	}
}
