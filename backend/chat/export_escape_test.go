package chat_test

import (
	"strings"
	"testing"
)

// TestExportEscapesNamesAndTitles: a title or a member's name (and a model
// or provider name, which a server reports or an admin types) is plain
// text in the export, whatever it holds: Markdown emphasis, a heading
// mark, a link to javascript:, raw HTML, an entity, a table bar or a line
// break (a name or title stored by an earlier version, or a database
// edited by hand) is written escaped and on one line, so it reads as typed
// and structures nothing; the messages themselves stay Markdown. Before,
// they went into the file as they were, so a member named "**x**" or a
// title "[a](javascript:...)" made bold text or a link, and a newline in a
// title ended its heading and started a block of its own.
func TestExportEscapesNamesAndTitles(t *testing.T) {
	for _, c := range []struct {
		name         string
		title        string // the conversation's title
		owner, admin string // bob's and alice's display names
		want         []string
	}{
		{"emphasis", "**bold** _it_", "**x**", "~~alice~~",
			[]string{"# \\*\\*bold\\*\\* \\_it\\_\n", "\n## \\*\\*x\\*\\*\n\nHi\n", "\n## Written by \\~\\~alice\\~\\~\n\nAlice here\n",
				"sent by \\~\\~alice\\~\\~\n", "(\\~\\~alice\\~\\~: "}},
		{"a heading and its closing marks", "# Not a heading ##", "#bob", "alice #1",
			[]string{"# \\# Not a heading \\#\\#\n", "\n## \\#bob\n\nHi\n", "\n## Written by alice \\#1\n"}},
		{"a javascript link and an image", "[click](javascript:alert(1))", "![b](http://x/y.png)", "[a](javascript:void(0))",
			[]string{"# \\[click\\](javascript:alert(1))\n", "\n## \\!\\[b\\](http://x/y.png)\n\nHi\n",
				"\n## Written by \\[a\\](javascript:void(0))\n"}},
		{"raw HTML, an autolink and an entity", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "&lt;b&gt; <http://evil>",
			[]string{"# \\<script\\>alert(1)\\</script\\>\n", "\n## \\<img src=x onerror=alert(1)\\>\n\nHi\n",
				"\n## Written by \\&lt;b\\&gt; \\<http://evil\\>\n"}},
		{"code, a table bar, math, a backslash", "`rm -rf` | $x$", "bob\\", "a|b `c`",
			[]string{"# \\`rm -rf\\` \\| \\$x\\$\n", "\n## bob\\\\\n\nHi\n", "\n## Written by a\\|b \\`c\\`\n"}},
		{"line breaks", "Title\n\n## Injected\n<b>x</b>", "bob\n# Owned", "alice\r\n\n* item\u2028two",
			[]string{"# Title \\#\\# Injected \\<b\\>x\\</b\\>\n", "\n## bob \\# Owned\n\nHi\n",
				"\n## Written by alice \\* item two\n\nAlice here\n"}},
		{"a model and provider named so", "Models", "bob", "alice",
			[]string{"Model: \\*\\*m\\*\\* (\\<i\\>p)  \n", "\n## Assistant · \\*\\*m\\*\\* · sent by alice\n", "\n*\\*\\*m\\*\\* · input "}},
		{"plain names stay as they are", "Trip plans (June)", "Bob Martin", "Alice-Marie O'Neil",
			[]string{"# Trip plans (June)\n", "\n## Bob Martin\n\nHi\n", "\n## Written by Alice-Marie O'Neil\n\nAlice here\n"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := newAuthorEnv(t)
			// Stored as an earlier version or a hand edit could leave them:
			// today's checks refuse a line break in a name or title.
			a.exec(`UPDATE chat_conversations SET title = ? WHERE id = ?`, c.title, a.conv.ID)
			a.exec(`UPDATE users SET display_name = ? WHERE id = ?`, c.owner, a.bobID)
			a.exec(`UPDATE users SET display_name = ? WHERE name = 'alice'`, c.admin)
			if c.title == "Models" { // as a server could report them, or an admin add them
				a.exec(`UPDATE chat_conversations SET model = '**m**', provider = '<i>p' WHERE id = ?`, a.conv.ID)
				a.exec(`UPDATE chat_messages SET model = '**m**' WHERE conversation_id = ?`, a.conv.ID)
				a.exec(`UPDATE chat_charges SET model = '**m**'`)
			}
			ex, err := a.svc.ExportMarkdown(a.alice, a.conv.ID)
			if err != nil {
				t.Fatal(err)
			}
			md := ex.Markdown
			for _, want := range c.want {
				if !strings.Contains(md, want) {
					t.Errorf("the export lacks %q:\n%s", want, md)
				}
			}
			// The structure is the export's own: one title, a heading per
			// message, nothing else at the start of a line.
			if n := strings.Count(md, "\n# ") + strings.Count(md[:1], "#"); n != 1 {
				t.Errorf("%d titles:\n%s", n, md)
			}
			for _, l := range strings.Split(md, "\n") {
				if strings.HasPrefix(l, "## ") && !strings.HasPrefix(l, "## Assistant") && !strings.HasPrefix(l, "## Written by ") &&
					l != "## "+strings.Join(strings.Fields(escape(c.owner)), " ") {
					t.Errorf("heading %q is no message's:\n%s", l, md)
				}
				if strings.HasPrefix(l, "<") || strings.HasPrefix(l, "* ") || strings.HasPrefix(l, "# Owned") {
					t.Errorf("line %q starts a block of its own:\n%s", l, md)
				}
			}
			// The messages are Markdown as stored, not escaped.
			if !strings.Contains(md, "\n\nHi\n") || !strings.Contains(md, "\n\nHello.\n") {
				t.Errorf("messages changed:\n%s", md)
			}
			if ex.FileName == "" || strings.ContainsAny(ex.FileName, "/\\<>\n") {
				t.Errorf("file name %q", ex.FileName)
			}
		})
	}
}

// escape is the escaping the export promises (backslash before each of
// \ ` * _ [ ] < > # ! | ~ & $), for the test's expectations.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>#!|~&$", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
