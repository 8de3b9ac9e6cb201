// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { compareMoney, CREDIT_PLACES, formatCreditAmount, formatCredits, formatCurrencyAmount, formatMoney, SCALE, isDecimal, moneySign, MoneyFormatError } from './money';
// The table the backend's money.Display is tested against: one display rule
// for credit amounts in the window and in the texts Go writes (the cost line
// under a reply, refusals, alerts, the CLI, the Markdown export, the PDF).
import displayTable from '../../../backend/money/testdata/display.json?raw';
// The table the backend's money.GroupDecimal (the invoice PDF) is tested
// against: one rule for currency amounts in the window and the PDF.
import currencyTable from '../../../backend/money/testdata/currency.json?raw';

describe('formatMoney', () => {
  it.each([
    ['0', {}, '0.00'],
    ['1', {}, '1.00'],
    ['12', {}, '12.00'],
    ['123', {}, '123.00'],
    ['1234', {}, '1,234.00'],
    ['1234567.891', {}, '1,234,567.89'],
    ['1000000', {}, '1,000,000.00'],
    ['999.995', {}, '1,000.00'], // half away from zero carries into the thousands
    ['999.994999999', {}, '999.99'],
    ['0.005', {}, '0.01'],
    ['-0.005', {}, '-0.01'],
    ['0.004999999', {}, '0.00'],
    ['-0.004', {}, '0.00'], // no "-0.00"
    ['-1234.5', {}, '-1,234.50'],
    ['+42', {}, '42.00'],
    ['  7.1  ', {}, '7.10'],
    ['12.345', { places: 0 }, '12'],
    ['12.5', { places: 0 }, '13'],
    ['-12.5', { places: 0 }, '-13'],
    ['0.0000025', { places: 9 }, '0.000002500'],
    ['0.0000025', { maxPlaces: 9 }, '0.0000025'],
    ['5.000000000', { minPlaces: 2, maxPlaces: 9 }, '5.00'],
    ['5.120000000', { minPlaces: 0, maxPlaces: 9 }, '5.12'],
    ['5', { maxPlaces: 9 }, '5'],
    ['1234567.5', { group: ' ', point: ',' }, '1 234 567,50'],
    ['1234567.5', { group: '' }, '1234567.50'],
    ['25', { signed: true }, '+25.00'],
    ['0', { signed: true }, '0.00'],
    ['-25', { signed: true }, '-25.00'],
    // Beyond Number.MAX_SAFE_INTEGER: digits must survive exactly.
    ['9007199254740993.123456789', { places: 9 }, '9,007,199,254,740,993.123456789'],
    ['2305843009.213693951', { places: 9 }, '2,305,843,009.213693951'],
  ] as const)('%s %o -> %s', (input, opts, want) => {
    expect(formatMoney(input, opts)).toBe(want);
  });

  it.each(['', ' ', 'abc', '1e3', '1E-9', 'NaN', 'Infinity', '1,000', '1.', '.5', '--1', '0x10', '1 000', '١٢'])(
    'rejects %j',
    (input) => {
      expect(() => formatMoney(input)).toThrow(MoneyFormatError);
    },
  );

  it('rejects non-strings (numbers must never reach the formatter)', () => {
    expect(() => formatMoney(12.5 as unknown as string)).toThrow(MoneyFormatError);
    expect(() => formatMoney(null as unknown as string)).toThrow(MoneyFormatError);
  });

  it('rejects silly place counts', () => {
    expect(() => formatMoney('1', { places: -1 })).toThrow(RangeError);
    expect(() => formatMoney('1', { places: 1.5 })).toThrow(RangeError);
  });

  it('formatCredits appends the unit', () => {
    expect(formatCredits('1250')).toBe('1,250.00 credits');
  });

  // The window shows credits exactly, as the ledger and the PDF/CSV exports
  // have them: never rounded to cents (a money-consistency review found
  // "0.00 credits" on screen where the statement PDF said 0.001257492).
  it.each([
    ['0.001257492', '0.001257492'],
    ['27637.137529327', '27,637.137529327'],
    ['3.333333333', '3.333333333'],
    ['250.000000000', '250.00'],
    ['250', '250.00'],
    ['0', '0.00'],
    ['0.5', '0.50'],
    ['0.064', '0.064'],
    ['-0.000000001', '-0.000000001'],
    ['-1234.5', '-1,234.50'],
    ['9007199254740993.123456789', '9,007,199,254,740,993.123456789'],
  ] as const)('formatCredits / formatCreditAmount show %s exactly as %s', (input, want) => {
    expect(formatCreditAmount(input)).toBe(want);
    expect(formatCredits(input)).toBe(`${want} credits`);
  });

  // backend/money/testdata/display.json: the Go side's money.Display reads
  // the same rows, so the window and the backend's texts agree.
  const shared = (JSON.parse(displayTable) as { in?: string; out?: string }[]).filter((r) => r.in !== undefined);
  it('the shared table has its rows', () => {
    expect(shared.length).toBeGreaterThanOrEqual(20);
  });
  it.each(shared.map((r) => [r.in!, r.out!] as const))('formatCreditAmount(%s) is %s, as money.Display writes it', (input, want) => {
    expect(formatCreditAmount(input)).toBe(want);
  });
  // Its "text" rows: what money.DisplayString does with text that is not a canonical decimal, the window does too.
  const text = (JSON.parse(displayTable) as { text?: string; out?: string }[]).filter((r) => r.text !== undefined);
  it.each(text.map((r) => [r.text!, r.out!] as const))('formatCreditAmount(%j) is %j, as money.DisplayString writes it', (input, want) => {
    expect(formatCreditAmount(input)).toBe(want);
  });
  it('has the table\'s text rows, and still throws on a value that is not a string', () => {
    expect(text.length).toBeGreaterThanOrEqual(10);
    expect(() => formatCreditAmount(12.5 as unknown as string)).toThrow(MoneyFormatError);
  });

  it('formatCredits keeps places a caller asks for, and formatMoney keeps 2 (currency amounts)', () => {
    expect(formatCredits('3.333333333', { places: 2 })).toBe('3.33 credits');
    expect(formatCredits('0.0000025', { minPlaces: 0, maxPlaces: 9 })).toBe('0.0000025 credits');
    expect(formatCredits('7', { minPlaces: 0 })).toBe('7 credits');
    expect(formatCredits('1.5', { signed: true })).toBe('+1.50 credits');
    expect(formatMoney('1487.5')).toBe('1,487.50');
    expect(formatMoney('0.001257492')).toBe('0.00');
    expect(CREDIT_PLACES).toEqual({ minPlaces: 2, maxPlaces: SCALE });
  });
});

