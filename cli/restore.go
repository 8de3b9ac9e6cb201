package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/core"
	"meterdesk/backend/money"
	"meterdesk/backend/shellquote"
	"meterdesk/backend/store"
	"meterdesk/backend/workzone"
)

func init() {
	Register(Command{
		Name: "restore", Summary: "replace the database with a backup (the current one is kept beside it)",
		Example: `meterdesk restore --check meterdesk-2026-01-31.db`,
		// The database is opened by the restore itself, with the data
		// folder held exclusively (core.RestoreNow).
		NoBackend: true,
		Usage: `meterdesk restore [--yes] FILE   replace the database with the backup in FILE, now
meterdesk restore --check FILE   check FILE as a restore would and describe it; change nothing
meterdesk restore --status       show a restore staged in the window (finished when Meterdesk next starts)
meterdesk restore --cancel       drop that staged restore

Admins only. The backup is checked first (SQLite integrity, a Meterdesk
schema no newer than this version, the ledger adding up) and brought up to
this version. The current database is kept in the data folder as
meterdesk.db.before-restore-<time>. No other Meterdesk process (a window,
` + "`meterdesk serve`" + `) may have the data folder open. A current database that
cannot be opened (damaged, from a newer version) is replaced without a
sign-in, and a data folder with no database yet (a new computer) takes the
backup without one, and --check checks a backup there without one, making
nothing in the folder (which need not exist yet); --check --json says
"hasDatabase": false there (true in a folder with a database). In a database with no
workspace yet (the window closed at its first-run wizard) restore FILE,
--check, --status and --cancel all work without a sign-in.

A backup holds no provider API keys that can be opened elsewhere: they are
sealed with the data folder's secrets.key, which no backup holds, or kept in
the OS keychain. --check and the restore name the providers whose keys this
machine cannot open for this data folder; type those keys again after the
restore (meterdesk providers update NAME --key-stdin).

A backup of another workspace than the one in the data folder (another
workspace set up elsewhere, not this one under an older name) would replace
it, and its members, you too, could then sign in only as the backup's
members: restore FILE refuses it (exit 6, nothing changed), naming both
workspaces, unless --yes is given; --check says so.

A damaged backup is refused saying what is wrong with it (exit 1, nothing
changed); with --json, {"ok": false, "problem": "...", "detail": "..."} is
printed too, detail holding SQLite's own words for whoever supports you.`,
		Run: runRestore,
	})
}

func runRestore(env *Env, args []string) error {
	fs := env.Flags("restore")
	check := fs.Bool("check", false, "check and describe the backup only")
	status := fs.Bool("status", false, "show the staged restore")
	cancel := fs.Bool("cancel", false, "drop the staged restore")
	yes := fs.Bool("yes", false, "restore a backup of another workspace, replacing this one")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	modes := 0
	for _, on := range []bool{*check, *status, *cancel} {
		if on {
			modes++
		}
	}
	switch {
	case modes > 1:
		return Usagef("give one of --check, --status and --cancel")
	case (*status || *cancel) && len(pos) > 0:
		return Usagef("unexpected argument %q", pos[0])
	case !*status && !*cancel && (len(pos) != 1 || pos[0] == ""):
		return Usagef("give the backup FILE (one)")
	case *yes && modes > 0:
		return Usagef("--yes goes with restore FILE only")
	}
	if modes == 0 {
		r, err := core.RestoreNow(env.Ctx, core.Options{DataDir: env.DataDir, Version: Version, ReplaceWorkspace: *yes}, pos[0],
			func(b *core.Backend) (access.Actor, error) {
				env.Backend = b
				return signIn(env, env.User)
			})
		if errors.Is(err, core.ErrOtherWorkspace) {
			return fmt.Errorf("%w; to replace it all the same, run again with --yes", err)
		}
		if err != nil {
			return damagedVerdict(env, err)
		}
		return env.Print(r, func(w io.Writer) {
			fmt.Fprintf(w, "restored the database from %s\n", r.Backup.File)
			printSummary(w, r.Backup)
			if r.Kept == "" {
				fmt.Fprintln(w, "the folder had no database to replace")
			} else {
				fmt.Fprintf(w, "the database it replaced is kept as %s\n", r.Kept)
			}
		})
	}
	var prechecked *core.CheckedBackup
	if *check {
		// A folder with no database (a new computer): the backup is
		// checked for it with no sign-in, as `restore FILE` restores it
		// there, and nothing is made in it. A mistyped --data-dir is told
		// apart by the line saying the folder has no database yet.
		has, err := core.HasDatabase(env.DataDir)
		if err != nil {
			return err
		}
		if !has {
			s, err := core.CheckBackupFile(env.Ctx, core.Options{DataDir: env.DataDir, Version: Version}, pos[0])
			if err != nil {
				return damagedVerdict(env, err)
			}
			return env.Print(checked{s, false}, func(w io.Writer) {
				fmt.Fprintf(w, "%s can be restored\n", s.File)
				printSummary(w, s)
				fmt.Fprintf(w, "%s has no database yet: `meterdesk restore FILE` brings this backup there, with no sign-in\n",
					env.noWorkspace(false).dir)
			})
		}
		// The backup's own checks come before the database is opened to
		// sign in (which migrates it and runs its start-up jobs): a
		// damaged or newer backup leaves it as it was. The copy checked
		// is what the check after the sign-in describes: the backup is
		// checked once. Another workspace's is no refusal here: the check
		// describes it.
		c, err := core.PrecheckCopy(env.Ctx, core.Options{DataDir: env.DataDir, ReplaceWorkspace: true}, pos[0])
		if err != nil {
			return damagedVerdict(env, err)
		}
		defer c.Close()
		prechecked = c
	}
	// --check, --status and --cancel leave a staged restore staged, and
	// work where `restore FILE` does without a sign-in: in a database with
	// no workspace (the window closed at its first-run wizard), where the
	// system acts. A folder with no database is refused by --status and
	// --cancel (exit 5), as by other commands: it may be a mistyped
	// --data-dir, and there is nothing staged to show or drop.
	closeBackend, err := env.open(openOptions{leaveRestore: true, notSetUp: true})
	if err != nil {
		return err
	}
	defer closeBackend()
	switch {
	case *check:
		s, err := env.Backend.CheckCheckedBackup(env.Ctx, pos[0], prechecked)
		if err != nil {
			return damagedVerdict(env, err)
		}
		return env.Print(checked{s, true}, func(w io.Writer) {
			fmt.Fprintf(w, "%s can be restored\n", s.File)
			printSummary(w, s)
			if s.OtherWorkspace {
				// the command to run, with the path as typed (it printed a
				// literal FILE), after "--" when it starts with '-', which
				// a shell's quotes do not stop the flags reading as one
				file := shellquote.Word(pos[0])
				if strings.HasPrefix(pos[0], "-") {
					file = "-- " + file
				}
				fmt.Fprintf(w, "it is restored only with --yes: meterdesk restore --yes %s\n", file)
			}
		})
	case *cancel:
		st, err := env.Backend.RestoreStatus(env.Ctx)
		if err != nil {
			return err
		}
		if err := env.Backend.CancelRestore(env.Ctx); err != nil {
			return err
		}
		return env.Print(map[string]bool{"cancelled": st.Pending != nil}, func(w io.Writer) {
			if st.Pending == nil {
				fmt.Fprintln(w, "no restore is staged")
				return
			}
			fmt.Fprintf(w, "cancelled the restore from %s\n", st.Pending.Backup.File)
		})
	default:
		st, err := env.Backend.RestoreStatus(env.Ctx)
		if err != nil {
			return err
		}
		// Staged in this database: its workspace's zone, as every other
		// command prints times in.
		loc, err := env.Backend.Zone(env.Ctx)
		if err != nil {
			return err
		}
		return env.Print(st, func(w io.Writer) {
			if st.Pending == nil {
				fmt.Fprintln(w, "no restore is staged")
				return
			}
			p := st.Pending
			fmt.Fprintf(w, "staged by %s at %s: restore from %s\n", p.StagedBy, zoned(p.StagedAt, loc), p.Backup.File)
			printSummary(w, p.Backup)
			fmt.Fprintln(w, "it finishes when Meterdesk next starts with no other Meterdesk process open; `meterdesk restore --cancel` drops it")
		})
	}
}

