-- Team (issue 6): members, departments, remembered devices, limits, alerts,
-- auto-recharge, notifications and the audit log. Workspace settings live in
-- the shared settings table under workspace.* keys. Times are RFC 3339 UTC text.
CREATE TABLE departments (
	id              INTEGER PRIMARY KEY,
	name            TEXT NOT NULL,
	budget_minor    INTEGER NOT NULL DEFAULT 0,  -- the reference for percent alerts
	overdraft_minor INTEGER NOT NULL DEFAULT 0,  -- how far below zero it may go (0 = protected)
	archived        INTEGER NOT NULL DEFAULT 0,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX departments_name ON departments(name COLLATE NOCASE) WHERE archived = 0;

CREATE TABLE users (
	id                INTEGER PRIMARY KEY,
	name              TEXT NOT NULL,
	display_name      TEXT NOT NULL DEFAULT '',
	role              TEXT NOT NULL CHECK (role IN ('admin','member')),
	secret_kind       TEXT NOT NULL CHECK (secret_kind IN ('password','pin')),
	secret_hash       TEXT NOT NULL,               -- argon2id, PHC string
	status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','disabled','removed')),
	funding           TEXT NOT NULL DEFAULT 'pool' CHECK (funding IN ('pool','wallet')),
	department_id     INTEGER REFERENCES departments(id),
	min_balance_minor INTEGER NOT NULL DEFAULT 0,
	failed_attempts   INTEGER NOT NULL DEFAULT 0,
	locked_until      TEXT NOT NULL DEFAULT '',
	created_at        TEXT NOT NULL,
	updated_at        TEXT NOT NULL,
	removed_at        TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX users_name ON users(name COLLATE NOCASE) WHERE status <> 'removed';

CREATE TABLE devices (
	token_hash   TEXT PRIMARY KEY,                 -- sha256 hex of the device token
	user_id      INTEGER NOT NULL REFERENCES users(id),
	created_at   TEXT NOT NULL,
	last_used_at TEXT NOT NULL
);

CREATE TABLE member_limits (
	user_id      INTEGER NOT NULL REFERENCES users(id),
	kind         TEXT NOT NULL CHECK (kind IN ('daily','monthly','model')),
	model        TEXT NOT NULL DEFAULT '',         -- only for kind = 'model'
	period       TEXT NOT NULL CHECK (period IN ('day','month')),
	amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
	PRIMARY KEY (user_id, kind, model)
);

CREATE TABLE alert_state (
	account    TEXT NOT NULL,
	threshold  TEXT NOT NULL,                      -- "abs:100", "pct:20", "depleted"
	crossed_at TEXT NOT NULL,
	PRIMARY KEY (account, threshold)
);

CREATE TABLE auto_recharge (
	account           TEXT PRIMARY KEY,            -- dept:<id> or user:<id>
	threshold_minor   INTEGER NOT NULL CHECK (threshold_minor >= 0),
	amount_minor      INTEGER NOT NULL CHECK (amount_minor > 0),
	monthly_cap_minor INTEGER NOT NULL CHECK (monthly_cap_minor >= 0),
	enabled           INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE auto_recharge_log (
	id           INTEGER PRIMARY KEY,
	account      TEXT NOT NULL,
	month        TEXT NOT NULL,                    -- YYYY-MM in the workspace time zone
	amount_minor INTEGER NOT NULL,
	at           TEXT NOT NULL
);
CREATE INDEX auto_recharge_log_month ON auto_recharge_log(account, month);

CREATE TABLE notifications (
	id         INTEGER PRIMARY KEY,
	created_at TEXT NOT NULL,
	kind       TEXT NOT NULL,                      -- alert | recharge | limit
	level      TEXT NOT NULL,                      -- info | warning | critical
	account    TEXT NOT NULL DEFAULT '',
	user_id    INTEGER,                            -- the member it concerns (NULL = admins only)
	title      TEXT NOT NULL,
	body       TEXT NOT NULL,
	read_at    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notifications_created ON notifications(created_at);

CREATE TABLE audit_log (
	id          INTEGER PRIMARY KEY,
	at          TEXT NOT NULL,
	actor_id    INTEGER,
	actor_name  TEXT NOT NULL,
	action      TEXT NOT NULL,
	target      TEXT NOT NULL DEFAULT '',
	before_json TEXT NOT NULL DEFAULT 'null',
	after_json  TEXT NOT NULL DEFAULT 'null'
);
CREATE INDEX audit_log_at ON audit_log(at);
