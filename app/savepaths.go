package app

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
)

// ErrPathNotChosen: the frontend asked to write a file the user did not
// choose in a save dialog of this window.
var ErrPathNotChosen = errors.New("choose where to save the file in the save dialog first")

// savePaths remembers the files the user chose in the window's native save
// dialog. An export the frontend starts may write only such a file, once,
// so no page (nor a script that got into one) can name another file, such
// as the database in the data folder.
type savePaths struct {
	mu     sync.Mutex
	chosen map[string]bool
}

// grant records path, just chosen in a save dialog.
func (s *savePaths) grant(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.chosen == nil {
		s.chosen = map[string]bool{}
	}
	s.chosen[filepath.Clean(path)] = true
}

// check refuses a path the user has not chosen (or whose export started).
func (s *savePaths) check(path string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if path == "" || !s.chosen[filepath.Clean(path)] {
		return fmt.Errorf("export to %q: %w", path, ErrPathNotChosen)
	}
	return nil
}

// used forgets path once an export to it has started.
func (s *savePaths) used(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.chosen, filepath.Clean(path))
}
