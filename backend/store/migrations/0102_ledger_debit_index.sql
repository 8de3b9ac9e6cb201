-- The account index of the debit side moves out of ledger_transfers into a
-- table of its own that the ledger's writer fills in bulk (backend/ledger,
-- debitindex.go), at most every 100 ms, instead of one B-tree insert into a
-- different part of the index for every transfer. With many wallets
-- spending at once, that per-transfer insert dirtied one index page per
-- wallet per commit and bounded the writer (docs/ledger.md, "The debit
-- index"). ledger_debit_index holds (debit account, transfer id) for every
-- transfer with id <= ledger_index_state.debits_through; readers add the
-- few newer transfers from ledger_transfers itself, so a read always sees
-- every committed transfer. Both tables change only in the writer's
-- transactions, so every snapshot is consistent.
CREATE TABLE ledger_debit_index (
	account_id  INTEGER NOT NULL,
	transfer_id INTEGER NOT NULL,
	PRIMARY KEY (account_id, transfer_id)
) WITHOUT ROWID;

CREATE TABLE ledger_index_state (
	id             INTEGER PRIMARY KEY CHECK (id = 1),
	debits_through INTEGER NOT NULL CHECK (debits_through >= 0)
);

INSERT INTO ledger_debit_index(account_id, transfer_id)
	SELECT debit_id, id FROM ledger_transfers ORDER BY debit_id, id;
INSERT INTO ledger_index_state(id, debits_through)
	VALUES (1, COALESCE((SELECT MAX(id) FROM ledger_transfers), 0));

DROP INDEX ledger_transfers_debit;
