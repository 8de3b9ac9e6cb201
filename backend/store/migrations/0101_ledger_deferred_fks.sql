-- meterdesk:writable-schema
-- The ledger's foreign keys on ledger_transfers (debit, credit, hold) are
-- checked at COMMIT instead of per statement (DEFERRABLE INITIALLY
-- DEFERRED). Immediate foreign keys make SQLite keep a statement journal for
-- every multi-row INSERT (it may have to undo the rows it already wrote),
-- which cost ~10% of the writer's CPU in the ledger's batch flush
-- (docs/ledger.md, "Deferred writes"). The ledger only ever writes ids it
-- has just read, and any violation still fails the whole transaction.
--
-- Deferrability changes nothing on disk, so the table definition is edited
-- in place with the procedure of sqlite.org/lang_altertable.html ("Making
-- Other Kinds Of Table Schema Changes"); the migration runner sets
-- writable_schema, bumps schema_version and runs quick_check around it (see
-- the writable-schema marker in backend/store/migrate.go).
UPDATE sqlite_schema SET sql =
	replace(replace(sql,
		'REFERENCES ledger_accounts(id)', 'REFERENCES ledger_accounts(id) DEFERRABLE INITIALLY DEFERRED'),
		'REFERENCES ledger_transfers(id)', 'REFERENCES ledger_transfers(id) DEFERRABLE INITIALLY DEFERRED')
WHERE type = 'table' AND name = 'ledger_transfers' AND sql NOT LIKE '%DEFERRABLE%';
