/**
 * Typed wrapper over the bound Go struct `Credits` (app/credits.go): the
 * header balance, top-ups (package or custom amount), packages and the
 * transfer history. Money fields are decimal STRINGS end to end.
 */
import { call } from './bridge';

/**
 * An operation type of ledger transfers: one of Go's ledger.Ops, which Credits.History's page lists (Page.ops), so
 * the window keeps no copy of Go's list.
 */
export type Op = string;

export interface Policy { kind: 'unlimited' | 'blocked' | 'overdraft' | 'minimum' | 'carry'; limit: string }
export interface Lot { amount: string; expiresAt?: string }

/** One ledger transfer (backend/ledger.Transfer). */
export interface Transfer {
  id: number;
  requestId: string;
  leg: number;
  op: Op;
  kind: 'posted' | 'pending' | 'post' | 'void';
  from: string;
  to: string;
  amount: string;
  holdId?: number;
  debtRepaid: string;
  userId?: number;
  departmentId?: number;
  model?: string;
  source?: string;
  conversationId?: number;
  meta: Record<string, unknown>;
  createdAt: string;
  expiresAt?: string;
  status?: string;
}

/** One row of Credits → History (app.HistoryRow): a transfer and how its amount reads there. */
export interface HistoryRow extends Transfer {
  /**
   * How the amount reads in the history when not as a number (Credits.History, Go chat.HistoryWord): "free" for a
   * free reply's charge, as the chat says it; absent otherwise.
   */
  amountWord?: string;
  /** A row of a send's reservation (Go ledger.ReservationOps: a hold, its release), which moves no money. */
  reservation?: boolean;
  /**
   * What a reservation row (a hold, or the void that releases it) is, in Go's words (ledger.ReservationNote:
   * "reserved, then settled: not charged (the usage charge is what was taken)"), as `meterdesk credits history`'s
   * NOTE column says it; absent for other rows.
   */
  reservationNote?: string;
}

/** What an empty credits history says instead of rows (Go ledger.EmptyHistoryFor, as the CLI prints it). */
export interface EmptyHistory { title: string; description: string }

export interface Balance {
  account: string;
  balance: string;
  pending: string;
  available: string;
  /** What of the account's credits may leave it now: available above its policy's floor (a minimum kept), never below 0. */
  movable: string;
  lifetimeUsed: string;
  lastTransfer?: Transfer;
  policy: Policy;
  lots: Lot[];
}

export interface Package {
  id: number;
  name: string;
  credits: string;
  price: string;
  priceMinor: number;
  currency: string;
  discount: string;
  active: boolean;
  sort: number;
}

export interface TopUpInput {
  id: string;
  account?: string;
  packageId?: number;
  amount?: string;
  price?: string;
  currency?: string;
  taxRate?: string;
  note?: string;
}

export interface TopUpResult {
  transfer: Transfer;
  credits: string;
  packageId?: number;
  price: string;
  priceMinor: number;
  currency: string;
  taxRate: string;
  debtRepaid: string;
  lotExpiresAt?: string;
  /** The invoice issued with the top-up ("INV-000042"); "" when none was. */
  invoice: string;
  /** What the credits cost as the invoice splits it (Go core.TopUpReceipt.Paid): "9.00 EUR net + 1.71 EUR tax (19 %) = 10.71 EUR", "9.00 EUR net". */
  paid: string;
  /** The sentence the top-up's toast says (Go core.TopUpReceipt.Summary): "Added 1,000.00 credits for <paid>; invoice INV-000042". */
  summary: string;
}

/** Credits moved between pool, department and wallet accounts (op transfer). */
export interface TransferInput {
  /** Idempotency id: crypto.randomUUID per user action. */
  id: string;
  from: string;
  to: string;
  amount: string;
}

export interface HistoryFilter {
  account?: string;
  /** The operations picked; none: every one, less a reservation's unless `reservations` (Go ledger.HistoryOps). */
  ops?: Op[];
  reservations?: boolean;
  from?: string; // YYYY-MM-DD
  to?: string; // YYYY-MM-DD, the last day included (workspace time zone)
  before?: number;
  limit?: number;
}

