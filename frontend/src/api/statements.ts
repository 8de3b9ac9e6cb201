/**
 * Statements bound struct (app/statements.go): statement previews,
 * background exports (progress via the `export:progress` event, cancel),
 * the native save dialog and invoices.
 */
import { call } from './bridge';
import type { Filter } from './reports';

export interface StatementRequest {
  month: string; // YYYY-MM
  departmentId: number;
  userId: number;
}

export interface Line {
  /** A by-model line's name is its model and provider, "gpt-4o · Lab". */
  name: string;
  amount: string;
  count: number;
  model?: string;
  provider?: string;
}

/**
 * One usage table of a statement, ready to show as the PDF prints it (statements.Breakdown): by model, then by
 * department, or a member's or department's attributed usage, with its heading, column names ("Model", "Messages",
 * "Credits"), total row label and the words for none made in Go.
 */
export interface Breakdown {
  /** What a line is. */
  by: 'model' | 'department';
  heading: string;
  columns: string[];
  lines: Line[];
  totalLabel: string;
  total: string;
  /** What to say under the heading when there are no lines; "" leaves the empty table out, heading and all. */
  none: string;
}

/**
 * One row of a statement's balance summary, as the PDF prints it (statements.SummaryRow, made once in Go): its label
 * ("Opening balance", "Usage paid from Sam Member's wallet", "Transfers out", "Expired") and its amount, signed as it
 * moves the balance (what is taken away is negative, "-11"); a balance (opening, closing) is bold.
 */
export interface SummaryRow {
  /** The Statement field it shows: opening, topUps, usage, refunds, transfersIn, transfersOut, adjustments, expiry, closing. */
  key: string;
  label: string;
  amount: string;
  balance: boolean;
}

export interface Statement {
  month: string;
  scope: 'workspace' | 'department' | 'member';
  scopeName: string;
  /** The account a member's or department's statement sums up, as its heading says it ("Research department's credits"); "" for the workspace. */
  accountName: string;
  account: string;
  opening: string;
  topUps: string;
  usage: string;
  refunds: string;
  transfersIn: string;
  transfersOut: string;
  adjustments: string;
  expiry: string;
  closing: string;
  lines: number;
  /** The balance summary the PDF prints, in its order and words: opening to closing balance, nine rows. */
  summary: SummaryRow[];
  usageByModel: Line[];
  usageByCostCentre: Line[];
  /** The usage tables the PDF prints after the summary, in its order and words. */
  breakdowns: Breakdown[];
  attributed?: Line[] | null;
  attributedTotal?: string;
  /** A member's or department's usage attributed to them, whoever paid, as the table the PDF prints first. */
  attributedUsage?: Breakdown | null;
  /**
   * The member's wallet or department's credits had no entries in the month and a zero opening and closing
   * balance (a member the pool pays for): the page, the PDF and the CSV leave its section of zeros out.
   */
  accountLeftOut?: boolean;
  message?: string;
  generated: string;
  /** The workspace time zone the month runs in (IANA name). */
  timeZone: string;
}

export const KINDS = {
  pdf: 'statement-pdf',
  csv: 'statement-csv',
  detail: 'statement-detail-csv',
  transactions: 'transactions-csv',
  invoice: 'invoice-pdf',
} as const;
export type ExportKind = (typeof KINDS)[keyof typeof KINDS];

export interface JobStatus {
  id: string;
  kind: ExportKind;
  path: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  done: number;
  total: number;
  error?: string;
}

export interface Party {
  name: string;
  address: string;
  taxId: string;
  email: string;
}

export interface Invoice {
  id: number;
  number: string;
  kind: 'invoice' | 'credit_note';
  transferId?: number;
  corrects?: string;
  issueDate: string;
  seller: Party;
  buyer: Party;
  description: string;
  credits: string;
  net: string;
  taxRate: string;
  tax: string;
  gross: string;
  currency: string;
  reason?: string;
}

export function preview(req: StatementRequest): Promise<Statement> {
  return call<Statement>('Statements', 'Preview', req);
}
/** Opens the native save dialog; resolves to "" when the user cancels. */
export function chooseFile(kind: ExportKind, defaultName: string): Promise<string> {
  return call<string>('Statements', 'ChooseFile', kind, defaultName);
}
export function exportStatement(kind: ExportKind, statement: StatementRequest, path: string): Promise<string> {
  return call<string>('Statements', 'Export', { kind, statement, path, filter: {} });
}
export function exportTransactions(filter: Filter, path: string): Promise<string> {
  return call<string>('Statements', 'ExportTransactions', filter, path);
}
export function cancel(id: string): Promise<void> {
  return call<void>('Statements', 'Cancel', id);
}
export function status(id: string): Promise<JobStatus> {
  return call<JobStatus>('Statements', 'Status', id);
}
export function invoices(): Promise<Invoice[]> {
  return call<Invoice[]>('Statements', 'Invoices');
}

/** A page of invoices and credit notes, newest first (backend/statements.InvoicePage): next is the following page's cursor (0 = none). */
export interface InvoicePage {
  items: Invoice[];
  next: number;
}

/**
 * Says cheaply whether the invoice list may have changed
 * (backend/statements.InvoicesState): invoices are append-only, so a new one
 * moves lastId; pending counts top-ups still without an invoice.
 */
export interface InvoicesState {
  lastId: number;
  pending: number;
}

/** Invoices a page holds (backend/statements InvoicePageSize), and the most one read returns (MaxInvoicePage). */
export const INVOICE_PAGE = 50;
export const INVOICE_MAX_PAGE = 1000;

/** The page of invoices below id `before` (0 or absent: the newest; that read issues pending ones first). */
export async function invoicesPage(f: { before?: number; limit?: number } = {}): Promise<InvoicePage> {
  const page = await call<InvoicePage | null>('Statements', 'InvoicesPage', f.before ?? 0, f.limit ?? 0);
  return { items: page?.items ?? [], next: page?.next ?? 0 };
}
export function invoicesState(): Promise<InvoicesState> {
  return call<InvoicesState>('Statements', 'InvoicesState');
}
export function sameInvoicesState(a: InvoicesState | null, b: InvoicesState | null): boolean {
  return !!a && !!b && a.lastId === b.lastId && a.pending === b.pending;
}
export function creditNote(number: string, reason: string): Promise<Invoice> {
  return call<Invoice>('Statements', 'CreditNote', number, reason);
}
/** Starts writing one invoice or credit note as a PDF to path; resolves to the job id. */
export function exportInvoice(number: string, path: string): Promise<string> {
  return call<string>('Statements', 'Export', { kind: KINDS.invoice, invoice: number, path, statement: { month: '', departmentId: 0, userId: 0 }, filter: {} });
}
/** The seller and buyer printed on new invoices (admin only). */
export function parties(): Promise<{ seller: Party; buyer: Party }> {
  return call<{ seller: Party; buyer: Party }>('Statements', 'Parties');
}
export function setParties(seller: Party, buyer: Party): Promise<void> {
  return call<void>('Statements', 'SetParties', seller, buyer);
}
