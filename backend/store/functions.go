package store

import (
	"database/sql/driver"

	"modernc.org/sqlite"

	"meterdesk/backend/textfold"
)

// FoldFunc is the SQL function md_fold(text): textfold.Fold, for searches
// that ignore case and accents in any script (`md_fold(title) LIKE ?` with
// the folded pattern). NULL stays NULL.
const FoldFunc = "md_fold"

func init() {
	sqlite.MustRegisterDeterministicScalarFunction(FoldFunc, 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return textfold.Fold(v), nil
		case []byte:
			return textfold.Fold(string(v)), nil
		default:
			return v, nil
		}
	})
}
