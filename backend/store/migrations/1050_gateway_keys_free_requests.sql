-- How many of an API key's charged requests were free (charged 0: a model
-- whose rates are 0), added with charged_requests in the transaction that
-- posts each charge (backend/gateway countCharge), so a key with free and
-- paid requests says how many of its requests cost the credits it shows
-- (gateway.KeyUsage: "5 requests (2 free), 12.50 credits"). The ledger does
-- not name the key, so earlier free requests are known only where every
-- request of the key was free (nothing charged); elsewhere they count from 0.
ALTER TABLE gateway_keys ADD COLUMN free_requests INTEGER NOT NULL DEFAULT 0;
UPDATE gateway_keys SET free_requests = charged_requests WHERE charged_minor = 0;
