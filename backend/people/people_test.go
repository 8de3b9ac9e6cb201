package people

import "testing"

func TestMemberAndDepartmentNames(t *testing.T) {
	for _, c := range []struct {
		name, display string
		removed       bool
		want          string
	}{
		{"bob", "", false, "bob"},
		{"bob", "", true, "bob (removed)"},
		{"bob", "Bob Martin", false, "Bob Martin"},
		{"bob", "Bob Martin", true, "Bob Martin (removed)"},
		{"", "", true, ""}, // no such member: the caller's stand-in applies
	} {
		if got := Member(c.name, c.display, c.removed); got != c.want {
			t.Errorf("Member(%q, %q, %v) = %q, want %q", c.name, c.display, c.removed, got, c.want)
		}
	}
	for _, c := range []struct {
		name     string
		archived bool
		want     string
	}{
		{"Eng", false, "Eng"},
		{"Eng", true, "Eng (archived)"},
		{"", true, ""},
	} {
		if got := Department(c.name, c.archived); got != c.want {
			t.Errorf("Department(%q, %v) = %q, want %q", c.name, c.archived, got, c.want)
		}
	}
}
