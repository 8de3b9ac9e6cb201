package store

import "errors"

// sqliteCorrupt and sqliteNotADB are SQLite's primary result codes for a
// damaged database file (SQLITE_CORRUPT, "database disk image is
// malformed") and a file that is not one (SQLITE_NOTADB).
const (
	sqliteCorrupt = 11
	sqliteNotADB  = 26
)

// IsCorrupt reports whether err says the database is damaged: ErrCorrupt
// (found by an open's or a check's inspection), or SQLite's own
// SQLITE_CORRUPT or SQLITE_NOTADB met by a command reading a damaged page
// that no open had looked at.
func IsCorrupt(err error) bool {
	if errors.Is(err, ErrCorrupt) {
		return true
	}
	var coded interface{ Code() int }
	return errors.As(err, &coded) && (coded.Code()&0xff == sqliteCorrupt || coded.Code()&0xff == sqliteNotADB)
}
