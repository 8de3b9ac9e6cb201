/**
 * Gateway bound struct (app/gateway.go): Settings → API, the local metered
 * OpenAI-compatible API. Role checks happen in backend/gateway (changing the
 * server needs an admin; members manage their own keys).
 */
import { call } from './bridge';

export interface GatewayConfig {
  /** host:port, default "127.0.0.1:8787". */
  addr: string;
  /** Explicit opt-in to listen on a non-loopback address. */
  allowRemote: boolean;
  /** The window runs the API in-process (also when it next opens). */
  enabled: boolean;
}

export interface GatewayStatus {
  running: boolean;
  addr: string;
  /** "http://127.0.0.1:8787/v1": what SDKs take as base URL. */
  baseUrl: string;
  remote: boolean;
  /** Shown whenever the server listens beyond loopback. */
  warning: string;
  /** Why the server stopped on its own, if it did. */
  error: string;
}

export interface GatewayOverview {
  config: GatewayConfig;
  status: GatewayStatus;
}

/**
 * Whether a request with a key is served (gateway.Key*): only an active key
 * is; a removed member's keys are "member removed" for good, a disabled
 * member's "member disabled" until they are enabled again.
 */
export type ApiKeyStatus = 'active' | 'revoked' | 'member disabled' | 'member removed';

export interface ApiKey {
  id: number;
  /** "mdk_<id>_…": recognisable, not usable. */
  hint: string;
  userId: number;
  /** The member's sign-in name; "bob (removed)" once they are removed (backend/people). */
  member: string;
  name: string;
  status: ApiKeyStatus;
  createdAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
  /** Requests with the key that were charged (refused or failed ones charged nothing are not counted). */
  requests: number;
  /** How many of `requests` were free (charged 0: a model whose rates are 0). */
  freeRequests: number;
  /** Their credits, an exact decimal string ("0.072"). */
  charged: string;
  /**
   * Both in words, as the key's row shows them and `meterdesk apikeys list` prints them (Go gateway.KeyUsage):
   * "no requests charged yet", "1 request, free", "1,234 requests charged, 1,500.072 credits",
   * "5 requests (2 free), 12.50 credits".
   */
  usage: string;
}

/** A freshly created key: `secret` is the whole key, shown once. */
export interface NewApiKey extends ApiKey {
  secret: string;
}

const G = 'Gateway';

export const overview = () => call<GatewayOverview>(G, 'Overview');
/** Saves the settings and starts, restarts or stops the server to match. */
export const apply = (c: GatewayConfig) => call<GatewayStatus>(G, 'Apply', c);
/** userId 0 = every member's keys (admins). */
export const keys = (userId: number) => call<ApiKey[]>(G, 'Keys', userId);
/** userId 0 = the signed-in member. */
export const createKey = (userId: number, name: string) => call<NewApiKey>(G, 'CreateKey', userId, name);
export const revokeKey = (id: number) => call<number>(G, 'RevokeKey', id);

/** Whether host:port names a loopback host (the UI warns before saving otherwise). */
export function isLoopbackAddr(addr: string): boolean {
  const m = addr.trim().match(/^(?:\[([^\]]*)\]|([^:]*)):\d+$/);
  if (!m) return false;
  const host = (m[1] ?? m[2] ?? '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Why name cannot label a new key of a member whose active keys are named
 * taken, or '' when it can: 1-80 characters, unlike those (case aside). The
 * backend checks the same (backend/gateway CreateKey).
 */
export function keyNameProblem(name: string, taken: string[] = []): string {
  const n = name.trim();
  if (n === '') return 'Give the key a name, e.g. "laptop script".';
  if ([...n].length > 80) return 'A key name has at most 80 characters.';
  if (taken.some((t) => t.trim().toLowerCase() === n.toLowerCase())) return `An active key is already named "${n}".`;
  return '';
}
