// Package ledger is Meterdesk's double-entry credit ledger: accounts with
// materialised balances, append-only transfers, holds (pending, post, void),
// idempotent client ids, balance policies, top-ups with a commercial record,
// credit lots with expiry, and paged history.
//
// Every write goes through one group-commit goroutine: it collects queued
// requests, runs each inside its own SAVEPOINT of one BEGIN IMMEDIATE
// transaction on store.DB.Writer(), commits once (synchronous=FULL) and only
// then releases the callers. A rejected request rolls back to its savepoint
// and changes nothing. See docs/ledger.md for the model and its rules.
package ledger
