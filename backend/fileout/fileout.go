// Package fileout writes export files (statements, invoices, the audit log,
// the rate table, conversations) so that a failed, refused or cancelled
// export never leaves an empty or half-written file, and never damages a file
// that was there before.
package fileout

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"
)

var (
	// ErrNoPath is returned when no output file was given.
	ErrNoPath = errors.New("no output file chosen")
	// ErrIsFolder is returned when the output path names a folder.
	ErrIsFolder = errors.New("the output path is a folder")
	// ErrNoFolder is returned when the output file's folder does not exist.
	ErrNoFolder = errors.New("that folder does not exist")
	// ErrProtected is returned when the output path is one of the
	// workspace's own files (Protect).
	ErrProtected = errors.New("that file is the workspace's own data (its database, lock, secrets key or a restore); choose another file")
)

// protected is what Protect was given, as canonical paths.
var protected struct {
	sync.Mutex
	paths []string
}

// Protect names files no export may write over, whatever the caller: the
// data folder's database (and every file named after it: its -wal and
// -shm, a copy kept by a restore), its lock file, its secrets key and a
// staged restore. backend/core protects them when it opens a data folder.
func Protect(paths ...string) {
	protected.Lock()
	defer protected.Unlock()
	for _, p := range paths {
		if c, err := canonical(p); err == nil {
			protected.paths = append(protected.paths, c)
		}
	}
}

// canonical is path absolute, with its folder's symbolic links resolved
// (and the file's own, when it is one), so that two names of one file
// compare equal.
func canonical(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real, nil
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs)), nil
	}
	return abs, nil
}

// Check refuses an empty path, one that names a folder or lies in a folder
// that does not exist, and one of the files Protect names, so that callers
// can refuse before doing any work.
func Check(path string) error {
	if strings.TrimSpace(path) == "" {
		return fmt.Errorf("export: %w", ErrNoPath)
	}
	fi, err := os.Stat(path)
	if err == nil && fi.IsDir() {
		return fmt.Errorf("export to %s: %w", path, ErrIsFolder)
	}
	if dir, derr := os.Stat(filepath.Dir(path)); derr != nil || !dir.IsDir() {
		return fmt.Errorf("export to %s: %w (%s)", path, ErrNoFolder, filepath.Dir(path))
	}
	c, cerr := canonical(path)
	protected.Lock()
	defer protected.Unlock()
	for _, p := range protected.paths {
		if cerr == nil && (c == p || strings.HasPrefix(c, p+"-") || strings.HasPrefix(c, p+".") ||
			strings.HasPrefix(c, p+string(filepath.Separator))) {
			return fmt.Errorf("export to %s: %w", path, ErrProtected)
		}
		if err == nil { // a hard link to a protected file
			if pfi, perr := os.Stat(p); perr == nil && os.SameFile(fi, pfi) {
				return fmt.Errorf("export to %s: %w", path, ErrProtected)
			}
		}
	}
	return nil
}

// ErrNotWritable is returned when the output file's folder does not let
// this user make a file in it (its permissions, a read-only disk).
var ErrNotWritable = errors.New("cannot write in the folder")

// createTemp is os.CreateTemp; a test makes it fail as in a folder this
// user may not write in (root may write in any).
var createTemp = os.CreateTemp

// CreateBeside makes the new, empty temporary file that a file for path is
// written into before it is renamed to path: hidden, named after path
// and marked as Meterdesk's (".NAME.part-meterdesk-*", partMark; NAME cut
// to its first 228 bytes when longer: hiddenBase), in path's folder,
// readable by its owner only. A folder
// this user may not write in is ErrNotWritable, naming the folder and the
// reason ("DIR (permission denied); choose another folder"), not the
// temporary file's name, which the user never chose.
//
// It first removes, best effort, the part files a write killed outright
// (SIGKILL, a power cut) left in that folder (sweepParts). The file comes
// locked (lockPart, on unix) until it is closed: a write that stalls for
// an hour (a sleeping laptop, a stopped process) keeps its part file.
func CreateBeside(path string) (*os.File, error) {
	dir := filepath.Dir(path)
	sweepParts(dir, filepath.Base(path), time.Now())
	f, err := createTemp(dir, "."+hiddenBase(filepath.Base(path))+partMark+"*")
	if err == nil {
		lockPart(f)
		return f, nil
	}
	if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
		reason := err
		var pe *fs.PathError
		if errors.As(err, &pe) {
			reason = pe.Err
		}
		return nil, fmt.Errorf("%w %s (%v); choose another folder", ErrNotWritable, dir, reason)
	}
	return nil, err
}

// staleParts is how long a part file must have been left unchanged before
// sweepParts removes it: a write under way writes to it, and none takes
// that long without doing so.
const staleParts = time.Hour