// damaged is what `restore --json` and `restore --check --json` print for
// a damaged backup, as `meterdesk check --json` prints a damaged database:
// ok false, the problem (the error line's words) and SQLite's own words
// with its result code (detail), which the message leaves out (nobody can
// act on "(11)"), for whoever supports the person restoring.
type damaged struct {
	OK      bool   `json:"ok"`
	Problem string `json:"problem"`
	Detail  string `json:"detail,omitempty"`
}

// damagedVerdict returns err, printing first, with --json, the damaged
// verdict of a backup refused as damaged (store.BackupDamagedError); the
// error line and exit code stay as without --json.
func damagedVerdict(env *Env, err error) error {
	var d *store.BackupDamagedError
	if env.JSON && errors.As(err, &d) {
		if perr := env.Print(damaged{Problem: d.Error(), Detail: d.Detail}, nil); perr != nil {
			return perr
		}
	}
	return err
}

// checked is what `restore --check --json` prints: the backup's summary
// and whether the data folder has a database. false is a folder with none
// yet (a new computer, or a mistyped --data-dir), where the backup was
// checked without a sign-in and `restore FILE` brings it with none; the
// text says so in its last line ("DIR has no database yet: …").
type checked struct {
	core.BackupSummary
	HasDatabase bool `json:"hasDatabase"`
}

// printSummary writes what a backup holds. Its times are in the backup's
// own workspace zone (s.TimeZone), named, as the backup's workspace printed
// them; a summary without one (staged by an older version) or with a zone
// this machine does not know uses this computer's zone, as a workspace with
// none set does.
func printSummary(w io.Writer, s core.BackupSummary) {
	loc, err := workzone.Named(s.TimeZone)
	if err != nil {
		if loc, err = workzone.Named(""); err != nil {
			loc = time.UTC
		}
	}
	name := s.Workspace
	if name == "" {
		name = "(not set up)"
	}
	fmt.Fprintf(w, "  workspace     %s\n", name)
	fmt.Fprintf(w, "  members       %d\n", s.Members)
	fmt.Fprintf(w, "  pool          %s credits\n", money.DisplayString(s.PoolBalance))
	fmt.Fprintf(w, "  transfers     %d\n", s.Transfers)
	if s.LastActivity != nil {
		fmt.Fprintf(w, "  last transfer %s\n", zoned(*s.LastActivity, loc))
	}
	fmt.Fprintf(w, "  file          %d bytes, modified %s\n", s.SizeBytes, zoned(s.Modified, loc))
	if s.KeysNote != "" {
		fmt.Fprintf(w, "note: %s\n", forTerminal(w)(s.KeysNote))
	}
	if s.WorkspaceNote != "" {
		fmt.Fprintf(w, "warning: %s\n", forTerminal(w)(s.WorkspaceNote))
	}
}

// zoned formats t as every time the CLI prints (workzone.LocalTime, to
// the second) in loc, naming the zone: "2026-11-20 10:58:00 Europe/Berlin".
func zoned(t time.Time, loc *time.Location) string {
	return workzone.LocalTime(t, loc, workzone.Seconds) + " " + loc.String()
}
