package app

import (
	"os"

	"meterdesk/backend/access"
	"meterdesk/backend/core"
	"meterdesk/backend/prefs"
)

func init() { register(func(a *App) any { return &System{app: a} }) }

// System is the bound struct for app-wide things: version, data folder,
// preferences, backups and restores.
type System struct{ app *App }

// Info describes the running app.
type Info struct {
	Version string `json:"version"`
	DataDir string `json:"dataDir"`
	DBPath  string `json:"dbPath"`
}

// Info returns the version and where the data lives.
func (s *System) Info() (Info, error) {
	b := s.app.Backend
	return Info{Version: b.Version, DataDir: b.DataDir, DBPath: b.DB.Path}, nil
}

// SettingKeys lists the preferences the UI may show.
func (s *System) SettingKeys() ([]prefs.Key, error) { return prefs.Keys(), nil }

// GetSetting returns a preference ("" when unset).
func (s *System) GetSetting(key string) (string, error) {
	return s.app.Backend.Prefs.Get(s.app.Ctx(), key)
}

// SetSetting stores a preference and says what it did: the value as
// stored and whether it had it already (unchanged: nothing written).
func (s *System) SetSetting(key, value string) (prefs.Change, error) {
	return s.app.Backend.Prefs.Change(s.app.Ctx(), key, value)
}

// ChooseBackupFile opens a native save dialog for a backup; "" if cancelled.
// A member is refused before any dialog opens (Backup is admins' only).
func (s *System) ChooseBackupFile() (string, error) {
	if _, err := access.RequireAdmin(s.app.Ctx(), "back up the database"); err != nil {
		return "", err
	}
	// The dialog opens in the home folder, offering a name free there
	// (the day's second backup is meterdesk-backup-DATE-2.db), dated in
	// the workspace's zone.
	home, err := os.UserHomeDir()
	if err != nil {
		home = ""
	}
	name := s.app.Backend.SuggestBackupName(s.app.Ctx(), home)
	return s.app.SaveFileDialogIn("Back up the Meterdesk database", home, name, "*.db")
}

// Backup writes a consistent copy of the database to path, a file the user
// chose with ChooseBackupFile (ErrPathNotChosen otherwise: a copy holds
// everything), and returns it.
func (s *System) Backup(path string) (string, error) {
	// The path must have been chosen in the save dialog: checked by the
	// backend after the role, so a member is refused for the role first.
	if err := s.app.Backend.Backup(s.app.Ctx(), path, s.app.saves.check); err != nil {
		return "", err
	}
	s.app.saves.used(path)
	return path, nil
}

// CheckDatabase reads every page of the database for damage (admins only),
// as `meterdesk check` does, while the window goes on using it; a damaged
// database is the answer's Problem, not an error. Nothing is written.
func (s *System) CheckDatabase() (core.DatabaseCheck, error) {
	return s.app.Backend.CheckDatabase(s.app.Ctx())
}

// ChooseRestoreFile opens a native open dialog for a backup; "" if
// cancelled. A member is refused before any dialog opens (a restore is
// admins' only).
func (s *System) ChooseRestoreFile() (string, error) {
	if _, err := access.RequireAdmin(s.app.Ctx(), "restore the database"); err != nil {
		return "", err
	}
	return s.app.OpenFileDialog("Restore the Meterdesk database from a backup", "*.db")
}

// CheckBackup checks the backup at path as a restore would (admins only)
// and describes it; nothing is written.
func (s *System) CheckBackup(path string) (core.BackupSummary, error) {
	return s.app.Backend.CheckBackup(s.app.Ctx(), path)
}

// StageRestore checks the backup at path and stages it (admins only); it is
// finished when Meterdesk next starts (Restart).
func (s *System) StageRestore(path string, replaceWorkspace bool) (core.Restore, error) {
	return s.app.Backend.StageRestore(s.app.Ctx(), path, replaceWorkspace)
}

// RestoreStatus returns the staged restore and the one finished at start-up.
func (s *System) RestoreStatus() (core.RestoreStatus, error) {
	return s.app.Backend.RestoreStatus(s.app.Ctx())
}

// CancelRestore drops the staged restore (admins only) and returns the
// status after it.
func (s *System) CancelRestore() (core.RestoreStatus, error) {
	ctx := s.app.Ctx()
	if err := s.app.Backend.CancelRestore(ctx); err != nil {
		return core.RestoreStatus{}, err
	}
	return s.app.Backend.RestoreStatus(ctx)
}

// Restart starts Meterdesk again and closes this window (admins only): the
// new process finishes a staged restore.
func (s *System) Restart() (bool, error) {
	if _, err := access.RequireAdmin(s.app.Ctx(), "restart Meterdesk"); err != nil {
		return false, err
	}
	if err := s.app.Restart(); err != nil {
		return false, err
	}
	return true, nil
}
