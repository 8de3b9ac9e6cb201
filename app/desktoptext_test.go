package app

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/events"
	"meterdesk/backend/team"
)

func TestDesktopText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Department Lab is running low", "Department Lab is running low"},
		{"Department Lab]]>$(Start-Process calc) is running low", "Department Lab]] >＄(Start-Process calc) is running low"},
		{"`$env:USERNAME`", "ˋ＄env:USERNAMEˋ"},
		{"a\"@b", "a\"＠b"},
		{"a“@b”@c", "a“＠b”＠c"},
		{"a@b \"x\" @c", "a@b \"x\" @c"},
		{"line\n\"@\nStart-Process calc", "line \"＠ Start-Process calc"},
		{"tab\there\r\x00\x1b[31m\u0085\u2028\u2029end", "tab here   [31m   end"},
		{"-t 0 hidden", "‐t 0 hidden"},
		{"a-b -c", "a-b -c"},
		{"]]]>>", "]]] >>"},
		{"Café 東京 📈", "Café 東京 📈"},
		{"", ""},
	}
	for _, c := range cases {
		if got := DesktopText(c.in); got != c.want {
			t.Errorf("DesktopText(%q) = %q, want %q", c.in, got, c.want)
		}
		// Nothing a PowerShell here-string or CDATA could read is left.
		got := DesktopText(c.in)
		for _, bad := range []string{"$", "`", "]]>", "\"@", "\n", "\r"} {
			if strings.Contains(got, bad) {
				t.Errorf("DesktopText(%q) = %q still holds %q", c.in, got, bad)
			}
		}
	}
}

// TestDesktopNotificationIsMadeSafe: the emitter's desktop notification, the
// path every alert takes to the OS, hands DesktopNotify the safe text, and
// only for the notification event of a payload asking for one.
func TestDesktopNotificationIsMadeSafe(t *testing.T) {
	type shown struct{ title, body string }
	got := make(chan shown, 4)
	old := DesktopNotify
	DesktopNotify = func(title, body string) error { got <- shown{title, body}; return nil }
	t.Cleanup(func() { DesktopNotify = old })

	name := "Department Lab]]>$(Start-Process calc)"
	n := team.Notification{Kind: team.KindAlert, Account: "dept:1", Desktop: true,
		Title: name + " is running low", Body: name + " has 5 credits left, below 10.\n`whoami`"}
	e := &Emitter{}
	e.desktop(events.Notification, n)
	select {
	case s := <-got:
		if want := DesktopText(n.Title); s.title != want {
			t.Errorf("title %q, want %q", s.title, want)
		}
		if want := DesktopText(n.Body); s.body != want {
			t.Errorf("body %q, want %q", s.body, want)
		}
		if strings.ContainsAny(s.title+s.body, "$`\n") || strings.Contains(s.title, "]]>") {
			t.Errorf("unsafe text reached the OS: %q / %q", s.title, s.body)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no desktop notification")
	}

	n.Desktop = false
	e.desktop(events.Notification, n)
	n.Desktop = true
	e.desktop(events.BalanceChanged, n)
	select {
	case s := <-got:
		t.Errorf("unexpected desktop notification %q", s.title)
	case <-time.After(100 * time.Millisecond):
	}
}

// TestToastXML: the Windows toast carries the title and body as escaped
// text: whatever they hold, the XML parses and reads back as given.
func TestToastXML(t *testing.T) {
	for _, c := range []struct{ title, body string }{
		{"Department Lab]]>$(calc) is running low", "</text></binding><x a=\"1\"/> & <![CDATA[ ]]>"},
		{"Auto-recharge", ""},
	} {
		doc := toastXML(c.title, c.body)
		var toast struct {
			Texts []string `xml:"visual>binding>text"`
		}
		if err := xml.Unmarshal([]byte(doc), &toast); err != nil {
			t.Fatalf("toastXML(%q, %q) does not parse: %v\n%s", c.title, c.body, err, doc)
		}
		want := []string{c.title}
		if c.body != "" {
			want = append(want, c.body)
		}
		if strings.Join(toast.Texts, "|") != strings.Join(want, "|") {
			t.Errorf("texts %q, want %q", toast.Texts, want)
		}
	}
}
