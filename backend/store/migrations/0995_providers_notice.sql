-- A notice for the admin on a provider: what Meterdesk changed in it by
-- itself, shown in Settings → Providers and `meterdesk providers list`
-- until the provider is next saved. Written at start-up when a credential
-- an older version saved in base_url is moved out of it
-- (providers.Service.MoveURLCredentials, docs/providers.md).
ALTER TABLE providers ADD COLUMN notice TEXT NOT NULL DEFAULT '';
