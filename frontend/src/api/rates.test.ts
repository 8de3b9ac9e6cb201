import { describe, expect, it } from 'vitest';
import { canonical, effective, fromPerToken, toPerToken, validateRate, type Row, type Unit } from './rates';
import { coded, installFakeBridge } from '../test/fakeBridge';
import * as rates from './rates';

describe('exact unit conversion', () => {
  it.each<[string, Unit, string]>([
    ['0.0000025', '1m', '2.5'],
    ['0.0000025', '1k', '0.0025'],
    ['0.0000025', 'token', '0.0000025'],
    ['10', '1m', '10000000'],
    ['10', '1k', '10000'],
    ['0.000000000001', '1m', '0.000001'],
    ['0.1', '1k', '100'],
    ['0', '1m', '0'],
    ['', '1m', ''],
  ])('%s per token = %s … per %s', (perToken, unit, want) => {
    expect(fromPerToken(perToken, unit)).toBe(want);
    if (perToken) expect(toPerToken(want, unit)).toBe(perToken);
  });

  it('never goes through floats', () => {
    // 0.1 + 0.2 style traps and 17+ significant digits stay exact.
    expect(toPerToken('0.3', '1k')).toBe('0.0003');
    expect(toPerToken('123456789.123456', '1m')).toBe('123.456789123456');
    expect(fromPerToken('0.000000123456789012', '1m')).toBe('0.123456789012');
    expect(toPerToken('0.001', '1k')).toBe('0.000001');
    expect(toPerToken('0.002', '1k')).toBe('0.000002');
  });

  it('canonicalises like Go decimal.String()', () => {
    expect(canonical('007.500')).toBe('7.5');
    expect(canonical('1.')).toBe('1');
    expect(canonical('.5')).toBe('0.5');
    expect(canonical('+2')).toBe('2');
    expect(canonical('0.000')).toBe('0');
    expect(canonical('1e3')).toBeNull();
  });
});

describe('validateRate', () => {
  it.each<[string, Unit, string]>([
    ['', 'token', ''],
    ['  ', '1m', ''],
    ['0', 'token', '0'],
    ['10', 'token', '10'],
    [' 2.50 ', '1m', '0.0000025'],
    ['0.000000000001', 'token', '0.000000000001'],
    ['0.000001', '1m', '0.000000000001'],
    ['1000000000', 'token', '1000000000'],
    ['-0', 'token', '0'], // 0, as Go's money.Parse("-0"): not "Rate -0 is negative."
    [' -0.000 ', '1m', '0'],
  ])('accepts %j per %s as %j per token', (input, unit, want) => {
    expect(validateRate(input, unit)).toEqual({ ok: true, perToken: want });
  });

  it.each<[string, Unit, string]>([
    ['-1', 'token', 'Rate -1 is negative.'],
    ['-0.5', '1m', 'Rate -0.5 is negative.'],
    [' -007 ', 'token', 'Rate -007 is negative.'],
  ])('refuses %j per %s as money refuses a negative amount (money.NegativeNamed)', (input, unit, want) => {
    expect(validateRate(input, unit)).toEqual({ ok: false, error: want });
  });

  it.each<[string, Unit, RegExp]>([
    ['NaN', 'token', /plain decimal/],
    ['Infinity', 'token', /plain decimal/],
    ['1e400', 'token', /plain decimal/],
    ['1e-3', 'token', /plain decimal/],
    ['1,5', 'token', /plain decimal/],
    ['1.2.3', 'token', /plain decimal/],
    ['abc', '1k', /plain decimal/],
    ['-abc', 'token', /plain decimal/], // not a number, never "negative"
    ['-', 'token', /plain decimal/],
    ['-+1', 'token', /plain decimal/],
    ['0.0000000000001', 'token', /Too precise/],
    ['0.0000001', '1m', /Too precise/],
    ['0.0000000001', '1k', /Too precise/],
    ['1000000000.1', 'token', /Too large/],
    ['1000000000000001', '1m', /Too large/],
  ])('rejects %j per %s', (input, unit, err) => {
    const r = validateRate(input, unit);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(err);
  });
});

describe('effective', () => {
  const blank: Row = { provider: 'openai', model: 'm', input: '', output: '', cacheRead: '', cacheWrite: '', reasoning: '', perRequest: '', perToolCall: '' };
  it('applies the fallbacks', () => {
    expect(effective(blank, { input: '1', output: '2' })).toMatchObject({ input: '1', output: '2', cacheRead: '1', cacheWrite: '1', reasoning: '2', perRequest: '0' });
    expect(effective({ ...blank, input: '5', reasoning: '9' }, { input: '1', output: '2' })).toMatchObject({ input: '5', cacheRead: '5', output: '2', reasoning: '9' });
  });
});

describe('backend calls', () => {
  it('passes arguments through to the bound Rates struct', async () => {
    const fake = installFakeBridge({
      'Rates.Estimate': () => ({ low: '1', high: '2' }),
      'Rates.EstimateFor': () => ({ low: '3', high: '4' }),
      'Rates.Calculate': () => ({ perToken: '0.0003', display: '300', exact: true }),
    });
    const msgs = [{ role: 'user' as const, content: 'hi' }];
    expect((await rates.estimate('gpt-4o', msgs, 100)).high).toBe('2');
    expect((await rates.estimate('gpt-4o', msgs, 100, 'openai')).low).toBe('3');
    await rates.calculate({ price: '2.5', unit: '1m', markupPct: '20', creditValue: '0.01' });
    expect(fake.calls.map((c) => [c.method, c.args])).toEqual([
      ['Estimate', ['gpt-4o', msgs, 100]],
      ['EstimateFor', ['openai', 'gpt-4o', msgs, 100]],
      ['Calculate', [{ price: '2.5', unit: '1m', markupPct: '20', creditValue: '0.01' }]],
    ]);
  });
});

describe('a change against a stale version', () => {
  it('names fields as the backend does and recognises its refusal', async () => {
    expect(rates.FIELDS.map((f) => rates.fieldName(f.id))).toEqual(['input', 'output', 'cache_read', 'cache_write', 'reasoning', 'per_request', 'per_tool_call']);
    installFakeBridge({
      'Rates.Apply': () => {
        throw coded('changed', 'the rates changed since you opened them (version 7 by Bob); review and save again');
      },
    });
    const err = await rates.apply({ edits: [{ field: 'input', value: '2' }], baseVersion: 6 }).catch((e) => e);
    expect(rates.isChanged(err)).toBe(true);
    expect(rates.isChanged(new Error('change rates: not allowed for your role (admin only)'))).toBe(false);
    // Told by its code, not its words: the same words without the code are no such refusal.
    installFakeBridge({ 'Rates.Apply': () => { throw 'the rates changed since you opened them (version 7 by Bob); review and save again'; } });
    expect(rates.isChanged(await rates.apply({ edits: [], baseVersion: 6 }).catch((e) => e))).toBe(false);
  });
});
