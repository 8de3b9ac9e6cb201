/**
 * Typed wrapper over the bound Go struct `Providers` (app/providers.go):
 * configured AI providers, presets, connection tests and model lists.
 * API keys only ever travel TO the backend (Input.apiKey); nothing returned
 * here contains a key, only `hasKey` and a 4-character `keyHint`. A member gets the redacted
 * view (`redacted`): `baseUrl` and `keyHint` empty, the name and kind kept.
 */
import { call } from './bridge';

export type Kind = 'openai' | 'deepseek' | 'anthropic' | 'gemini' | 'openai_compatible';

/** backend/providers.Provider */
export interface Provider {
  id: number;
  name: string;
  kind: Kind;
  baseUrl: string;
  hasKey: boolean;
  keyHint: string;
  keyStore: 'none' | 'keychain' | 'sealed';
  local: boolean;
  /** A member's view (the backend's forRole): `baseUrl` and `keyHint` are empty. */
  redacted?: boolean;
  /** On this machine or the member's own network (providers.SelfHosted): no reasoning setting applies to it. */
  selfHosted?: boolean;
  createdAt: string;
  updatedAt: string;
  /**
   * What Meterdesk changed in the provider by itself, until it is next saved: a credential an
   * older version kept in its base URL, moved to its API key or removed (never the credential).
   * An admin's view only.
   */
  notice?: string;
  /** Only on what add and update return: saved, but listing the models right after failed, and why. */
  modelsError?: string;
  /**
   * Only on what add and update return: the models were listed, but the key check that follows a
   * listing that needs no key (OpenRouter) did not pass: "the key was refused: …" or "the key could
   * not be checked: …".
   */
  keyError?: string;
  /**
   * Only on what add and update return: the models were listed and there are none, with what to do
   * ("the server lists no models: load or pull a model on it …, then test again."), as a connection
   * test says after "Connected, but ".
   */
  noModels?: string;
  /**
   * Only on what add and update return: the models were listed, but adding them to the rate
   * catalogue failed ("adding the listed models to the rate catalogue failed: …"),
   * so the model picker may not offer all of them.
   */
  catalogueError?: string;
  /** Only on what update returns: the edit asked for what the provider had already; no setting was saved. */
  unchanged?: boolean;
  /** Only on what update returns unchanged: saving it as it was cleared its notice (a write, not audited). */
  noticeCleared?: boolean;
}

/** backend/providers.Input: apiKey "" on edit keeps the stored key. */
export interface Input {
  name: string;
  kind: Kind;
  baseUrl: string;
  apiKey: string;
  clearKey: boolean;
}

/** backend/providers.Preset */
export interface Preset {
  id: string;
  label: string;
  kind: Kind;
  baseUrl: string;
  needKey: boolean;
}

/** backend/providers.TestResult */
export interface TestResult {
  ok: boolean;
  message: string;
  offline: boolean;
  status: number;
  models: number;
  latencyMs: number;
  /** The test passed, but adding the models it listed to the rate catalogue failed (the message says so too). */
  catalogueError?: string;
}

/** backend/providers.ModelList */
export interface ModelList {
  models: string[];
  stale: boolean;
  checkedAt: string;
  error: string;
  /** The live list is missing because the provider could not be reached (not because it answered an error). */
  offline: boolean;
  /** The list is live, but adding it to the rate catalogue failed (error says why): the picker may miss some. */
  incomplete: boolean;
  /** A stale list's models added from the rate catalogue (what the chat offers for it), not fetched; also in models. */
  fromCatalogue?: string[];
  /** A stale list's why ("offline: …", "listing the models failed: …"), or a live empty one's ("it lists no models, …"), in the words `providers models` fails with. */
  why?: string;
  /** Which list it is (providers.ListWords, times in the workspace's zone): a live one's "fetched from the provider 2026-11-24 15:00:05 UTC", a stale one's "the last known list, from …; 2 models of the rate catalogue …". */
  shown?: string;
}

