-- Invoices and credit notes (backend/statements). Append-only: corrections
-- are credit notes, never edits. Numbers are gap-free per series ('INV',
-- 'CN'): seq is allocated as MAX(seq)+1 inside the same write transaction
-- that inserts the row, so a rolled-back or crashed transaction uses no number.
-- Amounts: credits_minor at money.Scale; net/tax/gross in minor units of the
-- currency (its ISO 4217 exponent, e.g. cents for EUR); credit notes carry
-- negative amounts.
CREATE TABLE invoices (
	id            INTEGER PRIMARY KEY,
	series        TEXT    NOT NULL CHECK (series IN ('INV','CN')),
	seq           INTEGER NOT NULL CHECK (seq > 0),
	number        TEXT    NOT NULL UNIQUE,
	transfer_id   INTEGER UNIQUE REFERENCES ledger_transfers(id),
	corrects_id   INTEGER REFERENCES invoices(id),
	issue_date    TEXT    NOT NULL,
	seller        TEXT    NOT NULL, -- JSON party: name, address, taxId, email
	buyer         TEXT    NOT NULL, -- JSON party
	description   TEXT    NOT NULL,
	credits_minor INTEGER NOT NULL,
	net_minor     INTEGER NOT NULL,
	tax_rate      TEXT    NOT NULL, -- percent, decimal string
	tax_minor     INTEGER NOT NULL,
	gross_minor   INTEGER NOT NULL,
	currency      TEXT    NOT NULL,
	reason        TEXT    NOT NULL DEFAULT '',
	created_at    TEXT    NOT NULL,
	UNIQUE (series, seq),
	CHECK ((series = 'CN') = (corrects_id IS NOT NULL)),
	CHECK (gross_minor = net_minor + tax_minor)
);

CREATE TRIGGER invoices_no_update BEFORE UPDATE ON invoices
BEGIN SELECT RAISE(ABORT, 'invoices are append-only: issue a credit note'); END;
CREATE TRIGGER invoices_no_delete BEFORE DELETE ON invoices
BEGIN SELECT RAISE(ABORT, 'invoices are append-only: issue a credit note'); END;
-- Gap-free: a new row must take exactly the next number of its series.
CREATE TRIGGER invoices_gap_free BEFORE INSERT ON invoices
WHEN NEW.seq <> (SELECT COALESCE(MAX(seq), 0) + 1 FROM invoices WHERE series = NEW.series)
BEGIN SELECT RAISE(ABORT, 'invoice numbers must be sequential without gaps'); END;
