-- The audit log by target and by action. `meterdesk audit list --target` and
-- the window's Target filter read one target's entries newest first; naming
-- provider targets reads the provider.remove and provider.add entries; the
-- Target filter's list reads each distinct target once (a skip over this
-- index, team.ListAuditTargets). Without these indexes each of those reads
-- was a scan of every entry, JSON and all (docs/benchmarks.md, "The audit
-- log by target"). Audit entries are written one per admin action, so the
-- two indexes cost nothing that shows.
CREATE INDEX audit_log_target ON audit_log(target, id);
CREATE INDEX audit_log_action ON audit_log(action, id);
