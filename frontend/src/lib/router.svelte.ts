/**
 * The app's hash router: a reactive view of window.location.hash matched
 * against the route table. Use `navigate("/settings/general")` or plain
 * `<a href="#/settings/general">` links.
 */
import { buildHash, matchRoute, parseHash, type Location, type Match, type RoutePattern } from './router';

/** A reactive router over a route table, with redirects and a fallback path. */
export class Router<R extends RoutePattern> {
  location = $state<Location>({ path: '/', query: {} });
  match = $state<Match<R> | null>(null);

  readonly #routes: readonly R[];
  readonly #redirects: Record<string, string>;
  readonly #fallback: string;
  #listener: (() => void) | null = null;

  constructor(routes: readonly R[], opts: { redirects?: Record<string, string>; fallback: string }) {
    this.#routes = routes;
    this.#redirects = opts.redirects ?? {};
    this.#fallback = opts.fallback;
  }

  /** Starts following hashchange events and resolves the current hash. */
  start(): () => void {
    this.#listener = () => this.sync();
    window.addEventListener('hashchange', this.#listener);
    this.sync();
    return () => this.stop();
  }

  /** Stops following hashchange events. */
  stop(): void {
    if (this.#listener) window.removeEventListener('hashchange', this.#listener);
    this.#listener = null;
  }

  /** Re-reads window.location.hash (applying redirects) and updates state. */
  sync(): void {
    const loc = parseHash(window.location.hash);
    const target = loc.path === '/' ? this.#fallback : this.#redirects[loc.path];
    if (target) {
      // replaceState: a redirect must not leave a history entry to bounce back to.
      history.replaceState(history.state, '', buildHash(target, loc.query));
      this.sync();
      return;
    }
    this.location = loc;
    this.match = matchRoute(this.#routes, loc.path);
  }

  /** Goes to path (adds a history entry unless it is already current). */
  navigate(path: string, query: Record<string, string> = {}): void {
    const hash = buildHash(path, query);
    if (window.location.hash === hash) return;
    window.location.hash = hash;
    // hashchange is async; update now so callers see the new route at once.
    this.sync();
  }

  /**
   * Goes to path in place of the current history entry (no way Back to
   * it): where a page is not the user's choice, as the home page a
   * different member starts on.
   */
  replace(path: string, query: Record<string, string> = {}): void {
    const hash = buildHash(path, query);
    if (window.location.hash !== hash) history.replaceState(history.state, '', hash);
    this.sync();
  }

  /** True when path is the current path or an ancestor of it. */
  isActive(path: string): boolean {
    const cur = this.location.path;
    return cur === path || cur.startsWith(path.endsWith('/') ? path : path + '/');
  }
}
