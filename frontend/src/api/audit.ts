/**
 * The audit log read page by page (the bound Team.AuditPage): newest first,
 * with a keyset cursor for "Load more", so a long log is never read whole
 * nor cut silently. The filter and entry types are api/team.ts's.
 */
import { call } from './bridge';
import type { AuditEntry, AuditFilter } from './team';

/** One page of the audit log (backend/team.AuditPage): next is the cursor of the following page (0 = none). */
export interface AuditPage {
  items: AuditEntry[];
  next: number;
}

/** Entries a page holds (backend/team AuditPageSize), and the most one read returns (AuditMaxPage). */
export const AUDIT_PAGE = 100;
export const AUDIT_MAX_PAGE = 1000;

/** An audit filter with the page cursor: entries below id `before` (0 or absent = the newest). */
export type AuditPageFilter = AuditFilter & { before?: number };

/** Reads one page of the filtered audit log (admin only). */
export async function auditPage(f: AuditPageFilter): Promise<AuditPage> {
  const { before = 0, ...filter } = f;
  const page = await call<AuditPage | null>('Team', 'AuditPage', filter, before);
  return { items: page?.items ?? [], next: page?.next ?? 0 };
}
