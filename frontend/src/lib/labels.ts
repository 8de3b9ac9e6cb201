/**
 * How the ledger's operation names and the reports' transaction types
 * (backend/ledger ops, reports.Types) read in the window.
 */

/** Operation and transaction-type labels. */
export const OP_LABELS: Readonly<Record<string, string>> = {
  topup: 'Top-up',
  usage: 'Usage',
  transfer: 'Transfer',
  refund: 'Refund',
  expiry: 'Expiry',
  adjustment: 'Adjustment',
  grant: 'Grant',
  hold: 'Reservation',
  post: 'Usage charge',
  void: 'Released reservation',
};

/** The label of an operation or type; an unknown name as it is. */
export const opLabel = (op: string): string => OP_LABELS[op] ?? op;
