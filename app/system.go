package app

import "meterdesk/backend/prefs"

func init() { register(func(a *App) any { return &System{app: a} }) }

// System is the bound struct for app-wide things: version, data folder,
// preferences and backups.
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

// SetSetting stores a preference and returns the stored value.
func (s *System) SetSetting(key, value string) (string, error) {
	return s.app.Backend.Prefs.Set(s.app.Ctx(), key, value)
}

// ChooseBackupFile opens a native save dialog for a backup; "" if cancelled.
func (s *System) ChooseBackupFile() (string, error) {
	return s.app.SaveFileDialog("Back up the Meterdesk database", "meterdesk-backup.db", "*.db")
}

// Backup writes a consistent copy of the database to path and returns it.
func (s *System) Backup(path string) (string, error) {
	if err := s.app.Backend.Backup(s.app.Ctx(), path); err != nil {
		return "", err
	}
	return path, nil
}
