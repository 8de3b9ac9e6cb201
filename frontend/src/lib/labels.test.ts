import { describe, expect, it } from 'vitest';
import { OP_LABELS, opLabel } from './labels';
import opTable from '../../../backend/ledger/testdata/op_labels.json?raw';

// backend/ledger/testdata/op_labels.json: Go's ledger.OpLabel (what
// `meterdesk credits history` prints) is pinned to the same rows.
describe('operation labels shared with the backend', () => {
  const shared = (JSON.parse(opTable) as { op?: string; label?: string }[]).filter((r) => r.op !== undefined);
  it('the window names every operation as Go does, and no other', () => {
    expect(Object.entries(OP_LABELS).sort()).toEqual(shared.map((r) => [r.op, r.label]).sort());
  });
  it('a posted hold reads as a usage charge does', () => {
    expect(opLabel('post')).toBe(opLabel('usage'));
  });
  it('an unknown name reads as it is', () => {
    expect(opLabel('steal')).toBe('steal');
  });
});