// sweepParts removes from dir the part files CreateBeside would have made
// (isPart: ".NAME.part-meterdesk-DIGITS", a regular file, mode 0600) that
// nothing has written to for staleParts before now: what an export or
// backup killed outright left, a whole or partial copy of statements or
// the database. Of the unmarked ".NAME.part-DIGITS" that versions before
// the mark made, only those of base, the file being written, are removed
// (isOldPart): another program's ".thesis.tex.part-2" looks the same.
// Anything else, a fresh part file (a write under way, perhaps in another
// process), one a write still holds locked however old (removeUnlocked), or
// a look-alike with another mode or name, is left alone, as is what cannot
// be read, locked or removed.
func sweepParts(dir, base string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !isPart(e.Name()) && !isOldPart(e.Name(), base) || !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil || info.Mode().Perm() != 0o600 || now.Sub(info.ModTime()) < staleParts {
			continue
		}
		removeUnlocked(filepath.Join(dir, e.Name()), info)
	}
}

// partMark marks a part file as Meterdesk's: CreateBeside's names are
// ".NAME" + partMark + a number. It begins ".part-" as the names before
// it did.
const partMark = ".part-meterdesk-"

// isPart reports whether name is CreateBeside's pattern,
// ".NAME.part-meterdesk-*" as os.CreateTemp fills it: a random decimal
// number for the star.
func isPart(name string) bool {
	i := strings.LastIndex(name, partMark)
	return strings.HasPrefix(name, ".") && i >= 2 && allDigits(name[i+len(partMark):])
}

