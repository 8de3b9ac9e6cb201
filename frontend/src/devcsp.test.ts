// @vitest-environment node
// The Content-Security-Policy of the built app (vite build: what the binary
// embeds, and what the e2e suite serves) allows no WebSocket; only Vite's
// dev server adds ws: to connect-src for its hot reload (devcsp.ts).
import { describe, expect, it } from 'vitest';
import { build, createServer, type Rollup } from 'vite';
import { devConnectSources, devCsp, withDevConnect } from '../devcsp';
import indexHtml from '../index.html?raw';

// frontend/ and its vite.config.ts (file: URLs; no Node types here).
const path = (rel: string) => decodeURIComponent(new URL(rel, import.meta.url).pathname);
const root = path('..');
const configFile = path('../vite.config.ts');

function csp(html: string): string {
  const m = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html);
  if (!m) throw new Error('no CSP meta tag');
  return m[1];
}

function connectSrc(html: string): string[] {
  const d = csp(html)
    .split(';')
    .map((s) => s.trim())
    .find((s) => s.startsWith('connect-src '));
  return d ? d.split(/\s+/).slice(1) : [];
}

describe('dev-only CSP', () => {
  it('adds the dev sources to connect-src only', () => {
    const out = withDevConnect(indexHtml);
    expect(connectSrc(out)).toEqual(["'self'", ...devConnectSources]);
    // Every other directive is as index.html has it.
    const others = (h: string) =>
      csp(h)
        .split(';')
        .map((s) => s.trim())
        .filter((s) => !s.startsWith('connect-src '));
    expect(others(out)).toEqual(others(indexHtml));
    expect(() => withDevConnect('<html><head></head></html>')).toThrow(/connect-src/);
  });

  it('applies while serving, never while building', () => {
    expect(devCsp().apply).toBe('serve');
    expect(connectSrc(indexHtml)).toEqual(["'self'"]);
  });

  it('the built index.html has no ws: in its CSP', async () => {
    const res = await build({ root, configFile, logLevel: 'silent', build: { write: false } });
    const outputs = (Array.isArray(res) ? res : [res]) as Rollup.RollupOutput[];
    const page = outputs.flatMap((o) => o.output).find((f) => f.fileName === 'index.html');
    if (!page || page.type !== 'asset') throw new Error('the build wrote no index.html');
    const html = String(page.source);
    expect(csp(html)).toContain("default-src 'self'");
    expect(csp(html)).not.toMatch(/ws:|wss:/);
    expect(connectSrc(html)).toEqual(["'self'"]);
  });

  it("the dev server's index.html allows its hot-reload WebSocket", async () => {
    const server = await createServer({ root, configFile, logLevel: 'silent', server: { middlewareMode: true, hmr: false, ws: false } });
    try {
      const html = await server.transformIndexHtml('/', indexHtml);
      expect(connectSrc(html)).toEqual(["'self'", ...devConnectSources]);
    } finally {
      await server.close();
    }
  });
});