export interface Page {
  items: HistoryRow[];
  next: number;
  /**
   * The operation types the history's Operation filter offers (Go ledger.FilterOps: every one but 'post', which
   * 'usage' selects with the other charges for usage, both read "Usage").
   */
  ops: Op[];
  /** What a first page without rows says instead (Go ledger.EmptyHistoryFor, as the CLI prints it); absent otherwise. */
  empty?: EmptyHistory;
}
export interface CreditValue {
  amount: string;
  currency: string;
}

/** What setting the credit value did (ledger.CreditValueChange). */
export interface CreditValueChange extends CreditValue {
  /** It was stored so already: nothing was written or audited. */
  unchanged: boolean;
}

/** What kind of account pays for the signed-in member's sends (team.Payer* in Go). */
export type PayerKind = 'pool' | 'department' | 'wallet';

/**
 * The header balance (Go app.PayerBalance): the available credits of the
 * account that pays for the signed-in member's sends — the pool, their
 * department or their own wallet, as the backend decides — and which
 * account that is. `name` is the department's name (kind department), else "".
 */
export interface PayerBalance {
  account: string;
  kind: PayerKind;
  name: string;
  /** A department's account as the backend names it ("Research department's credits"), else "". */
  accountName?: string;
  available: string;
}

/** The header balance, with the account it is of. */
export function myBalance(): Promise<PayerBalance> {
  return call<PayerBalance>('Credits', 'MyBalance');
}

export function balance(account = ''): Promise<Balance> {
  return call<Balance>('Credits', 'Balance', account);
}

export function packages(): Promise<Package[]> {
  return call<Package[]>('Credits', 'Packages');
}

export function savePackage(p: Package): Promise<Package> {
  return call<Package>('Credits', 'SavePackage', p);
}

/**
 * What TopUp would refuse a tax rate as typed for, in the backend's own words
 * (Go Credits.TaxRateProblem, ledger.ParseTaxRate: 'Tax rate "19" must be a
 * fraction from 0 to 1: for 19%, type 0.19 or 19%'); '' when it takes it.
 */
export function taxRateProblem(rate: string): Promise<string> {
  return call<string>('Credits', 'TaxRateProblem', rate);
}

/**
 * What TopUp and Transfer would refuse credits as typed for (a custom
 * top-up's; a give, move back or settle), in the backend's own words (Go
 * Credits.AmountProblem, ledger.ParseCredits: '"abc": not a decimal number',
 * "Amount must be greater than zero", as `meterdesk credits topup --amount`
 * and `credits transfer --amount` say); '' when they take them.
 */
export function amountProblem(amount: string): Promise<string> {
  return call<string>('Credits', 'AmountProblem', amount);
}

/**
 * What TopUp would refuse a custom top-up's price as typed for, in the
 * backend's own words (Go Credits.PriceProblem, ledger.ParsePrice in the
 * currency a credit is valued in: 'Price "abc": not a decimal number',
 * "Price 1.005 EUR has more than 2 decimal places", as `meterdesk credits
 * topup --price` says); '' when it takes it, or none is typed.
 */
export function priceProblem(price: string): Promise<string> {
  return call<string>('Credits', 'PriceProblem', price);
}

export function topUp(input: TopUpInput): Promise<TopUpResult> {
  const full = { account: 'pool', packageId: 0, amount: '', price: '', currency: '', taxRate: '', note: '', ...input };
  return call<TopUpResult>('Credits', 'TopUp', full);
}

/** A transfer made (Go team.TransferReceipt): the transfer, and what moved in words. */
export interface TransferReceipt extends Transfer {
  /**
   * What moved, the toast's sentence (Go team.TransferReceipt.Summary, as `meterdesk credits transfer` prints it):
   * "Gave 25.00 credits from the workspace pool to erin's wallet", "Gave 5.00 credits from your wallet to Bob Martin",
   * "Moved 400.00 credits from erin's wallet back to the workspace pool", "Settled 18.00 credits of the debt of frank
   * (removed)'s wallet from the workspace pool".
   */
  summary: string;
}

