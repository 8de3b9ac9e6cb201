import { describe, expect, it } from 'vitest';
import { BackendError } from './errors';
import refusalWords from '../../../app/testdata/refusal_words.json?raw';

// app/testdata/refusal_words.json: real refusals, made by the Go test
// app/refusal_words_test.go from the real backend calls (which it checks
// against the file), each with what app.FormatError sends the window and
// the words the window must show for it. The window's own BackendError.from
// runs over each row here, so the words are the window's, not a copy of
// its rule in Go.
type Row = { name: string; error: string; sent: string | { message: string; reason: string; field?: string; code?: string }; words: string };
const rows = (JSON.parse(refusalWords) as { rows: Row[] }).rows;

describe('the window says real refusals in their words', () => {
  it('the shared table has its rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
  });

  it.each(rows.map((r) => [r.name, r] as const))('%s', (_, row) => {
    const e = BackendError.from('op', row.sent);
    expect(e.message).toBe(row.words);
    // The whole Go text stays in detail, as the CLI prints it.
    expect(e.detail).toBe(row.error);
    // The field a refusal is about is the one Go names (inputerr.About), for a form to mark; none otherwise.
    expect(e.field).toBe(typeof row.sent === 'string' ? '' : (row.sent.field ?? ''));
    // So is the code of a refusal the window acts on ("changed": read again, the edits kept).
    expect(e.code).toBe(typeof row.sent === 'string' ? '' : (row.sent.code ?? ''));
  });

  it('has refusals the window acts on, with their code', () => {
    const codes = rows.filter((r) => typeof r.sent !== 'string' && r.sent.code).map((r) => [r.name, typeof r.sent === 'string' ? '' : r.sent.code]);
    expect(codes).toEqual([['workspace changed', 'changed'], ['missing conversation', 'notfound'], ['rates changed', 'changed']]);
  });

  it('has refusals that name the model setting they are about', () => {
    const fields = rows.filter((r) => r.name.startsWith('conversation ')).map((r) => [r.name, typeof r.sent === 'string' ? '' : (r.sent.field ?? '')]);
    expect(fields).toEqual([['conversation title', ''], ['conversation temperature', 'temperature'], ['conversation reasoning', 'reasoning'],
      ['conversation top P', 'topP'], ['conversation max output', 'maxOutput'], ['conversation history', 'history']]);
  });

  it('shows a refusal that starts with a name as spelt, never re-cased', () => {
    const named = rows.filter((r) => ['limit to remove missing', 'archived department named department', 'move from a department without credits'].includes(r.name))
      .map((r) => BackendError.from('op', r.sent).message);
    expect(named).toEqual(['alice has no limit for gpt-4o', 'department of Physics is archived', 'ops has no credits available; this move needs 5.00']);
    // The window capitalises nothing: the backend sends the sentence (inputerr.Sentence).
    expect(BackendError.from('op', { message: 'remove a limit: bob has no daily limit', reason: 'bob has no daily limit' }).message).toBe('bob has no daily limit');
  });
});
