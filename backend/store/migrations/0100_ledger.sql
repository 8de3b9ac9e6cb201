-- Credit ledger (backend/ledger). Amounts are INTEGER minor units at
-- money.Scale = 9 (1 credit = 1,000,000,000 minor units). Times are UTC text
-- 'YYYY-MM-DDTHH:MM:SS.fffZ' (fixed width, so text order is time order).

-- Accounts with materialised balances. balance_minor always equals
-- credits - debits over the account's posted transfers (kind posted|post).
CREATE TABLE ledger_accounts (
	id               INTEGER PRIMARY KEY,
	code             TEXT NOT NULL UNIQUE,
	kind             TEXT NOT NULL CHECK (kind IN ('pool','dept','user','system')),
	policy           TEXT NOT NULL CHECK (policy IN ('unlimited','blocked','overdraft','minimum','carry')),
	limit_minor      INTEGER NOT NULL DEFAULT 0 CHECK (limit_minor >= 0),
	balance_minor    INTEGER NOT NULL DEFAULT 0,
	pending_minor    INTEGER NOT NULL DEFAULT 0 CHECK (pending_minor >= 0),
	used_minor       INTEGER NOT NULL DEFAULT 0,
	last_transfer_id INTEGER,
	created_at       TEXT NOT NULL
);

-- Append-only transfers. request_id is the client's idempotency id; a
-- multi-leg request has legs 0..n-1 and the input hash on every leg.
-- kind: posted (immediate), pending (a hold), post (resolves a hold with a
-- posting), void (resolves a hold without one; amount = the released hold).
CREATE TABLE ledger_transfers (
	id                INTEGER PRIMARY KEY,
	request_id        TEXT NOT NULL,
	leg               INTEGER NOT NULL DEFAULT 0,
	input_hash        TEXT NOT NULL,
	op                TEXT NOT NULL,
	kind              TEXT NOT NULL CHECK (kind IN ('posted','pending','post','void')),
	debit_id          INTEGER NOT NULL REFERENCES ledger_accounts(id),
	credit_id         INTEGER NOT NULL REFERENCES ledger_accounts(id),
	amount_minor      INTEGER NOT NULL CHECK (amount_minor >= 0),
	hold_id           INTEGER REFERENCES ledger_transfers(id),
	debt_repaid_minor INTEGER NOT NULL DEFAULT 0,
	user_id           INTEGER,
	department_id     INTEGER,
	model             TEXT NOT NULL DEFAULT '',
	source            TEXT NOT NULL DEFAULT '',
	conversation_id   INTEGER,
	meta              TEXT NOT NULL DEFAULT '{}',
	created_at        TEXT NOT NULL,
	UNIQUE (request_id, leg)
);
CREATE INDEX ledger_transfers_debit ON ledger_transfers(debit_id, id);
CREATE INDEX ledger_transfers_credit ON ledger_transfers(credit_id, id);
CREATE INDEX ledger_transfers_created ON ledger_transfers(created_at);
CREATE INDEX ledger_transfers_user ON ledger_transfers(user_id, id) WHERE user_id IS NOT NULL;

-- Holds (the mutable state of pending transfers). A hold resolves at most
-- once: status moves from pending to posted or voided and never back.
CREATE TABLE ledger_holds (
	transfer_id    INTEGER PRIMARY KEY REFERENCES ledger_transfers(id),
	debit_id       INTEGER NOT NULL REFERENCES ledger_accounts(id),
	credit_id      INTEGER NOT NULL REFERENCES ledger_accounts(id),
	amount_minor   INTEGER NOT NULL CHECK (amount_minor >= 0),
	status         TEXT NOT NULL CHECK (status IN ('pending','posted','voided')),
	expires_at     TEXT NOT NULL,
	owner_pid      INTEGER NOT NULL,
	owner_instance TEXT NOT NULL,
	resolved_by    INTEGER REFERENCES ledger_transfers(id)
);
CREATE INDEX ledger_holds_pending ON ledger_holds(debit_id, expires_at) WHERE status = 'pending';

-- Credit lots: the non-negative part of a non-system account's balance,
-- split by expiry ('9999-12-31T23:59:59.999Z' = never). Lots with the same
-- expiry are merged. Sum(remaining_minor) = max(balance_minor, 0).
CREATE TABLE ledger_lots (
	id              INTEGER PRIMARY KEY,
	account_id      INTEGER NOT NULL REFERENCES ledger_accounts(id),
	expires_at      TEXT NOT NULL,
	remaining_minor INTEGER NOT NULL CHECK (remaining_minor > 0),
	UNIQUE (account_id, expires_at)
);

-- Top-up commercial record (for statements and invoices): price in integer
-- minor units of the currency, the currency code and the tax rate.
CREATE TABLE ledger_topups (
	transfer_id       INTEGER PRIMARY KEY REFERENCES ledger_transfers(id),
	account_id        INTEGER NOT NULL REFERENCES ledger_accounts(id),
	credits_minor     INTEGER NOT NULL CHECK (credits_minor > 0),
	package_id        INTEGER REFERENCES ledger_packages(id),
	price_minor       INTEGER NOT NULL CHECK (price_minor >= 0),
	currency          TEXT NOT NULL,
	tax_rate          TEXT NOT NULL,
	lot_expires_at    TEXT NOT NULL,
	debt_repaid_minor INTEGER NOT NULL DEFAULT 0,
	created_at        TEXT NOT NULL
);
CREATE INDEX ledger_topups_created ON ledger_topups(created_at);

-- Admin-defined top-up packages. price_minor is what is charged; discount is
-- the advertised label (a decimal percentage string, '' = none).
CREATE TABLE ledger_packages (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL,
	credits_minor INTEGER NOT NULL CHECK (credits_minor > 0),
	price_minor   INTEGER NOT NULL CHECK (price_minor >= 0),
	currency      TEXT NOT NULL,
	discount      TEXT NOT NULL DEFAULT '',
	active        INTEGER NOT NULL DEFAULT 1,
	sort          INTEGER NOT NULL DEFAULT 0
);

INSERT INTO ledger_accounts(code, kind, policy, created_at) VALUES
	('pool',       'pool',   'blocked',   strftime('%Y-%m-%dT%H:%M:%fZ','now')),
	('sys:topup',  'system', 'unlimited', strftime('%Y-%m-%dT%H:%M:%fZ','now')),
	('sys:usage',  'system', 'unlimited', strftime('%Y-%m-%dT%H:%M:%fZ','now')),
	('sys:expiry', 'system', 'unlimited', strftime('%Y-%m-%dT%H:%M:%fZ','now')),
	('sys:adjust', 'system', 'unlimited', strftime('%Y-%m-%dT%H:%M:%fZ','now')),
	('sys:refund', 'system', 'unlimited', strftime('%Y-%m-%dT%H:%M:%fZ','now'));

INSERT INTO ledger_packages(name, credits_minor, price_minor, currency, discount, sort) VALUES
	('1,000 credits',     1000000000000,   1000, 'EUR', '',   1),
	('5,000 credits',     5000000000000,   5000, 'EUR', '5',  2),
	('10,000 credits',   10000000000000,   9500, 'EUR', '',   3),
	('50,000 credits',   50000000000000,  45000, 'EUR', '10', 4),
	('100,000 credits', 100000000000000,  85000, 'EUR', '15', 5);
