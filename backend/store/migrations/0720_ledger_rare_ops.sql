-- The transfers of the ops that are few among many (top-ups, grants, moves,
-- refunds, expiries, adjustments; usage is nearly all the rest), by op and id: `credits history --op
-- topup` and the History page's op filter walk this index newest first and
-- stop after a page, instead of scanning every transfer backwards (a chat
-- charge is a hold, a post or a void, and those are nearly all of them). The
-- index is partial so that a chat's hold and posting, on the send's critical
-- path, do not pay for it; the queries repeat its WHERE term word for word
-- (ledger.rareOpsTerm), as SQLite requires to use a partial index.
CREATE INDEX ledger_transfers_rare_op ON ledger_transfers(op, id)
	WHERE op NOT IN ('hold', 'post', 'void', 'usage');
