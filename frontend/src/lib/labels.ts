/**
 * How the ledger's operation names and the reports' transaction types
 * (backend/ledger ops, reports.Types: the same names) read in the window:
 * Go's words (ledger.OpLabel, which `meterdesk credits history` prints),
 * pinned here by backend/ledger/testdata/op_labels.json (labels.test.ts).
 * A usage transfer and a posted hold ('post') are one charge for usage and
 * read alike.
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
  post: 'Usage',
  void: 'Released reservation',
};

/** The label of an operation or type; an unknown name as it is. */
export const opLabel = (op: string): string => OP_LABELS[op] ?? op;
