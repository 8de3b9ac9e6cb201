package core

import (
	"os"
)

// checkRoomMargin is the room a data folder must keep free beside the
// copy `restore --check` makes there (checkCopyPlace): the live database
// in it goes on growing.
const checkRoomMargin = 64 << 20

// diskOf says which file system path is on (dev) and how many bytes this
// user may still write there (free); ok is false where that cannot be
// told (Windows; an error): disk_unix.go. A test stands in for it.
var diskOf = diskSpace

// checkCopyPlace is the folder PrecheckCopy (`meterdesk restore --check
// FILE` in a folder with a database) makes its copy of the backup in, a
// copy of need bytes (the backup and its -wal): the system's temporary
// folder, as before, unless the data folder dir is on another file system
// and has room for it (need and checkRoomMargin): then dir, where Backend.
// CheckBackup (the window's check) makes its copy too. The temporary
// folder is often a tmpfs (/tmp on many Linux systems), held in memory,
// which a copy of a large backup would fill; on the same file system
// either place takes the same room, and the temporary folder keeps the
// data folder out of it. Where the file systems cannot be told apart
// (Windows, whose temporary folder is on a disk), it is the temporary
// folder.
func checkCopyPlace(dir string, need int64) string {
	tmp := os.TempDir()
	tdev, _, tok := diskOf(tmp)
	ddev, free, dok := diskOf(dir)
	if !tok || !dok || tdev == ddev || need < 0 || free < uint64(need)+checkRoomMargin {
		return tmp
	}
	return dir
}

// backupSize is the bytes a copy of the backup abs takes: the file and
// its -wal, if it has one.
func backupSize(abs string) int64 {
	var n int64
	for _, sfx := range []string{"", "-wal"} {
		if st, err := os.Stat(abs + sfx); err == nil {
			n += st.Size()
		}
	}
	return n
}
