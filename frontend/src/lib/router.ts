/**
 * Pure hash-routing helpers (no DOM): parse "#/settings/general?x=1" and match
 * it against a route table. The reactive part lives in router.svelte.ts.
 */

/** A parsed location: normalised path and query parameters. */
export interface Location {
  path: string;
  query: Record<string, string>;
}

/** Minimal shape the matcher needs from a route. */
export interface RoutePattern {
  /** "/chat", "/settings/general"; ":name" segments capture a parameter. */
  path: string;
  /** When true, longer paths also match and the remainder is params.rest ("" when none). */
  prefix?: boolean;
}

/** A matched route with its captured parameters. */
export interface Match<R extends RoutePattern> {
  route: R;
  params: Record<string, string>;
}

/** Normalises a path: leading "/", no trailing "/", no empty segments. */
export function normalizePath(path: string): string {
  const segs = path.split('/').filter((s) => s !== '' && s !== '.');
  return '/' + segs.join('/');
}

/** Parses a location hash ("#/a/b?x=1", "#a", "" ...). */
export function parseHash(hash: string): Location {
  let h = hash.startsWith('#') ? hash.slice(1) : hash;
  let query: Record<string, string> = {};
  const q = h.indexOf('?');
  if (q >= 0) {
    query = Object.fromEntries(new URLSearchParams(h.slice(q + 1)));
    h = h.slice(0, q);
  }
  let path: string;
  try {
    path = decodeURI(h);
  } catch {
    path = h;
  }
  return { path: normalizePath(path), query };
}

/** Builds a hash for path and optional query: "#/chat?c=1". */
export function buildHash(path: string, query: Record<string, string> = {}): string {
  const qs = new URLSearchParams(query).toString();
  return '#' + encodeURI(normalizePath(path)) + (qs ? '?' + qs : '');
}

/** Finds the first route matching path (exact routes are tried before prefix routes). */
export function matchRoute<R extends RoutePattern>(routes: readonly R[], path: string): Match<R> | null {
  const target = normalizePath(path).split('/').filter(Boolean);
  const ordered = [...routes.filter((r) => !r.prefix), ...routes.filter((r) => r.prefix)];
  for (const route of ordered) {
    const pattern = normalizePath(route.path).split('/').filter(Boolean);
    if (target.length < pattern.length) continue;
    if (!route.prefix && target.length !== pattern.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length; i++) {
      const p = pattern[i];
      if (p.startsWith(':')) params[p.slice(1)] = target[i];
      else if (p !== target[i]) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    if (route.prefix) params.rest = target.slice(pattern.length).join('/');
    return { route, params };
  }
  return null;
}
