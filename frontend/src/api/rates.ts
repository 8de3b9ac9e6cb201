/**
 * Typed wrapper over the bound Go struct `Rates` (app/rates.go), plus the
 * exact string-decimal helpers the Rates panel validates with as you type.
 *
 * Rates are credits per token, stored as canonical decimal strings with at
 * most PRECISION decimal places (backend/rates). The UI shows and accepts
 * them per token, per 1K or per 1M tokens: the conversion is a decimal
 * point shift on the digits, never a JS number. The backend re-validates
 * everything on save.
 */
import { call } from './bridge';
import { errorCode } from './errors';

/** Most decimal places of a stored (per-token) rate: backend/rates.Precision. */
export const PRECISION = 12;
/** Largest rate, in credits per unit: backend/rates.MaxRate. */
export const MAX_RATE = '1000000000';

/** How a rate is written: per token, per 1K tokens or per 1M tokens. */
export type Unit = 'token' | '1k' | '1m';
export const UNITS: readonly { id: Unit; label: string }[] = [
  { id: 'token', label: 'per token' },
  { id: '1k', label: 'per 1K tokens' },
  { id: '1m', label: 'per 1M tokens' },
];

/** The rate fields of a row, in table order. */
export type Field = 'input' | 'output' | 'cacheRead' | 'cacheWrite' | 'reasoning' | 'perRequest' | 'perToolCall';
export const FIELDS: readonly { id: Field; label: string; perToken: boolean; csv: string }[] = [
  { id: 'input', label: 'Input', perToken: true, csv: 'input' },
  { id: 'output', label: 'Output', perToken: true, csv: 'output' },
  { id: 'cacheRead', label: 'Cached input', perToken: true, csv: 'cache_read' },
  { id: 'cacheWrite', label: 'Cache write', perToken: true, csv: 'cache_write' },
  { id: 'reasoning', label: 'Reasoning', perToken: true, csv: 'reasoning' },
  { id: 'perRequest', label: 'Per request', perToken: false, csv: 'per_request' },
  { id: 'perToolCall', label: 'Per tool call', perToken: false, csv: 'per_tool_call' },
];

/** One model's rates ("" = blank: the default applies). */
export interface Row {
  provider: string;
  model: string;
  input: string;
  output: string;
  cacheRead: string;
  cacheWrite: string;
  reasoning: string;
  perRequest: string;
  perToolCall: string;
}

export interface ProviderInfo {
  id: string;
  label: string;
}

export interface Defaults {
  input: string;
  output: string;
}

export interface VersionInfo {
  id: number;
  effectiveAt: string;
  createdBy: string;
  reason: string;
}

export interface Model {
  provider: string;
  model: string;
  source: 'builtin' | 'reported' | 'custom';
  rates: Row;
  effective: Row;
  /** No input or no output rate of its own: the default rate prices it. */
  defaultRate: boolean;
  /** The model whose rates price this one when it is another's: a snapshot without a row of its own, priced as its base. */
  ratedAs?: string;
}

export interface Table {
  version: VersionInfo;
  defaults: Defaults;
  providers: { provider: ProviderInfo; models: Model[] }[];
  /** On the table apply returns: the change asked for the rates as they were, so no version was made. */
  unchanged?: boolean;
  /** On the table apply or an import returns: the version that change made (or found in force); version may be newer (another save came between). */
  appliedVersion?: number;
  /** On the table apply or an import returns: appliedVersion is still the version in force (version) at the table's read (rates.Service.TableAfter). */
  appliedInForce?: boolean;
  /** On the table apply or an import returns: the models ("provider/model") it added to the catalogue when that was all it did, so no version was made: appliedVersion is the one in force before. */
  modelsAddedOnly?: string[];
}

/**
 * The toast for the table a save or an import gave back, in words that are true when another save (another
 * admin, the CLI) came between: "in force" only when the backend says the version is (appliedInForce), else the
 * version this change made and the newer one in force; a change that only added models to the catalogue (modelsAddedOnly)
 * names them, its version staying. null when nothing was imported (the file dialog cancelled).
 */
