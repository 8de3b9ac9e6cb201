package store

import (
	"database/sql/driver"

	"modernc.org/sqlite"

	"meterdesk/backend/mdtext"
	"meterdesk/backend/namekey"
	"meterdesk/backend/people"
	"meterdesk/backend/textfold"
)

// FoldFunc is the SQL function md_fold(text): textfold.Fold, for searches
// that ignore case and accents in any script (`md_fold(title) LIKE ?` with
// the folded pattern). NULL stays NULL.
const FoldFunc = "md_fold"

// NameKeyFunc is the SQL function md_name_key(text): namekey.Key, the form
// in which two names of members, departments or providers are one name.
// The name_key columns hold it (migration 0710, its triggers); NULL stays
// NULL.
const NameKeyFunc = "md_name_key"

// MemberLabelFunc is the SQL function md_member_label(name, display_name,
// status): people.Member, how a member is named for people (the display
// name, else the sign-in name; "bob (removed)" for a removed member).
// NULL when the name and the display name are both NULL (no such member).
const MemberLabelFunc = "md_member_label"

// DepartmentLabelFunc is the SQL function md_department_label(name,
// archived): people.Department ("Eng (archived)" for an archived
// department). NULL when the name is NULL.
const DepartmentLabelFunc = "md_department_label"

// MessageSearchFunc is the SQL function md_message_search(role, content):
// the text a chat message shows (mdtext.Message: a reply's Markdown as it
// reads, without emphasis marks, link targets, fences or list marks),
// folded by textfold.Fold. chat_messages.search_text holds it (migration
// 0941, its triggers), so a search reads no Markdown. NULL content stays
// NULL.
const MessageSearchFunc = "md_message_search"

func init() {
	register := func(name string, fn func(string) string) {
		sqlite.MustRegisterDeterministicScalarFunction(name, 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			switch v := args[0].(type) {
			case string:
				return fn(v), nil
			case []byte:
				return fn(string(v)), nil
			default:
				return v, nil
			}
		})
	}
	register(FoldFunc, textfold.Fold)
	register(NameKeyFunc, namekey.Key)
	sqlite.MustRegisterDeterministicScalarFunction(MemberLabelFunc, 3, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		name, okName := text(args[0])
		display, okDisplay := text(args[1])
		if !okName && !okDisplay {
			return nil, nil
		}
		status, _ := text(args[2]) // the users table's status: active, disabled or removed
		return people.Member(name, display, status == "removed"), nil
	})
	sqlite.MustRegisterDeterministicScalarFunction(MessageSearchFunc, 2, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		content, ok := text(args[1])
		if !ok {
			return nil, nil
		}
		role, _ := text(args[0])
		return textfold.Fold(mdtext.Message(role, content)), nil
	})
	sqlite.MustRegisterDeterministicScalarFunction(DepartmentLabelFunc, 2, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		name, ok := text(args[0])
		if !ok {
			return nil, nil
		}
		archived, _ := args[1].(int64)
		return people.Department(name, archived != 0), nil
	})
}

// text reads a text argument of a SQL function; false for NULL (and for
// anything that is not text).
func text(v driver.Value) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case []byte:
		return string(v), true
	}
	return "", false
}
