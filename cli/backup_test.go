package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackupTargets: `meterdesk backup --out` to each kind of place an admin
// may type. A new file in a folder with spaces and other scripts is
// written; a file that exists is a conflict (exit 6, was 1) and kept; a
// folder is invalid input (exit 2) naming a file to give, where it said
// "FOLDER already exists"; a missing folder is not found (exit 5); `--out -`,
// standard output for every export, is refused (exit 2), where it wrote a
// file named "-". Nothing refused is written, in the folder or the
// database.
func TestBackupTargets(t *testing.T) {
	dir := newDatabase(t)
	t.Chdir(t.TempDir()) // where a file named "-" would go
	cwd, _ := os.Getwd()
	base := t.TempDir()
	folder := filepath.Join(base, "Backups été 資料")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	taken := filepath.Join(base, "taken.db")
	if err := os.WriteFile(taken, []byte("an earlier backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("here.db", []byte("an earlier backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, out string
		code      int
		says      string
	}{
		// Named as typed, as every other refusal names it (it gave the
		// absolute path).
		{"an existing file, named relative", "here.db", ExitConflict, "meterdesk backup: here.db: that file already exists; choose a new file (a backup never replaces one)\n"},
		{"a new file", filepath.Join(folder, "Sauvegarde 💾.db"), ExitOK, ""},
		{"an existing file", taken, ExitConflict, "meterdesk backup: " + taken + ": that file already exists; choose a new file (a backup never replaces one)\n"},
		{"a folder", folder, ExitUsage, "meterdesk backup: " + folder + ": the output path is a folder: name a new file in it, such as " +
			filepath.Join(folder, "meterdesk-backup-")},
		{"a missing folder", filepath.Join(base, "nope", "b.db"), ExitNotFound, "that folder does not exist (" + filepath.Join(base, "nope") + ")"},
		{"standard output", "-", ExitUsage, "meterdesk backup: a backup cannot go to standard output (--out -): name a new file, such as meterdesk-backup-"},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, files, here := dbDump(t, dir), listFolder(t, base), listFolder(t, cwd)
			code, out, errs := run(t, "--data-dir", dir, "backup", "--out", c.out)
			if code != c.code || !strings.HasPrefix(errs, c.says) && !strings.Contains(errs, c.says) {
				t.Fatalf("exit %d %q, want %d and %q", code, errs, c.code, c.says)
			}
			if c.code == ExitOK {
				if !strings.Contains(out, "backup written to "+c.out) {
					t.Fatalf("output %q", out)
				}
				if st, err := os.Stat(c.out); err != nil || st.Size() == 0 {
					t.Fatalf("the backup: %v", err)
				}
				return
			}
			if dbDump(t, dir) != db || listFolder(t, base) != files || listFolder(t, cwd) != here {
				t.Fatal("a refused backup wrote")
			}
			if b, _ := os.ReadFile(taken); string(b) != "an earlier backup" {
				t.Fatalf("the earlier backup was changed: %q", b)
			}
		})
	}
}

// listFolder names what dir and its folders hold.
func listFolder(t *testing.T, dir string) string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(p string, _ os.DirEntry, err error) error {
		names = append(names, p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(names, "\n")
}

// TestBackupSuggestsAFreeName: the name a refused backup suggests (to a
// folder, or to `--out -` in the current folder) is one no file has there,
// so the day's second backup made with it is written: it was
// meterdesk-backup-DATE.db again, which the backup refused (exit 6).
func TestBackupSuggestsAFreeName(t *testing.T) {
	dir := newDatabase(t)
	folder := t.TempDir()
	t.Chdir(folder)
	suggested := func(out, after string) string {
		t.Helper()
		code, _, errs := run(t, "--data-dir", dir, "backup", "--out", out)
		i := strings.LastIndex(errs, after)
		if code != ExitUsage || i < 0 {
			t.Fatalf("backup --out %s: exit %d %q", out, code, errs)
		}
		rest, _, _ := strings.Cut(errs[i+len(after):], "\n")
		return rest
	}
	var names []string
	for range 3 {
		inFolder := suggested(folder, "such as ")
		if here := suggested("-", "such as "); filepath.Join(folder, here) != inFolder {
			t.Fatalf("--out - suggests %q, the folder %q", here, inFolder)
		}
		if code, _, errs := run(t, "--data-dir", dir, "backup", "--out", inFolder); code != ExitOK {
			t.Fatalf("backup --out %s (the name suggested): exit %d %q", inFolder, code, errs)
		}
		names = append(names, filepath.Base(inFolder))
	}
	for i, n := range names {
		want := map[int]string{0: ".db", 1: "-2.db", 2: "-3.db"}[i]
		if !strings.HasPrefix(n, "meterdesk-backup-") || !strings.HasSuffix(n, want) || len(n) != len("meterdesk-backup-2026-01-31")+len(want) {
			t.Errorf("backup %d was offered %q, want meterdesk-backup-DATE%s", i+1, n, want)
		}
	}
}

// TestHelpNamesTheBackupConflict: `meterdesk help` says exit 6 is also a
// backup file that already exists, as the README's table does.
func TestHelpNamesTheBackupConflict(t *testing.T) {
	code, out, errs := run(t, "help")
	if i := strings.Index(out, "  6  conflict:"); code != 0 || i < 0 || !strings.Contains(out[i:], "the backup file already exists") {
		t.Fatalf("help: exit %d %q %q", code, out, errs)
	}
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "| 6 | conflict with what is there: the name is taken, the backup file already exists") {
		t.Fatal("README's exit-code table does not name the backup file that exists")
	}
}
