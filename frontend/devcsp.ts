import type { Plugin } from 'vite';

/**
 * What Vite's dev server needs beyond index.html's Content-Security-Policy:
 * its hot-reload client talks over a WebSocket to the dev server
 * (`vite`, `wails dev`). The built app (`vite build`, embedded in the
 * binary) never opens one — Wails' own IPC in a browser (the dev-tagged
 * binary the e2e tests drive) is same-origin, which `'self'` covers — so
 * index.html ships without it, and only the dev server adds it.
 */
export const devConnectSources = ['ws://localhost:*', 'ws://127.0.0.1:*'];

/**
 * withDevConnect adds devConnectSources to the connect-src directive of the
 * page's CSP meta tag; a page without one is an error, so that a changed CSP
 * cannot silently leave the dev server's reload blocked.
 */
export function withDevConnect(html: string): string {
  const re = /(<meta\s[^>]*http-equiv="Content-Security-Policy"[^>]*content="[^"]*connect-src [^;"]*)/;
  if (!re.test(html)) throw new Error('index.html: no connect-src in a Content-Security-Policy meta tag');
  return html.replace(re, `$1 ${devConnectSources.join(' ')}`);
}

/** devCsp adds devConnectSources to the CSP when Vite serves (dev), never when it builds. */
export function devCsp(): Plugin {
  return { name: 'meterdesk-dev-csp', apply: 'serve', transformIndexHtml: { order: 'pre', handler: withDevConnect } };
}
