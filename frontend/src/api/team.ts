/**
 * Team bound struct (app/team.go): sign-in, the first-run wizard, the lock
 * screen, the Team admin pages and the notification centre. Money fields are
 * decimal STRINGS; every role check happens in the Go backend.
 */
import { call } from './bridge';
import { errorCode } from './errors';

export type Role = 'admin' | 'member';
export type SecretKind = 'password' | 'pin';

export interface Actor {
  userId: number;
  name: string;
  role: Role;
  system: boolean;
}

/** What the shell needs to choose between wizard, profile picker and app. */
export interface Session {
  signedIn: boolean;
  needsSetup: boolean;
  actor: Actor;
  /** The signed-in member's display name ("" or absent: show actor.name). */
  displayName?: string;
  workspace: string;
  /** 0 = never lock. */
  idleLockMinutes: number;
  /** The workspace's IANA time zone, in which times are shown. */
  timeZone: string;
}

export interface Workspace {
  name: string;
  currency: string;
  creditValue: string;
  taxId: string;
  address: string;
  timeZone: string;
  idleLockMinutes: number;
  /** Top-up prices include tax: an invoice splits the price paid into net and tax. */
  pricesIncludeTax: boolean;
}

/** What a workspace update did (team.WorkspaceChange). */
export interface WorkspaceChange extends Workspace {
  /** It had those settings already: nothing was written or audited. */
  unchanged: boolean;
}

/**
 * Some of the workspace's settings (team.WorkspacePatch): an absent field is
 * left as stored, whoever stored it. With read (the workspace as the card
 * showed it), a given setting someone else changed since is refused, nothing
 * written (isWorkspaceChanged); a setting not given is never checked.
 */
export interface WorkspacePatch {
  name?: string;
  currency?: string;
  creditValue?: string;
  taxId?: string;
  address?: string;
  timeZone?: string;
  idleLockMinutes?: number;
  pricesIncludeTax?: boolean;
  read?: Workspace;
}

export interface WorkspaceSetup extends Workspace {
  adminName: string;
  adminDisplayName: string;
  secretKind: SecretKind;
  secret: string;
}

/** A member's wallet as an admin sees it (team.Wallet). */
export interface Wallet {
  account: string;
  userId: number;
  name: string;
  displayName: string;
  status: string;
  funding: string;
  balance: string;
  available: string;
  /** What may go back to the pool now (a minimum balance kept); "0" when nothing. */
  returnable: string;
  /** What removing the member with its credits returned moves back: the available balance (a removed member's wallet keeps no minimum). */
  returnableOnRemoval: string;
}

/** What became of a wallet its member stopped using (team.WalletCredits). */
export interface WalletCredits {
  account: string;
  balance: string;
  returned: string;
  left: string;
  transferId?: number;
}

/** A member after a removal or an update, with their wallet when it stopped being used. */
export interface MemberChange {
  member: Member;
  wallet?: WalletCredits;
  /** The update asked for what the member had already: nothing was written or audited. */
  unchanged: boolean;
}

export interface Profile {
  id: number;
  name: string;
  displayName: string;
  secretKind: SecretKind;
}

export interface Member {
  id: number;
  name: string;
  displayName: string;
  role: Role;
  secretKind: SecretKind;
  status: 'active' | 'disabled' | 'removed';
  funding: 'pool' | 'wallet';
  departmentId: number;
  minBalance: string;
  createdAt: string;
  removedAt?: string;
}

export interface NewMember {
  name: string;
  displayName: string;
  role: Role;
  secretKind: SecretKind;
  secret: string;
  funding: 'pool' | 'wallet';
  departmentId: number;
  minBalance: string;
}

export type MemberUpdate = Pick<Member, 'displayName' | 'role' | 'funding' | 'departmentId' | 'minBalance'>;

export interface Department {
  id: number;
  name: string;
  account: string;
  budget: string;
  overdraft: string;
  balance: string;
  available: string;
  members: number;
  archived: boolean;
  createdAt: string;
  /** Its account as the backend names it (team.DepartmentCredits): "Research department's credits", "Department 3's credits". */
  accountName?: string;
  /** The same within a sentence (team.DepartmentCreditsPhrase): "the Research department's credits", "Department 3's credits". */
  accountPhrase?: string;
}

/** What a department update did (team.DepartmentChange). */
export interface DepartmentChange {
  department: Department;
  /** It had those settings already: nothing was written or audited. */
  unchanged: boolean;
}

