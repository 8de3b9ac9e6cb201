package ledger

// checkCache empties the account cache unless it is known to match the
// database: nobody but this writer committed since its last commit.
func (s *Service) checkCache(w *wtx, safe bool) {
	var changes, version int64
	err := w.queryRow("SELECT total_changes(), (SELECT data_version FROM pragma_data_version())").Scan(&changes, &version)
	if err != nil || safe || changes != s.cacheChanges || version != s.cacheVersion {
		clear(s.cache)
	}
	s.cacheChanges, s.cacheVersion = changes, version
	if err != nil {
		s.cacheChanges = -1
	}
}

// dropCache empties the account cache after a rollback or a failed commit.
func (s *Service) dropCache() {
	clear(s.cache)
	s.cacheChanges = -1
}
