-- What each API key of the local API was charged (backend/gateway): the
-- requests charged with it and their credits, in minor units (the ledger's,
-- money.ToMinor), added in the transaction that posts each charge, so they
-- never drift from the ledger. The ledger does not name the key (its
-- dimensions are the member, model and source), so a key's usage before
-- this migration is not known: it counts from 0.
ALTER TABLE gateway_keys ADD COLUMN charged_requests INTEGER NOT NULL DEFAULT 0;
ALTER TABLE gateway_keys ADD COLUMN charged_minor INTEGER NOT NULL DEFAULT 0;