export interface DepartmentInput {
  name: string;
  overdraft: string;
  /** "" = unchanged. */
  budget: string;
}

/** A move between the pool (id 0) and departments. */
export interface MoveRequest {
  id: string;
  from: number;
  to: number;
  amount: string;
  note: string;
}

export type LimitKind = 'daily' | 'monthly' | 'model';

export interface Limit {
  userId: number;
  kind: LimitKind;
  model: string;
  period: 'day' | 'month' | '';
  amount: string;
  /** SetLimit's answer only: the member already used this much, so their sends are refused until it resets. */
  note?: string;
}

/**
 * A model limit's name, as Team → Limits and the member's Usage page both write it: "gpt-4o (per day)"
 * (a model limit without a period is per month, as team.SetLimit reads it).
 */
export const modelLimitName = (model: string, period: string): string => `${model} (per ${period || 'month'})`;

/** What setting a limit did (team.LimitChange). */
export interface LimitChange extends Limit {
  /** The member had that limit already: nothing was written or audited. */
  unchanged: boolean;
}

/**
 * A limit's name, one wording for the Usage page's "Your spending limits" and Team → Limits:
 * "Daily limit", "Monthly limit", "gpt-4o (per day)" (modelLimitName).
 */
export function limitName(l: Pick<Limit, 'kind' | 'model' | 'period'>): string {
  if (l.kind === 'model') return modelLimitName(l.model, l.period);
  return l.kind === 'daily' ? 'Daily limit' : 'Monthly limit';
}

export interface LimitStatus extends Limit {
  used: string;
  pending: string;
  remaining: string;
  resetsAt: string;
  timeZone: string;
  /**
   * Go's words once what is used fills the limit: "reached: sends are refused until it resets"; for a limit of 0,
   * which no reset helps, "a limit of 0: paid sends are refused until an admin raises it". Absent while it is not.
   */
  reached?: string;
  /**
   * Whether the limit's reset frees room in it (Go's team.LimitStatus.ResetHelps): false for a limit of 0, an admin's
   * block, beside which no reset is shown (Team → Limits, the Usage page, `meterdesk limits list`; /v1/credits gives
   * resets_at null). resetsAt is still the period's end.
   */
  resetFreesRoom: boolean;
}

export interface LimitError {
  limit: LimitKind;
  model?: string;
  period?: 'day' | 'month';
  amount: string;
  used: string;
  requested: string;
  /** When the limit named resets. */
  resetsAt: string;
  /** When the send as it is may pass every limit it breaks (the latest of their resets; resetsAt when only this one). */
  retryAt: string;
  timeZone: string;
  /** What the send's prompt alone costs, when known. */
  prompt?: string;
}

export interface AlertSettings {
  absolute: string[];
  percent: string[];
  depleted: boolean;
  desktop: boolean;
}

/** What saving the alert settings did (team.AlertSettingsChange): the lists as stored, highest first. */
export interface AlertSettingsChange extends AlertSettings {
  /** They were in force already: nothing was written or audited. */
  unchanged: boolean;
}

export interface AutoRecharge {
  account: string;
  threshold: string;
  amount: string;
  monthlyCap: string;
  enabled: boolean;
  thisMonth: string;
}

/** What setting an auto-recharge rule did (team.AutoRechargeChange). */
export interface AutoRechargeChange extends AutoRecharge {
  /** The account had that rule already: nothing was written or audited. */
  unchanged: boolean;
}

export interface AuditEntry {
  id: number;
  at: string;
  actorId: number;
  actorName: string;
  action: string;
  /** As logged: "provider:1", "rates:v2", "user:3", "workspace" (what AuditFilter.target matches). */
  target: string;
  /** Its name, from the backend: "OpenAI", "Rate table v2", "Bob Martin", "Workspace settings". */
  targetName: string;
  before: unknown;
  after: unknown;
}

/** A target the audit log has entries on, with its name (backend/team.AuditTarget). */
export interface AuditTarget {
  target: string;
  name: string;
}

export interface AuditFilter {
  actorId: number;
  action: string;
  target: string;
  /** First day, YYYY-MM-DD in the workspace time zone (or RFC 3339); "" = no bound. */
  from: string;
  /** Last day, included (an RFC 3339 instant is an exclusive end); "" = no bound. */
  to: string;
  limit: number;
}

export interface TeamNotification {
  id: number;
  createdAt: string;
  kind: 'alert' | 'recharge';
  level: 'info' | 'warning' | 'error';
  account: string;
  userId: number;
  title: string;
  message: string;
  read: boolean;
  desktop: boolean;
}

