// Package people is the one rule by which Meterdesk names a member or a
// department for people: in the window, on the command line, in reports,
// statements (text, PDF and CSV), the audit log, notifications and the list
// of API keys.
//
//   - A member is named by their display name, else their sign-in name.
//   - A removed member's name is followed by " (removed)", an archived
//     department's by " (archived)". A removed member's name and an
//     archived department's are free for a new one (`users remove bob`,
//     `users add bob`; `departments archive Eng`, `departments add Eng`), and
//     the mark tells the one that ended from the current one wherever both
//     appear: "bob" and "bob (removed)".
//
// The names are the current ones: a department renamed, or a member's
// display name changed, reads so on lines written before the change
// (invoices, which keep what they were issued with, are the exception).
// Queries use the same rule through the SQL functions md_member_label and
// md_department_label (backend/store).
package people

// The marks that follow the name of a member or department that ended.
const (
	RemovedMark  = " (removed)"
	ArchivedMark = " (archived)"
)

// Member is how a member is named: their display name, else their sign-in
// name, with RemovedMark when they are removed. An empty name (no such
// member) stays empty, so callers' stand-ins ("member 7") still apply.
func Member(name, displayName string, removed bool) string {
	n := displayName
	if n == "" {
		n = name
	}
	if n != "" && removed {
		n += RemovedMark
	}
	return n
}

// Department is how a department is named: its name, with ArchivedMark when
// it is archived. An empty name stays empty.
func Department(name string, archived bool) string {
	if name != "" && archived {
		name += ArchivedMark
	}
	return name
}