export function appliedToast(t: Table, what: 'save' | 'import'): { title: string; message: string } | null {
  const n = t.appliedVersion;
  if (!n) return null;
  const since = `; version ${t.version.id}, saved since, is in force.`;
  if (t.unchanged) {
    const already = what === 'save' ? 'The rates were these already' : 'The file holds the rates as they are';
    return { title: 'Unchanged', message: t.appliedInForce ? `${already}: rate version ${n} stays in force.` : `${already} (rate version ${n})${since}` };
  }
  const added = t.modelsAddedOnly ?? [];
  if (added.length) {
    const models = `${added.length === 1 ? 'model' : 'models'} ${added.join(', ')}`;
    return {
      title: what === 'import' ? 'Rates imported' : 'Rates saved',
      message: t.appliedInForce ? `Added ${models} to the catalogue; rate version ${n} stays in force.` : `Added ${models} to the catalogue (rate version ${n})${since}`,
    };
  }
  if (what === 'import') {
    return { title: 'Rates imported', message: t.appliedInForce ? `Imported: rate version ${n} is now in force.` : `Imported as rate version ${n}${since}` };
  }
  return { title: 'Rates saved', message: t.appliedInForce ? `Rate version ${n} is now in force.` : `Rate version ${n} was saved${since}` };
}

/**
 * One field of one model set to value (per token; "" = blank), or, with no
 * provider and model, one default rate. The backend applies it to the rates
 * as they are when it saves (backend/rates.Edit): the other fields keep any
 * change made since the table was read.
 */
export interface Edit {
  provider?: string;
  model?: string;
  /** The CSV name of the field: FIELDS[i].csv ("cache_read"), or "input" / "output" for a default. */
  field: string;
  value: string;
}

export interface Change {
  defaults?: Defaults;
  /** Whole rows: each replaces that model's row. */
  rows?: Row[];
  edits?: Edit[];
  /**
   * The version the change was made against (the table shown): if another
   * one was saved since, the backend refuses the change and writes nothing
   * (see isChanged).
   */
  baseVersion?: number;
  reason?: string;
}

export interface Diff {
  provider: string;
  model: string;
  field: string;
  old: string;
  new: string;
}

export interface CalcInput {
  price: string;
  unit: Unit;
  markupPct: string;
  creditValue: string;
}

export interface CalcResult {
  perToken: string;
  display: string;
  exact: boolean;
}

/** One chat message for an estimate. */
export interface EstimateMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  name?: string;
}

/** A request's cost range in credits: [low, high]. */
export interface Estimate {
  provider: string;
  model: string;
  rateVersion: number;
  promptTokens: number;
  maxOutputTokens: number;
  encoding: string;
  family: string;
  exact: boolean;
  low: string;
  high: string;
  lowMinor: number;
  highMinor: number;
  /**
   * high prices the whole output budget at the model's reasoning rate, above
   * its output rate (the worst case of a reasoning model, which may think
   * for the whole budget; the hold covers it): the estimate says so.
   */
  highThinking: boolean;
  free: boolean;
}

/** The CSV name of a row field ("cacheRead" → "cache_read"), as an Edit names it. */
export function fieldName(f: Field): string {
  return FIELDS.find((x) => x.id === f)?.csv ?? f;
}

/**
 * Reports whether err is the backend's refusal of a change whose
 * baseVersion is no longer the latest version (backend/rates.ChangedError,
 * "the rates changed since you opened them (version N by NAME); ..."), by
 * its code (app.RefusalError's "changed"), not its words.
 */
export function isChanged(err: unknown): boolean {
  return errorCode(err) === 'changed';
}

// ---- backend calls ----