export interface Preflight {
  payerAccount: string;
  departmentId: number;
  estimate: string;
  available: string;
  exceedsBalance: boolean;
  limit?: LimitError;
  warnings: string[];
}

const T = 'Team';

export const currentUser = () => call<Session>(T, 'CurrentUser');
export const needsSetup = () => call<boolean>(T, 'NeedsSetup');
export const setup = (w: WorkspaceSetup) => call<Session>(T, 'Setup', w);
export const profiles = () => call<Profile[]>(T, 'Profiles');
export const signIn = (name: string, secret: string, remember: boolean) => call<Session>(T, 'SignIn', name, secret, remember);
export const signOut = () => call<Session>(T, 'SignOut');
export const lock = () => call<Session>(T, 'Lock');

export const workspaceSettings = () => call<Workspace>(T, 'Workspace');
/**
 * Changes the settings patch gives and only those (one write transaction in
 * Go); unchanged says it had them already (nothing written or audited).
 */
export const patchWorkspace = (patch: WorkspacePatch) => call<WorkspaceChange>(T, 'PatchWorkspace', patch);

/**
 * Whether err is patchWorkspace's refusal of a setting someone else changed
 * since the card read it (team.ErrChanged): its message names the setting
 * and its value now, and says to reload. Told by its code
 * (app.RefusalError's "changed"), not its words.
 */
export function isWorkspaceChanged(err: unknown): boolean {
  return errorCode(err) === 'changed';
}

export const members = (includeRemoved: boolean) => call<Member[]>(T, 'Members', includeRemoved);
export const addMember = (m: NewMember) => call<Member>(T, 'AddMember', m);
/**
 * Changes a member. When the change stops them paying from their wallet the
 * answer says what the wallet holds; returnCredits moves what it may give
 * back to the pool in the same operation (refused on any other change).
 */
export const updateMember = (id: number, m: MemberUpdate, returnCredits = false) =>
  call<MemberChange>(T, 'UpdateMember', id, m, returnCredits);
/** Disables a member; unchanged says they were disabled already (nothing written or audited). */
export const disableMember = (id: number) => call<MemberChange>(T, 'DisableMember', id);
/** Enables a member; unchanged says they were active already (nothing written or audited). */
export const enableMember = (id: number) => call<MemberChange>(T, 'EnableMember', id);
/** Removes a member; returnCredits moves their wallet's credits back to the pool in the same operation. */
export const removeMember = (id: number, returnCredits = false) => call<MemberChange>(T, 'RemoveMember', id, returnCredits);
/** The wallets in use and every other wallet holding credits, removed members' included (admin only). */
export const wallets = () => call<Wallet[]>(T, 'Wallets');
/** One member's wallet (admin only). */
export const wallet = (userId: number) => call<Wallet>(T, 'Wallet', userId);
/** Names of the accounts the signed-in member may see, by code (a member: their wallet and their department). */
export const accountNames = () => call<Record<string, string>>(T, 'AccountNames');
export const resetSecret = (id: number, kind: SecretKind, secret: string) => call<boolean>(T, 'ResetSecret', id, kind, secret);
export const changeOwnSecret = (current: string, kind: SecretKind, secret: string) =>
  call<boolean>(T, 'ChangeOwnSecret', current, kind, secret);

export const departments = (includeArchived: boolean) => call<Department[]>(T, 'Departments', includeArchived);
export const createDepartment = (d: DepartmentInput) => call<Department>(T, 'CreateDepartment', d);
/** Changes a department; unchanged says it had those settings already (nothing written or audited). */
export const updateDepartment = (id: number, d: DepartmentInput) => call<DepartmentChange>(T, 'UpdateDepartment', id, d);
export const archiveDepartment = (id: number) => call<boolean>(T, 'ArchiveDepartment', id);
export const moveCredits = (m: MoveRequest) => call<unknown>(T, 'MoveCredits', m);

export const limits = (userId: number) => call<LimitStatus[]>(T, 'Limits', userId);
/** Sets a limit; unchanged says the member had it already (nothing written or audited). */
export const setLimit = (l: Limit) => call<LimitChange>(T, 'SetLimit', l);
export const removeLimit = (userId: number, kind: LimitKind, model: string) => call<boolean>(T, 'RemoveLimit', userId, kind, model);