describe('formatCurrencyAmount', () => {
  it.each([
    ['1000.00', '1,000.00'], ['850.00', '850.00'], ['11', '11'], ['1234.567', '1,234.567'], ['-1487.50', '-1,487.50'], ['n/a', 'n/a'], ['', ''],
  ])('%s -> %s (its own places, grouped, never re-rounded)', (v, want) => {
    expect(formatCurrencyAmount(v)).toBe(want);
  });

  // backend/money/testdata/currency.json: the Go side's money.GroupDecimal
  // reads the same rows, so the invoice list and the invoice PDF agree.
  const shared = (JSON.parse(currencyTable) as { in?: string; out?: string }[]).filter((r) => r.in !== undefined);
  it('the shared table has its rows', () => {
    expect(shared.length).toBeGreaterThanOrEqual(20);
  });
  it.each(shared.map((r) => [r.in!, r.out!] as const))('formatCurrencyAmount(%j) is %j, as money.GroupDecimal writes it', (input, want) => {
    expect(formatCurrencyAmount(input)).toBe(want);
  });
});

describe('compareMoney / moneySign / isDecimal', () => {
  it.each([
    ['1', '1.000000000', 0],
    ['0.1', '0.10', 0],
    ['-0', '0', 0],
    ['0.000000001', '0', 1],
    ['-0.000000001', '0', -1],
    ['9007199254740993', '9007199254740992', 1],
    ['-5', '3', -1],
    ['10.5', '10.49', 1],
  ] as const)('compare(%s, %s) = %d', (a, b, want) => {
    expect(compareMoney(a, b)).toBe(want);
    expect(compareMoney(b, a)).toBe(-want || 0);
  });

  it('moneySign', () => {
    expect(moneySign('-0.01')).toBe(-1);
    expect(moneySign('0.000')).toBe(0);
    expect(moneySign('3')).toBe(1);
  });

  it('isDecimal', () => {
    expect(isDecimal('1.5')).toBe(true);
    expect(isDecimal('1e5')).toBe(false);
    expect(isDecimal(1.5)).toBe(false);
    expect(isDecimal(null)).toBe(false);
  });
});
