package store

import (
	"database/sql/driver"

	"modernc.org/sqlite"

	"meterdesk/backend/namekey"
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
}
