package chat

import "testing"

// TestSplitHintQuotesTheProvider: the command line in the unlisted-model
// warning's routing hint names the provider as a POSIX shell reads it back
// (shellquote.Word): a plain name as it is, one with a space or a shell
// character in single quotes; the window's words ("choose Lab server")
// keep the name as it is. It was written bare: "--provider Lab server".
func TestSplitHintQuotesTheProvider(t *testing.T) {
	for _, c := range []struct{ provider, want string }{
		{"openai", "; for openai's gpt-4o, choose openai (on the command line add --provider openai)"},
		{"Lab server", "; for Lab server's gpt-4o, choose Lab server (on the command line add --provider 'Lab server')"},
		{"it's", `; for it's's gpt-4o, choose it's (on the command line add --provider 'it'\''s')`},
		{"a$b", "; for a$b's gpt-4o, choose a$b (on the command line add --provider 'a$b')"},
	} {
		if got := splitHint(c.provider, "x/gpt-4o"); got != c.want {
			t.Errorf("splitHint(%q):\n got %s\nwant %s", c.provider, got, c.want)
		}
	}
}