export const table = () => call<Table>('Rates', 'Table');
export const versions = async () => (await call<VersionInfo[] | null>('Rates', 'Versions')) ?? [];
export const preview = async (c: Change) => (await call<Diff[] | null>('Rates', 'Preview', c)) ?? [];
export const apply = (c: Change) => call<Table>('Rates', 'Apply', c);
export const addModel = (provider: string, model: string) => call<Table>('Rates', 'AddModel', provider, model);
export const removeModel = (provider: string, model: string) => call<Table>('Rates', 'RemoveModel', provider, model);
export const calculate = (input: CalcInput) => call<CalcResult>('Rates', 'Calculate', input);
export const exportText = (format: 'csv' | 'json') => call<string>('Rates', 'Export', format);
export const importText = (format: 'csv' | 'json', data: string) => call<Table>('Rates', 'Import', format, data);
export const exportToFile = async (format: 'csv' | 'json') => (await call<string | null>('Rates', 'ExportToFile', format)) ?? '';
export const importFromFile = () => call<Table>('Rates', 'ImportFromFile');

/**
 * The composer's live estimate (debounce calls while the user types).
 * provider "" looks the model up under any provider.
 */
export function estimate(model: string, messages: EstimateMessage[], maxOutputTokens: number, provider = ''): Promise<Estimate> {
  return provider
    ? call<Estimate>('Rates', 'EstimateFor', provider, model, messages, maxOutputTokens)
    : call<Estimate>('Rates', 'Estimate', model, messages, maxOutputTokens);
}

// ---- exact string decimals ----

const PLAIN = /^\+?(?:(\d+)(?:\.(\d*))?|\.(\d+))$/;

/** A non-negative decimal as digits and the number of fraction digits. */
interface Dec {
  digits: string; // no sign, may have leading zeros
  scale: number; // digits after the decimal point
}

function parsePlain(s: string): Dec | null {
  const t = s.trim();
  if (t.length === 0 || t.length > 40) return null;
  const m = PLAIN.exec(t);
  if (!m) return null;
  const int = m[1] ?? '';
  const frac = m[2] ?? m[3] ?? '';
  return { digits: (int + frac) || '0', scale: frac.length };
}

/** Renders digits/scale canonically like Go's decimal.String(): "0.0000025", "10", "0". */
function render(d: Dec): string {
  let { digits, scale } = d;
  while (scale > 0 && digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    scale--;
  }
  if (digits === '') return '0';
  if (scale > 0 && digits.length <= scale) digits = digits.padStart(scale + 1, '0');
  let int = scale > 0 ? digits.slice(0, digits.length - scale) : digits;
  const frac = scale > 0 ? digits.slice(digits.length - scale) : '';
  int = int.replace(/^0+(?=\d)/, '');
  return frac ? `${int}.${frac}` : int;
}

/** Multiplies by 10^k (k may be negative): a shift of the decimal point. */
function shift(d: Dec, k: number): Dec {
  if (k >= 0) {
    if (k <= d.scale) return { digits: d.digits, scale: d.scale - k };
    return { digits: d.digits + '0'.repeat(k - d.scale), scale: 0 };
  }
  return { digits: d.digits, scale: d.scale - k };
}

const UNIT_SHIFT: Record<Unit, number> = { token: 0, '1k': 3, '1m': 6 };

/** Canonical text of a plain decimal, or null if s is not one. */
export function canonical(s: string): string | null {
  const d = parsePlain(s);
  return d ? render(d) : null;
}

/** Converts a per-token rate to unit u, exactly ("0.0000025" → "2.5" per 1M). Blank stays blank. */
export function fromPerToken(perToken: string, u: Unit): string {
  if (perToken.trim() === '') return '';
  const d = parsePlain(perToken);
  if (!d) return perToken;
  return render(shift(d, UNIT_SHIFT[u]));
}

/**
 * A large whole rate written short, exactly, for a narrow cell's placeholder:
 * "1000000" → "1M", "2500000" → "2.5M", "10000" → "10K". A value that has a
 * fraction, fewer than 5 digits or no short exact form is returned as it is
 * (the cell's title always has the full value).
 */
export function compactRate(s: string): string {
  if (!/^\d{5,}$/.test(s)) return s;
  for (const [k, suffix] of [[9, 'B'], [6, 'M'], [3, 'K']] as const) {
    if (s.length <= k) continue;
    const whole = s.slice(0, s.length - k);
    const frac = s.slice(s.length - k).replace(/0+$/, '');
    const short = frac ? `${whole}.${frac}` : whole;
    if (short.length <= 4) return short + suffix;
  }
  return s;
}