// isOldPart reports whether name is the unmarked part file that versions
// before partMark made for base: "." + base (cut at 238 bytes, their
// bound) + ".part-" + a number.
func isOldPart(name, base string) bool {
	digits, ok := strings.CutPrefix(name, "."+cutBase(base, 255-len(".")-len(".part-")-10)+".part-")
	return ok && allDigits(digits)
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// maxHiddenBase is the longest part of a file's name CreateBeside keeps in
// its temporary name: "." + it + partMark + up to 10 digits is then 255
// bytes at most, the longest name most file systems take (and no more
// UTF-16 units than bytes, Windows' measure).
const maxHiddenBase = 255 - len(".") - len(partMark) - 10

// hiddenBase is base cut to maxHiddenBase bytes, at a character's start:
// a long name the user may give (up to 255 bytes) left its temporary
// file's name too long, and the export or backup failed.
func hiddenBase(base string) string { return cutBase(base, maxHiddenBase) }

// cutBase is base cut to at most n bytes, at a character's start.
func cutBase(base string, n int) string {
	if len(base) <= n {
		return base
	}
	for n > 0 && !utf8.RuneStart(base[n]) {
		n--
	}
	return base[:n]
}

// WriteBytes is Write for data already in memory.
func WriteBytes(path string, perm os.FileMode, data []byte) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write calls write with a temporary file next to path and renames it to
// path (replacing a file of that name) only when write succeeded and the data
// reached the disk. perm is the new file's mode.
func Write(path string, perm os.FileMode, write func(io.Writer) error) error {
	if err := Check(path); err != nil {
		return err
	}
	f, err := CreateBeside(path)
	if err != nil {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	if err := os.Chmod(tmp, perm); err != nil {
		return vanished(path, tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return vanished(path, tmp, err)
	}
	ok = true
	return nil
}

// vanished words err, Write's failure to name its part file tmp, as what
// happened when tmp is gone (something removed it while the write went
// on), not as chmod's "no such file" naming a file the user never chose.
func vanished(path, tmp string, err error) error { return Vanished("export", path, tmp, err) }

// Vanished is vanished for a write called what ("export", "backup"): "WHAT
// to PATH: the temporary file beside it (NAME) was removed while writing;
// try again" when tmp is gone, else "WHAT to PATH: err".
func Vanished(what, path, tmp string, err error) error {
	if _, serr := os.Lstat(tmp); errors.Is(serr, fs.ErrNotExist) {
		return fmt.Errorf("%s to %s: the temporary file beside it (%s) was removed while writing; try again", what, path, filepath.Base(tmp))
	}
	return fmt.Errorf("%s to %s: %w", what, path, err)
}

// nopCloser is HoldPart's closer when nothing is held.
type nopCloser struct{}

func (nopCloser) Close() error { return nil }

// Missing words an error reading the file at path that a command was
// given (a backup to restore, rates to import) as the export errors above
// are worded: a file that is not there is "PATH: no such file", still
// fs.ErrNotExist for errors.Is (the CLI's exit 5, not found), where Go
// says "stat PATH: no such file or directory". Any other error (nil too)
// is returned as it is.
func Missing(path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return noFile(path)
	}
	return err
}

// ReadGiven reads the file at path that a command was given to read (rates
// to import), its refusals worded as the CLI words a file it reads (a
// backup to restore too, backend/store): one that is not there is "PATH: no
// such file" (Missing; exit 5), a folder "PATH cannot be read: it is a
// folder; give a file" (ErrInputFolder; exit 2), one this user may not read
// "PATH cannot be read: permission denied; check its permissions or copy it
// somewhere readable" (fs.ErrPermission; exit 1), where Go said "read PATH:
// is a directory" or "open PATH: permission denied".
//
// A path that goes on past a file as if it were a folder ("rates.csv/") is
// "rates.csv/ cannot be read: rates.csv is a file, not a folder; give
// rates.csv" (ErrFileAsFolder; exit 2), where Go said "not a directory".
func ReadGiven(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		return b, nil
	}
	return nil, GivenError(path, err)
}

// GivenError words err, an error opening, reading or looking at the file
// at path that a command was given to read, as ReadGiven words it: a
// folder, a file named as a folder, a file this user may not read as an
// *UnreadableError, one that is not there as Missing; any other error (nil
// too) as it is. restore words a backup it is given so (backend/store).
func GivenError(path string, err error) error {
	if err == nil {
		return nil
	}
	if st, serr := os.Stat(path); serr == nil && st.IsDir() {
		return &UnreadableError{File: path, Err: ErrInputFolder}
	}
	if errors.Is(err, syscall.ENOTDIR) {
		if file := fileOnPath(path); file != "" {
			return &UnreadableError{File: path, Err: &fileAsFolder{path: path, file: file}}
		}
	}
	return Unreadable(path, err)
}

// NamedAsFolder refuses path, a file a command was given to read, when it
// goes on past a file as if it were a folder: it ends with a path separator
// ("x.db/"), or the system finds no folder where it names one ("x.db/.",
// "x.db/../x.db"), while filepath.Abs or filepath.Clean would drop those
// words and read the file x.db. A file there is refused as ReadGiven
// refuses it ("x.db/ cannot be read: x.db is a file, not a folder; give
// x.db", ErrFileAsFolder), none there as Missing ("x.db/: no such file"); a
// folder, and any other path, are nil (read as they are, a folder refused
// so).
func NamedAsFolder(path string) error {
	if path == "" {
		return nil
	}
	trailing := os.IsPathSeparator(path[len(path)-1])
	st, err := os.Stat(path)
	switch {
	case err != nil && (trailing || errors.Is(err, syscall.ENOTDIR)):
		return GivenError(path, err)
	case err != nil, st.IsDir(), !trailing:
		return nil
	}
	// A system whose stat of "x.db/" finds the file x.db.
	return &UnreadableError{File: path, Err: &fileAsFolder{path: path, file: filepath.Clean(path)}}
}

// ErrInputFolder is a file to read (ReadGiven) that is a folder.
var ErrInputFolder = errors.New("it is a folder; give a file")

// ErrFileAsFolder is a path to read (ReadGiven) that goes on past a file
// as if it were a folder ("rates.csv/", "rates.csv/x.csv").
var ErrFileAsFolder = errors.New("a file is named as a folder")

// fileAsFolder is ErrFileAsFolder for path, with the file on it.
type fileAsFolder struct{ path, file string }

func (e *fileAsFolder) Error() string {
	msg := e.file + " is a file, not a folder"
	if filepath.Clean(e.path) == e.file { // only a "/" after it
		msg += "; give " + e.file
	}
	return msg
}

func (e *fileAsFolder) Unwrap() error { return ErrFileAsFolder }

// fileOnPath is the longest part of path, from its start, that is a file
// (not a folder), or "" when none is.
func fileOnPath(path string) string {
	for q := filepath.Clean(path); ; q = filepath.Dir(q) {
		if st, err := os.Stat(q); err == nil && !st.IsDir() {
			return q
		}
		if filepath.Dir(q) == q {
			return ""
		}
	}
}

// Unreadable words err, an error reading the file a command was given
// (path, as given), as ReadGiven does: not there, Missing's "PATH: no such
// file"; not readable by this user, an *UnreadableError; any other error
// (nil too) as it is.
func Unreadable(path string, err error) error {
	if errors.Is(err, fs.ErrPermission) {
		return &UnreadableError{File: path, Err: err}
	}
	return Missing(path, err)
}

// UnreadableError is a file a command was given to read that cannot be
// read: a folder (ErrInputFolder), or this user may not read it (its
// permissions, or a folder on its path that may not be entered). It is the
// error it wraps for errors.Is (fs.ErrPermission: the CLI's exit 1).
type UnreadableError struct {
	File string // the file, as it was given
	Err  error  // the error reading it
}

func (e *UnreadableError) Error() string {
	if errors.Is(e.Err, ErrInputFolder) || errors.Is(e.Err, ErrFileAsFolder) {
		return fmt.Sprintf("%s cannot be read: %v", e.File, e.Err)
	}
	reason := e.Err
	var pe *fs.PathError
	if errors.As(e.Err, &pe) {
		reason = pe.Err
	}
	return fmt.Sprintf("%s cannot be read: %v; check its permissions or copy it somewhere readable", e.File, reason)
}

func (e *UnreadableError) Unwrap() error { return e.Err }

// noFile is Missing's error.
type noFile string

func (e noFile) Error() string { return string(e) + ": no such file" }
func (e noFile) Unwrap() error { return fs.ErrNotExist }