/**
 * How a test result is shown: 'bad' when it failed; 'warn' when it passed but
 * the server lists no models ("Connected, but the server lists no models: …"),
 * which is no working provider yet, or its models could not be added to the rate catalogue
 * (catalogueError: the picker may miss some); 'ok' otherwise.
 */
export function testTone(r: TestResult): 'ok' | 'warn' | 'bad' {
  if (!r.ok) return 'bad';
  return r.models === 0 || r.catalogueError ? 'warn' : 'ok';
}

export const kindLabels: Record<Kind, string> = {
  openai: 'OpenAI',
  deepseek: 'DeepSeek',
  anthropic: 'Anthropic Claude',
  gemini: 'Google Gemini',
  openai_compatible: 'OpenAI-compatible',
};

/** Every kind, in the order the form lists them. */
export const kinds = Object.keys(kindLabels) as Kind[];

/**
 * The documented base URL of a kind, read from the presets as the backend's
 * DefaultBaseURL does: "" for openai_compatible, which has no usual server
 * and must be given one.
 */
export function defaultBaseUrl(presets: Preset[], kind: Kind): string {
  if (kind === 'openai_compatible') return '';
  return presets.find((p) => p.kind === kind)?.baseUrl ?? '';
}

function parse(url: string | undefined): URL | null {
  const s = (url ?? '').trim();
  if (!/^https?:\/\//i.test(s)) return null;
  try {
    return new URL(s);
  } catch {
    return null;
  }
}

/** The server of a base URL: scheme, host and port, lower case ("" when it is no http(s) URL). */
export function serverOf(url: string | undefined): string {
  return parse(url)?.origin.toLowerCase() ?? '';
}

/** The host name of a base URL, lower case, without the port ("" when it is no http(s) URL). */
export function hostOf(url: string | undefined): string {
  return parse(url)?.hostname.toLowerCase() ?? '';
}

/** Whether two base URLs are the same, case of the scheme and host, spaces and trailing slashes aside. */
export function sameUrl(a: string | undefined, b: string | undefined): boolean {
  const x = parse(a);
  const y = parse(b);
  return !!x && !!y && x.origin.toLowerCase() === y.origin.toLowerCase() && x.pathname.replace(/\/+$/, '') === y.pathname.replace(/\/+$/, '');
}

/**
 * Whether a base URL points at this machine (localhost, *.localhost,
 * 127.0.0.0/8, ::1), for the key field's wording only: the backend's
 * IsLocal decides Provider.local. They differ on spellings the browser's
 * URL parser rewrites (127.1 and 0x7f000001 read as 127.0.0.1 here, not
 * there; ::ffff:127.0.0.1 the other way round).
 */
export function isLocalUrl(url: string | undefined): boolean {
  const h = hostOf(url);
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '[::1]';
}

export async function list(): Promise<Provider[]> {
  return (await call<Provider[] | null>('Providers', 'List')) ?? [];
}
export async function presets(): Promise<Preset[]> {
  return (await call<Preset[] | null>('Providers', 'Presets')) ?? [];
}
export function secretStorage(): Promise<string> {
  return call<string>('Providers', 'SecretStorage');
}
export function add(input: Input): Promise<Provider> {
  return call<Provider>('Providers', 'Add', input);
}
export function update(id: number, input: Input): Promise<Provider> {
  return call<Provider>('Providers', 'Update', id, input);
}
export function remove(id: number): Promise<number> {
  return call<number>('Providers', 'Remove', id);
}
export function test(id: number): Promise<TestResult> {
  return call<TestResult>('Providers', 'Test', id);
}
/** Tests unsaved form values; id 0 = new provider, else empty fields (and the key) come from the saved one. */
export function testInput(id: number, input: Input): Promise<TestResult> {
  return call<TestResult>('Providers', 'TestInput', id, input);
}
export function models(id: number): Promise<ModelList> {
  return call<ModelList>('Providers', 'Models', id);
}
