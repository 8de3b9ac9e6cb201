package team

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/audit"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/ledger"
)

// The audit log names its targets (the window's Target column and filter,
// `meterdesk audit list`): a provider by its name (a removed one by the
// name it last had, marked), a rate table by its version, the workspace's
// settings in words, members and departments as AccountNames does; a
// target it cannot name is shown as logged.
func TestAuditTargetNames(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	bob := e.addMember("bob", func(n *NewMember) { n.DisplayName = "Bob Martin" })
	eng, err := e.svc.CreateDepartment(ctx, DepartmentInput{Name: "Eng"})
	if err != nil {
		t.Fatal(err)
	}
	// What other areas log (backend/providers, rates, ledger, prefs, statements, gateway).
	logged := []struct{ action, target string }{
		{"provider.add", "provider:1"}, {"provider.remove", "provider:2"}, {"provider.test", "provider:9"},
		{"rates.change", "rates:v2"}, {"rates.model.add", "model:local/llama3"}, {"credits.package", "package:99"},
		{"credits.value", "workspace"}, {"alerts.update", "alerts"}, {"api.settings", "api"}, {"invoice.parties", "invoices"},
		{"invoice.credit_note", "invoice:INV-000042"}, {"settings.set", "ui.theme"}, {"database.backup", "database"},
		{"credits.topup", "pool"}, {"credits.adjustment", "sys:adjust"}, {"odd.thing", "rates:vx"}, {"odd.thing", "something"},
	}
	err = e.db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO providers(id, name, kind, base_url, secret_ref, created_at, updated_at)
			VALUES (1, 'OpenAI', 'openai', 'https://api.openai.com/v1', 'r1', '', '')`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ledger_packages(id, name, credits_minor, price_minor, currency) VALUES (99, 'Starter', 100, 100, 'EUR')`); err != nil {
			return err
		}
		for _, l := range logged {
			var before any
			if l.action == "provider.remove" {
				before = map[string]string{"name": "Ollama"}
			}
			if err := audit.Record(ctx, tx, e.clock.Now(), e.admin, l.action, l.target, before, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"provider:1": "OpenAI", "provider:2": "Ollama (removed)", "provider:9": "Provider #9",
		"rates:v2": "Rate table v2", "model:local/llama3": "Model local/llama3", "package:99": "Package Starter",
		"workspace": "Workspace settings", "alerts": "Alert settings", "api": "Local API settings", "invoices": "Invoice details",
		"invoice:INV-000042": "Invoice INV-000042", "ui.theme": "Setting ui.theme", "database": "Database",
		"pool": "Workspace pool", "sys:adjust": "Adjustments", "rates:vx": "rates:vx", "something": "something",
		ledger.UserAccount(bob.ID): "Bob Martin", eng.Account: "Eng",
	}
	es, err := e.svc.ListAudit(ctx, AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range es {
		if w, ok := want[en.Target]; ok && en.TargetName != w {
			t.Errorf("entry %s on %s: TargetName %q, want %q", en.Action, en.Target, en.TargetName, w)
		}
	}
	ts, err := e.svc.ListAuditTargets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != len(want) {
		t.Errorf("ListAuditTargets: %d targets, want %d: %v", len(ts), len(want), ts)
	}
	for i, tg := range ts {
		if want[tg.Target] != tg.Name {
			t.Errorf("ListAuditTargets: %s named %q, want %q", tg.Target, tg.Name, want[tg.Target])
		}
		if i > 0 && strings.ToLower(ts[i-1].Name) > strings.ToLower(tg.Name) {
			t.Errorf("ListAuditTargets not by name: %q before %q", ts[i-1].Name, tg.Name)
		}
	}
	// A member may not read them.
	if _, err := e.svc.ListAuditTargets(e.as(actorFor(bob))); !errors.Is(err, access.ErrForbidden) {
		t.Errorf("a member's ListAuditTargets: %v", err)
	}

	// --target takes a code or a name (any case); a name two targets share is refused.
	for _, c := range []struct{ in, want, err string }{
		{"provider:1", "provider:1", ""}, {"openai", "provider:1", ""}, {"Rate table v2", "rates:v2", ""},
		{"workspace settings", "workspace", ""}, {" Bob Martin ", ledger.UserAccount(bob.ID), ""}, {"nobody", "nobody", ""}, {"", "", ""},
	} {
		got, err := e.svc.ResolveAuditTarget(ctx, c.in)
		if err != nil || got != c.want {
			t.Errorf("ResolveAuditTarget(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	bob2 := e.addMember("bob2", func(n *NewMember) { n.DisplayName = "Bob Martin" })
	_, err = e.svc.ResolveAuditTarget(ctx, "Bob Martin")
	say := fmt.Sprintf(`the target "Bob Martin" names %s, %s: give one of these instead`, ledger.UserAccount(bob.ID), ledger.UserAccount(bob2.ID))
	if !errors.Is(err, ErrInvalid) || err.Error() != "invalid input: "+say {
		t.Errorf("an ambiguous name: %v\nwant invalid input: %s", err, say)
	}
	if r := inputerr.Reason(err); r != say { // the refusal in words, as the rest of team's
		t.Errorf("an ambiguous name's reason %q\nwant %q", r, say)
	}
}

// A provider id an earlier version gave again (before migration 0970 a
// removed provider's id went to the next one added): each entry is named
// by the provider it was on, not by today's row; the Target filter lists
// each provider on its own ("provider:1#1", "provider:1#2"), a name
// reaches its own entries only, and the target as logged still matches
// every entry on the id.
func TestAuditTargetNamesOfAReusedProviderID(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	type step struct {
		sql            string
		action, target string
		before, after  any
	}
	named := func(n string) map[string]string { return map[string]string{"name": n} }
	steps := []step{
		// ollama is added as 1 and removed; openai gets 1 again, is
		// renamed, tested; deepseek (2) is removed without a name
		// logged by its removal, named by its add; 3 is removed twice
		// under one name.
		{`INSERT INTO providers(id, name, kind, base_url, secret_ref, created_at, updated_at) VALUES (1, 'ollama', 'openai_compatible', 'x', 'r1', '', '')`,
			"provider.add", "provider:1", nil, named("ollama")},
		{`INSERT INTO providers(id, name, kind, base_url, secret_ref, created_at, updated_at) VALUES (2, 'deepseek', 'deepseek', 'x', 'r2', '', '')`,
			"provider.add", "provider:2", nil, named("deepseek")},
		{`DELETE FROM providers WHERE id = 1`, "provider.remove", "provider:1", named("ollama"), nil},
		{`INSERT INTO providers(id, name, kind, base_url, secret_ref, created_at, updated_at) VALUES (1, 'openai', 'openai', 'x', 'r3', '', '')`,
			"provider.add", "provider:1", nil, named("openai")},
		{`UPDATE providers SET name = 'OpenAI EU' WHERE id = 1`, "provider.update", "provider:1", named("openai"), named("OpenAI EU")},
		{``, "provider.test", "provider:1", nil, named("OpenAI EU")},
		{`DELETE FROM providers WHERE id = 2`, "provider.remove", "provider:2", nil, nil},
		{`INSERT INTO providers(id, name, kind, base_url, secret_ref, created_at, updated_at) VALUES (2, 'gemini', 'gemini', 'x', 'r4', '', '')`,
			"provider.add", "provider:2", nil, named("gemini")},
		{``, "provider.remove", "provider:3", named("lab"), nil},
		{``, "provider.remove", "provider:3", named("lab"), nil},
	}
	err := e.db.Write(ctx, func(tx *sql.Tx) error {
		for _, s := range steps {
			if s.sql != "" {
				if _, err := tx.ExecContext(ctx, s.sql); err != nil {
					return err
				}
			}
			if err := audit.Record(ctx, tx, e.clock.Now(), e.admin, s.action, s.target, s.before, s.after); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	es, err := e.svc.ListAudit(ctx, AuditFilter{Action: "provider."})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := len(es) - 1; i >= 0; i-- {
		got = append(got, es[i].Action+" "+es[i].Target+" "+es[i].TargetName)
	}
	want := []string{
		"provider.add provider:1 ollama (removed)", "provider.add provider:2 deepseek (removed)",
		"provider.remove provider:1 ollama (removed)", "provider.add provider:1 OpenAI EU", "provider.update provider:1 OpenAI EU",
		"provider.test provider:1 OpenAI EU", "provider.remove provider:2 deepseek (removed)", "provider.add provider:2 gemini",
		"provider.remove provider:3 lab (removed)", "provider.remove provider:3 lab (removed)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("entries named\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	ts, err := e.svc.ListAuditTargets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, tg := range ts {
		if strings.HasPrefix(tg.Target, "provider:") {
			listed = append(listed, tg.Target+" "+tg.Name)
		}
	}
	wantListed := []string{"provider:2#1 deepseek (removed)", "provider:2#2 gemini", "provider:3#1 lab (removed)",
		"provider:3#2 lab (removed)", "provider:1#1 ollama (removed)", "provider:1#2 OpenAI EU"}
	if strings.Join(listed, "|") != strings.Join(wantListed, "|") {
		t.Errorf("ListAuditTargets:\n got %q\nwant %q", listed, wantListed)
	}

	for _, c := range []struct {
		in, resolved string
		entries      int
		err          string
	}{
		{"openai eu", "provider:1#2", 3, ""},
		{"ollama (removed)", "provider:1#1", 2, ""},
		{"gemini", "provider:2#2", 1, ""},
		{"provider:1", "provider:1", 5, ""}, // as logged: every entry on the id
		{"provider:1#2", "provider:1#2", 3, ""},
		{"provider:1#3", "provider:1#3", 0, ""}, // no such provider: nothing
		{"provider:3#2", "provider:3#2", 1, ""},
		{"lab (removed)", "", 0, "provider:3#1, provider:3#2"},
	} {
		got, err := e.svc.ResolveAuditTarget(ctx, c.in)
		if c.err != "" {
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ResolveAuditTarget(%q): %v, want the refusal naming %s", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got != c.resolved {
			t.Errorf("ResolveAuditTarget(%q) = %q, %v; want %q", c.in, got, err, c.resolved)
			continue
		}
		page, err := e.svc.ListAuditPage(ctx, AuditFilter{Target: got})
		if err != nil || len(page.Items) != c.entries {
			t.Errorf("the entries on %s: %d, %v; want %d", got, len(page.Items), err, c.entries)
		}
	}
}

// Only a provider.add after a removal starts another provider's span: an
// entry logged after a removal but before the next add (a connection test
// still running when its provider was removed) is the removed provider's.
// It once started a span of its own, splitting one provider into
// provider:7#1 and provider:7#2, both "lab (removed)", so that --target
// "lab (removed)" was refused as naming two targets.
func TestAuditEntriesAfterARemovalStayItsProvider(t *testing.T) {
	type step struct {
		sql    string
		action string
		name   string // the name the entry logs (before for a removal, after otherwise)
	}
	add := func(name string) step {
		return step{fmt.Sprintf(`INSERT INTO providers(id, name, kind, base_url, secret_ref, created_at, updated_at) VALUES (7, '%s', 'openai', 'x', 'r-%s', '', '')`, name, name),
			"provider.add", name}
	}
	remove := func(name string) step { return step{`DELETE FROM providers WHERE id = 7`, "provider.remove", name} }
	test := func(name string) step { return step{"", "provider.test", name} }
	update := func(name string) step {
		return step{fmt.Sprintf(`UPDATE providers SET name = '%s' WHERE id = 7`, name), "provider.update", name}
	}
	for _, c := range []struct {
		name    string
		steps   []step
		entries []string // each entry's target name, oldest first
		targets []string // ListAuditTargets: "code name entries"
	}{
		{"a test logged after its provider's removal",
			[]step{add("lab"), test("lab"), remove("lab"), test("lab")},
			[]string{"lab (removed)", "lab (removed)", "lab (removed)", "lab (removed)"},
			[]string{"provider:7 lab (removed) 4"}},
		{"an update and a test after the removal",
			[]step{add("lab"), remove("lab"), update("lab"), test("lab")},
			[]string{"lab (removed)", "lab (removed)", "lab (removed)", "lab (removed)"},
			[]string{"provider:7 lab (removed) 4"}},
		{"a test between a removal and the id's next add (before migration 0970)",
			[]step{add("ollama"), remove("ollama"), test("ollama"), add("openai"), test("openai")},
			[]string{"ollama (removed)", "ollama (removed)", "ollama (removed)", "openai", "openai"},
			[]string{"provider:7#1 ollama (removed) 3", "provider:7#2 openai 2"}},
		{"the id's second provider removed, then a late test",
			[]step{add("ollama"), remove("ollama"), add("lab"), remove("lab"), test("lab")},
			[]string{"ollama (removed)", "ollama (removed)", "lab (removed)", "lab (removed)", "lab (removed)"},
			[]string{"provider:7#2 lab (removed) 3", "provider:7#1 ollama (removed) 2"}},
		{"the id given to the next provider (before migration 0970)",
			[]step{add("ollama"), remove("ollama"), add("openai")},
			[]string{"ollama (removed)", "ollama (removed)", "openai"},
			[]string{"provider:7#1 ollama (removed) 2", "provider:7#2 openai 1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t).setup("UTC")
			ctx := e.adminCtx()
			err := e.db.Write(ctx, func(tx *sql.Tx) error {
				for _, s := range c.steps {
					if s.sql != "" {
						if _, err := tx.ExecContext(ctx, s.sql); err != nil {
							return err
						}
					}
					var before, after any = nil, map[string]string{"name": s.name}
					if s.action == "provider.remove" {
						before, after = after, nil
					}
					if err := audit.Record(ctx, tx, e.clock.Now(), e.admin, s.action, "provider:7", before, after); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			es, err := e.svc.ListAudit(ctx, AuditFilter{Target: "provider:7"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i := len(es) - 1; i >= 0; i-- {
				got = append(got, es[i].TargetName)
			}
			if strings.Join(got, "|") != strings.Join(c.entries, "|") {
				t.Errorf("entries named %q, want %q", got, c.entries)
			}
			ts, err := e.svc.ListAuditTargets(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var listed []string
			for _, tg := range ts {
				if !strings.HasPrefix(tg.Target, "provider:") {
					continue
				}
				page, err := e.svc.ListAuditPage(ctx, AuditFilter{Target: tg.Target})
				if err != nil {
					t.Fatal(err)
				}
				listed = append(listed, fmt.Sprintf("%s %s %d", tg.Target, tg.Name, len(page.Items)))
				// Each listed name reaches its own target alone.
				if r, err := e.svc.ResolveAuditTarget(ctx, tg.Name); err != nil || r != tg.Target {
					t.Errorf("ResolveAuditTarget(%q) = %q, %v; want %q", tg.Name, r, err, tg.Target)
				}
			}
			if strings.Join(listed, "|") != strings.Join(c.targets, "|") {
				t.Errorf("ListAuditTargets:\n got %q\nwant %q", listed, c.targets)
			}
		})
	}
}
