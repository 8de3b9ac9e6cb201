package store

import (
	"database/sql"
	"testing"
)

// md_member_label and md_department_label are backend/people's rule in SQL:
// NULL for no row (a LEFT JOIN that found none), the mark for a removed
// member or an archived department.
func TestLabelFunctions(t *testing.T) {
	db, _ := openTemp(t)
	for _, c := range []struct {
		q    string
		want sql.NullString
	}{
		{"SELECT md_member_label('bob', '', 'removed')", sql.NullString{String: "bob (removed)", Valid: true}},
		{"SELECT md_member_label('bob', 'Bob M.', 'active')", sql.NullString{String: "Bob M.", Valid: true}},
		{"SELECT md_member_label('bob', '', 'disabled')", sql.NullString{String: "bob", Valid: true}},
		{"SELECT md_member_label(NULL, NULL, NULL)", sql.NullString{}},
		{"SELECT md_department_label('Eng', 1)", sql.NullString{String: "Eng (archived)", Valid: true}},
		{"SELECT md_department_label('Eng', 0)", sql.NullString{String: "Eng", Valid: true}},
		{"SELECT md_department_label(NULL, NULL)", sql.NullString{}},
	} {
		var got sql.NullString
		if err := db.Read().QueryRow(c.q).Scan(&got); err != nil {
			t.Fatalf("%s: %v", c.q, err)
		}
		if got != c.want {
			t.Errorf("%s = %+v, want %+v", c.q, got, c.want)
		}
	}
}

// md_message_search is the text a chat message shows, folded: a reply's
// Markdown as it reads, a member's message as typed.
func TestMessageSearchFunction(t *testing.T) {
	db, _ := openTemp(t)
	for _, c := range []struct {
		role string
		in   any
		want sql.NullString
	}{
		{"assistant", "**Very** [Café](https://x.y/Z) `Crème`", sql.NullString{String: "very cafe creme", Valid: true}},
		{"user", "**Very** Café", sql.NullString{String: "**very** cafe", Valid: true}},
		{"assistant", nil, sql.NullString{}},
	} {
		var got sql.NullString
		if err := db.Read().QueryRow(`SELECT md_message_search(?, ?)`, c.role, c.in).Scan(&got); err != nil {
			t.Fatalf("%v: %v", c.in, err)
		}
		if got != c.want {
			t.Errorf("md_message_search(%q, %v) = %+v, want %+v", c.role, c.in, got, c.want)
		}
	}
}
