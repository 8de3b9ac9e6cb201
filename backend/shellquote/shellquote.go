// Package shellquote writes a name into a command line shown to be typed
// or pasted into a POSIX shell (sh, bash, zsh): the hints that name a
// provider, a model or a file the user chose ("on the command line add
// --provider 'Lab server'", "meterdesk rates set local 'my model' …",
// "meterdesk restore --yes 'backup (1).db'"). One helper for the backend's
// words and the CLI's, so every hint quotes alike.
package shellquote

import "strings"

// safe is what a word may hold and be typed as it is: letters, digits and
// punctuation no POSIX shell reads specially inside a word. "=" is not safe
// at the start of one (zsh expands "=cmd" to cmd's path), so Word quotes a
// word starting with it; "~" and "#", special at the start only, are not
// safe anywhere.
const safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/@+=,"

// Word gives w as a POSIX shell reads it back as the one word w: as it is
// when every character is safe ("gpt-4o", "llama3.1:8b", "openai"), else
// in single quotes, inside which nothing is special, each embedded single
// quote closing the quotes, written escaped, and reopening them:
//
//	Lab server  ->  'Lab server'
//	it's        ->  'it'\''s'
//	a$b         ->  'a$b'
//	(empty)     ->  ''
//	=cmd        ->  '=cmd'  (zsh: cmd's path)
func Word(w string) string {
	if w != "" && w[0] != '=' && strings.Trim(w, safe) == "" {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}
