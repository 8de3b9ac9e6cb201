/**
 * Credit amounts in the UI. The backend sends money as canonical decimal
 * strings ("1234.500000000", "-0.0000025"); they are NEVER converted to JS
 * numbers. Arithmetic needed for display (rounding, comparing) works on the
 * digits with BigInt, rounding half away from zero like backend/money.Round.
 */

/** Decimal places the backend keeps (backend/money.Scale). */
export const SCALE = 9;

/** Thrown when a string is not a plain decimal number. */
export class MoneyFormatError extends Error {
  constructor(value: unknown) {
    super(`not a decimal amount: ${JSON.stringify(value)}`);
    this.name = 'MoneyFormatError';
  }
}

/** A decimal split into parts: sign, integer digits, fraction digits. */
interface Parts {
  negative: boolean;
  int: string;
  frac: string;
}

const PLAIN = /^([+-])?(\d+)(?:\.(\d+))?$/;

function parts(value: string): Parts {
  if (typeof value !== 'string') throw new MoneyFormatError(value);
  const m = PLAIN.exec(value.trim());
  if (!m) throw new MoneyFormatError(value);
  return { negative: m[1] === '-', int: m[2], frac: m[3] ?? '' };
}

/** Reports whether value is a plain decimal string the formatter accepts. */
export function isDecimal(value: unknown): value is string {
  return typeof value === 'string' && PLAIN.test(value.trim());
}

/** Options for formatMoney. */
export interface FormatOptions {
  /** Fixed number of decimal places (formatMoney's default 2; formatCredits shows credits exactly instead). Ignored when maxPlaces is set. */
  places?: number;
  /** Show at least minPlaces and at most maxPlaces, trimming trailing zeros. */
  minPlaces?: number;
  maxPlaces?: number;
  /** Thousands separator (default ","). */
  group?: string;
  /** Decimal point (default "."). */
  point?: string;
  /** Prefix "+" for positive amounts (for deltas). */
  signed?: boolean;
}

/** Value of p as an integer with exactly `scale` fraction digits (scale >= p.frac.length). */
function scaled(p: Parts, scale: number): bigint {
  const v = BigInt(p.int + p.frac.padEnd(scale, '0'));
  return p.negative ? -v : v;
}

/** Rounds |digits| (with `from` fraction digits) to `to` places, half away from zero. */
function roundAbs(abs: bigint, from: number, to: number): bigint {
  if (from <= to) return abs * 10n ** BigInt(to - from);
  const div = 10n ** BigInt(from - to);
  const q = abs / div;
  const r = abs % div;
  return r * 2n >= div ? q + 1n : q;
}

function groupDigits(int: string, sep: string): string {
  if (!sep) return int;
  let out = '';
  for (let i = 0; i < int.length; i++) {
    if (i > 0 && (int.length - i) % 3 === 0) out += sep;
    out += int[i];
  }
  return out;
}

/**
 * Formats a decimal string for display: rounded half away from zero to the
 * requested places, with thousands separators. Throws MoneyFormatError on
 * anything that is not a plain decimal (exponents, NaN, numbers, "").
 *
 *   formatMoney("1234567.891")                 -> "1,234,567.89"
 *   formatMoney("-0.005")                      -> "-0.01"
 *   formatMoney("0.0000025", {maxPlaces: 9})   -> "0.0000025"
 */
export function formatMoney(value: string, opts: FormatOptions = {}): string {
  const p = parts(value);
  const group = opts.group ?? ',';
  const point = opts.point ?? '.';
  const flexible = opts.maxPlaces !== undefined;
  const places = flexible ? opts.maxPlaces! : (opts.places ?? 2);
  if (!Number.isInteger(places) || places < 0 || places > 30) {
    throw new RangeError(`invalid number of places: ${places}`);
  }
  const abs = BigInt(p.int + p.frac);
  const rounded = roundAbs(abs, p.frac.length, places);
  const digits = rounded.toString().padStart(places + 1, '0');
  let int = digits.slice(0, digits.length - places);
  let frac = places > 0 ? digits.slice(digits.length - places) : '';
  if (flexible) {
    const min = Math.min(opts.minPlaces ?? 0, places);
    let end = frac.length;
    while (end > min && frac[end - 1] === '0') end--;
    frac = frac.slice(0, end);
  }
  const zero = rounded === 0n;
  const sign = p.negative && !zero ? '-' : opts.signed && !zero ? '+' : '';
  int = groupDigits(int, group);
  return sign + int + (frac ? point + frac : '');
}