/** Converts a rate written per unit u to per token, exactly, or null if not a plain decimal. */
export function toPerToken(value: string, u: Unit): string | null {
  const d = parsePlain(value);
  return d ? render(shift(d, -UNIT_SHIFT[u])) : null;
}

function compare(a: string, b: string): number {
  const [ai, af = ''] = a.split('.');
  const [bi, bf = ''] = b.split('.');
  if (ai.length !== bi.length) return ai.length < bi.length ? -1 : 1;
  if (ai !== bi) return ai < bi ? -1 : 1;
  const n = Math.max(af.length, bf.length);
  const x = af.padEnd(n, '0');
  const y = bf.padEnd(n, '0');
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Result of validating one rate field. */
export type Validated = { ok: true; perToken: string } | { ok: false; error: string };

/**
 * Validates what the admin typed in a rate field written per unit u
 * (per-request / per-tool-call fields pass u = 'token'). Blank is valid and
 * means "use the default" (perToken = ""). The rules are backend/rates':
 * non-negative plain decimal, at most PRECISION places per token, at most MAX_RATE.
 */
export function validateRate(value: string, u: Unit): Validated {
  const t = value.trim();
  if (t === '') return { ok: true, perToken: '' };
  // Parsed first, as rates.ParseRateIn: "-0" is 0 (not negative), "-abc" is not a number.
  const minus = t.startsWith('-');
  const d = parsePlain(minus ? t.slice(1) : t);
  if (!d || (minus && t.startsWith('-+'))) {
    return { ok: false, error: 'Enter a plain decimal number, like 0.5 (no exponent, no commas).' };
  }
  // Go's words (money.NegativeNamed, as rates.ParseRateIn says it), the rate as typed (trimmed): "Rate -1 is negative."
  if (minus && render(d) !== '0') return { ok: false, error: `Rate ${t} is negative.` };
  const per = shift(d, -UNIT_SHIFT[u]);
  const c = render(per);
  const places = c.includes('.') ? c.length - c.indexOf('.') - 1 : 0;
  if (places > PRECISION) {
    const unitPlaces = PRECISION - UNIT_SHIFT[u];
    const here = u === 'token' ? '' : ` (${Math.max(unitPlaces, 0)} per ${u === '1k' ? '1K' : '1M'} tokens)`;
    return { ok: false, error: `Too precise: at most ${PRECISION} decimal places per token${here}.` };
  }
  if (compare(c, MAX_RATE) > 0) return { ok: false, error: `Too large: at most ${MAX_RATE} credits per token.` };
  return { ok: true, perToken: c };
}

/** The effective per-token rates of a row given the defaults (the fallbacks of backend/rates). */
export function effective(row: Row, defaults: Defaults): Row {
  const input = row.input || defaults.input;
  const output = row.output || defaults.output;
  return {
    ...row,
    input,
    output,
    cacheRead: row.cacheRead || input,
    cacheWrite: row.cacheWrite || input,
    reasoning: row.reasoning || output,
    perRequest: row.perRequest || '0',
    perToolCall: row.perToolCall || '0',
  };
}

/** One row of the rate table: its rates provider ("openai" … "local") and model (a readiness step's rows). */
export interface RateRow {
  provider: string;
  model: string;
}

/** The query key of the Rates page's rows to show (one "provider/model" a line). */
export const RATE_ROWS_QUERY = 'rows';

/** The Rates page's hash, opened on rows (highlighted, the first scrolled to); none: the page as it is. */
export function ratesHref(rows: RateRow[] | null | undefined): string {
  if (!rows?.length) return '#/settings/rates';
  return '#/settings/rates?' + new URLSearchParams({ [RATE_ROWS_QUERY]: rows.map((r) => `${r.provider}/${r.model}`).join('\n') }).toString();
}

/** The rows a Rates page hash names (ratesHref's query value), as "provider/model" keys. */
export function rateRowsOf(value: string | undefined): string[] {
  return (value ?? '').split('\n').filter((k) => k.includes('/'));
}
