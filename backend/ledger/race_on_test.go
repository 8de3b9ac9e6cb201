//go:build race

package ledger

// raceEnabled shortens the long randomised tests under the race detector,
// which slows SQLite ~10x; the full run happens without -race.
const raceEnabled = true