export const alertSettings = () => call<AlertSettings>(T, 'AlertSettings');
/** Saves the alert settings; unchanged says they were in force already (nothing written or audited). */
export const setAlertSettings = (a: AlertSettings) => call<AlertSettingsChange>(T, 'SetAlertSettings', a);
export const autoRecharges = () => call<AutoRecharge[]>(T, 'AutoRecharges');
/** Sets an auto-recharge rule; unchanged says the account had it already (nothing written or audited). */
export const setAutoRecharge = (r: AutoRecharge) => call<AutoRechargeChange>(T, 'SetAutoRecharge', r);
export const removeAutoRecharge = (account: string) => call<boolean>(T, 'RemoveAutoRecharge', account);

export const audit = (f: AuditFilter) => call<AuditEntry[]>(T, 'Audit', f);
/** Every target the audit log has entries on, named, by name (admin only): the Target filter's choices. */
export const auditTargets = () => call<AuditTarget[] | null>(T, 'AuditTargets');
/**
 * The Target filter's options: each target by its name, with its code after
 * it when another target has the same name (any case, as `--target` compares
 * them): "lab (removed) · provider:3#1", "Bob Martin · user:7", so two
 * options never read alike.
 */
export function auditTargetOptions(targets: readonly AuditTarget[]): { target: string; label: string }[] {
  const seen = new Map<string, number>();
  for (const t of targets) seen.set(t.name.toLowerCase(), (seen.get(t.name.toLowerCase()) ?? 0) + 1);
  return targets.map((t) => ({ target: t.target, label: (seen.get(t.name.toLowerCase()) ?? 0) > 1 ? `${t.name} · ${t.target}` : t.name }));
}
export const auditCSV = (f: AuditFilter) => call<string>(T, 'AuditCSV', f);
export const exportAudit = (f: AuditFilter) => call<string>(T, 'ExportAudit', f);

/** One page of notifications (backend/team.NotificationPage): next is the cursor of the following, older page (0 = none). */
export interface NotificationPage {
  items: TeamNotification[];
  next: number;
}

/** Notifications a page holds (backend/team NotificationPageSize), and the most one read returns (NotificationMaxPage). */
export const NOTIFICATION_PAGE = 200;
export const NOTIFICATION_MAX_PAGE = 1000;

/** How the notification list is read: the unread only or all; below id `before` (0 or absent = the newest); `limit` of them (0 or absent = a page). */
export type NotificationQuery = { unreadOnly: boolean; before?: number; limit?: number };

/** One page of the notifications the member may see, newest first (Team.NotificationsPage). */
export async function notificationsPage(q: NotificationQuery): Promise<NotificationPage> {
  const page = await call<NotificationPage | null>(T, 'NotificationsPage', q.unreadOnly, q.before ?? 0, q.limit ?? 0);
  return { items: page?.items ?? [], next: page?.next ?? 0 };
}
/** How many of the member's notifications are unread, all of them (the list shows a page at a time): the badge. */
export const unreadNotifications = () => call<number>(T, 'UnreadNotifications');
export const markRead = (ids: number[]) => call<boolean>(T, 'MarkRead', ids);
export const preflight = (model: string, estimate: string) => call<Preflight>(T, 'Preflight', model, estimate);

/** An empty audit filter (no bounds). */
export function emptyAuditFilter(): AuditFilter {
  return { actorId: 0, action: '', target: '', from: '', to: '', limit: 0 };
}

const SCRIPTS = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
] as const;

/**
 * The first word of name (a run of letters, marks and digits) that mixes
 * Latin, Cyrillic and Greek letters, with the two alphabets, or null
 * (backend/namekey MixedScripts: "аlice" with a Cyrillic "а" passes for
 * "alice").
 */
export function mixedScripts(name: string): { word: string; first: string; second: string } | null {
  for (const word of name.split(/[^\p{L}\p{M}\p{Nd}]+/u)) {
    let seen = -1;
    for (const ch of word) {
      const k = SCRIPTS.findIndex(([, re]) => re.test(ch));
      if (k < 0) continue;
      if (seen >= 0 && seen !== k) return { word, first: SCRIPTS[seen][0], second: SCRIPTS[k][0] };
      seen = k;
    }
  }
  return null;
}

/**
 * Why name is not a sign-in name (backend/team checkName: NFKC, 1-64
 * letters, digits, '.', '-' and '_', not digits only, no part mixing Latin,
 * Cyrillic and Greek letters), or '' when it is one. taken lists names
 * already in use, compared in NFKC without case. The backend compares by a
 * finer key (Unicode case folding, look-alike letters: backend/namekey), so
 * a name that passes here may still be refused there, with its reason.
 */