/**
 * How the window shows a credit amount: exactly, as the ledger keeps it: at
 * least 2 decimal places, up to SCALE, trailing zeros beyond 2 trimmed,
 * thousands grouped ("250.00", "0.001257492", "27,637.137529327"). Never
 * rounded to cents: a sub-cent charge must not read "0.00". It is the one
 * display rule for credits: Go's money.Display writes the texts a person
 * reads (the cost line, refusals, alerts, the CLI, the Markdown export, the
 * statement PDF) by it, and both are tested against
 * backend/money/testdata/display.json. Currency amounts (prices, invoices)
 * are not credits: they keep formatMoney's fixed places.
 */
export const CREDIT_PLACES: Readonly<FormatOptions> = Object.freeze({ minPlaces: 2, maxPlaces: SCALE });

/**
 * A decimal as the backend reads one (money.CheckPlain, which Go's
 * money.DisplayString formats): after trimming, an optional minus, digits and
 * at most one point, at least one digit, at most 64 characters after the
 * minus (".5" and "5." included; "+5" and "1,000" not).
 */
const BACKEND_PLAIN = /^-?(?=[0-9.]{1,64}$)(\d+\.?\d*|\.\d+)$/;

/**
 * A credit amount without its unit, exact (CREDIT_PLACES) unless opts asks
 * for other places: "1,250.00", "0.001257492". It reads what Go's
 * money.DisplayString reads (".5" is "0.50", "5." "5.00") and, as it does,
 * leaves any other text as it was ("+5", "1,000", "n/a"): one answer for
 * every row of backend/money/testdata/display.json. A value that is not a
 * string still throws MoneyFormatError (numbers must never reach it).
 */
export function formatCreditAmount(value: string, opts: FormatOptions = {}): string {
  if (typeof value === 'string') {
    const t = value.trim();
    if (!BACKEND_PLAIN.test(t)) return value;
    value = t.replace(/^(-?)\./, '$10.').replace(/\.$/, '');
  }
  if (opts.places !== undefined || opts.maxPlaces !== undefined) return formatMoney(value, opts);
  return formatMoney(value, { ...opts, minPlaces: opts.minPlaces ?? CREDIT_PLACES.minPlaces, maxPlaces: CREDIT_PLACES.maxPlaces });
}

/** A credit amount with its unit, exact like formatCreditAmount: "1,250.00 credits", "0.001257492 credits". */
export function formatCredits(value: string, opts: FormatOptions = {}): string {
  return `${formatCreditAmount(value, opts)} credits`;
}

/**
 * A currency amount (a price, an invoice's net, tax or gross) as the backend
 * wrote it, in its currency's own places (JPY 0, EUR 2, BHD 3), with
 * thousands separators, never re-rounded: "1487.50" -> "1,487.50", "11" ->
 * "11". Anything that is not a plain decimal is returned unchanged.
 */
export function formatCurrencyAmount(value: string): string {
  const m = /^-?\d+(?:\.(\d+))?$/.exec(value ?? '');
  return m ? formatMoney(value, { places: m[1]?.length ?? 0 }) : value;
}

/** Compares two decimal strings exactly: -1, 0 or 1. */
export function compareMoney(a: string, b: string): -1 | 0 | 1 {
  const pa = parts(a);
  const pb = parts(b);
  const scale = Math.max(pa.frac.length, pb.frac.length);
  const x = scaled(pa, scale);
  const y = scaled(pb, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Sign of a decimal string: -1, 0 or 1. */
export function moneySign(value: string): -1 | 0 | 1 {
  return compareMoney(value, '0');
}
