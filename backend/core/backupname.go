package core

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// BackupName is the file name a backup made at now is offered in the
// folder dir: meterdesk-backup-DATE.db, or -2, -3 … after it, the first
// that names nothing in dir, since a backup never replaces a file (the
// day's second backup was offered the first one's name, and refused). DATE
// is now's date where now is (SuggestBackupName gives it in the
// workspace's zone). A name dir cannot be read for is taken as free: the
// backup itself refuses a file that is there.
func BackupName(now time.Time, dir string) string {
	base := "meterdesk-backup-" + now.Format("2006-01-02")
	for n := 1; ; n++ {
		name := base + ".db"
		if n > 1 {
			name = base + "-" + strconv.Itoa(n) + ".db"
		}
		if _, err := os.Lstat(filepath.Join(dir, name)); errors.Is(err, fs.ErrNotExist) || n >= 10000 {
			return name
		}
	}
}

// SuggestBackupName is BackupName for a backup made now in the folder dir,
// dated in the workspace's time zone (as its statements and limits count
// days; this computer's when it sets none or cannot be read): the name
// the window's save dialog offers and the CLI suggests (a backup to a
// folder, `--out -`).
func (b *Backend) SuggestBackupName(ctx context.Context, dir string) string {
	now := b.Clock()
	if loc, err := b.Zone(ctx); err == nil {
		now = now.In(loc)
	}
	return BackupName(now, dir)
}