export function nameProblem(name: string, taken: string[] = []): string {
  const n = name.normalize('NFKC').trim();
  if (n === '') return 'Enter a sign-in name.';
  if (!/^[\p{L}\p{Nd}._-]{1,64}$/u.test(n)) return 'A sign-in name has up to 64 letters, digits, ".", "-" and "_" (no spaces).';
  if (/^\d+$/.test(n)) return 'A sign-in name needs a letter (a number alone is read as a member id).';
  const mixed = mixedScripts(n);
  if (mixed) return `"${mixed.word}" mixes ${mixed.first} and ${mixed.second} letters, so it can pass for another name: write each part in one alphabet.`;
  const same = taken.find((t) => t.normalize('NFKC').toLowerCase() === n.toLowerCase());
  if (same !== undefined) return same === n ? `"${n}" is taken.` : `"${n}" is taken (by "${same}").`;
  return '';
}

/** Why a comma is refused in a list of thresholds (backend/team ParseThresholds). */
export const THRESHOLD_RULE = "use a point for decimals and spaces or ';' between thresholds";

/**
 * Reads a list of alert thresholds as typed, by the backend's rule
 * (backend/team ParseThresholds): separated by spaces or ';' ("100 10",
 * "20; 12.5"). A comma is refused: "2,500" could be two thresholds or one,
 * "12,5" twelve and a half. Each threshold is checked by the backend.
 */
export function parseThresholds(s: string): { list: string[] } | { error: string } {
  if (s.includes(',')) return { error: `A comma is ambiguous here: ${THRESHOLD_RULE} (e.g. 20 12.5).` };
  return { list: s.split(/[\s;]+/u).filter((x) => x !== '') };
}

/**
 * A kind of secret a member signs in with and its rule in Go's words (team.SecretKind): `label` where it is chosen
 * ("Password (8+ characters)"), `hint` under the field it is typed in ("At least 8 characters."), `name` within a
 * sentence ("password", "PIN"). The rule's numbers are the backend's only: the window keeps no copy.
 */
export interface SecretKindRule {
  kind: SecretKind;
  name: string;
  label: string;
  hint: string;
  rule: string;
}

/**
 * The kinds of secret, password first, each with its rule (Team.SecretKinds; answered before setup too, for the
 * first-run wizard). With no answer (a failed call) none: a form then offers the kinds by name alone.
 */
export async function secretKinds(): Promise<SecretKindRule[]> {
  try {
    return (await call<SecretKindRule[] | null>(T, 'SecretKinds')) ?? [];
  } catch {
    return [];
  }
}

/**
 * What is wrong with a new password or PIN as typed, in the words its refusal says (Go team.SecretProblem,
 * asked through Team.SecretProblem: "A password needs at least 8 characters.", "Enter a PIN." for an empty
 * one), or '' when the backend would take it: the rule is the backend's only, the window keeps no copy.
 * With no answer (no backend attached, a failed call) nothing is said here: the save says why it is refused.
 */
export async function secretProblem(kind: SecretKind, secret: string): Promise<string> {
  try {
    return (await call<string>(T, 'SecretProblem', kind, secret)) ?? '';
  } catch {
    return '';
  }
}


/**
 * Whether v is what one credit may be worth: a decimal above 0 with at most
 * 12 places (ledger.CreditValuePlaces, finer than a credit amount's 9; Go
 * checks again).
 */
export function isCreditValue(v: string): boolean {
  return /^\d+(?:\.\d{1,12})?$/.test(v.trim()) && /[1-9]/.test(v);
}

/**
 * What is wrong with a department's overdraft or alert budget as typed, in the words its change is refused with
 * (Go team.DepartmentAmountProblem, asked through Team.DepartmentAmountProblem: "Budget -5 is negative",
 * 'Budget: "1,5": not a decimal number: use a point for decimals (1.5), and no thousands separators', as
 * `meterdesk departments update` says it), or '' when it would be taken. With no answer (a failed call) nothing is
 * said here: the save says why it is refused.
 */
export async function departmentAmountProblem(field: 'overdraft' | 'budget', text: string): Promise<string> {
  try {
    return (await call<string>(T, 'DepartmentAmountProblem', field, text)) ?? '';
  } catch {
    return '';
  }
}

/** True for a decimal string that is a valid non-negative credit amount with ≤ 9 places. */
export function isCredits(v: string, allowZero = true): boolean {
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(v.trim());
  if (!m) return false;
  return allowZero || /[1-9]/.test(v);
}
