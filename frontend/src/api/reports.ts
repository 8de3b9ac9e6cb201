/**
 * Reports bound struct (app/reports.go): usage dashboard, forecast,
 * anomalies and the filtered transaction history. Money fields are decimal
 * strings; `share` is a display-only bar length in per mille.
 */
import { call } from './bridge';

/** One bar of a chart. */
export interface Point {
  key: string;
  label: string;
  amount: string;
  count: number;
  id?: number;
  /** A by-model point's model and its provider as it reads now: key and label are both, "gpt-4o · Lab". */
  model?: string;
  provider?: string;
  share: number;
}

export interface Forecast {
  method: string;
  windowDays: number;
  dailyMean: string;
  dailyLow: string;
  dailyHigh: string;
  monthToDate: string;
  monthEnd: string;
  monthEndLow: string;
  monthEndHigh: string;
  remainingDays: number;
  runOut: string;
  runOutEarly: string;
  runOutLate: string;
  enough: boolean;
  /**
   * Why there is no run-out date: a member's sends are charged to a balance
   * others' sends draw on too (the pool, a department's credits), so their
   * spending alone cannot tell when it runs out (reports.sharedBalanceNote).
   */
  runOutNote?: string;
}

export interface Anomaly {
  kind: 'day' | 'member' | 'model' | 'conversation';
  key: string;
  label: string;
  day?: string;
  id?: number;
  amount: string;
  median: string;
  z: string;
  method: string;
}

export interface Dashboard {
  range: { from: string; to: string };
  /** The workspace time zone the range's dates are in (IANA name). */
  timeZone: string;
  /** Today's date in that zone. */
  today: string;
  scope: { All: boolean; UserID: number };
  balance: string;
  /** The account `balance` is of: "pool", "dept:<id>" or "user:<id>" (a member's payer). */
  balanceAccount: string;
  lifetimeUsed: string;
  last?: { id: number; time: string; type: string; amount: string; model: string };
  total: string;
  byDay: Point[];
  byModel: Point[];
  byMember: Point[];
  byDepartment: Point[];
  conversations: Point[];
  forecast: Forecast;
  anomalies: Anomaly[] | null;
}

/** Transaction types the history filters by. */
export const TYPES = ['topup', 'usage', 'transfer', 'refund', 'expiry', 'adjustment', 'grant'] as const;
export type TxType = (typeof TYPES)[number];

export interface Filter {
  types: TxType[];
  userId: number;
  departmentId: number;
  model: string;
  /** Usage charges at this provider as "By model" names it ("Lab", "Lab (since removed)", "provider unknown"); '' = every provider. */
  provider: string;
  from: string;
  to: string;
  before: number;
  limit: number;
}

export interface Row {
  id: number;
  time: string;
  type: string;
  op: string;
  from: string;
  to: string;
  amount: string;
  userId?: number;
  member?: string;
  departmentId?: number;
  department?: string;
  model?: string;
  source?: string;
  /** The source as statements print it: "App", "CLI", "API", "System". */
  sourceLabel?: string;
  conversationId?: number;
  /** The transfer's meta as stored (for a charge: its breakdown). */
  meta?: unknown;
  /**
   * How the amount reads when not as a number (Reports.History, Go chat.HistoryWord): "free" for a free reply's
   * charge, as the chat and the Credits history say it; absent otherwise.
   */
  amountWord?: string;
}

export interface Page {
  items: Row[];
  next: number;
}

/**
 * How a provider's name reads when no provider was stored with a charge (providers.UnknownProvider). This and NO_MODEL
 * stay plain one-line string constants: a Go test (backend/reports TestWindowConstantsMatchGo) reads them here.
 */
export const UNKNOWN_PROVIDER = 'provider unknown';

/**
 * The history's model filter for the transfers stored with no model (ledger.NoModel): what a "(no model)" bar
 * adds up. An empty model does not filter (every model).
 */
export const NO_MODEL = '(no model)';

/** A model at a provider in words, as the drill-down says it: "gpt-4o at Lab", "gpt-4o at an unknown provider". */
export function modelAt(model: string, provider: string): string {
  return `${model} at ${provider === UNKNOWN_PROVIDER ? 'an unknown provider' : provider}`;
}

/**
 * What a By model bar's charges are, as the drill-down says it after "N usage charges": "for gpt-4o at Lab";
 * a "(no model) · Lab" bar's "with no model at Lab"; the "(no model)" bar's (neither stored) "with no model or provider".
 */
export function modelCharges(model: string, provider: string): string {
  if (model && model !== NO_MODEL) return `for ${modelAt(model, provider)}`;
  if (!provider || provider === UNKNOWN_PROVIDER) return 'with no model or provider';
  return `with no model at ${provider}`;
}

export function emptyFilter(): Filter {
  return { types: [], userId: 0, departmentId: 0, model: '', provider: '', from: '', to: '', before: 0, limit: 100 };
}

export function dashboard(from: string, to: string, userId = 0): Promise<Dashboard> {
  return call<Dashboard>('Reports', 'Dashboard', from, to, userId);
}
export function forecast(userId = 0): Promise<Forecast> {
  return call<Forecast>('Reports', 'Forecast', userId);
}
export function anomalies(from: string, to: string, userId = 0): Promise<Anomaly[]> {
  return call<Anomaly[]>('Reports', 'Anomalies', from, to, userId);
}
export function history(f: Filter): Promise<Page> {
  return call<Page>('Reports', 'History', f);
}

/**
 * The Usage page's name for the balance card, by the account it is of, so
 * that nobody reads the pool as their own wallet: "Workspace pool balance",
 * "Department balance", "Your wallet" (the signed-in member's) or
 * "Member's wallet".
 */
export function balanceLabel(account: string | undefined, userId: number | null | undefined): string {
  if (!account || account === 'pool') return 'Workspace pool balance';
  if (account.startsWith('dept:')) return 'Department balance';
  if (account === `user:${userId}`) return 'Your wallet';
  return "Member's wallet";
}