/**
 * Moves credits between accounts, e.g. an admin giving a member credits from
 * the pool (backend/ledger checks the role: a member only from their wallet),
 * and says what moved.
 */
export function transfer(input: TransferInput): Promise<TransferReceipt> {
  return call<TransferReceipt>('Credits', 'Transfer', input);
}

/**
 * An account the signed-in member may give credits to from their own wallet
 * (team.GiveTarget): the pool, their department's credits, another active
 * member's wallet, named as the backend names it.
 */
export interface GiveTarget {
  account: string;
  kind: 'pool' | 'department' | 'member';
  name: string;
  /** Its name within a sentence: "the workspace pool", "the Research department's credits", "Bob Martin". */
  phrase: string;
}

/** Where the signed-in member may give credits from their own wallet (backend's rule: Credits.GiveTargets). */
export async function giveTargets(): Promise<GiveTarget[]> {
  return (await call<GiveTarget[] | null>('Credits', 'GiveTargets')) ?? [];
}

/**
 * What an admin may move from account back to the workspace pool now, in Go's words (Credits.MoveBackRoom,
 * team.MoveBackLine: "Moves credits from erin's wallet to the workspace pool: 400.00 credits can move now (its minimum
 * balance of 100.00 credits stays)."): the line "Move credits back to the pool" shows under its title.
 */
export async function moveBackRoom(account: string): Promise<string> {
  return (await call<string | null>('Credits', 'MoveBackRoom', account)) ?? '';
}

/** The words of "Give credits from your wallet", made in Go from the signed-in member's wallet (team.GiveWords). */
export interface GiveWords {
  /** Under its title (team.GiveRoomLine): "… 17.00 credits can move now (your minimum balance of 3.00 credits stays)." */
  line: string;
  /** What Give pressed with no amount says (team.NoGiveAmount): "Type how many credits to give (at most 17.00 credits)." */
  noAmount: string;
}

/** What the signed-in member's wallet lets them give now, in Go's words (Credits.GiveRoom, team.Service.GiveWords). */
export async function giveRoom(): Promise<GiveWords> {
  const w = await call<GiveWords | null>('Credits', 'GiveRoom');
  return { line: w?.line ?? '', noAmount: w?.noAmount ?? '' };
}

/**
 * What an admin's Credits page says under "Give credits from the pool" and "Settle the debt" for an account (Go
 * team.PoolLines): '' where that card is not for the account.
 */
export interface PoolLines {
  /** "Moves credits from the workspace pool (1,000.00 credits available) to erin's wallet. Nothing is bought; …" */
  give: string;
  /** "frank (removed)'s wallet owes 18.00 credits: frank was removed, so it takes credits only to settle that debt: …" */
  settle: string;
}

/** The lines of the pool's cards for account, in Go's words (Credits.PoolLines, admin only). */
export async function poolLines(account: string): Promise<PoolLines> {
  const l = await call<PoolLines | null>('Credits', 'PoolLines', account);
  return { give: l?.give ?? '', settle: l?.settle ?? '' };
}

export async function history(filter: HistoryFilter = {}): Promise<Page> {
  const full = { account: '', ops: [], reservations: false, from: '', to: '', before: 0, limit: 50, ...filter };
  const page = await call<Page | null>('Credits', 'History', full);
  return { items: page?.items ?? [], next: page?.next ?? 0, ops: page?.ops ?? [], ...(page?.empty ? { empty: page.empty } : {}) };
}

export function creditValue(): Promise<CreditValue> {
  return call<CreditValue>('Credits', 'CreditValue');
}

/** Sets what one credit is worth; unchanged says it was stored so already (nothing written or audited). */
export function setCreditValue(v: CreditValue): Promise<CreditValueChange> {
  return call<CreditValueChange>('Credits', 'SetCreditValue', v);
}
