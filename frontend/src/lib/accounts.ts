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

/** The shared pool's name. */
const POOL = 'Workspace pool';

/**
 * The bookkeeping accounts' names. backend/team names them (and the pool) in
 * the same words in the audit log: backend/team/testdata/account_labels.json
 * pins the two tables equal (read by both test suites).
 */
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

/**
 * Loads the names of the accounts the signed-in member may see, from the
 * backend (Team.AccountNames: an admin every member and department, a
 * member their own wallet and department); never rejects (falls back to none).
 */
export async function loadAccountNames(): Promise<AccountNames> {
  const names = noNames();
  try {
    for (const [code, name] of Object.entries((await team.accountNames()) ?? {})) {
      const m = /^(user|dept):(\d+)$/.exec(code);
      if (m) (m[1] === 'user' ? names.users : names.departments).set(Number(m[2]), name);
    }
  } catch {
    // every code gets its generic label
  }
  return names;
}

/**
 * How a member is named (backend/people, which Go applies to every name it
 * sends: Team.AccountNames, reports, statements, the audit log, API keys):
 * the display name, else the sign-in name, "bob (removed)" once removed, so
 * a removed member is told from the member given their name since. For the
 * pages that build a name from a member record themselves.
 */
export function memberLabel(m: { name: string; displayName?: string; status?: string }): string {
  return `${m.displayName || m.name}${m.status === 'removed' ? ' (removed)' : ''}`;
}

/** How a department is named (backend/people): "Eng (archived)" once archived. */
export function departmentLabel(d: { name: string; archived?: boolean }): string {
  return `${d.name}${d.archived ? ' (archived)' : ''}`;
}

/** An account an admin can fund from the window. */
export interface FundableAccount {
  code: string;
  label: string;
  /** A removed member's wallet: credits may leave it, none may go to it. */
  removed?: boolean;
}

/**
 * The accounts an admin picks on Credits: the pool, each open department's
 * credits, the wallet of each member paid by their own wallet, and any other
 * wallet holding credits (a removed member's, marked "removed"; one whose
 * member is now paid by the organisation), by name, so that credits left
 * there can be moved back to the pool. Rejects when the lists are refused
 * (members may not read them).
 */
export async function fundableAccounts(): Promise<FundableAccount[]> {
  const [wallets, departments] = await Promise.all([team.wallets(), team.departments(false)]);
  const out: FundableAccount[] = [{ code: 'pool', label: POOL }];
  for (const d of departments ?? []) {
    if (!d.archived) out.push({ code: d.account || `dept:${d.id}`, label: `${d.name} · department credits` });
  }
  for (const w of wallets ?? []) {
    out.push({ code: w.account || `user:${w.userId}`, label: `${memberLabel(w)} · wallet`, removed: w.status === 'removed' });
  }
  return out;
}

/** One account offered by a history filter, in its group. */
export interface AccountChoice {
  code: string;
  label: string;
  group: 'Workspace' | 'Departments' | "Members' wallets" | 'Archived and removed' | 'Bookkeeping';
}

/**
 * The accounts a transfer history can be narrowed to, by name: the pool,
 * departments' credits, members' wallets and, for an admin, the bookkeeping
 * accounts (top-ups, usage, …), each group by name. For an admin on Credits,
 * `picked` is the account picker's list above it (fundableAccounts: open
 * departments, the wallets in use or holding credits, team.Wallets' rule), so
 * the filter offers the same accounts, not the wallet of every member paid by
 * the pool, which pays for nothing; an archived department's credits and a
 * removed member's wallet that the picker leaves out (nothing to fund there)
 * are offered apart, "Archived and removed", as their rows are history all
 * the same. Without it, the names the backend gave
 * (Team.AccountNames: a member their own wallet and department). `keep` (the
 * account the history was opened on, e.g. `?account=user:3`) is offered
 * even when neither lists it. The code is what `meterdesk credits history
 * --account` takes.
 */
export function historyAccounts(names: AccountNames, admin: boolean, keep = '', picked?: FundableAccount[]): AccountChoice[] {
  const byLabel = (a: AccountChoice, b: AccountChoice) => a.label.localeCompare(b.label) || a.code.localeCompare(b.code);
  let depts: AccountChoice[];
  let wallets: AccountChoice[];
  let ended: AccountChoice[] = [];
  if (picked) {
    depts = picked.filter((a) => a.code.startsWith('dept:')).map((a) => ({ code: a.code, label: a.label, group: 'Departments' }));
    wallets = picked.filter((a) => a.code.startsWith('user:')).map((a) => ({ code: a.code, label: a.label, group: "Members' wallets" }));
    // Ended accounts the picker leaves out, named as backend/people names them ("Eng (archived)", "bob (removed)").
    const inPicker = new Set(picked.map((a) => a.code));
    ended = [
      ...[...names.departments].filter(([id, name]) => !inPicker.has(`dept:${id}`) && name.endsWith(' (archived)'))
        .map(([id, name]): AccountChoice => ({ code: `dept:${id}`, label: `${name} · department credits`, group: 'Archived and removed' })).sort(byLabel),
      ...[...names.users].filter(([id, name]) => !inPicker.has(`user:${id}`) && name.endsWith(' (removed)'))
        .map(([id, name]): AccountChoice => ({ code: `user:${id}`, label: `${name} · wallet`, group: 'Archived and removed' })).sort(byLabel),
    ];
  } else {
    depts = [...names.departments].map(([id, name]) => ({ code: `dept:${id}`, label: `${name} · department credits`, group: 'Departments' }));
    wallets = [...names.users].map(([id, name]) => ({ code: `user:${id}`, label: `${name} · wallet`, group: "Members' wallets" }));
  }
  const system: AccountChoice[] = admin ? Object.entries(SYSTEM).map(([code, label]) => ({ code, label, group: 'Bookkeeping' })) : [];
  const out: AccountChoice[] = [{ code: 'pool', label: POOL, group: 'Workspace' }, ...depts.sort(byLabel), ...wallets.sort(byLabel), ...ended, ...system];
  const k = keep.trim();
  if (k && !out.some((a) => a.code === k)) {
    const kind = k.startsWith('user:') ? ' · wallet' : k.startsWith('dept:') ? ' · department credits' : '';
    const group = k.startsWith('user:') ? "Members' wallets" : k.startsWith('dept:') ? 'Departments' : k.startsWith('sys:') ? 'Bookkeeping' : 'Workspace';
    out.push({ code: k, label: accountLabel(k, names) + kind, group });
  }
  return out;
}

/**
 * The label of an account code: "pool" -> "Workspace pool", "user:2" -> the
 * member's name, "dept:1" -> the department's name, "sys:usage" -> "Usage".
 * A member or department whose name is not known reads "Member 2",
 * "Department 1", as the statements' stand-ins do (not "Member #2").
 * Unknown codes are returned unchanged.
 */
export function accountLabel(code: string, names: AccountNames = noNames()): string {
  if (!code) return '';
  if (code === 'pool') return POOL;
  if (SYSTEM[code]) return SYSTEM[code];
  const m = /^(user|dept):(\d+)$/.exec(code);
  if (!m) return code;
  const id = Number(m[2]);
  if (m[1] === 'user') return names.users.get(id) ?? `Member ${id}`;
  return names.departments.get(id) ?? `Department ${id}`;
}
