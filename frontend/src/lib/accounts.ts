/**
 * Human names for ledger account codes ("pool", "user:2", "dept:1",
 * "sys:usage") so pages show "Bob Martin" or "Research" where the backend
 * sends a code. Names come from the Team struct; when it refuses (members
 * may not list everyone) the code falls back to a readable generic label.
 */
import * as team from '../api/team';

/** Names of members and departments by id. */
export interface AccountNames {
  users: Map<number, string>;
  departments: Map<number, string>;
}

const SYSTEM: Record<string, string> = {
  'sys:topup': 'Top-ups',
  'sys:usage': 'Usage',
  'sys:expiry': 'Expired',
  'sys:adjust': 'Adjustments',
  'sys:refund': 'Refunds',
};

/** An empty name table (every code gets its generic label). */
export function noNames(): AccountNames {
  return { users: new Map(), departments: new Map() };
}

/** Loads member and department names; never rejects (falls back to none). */
export async function loadAccountNames(): Promise<AccountNames> {
  const names = noNames();
  const [members, departments] = await Promise.allSettled([team.members(true), team.departments(true)]);
  if (members.status === 'fulfilled') {
    for (const m of members.value ?? []) names.users.set(m.id, m.displayName || m.name);
  }
  if (departments.status === 'fulfilled') {
    for (const d of departments.value ?? []) names.departments.set(d.id, d.name);
  }
  return names;
}

/** An account an admin can fund from the window. */
export interface FundableAccount {
  code: string;
  label: string;
}

/**
 * The accounts an admin funds: the pool, each open department's budget and
 * the wallet of each member paid by their own wallet, by name. Rejects when
 * the lists are refused (members may not read them).
 */
export async function fundableAccounts(): Promise<FundableAccount[]> {
  const [members, departments] = await Promise.all([team.members(false), team.departments(false)]);
  const out: FundableAccount[] = [{ code: 'pool', label: 'Workspace pool' }];
  for (const d of departments ?? []) {
    if (!d.archived) out.push({ code: d.account || `dept:${d.id}`, label: `${d.name} · department budget` });
  }
  for (const m of members ?? []) {
    if (m.funding === 'wallet' && m.status !== 'removed') out.push({ code: `user:${m.id}`, label: `${m.displayName || m.name} · wallet` });
  }
  return out;
}

/**
 * The label of an account code: "pool" -> "Workspace pool", "user:2" -> the
 * member's name, "dept:1" -> the department's name, "sys:usage" -> "Usage".
 * Unknown codes are returned unchanged.
 */
export function accountLabel(code: string, names: AccountNames = noNames()): string {
  if (!code) return '';
  if (code === 'pool') return 'Workspace pool';
  if (SYSTEM[code]) return SYSTEM[code];
  const m = /^(user|dept):(\d+)$/.exec(code);
  if (!m) return code;
  const id = Number(m[2]);
  if (m[1] === 'user') return names.users.get(id) ?? `Member #${id}`;
  return names.departments.get(id) ?? `Department #${id}`;
}
